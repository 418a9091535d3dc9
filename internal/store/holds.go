package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
)

// A large SQLite import merges its new members in chunks (imports
// that never block the others). SQLite has one writer: one transaction
// that inserts 650 000 members and their index entries holds it for
// seconds (11 s of CPU measured), and every other write (a login's audit
// entry, a member admitted) waits as long. So:
//
//  1. The first chunk reserves a contiguous range of ids [lo, hi] for the
//     new members, one id per member in stage order: it writes the hold
//     (member_holds, one row) and the member of id hi, so that every
//     concurrent insert gets an id above hi (SQLite's next rowid is the
//     highest plus one).
//  2. Each chunk, a short write transaction of bounded time
//     (chunkTarget), inserts the next members of the stage at their ids.
//     Between chunks the writer's connection goes back to the pool and
//     the writes queued meanwhile run.
//  3. Readers never see held members: every query of members adds
//     hideHeld/notHeld, a condition on the id (in every index, so free)
//     read in the same statement as the rows, hence of the same snapshot.
//  4. The last transaction deletes the hold, checks again what the staged
//     rows depend on, runs the import's callback and adds the counters:
//     the import becomes visible at once. Any failure (ErrStale, an
//     error, a cancelled context) deletes the held members in chunks, then
//     the hold. A process killed meanwhile leaves a hold that no chunk
//     touches any more: past holdAbandonAfter it is dropped the same way,
//     at Open and before the next large import.
//
// The national IDs of held members stay in the unique index: a concurrent
// admission of one of them gets ImportingError, and a member of the file
// admitted meanwhile makes the import's chunk fail and the import start
// over (ErrStale), as before.
//
// PostgreSQL merges in one transaction, which other writers pass
// (MVCC, row locks; measured: a write waited 1,0 s at most during a
// 650 000-member import) as long as the merge keeps the members' indexes
// (see stage_postgres.go, which drops them for a first load: that locks
// the table for the whole merge). Its member_holds stays empty and its
// readers add no condition.
//
// Each chunk's commit checkpoints on the writer's connection, as SQLite
// does by default, but only once the WAL holds chunkCheckpoint pages
// (64 MB) instead of 1 000: an index page several chunks change is copied
// once. Measured at 650 000 members on a quiet machine
// (BenchmarkImportWithConcurrentWrites/sqlite): 73,1 s → 57,8 s for the
// import, the longest concurrent write 854 → 901 ms. Tried: the automatic checkpoint off and PASSIVE
// checkpoints beside the writer every few chunks; a checkpoint beside never
// ends before the next chunk begins, so SQLite never restarts the WAL, and
// it grew to 9 GB for 650 000 members.
//
// The "drop the indexes and build them again" trick of the one-transaction
// merge (dropMemberIndexes) cannot span chunks: each chunk pays a B-tree
// insert per index and row, and writes the pages it touched to the WAL.
// Chunked merges therefore cost more in all, but never hold the writer
// long. Measured at 650 000 members (BenchmarkImportWithConcurrentWrites,
// the 2-core machine shared, load 15 to 20): chunks of 250 ms aimed, the
// longest 0,9 to 1,5 s, other writes p99 0,5 to 0,8 s (before: one 37 s
// merge, a write waiting 38 s). The last transaction adds the counters,
// 1 050 000 rows of unit_day: 1,0 s of CPU, 3,6 to 6 s under that load,
// and is now the longest wait; bounding it needs the counters staged so
// that their readers can see them at once (not done).

// Knobs of the chunked merge; tests make them tiny.
var (
	// chunkMinNews: imports of fewer new members merge in one
	// transaction, short anyway.
	chunkMinNews int64 = 5000
	// chunkTarget is the time a chunk aims to hold the writer.
	chunkTarget = 250 * time.Millisecond
	// chunkRows, when > 0, fixes the rows of a chunk (tests).
	chunkRows = 0
	// dropChunkIDs is how many held ids one transaction deletes.
	dropChunkIDs int64 = 20_000
	// holdAbandonAfter: a hold untouched that long belongs to a dead
	// process.
	holdAbandonAfter = 5 * time.Minute
	// holdWait is how long a large import waits between looks at another
	// import's hold.
	holdWait = 200 * time.Millisecond
	// chunkCheckpoint is the WAL size (pages) at which a chunk's commit
	// checkpoints.
	chunkCheckpoint = 16_000
	// afterChunk, when set, runs after each chunk commits (tests).
	afterChunk func(chunk int)
)

// ErrImporting is what ImportingError unwraps to.
var ErrImporting = errors.New("member being imported")

// ImportingError: a member with this national ID is being written by a
// large import not yet committed, so it cannot be admitted or changed now.
// It is also a *domain.ValidationError of the field national_id (errors.As),
// which forms and the API show as such.
type ImportingError struct{ NationalID string }

