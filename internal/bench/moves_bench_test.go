package bench

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// writeMoves writes a moves file that puts every grassroots unit open on
// day (and founded before it) under the next district in code order, and
// returns how many rows it wrote.
func writeMoves(b *testing.B, st *store.Store, day domain.Date, path string) int {
	b.Helper()
	ctx := context.Background()
	root, err := st.Unit(ctx, RootCode)
	if err != nil {
		b.Fatal(err)
	}
	uppers, err := st.UpperUnits(ctx, root.Path)
	if err != nil {
		b.Fatal(err)
	}
	var districts []*domain.Unit
	for _, u := range uppers {
		if u.ParentID == root.ID {
			districts = append(districts, u)
		}
	}
	next := map[int64]string{}
	for i, d := range districts {
		next[d.ID] = districts[(i+1)%len(districts)].Code
	}
	units, err := st.GrassrootsUnits(ctx, root.Path, day, 1_000_000)
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"code", "new_parent_code", "moved_on", "decision_no"})
	n := 0
	for _, u := range units {
		p, ok := next[u.ParentID]
		if !ok || u.FoundedOn >= day || !u.OpenOn(day) {
			continue
		}
		w.Write([]string{u.Code, p, day.String(), "1/QĐ-BENCH"})
		n++
	}
	w.Flush()
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkMoveGrassroots times the import of one moves file that moves
// every grassroots unit of the city under another district on one day,
// into a database holding the whole data set: the reorganisation of 2025
// at Hanoi scale. Run it with BenchmarkImportMembers for the ratio the
// issue asks for. A move between two districts must leave the city's
// report as it was, which the benchmark checks.
func BenchmarkMoveGrassroots(b *testing.B) {
	for _, day := range []string{"2022-03-01", "2022-07-08"} {
		for _, e := range storetest.Engines {
			b.Run(day+"/"+string(e), func(b *testing.B) {
				ds := benchData(b)
				ctx := context.Background()
				d, _ := domain.ParseDate(day)
				var rows int
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					st, url := freshStore(b, e, ds, len(ImportOrder))
					path := filepath.Join(b.TempDir(), "moves.csv")
					rows = writeMoves(b, st, d, path)
					req := report.Request{Plan: PlanCode, Unit: RootCode, AsOf: AsOf}
					before, err := report.Build(ctx, st, req)
					if err != nil {
						b.Fatal(err)
					}
					im := &importer.Importer{Store: st, Today: AsOfDate()}
					checkpoint(b, url)
					b.StartTimer()
					if _, err := im.File(ctx, "moves", path, "moves.csv"); err != nil {
						b.Fatal(firstErrors(err))
					}
					b.StopTimer()
					after, err := report.Build(ctx, st, req)
					if err != nil {
						b.Fatal(err)
					}
					x, _ := json.Marshal(before.Indicators)
					y, _ := json.Marshal(after.Indicators)
					if string(x) != string(y) {
						b.Fatalf("moving units between districts changed the city's figures:\n%s\n%s", x, y)
					}
					st.Close()
				}
				b.ReportMetric(float64(rows), "units-moved")
			})
		}
	}
}

// checkpoint writes SQLite's write-ahead log into the database file, so that
// the timed write does not pay for the checkpoint of the imports before it
// (measured: up to 2 s of fsync at Hanoi scale, landing on whichever write
// commits first).
func checkpoint(b *testing.B, url string) {
	b.Helper()
	file, ok := strings.CutPrefix(url, "sqlite:")
	if !ok {
		return
	}
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
}
