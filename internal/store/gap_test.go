package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// The gap counters (migration 013) agree with the enterprises and unions
// themselves on every day and subtree, after each kind of write that
// moves the gap: unions founded, overlapping and dissolved, a union with
// no founding date, an enterprise growing past the threshold, changing
// its responsible unit, a union linked to another enterprise.
func TestGapCounters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx := context.Background()
		d := func(y, m, day int) domain.Date { return domain.NewDate(y, time.Month(m), day) }
		unit := func(code, parent, kind, tax string, founded, dissolved domain.Date) *domain.Unit {
			return &domain.Unit{Code: code, Name: "Đơn vị " + code, ParentCode: parent, Kind: kind, Method: domain.MethodStandard,
				EnterpriseTaxCode: tax, FoundedOn: founded, DissolvedOn: dissolved}
		}
		ent := func(tax, unit string, workers int64) *domain.Enterprise {
			return &domain.Enterprise{TaxCode: tax, Name: "DN " + tax, Ownership: domain.OwnPrivate, Employees: workers, UnitCode: unit}
		}
		write := func(fn func(tx *store.Tx) error) {
			t.Helper()
			if err := st.Write(ctx, fn); err != nil {
				t.Fatal(err)
			}
		}
		write(func(tx *store.Tx) error {
			for _, u := range []*domain.Unit{
				unit("R", "", domain.KindFederation, "", d(2000, 1, 1), 0),
				unit("A", "R", domain.KindUpper, "", d(2000, 1, 1), 0),
				unit("B", "R", domain.KindUpper, "", d(2000, 1, 1), 0),
			} {
				if err := tx.PutUnit(u); err != nil {
					return err
				}
			}
			if err := tx.PutEnterprises([]*domain.Enterprise{ent("0100000001", "A", 30), ent("0100000002", "A", 40),
				ent("0100000003", "B", 25), ent("0100000004", "B", 10), ent("0100000005", "B", 100)}); err != nil {
				return err
			}
			for _, u := range []*domain.Unit{
				unit("G1", "A", domain.KindGrassroots, "0100000001", d(2020, 1, 1), 0),
				unit("G2", "A", domain.KindGrassroots, "0100000002", d(2019, 1, 1), d(2021, 6, 1)),
				unit("G3", "A", domain.KindGrassroots, "0100000002", d(2021, 3, 1), 0),
				unit("G4", "B", domain.KindGrassroots, "0100000005", 0, d(2020, 1, 1)),
			} {
				if err := tx.PutUnit(u); err != nil {
					return err
				}
			}
			return nil
		})
		days := []domain.Date{d(2018, 12, 31), d(2019, 1, 1), d(2019, 12, 31), d(2020, 1, 1), d(2021, 3, 1), d(2021, 5, 31),
			d(2021, 6, 1), d(2022, 1, 1), d(2023, 1, 1)}
		check := func(step string, want2023 int64) {
			t.Helper()
			for _, code := range []string{"R", "A", "B"} {
				u, err := st.Unit(ctx, code)
				if err != nil {
					t.Fatal(err)
				}
				for _, day := range days {
					o, err := st.Organising(ctx, u, day, day)
					if err != nil {
						t.Fatal(err)
					}
					want, err := st.GapCountUncounted(ctx, u, day, domain.GapMinWorkers)
					if err != nil {
						t.Fatal(err)
					}
					if o.GapEnterprises != want {
						t.Errorf("%s: %s on %s: gap %d from the counters, %d from the enterprises", step, code, day, o.GapEnterprises, want)
					}
					f := store.EnterpriseFilter{UnitPath: u.Path, MinEmployees: domain.GapMinWorkers, Union: "without", AsOf: day}
					n, w, units, err := st.EnterpriseTotals(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					// The same filter with a bound that changes nothing
					// is counted from the gap's spans (migration 017).
					f.MaxEmployees = 1 << 40
					n2, w2, units2, err := st.EnterpriseTotals(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if n != n2 || w != w2 || units != units2 {
						t.Errorf("%s: %s on %s: totals %d, %d, %d from the counters, %d, %d, %d from the spans", step, code, day, n, w, units, n2, w2, units2)
					}
					// The list read from the spans, whole and page by
					// page both ways, is the one the enterprises and
					// their unions give.
					for _, least := range []int64{domain.GapMinWorkers, 40} {
						f := store.EnterpriseFilter{UnitPath: u.Path, MinEmployees: least, Union: "without", AsOf: day}
						want := gapList(t, st, u, day, least)
						if got := streamList(t, st, f); !slices.Equal(got, want) {
							t.Errorf("%s: %s on %s, %d+: list %v, want %v", step, code, day, least, got, want)
						}
						for way, page := range map[string]pageFunc{"sorted": st.EnterprisePage, "walked": func(ctx context.Context, q store.EnterprisePageQuery) ([]store.EnterpriseRow, bool, error) {
							return store.EnterprisePageWalking(ctx, st, q)
						}} {
							if got := pagedList(t, page, f, false); !slices.Equal(got, want) {
								t.Errorf("%s: %s on %s, %d+: pages (%s) %v, want %v", step, code, day, least, way, got, want)
							}
							if got := pagedList(t, page, f, true); !slices.Equal(got, want) {
								t.Errorf("%s: %s on %s, %d+: pages backward (%s) %v, want %v", step, code, day, least, way, got, want)
							}
						}
					}
				}
			}
			root, _ := st.Unit(ctx, "R")
			if n, _ := st.GapCountUncounted(ctx, root, d(2023, 1, 1), domain.GapMinWorkers); n != want2023 {
				t.Errorf("%s: gap in 2023: %d, want %d", step, n, want2023)
			}
		}
		// 2023: E3 and E5 (its union dissolved in 2020).
		check("founded", 2)
		write(func(tx *store.Tx) error { return tx.PutEnterprises([]*domain.Enterprise{ent("0100000004", "B", 50)}) })
		check("grown", 3)
		write(func(tx *store.Tx) error {
			return tx.PutUnit(unit("G1", "A", domain.KindGrassroots, "0100000001", d(2020, 1, 1), d(2022, 1, 1)))
		})
		check("dissolved", 4)
		write(func(tx *store.Tx) error { return tx.PutEnterprises([]*domain.Enterprise{ent("0100000003", "A", 25)}) })
		check("responsible unit", 4)
		write(func(tx *store.Tx) error {
			return tx.PutUnit(unit("G3", "A", domain.KindGrassroots, "0100000003", d(2021, 3, 1), 0))
		})
		check("relinked", 4)
		write(func(tx *store.Tx) error { return tx.PutEnterprises([]*domain.Enterprise{ent("0100000005", "B", 24)}) })
		check("shrunk", 3)
		// B moves under A: its enterprises count in A's subtree.
		write(func(tx *store.Tx) error { return tx.PutUnit(unit("B", "A", domain.KindUpper, "", d(2000, 1, 1), 0)) })
		check("moved", 3)
		a, _ := st.Unit(ctx, "A")
		if o, err := st.Organising(ctx, a, d(2023, 1, 1), d(2023, 1, 1)); err != nil || o.GapEnterprises != 3 {
			t.Errorf("moved: A's gap %v (%v), want 3", o, err)
		}
	})
}

