package store_test

import (
	"context"
	"errors"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// loadStaged loads a world as a large import does: the units, plan and
// targets first, then every member through a Stage (checked in a
// snapshot, counters rolled up there), the transfers in the commit.
func loadStaged(t *testing.T, st *store.Store, w *engine.World, plan *domain.Plan, camp *domain.Campaign) {
	t.Helper()
	ctx := context.Background()
	var ids map[string]int64
	err := st.Write(ctx, func(tx *store.Tx) (err error) {
		ids, err = putFrame(tx, w, plan, camp)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	stage, err := st.NewStage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stage.Close()
	ts := placeMembers(w, ids)
	err = st.Read(ctx, func(tx *store.Tx) error {
		if err := tx.LoadUnits(); err != nil {
			return err
		}
		var ms []store.Staged[*domain.Member]
		for i := range w.Members {
			ms = append(ms, store.Staged[*domain.Member]{Line: i + 2, Rec: &w.Members[i]})
			if len(ms) == 7 { // many small batches
				if err := stage.AddMembers(tx, ms); err != nil {
					return err
				}
				ms = nil
			}
		}
		return stage.AddMembers(tx, ms)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := stage.Commit(ctx, func(tx *store.Tx) error { return tx.SaveTransfers(ts) }); err != nil {
		t.Fatal(err)
	}
}

// The counters of members merged from a stage equal a recomputation.
func TestStagedCountersMatchReference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		w, plan, camp := randomWorld(3)
		loadStaged(t, st, w, plan, camp)
		compare(t, st, w, plan, camp)
	})
}

// A stage whose checks went stale writes nothing: a member of the stage
// admitted meanwhile, or a unit changed meanwhile.
func TestStageCommitIsStale(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		_, member := store.PutRG(t, st)
		staged := func(a, b string, meanwhile func(tx *store.Tx) error) error {
			return stageMembers(t, st, member, meanwhile, a, b)
		}
		if err := staged("A1", "B1", func(tx *store.Tx) error { return tx.SaveMembers([]*domain.Member{member("B1")}) }); !errors.Is(err, store.ErrStale) {
			t.Errorf("a member admitted meanwhile: %v, want ErrStale", err)
		}
		if err := staged("A1", "B2", func(tx *store.Tx) error {
			return tx.PutUnit(&domain.Unit{Code: "G2", Name: "G2", ParentCode: "R", Kind: domain.KindGrassroots, Ownership: domain.OwnPrivate})
		}); !errors.Is(err, store.ErrStale) {
			t.Errorf("a unit added meanwhile: %v, want ErrStale", err)
		}
		if _, err := st.Member(ctx, "A1"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("A1 of a stale stage is on record: %v", err)
		}
		// Unrelated writes meanwhile do not stop a stage.
		if err := staged("A1", "B3", func(tx *store.Tx) error {
			return tx.Audit(store.AuditEntry{Actor: "x", Action: "login"})
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Member(ctx, "A1"); err != nil {
			t.Errorf("A1: %v", err)
		}
	})
}
