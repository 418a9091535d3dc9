package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/store"
)

// The report reads a union's founding day, ownership, method and path
// from union_active (migration 018), which the triggers keep in step with
// every write of units and enterprises. After an enterprise's ownership
// changes, a union drops its own ownership for an enterprise recorded
// after it, a union's method and founding day change, a union moves, a
// unit becomes a grassroots union and another stops being one, every
// report is still the member-by-member reference's, and ActiveDrift finds
// no row out of step.
func TestUnionFactsFollowWrites(t *testing.T) {
	eachWorld(t, 9, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		ctx := context.Background()
		unit := func(code string) *domain.Unit {
			for i := range w.Units {
				if w.Units[i].Code == code {
					return &w.Units[i]
				}
			}
			t.Fatalf("no unit %s", code)
			return nil
		}
		var linked, owned []*domain.Unit
		for i := range w.Units {
			u := &w.Units[i]
			if u.Kind != domain.KindGrassroots {
				continue
			}
			if u.Ownership == "" {
				linked = append(linked, u)
			} else {
				owned = append(owned, u)
			}
		}
		if len(linked) < 2 || len(owned) < 3 {
			t.Fatalf("the world has %d unions linked to an enterprise, %d with an ownership of their own", len(linked), len(owned))
		}
		err := st.Write(ctx, func(tx *store.Tx) error {
			// An enterprise's ownership edited: its unions follow.
			tax := linked[0].EnterpriseTaxCode
			w.Enterprises[tax] = map[string]string{domain.OwnState: domain.OwnFDI}[w.Enterprises[tax]]
			if w.Enterprises[tax] == "" {
				w.Enterprises[tax] = domain.OwnState
			}
			if err := tx.PutEnterprises([]*domain.Enterprise{{TaxCode: tax, Name: tax, Ownership: w.Enterprises[tax], Employees: 30, UnitCode: "R"}}); err != nil {
				return err
			}
			// A union gives up its own ownership for an enterprise
			// recorded after it.
			u := owned[0]
			u.Ownership, u.EnterpriseTaxCode = "", "T-NEW"
			u.FoundedOn = domain.NewDate(2022, 3, 14)
			if err := tx.PutUnit(u); err != nil {
				return err
			}
			w.Enterprises["T-NEW"] = domain.OwnPrivate
			if err := tx.PutEnterprises([]*domain.Enterprise{{TaxCode: "T-NEW", Name: "T-NEW", Ownership: domain.OwnPrivate, Employees: 30, UnitCode: "R"}}); err != nil {
				return err
			}
			// Another changes its method and founding day.
			u = owned[1]
			u.Method = map[string]string{domain.MethodNew: domain.MethodStandard}[u.Method]
			if u.Method == "" {
				u.Method = domain.MethodNew
			}
			u.FoundedOn = domain.NewDate(2022, 5, 2)
			if err := tx.PutUnit(u); err != nil {
				return err
			}
			// A union moves (its parent of units.csv: its whole history).
			u = owned[2]
			u.ParentCode = map[string]string{"R-B": "R-C"}[u.ParentCode]
			if u.ParentCode == "" {
				u.ParentCode = "R-B"
			}
			u.FoundedOn = domain.NewDate(2022, 2, 20)
			if err := tx.PutUnit(u); err != nil {
				return err
			}
			// A unit without members becomes a grassroots union founded in
			// the plan's year; another is added as one and then stops.
			w.Units = append(w.Units, domain.Unit{Code: "R-NEW", Name: "Đơn vị R-NEW", ParentCode: "R-A", Kind: domain.KindUpper, Method: domain.MethodNew},
				domain.Unit{Code: "R-GONE", Name: "Đơn vị R-GONE", ParentCode: "R-B", Kind: domain.KindGrassroots, Method: domain.MethodNew,
					Ownership: domain.OwnPrivate, FoundedOn: domain.NewDate(2022, 4, 1)})
			for _, code := range []string{"R-NEW", "R-GONE"} {
				if err := tx.PutUnit(unit(code)); err != nil {
					return err
				}
			}
			n := unit("R-NEW")
			n.Kind, n.Ownership, n.FoundedOn = domain.KindGrassroots, domain.OwnFDI, domain.NewDate(2022, 6, 30)
			if err := tx.PutUnit(n); err != nil {
				return err
			}
			g := unit("R-GONE")
			g.Kind = domain.KindUpper
			return tx.PutUnit(g)
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range w.Units {
			w.Units[i].ParentID = w.Units[i].BaseParentID
		}
		compare(t, st, w, plan, camp)
		// The changes show: R-NEW and the moved union are among the
		// unions founded, R-GONE is not.
		r, _ := st.Unit(ctx, "R")
		in, err := st.ReportInput(ctx, engine.Query{Plan: *plan, AsOf: domain.NewDate(2022, 12, 31)}, r)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]bool{}
		for _, f := range in.Founded {
			seen[f.UnitID] = true
		}
		if !seen[unit("R-NEW").ID] || !seen[owned[2].ID] || seen[unit("R-GONE").ID] {
			t.Errorf("unions founded: R-NEW %v, the moved union %v, R-GONE %v", seen[unit("R-NEW").ID], seen[owned[2].ID], seen[unit("R-GONE").ID])
		}
	})
}

// The busiest month's input (PeakInput) gives, for each month of a plan
// report, the unions founded and members admitted of the unit and of each
// child that MonthInput gives, on both engines.
func TestPeakInputMatchesMonths(t *testing.T) {
	eachWorld(t, 10, func(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
		ctx := context.Background()
		for _, code := range []string{"R", "R-A"} {
			u, err := st.Unit(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			q := engine.Query{Plan: *plan, AsOf: domain.NewDate(2022, 9, 15)}
			full, err := st.ReportInput(ctx, q, u)
			if err != nil {
				t.Fatal(err)
			}
			_, s, a := q.Window()
			for m := s.MonthStart(); m <= a; m = m.MonthEnd() + 1 {
				mq := q
				mq.Campaign = &domain.Campaign{Code: m.MonthKey(), Start: max(s, m), End: min(a, m.MonthEnd())}
				month, err := st.MonthInput(ctx, mq, u, full)
				if err != nil {
					t.Fatal(err)
				}
				peak, err := st.PeakInput(ctx, mq, u, full)
				if err != nil {
					t.Fatal(err)
				}
				want, got := shown(engine.Compute(month)), shown(engine.Compute(peak))
				if got != want {
					t.Errorf("%s, %s: the peak's input gives\n%s\nthe month's\n%s", code, m.MonthKey(), got, want)
				}
			}
		}
	})
}

// shown is what the peak of a report shows: its unions founded and
// members admitted, and each child's.
func shown(r *engine.Report) string {
	keep := map[string]bool{domain.UnionsFounded: true, domain.MembersAdmitted: true}
	type line struct {
		Unit   string
		Values map[string]int64
	}
	pick := func(code string, get func(string) (int64, bool)) line {
		l := line{Unit: code, Values: map[string]int64{}}
		for c := range keep {
			if v, ok := get(c); ok {
				l.Values[c] = v
			}
		}
		return l
	}
	lines := []line{pick(r.Unit.Code, func(c string) (int64, bool) {
		for _, i := range r.Indicators {
			if i.Code == c {
				return i.Actual, true
			}
		}
		return 0, false
	})}
	for _, ch := range r.Children {
		lines = append(lines, pick(ch.Unit.Code, func(c string) (int64, bool) {
			for _, v := range ch.Indicators {
				if v.Code == c {
					return v.Actual, true
				}
			}
			return 0, false
		}))
	}
	b, _ := json.Marshal(lines)
	return string(b)
}
