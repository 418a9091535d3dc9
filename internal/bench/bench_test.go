package bench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/importer"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// Benchmark sizes: CONGDOAN_BENCH_MEMBERS members (default 650,000, Hanoi
// in 2022) in CONGDOAN_BENCH_GRASSROOTS grassroots units (default 6,400,
// scaled down with the members for a quick run).
func benchSizes() (members, grassroots int) {
	members = envInt("CONGDOAN_BENCH_MEMBERS", 650_000)
	grassroots = envInt("CONGDOAN_BENCH_GRASSROOTS", max(60, int(int64(6_400)*int64(members)/650_000)))
	return members, grassroots
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// cleanups run after every test and benchmark of the process: the cached
// files and databases outlive any one benchmark.
var (
	cleanupMu sync.Mutex
	cleanups  []func()
)

func atExit(f func()) {
	cleanupMu.Lock()
	defer cleanupMu.Unlock()
	cleanups = append(cleanups, f)
}

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(code)
}

// The generated files, once per process.
var (
	dataOnce sync.Once
	dataSet  *DataSet
	dataErr  error
)

func benchData(b *testing.B) *DataSet {
	b.Helper()
	dataOnce.Do(func() {
		dir, err := os.MkdirTemp("", "congdoan-bench-")
		if err != nil {
			dataErr = err
			return
		}
		atExit(func() { os.RemoveAll(dir) })
		members, grassroots := benchSizes()
		start := time.Now()
		dataSet, dataErr = Generate(dir, members, grassroots)
		if dataErr == nil {
			var size int64
			for _, p := range dataSet.Files {
				if fi, err := os.Stat(p); err == nil {
					size += fi.Size()
				}
			}
			e := dataSet.Expected
			fmt.Fprintf(os.Stderr, "bench: generated %d members, %d grassroots units, %d enterprises, %d transfers (%.1f MB) in %v; "+
				"HN 2022-01-01..%s: admitted %d, net growth %d, unions founded %d, party introductions %d\n",
				members, grassroots, e.Enterprises, e.Transfers, float64(size)/1e6, time.Since(start).Round(time.Millisecond),
				AsOf, e.MembersAdmitted, e.MembersNetGrowth, e.UnionsFounded, e.PartyIntroductions)
		}
	})
	if dataErr != nil {
		b.Fatalf("generate: %v", dataErr)
	}
	return dataSet
}

// importSteps imports the steps of ImportOrder from index from up to (not
// including) to.
func importSteps(ctx context.Context, st *store.Store, ds *DataSet, from, to int) error {
	return importStepsMax(ctx, st, ds, from, to, 0)
}

// importStepsMax is importSteps with the importer's row cap set to
// maxRows (0: the default), as `congdoan import --max-rows` sets it.
func importStepsMax(ctx context.Context, st *store.Store, ds *DataSet, from, to, maxRows int) error {
	im := &importer.Importer{Store: st, Today: AsOfDate(), MaxRows: maxRows}
	for _, s := range ImportOrder[from:to] {
		if _, err := im.File(ctx, s.Kind, ds.Files[s.Key], filepath.Base(ds.Files[s.Key])); err != nil {
			return fmt.Errorf("import %s: %w", s.Key, firstErrors(err))
		}
	}
	return nil
}

// firstErrors keeps a validation error readable: its first ten rows.
func firstErrors(err error) error {
	if ve, ok := err.(*domain.ValidationError); ok && len(ve.Errors) > 10 {
		return fmt.Errorf("%w (%d rows; the first: %v)", err, len(ve.Errors), ve.Errors[:10])
	}
	return err
}

func stepIndex(key string) int {
	for i, s := range ImportOrder {
		if s.Key == key {
			return i
		}
	}
	panic("no step " + key)
}

// peakRSS resets the process's peak resident set (Linux: clear_refs 5) and
// returns a function that reads the peak since, in MB; 0 where unknown.
func peakRSS() func() float64 {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return func() float64 {
		b, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return 0
		}
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
		return 0
	}
}