func (e *ImportingError) Error() string { return e.Text().String() }

// Text is the message: the ID is part of an import still in progress.
func (e *ImportingError) Text() msg.Text { return msg.New("store.member_importing", e.NationalID) }

func (e *ImportingError) Unwrap() error { return ErrImporting }

// As makes the error a validation error of the national ID field.
func (e *ImportingError) As(target any) bool {
	if ve, ok := target.(**domain.ValidationError); ok {
		*ve = &domain.ValidationError{Errors: []domain.FieldError{domain.Invalid("national_id", e.Text())}}
		return true
	}
	return false
}

// heldCond is true for members not held by an import. The two scalar
// subqueries run once per statement, in its snapshot.
func heldCond(alias string) string {
	return alias + `.id NOT BETWEEN (SELECT COALESCE(MAX(lo), 0) FROM member_holds) AND (SELECT COALESCE(MAX(hi), -1) FROM member_holds)`
}

// notHeld is " AND <the condition>" that hides the members of imports not
// yet committed, for a query of members m (alias) that has a WHERE clause
// already; empty on PostgreSQL, which never holds members.
func (s *Store) notHeld(alias string) string {
	if s.engine != SQLite {
		return ""
	}
	return ` AND ` + heldCond(alias)
}

// hideHeld adds the same condition to where, a WHERE clause or nothing.
func (s *Store) hideHeld(where, alias string) string {
	if s.engine != SQLite {
		return where
	}
	if where == "" {
		return ` WHERE ` + heldCond(alias)
	}
	return where + ` AND ` + heldCond(alias)
}

// hold is the range of ids an import holds.
type hold struct {
	lo, hi int64
	token  string
}

// errHoldBusy: another import holds members.
var errHoldBusy = errors.New("another import holds members")

