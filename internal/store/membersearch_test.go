package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/vn"
)

// A name search finds the same members, in the same order, whichever way
// the page reads them: from the trigram index (migration 013: pg_trgm,
// FTS5 on SQLite), by walking the name order, or by the cost rule; and
// the same on both engines (each is checked against the names folded in
// Go). The index follows the members' edits.
func TestMemberSearchIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := makeListWorld(t, st)
		root := w.units["R"]
		want := func(q string) []string {
			var out []string
			for _, n := range vnOrder {
				if strings.Contains(vn.Fold(n), q) {
					out = append(out, n)
				}
			}
			return out
		}
		modes := []struct {
			name string
			set  func() func()
		}{
			{"by cost", func() func() { return func() {} }},
			{"from the index", store.SearchFirst},
			{"walking", func() func() { return store.SetListLimits(-1, 100_000) }},
		}
		search := func(q string, unit *domain.Unit) []string {
			return names(pageAll(t, st, store.MemberListQuery{Filter: store.MemberFilter{UnitPath: unit.Path, Q: q}}, 2))
		}
		for _, q := range []string{"binh", "van", "thi a", "dung", "ung", "dao", "an", "zzz", "x%y", "a_"} {
			folded := strings.Join(strings.Fields(vn.Fold(q)), " ")
			exp := want(folded)
			for _, m := range modes {
				restore := m.set()
				got := search(q, root)
				// With the diacritics typed, and in upper case: the same.
				var accented []string
				if a, ok := map[string]string{"binh": "Bình", "dung": "Dũng", "dao": "Đào"}[q]; ok {
					accented = search(strings.ToUpper(a), root)
				}
				n, err := st.CountMembers(ctx, store.MemberFilter{UnitPath: root.Path, Q: q}, 1000)
				restore()
				if !slices.Equal(got, exp) {
					t.Errorf("%s, %q:\n got %q\nwant %q", m.name, q, got, exp)
				}
				if accented != nil && !slices.Equal(accented, exp) {
					t.Errorf("%s, %q with diacritics: got %q, want %q", m.name, q, accented, exp)
				}
				if err != nil || n != len(exp) {
					t.Errorf("%s, %q: count %d (%v), want %d", m.name, q, n, err, len(exp))
				}
			}
		}
		// Within a subtree, and in another order, from the index.
		restore := store.SearchFirst()
		got := search("van", w.units["U"])
		byBirth := names(pageAll(t, st, store.MemberListQuery{Filter: store.MemberFilter{UnitPath: root.Path, Q: "van"}, Sort: store.SortBirth}, 2))
		plan, err := st.ExplainMemberList(ctx, store.MemberListQuery{Filter: store.MemberFilter{UnitPath: root.Path, Q: "binh"}})
		restore()
		var inU []string
		for _, m := range w.members {
			if (m.UnitCode == "G1" || m.UnitCode == "G2") && strings.Contains(vn.Fold(m.FullName), "van") {
				inU = append(inU, m.FullName)
			}
		}
		if !sameSet(got, inU) {
			t.Errorf("subtree U, %q: got %q, want %q", "van", got, inU)
		}
		if !sameSet(byBirth, want("van")) {
			t.Errorf("by birth, %q: got %q, want %q", "van", byBirth, want("van"))
		}
		if err != nil || !strings.Contains(plan, "VIRTUAL TABLE") && !strings.Contains(plan, "members_name_trgm") {
			t.Errorf("a search from the index does not read it (%v):\n%s", err, plan)
		}

		// A member renamed is found by the new name only; one deleted, no
		// more.
		m := *w.members[0]
		old := m.FullName
		m.FullName = "Nguyễn Văn Quýt"
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.SaveMembers([]*domain.Member{&m}) }); err != nil {
			t.Fatal(err)
		}
		defer store.SearchFirst()()
		if got := search("quyt", root); !slices.Equal(got, []string{"Nguyễn Văn Quýt"}) {
			t.Errorf("renamed: %q", got)
		}
		if got := search(vn.Fold(old), root); len(got) != 0 {
			t.Errorf("the old name %q still found: %q", old, got)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { _, _, err := tx.DeleteMember(m.NationalID); return err }); err != nil {
			t.Fatal(err)
		}
		if got := search("quyt", root); len(got) != 0 {
			t.Errorf("deleted, still found: %q", got)
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