// BenchmarkImportMembers times the import of members.csv into a fresh
// database that holds the units and enterprises.
func BenchmarkImportMembers(b *testing.B) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			ds := benchData(b)
			ctx := context.Background()
			members := stepIndex("members")
			b.ReportAllocs()
			var peak float64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st, url := freshStore(b, e, ds, members)
				checkpoint(b, url)
				readPeak := peakRSS()
				b.StartTimer()
				if err := importSteps(ctx, st, ds, members, members+1); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				peak = max(peak, readPeak())
				st.Close()
			}
			b.ReportMetric(float64(ds.Expected.Members)*float64(b.N)/b.Elapsed().Seconds(), "members/s")
			if peak > 0 {
				b.ReportMetric(peak, "peak-RSS-MB")
			}
		})
	}
}

// freshStore is a store of the engine on a new database, holding the
// first steps of the data set's imports; the caller closes it. url names
// the database.
func freshStore(b *testing.B, e store.Engine, ds *DataSet, steps int) (st *store.Store, url string) {
	b.Helper()
	ctx := context.Background()
	url = storetest.URL(b, e)
	st, err := store.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	if err := importSteps(ctx, st, ds, 0, steps); err != nil {
		b.Fatal(err)
	}
	return st, url
}

// loaded is a database holding a whole data set, shared by the report
// benchmarks of one engine.
type loaded struct {
	once sync.Once
	st   *store.Store
	err  error
	skip string
}

var loadedDBs = map[store.Engine]*loaded{store.SQLite: {}, store.Postgres: {}}

// benchURL names a database that lives until the process ends.
func benchURL(e store.Engine, dir string) (url, skip string, err error) {
	if e == store.SQLite {
		return "sqlite:" + filepath.Join(dir, "report.db"), "", nil
	}
	base := strings.TrimSuffix(os.Getenv("CONGDOAN_TEST_PG"), "/")
	if base == "" {
		return "", "PostgreSQL skipped: set CONGDOAN_TEST_PG=postgres://user:pass@host:port", nil
	}
	admin, err := sql.Open("pgx", base+"/postgres")
	if err != nil {
		return "", "", err
	}
	defer admin.Close()
	name := fmt.Sprintf("congdoan_bench_%d", os.Getpid())
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		return "", "PostgreSQL skipped: " + err.Error(), nil
	}
	atExit(func() {
		if admin, err := sql.Open("pgx", base+"/postgres"); err == nil {
			admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			admin.Close()
		}
	})
	return base + "/" + name, "", nil
}

// loadedStore returns the engine's database with the whole data set,
// importing it on first use.
func loadedStore(b *testing.B, e store.Engine) *store.Store {
	b.Helper()
	ds := benchData(b)
	l := loadedDBs[e]
	l.once.Do(func() {
		url, skip, err := benchURL(e, ds.Dir)
		if skip != "" || err != nil {
			l.skip, l.err = skip, err
			return
		}
		ctx := context.Background()
		start := time.Now()
		if l.st, l.err = store.Open(ctx, url); l.err != nil {
			return
		}
		atExit(func() { l.st.Close() })
		l.err = importSteps(ctx, l.st, ds, 0, len(ImportOrder))
		fmt.Fprintf(os.Stderr, "bench: %s: imported the whole data set in %v\n", e, time.Since(start).Round(time.Millisecond))
	})
	if l.err != nil {
		b.Fatalf("%s: %v", e, l.err)
	}
	if l.skip != "" {
		b.Skip(l.skip)
	}
	return l.st
}

func indicator(r *engine.Report, code string) int64 {
	for _, ind := range r.Indicators {
		if ind.Code == code {
			return ind.Actual
		}
	}
	return -1
}

