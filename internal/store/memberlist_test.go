package store_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/vn"
)

// listWorld is a small tree (R > U > G1, G2; R > G3) whose members have
// names that only the Vietnamese collation orders right: ă â after a, đ
// after d, ư after u, tones after letters, and the given name first.
type listWorld struct {
	units   map[string]*domain.Unit
	members []*domain.Member
}

// vnOrder is the members' names in Vietnamese list order (given name,
// then middle names, then family name).
var vnOrder = []string{
	"Lê Thị An", "Trần Văn An", "Phạm Anh", "Hoàng Thị Ánh", "Vũ Ân", "Bùi Văn Bình", "Đỗ Văn Bình",
	"Lý Dung", "Ngô Dũng", "Mai Đào", "Nguyễn Đức", "Hồ Uyên", "Tô Ưng", "Đặng Thị Vân",
}

func makeListWorld(t *testing.T, st *store.Store) *listWorld {
	t.Helper()
	w := &listWorld{units: map[string]*domain.Unit{}}
	ctx := context.Background()
	err := st.Write(ctx, func(tx *store.Tx) error {
		for _, x := range []struct{ code, parent, kind string }{
			{"R", "", domain.KindFederation}, {"U", "R", domain.KindUpper},
			{"G1", "U", domain.KindGrassroots}, {"G2", "U", domain.KindGrassroots}, {"G3", "R", domain.KindGrassroots},
		} {
			u := &domain.Unit{Code: x.code, Name: "Đơn vị " + x.code, ParentCode: x.parent, Kind: x.kind, Method: domain.MethodStandard,
				FoundedOn: domain.NewDate(2015, 1, 1)}
			if err := tx.PutUnit(u); err != nil {
				return err
			}
			w.units[x.code] = u
		}
		// Members in an order unrelated to the names (reversed, units
		// interleaved), so that neither id order nor insertion order
		// passes for name order.
		grass := []string{"G1", "G2", "G3"}
		for i := len(vnOrder) - 1; i >= 0; i-- {
			m := &domain.Member{NationalID: fmt.Sprintf("0010%08d", i), IDType: "cccd", FullName: vnOrder[i],
				DateOfBirth: domain.NewDate(1970+(i*7)%30, time.Month(1+i%12), 1+i%28), JoinedHow: domain.JoinedAdmitted,
				JoinedOn: domain.NewDate(2016+i%6, time.Month(1+(i*5)%12), 1+(i*3)%28)}
			m.UnitCode = grass[i%3]
			m.UnitID = w.units[m.UnitCode].ID
			m.Gender = []string{"male", "female"}[i%2]
			if i%4 == 3 {
				m.LeftOn = domain.NewDate(2023, 3, 1)
			}
			if i%3 == 1 {
				m.PartyIntroducedOn = m.JoinedOn.AddDays(30)
			}
			w.members = append(w.members, m)
		}
		return tx.SaveMembers(w.members)
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// pageAll reads a whole list page by page (forward), n a page.
func pageAll(t *testing.T, st *store.Store, q store.MemberListQuery, n int) []*store.MemberRecord {
	t.Helper()
	q.Limit = n
	var out []*store.MemberRecord
	for guard := 0; guard < 100; guard++ {
		p, err := st.MemberList(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Members) > n {
			t.Fatalf("page of %d rows, limit %d", len(p.Members), n)
		}
		out = append(out, p.Members...)
		if !p.More {
			return out
		}
		c := p.Cursors[len(p.Cursors)-1]
		q.After = &c
	}
	t.Fatal("the list does not end")
	return nil
}

func names(ms []*store.MemberRecord) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.FullName
	}
	return out
}

func TestNameKeyOrder(t *testing.T) {
	// vn.NameKey orders the names as Vietnamese lists do, compared as bytes.
	shuffled := slices.Clone(vnOrder)
	slices.Reverse(shuffled)
	slices.SortFunc(shuffled, func(a, b string) int { return bytes.Compare(vn.NameKey(a), vn.NameKey(b)) })
	if !slices.Equal(shuffled, vnOrder) {
		t.Errorf("NameKey order:\n got %q\nwant %q", shuffled, vnOrder)
	}
}

func TestMemberListKeysetOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		checkKeyset(t, st)
	})
}

