package importer_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// auditWrites writes an audit entry (a login) every 10 ms until stop is
// closed, and gives the longest a write took, and how many got through.
func auditWrites(st *store.Store, stop chan struct{}) (worst func() (time.Duration, int, error)) {
	var wg sync.WaitGroup
	var longest time.Duration
	var n int
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			start := time.Now()
			err := st.Write(context.Background(), func(tx *store.Tx) error {
				return tx.Audit(store.AuditEntry{Actor: "lan", Action: "login"})
			})
			if err != nil {
				werr = err
				return
			}
			longest = max(longest, time.Since(start))
			n++
		}
	}()
	return func() (time.Duration, int, error) {
		wg.Wait()
		return longest, n, werr
	}
}

// TestUnitsImportDoesNotBlockWriters: a units XLSX of one unit and a
// million empty rows takes seconds to read; it is read before the writer
// is taken, so that logins and edits meanwhile wait no more than
// the short write at its end.
func TestUnitsImportDoesNotBlockWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: reads a million rows of XML")
	}
	path := filepath.Join(t.TempDir(), "empty.xlsx")
	writeXLSX(t, path, emptyRows(8, 1048576, false))
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		stop := make(chan struct{})
		wait := auditWrites(st, stop)
		start := time.Now()
		sum, err := newImporter(st).File(ctx, "units", path, "empty.xlsx")
		took := time.Since(start)
		close(stop)
		worst, n, werr := wait()
		t.Logf("%s: %d rows in %v; %d concurrent writes, the longest %v", st.Engine(), sum.Rows, took.Round(time.Millisecond), n, worst.Round(time.Millisecond))
		if err != nil || sum.Rows != 1 {
			t.Fatalf("got %d rows, %v; want the one unit", sum.Rows, err)
		}
		if werr != nil {
			t.Fatal(werr)
		}
		if n < 10 {
			t.Fatalf("only %d concurrent writes got through during a %v import", n, took)
		}
		// On a loaded machine a write may wait a while for the CPU; holding
		// the writer while reading would make it wait about the whole import.
		if limit := max(time.Second, took/4); worst > limit {
			t.Errorf("a concurrent write waited %v during a %v import (limit %v)", worst, took, limit)
		}
	})
}
