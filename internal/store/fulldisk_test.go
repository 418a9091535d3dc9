package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// On a full disk a SQLite database opens for reading: reads work, every
// write (a transaction, a stage, a backup to that disk) fails with the
// typed error, and nothing is left behind, not even the -wal and -shm
// files SQLite makes when opening; a new database is not created.
func TestFullDiskStore(t *testing.T) {
	ctx := context.Background()
	dir := storetest.FullDisk(t, 4<<20)
	url := "sqlite:" + filepath.Join(dir, "c.db")
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	twoUnits(t, st)
	st.Close()
	before := storetest.Files(t, dir)
	storetest.Fill(t, dir)
	left := func(what string) {
		t.Helper()
		storetest.LeftNothing(t, dir, before, what)
	}

	if _, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "new.db")); !store.DiskFull(err) {
		t.Errorf("a new database on a full disk: %v", err)
	}
	left("opening a new database")

	st, err = store.Open(ctx, url)
	if err != nil {
		t.Fatalf("open on a full disk: %v", err)
	}
	if u, err := st.Unit(ctx, "HN-CG"); err != nil || u.Code != "HN-CG" {
		t.Errorf("read on a full disk: %+v %v", u, err)
	}
	err = st.Write(ctx, func(tx *store.Tx) error { return tx.Audit(store.AuditEntry{Actor: "t", Action: "x"}) })
	if !errors.Is(err, store.ErrDiskFull) {
		t.Errorf("write on a full disk: %v", err)
	}
	if _, err := st.NewStage(ctx); !store.DiskFull(err) {
		t.Errorf("stage on a full disk: %v", err)
	}
	if err := st.Backup(ctx, filepath.Join(dir, "b.db")); !store.DiskFull(err) {
		t.Errorf("backup to a full disk: %v", err)
	}
	// A backup to another disk works: the way out of a full disk.
	if err := st.Backup(ctx, filepath.Join(t.TempDir(), "b.db")); err != nil {
		t.Errorf("backup elsewhere: %v", err)
	}
	if err := st.Close(); err != nil {
		t.Error(err)
	}
	left("reading and failing to write")
}