// TestMemberListWalkingIndex runs the list tests with pages that walk
// their order's index (the plan of a city's list) and counts estimated
// past three rows.
func TestMemberListWalkingIndex(t *testing.T) {
	t.Cleanup(store.SetListLimits(-1, 3))
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		checkKeyset(t, st)
		checkSortsAndFilters(t, st, true)
	})
}

func checkKeyset(t *testing.T, st *store.Store) {
	{
		w := makeListWorld(t, st)
		ctx := context.Background()
		all := store.MemberFilter{UnitPath: w.units["R"].Path}
		// Page 2 continues after page 1 in Vietnamese order, whatever the
		// page size.
		for _, n := range []int{1, 3, 5, 14, 50} {
			got := names(pageAll(t, st, store.MemberListQuery{Filter: all}, n))
			if !slices.Equal(got, vnOrder) {
				t.Errorf("pages of %d:\n got %q\nwant %q", n, got, vnOrder)
			}
		}
		// Descending: the reverse.
		rev := slices.Clone(vnOrder)
		slices.Reverse(rev)
		if got := names(pageAll(t, st, store.MemberListQuery{Filter: all, Desc: true}, 4)); !slices.Equal(got, rev) {
			t.Errorf("descending:\n got %q\nwant %q", got, rev)
		}
		// Backward from the fourth page of 3 gives the third page.
		q := store.MemberListQuery{Filter: all, Limit: 3}
		var pages [][]string
		var firsts []store.MemberCursor
		for i := 0; i < 4; i++ {
			p, err := st.MemberList(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, names(p.Members))
			firsts = append(firsts, p.Cursors[0])
			c := p.Cursors[len(p.Cursors)-1]
			q.After = &c
		}
		back, err := st.MemberList(ctx, store.MemberListQuery{Filter: all, Limit: 3, After: &firsts[3], Backward: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names(back.Members), pages[2]) || !back.More {
			t.Errorf("back from page 4: %q (more %v), want %q", names(back.Members), back.More, pages[2])
		}
		back, _ = st.MemberList(ctx, store.MemberListQuery{Filter: all, Limit: 3, After: &firsts[1], Backward: true})
		if !slices.Equal(names(back.Members), pages[0]) || back.More {
			t.Errorf("back from page 2: %q (more %v), want %q and no more", names(back.Members), back.More, pages[0])
		}
		// A cursor survives its token.
		c, err := store.DecodeMemberCursor(firsts[2].Encode())
		if err != nil || c.ID != firsts[2].ID || !bytes.Equal(c.Key, firsts[2].Key) {
			t.Errorf("token round trip: %+v (%v), want %+v", c, err, firsts[2])
		}
		for _, bad := range []string{"", "!!!", "AAAA", "zzzzzzzzzzzzzzzzzzzz"} {
			if _, err := store.DecodeMemberCursor(bad); err == nil {
				t.Errorf("token %q accepted", bad)
			}
		}
	}
}

func TestMemberListSortsAndFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		checkSortsAndFilters(t, st, false)
	})
}

