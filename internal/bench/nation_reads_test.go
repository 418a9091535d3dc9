package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/web"
)

// National-scale reads: the reports, a country-wide name
// search and the gap list, on a PostgreSQL database loaded with this
// package's data set at any size (11 million members for the nation),
// named by CONGDOAN_BENCH_NATION_DSN; skipped without it. The data set's
// root (HN) stands for the nation, its largest upper unit for a province
// and a grassroots union of it for a ward. Each benchmark logs the plans
// of its reads (EXPLAIN) and fails if one reads the members table from
// end to end: in a plan, or in the database's own count of sequential
// scans of members over the whole run (pg_stat_user_tables, flushed when
// the benchmark's connections close).

// nationEnv is a benchmark's store on the nation's database, and its
// HTTP server (the real handler) with a token of an administrator of the
// root.
type nationEnv struct {
	dsn   string
	st    *store.Store
	srv   *httptest.Server
	token string
	root  *domain.Unit
	scans map[string]int64 // sequential scans of the tables at the start
}

func openNation(b *testing.B) *nationEnv {
	b.Helper()
	dsn := os.Getenv("CONGDOAN_BENCH_NATION_DSN")
	if dsn == "" {
		b.Skip("set CONGDOAN_BENCH_NATION_DSN to a PostgreSQL database loaded with the bench data set")
	}
	ctx := context.Background()
	n := &nationEnv{dsn: dsn, scans: seqScans(b, dsn)}
	var err error
	if n.st, err = store.Open(ctx, dsn); err != nil {
		b.Fatal(err)
	}
	if n.root, err = n.st.Unit(ctx, RootCode); err != nil {
		b.Fatal(err)
	}
	// A user of its own, added once and kept: its tokens are made anew.
	const user = "bench-nation"
	addErr := n.st.AddUser(ctx, "bench", user, "Bench-nation-2024-reads!", "admin", RootCode)
	if n.token, err = n.st.NewToken(ctx, "bench", user); err != nil {
		b.Fatalf("a token of %s: %v (adding the user: %v)", user, err, addErr)
	}
	n.srv = httptest.NewServer((&web.Server{Store: n.st}).Handler())
	return n
}

// close ends the benchmark's connections (PostgreSQL then counts their
// scans) and fails the benchmark if a sequential scan of members was
// counted since openNation.
func (n *nationEnv) close(b *testing.B) {
	b.Helper()
	n.srv.Close()
	n.st.Close()
	after := seqScans(b, n.dsn)
	var line []string
	for _, t := range []string{"members", "enterprises", "units", "unit_day", "gap_day"} {
		line = append(line, fmt.Sprintf("%s %d", t, after[t]-n.scans[t]))
	}
	b.Logf("sequential scans during the run: %s", strings.Join(line, ", "))
	// (A table of a few rows is read whole whatever its indexes.)
	if after["members"] > n.scans["members"] && n.members(b) > 10_000 {
		b.Errorf("%d sequential scans of members", after["members"]-n.scans["members"])
	}
}

