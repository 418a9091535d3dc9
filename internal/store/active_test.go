package store_test

import (
	"context"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// A union's members on a day come from its row (units.active) when
// nothing changed after that day, else from its daily counters: both ways
// give the same counts, in the registry's summary as in the reports
// (TestCountersMatchReference covers those, as-of days before and after
// the last change).
func TestUnionMembersOnADay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		g, member := store.PutRG(t, st)
		err := st.Write(ctx, func(tx *store.Tx) error {
			if err := tx.PutEnterprises([]*domain.Enterprise{{TaxCode: "0101234567", Name: "Công ty A", Ownership: domain.OwnPrivate, Employees: 40, UnitCode: "R"}}); err != nil {
				return err
			}
			g.EnterpriseTaxCode, g.FoundedOn = "0101234567", domain.NewDate(2020, 1, 1)
			if err := tx.PutUnit(g); err != nil {
				return err
			}
			late := member("late")
			late.JoinedOn, late.LeftOn = domain.NewDate(2021, 6, 1), domain.NewDate(2022, 1, 1)
			return tx.SaveMembers([]*domain.Member{member("a"), member("b"), member("c"), late})
		})
		if err != nil {
			t.Fatal(err)
		}
		r, err := st.Unit(ctx, "R")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			day  domain.Date
			want int64
		}{{domain.NewDate(2019, 12, 31), 0}, {domain.NewDate(2020, 6, 1), 3}, {domain.NewDate(2021, 7, 1), 4}, {domain.NewDate(2023, 1, 1), 3}} {
			classes, err := st.EnterpriseClasses(ctx, r.Path, c.day)
			if err != nil {
				t.Fatal(err)
			}
			var got int64
			for _, k := range classes {
				got += k.Members
			}
			if c.day >= g.FoundedOn && got != c.want {
				t.Errorf("members of the enterprise's union on %s: %d, want %d", c.day, got, c.want)
			}
		}
		if drift, err := store.ActiveDrift(ctx, st); err != nil || len(drift) > 0 {
			t.Errorf("units.active out of step with the counters (%v): %v", err, drift)
		}
	})
}