// checkSortsAndFilters checks each order and filter against the members
// written; estimated: counts past three rows are estimates.
func checkSortsAndFilters(t *testing.T, st *store.Store, estimated bool) {
	{
		w := makeListWorld(t, st)
		ctx := context.Background()
		asOf := domain.NewDate(2024, 1, 1)
		root := w.units["R"]
		// want lists the members keep(m) keeps, in the order of less.
		want := func(keep func(*domain.Member) bool, less func(a, b *domain.Member) int) []string {
			var ms []*domain.Member
			for _, m := range w.members {
				if keep(m) {
					ms = append(ms, m)
				}
			}
			slices.SortFunc(ms, less)
			out := make([]string, len(ms))
			for i, m := range ms {
				out[i] = m.FullName
			}
			return out
		}
		byName := func(a, b *domain.Member) int { return bytes.Compare(vn.NameKey(a.FullName), vn.NameKey(b.FullName)) }
		idOf := map[string]int64{}
		for _, r := range pageAll(t, st, store.MemberListQuery{Filter: store.MemberFilter{}}, 50) {
			idOf[r.FullName] = r.ID
		}
		byDate := func(d func(*domain.Member) domain.Date) func(a, b *domain.Member) int {
			return func(a, b *domain.Member) int {
				if x, y := d(a), d(b); x != y {
					return int(x - y)
				}
				return int(idOf[a.FullName] - idOf[b.FullName])
			}
		}
		active := func(m *domain.Member) bool { return m.JoinedOn <= asOf && (m.LeftOn.IsZero() || m.LeftOn > asOf) }
		inU := func(m *domain.Member) bool { return m.UnitCode == "G1" || m.UnitCode == "G2" }
		from, to := domain.NewDate(2018, 1, 1), domain.NewDate(2019, 12, 31)
		for _, c := range []struct {
			name string
			f    store.MemberFilter
			sort string
			keep func(*domain.Member) bool
			less func(a, b *domain.Member) int
		}{
			{"active", store.MemberFilter{UnitPath: root.Path, Status: store.StatusActive, AsOf: asOf}, "", active, byName},
			{"left", store.MemberFilter{UnitPath: root.Path, Status: store.StatusLeft, AsOf: asOf}, "", func(m *domain.Member) bool { return !active(m) }, byName},
			{"female", store.MemberFilter{UnitPath: root.Path, Gender: "female"}, "", func(m *domain.Member) bool { return m.Gender == "female" }, byName},
			{"joined 2018-2019", store.MemberFilter{UnitPath: root.Path, JoinedFrom: from, JoinedTo: to}, store.SortJoined,
				func(m *domain.Member) bool { return m.JoinedOn >= from && m.JoinedOn <= to }, byDate(func(m *domain.Member) domain.Date { return m.JoinedOn })},
			{"party", store.MemberFilter{UnitPath: root.Path, Party: "yes"}, "", func(m *domain.Member) bool { return !m.PartyIntroducedOn.IsZero() }, byName},
			{"no party", store.MemberFilter{UnitPath: root.Path, Party: "no"}, "", func(m *domain.Member) bool { return m.PartyIntroducedOn.IsZero() }, byName},
			{"subtree U", store.MemberFilter{UnitPath: w.units["U"].Path}, "", inU, byName},
			{"unit G2", store.MemberFilter{UnitPath: w.units["G2"].Path}, "", func(m *domain.Member) bool { return m.UnitCode == "G2" }, byName},
			{"by birth", store.MemberFilter{UnitPath: root.Path}, store.SortBirth, func(*domain.Member) bool { return true },
				byDate(func(m *domain.Member) domain.Date { return m.DateOfBirth })},
			{"by unit", store.MemberFilter{UnitPath: root.Path}, store.SortUnit, func(*domain.Member) bool { return true },
				func(a, b *domain.Member) int {
					if a.UnitCode != b.UnitCode {
						return cmpString(a.UnitCode, b.UnitCode)
					}
					return byName(a, b)
				}},
			{"search", store.MemberFilter{UnitPath: root.Path, Q: "binh"}, "", func(m *domain.Member) bool { return vnFoldHas(m.FullName, "binh") }, byName},
		} {
			exp := want(c.keep, c.less)
			got := names(pageAll(t, st, store.MemberListQuery{Filter: c.f, Sort: c.sort}, 2))
			if !slices.Equal(got, exp) {
				t.Errorf("%s:\n got %q\nwant %q", c.name, got, exp)
			}
			if c.sort != "" {
				rev := slices.Clone(exp)
				slices.Reverse(rev)
				if got := names(pageAll(t, st, store.MemberListQuery{Filter: c.f, Sort: c.sort, Desc: true}, 3)); !slices.Equal(got, rev) {
					t.Errorf("%s descending:\n got %q\nwant %q", c.name, got, rev)
				}
			}
			unitID := root.ID
			if c.f.UnitPath == w.units["U"].Path {
				unitID = w.units["U"].ID
			} else if c.f.UnitPath == w.units["G2"].Path {
				unitID = w.units["G2"].ID
			}
			n, err := st.CountMemberList(ctx, c.f, unitID)
			switch {
			case err != nil:
				t.Errorf("%s: count: %v", c.name, err)
			case c.f.Status == store.StatusActive && c.f.OnlySubtree():
				// From the daily counters: exact whatever the size.
				if n.N != int64(len(exp)) || n.Estimate {
					t.Errorf("%s: total %+v, want exactly %d", c.name, n, len(exp))
				}
			case estimated && (n.Estimate || n.AtLeast || n.N != int64(len(exp))):
				// Past the cap (three rows read): an estimate for active
				// members, else a lower bound, never more than there are.
				if n.Estimate == n.AtLeast || (n.AtLeast && n.N > int64(len(exp))) || (n.Estimate != (c.f.Status == store.StatusActive)) {
					t.Errorf("%s: total %+v, want an estimate or a lower bound of %d", c.name, n, len(exp))
				}
			default:
				if n.N != int64(len(exp)) || n.Estimate {
					t.Errorf("%s: total %+v, want exactly %d", c.name, n, len(exp))
				}
			}
		}
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func vnFoldHas(name, q string) bool { return bytes.Contains([]byte(vn.Fold(name)), []byte(q)) }

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
			// Probes too short to settle a page or a count: the walk on,
			// the index or the units after them.
			{"probing a little", func() func() { return store.SetSearchProbes(3, 3) }},
			{"probing one row", func() func() { return store.SetSearchProbes(1, 1) }},
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
				// Counted up to a cap: the cap where more match.
				capped, cerr := st.CountMembers(ctx, store.MemberFilter{UnitPath: root.Path, Q: q}, 2)
				// Within a subtree, and by the page's count.
				inU, uerr := st.CountMembers(ctx, store.MemberFilter{UnitPath: w.units["U"].Path, Q: q}, 1000)
				listed, lerr := st.CountMemberList(ctx, store.MemberFilter{UnitPath: root.Path, Q: q}, root.ID)
				restore()
				if cerr != nil || capped != min(2, len(exp)) {
					t.Errorf("%s, %q: count up to 2: %d (%v), want %d", m.name, q, capped, cerr, min(2, len(exp)))
				}
				if wantU := len(inSubtree(w, folded, "G1", "G2")); uerr != nil || inU != wantU {
					t.Errorf("%s, %q: count in U %d (%v), want %d", m.name, q, inU, uerr, wantU)
				}
				if lerr != nil || listed != (store.MemberCount{N: int64(len(exp))}) {
					t.Errorf("%s, %q: the list's count %+v (%v), want %d", m.name, q, listed, lerr, len(exp))
				}
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
		// A first page read from the index counts the whole list.
		for _, q := range []string{"van", "zzz"} {
			p, err := st.MemberList(ctx, store.MemberListQuery{Filter: store.MemberFilter{UnitPath: root.Path, Q: q}, Limit: 2})
			if err != nil || !p.Counted || p.Total != int64(len(want(q))) {
				t.Errorf("%q from the index: counted %v, %d (%v), want %d", q, p.Counted, p.Total, err, len(want(q)))
			}
		}
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
		if err != nil || !strings.Contains(plan, "VIRTUAL TABLE") && !strings.Contains(plan, "member_names") {
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

// inSubtree keeps the members of w in these grassroots units whose folded
// name contains q.
func inSubtree(w *listWorld, q string, units ...string) []string {
	var out []string
	for _, m := range w.members {
		if slices.Contains(units, m.UnitCode) && strings.Contains(vn.Fold(m.FullName), q) {
			out = append(out, m.FullName)
		}
	}
	return out
}

// A name search finds every member whatever wrote it, by the cost rule
// too: on PostgreSQL that reads the names' dictionary (migration 019),
// which a staged import's merge (with session_replication_role =
// replica), a save and a rename must all keep; the page reads it, not the
// members' trigram index or a walk.
func TestMemberSearchFindsEveryWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		g, member := store.PutRG(t, st)
		root, err := st.Unit(ctx, "R")
		if err != nil {
			t.Fatal(err)
		}
		if err := stageMembers(t, st, member, nil, "X1", "X2", "Y1"); err != nil {
			t.Fatal(err)
		}
		saved := member("Z1")
		saved.FullName = "Trần Văn Zét"
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.SaveMembers([]*domain.Member{saved}) }); err != nil {
			t.Fatal(err)
		}
		search := func(q string, unit *domain.Unit) []string {
			return names(pageAll(t, st, store.MemberListQuery{Filter: store.MemberFilter{UnitPath: unit.Path, Q: q}}, 1))
		}
		count := func(q string) int {
			n, err := st.CountMembers(ctx, store.MemberFilter{UnitPath: root.Path, Q: q}, 1000)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, c := range []struct {
			q    string
			want []string
		}{
			{"le thi x", []string{"Lê Thị X1", "Lê Thị X2"}}, // imported
			{"y1", []string{"Lê Thị Y1"}},
			{"zet", []string{"Trần Văn Zét"}}, // saved
			{"thi", []string{"Lê Thị X1", "Lê Thị X2", "Lê Thị Y1"}},
			{"qqq", nil},
		} {
			for _, u := range []*domain.Unit{root, g} {
				if got := search(c.q, u); !slices.Equal(got, c.want) {
					t.Errorf("%q in %s: got %q, want %q", c.q, u.Code, got, c.want)
				}
			}
			if n := count(c.q); n != len(c.want) {
				t.Errorf("%q: count %d, want %d", c.q, n, len(c.want))
			}
		}
		// Renamed: found by the new name only.
		saved.FullName = "Trần Văn Quýt"
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.SaveMembers([]*domain.Member{saved}) }); err != nil {
			t.Fatal(err)
		}
		if got := search("quyt", root); !slices.Equal(got, []string{"Trần Văn Quýt"}) || count("quyt") != 1 {
			t.Errorf("renamed: %q", got)
		}
		if got := search("zet", root); len(got) != 0 || count("zet") != 0 {
			t.Errorf("the old name still found: %q", got)
		}
		// The page reads the dictionary on PostgreSQL.
		plan, err := st.ExplainMemberList(ctx, store.MemberListQuery{Filter: store.MemberFilter{UnitPath: root.Path, Q: "le thi x"}})
		if err != nil {
			t.Fatal(err)
		}
		if st.Engine() == store.Postgres && !strings.Contains(plan, "member_names") {
			t.Errorf("the page does not read the names' dictionary:\n%s", plan)
		}
	})
}

