package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// waitFor polls cond every 50 ms until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// importUnit imports one federation, as a units.csv of one row would.
func importUnit(t *testing.T, st *store.Store, code, name string) {
	t.Helper()
	rows := [][]string{{code, name, "", "federation"}}
	if _, err := (&importer.Importer{Store: st}).Rows(context.Background(), "units", "units.csv", []string{"code", "name", "parent_code", "kind"}, rows); err != nil {
		t.Fatal(err)
	}
}

// A real streaming replica (pg_basebackup -R) serves the reads of
// reports, lists and searches; a context marked WithPrimary reads the
// primary; a replica that lags past MaxLag, or dies, hands its reads back
// to the primary without a failed read.
func TestReadReplica(t *testing.T) {
	start := time.Now()
	rc := storetest.Replica(t)
	ctx := context.Background()
	url := storetest.URL(t, store.Postgres)
	st, err := store.OpenWith(ctx, url, store.Options{Replicas: []string{rc.URL(url)}, MaxLag: 4 * time.Second, CheckEvery: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	up := func() bool { return st.Replicas()[0].Up }
	t.Logf("replica ready after %s", time.Since(start).Round(time.Millisecond))
	// The new database reaches the replica once it has replayed the WAL
	// that other tests on the server wrote meanwhile.
	waitFor(t, 60*time.Second, "the replica is not in service", up)

	// A write on the primary shows on the replica.
	importUnit(t, st, "R", "Liên đoàn")
	replica := storetest.RawPG(t, rc.URL(url))
	waitFor(t, 60*time.Second, "the unit written on the primary is not on the replica", func() bool {
		var n int
		return replica.QueryRow(`SELECT COUNT(*) FROM units WHERE code = 'R'`).Scan(&n) == nil && n == 1
	})
	var standby bool
	if err := replica.QueryRow(`SELECT pg_is_in_recovery()`).Scan(&standby); err != nil || !standby {
		t.Fatalf("the replica is not a standby: %v %v", standby, err)
	}

	// With replay paused the replica is stale: a read goes there and does
	// not see a new unit, the primary does.
	if _, err := replica.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	importUnit(t, st, "R2", "Liên đoàn 2")
	if _, err := st.Unit(ctx, "R2"); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("a read on the paused replica found the new unit: %v (reads do not go to the replica)", err)
	}
	if _, err := st.Unit(store.WithPrimary(ctx), "R2"); err != nil {
		t.Errorf("a read marked WithPrimary: %v", err)
	}
	// Past MaxLag the replica leaves service and reads see the primary.
	waitFor(t, 30*time.Second, "a replica lagging past MaxLag stays in service", func() bool { return !up() })
	if p := st.Replicas()[0].Problem; !strings.Contains(p, "lag") {
		t.Errorf("problem of the lagging replica: %q", p)
	}
	if _, err := st.Unit(ctx, "R2"); err != nil {
		t.Errorf("read while the replica lags: %v", err)
	}
	if _, err := replica.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 60*time.Second, "the replica caught up is not back in service", func() bool {
		var n int
		return up() && replica.QueryRow(`SELECT COUNT(*) FROM units WHERE code = 'R2'`).Scan(&n) == nil && n == 1
	})
	if lag := st.Replicas()[0].Lag; lag < 0 || lag > 4*time.Second {
		t.Errorf("lag of the replica in service: %s", lag)
	}
	if _, err := st.Unit(ctx, "R2"); err != nil {
		t.Errorf("read on the replica caught up: %v", err)
	}

	// Killed: the very next reads, before any check notices, still answer.
	replica.Close()
	rc.Kill()
	for i := range 20 {
		if _, err := st.Unit(ctx, "R2"); err != nil {
			t.Fatalf("read %d after the replica died: %v", i, err)
		}
		if _, err := st.UpperUnits(ctx, "/"); err != nil {
			t.Fatalf("list %d after the replica died: %v", i, err)
		}
	}
	waitFor(t, 10*time.Second, "a dead replica stays in service", func() bool { return !up() })
	if p := st.Replicas()[0].Problem; p == "" {
		t.Errorf("no problem given for the dead replica")
	}
}

// A replica that does not answer at start-up is an error with
// RequireReplicas, a replica out of service without it.
func TestReplicaDownAtStart(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t, store.Postgres)
	dead := "postgres://postgres:postgres@127.0.0.1:1/none"
	if _, err := store.OpenWith(ctx, url, store.Options{Replicas: []string{dead}, RequireReplicas: true}); err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("required replica down: %v", err)
	}
	st, err := store.OpenWith(ctx, url, store.Options{Replicas: []string{dead}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if r := st.Replicas(); len(r) != 1 || r[0].Up || r[0].Problem == "" {
		t.Errorf("replicas: %+v", r)
	}
	if _, err := st.IsEmpty(ctx); err != nil {
		t.Errorf("read with the replica down: %v", err)
	}
	if st.ReadYourWrites() <= 0 {
		t.Error("no read-your-writes window with a replica")
	}
	// SQLite has no replicas.
	if _, err := store.OpenWith(ctx, storetest.URL(t, store.SQLite), store.Options{Replicas: []string{dead}}); err == nil {
		t.Error("SQLite with a replica opened")
	}
}