// members counts the members roughly (the planner's statistics).
func (n *nationEnv) members(b *testing.B) int64 {
	db, err := sql.Open("pgx", n.dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var c int64
	if err := db.QueryRow(`SELECT reltuples::bigint FROM pg_class WHERE relname = 'members'`).Scan(&c); err != nil {
		b.Fatal(err)
	}
	return c
}

// seqScans counts the sequential scans of each table so far.
func seqScans(b *testing.B, dsn string) map[string]int64 {
	b.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT relname, seq_scan FROM pg_stat_user_tables`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var t string
		var n int64
		if err := rows.Scan(&t, &n); err != nil {
			b.Fatal(err)
		}
		out[t] = n
	}
	return out
}

// get fetches an API path with the token; anything but 200 fails.
func (n *nationEnv) get(b *testing.B, path string) []byte {
	req, err := http.NewRequest("GET", n.srv.URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+n.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d %.300s (%v)", path, resp.StatusCode, body, err)
	}
	return body
}

// benchGet measures GET path as the sub-benchmark name.
func (n *nationEnv) benchGet(b *testing.B, name, path string) {
	b.Run(name, func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			n.get(b, path)
		}
	})
}

// keyLines keeps the lines of a plan that say how each table is read.
func keyLines(plan string) string {
	var out []string
	for _, l := range strings.Split(plan, "\n") {
		t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "->"))
		if strings.Contains(t, " Scan") || strings.HasPrefix(t, "SCAN") || strings.HasPrefix(t, "SEARCH") || strings.HasPrefix(t, "Limit") {
			if i := strings.Index(t, "  (cost="); i > 0 {
				t = t[:i]
			}
			out = append(out, "    "+t)
		}
	}
	return strings.Join(out, "\n")
}

// province is the root's child with the most grassroots units below it,
// and ward the grassroots union of it with the most members.
func (n *nationEnv) provinceAndWard(b *testing.B) (province, ward string) {
	b.Helper()
	db, err := sql.Open("pgx", n.dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	err = db.QueryRow(`SELECT p.code FROM units p JOIN units g ON g.parent_id = p.id
		WHERE p.parent_id = $1 AND g.kind = 'grassroots' GROUP BY p.code ORDER BY COUNT(*) DESC, p.code LIMIT 1`, n.root.ID).Scan(&province)
	if err != nil {
		b.Fatal(err)
	}
	err = db.QueryRow(`SELECT g.code FROM units g JOIN units p ON p.id = g.parent_id
		WHERE p.code = $1 AND g.kind = 'grassroots' ORDER BY (SELECT COUNT(*) FROM members m WHERE m.current_unit_id = g.id) DESC, g.code LIMIT 1`, province).Scan(&ward)
	if err != nil {
		b.Fatal(err)
	}
	return province, ward
}

// BenchmarkNationReport: GET /api/v1/report for the nation, a province
// and a ward (plan HN-2022 as of 2022-07-08). Targets: the
// nation under 50 ms, a province and a ward under 20 ms.
func BenchmarkNationReport(b *testing.B) {
	n := openNation(b)
	defer n.close(b)
	ctx := context.Background()
	province, ward := n.provinceAndWard(b)
	day := AsOfDate()
	for _, c := range []struct{ name, code string }{{"nation", RootCode}, {"province", province}, {"ward", ward}} {
		u, err := n.st.Unit(ctx, c.code)
		if err != nil {
			b.Fatal(err)
		}
		plan, err := n.st.ExplainGapTotals(ctx, u.Path, day)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s (%s): the gap count's plan:\n%s", c.name, c.code, keyLines(plan))
		if fullScan(plan) {
			b.Errorf("%s: the gap count reads every member", c.name)
		}
		// The units founded in the plan's window: the costly read of a
		// national report (one row per union founded).
		p, err := n.st.Plan(ctx, PlanCode)
		if err != nil {
			b.Fatal(err)
		}
		if plan, err = n.st.ExplainReportFounded(ctx, u, p.Start, min(day, p.End)); err != nil {
			b.Fatal(err)
		}
		b.Logf("%s (%s): the units founded's plan:\n%s", c.name, c.code, keyLines(plan))
		if fullScan(plan) {
			b.Errorf("%s: the units founded read every member", c.name)
		}
		path := "/api/v1/report?" + url.Values{"plan": {PlanCode}, "unit": {c.code}, "as_of": {AsOf}}.Encode()
		n.get(b, path)
		n.benchGet(b, c.name, path)
	}
}

// BenchmarkNationSearch: a name search typed without diacritics,
// country-wide and in a province, through the API (GET /api/v1/members:
// its count, up to 1 000, and its page) and the members page (GET
// /members: the same, as HTML): one person's full name, a rare full name,
// a family and middle name, a common family and middle name with a
// letter, a given name alone, three letters, the page after the first of
// a common name, and two searches within a province. Target: under 200 ms.
func BenchmarkNationSearch(b *testing.B) {
	n := openNation(b)
	defer n.close(b)
	ctx := context.Background()
	var someone string
	db, err := sql.Open("pgx", n.dsn)
	if err != nil {
		b.Fatal(err)
	}
	err = db.QueryRow(`SELECT name_folded FROM members WHERE id = (SELECT MAX(id) / 2 FROM members)`).Scan(&someone)
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	province, _ := n.provinceAndWard(b)
	pu, err := n.st.Unit(ctx, province)
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, unit, q string
		later         bool // the page after the first
	}{
		{"one-person", RootCode, someone, false},
		{"rare-full", RootCode, "phan manh dung", false},
		{"family-middle", RootCode, "luong van", false},
		{"common", RootCode, "nguyen thi h", false},
		{"given", RootCode, "dung", false},
		{"3-letters", RootCode, "anh", false},
		{"later-page", RootCode, "nguyen van", true},
		{"province-common", province, "nguyen van", false},
		{"province-rare", province, "luong van", false},
	}
	for _, c := range cases {
		path := pu.Path
		if c.unit == RootCode {
			path = n.root.Path
		}
		f := store.MemberFilter{UnitPath: path, Q: c.q, MatchID: true, AsOf: domain.Today()}
		q := store.MemberListQuery{Filter: f, Sort: store.SortName, Limit: 50}
		v := url.Values{"unit": {c.unit}, "q": {c.q}, "limit": {"50"}}
		if c.later {
			p, err := n.st.MemberList(ctx, q)
			if err != nil || !p.More {
				b.Fatalf("%s: no second page (%v)", c.name, err)
			}
			last := p.Cursors[len(p.Cursors)-1]
			q.After = &last
			v.Set("after", last.Encode())
		}
		plan, err := n.st.ExplainMemberList(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		count, err := n.st.CountMemberList(ctx, store.MemberFilter{UnitPath: path, Q: c.q, MatchID: true, Status: store.StatusActive, AsOf: domain.Today()}, 0)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s (%q in %s, %d or more active): the page's plan:\n%s", c.name, c.q, c.unit, count.N, keyLines(plan))
		if fullScan(plan) {
			b.Errorf("%s: the page reads every member:\n%s", c.name, plan)
		}
		api := "/api/v1/members?" + v.Encode()
		if body := n.get(b, api); !strings.Contains(string(body), `"national_id"`) {
			b.Fatalf("%s: no member found: %.300s", c.name, body)
		}
		page := "/members?" + url.Values{"unit": {c.unit}, "q": {c.q}}.Encode()
		if c.later {
			page += "&after=" + url.QueryEscape(v.Get("after")) + "&n=50"
		}
		if body := n.get(b, page); !strings.Contains(string(body), `id="member-count"`) {
			b.Fatalf("%s: not the members page: %.300s", c.name, body)
		}
		// The API's request (its count, up to 1 000, and its page), and
		// the members page's.
		n.benchGet(b, c.name+"/api", api)
		n.benchGet(b, c.name+"/page", page)
	}
}

// BenchmarkNationGapList: what the gap list's first page reads (25
// workers or more, no open union), for the nation's subtree and a
// province's: its figures, its first 50 rows by keyset, and the areas of
// its filter. Target: under 100 ms with a million enterprises.
func BenchmarkNationGapList(b *testing.B) {
	n := openNation(b)
	defer n.close(b)
	ctx := context.Background()
	// The root's child with the most enterprises, and the one with the
	// fewest (maybe none): a page that walked the whole list's order to
	// find the latter's rows would read all of it.
	var province, sparse string
	db, err := sql.Open("pgx", n.dsn)
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range []struct {
		code  *string
		order string
	}{{&province, "DESC"}, {&sparse, "ASC"}} {
		err = db.QueryRow(`SELECT p.code FROM units p LEFT JOIN units r ON r.path >= p.path AND r.path < p.path || '~'
			LEFT JOIN enterprises e ON e.unit_id = r.id WHERE p.parent_id = $1 GROUP BY p.code ORDER BY COUNT(e.tax_code) `+p.order+`, p.code LIMIT 1`, n.root.ID).Scan(p.code)
		if err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	for _, c := range []struct{ name, code string }{{"nation", RootCode}, {"province", province}, {"sparse-province", sparse}} {
		u, err := n.st.Unit(ctx, c.code)
		if err != nil {
			b.Fatal(err)
		}
		f := store.EnterpriseFilter{UnitPath: u.Path, MinEmployees: domain.GapMinWorkers, Union: "without", AsOf: domain.Today()}
		q := store.EnterprisePageQuery{Filter: f, Limit: 50}
		plan, err := n.st.ExplainEnterprisePage(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		totals, err := n.st.ExplainGapTotals(ctx, f.UnitPath, f.AsOf)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("%s (%s): the first page's plan:\n%s\nthe figures' plan:\n%s", c.name, c.code, keyLines(plan), keyLines(totals))
		if fullScan(plan) || fullScan(totals) {
			b.Errorf("%s: the gap list reads every member", c.name)
		}
		b.Run(c.name, func(b *testing.B) {
			var count int64
			for i := 0; i < b.N; i++ {
				var err error
				if count, _, _, err = n.st.EnterpriseTotals(ctx, f); err != nil {
					b.Fatal(err)
				}
				rows, _, err := n.st.EnterprisePage(ctx, q)
				if err != nil || len(rows) == 0 && count > 0 {
					b.Fatalf("first page: %d rows of %d (%v)", len(rows), count, err)
				}
				if _, err := n.st.EnterpriseAreas(ctx, f.UnitPath, 500); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(count), "enterprises")
		})
	}
}