// A name search's pages keep the list's order, name key then id (members
// of one name in id order), forward, descending and backward, with the
// other filters and in subtrees, on both engines: on PostgreSQL they are
// read through the names' dictionary, each name's members from the name
// index, merged page by page.
func TestMemberSearchPagesInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := makeListWorld(t, st)
		// Namesakes, in several units: one name's members in id order.
		var more []*domain.Member
		for i, name := range []string{"Lê Thị An", "Trần Văn An", "Lê Thị An", "Bùi Văn Bình", "Lê Thị An", "Lê Thị Án"} {
			m := *w.members[i]
			m.NationalID, m.FullName = fmt.Sprintf("0020%08d", i), name
			m.UnitCode = []string{"G1", "G2", "G3"}[i%3]
			m.UnitID = w.units[m.UnitCode].ID
			more = append(more, &m)
		}
		if err := st.Write(ctx, func(tx *store.Tx) error { return tx.SaveMembers(more) }); err != nil {
			t.Fatal(err)
		}
		all := append(slices.Clone(w.members), more...)
		ids := map[string]int64{}
		for _, r := range pageAll(t, st, store.MemberListQuery{Filter: store.MemberFilter{}}, 50) {
			ids[r.NationalID] = r.ID
		}
		key := func(r *store.MemberRecord) string { return r.NationalID }
		// The names read from the dictionary's trigram index, or by
		// walking it in order (PostgreSQL).
		for _, share := range []float64{2, 0} {
			restore := store.SetDenseShare(share)
			t.Run(fmt.Sprintf("dense share %v", share), func(t *testing.T) { checkSearchPages(t, st, w, all, ids, key) })
			restore()
		}
	})
}

