package bench

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// BenchmarkMemberList times pages of the member list at Hanoi scale, on
// both engines: the city's first page in name order, a page half way down
// the list (by keyset: as cheap as the first), a filtered page (women who
// joined in 2021, in the largest district), the first page of a name
// search, a grassroots union's page, and the list's total. The plan of
// each page is printed once (EXPLAIN), and a plan that reads the whole
// members table without an index fails the benchmark.
func BenchmarkMemberList(b *testing.B) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			st := loadedStore(b, e)
			ds := benchData(b)
			ctx := context.Background()
			root, err := st.Unit(ctx, RootCode)
			if err != nil {
				b.Fatal(err)
			}
			district, err := st.Unit(ctx, ds.Expected.District)
			if err != nil {
				b.Fatal(err)
			}
			union, err := firstGrassroots(ds)
			if err != nil {
				b.Fatal(err)
			}
			grass, err := st.Unit(ctx, union)
			if err != nil {
				b.Fatal(err)
			}
			asOf := AsOfDate()
			city := store.MemberFilter{UnitPath: root.Path, Status: store.StatusActive, AsOf: asOf}
			// The cursor half way down the city's list: found once by
			// walking pages of 500 (setup, not timed).
			mid := walkTo(b, st, store.MemberListQuery{Filter: city}, ds.Expected.Members/2)
			women := store.MemberFilter{UnitPath: district.Path, Status: store.StatusActive, AsOf: asOf, Gender: "female",
				JoinedFrom: domain.NewDate(2021, 1, 1), JoinedTo: domain.NewDate(2021, 12, 31)}
			cases := []struct {
				name string
				q    store.MemberListQuery
			}{
				{"first-page", store.MemberListQuery{Filter: city}},
				{"deep-page", store.MemberListQuery{Filter: city, After: &mid}},
				{"by-birth", store.MemberListQuery{Filter: city, Sort: store.SortBirth, Desc: true}},
				{"filtered", store.MemberListQuery{Filter: women}},
				{"search", store.MemberListQuery{Filter: store.MemberFilter{UnitPath: root.Path, Q: "nguyen thi h", MatchID: true}}},
				{"union", store.MemberListQuery{Filter: store.MemberFilter{UnitPath: grass.Path, Status: store.StatusActive, AsOf: asOf}}},
			}
			for _, c := range cases {
				c.q.Limit = 50
				plan, err := st.ExplainMemberList(ctx, c.q)
				if err != nil {
					b.Fatal(err)
				}
				fmt.Fprintf(os.Stderr, "bench: %s %s plan:\n%s", e, c.name, indent(plan))
				if fullScan(plan) {
					b.Errorf("%s: the page reads every member:\n%s", c.name, plan)
				}
				b.Run(c.name, func(b *testing.B) {
					for i := 0; i < b.N; i++ {
						p, err := st.MemberList(ctx, c.q)
						if err != nil {
							b.Fatal(err)
						}
						if len(p.Members) == 0 {
							b.Fatalf("%s: an empty page", c.name)
						}
					}
				})
			}
			for _, c := range []struct {
				name string
				f    store.MemberFilter
				id   int64
			}{{"count-city", city, root.ID}, {"count-filtered", women, district.ID},
				{"count-search", store.MemberFilter{UnitPath: root.Path, Q: "nguyen thi h", MatchID: true}, root.ID}} {
				b.Run(c.name, func(b *testing.B) {
					var n store.MemberCount
					for i := 0; i < b.N; i++ {
						if n, err = st.CountMemberList(ctx, c.f, c.id); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(n.N), "members")
				})
			}
		})
	}
}

// walkTo pages through a list until about n rows are behind, and returns
// the cursor there.
func walkTo(b *testing.B, st *store.Store, q store.MemberListQuery, n int) store.MemberCursor {
	b.Helper()
	q.Limit = 500
	var c store.MemberCursor
	for seen := 0; seen < n; {
		p, err := st.MemberList(context.Background(), q)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Members) == 0 {
			break
		}
		seen += len(p.Members)
		c = p.Cursors[len(p.Cursors)-1]
		q.After = &c
		if !p.More {
			break
		}
	}
	return c
}

// fullScan reports whether a plan reads the members table from end to end
// without an index (SQLite "SCAN m", PostgreSQL "Seq Scan on members").
func fullScan(plan string) bool {
	for _, line := range strings.Split(plan, "\n") {
		l := strings.TrimSpace(line)
		if l == "SCAN m" || strings.HasPrefix(l, "SCAN m ") && !strings.Contains(l, "INDEX") || strings.Contains(l, "Seq Scan on members") {
			return true
		}
	}
	return false
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ") + "\n"
}