// commitChunked merges a SQLite stage of many new members in chunks, then
// runs the last transaction (see the top of this file).
func (st *Stage) commitChunked(ctx context.Context, fn func(*Tx) error) (err error) {
	s := st.s
	start := time.Now()
	rows := chunkRows
	if rows <= 0 {
		rows = 2000
	}
	// The member of id hi is in with the first chunk: the others are
	// seq 1 .. last.
	last := st.news - 1
	h, err := st.firstChunk(ctx, min(int64(rows), last))
	if err != nil {
		return err
	}
	next := min(int64(rows), last)
	defer func() {
		if err != nil {
			// The context may be what failed: the held rows go anyway.
			bg, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			if derr := s.dropHold(bg, h.token); derr != nil {
				err = errors.Join(err, fmt.Errorf("drop the import's held members: %w", derr))
			}
		}
	}()
	chunks, longest := 1, time.Duration(0)
	for chunk := 1; next < last; chunk++ {
		if afterChunk != nil {
			afterChunk(chunk)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		n := min(int64(rows), last-next)
		took, err := st.onChunkWriter(ctx, func(c *sql.Conn) error { return st.insertChunkAlone(ctx, c, h, next+1, next+n) })
		if err != nil {
			return err
		}
		next += n
		rows = nextChunkRows(rows, took)
		chunks, longest = chunks+1, max(longest, took)
	}
	trace(fmt.Sprintf("%d members in %d chunks (the longest %v)", st.news, chunks, longest.Round(time.Millisecond)), start)
	if afterChunk != nil {
		afterChunk(-1)
	}
	t0 := time.Now()
	_, err = st.onWriter(ctx, true, func(tx *Tx) error { return st.merge(tx, &h, fn) })
	trace("last transaction", t0)
	return err
}

// nextChunkRows scales a chunk's rows so that the next takes about
// chunkTarget, changing at most twice or half at a time.
func nextChunkRows(rows int, took time.Duration) int {
	if chunkRows > 0 {
		return chunkRows
	}
	if took <= 0 {
		return rows * 2
	}
	want := int(float64(rows) * float64(chunkTarget) / float64(took))
	return max(500, min(want, rows*2, 200_000), rows/2)
}

// firstChunk takes the hold and writes the member of its highest id and
// the staged members 1 .. first. It waits while another import holds
// members, and drops an abandoned hold first.
func (st *Stage) firstChunk(ctx context.Context, first int64) (hold, error) {
	s := st.s
	token := make([]byte, 8)
	rand.Read(token)
	h := hold{token: hex.EncodeToString(token)}
	for {
		if err := s.dropAbandonedHolds(ctx); err != nil {
			return h, err
		}
		_, err := st.onWriter(ctx, false, func(tx *Tx) error {
			var n int
			if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM member_holds`).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errHoldBusy
			}
			if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM members`).Scan(&h.lo); err != nil {
				return err
			}
			h.hi = h.lo + st.news - 1
			if _, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO member_holds (id, lo, hi, token, touched_at) VALUES (1, ?, ?, ?, ?)`,
				h.lo, h.hi, h.token, time.Now().Unix()); err != nil {
				return err
			}
			if err := st.insertChunk(tx, h, st.news, st.news); err != nil {
				return err
			}
			return st.insertChunk(tx, h, 1, first)
		})
		switch {
		case err == nil:
			return h, nil
		case errors.Is(err, errHoldBusy):
			select {
			case <-ctx.Done():
				return h, ctx.Err()
			case <-time.After(holdWait):
			}
		default:
			return h, err
		}
	}
}

// execer runs a statement: a transaction, or a connection outside one.
type execer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

// insertHeld inserts the staged members seq from..to at their held ids,
// where cond (more of the WHERE clause, with its args) holds, and returns
// how many it inserted. A national ID on record meanwhile makes the
// import stale.
func insertHeld(ctx context.Context, db execer, h hold, from, to int64, cond string, args ...any) (int64, error) {
	res, err := db.ExecContext(ctx, `INSERT INTO members (id, national_id, id_type, full_name, name_folded, name_key, date_of_birth, gender,
		unit_id, current_unit_id, joined_on, joined_how, left_on, party_introduced_on, card_no)
		SELECT ? + seq - 1, national_id, id_type, full_name, name_folded, name_key, date_of_birth, gender, unit_id, unit_id, joined_on, joined_how,
		left_on, party_introduced_on, card_no FROM stg.members WHERE seq BETWEEN ? AND ?`+cond+` ORDER BY seq`, append([]any{h.lo, from, to}, args...)...)
	if uniqueViolation(err) {
		return 0, ErrStale // a member of the file was added meanwhile
	}
	if err != nil {
		return 0, fmt.Errorf("save members: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("save members: %w", err)
	}
	return n, nil
}

// insertChunk inserts the staged members seq from..to at their held ids.
func (st *Stage) insertChunk(tx *Tx, h hold, from, to int64) error {
	if from > to {
		return nil
	}
	n, err := insertHeld(tx.ctx, tx.tx, h, from, to, "")
	if err == nil && n != to-from+1 {
		err = fmt.Errorf("save members: %d rows of %d", n, to-from+1)
	}
	return err
}

// insertChunkAlone inserts the staged members seq from..to at their held
// ids, and marks the hold alive, each by one statement run as a
// transaction of its own (autocommit) on the writer's connection c.
//
// Why not one transaction of both, as insertChunk: inside a transaction,
// SQLite gives a statement that writes many rows and may abort (a unique
// key, the FTS5 trigger) a statement journal, and copies into it every
// page the statement is first to change: one index page per index and new
// member, per chunk. That copy was 27 s of 159 s of CPU at 650 000
// members, to a temporary file (21 s in memory, temp_store = MEMORY,
// spent in SQLite's allocator). A statement that is its own transaction
// needs none: its rollback is the transaction's. Measured side by side
// (BenchmarkSQLiteImport, the whole Hanoi data set, load 8): 483 s -> 344 s,
// 165 s -> 116 s of CPU.
//
// The insert inserts nothing unless the hold is still the import's: the
// hold's check and the rows are one statement, hence one snapshot, and a
// write on a snapshot that is no longer the latest fails (busy), so a hold
// dropped meanwhile (dropHold marks it first) is never written into.
func (st *Stage) insertChunkAlone(ctx context.Context, c *sql.Conn, h hold, from, to int64) error {
	if from > to {
		return nil
	}
	if err := touchHold(ctx, c, h); err != nil {
		return err
	}
	n, err := insertHeld(ctx, c, h, from, to, ` AND EXISTS (SELECT 1 FROM main.member_holds WHERE id = 1 AND token = ?)`, h.token)
	switch {
	case err != nil:
		return err
	case n == 0:
		return ErrStale // the hold was dropped between the two statements
	case n != to-from+1:
		return fmt.Errorf("save members: %d rows of %d", n, to-from+1)
	}
	return nil
}

// touchHold proves the hold still the import's (a hold found abandoned is
// taken from it first) and marks it alive.
func touchHold(ctx context.Context, db execer, h hold) error {
	res, err := db.ExecContext(ctx, `UPDATE member_holds SET touched_at = ? WHERE id = 1 AND token = ?`, time.Now().Unix(), h.token)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return ErrStale // dropped as abandoned: the import starts over
	}
	return nil
}

// onWriter runs fn in a short write transaction on the writer's
// connection with the stage attached (as stg) and returns how long the
// transaction took. The connection goes back to the pool after it, so that
// other writers run between two calls. final marks the import's last
// transaction (liteBegin: no checkpoint on its commit); the others run
// without foreign-key checks (the units are checked once, in the last
// one). SQLite busy (another process) is tried again a few times.
func (st *Stage) onWriter(ctx context.Context, final bool, fn func(*Tx) error) (time.Duration, error) {
	return st.onWriterConn(ctx, final, func(c *sql.Conn) (time.Duration, error) { return txOn(ctx, st.s, c, fn) })
}

// onChunkWriter is onWriter for a chunk that is one statement: fn runs on
// the connection outside any transaction, so that its statement is a
// transaction of its own (see insertChunkAlone).
func (st *Stage) onChunkWriter(ctx context.Context, fn func(c *sql.Conn) error) (time.Duration, error) {
	return st.onWriterConn(ctx, false, func(c *sql.Conn) (time.Duration, error) {
		start := time.Now()
		err := fn(c)
		return time.Since(start), err
	})
}

// onWriterConn sets the writer's connection up for onWriter and
// onChunkWriter and runs fn on it.
func (st *Stage) onWriterConn(ctx context.Context, final bool, fn func(c *sql.Conn) (time.Duration, error)) (time.Duration, error) {
	for attempt := 1; ; attempt++ {
		var took time.Duration
		err := st.withStage(ctx, func(c *sql.Conn) (err error) {
			if final {
				restore, berr := st.liteBegin(ctx, c)
				if berr != nil {
					return berr
				}
				defer func() { restore(err == nil) }() // err: the named result
			} else {
				if _, err := c.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
					return err
				}
				defer foreignKeysOn(c)
				// Fewer, larger checkpoints: an index page that several
				// chunks change is copied into the database once per
				// checkpoint, not once per chunk (see chunkCheckpoint).
				if _, err := c.ExecContext(ctx, fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, chunkCheckpoint)); err != nil {
					return err
				}
				defer c.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA wal_autocheckpoint = %d`, liteAutoCheckpoint))
			}
			took, err = fn(c)
			return err
		})
		if err == nil || attempt == writeAttempts || !sqliteBusy(err) {
			return took, err
		}
		time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
	}
}