func checkSearchPages(t *testing.T, st *store.Store, w *listWorld, all []*domain.Member, ids map[string]int64, key func(*store.MemberRecord) string) {
	ctx := context.Background()
	asOf := domain.NewDate(2024, 1, 1)
	under := map[string][]string{"R": {"G1", "G2", "G3"}, "U": {"G1", "G2"}, "G3": {"G3"}}
	{
		for _, q := range []string{"an", "van", "thi a", "binh", "le thi an"} {
			for _, unit := range []string{"R", "U", "G3"} {
				for _, fl := range []struct {
					name string
					f    store.MemberFilter
					keep func(*domain.Member) bool
				}{
					{"all", store.MemberFilter{}, func(*domain.Member) bool { return true }},
					{"active", store.MemberFilter{Status: store.StatusActive, AsOf: asOf},
						func(m *domain.Member) bool { return m.JoinedOn <= asOf && (m.LeftOn.IsZero() || m.LeftOn > asOf) }},
					{"female", store.MemberFilter{Gender: "female"}, func(m *domain.Member) bool { return m.Gender == "female" }},
				} {
					var exp []*domain.Member
					for _, m := range all {
						if slices.Contains(under[unit], m.UnitCode) && vnFoldHas(m.FullName, q) && fl.keep(m) {
							exp = append(exp, m)
						}
					}
					slices.SortFunc(exp, func(a, b *domain.Member) int {
						if c := bytes.Compare(vn.NameKey(a.FullName), vn.NameKey(b.FullName)); c != 0 {
							return c
						}
						return int(ids[a.NationalID] - ids[b.NationalID])
					})
					want := make([]string, len(exp))
					for i, m := range exp {
						want[i] = m.NationalID
					}
					f := fl.f
					f.UnitPath, f.Q = w.units[unit].Path, q
					name := fmt.Sprintf("%q in %s, %s", q, unit, fl.name)
					for _, n := range []int{1, 2} {
						got := pageAll(t, st, store.MemberListQuery{Filter: f}, n)
						if ks := mapKeys(got, key); !slices.Equal(ks, want) {
							t.Errorf("%s, pages of %d:\n got %q\nwant %q", name, n, ks, want)
						}
					}
					rev := slices.Clone(want)
					slices.Reverse(rev)
					if ks := mapKeys(pageAll(t, st, store.MemberListQuery{Filter: f, Desc: true}, 2), key); !slices.Equal(ks, rev) {
						t.Errorf("%s, descending:\n got %q\nwant %q", name, ks, rev)
					}
					// Backward from the third row: the first two.
					if len(want) >= 3 {
						p, err := st.MemberList(ctx, store.MemberListQuery{Filter: f, Limit: 3})
						if err != nil {
							t.Fatal(err)
						}
						back, err := st.MemberList(ctx, store.MemberListQuery{Filter: f, Limit: 5, After: &p.Cursors[2], Backward: true})
						if err != nil {
							t.Fatal(err)
						}
						if ks := mapKeys(back.Members, key); !slices.Equal(ks, want[:2]) || back.More {
							t.Errorf("%s, backward from the third: %q (more %v), want %q", name, ks, back.More, want[:2])
						}
					}
					if n, err := st.CountMembers(ctx, f, 1000); err != nil || n != len(want) {
						t.Errorf("%s: count %d (%v), want %d", name, n, err, len(want))
					}
					plan, err := st.ExplainMemberList(ctx, store.MemberListQuery{Filter: f, Limit: 2})
					if err != nil || st.Engine() == store.Postgres && !strings.Contains(plan, "member_names") {
						t.Errorf("%s: the page does not read the names' dictionary (%v):\n%s", name, err, plan)
					}
				}
			}
		}
	}
}

func mapKeys(rs []*store.MemberRecord, key func(*store.MemberRecord) string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = key(r)
	}
	return out
}
