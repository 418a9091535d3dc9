package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"congdoan/internal/importer"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

const batchSize = 25

// loadFixture imports the web tests' units, members, plans and targets.
func loadFixture(t *testing.T, st *store.Store) {
	t.Helper()
	for _, kind := range []string{"units", "members", "plans", "targets"} {
		p := filepath.Join("..", "web", "testdata", kind+".csv")
		if _, err := (&importer.Importer{Store: st}).File(context.Background(), kind, p, kind+".csv"); err != nil {
			t.Fatalf("import %s: %v", kind, err)
		}
	}
}

// importBatch imports the i-th batch of new members: batchSize members,
// joining on a day of 2022 that depends on i, in two grassroots units.
func importBatch(ctx context.Context, st *store.Store, dir string, i int) error {
	var b strings.Builder
	b.WriteString("national_id,full_name,date_of_birth,gender,unit_code,joined_on\n")
	for j := range batchSize {
		unit := "CG-A"
		if j%2 == 1 {
			unit = "BD-C"
		}
		fmt.Fprintf(&b, "0011950%05d,Người %d-%d,1995-01-01,female,%s,2022-%02d-%02d\n", i*batchSize+j, i, j, unit, 3+i%10, 1+j%28)
	}
	p := filepath.Join(dir, fmt.Sprintf("batch%d.csv", i))
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		return err
	}
	_, err := (&importer.Importer{Store: st}).File(ctx, "members", p, filepath.Base(p))
	return err
}

// reports computes the reports compared between a database and its
// restored copy: a few units on a few dates.
func reports(t *testing.T, st *store.Store) string {
	t.Helper()
	var out strings.Builder
	for _, unit := range []string{"HN", "HN-CG", "HN-BD"} {
		for _, asOf := range []string{"2022-03-31", "2022-06-30", "2022-09-30", "2022-12-31"} {
			rep, err := report.Build(context.Background(), st, report.Request{Plan: "HN-2022", Unit: unit, AsOf: asOf})
			if err != nil {
				t.Fatalf("report %s %s: %v", unit, asOf, err)
			}
			b, _ := json.Marshal(rep)
			fmt.Fprintf(&out, "%s %s %s\n", unit, asOf, b)
		}
	}
	return out.String()
}

// A backup taken while imports run is one consistent state: restored, it
// holds a whole number of imports, and every report equals that of a
// database given the same imports. A restore refuses a database that holds
// records.
func TestBackupDuringWritesRestores(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := storetest.Open(t, store.SQLite)
	loadFixture(t, st)
	base := reports(t, st)

	var done atomic.Int64
	stop := make(chan struct{})
	writes := make(chan error, 1)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				writes <- nil
				return
			default:
			}
			if err := importBatch(ctx, st, dir, i); err != nil {
				writes <- err
				return
			}
			done.Add(1)
		}
	}()
	for done.Load() < 3 {
		if len(writes) > 0 {
			t.Fatal(<-writes)
		}
	}
	backup := filepath.Join(dir, "backup.db")
	before := done.Load()
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	after := done.Load()
	for done.Load() < after+2 {
		if len(writes) > 0 {
			t.Fatal(<-writes)
		}
	}
	close(stop)
	if err := <-writes; err != nil {
		t.Fatal(err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, ".backup.db.*")); len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}

	// Restore into a new database.
	target := filepath.Join(dir, "restored.db")
	if err := store.Restore(ctx, "sqlite:"+target, backup); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(ctx, "sqlite:"+target)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	got := reports(t, restored)
	if got == base {
		t.Fatal("the backup holds none of the imports made before it")
	}

	// The reference: the fixture and the same number of batches.
	fresh := storetest.Open(t, store.SQLite)
	loadFixture(t, fresh)
	var want string
	var n int64
	for n = 0; n <= after+1; n++ {
		if n >= before {
			if want = reports(t, fresh); want == got {
				break
			}
		}
		if err := importBatch(ctx, fresh, dir, int(n)); err != nil {
			t.Fatal(err)
		}
	}
	if want != got {
		t.Fatalf("the restored reports match no whole number of imports between %d and %d", before, after)
	}
	t.Logf("the backup holds %d whole imports (%d done when it started, %d when it ended)", n, before, after)

	// Restoring into a database that holds records refuses.
	if err := store.Restore(ctx, "sqlite:"+target, backup); !errors.Is(err, store.ErrNotEmpty) {
		t.Errorf("restore into a full database: %v", err)
	}
	// Restoring something else refuses.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("not a database"), 0o644)
	if err := store.Restore(ctx, "sqlite:"+filepath.Join(dir, "other.db"), junk); err == nil {
		t.Error("restored a file that is no backup")
	}
	// A backup to a folder that does not exist fails and leaves nothing.
	if err := st.Backup(ctx, filepath.Join(dir, "nope", "b.db")); err == nil {
		t.Error("backup into a missing folder")
	}
}

// On PostgreSQL backup runs pg_dump and restore pg_restore, into an empty
// database; the reports come back the same.
func TestBackupPostgres(t *testing.T) {
	if _, err := exec.LookPath("pg_dump"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pg_dump is not installed")
		}
		t.Skip("no pg_dump")
	}
	ctx := context.Background()
	st := storetest.Open(t, store.Postgres)
	loadFixture(t, st)
	if err := importBatch(ctx, st, t.TempDir(), 1); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "congdoan.dump")
	if err := st.Backup(ctx, file); err != nil {
		t.Fatal(err)
	}
	target := storetest.URL(t, store.Postgres)
	if err := store.Restore(ctx, target, file); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if got, want := reports(t, restored), reports(t, st); got != want {
		t.Errorf("restored reports differ:\n%s\nwant\n%s", got, want)
	}
	if err := store.Restore(ctx, target, file); !errors.Is(err, store.ErrNotEmpty) {
		t.Errorf("restore into a full database: %v", err)
	}
}
