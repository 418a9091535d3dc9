package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

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
