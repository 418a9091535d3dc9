package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"time"
)

// The merge of a large stage holds SQLite's only writer, so on SQLite it
// does as little as it can inside its transaction:
//
//   - No foreign-key checks row by row (two lookups of units per new
//     member, measured as half of the insert): the stage's units are
//     checked once each (checkStagedUnits), and the TreeStamp proves the
//     units unchanged since the snapshot where the callback's rows were
//     checked. PRAGMA foreign_keys does nothing inside a transaction, so it
//     is turned off on the writer's connection before and on again after.
//   - When the import at least doubles the members, the members' plain
//     indexes are dropped and built again after the insert (a sort per
//     index instead of a random B-tree insert per row and index: measured
//     6,9 s of CPU instead of 12,7 s for 650 000 members and five indexes).
//     The indexes come back in the same transaction, so nobody sees the
//     table without them. Only imports of fewer than chunkMinNews new
//     members merge in one transaction now; larger ones merge in chunks
//     (holds.go), which cannot drop an index for a while, and pay the
//     B-tree inserts in exchange for never holding the writer long.
//   - No checkpoint on commit: SQLite copies the WAL into the database on
//     the commit that makes it longer than wal_autocheckpoint pages, on the
//     writer's connection, so the next writer would wait for a copy of the
//     whole import. The automatic checkpoint is off during the merge and
//     until a PASSIVE checkpoint made beside the writer (on a read
//     connection; it blocks neither readers nor writers) has copied it.

// liteAutoCheckpoint is SQLite's default wal_autocheckpoint, which Open
// keeps.
const liteAutoCheckpoint = 1000

// liteCheckpoints counts, per store, the merges whose WAL is being copied
// beside the writer: the automatic checkpoint comes back with the last.
var liteCheckpoints = struct {
	sync.Mutex
	n map[*Store]int
}{n: map[*Store]int{}}

// liteBegin prepares the writer's connection c for a merge of new members,
// before its transaction begins. The returned function, to be called once
// c is idle again, undoes it; committed tells whether the merge committed.
func (st *Stage) liteBegin(ctx context.Context, c *sql.Conn) (func(committed bool), error) {
	s := st.s
	liteCheckpoints.Lock()
	liteCheckpoints.n[s]++
	liteCheckpoints.Unlock()
	restore := func(committed bool) {
		bg, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := c.ExecContext(bg, `PRAGMA foreign_keys = ON`); err != nil {
			// A writer without its foreign keys must not serve anyone.
			c.Raw(func(any) error { return driverBadConn })
		}
		if committed {
			go s.checkpointBeside()
			return
		}
		if s.doneCheckpoint() {
			c.ExecContext(bg, fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, liteAutoCheckpoint))
		}
	}
	for _, q := range []string{`PRAGMA foreign_keys = OFF`, `PRAGMA wal_autocheckpoint = 0`} {
		if _, err := c.ExecContext(ctx, q); err != nil {
			restore(false)
			return nil, err
		}
	}
	return restore, nil
}

// doneCheckpoint counts a merge's checkpoint done and reports whether it
// was the last pending one.
func (s *Store) doneCheckpoint() bool {
	liteCheckpoints.Lock()
	defer liteCheckpoints.Unlock()
	liteCheckpoints.n[s]--
	if liteCheckpoints.n[s] > 0 {
		return false
	}
	delete(liteCheckpoints.n, s)
	return true
}

// checkpointBeside copies the WAL into the database on a read connection
// (a PASSIVE checkpoint waits for no one and no one waits for it), then
// lets the writer checkpoint on commit again. Errors only delay the copy:
// the writer's next automatic checkpoint makes it.
func (s *Store) checkpointBeside() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	var busy, frames, copied int
	err := s.read.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &copied)
	if stageTrace {
		trace(fmt.Sprintf("checkpoint beside the writer: %d of %d frames, %v;", copied, frames, err), start)
	}
	if s.doneCheckpoint() {
		s.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, liteAutoCheckpoint))
	}
}

// checkStagedUnits checks that the units of the new members exist, once
// per unit, as the foreign keys turned off for the merge would have row
// by row.
func (st *Stage) checkStagedUnits(tx *Tx) error {
	ids := make([]any, 0, len(st.units))
	for id := range st.units {
		ids = append(ids, id)
	}
	for len(ids) > 0 {
		part := ids[:min(len(ids), 500)]
		ids = ids[len(part):]
		var n int
		if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM units WHERE id IN `+placeholders(1, len(part)), part...).Scan(&n); err != nil {
			return err
		}
		if n != len(part) {
			return fmt.Errorf("save members: %d of %d units not on record", len(part)-n, len(part))
		}
	}
	return nil
}

// dropMemberIndexes drops the members' plain indexes when news new members
// at least double the table, and returns the statements that create them
// again. Unique indexes stay: they check the insert.
func dropMemberIndexes(tx *Tx, news int64) ([]string, error) {
	var top int64 // the highest id: at least the number of members
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MAX(id), 0) FROM members`).Scan(&top); err != nil {
		return nil, err
	}
	if news < top {
		return nil, nil
	}
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT name, sql FROM sqlite_schema
		WHERE type = 'index' AND tbl_name = 'members' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var names, creates []string
	for rows.Next() {
		var name, create string
		if err := rows.Scan(&name, &create); err != nil {
			rows.Close()
			return nil, err
		}
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(create)), "CREATE UNIQUE") {
			continue
		}
		names, creates = append(names, name), append(creates, create)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := tx.tx.ExecContext(tx.ctx, `DROP INDEX "`+strings.ReplaceAll(name, `"`, `""`)+`"`); err != nil {
			return nil, err
		}
	}
	return creates, nil
}
