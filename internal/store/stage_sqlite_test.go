package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"congdoan/internal/domain"
)

// openLite opens a new SQLite store, closed when the test ends.
func openLite(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// liteState is what a SQLite merge may touch: the members, their indexes,
// the counters and the writer connection's settings.
type liteState struct {
	members, counters, indexes  string
	foreignKeys, autoCheckpoint int
}

func readLiteState(t *testing.T, s *Store) liteState {
	t.Helper()
	ctx := context.Background()
	dump := func(q string) string {
		var b strings.Builder
		rows, err := s.write.QueryContext(ctx, q)
		err = forEachValues(rows, err, func(vals []any) error {
			_, err := fmt.Fprintln(&b, vals...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	var st liteState
	st.members = dump(`SELECT id, national_id, unit_id FROM members ORDER BY id`)
	st.counters = dump(`SELECT unit_id, day, admitted, net, party FROM unit_day ORDER BY unit_id, day`)
	st.indexes = dump(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'members' ORDER BY name`)
	if err := s.write.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&st.foreignKeys); err != nil {
		t.Fatal(err)
	}
	if err := s.write.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&st.autoCheckpoint); err != nil {
		t.Fatal(err)
	}
	return st
}

// A SQLite merge that fails after its members went in (here: its
// callback) leaves the members, the counters and the members' indexes as
// they were, and the writer's connection with its foreign keys and
// automatic checkpoint; one that succeeds keeps the indexes and settings
// too.
func TestLiteMergeFailureLeavesNothing(t *testing.T) {
	ctx := context.Background()
	s := openLite(t)
	_, inG := PutRG(t, s)
	member := func(id string, joined domain.Date) *domain.Member {
		m := inG(id)
		m.JoinedOn = joined
		return m
	}
	// One member on record, with counters: the stage's three more than
	// double the members, so the merge builds the indexes again.
	if err := s.Write(ctx, func(tx *Tx) error {
		return tx.SaveMembers([]*domain.Member{member("M0", domain.NewDate(2020, 1, 1))})
	}); err != nil {
		t.Fatal(err)
	}
	before := readLiteState(t, s)
	if before.foreignKeys != 1 || before.autoCheckpoint != liteAutoCheckpoint {
		t.Fatalf("writer before: foreign_keys %d, wal_autocheckpoint %d", before.foreignKeys, before.autoCheckpoint)
	}
	if strings.Count(before.indexes, "\n") < 2 {
		t.Fatalf("members have no plain index to build again:\n%s", before.indexes)
	}
	stage := func(fn func(*Tx) error) error {
		st, err := s.NewStage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		err = s.Read(ctx, func(tx *Tx) error {
			if err := tx.LoadUnits(); err != nil {
				return err
			}
			return st.AddMembers(tx, []Staged[*domain.Member]{{Line: 2, Rec: member("A1", domain.NewDate(2020, 1, 1))},
				{Line: 3, Rec: member("A2", domain.NewDate(2021, 5, 6))}, {Line: 4, Rec: member("A3", domain.NewDate(2022, 7, 8))}})
		})
		if err != nil {
			t.Fatal(err)
		}
		return st.Commit(ctx, fn)
	}
	boom := errors.New("boom")
	var seen int
	if err := stage(func(tx *Tx) error {
		// The new members are in, in the merge's transaction.
		if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM members`).Scan(&seen); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("commit: %v, want boom", err)
	}
	if seen != 4 {
		t.Errorf("the merge saw %d members before its callback, want 4", seen)
	}
	if after := readLiteState(t, s); after != before {
		t.Errorf("a failed merge changed the database or the writer:\nbefore %+v\nafter  %+v", before, after)
	}

	if err := stage(func(*Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	after := readLiteState(t, s)
	if n := strings.Count(after.members, "\n"); n != 4 {
		t.Errorf("%d members after the merge, want 4", n)
	}
	if after.counters == before.counters {
		t.Error("the merge left the counters as they were")
	}
	if after.indexes != before.indexes || after.foreignKeys != 1 {
		t.Errorf("after the merge: indexes\n%s(want\n%s) foreign_keys %d", after.indexes, before.indexes, after.foreignKeys)
	}
	var check string
	if err := s.write.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check after the merge: %q, %v", check, err)
	}
	// The plain indexes go only when the import at least doubles the
	// members (4 on record now).
	rollback := errors.New("rollback")
	err := s.Write(ctx, func(tx *Tx) error {
		if creates, err := dropMemberIndexes(tx, 3); err != nil || creates != nil {
			t.Errorf("3 new of 4: dropped %q, %v", creates, err)
		}
		creates, err := dropMemberIndexes(tx, 4)
		if err != nil || len(creates) != strings.Count(before.indexes, "CREATE INDEX") {
			t.Errorf("4 new of 4: dropped %q, %v; want the plain indexes of\n%s", creates, err, before.indexes)
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	// The automatic checkpoint comes back once the checkpoint made beside
	// the writer is done.
	deadline := time.Now().Add(10 * time.Second)
	for after.autoCheckpoint != liteAutoCheckpoint && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		after = readLiteState(t, s)
	}
	if after.autoCheckpoint != liteAutoCheckpoint {
		t.Errorf("wal_autocheckpoint %d after the merge, want %d", after.autoCheckpoint, liteAutoCheckpoint)
	}
	// The foreign keys are on again: a member of no unit is refused.
	err = s.Write(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO members (national_id, full_name, date_of_birth, unit_id, current_unit_id, joined_on)
			VALUES ('X1', 'X', '1990-01-01', 999999, 999999, '2020-01-01')`)
		return err
	})
	if err == nil {
		t.Error("a member of no unit was saved after the merge: foreign keys off")
	}
}

// With the foreign keys off for the merge, the new members' units are
// checked once each.
func TestCheckStagedUnits(t *testing.T) {
	ctx := context.Background()
	s := openLite(t)
	var ids []int64
	err := s.Write(ctx, func(tx *Tx) error {
		for i := range 3 {
			u := &domain.Unit{Code: fmt.Sprint("U", i), Name: "U", Kind: domain.KindFederation}
			if err := tx.PutUnit(u); err != nil {
				return err
			}
			ids = append(ids, u.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(ids ...int64) error {
		st := &Stage{s: s, units: map[int64]struct{}{}}
		for _, id := range ids {
			st.units[id] = struct{}{}
		}
		return s.Write(ctx, st.checkStagedUnits)
	}
	if err := check(ids...); err != nil {
		t.Errorf("units on record: %v", err)
	}
	if err := check(append(slices.Clone(ids), slices.Max(ids)+100)...); err == nil {
		t.Error("a unit not on record passed")
	}
}
