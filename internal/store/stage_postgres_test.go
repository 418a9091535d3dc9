package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// pgStageWorld opens a PostgreSQL store with units R > G and returns it,
// a plain connection to its database, G's id and a member of G.
func pgStageWorld(t *testing.T) (*store.Store, *sql.DB, int64, func(id string) *domain.Member) {
	t.Helper()
	url := storetest.URL(t, store.Postgres)
	st := storetest.OpenURL(t, url)
	g, member := store.PutRG(t, st)
	return st, storetest.RawPG(t, url), g.ID, member
}

// stageMembers stages members with the given IDs (rows 2, 3, ...), runs
// meanwhile (if any) in a write transaction, then commits the stage.
func stageMembers(t *testing.T, st *store.Store, member func(string) *domain.Member, meanwhile func(*store.Tx) error, ids ...string) error {
	t.Helper()
	ctx := context.Background()
	stage, err := st.NewStage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stage.Close()
	err = st.Read(ctx, func(tx *store.Tx) error {
		if err := tx.LoadUnits(); err != nil {
			return err
		}
		var ms []store.Staged[*domain.Member]
		for i, id := range ids {
			ms = append(ms, store.Staged[*domain.Member]{Line: i + 2, Rec: member(id)})
		}
		return stage.AddMembers(tx, ms)
	})
	if err != nil {
		t.Fatal(err)
	}
	if meanwhile != nil {
		if err := st.Write(ctx, meanwhile); err != nil {
			t.Fatal(err)
		}
	}
	return stage.Commit(ctx, func(*store.Tx) error { return nil })
}

// A member of the file admitted between the checks and the commit of an
// import fails the unique national ID: the import starts over and writes
// nothing.
func TestPostgresMergeRebuiltUniqueIsStale(t *testing.T) {
	st, db, _, member := pgStageWorld(t)
	err := stageMembers(t, st, member, func(tx *store.Tx) error { return tx.SaveMembers([]*domain.Member{member("B3")}) }, "B1", "B2", "B3")
	if !errors.Is(err, store.ErrStale) {
		t.Fatalf("commit: %v, want ErrStale", err)
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM members`).Scan(&n); err != nil || n != 1 {
		t.Errorf("members: %d, %v; want only B3", n, err)
	}
}

// The new counter keys of a merge go in with a plain INSERT; when another
// writer adds one of them meanwhile (here: while the merge waits for it),
// they go the ON CONFLICT way and both counts are kept.
func TestPostgresMergeCounterKeyAddedMeanwhile(t *testing.T) {
	st, db, g, member := pgStageWorld(t)
	ctx := context.Background()
	// Another writer adds G's counters of the members' joining day and
	// holds its transaction open.
	other, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback()
	if _, err := other.Exec(`INSERT INTO unit_day (unit_id, day, admitted, net, party) VALUES ($1, '2020-01-01', 10, 10, 0)`, g); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- stageMembers(t, st, member, nil, "C1", "C2") }()
	// Wait until the merge waits for that transaction, then commit it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var waiting int
		if err := db.QueryRow(`SELECT COUNT(*) FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the merge ended without waiting for the other writer: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the merge never waited for the other writer")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := other.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var admitted, net int
	if err := db.QueryRow(`SELECT admitted, net FROM unit_day WHERE unit_id = $1 AND day = '2020-01-01'`, g).Scan(&admitted, &net); err != nil {
		t.Fatal(err)
	}
	if admitted != 12 || net != 12 {
		t.Errorf("G on 2020-01-01: admitted %d, net %d; want 12, 12 (10 meanwhile and 2 imported)", admitted, net)
	}
	// Merged once, not started over: a merge started over would give ids
	// 3 and 4 (a rolled back insert does not give its ids back).
	var n, low int
	if err := db.QueryRow(`SELECT COUNT(*), MIN(id) FROM members`).Scan(&n, &low); err != nil || n != 2 || low != 1 {
		t.Errorf("members: %d from id %d, %v; want 2 from id 1", n, low, err)
	}
}