// gapList is the gap list of a subtree on a day from the enterprises and
// their unions (GapEnterprises), by tax code in the list's order.
func gapList(t *testing.T, st *store.Store, u *domain.Unit, day domain.Date, least int64) []string {
	t.Helper()
	var out []string
	if err := st.GapEnterprises(context.Background(), u, day, least, func(g *store.GapEnterprise) error {
		out = append(out, g.TaxCode)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// streamList is what StreamEnterprises gives for a filter, by tax code.
func streamList(t *testing.T, st *store.Store, f store.EnterpriseFilter) []string {
	t.Helper()
	var out []string
	if err := st.StreamEnterprises(context.Background(), f, func(e *store.EnterpriseRow) error {
		if e.HasUnion {
			t.Errorf("%s: on the gap list with a union", e.TaxCode)
		}
		out = append(out, e.TaxCode)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// pageFunc reads a page of an enterprise list.
type pageFunc func(context.Context, store.EnterprisePageQuery) ([]store.EnterpriseRow, bool, error)

// pagedList reads a filter's list in pages of one by keyset, from the
// first page forward or from the last backward, by tax code in the
// list's order.
func pagedList(t *testing.T, page pageFunc, f store.EnterpriseFilter, backward bool) []string {
	t.Helper()
	var out []string
	q := store.EnterprisePageQuery{Filter: f, Limit: 1, Backward: backward}
	for range 100 {
		rows, more, err := page(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out = append(out, r.TaxCode)
		}
		if !more || len(rows) == 0 {
			break
		}
		c := rows[len(rows)-1].Cursor()
		if backward {
			c = rows[0].Cursor()
		}
		q.After = &c
	}
	if backward {
		slices.Reverse(out)
	}
	return out
}

// The area choices of a subtree are the areas of its enterprises, in
// order, whichever way they are read: a loose scan of the area index for
// a subtree with many of the responsible units, the enterprises of its
// few responsible units otherwise, nothing for a subtree with none.
func TestEnterpriseAreas(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx := context.Background()
		// R holds U0…U7; U1 holds U1a; U7 and the grassroots G have no
		// enterprise. Each enterprise has an area of its unit's, one of
		// all, or none.
		units := []struct{ code, parent, kind string }{{"R", "", domain.KindFederation}}
		for i := 0; i < 7; i++ {
			units = append(units, struct{ code, parent, kind string }{fmt.Sprintf("U%d", i), "R", domain.KindUpper})
		}
		units = append(units, struct{ code, parent, kind string }{"U1a", "U1", domain.KindUpper},
			struct{ code, parent, kind string }{"G", "U1a", domain.KindGrassroots}, struct{ code, parent, kind string }{"U7", "R", domain.KindUpper})
		areas := map[string][]string{} // of the enterprises of each unit
		var ents []*domain.Enterprise
		for i, u := range []string{"U0", "U1", "U1a", "U2", "U3", "U4", "U5", "U6"} {
			for j, a := range []string{"khu " + strings.ToLower(u), "cau giay", "", fmt.Sprintf("khu %c", 'a'+i)} {
				ents = append(ents, &domain.Enterprise{TaxCode: fmt.Sprintf("01%08d", i*10+j), Name: "DN " + u, Ownership: domain.OwnPrivate,
					Employees: 30, UnitCode: u, Area: a})
				areas[u] = append(areas[u], a)
			}
		}
		if err := st.Write(ctx, func(tx *store.Tx) error {
			for _, u := range units {
				if err := tx.PutUnit(&domain.Unit{Code: u.code, Name: "Đơn vị " + u.code, ParentCode: u.parent, Kind: u.kind,
					Method: domain.MethodStandard, FoundedOn: domain.NewDate(2000, 1, 1)}); err != nil {
					return err
				}
			}
			return tx.PutEnterprises(ents)
		}); err != nil {
			t.Fatal(err)
		}
		below := map[string][]string{"R": {"U0", "U1", "U1a", "U2", "U3", "U4", "U5", "U6"}, "U1": {"U1", "U1a"}, "U1a": {"U1a"},
			"G": nil, "U7": nil, "U0": {"U0"}, "U3": {"U3"}}
		for code, subtree := range below {
			var want []string
			for _, u := range subtree {
				for _, a := range areas[u] {
					if a != "" && !slices.Contains(want, a) {
						want = append(want, a)
					}
				}
			}
			slices.Sort(want)
			u, err := st.Unit(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			for _, limit := range []int{500, 2} {
				got, err := st.EnterpriseAreas(ctx, u.Path, limit)
				if err != nil {
					t.Fatal(err)
				}
				w := want[:min(limit, len(want))]
				if !slices.Equal(got, w) {
					t.Errorf("%s, at most %d: areas %q, want %q", code, limit, got, w)
				}
			}
		}
	})
}