// benchReport times report.Build for req on each engine, after checking
// members_admitted once against what the generator wrote.
func benchReport(b *testing.B, req func(*DataSet) report.Request, want func(*Expected) int64) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			st := loadedStore(b, e)
			ds := benchData(b)
			ctx := context.Background()
			rq := req(ds)
			r, err := report.Build(ctx, st, rq)
			if err != nil {
				b.Fatal(err)
			}
			if got, w := indicator(r, domain.MembersAdmitted), want(&ds.Expected); got != w {
				b.Fatalf("members_admitted = %d, the generator wrote %d", got, w)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := report.Build(ctx, st, rq); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRootReport: plan HN-2022, unit HN, as of 2022-07-08.
func BenchmarkRootReport(b *testing.B) {
	benchReport(b, func(*DataSet) report.Request {
		return report.Request{Plan: PlanCode, Unit: RootCode, AsOf: AsOf}
	}, func(e *Expected) int64 { return e.MembersAdmitted })
}

// BenchmarkDistrictReport: the same for the district with the most units.
func BenchmarkDistrictReport(b *testing.B) {
	benchReport(b, func(ds *DataSet) report.Request {
		return report.Request{Plan: PlanCode, Unit: ds.Expected.District, AsOf: AsOf}
	}, func(e *Expected) int64 { return e.DistrictAdmitted })
}

// BenchmarkCampaignReport: the root report of campaign HN-2022-D1.
func BenchmarkCampaignReport(b *testing.B) {
	benchReport(b, func(*DataSet) report.Request {
		return report.Request{Plan: PlanCode, Unit: RootCode, AsOf: AsOf, Campaign: Campaign1}
	}, func(e *Expected) int64 { return e.Campaign1Admitted })
}

// TestGeneratedDataImports proves the generator keeps the rules of docs/import-formats.md:
// a small data set imports without a rejected row, and the reports find
// what the generator counted.
func TestGeneratedDataImports(t *testing.T) {
	ds, err := Generate(t.TempDir(), 3000, 60)
	if err != nil {
		t.Fatal(err)
	}
	exp := ds.Expected
	if exp.MembersAdmitted == 0 || exp.UnionsFounded == 0 || exp.Transfers == 0 || exp.PartyIntroductions == 0 {
		t.Fatalf("a data set with nothing to report: %+v", exp)
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if err := importSteps(ctx, st, ds, 0, len(ImportOrder)); err != nil {
			t.Fatal(err)
		}
		checks := []struct {
			req  report.Request
			code string
			want int64
		}{
			{report.Request{Plan: PlanCode, AsOf: AsOf}, domain.MembersAdmitted, exp.MembersAdmitted},
			{report.Request{Plan: PlanCode, AsOf: AsOf}, domain.MembersNetGrowth, exp.MembersNetGrowth},
			{report.Request{Plan: PlanCode, AsOf: AsOf}, domain.UnionsFounded, exp.UnionsFounded},
			{report.Request{Plan: PlanCode, AsOf: AsOf}, domain.PartyIntroductions, exp.PartyIntroductions},
			{report.Request{Plan: PlanCode, AsOf: AsOf, Campaign: Campaign1}, domain.MembersAdmitted, exp.Campaign1Admitted},
			{report.Request{Plan: PlanCode, Unit: exp.District, AsOf: AsOf}, domain.MembersAdmitted, exp.DistrictAdmitted},
		}
		for _, c := range checks {
			r, err := report.Build(ctx, st, c.req)
			if err != nil {
				t.Fatalf("%+v: %v", c.req, err)
			}
			if got := indicator(r, c.code); got != c.want {
				t.Errorf("%+v: %s = %d, the generator wrote %d", c.req, c.code, got, c.want)
			}
		}
	})
}

// TestGeneratorIsDeterministic: the same sizes give the same bytes.
func TestGeneratorIsDeterministic(t *testing.T) {
	a, err := WriteHanoiScale(t.TempDir(), 800, 25)
	if err != nil {
		t.Fatal(err)
	}
	b, err := WriteHanoiScale(t.TempDir(), 800, 25)
	if err != nil {
		t.Fatal(err)
	}
	for key, p := range a {
		x, _ := os.ReadFile(p)
		y, _ := os.ReadFile(b[key])
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs (or is empty)", key)
		}
	}
}