// foreignKeysOn turns the foreign keys of c back on; a connection that
// cannot must serve no one.
func foreignKeysOn(c *sql.Conn) {
	bg, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.ExecContext(bg, `PRAGMA foreign_keys = ON`); err != nil {
		c.Raw(func(any) error { return driverBadConn })
	}
}

// txOn runs fn in a transaction of c and commits it; it returns the time
// from its start to its commit.
func txOn(ctx context.Context, s *Store, c *sql.Conn, fn func(*Tx) error) (time.Duration, error) {
	start := time.Now()
	sqlTx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	if err := fn(s.newTx(ctx, sqlTx)); err != nil {
		sqlTx.Rollback()
		return 0, err
	}
	err = sqlTx.Commit()
	return time.Since(start), err
}

// dropAbandonedHolds drops the hold of an import whose process died (not
// touched for holdAbandonAfter) and its members. SQLite only.
func (s *Store) dropAbandonedHolds(ctx context.Context) error {
	if s.engine != SQLite {
		return nil
	}
	var token string
	err := s.write.QueryRowContext(ctx, `SELECT token FROM member_holds WHERE touched_at < ?`,
		time.Now().Add(-holdAbandonAfter).Unix()).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.dropHold(ctx, token)
}

// dropHold deletes the members of the hold of token, a chunk of ids per
// transaction, then the hold. It first marks the hold as being dropped, so
// that the import that made it, if alive, writes no more into it
// (touchHold).
func (s *Store) dropHold(ctx context.Context, token string) error {
	drop := "drop:" + token
	var lo, hi int64
	err := s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(tx.ctx, `UPDATE member_holds SET token = ? WHERE token = ?`, drop, token); err != nil {
			return err
		}
		return tx.tx.QueryRowContext(tx.ctx, `SELECT lo, hi FROM member_holds WHERE token = ?`, drop).Scan(&lo, &hi)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil // dropped by another already
	}
	if err != nil {
		return err
	}
	for a := lo; a <= hi; a += dropChunkIDs {
		err := s.writeNoForeignKeys(ctx, func(tx *Tx) error {
			_, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM members WHERE id BETWEEN ? AND ?`, a, min(a+dropChunkIDs-1, hi))
			return err
		})
		if err != nil {
			return err
		}
	}
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM member_holds WHERE token = ?`, drop)
		return err
	})
}

// writeNoForeignKeys runs fn in a write transaction without foreign-key
// checks: deleting held members, which nothing refers to, need not look
// for references in every table that could.
func (s *Store) writeNoForeignKeys(ctx context.Context, fn func(*Tx) error) error {
	c, err := s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer foreignKeysOn(c)
	_, err = txOn(ctx, s, c, fn)
	return err
}
