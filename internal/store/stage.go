package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/vn"
)

// A large import runs in two phases so that it never holds the writer
// while it reads and checks its file:
//
//  1. Read runs the checks in a read-only snapshot (SQLite: a read
//     transaction of the read pool; PostgreSQL: REPEATABLE READ READ ONLY).
//     The rows that pass go to a Stage: a SQLite file of its own, or
//     temporary tables filled with COPY on PostgreSQL. Neither touches the
//     database's writer. The counter deltas of new members are rolled up to
//     their ancestors there too, on the snapshot's tree.
//  2. Stage.Commit takes the writer for one short transaction that merges
//     the stage into the real tables with set-based SQL and adds the
//     counters. What the checks read and could have changed meanwhile is
//     checked again there, cheaply: the tree and the units (TreeStamp) when
//     new members were rolled up on them, and that no new member appeared
//     meanwhile (every staged row must be inserted). Members on record that
//     change, and transfers, are few; they are checked again and written
//     through SaveMembers and SaveTransfers inside the commit. When the
//     cheap checks fail, Commit returns ErrStale and the import starts over.
//
// The import stays all or nothing: the real tables change only in the
// commit's one transaction, and a process killed before it leaves a stage
// that nobody reads (a temporary file, or temporary tables that die with
// their session).
//
// On SQLite, whose one writer that transaction would hold for seconds at
// 650 000 members, a stage of at least chunkMinNews new members is merged
// in chunks instead: the members go in by short transactions into a range
// of ids held hidden from every reader, and the last transaction shows
// them with their counters at once (holds.go).

// ErrStale reports that the database changed, between the checks of an
// import and its commit, in a way the staged rows depend on. The import
// must be checked again.
var ErrStale = errors.New("the data changed while the import was being checked")

// Read runs fn in a read-only transaction that sees one snapshot of the
// database and does not hold the writer. fn must only read.
func (s *Store) Read(ctx context.Context, fn func(*Tx) error) error {
	var opts *sql.TxOptions
	if s.engine == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	sqlTx, err := s.read.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	return fn(s.newTx(ctx, sqlTx))
}

// TreeStamp is a fingerprint of the units, their dated tree and their
// moves: two equal stamps mean that a unit's checks and a member's roll-up
// to its ancestors give the same results.
func (tx *Tx) TreeStamp() (uint64, error) {
	h := fnv.New64a()
	for _, q := range []string{
		`SELECT id, code, kind, parent_id, base_parent_id, path, founded_on, dissolved_on FROM units ORDER BY id`,
		`SELECT unit_id, ancestor_id, depth, from_day, to_day FROM unit_tree ORDER BY unit_id, ancestor_id, from_day`,
		`SELECT unit_id, moved_on, new_parent_id FROM unit_moves ORDER BY unit_id, moved_on`,
	} {
		rows, err := tx.tx.QueryContext(tx.ctx, q)
		err = forEachValues(rows, err, func(vals []any) error {
			for _, v := range vals {
				switch v := v.(type) {
				case time.Time:
					fmt.Fprint(h, v.Format("2006-01-02"), "|")
				case []byte:
					fmt.Fprint(h, string(v), "|")
				default:
					fmt.Fprint(h, v, "|")
				}
			}
			h.Write([]byte{'\n'})
			return nil
		})
		if err != nil {
			return 0, err
		}
		h.Write([]byte{0})
	}
	return h.Sum64(), nil
}

// Staged is a staged row and the row of the file it came from.
type Staged[T any] struct {
	Line int
	Rec  T
}

// Stage holds the checked rows of one large import (members or transfers)
// outside the database's tables until Commit. It is used by one goroutine.
type Stage struct {
	s   *Store
	ctx context.Context
	// SQLite: a file of its own, attached to the writer's connection at
	// commit.
	path string
	db   *sql.DB
	// PostgreSQL: temporary tables of a connection kept for the stage.
	conn *sql.Conn
	copy map[string][][]any
	// stamp is the TreeStamp of the snapshot the new members were rolled
	// up on; news counts them.
	stamp   uint64
	stamped bool
	news    int64
	// units are the units of the new members (SQLite checks them once
	// each: checkStagedUnits).
	units map[int64]struct{}
	// deltaRows counts the rows of deltas staged.
	deltaRows int
	// others counts the national IDs staged beside the new members: the
	// updates and the keys (RepeatedIDs).
	others int64
	days   map[domain.Date]string
	// names remembers the folded names and sort keys of PostgreSQL's
	// staged members (stage_postgres.go).
	names nameCache
	// rolled are the counter deltas of the new members, rolled up to their
	// ancestors, not yet written to the stage.
	rolled engine.Deltas
	// The stage is written by a goroutine of its own, so that reading and
	// checking the file goes on meanwhile: batches go through ch, and done
	// gives its error when ch is closed.
	ch   chan stageBatch
	done chan error
	err  error
}

// stageBatch is rows for one stage table.
type stageBatch struct {
	table, cols, upsert string
	rows                [][]any
}

const (
	stageMemberCols   = `line, national_id, id_type, full_name, name_folded, name_key, date_of_birth, gender, unit_id, unit_code, joined_on, joined_how, left_on, party_introduced_on, card_no`
	stageTransferCols = `line, national_id, day, to_unit_id, to_unit_code`
	stageDeltaCols    = `unit_id, day, admitted, net, party`
	stageKeyCols      = `line, national_id`
	// stageFlushRows: rows kept in memory before they go to the stage.
	stageCopyRows  = 20_000
	stageMaxRolled = 200_000
)

// NewStage makes an empty stage.
func (s *Store) NewStage(ctx context.Context) (*Stage, error) {
	st, err := s.newStage(ctx)
	return st, s.fullErr(err)
}

func (s *Store) newStage(ctx context.Context) (*Stage, error) {
	if s.fullDisk {
		return nil, ErrDiskFull
	}
	st := &Stage{s: s, ctx: ctx, rolled: engine.Deltas{}, copy: map[string][][]any{}}
	if s.engine == Postgres {
		conn, err := s.write.Conn(ctx)
		if err != nil {
			return nil, err
		}
		st.conn = conn
		for _, q := range []string{
			`DROP TABLE IF EXISTS stg_members, stg_updates, stg_transfers, stg_deltas, stg_keys`,
			`CREATE TEMP TABLE stg_members (line BIGINT, national_id TEXT, id_type TEXT, full_name TEXT, name_folded TEXT, name_key BYTEA,
				date_of_birth DATE, gender TEXT, unit_id BIGINT, unit_code TEXT, joined_on DATE, joined_how TEXT, left_on DATE,
				party_introduced_on DATE, card_no TEXT)`,
			`CREATE TEMP TABLE stg_updates (LIKE stg_members, PRIMARY KEY (line))`,
			`CREATE TEMP TABLE stg_transfers (line BIGINT PRIMARY KEY, national_id TEXT, day DATE, to_unit_id BIGINT, to_unit_code TEXT)`,
			`CREATE TEMP TABLE stg_deltas (unit_id BIGINT, day DATE, admitted INTEGER, net INTEGER, party INTEGER)`, // INTEGER: sums in BIGINT, not NUMERIC
			`CREATE TEMP TABLE stg_keys (line BIGINT, national_id TEXT)`,
		} {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				st.Close()
				return nil, fmt.Errorf("stage: %w", err)
			}
		}
		return st, nil
	}
	// Beside the database, not in a temporary directory that may live in
	// memory.
	var dir, main string
	if err := s.read.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&main); err == nil && main != "" {
		dir = filepath.Dir(main)
	}
	removeOldStages(dir)
	f, err := os.CreateTemp(dir, ".congdoan-stage-*.db")
	if err != nil {
		return nil, fmt.Errorf("stage: %w", err)
	}
	f.Close()
	st.path = f.Name()
	// Nothing here needs to survive a crash: no journal, no sync.
	st.db, err = sql.Open(cachedSQLite, liteURI(st.path)+"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=cache_size(-32768)")
	if err != nil {
		os.Remove(st.path)
		return nil, fmt.Errorf("stage: %w", err)
	}
	st.db.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE TABLE members (seq INTEGER PRIMARY KEY, line INTEGER, national_id TEXT, id_type TEXT, full_name TEXT, name_folded TEXT, name_key BLOB,
			date_of_birth TEXT, gender TEXT, unit_id INTEGER, unit_code TEXT, joined_on TEXT, joined_how TEXT, left_on TEXT,
			party_introduced_on TEXT, card_no TEXT)`,
		`CREATE TABLE updates (line INTEGER PRIMARY KEY, national_id TEXT, id_type TEXT, full_name TEXT, name_folded TEXT, name_key BLOB,
			date_of_birth TEXT, gender TEXT, unit_id INTEGER, unit_code TEXT, joined_on TEXT, joined_how TEXT, left_on TEXT,
			party_introduced_on TEXT, card_no TEXT)`,
		`CREATE TABLE transfers (line INTEGER PRIMARY KEY, national_id TEXT, day TEXT, to_unit_id INTEGER, to_unit_code TEXT)`,
		`CREATE TABLE deltas (unit_id INTEGER, day TEXT, admitted INTEGER, net INTEGER, party INTEGER, PRIMARY KEY (unit_id, day)) WITHOUT ROWID`,
		`CREATE TABLE keys (line INTEGER PRIMARY KEY, national_id TEXT)`,
	} {
		if _, err := st.db.ExecContext(ctx, q); err != nil {
			st.Close()
			return nil, fmt.Errorf("stage: %w", err)
		}
	}
	return st, nil
}

// removeOldStages removes the stage files a process killed during an
// import left in dir, a day later.
func removeOldStages(dir string) {
	if dir == "" {
		dir = os.TempDir()
	}
	old, _ := filepath.Glob(filepath.Join(dir, ".congdoan-stage-*.db*"))
	for _, p := range old {
		if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
			os.Remove(p)
		}
	}
}

// Close drops the stage.
func (st *Stage) Close() error {
	st.wait() // its error was reported by the call that met it
	var err error
	if st.conn != nil {
		// The connection goes back to the pool: its temporary tables go.
		_, err = st.conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS stg_members, stg_updates, stg_transfers, stg_deltas, stg_keys`)
		if err != nil {
			// A session in an unknown state must not serve anyone else.
			st.conn.Raw(func(any) error { return driverBadConn })
		}
		err = errors.Join(err, st.conn.Close())
		st.conn = nil
	}
	if st.db != nil {
		err = errors.Join(err, st.db.Close())
		st.db = nil
	}
	if st.path != "" {
		os.Remove(st.path)
		for _, sfx := range []string{"-journal", "-wal", "-shm"} {
			os.Remove(st.path + sfx)
		}
		st.path = ""
	}
	return err
}

// driverBadConn makes database/sql drop a connection.
var driverBadConn = driver.ErrBadConn

// table names a stage table as the commit's transaction sees it.
func (st *Stage) table(name string) string {
	if st.s.engine == Postgres {
		return "stg_" + name
	}
	return "stg." + name
}

func stageDate(d domain.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

func (st *Stage) memberArgs(line int, m *domain.Member) []any {
	if st.s.engine == Postgres {
		folded, key := st.names.get(m.FullName)
		return []any{int64(line), m.NationalID, m.IDType, m.FullName, folded, key, stageDate(m.DateOfBirth), m.Gender,
			m.UnitID, m.UnitCode, stageDate(m.JoinedOn), m.JoinedHow, stageDate(m.LeftOn), stageDate(m.PartyIntroducedOn), m.CardNo}
	}
	return []any{line, m.NationalID, m.IDType, m.FullName, vn.Fold(m.FullName), vn.NameKey(m.FullName), st.dayText(m.DateOfBirth), m.Gender,
		m.UnitID, m.UnitCode, st.dayText(m.JoinedOn), m.JoinedHow, st.dayText(m.LeftOn), st.dayText(m.PartyIntroducedOn), m.CardNo}
}

// dayText is a date as SQLite stores it (domain.Date.Value), remembered:
// an import has far fewer dates than rows.
func (st *Stage) dayText(d domain.Date) any {
	if d.IsZero() {
		return nil
	}
	t, ok := st.days[d]
	if !ok {
		t = d.String()
		if st.days == nil {
			st.days = map[domain.Date]string{}
		}
		st.days[d] = t
	}
	return t
}

// put adds rows to a stage table, in batches of stageCopyRows handed to
// the stage's writer.
func (st *Stage) put(table, cols string, rows [][]any, upsert string) error {
	if len(rows) == 0 {
		return nil
	}
	st.copy[table] = append(st.copy[table], rows...)
	if len(st.copy[table]) >= stageCopyRows {
		return st.send(table, cols, upsert)
	}
	return nil
}

// send hands the rows held for a table to the stage's writer.
func (st *Stage) send(table, cols, upsert string) error {
	rows := st.copy[table]
	if len(rows) == 0 {
		return st.err
	}
	st.copy[table] = nil
	if st.ch == nil {
		st.ch, st.done = make(chan stageBatch, 2), make(chan error, 1)
		go st.writer(st.ch, st.done)
	}
	select {
	case st.ch <- stageBatch{table: table, cols: cols, upsert: upsert, rows: rows}:
		return nil
	case err := <-st.done:
		// The writer stopped on an error.
		close(st.ch)
		st.err, st.ch = err, nil
		return err
	}
}

// writer writes the batches of ch: COPY on PostgreSQL, multi-row INSERTs
// (prepared once) on SQLite. On an error it stops and reports it.
func (st *Stage) writer(ch <-chan stageBatch, done chan<- error) {
	for b := range ch {
		var err error
		if st.s.engine == Postgres {
			err = st.copyRows(b)
		} else {
			err = st.insertRows(b)
		}
		if err != nil {
			done <- err
			for range ch {
			}
			return
		}
	}
	done <- nil
}

// wait closes the writer's channel and waits for it.
func (st *Stage) wait() error {
	if st.ch == nil {
		return st.err
	}
	close(st.ch)
	st.ch = nil
	st.err = <-st.done
	return st.err
}

func (st *Stage) insertRows(b stageBatch) error {
	n := strings.Count(b.cols, ",") + 1
	const per = 200
	tx, err := st.db.BeginTx(st.ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var full *sql.Stmt
	for i := 0; i < len(b.rows); i += per {
		part := b.rows[i:min(i+per, len(b.rows))]
		args := make([]any, 0, n*len(part))
		for _, r := range part {
			args = append(args, r...)
		}
		q := `INSERT INTO ` + b.table + ` (` + b.cols + `) VALUES ` + placeholders(len(part), n) + b.upsert
		if len(part) == per {
			if full == nil {
				if full, err = tx.PrepareContext(st.ctx, q); err != nil {
					return fmt.Errorf("stage: %w", err)
				}
				defer full.Close()
			}
			_, err = full.ExecContext(st.ctx, args...)
		} else {
			_, err = tx.ExecContext(st.ctx, q, args...)
		}
		if err != nil {
			return fmt.Errorf("stage: %w", err)
		}
	}
	return tx.Commit()
}

// stageCols are the columns of each stage table.
var stageCols = map[string]string{"members": stageMemberCols, "updates": stageMemberCols, "transfers": stageTransferCols, "deltas": stageDeltaCols,
	"keys": stageKeyCols}

// cols are the columns of a stage table as the stage writes them. On
// SQLite the new members are numbered in the order they came (seq, from
// 1): a chunked merge gives them the ids lo + seq - 1 (holds.go).
func (st *Stage) cols(table string) string {
	if table == "members" && st.s.engine == SQLite {
		return "seq, " + stageMemberCols
	}
	return stageCols[table]
}

func (st *Stage) copyRows(b stageBatch) error {
	names := strings.Split(strings.ReplaceAll(b.cols, " ", ""), ",")
	return st.conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		_, err := c.CopyFrom(st.ctx, pgx.Identifier{"stg_" + b.table}, names, pgx.CopyFromRows(b.rows))
		if err != nil {
			return fmt.Errorf("stage: %w", err)
		}
		return nil
	})
}

// AddMembers stages members that are not on record in tx's snapshot
// (lines are their rows in the file), and rolls their counters up to
// their ancestors on tx's tree. tx must be the snapshot the rows were
// checked in.
func (st *Stage) AddMembers(tx *Tx, ms []Staged[*domain.Member]) error {
	if len(ms) == 0 {
		return nil
	}
	if !st.stamped {
		stamp, err := tx.TreeStamp()
		if err != nil {
			return err
		}
		st.stamp, st.stamped = stamp, true
	}
	d := engine.Deltas{}
	rows := make([][]any, len(ms))
	if st.units == nil {
		st.units = map[int64]struct{}{}
	}
	for i, sm := range ms {
		rows[i] = st.memberArgs(sm.Line, sm.Rec)
		if st.s.engine == SQLite {
			rows[i] = append([]any{st.news + int64(i) + 1}, rows[i]...)
		}
		d.AddMember(sm.Rec, nil, 1)
		st.units[sm.Rec.UnitID] = struct{}{}
	}
	st.news += int64(len(ms))
	ids := make([]int64, 0, len(d))
	for k := range d {
		ids = append(ids, k.UnitID)
	}
	if err := tx.closures(ids); err != nil {
		return err
	}
	for k, c := range d {
		if !c.IsZero() {
			roll(st.rolled, k.UnitID, k.Day, c, tx.tree.clos[k.UnitID])
		}
	}
	if err := st.put("members", st.cols("members"), rows, stageUpserts["members"]); err != nil {
		return err
	}
	if len(st.rolled) > stageMaxRolled {
		return st.spillDeltas()
	}
	return nil
}

// spillDeltas moves the rolled deltas to the stage: summed in place on
// SQLite, summed at commit on PostgreSQL.
func (st *Stage) spillDeltas() error {
	rows := make([][]any, 0, len(st.rolled))
	for k, c := range st.rolled {
		if c.IsZero() {
			continue
		}
		var day any
		if st.s.engine == Postgres {
			day = stageDate(k.Day)
		} else {
			day = st.dayText(k.Day)
		}
		rows = append(rows, []any{k.UnitID, day, c.Admitted, c.Net, c.Party})
	}
	st.rolled = engine.Deltas{}
	st.deltaRows += len(rows)
	return st.put("deltas", stageDeltaCols, rows, stageUpserts["deltas"])
}

// stageUpserts: SQLite sums the deltas in the stage as they come.
var stageUpserts = map[string]string{"deltas": ` ON CONFLICT (unit_id, day) DO UPDATE SET admitted = admitted + excluded.admitted,
	net = net + excluded.net, party = party + excluded.party`}

// AddUpdates stages members on record that the import changes. They are
// checked again and written by the commit's callback (StagedUpdates).
func (st *Stage) AddUpdates(ms []Staged[*domain.Member]) error {
	rows := make([][]any, len(ms))
	for i, sm := range ms {
		rows[i] = st.memberArgs(sm.Line, sm.Rec)
	}
	st.others += int64(len(ms))
	return st.put("updates", stageMemberCols, rows, stageUpserts["updates"])
}

// AddTransfers stages transfers, checked again and written by the commit's
// callback (StagedTransfers).
func (st *Stage) AddTransfers(ts []Staged[domain.Transfer]) error {
	rows := make([][]any, len(ts))
	for i, s := range ts {
		var day any = s.Rec.Date
		if st.s.engine == Postgres {
			day = stageDate(s.Rec.Date)
		}
		rows[i] = []any{int64(s.Line), s.Rec.NationalID, day, s.Rec.ToUnitID, s.Rec.ToUnitCode}
	}
	return st.put("transfers", stageTransferCols, rows, stageUpserts["transfers"])
}

// finish writes out what the stage still holds in memory.
func (st *Stage) finish() error {
	if err := st.spillDeltas(); err != nil {
		return err
	}
	for _, t := range []string{"members", "updates", "transfers", "deltas", "keys"} {
		if err := st.send(t, st.cols(t), stageUpserts[t]); err != nil {
			return err
		}
	}
	if err := st.wait(); err != nil {
		return err
	}
	if st.s.engine == Postgres {
		// The merge plans better with the stage's sizes known.
		if _, err := st.conn.ExecContext(st.ctx, `ANALYZE stg_members, stg_deltas`); err != nil {
			return err
		}
	}
	return nil
}

// Commit writes the stage in one write transaction: the new members and
// their counters, then fn, which checks again and writes the staged
// updates and transfers (StagedUpdates, StagedTransfers) and whatever else
// belongs to the import (its audit entry). It returns ErrStale when the
// database changed in a way the staged rows depend on; nothing is written
// then. The stage cannot be used after Commit.
//
// On SQLite, many new members go in by chunks before that transaction,
// hidden until it commits (holds.go); fn sees them. A failure deletes them
// again, so nothing is written then either.
func (st *Stage) Commit(ctx context.Context, fn func(*Tx) error) error {
	if err := st.finish(); err != nil {
		return err
	}
	if st.s.engine == SQLite && st.news >= max(chunkMinNews, 2) {
		if err := st.closeLite(); err != nil {
			return err
		}
		return st.s.fullErr(st.commitChunked(ctx, fn))
	}
	for attempt := 1; ; attempt++ {
		err := st.commitOnce(ctx, fn)
		if err == nil || attempt == writeAttempts || !retryable(err) {
			return st.s.fullErr(err)
		}
		time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
	}
}

func (st *Stage) commitOnce(ctx context.Context, fn func(*Tx) error) error {
	if st.s.engine == Postgres {
		return st.mergeTx(ctx, st.conn, fn)
	}
	if err := st.closeLite(); err != nil {
		return err
	}
	return st.withStage(ctx, func(c *sql.Conn) error {
		if st.news == 0 {
			return st.mergeTx(ctx, c, fn)
		}
		// Settings of the writer's connection for the merge (see
		// stage_sqlite.go); they change nothing inside a transaction.
		restore, err := st.liteBegin(ctx, c)
		if err != nil {
			return err
		}
		err = st.mergeTx(ctx, c, fn)
		restore(err == nil)
		return err
	})
}

// closeLite closes the SQLite stage's own handle: from now on it is read
// attached to the writer's connection.
func (st *Stage) closeLite() error {
	if st.db == nil {
		return nil
	}
	err := st.db.Close()
	st.db = nil
	return err
}

// withStage runs fn on the writer's connection of SQLite with the stage
// attached as stg, then gives the connection back to the pool.
func (st *Stage) withStage(ctx context.Context, fn func(*sql.Conn) error) error {
	c, err := st.s.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `ATTACH DATABASE ? AS stg`, st.path); err != nil {
		return fmt.Errorf("stage: %w", err)
	}
	defer func() {
		if _, err := c.ExecContext(context.Background(), `DETACH DATABASE stg`); err != nil {
			c.Raw(func(any) error { return driverBadConn })
		}
	}()
	return fn(c)
}

// mergeTx runs merge in a transaction of conn and commits it.
func (st *Stage) mergeTx(ctx context.Context, conn *sql.Conn, fn func(*Tx) error) error {
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := st.s.newTx(ctx, sqlTx)
	if err := st.merge(tx, nil, fn); err != nil {
		sqlTx.Rollback()
		return err
	}
	t0 := time.Now()
	defer trace("commit", t0)
	return sqlTx.Commit()
}

var stageTrace = os.Getenv("CONGDOAN_STAGE_TRACE") != ""

func trace(what string, start time.Time) {
	if stageTrace {
		fmt.Fprintf(os.Stderr, "stage: %s %v (process CPU %v)\n", what, time.Since(start).Round(time.Millisecond), processCPU().Round(time.Millisecond))
	}
}

// merge writes the stage in tx. With a hold (a chunked merge, holds.go)
// the new members are in already, hidden: merge deletes the hold, which
// shows them to tx (the callback may transfer them) and to everyone once
// tx commits, and checks their units.
func (st *Stage) merge(tx *Tx, h *hold, fn func(*Tx) error) error {
	t0 := time.Now()
	defer trace("merge", t0)
	trace(fmt.Sprintf("%d delta rows", st.deltaRows), t0)
	if h != nil {
		res, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM member_holds WHERE id = 1 AND token = ?`, h.token)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return ErrStale // dropped as abandoned: the import starts over
		}
		stamp, err := tx.TreeStamp()
		if err != nil {
			return err
		}
		if stamp != st.stamp {
			return ErrStale
		}
		if err := st.checkStagedUnits(tx); err != nil {
			return err
		}
	} else if st.news > 0 {
		if st.s.engine == Postgres {
			// The new members' counters were rolled up on the snapshot's
			// tree: the tree must stay as checked until the commit. Unit
			// edits and moves wait for it (SQLite has one writer anyway).
			if _, err := tx.tx.ExecContext(tx.ctx, `LOCK TABLE units, unit_tree, unit_moves IN SHARE MODE`); err != nil {
				return err
			}
		}
		stamp, err := tx.TreeStamp()
		if err != nil {
			return err
		}
		if stamp != st.stamp {
			return ErrStale
		}
		trace("stamp", t0)
		t1 := time.Now()
		fast, err := st.skipForeignKeys(tx)
		if err != nil {
			return err
		}
		var indexes []string
		if st.s.engine == SQLite {
			if err := st.checkStagedUnits(tx); err != nil {
				return err
			}
			if indexes, err = dropMemberIndexes(tx, st.news); err != nil {
				return err
			}
		}
		// No ON CONFLICT: the rows were not on record in the snapshot, and
		// one added meanwhile makes the import start over.
		order := " ORDER BY seq" // SQLite: the stage's rowid order, free
		if st.s.engine == Postgres {
			order = "" // the order COPY wrote, without a sort
		}
		res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO members (national_id, id_type, full_name, name_folded, name_key, date_of_birth, gender,
			unit_id, current_unit_id, joined_on, joined_how, left_on, party_introduced_on, card_no)
			SELECT national_id, id_type, full_name, name_folded, name_key, date_of_birth, gender, unit_id, unit_id, joined_on, joined_how,
			left_on, party_introduced_on, card_no FROM `+st.table("members")+order)
		if uniqueViolation(err) {
			return ErrStale // a member of the file was added meanwhile
		}
		if err != nil {
			return fmt.Errorf("save members: %w", err)
		}
		trace("members", t1)
		if n, err := res.RowsAffected(); err != nil || n != st.news {
			return fmt.Errorf("save members: %d rows of %d", n, st.news)
		}
		for _, create := range indexes {
			_, err := tx.tx.ExecContext(tx.ctx, create)
			if uniqueViolation(err) {
				return ErrStale // PostgreSQL: a member of the file was added meanwhile
			}
			if err != nil {
				return fmt.Errorf("save members: %w", err)
			}
		}
		trace(fmt.Sprintf("%d indexes built again", len(indexes)), t1)
		if fast {
			if _, err := tx.tx.ExecContext(tx.ctx, `SET LOCAL session_replication_role = origin`); err != nil {
				return err
			}
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	if st.news > 0 {
		t2 := time.Now()
		defer trace("unit_day", t2)
		// Last, because on PostgreSQL it locks counter rows other writers
		// update too (pgAddCounters: in the same order as Flush does).
		if st.s.engine == Postgres {
			if err := st.pgAddCounters(tx); err != nil {
				return fmt.Errorf("update daily counters: %w", err)
			}
			if err := tx.Flush(); err != nil {
				return err
			}
			// The unions' rows after every counter row: a writer that
			// waits for one of those rows holds none of these (Flush
			// writes them last too), so neither waits for the other.
			if err := tx.addActiveFrom("stg_sums"); err != nil {
				return fmt.Errorf("update members of the unions: %w", err)
			}
			return nil
		}
		// SQLite's stage holds one summed row per key already, read in key
		// order: the order of unit_day's B-tree, without a sort.
		from := `SELECT unit_id, day, admitted, net, party FROM ` + st.table("deltas") + `
			WHERE admitted <> 0 OR net <> 0 OR party <> 0 ORDER BY unit_id, day`
		_, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO unit_day (unit_id, day, admitted, net, party) `+from+`
			ON CONFLICT (unit_id, day) DO UPDATE SET admitted = unit_day.admitted + excluded.admitted,
			net = unit_day.net + excluded.net, party = unit_day.party + excluded.party`)
		if err != nil {
			return fmt.Errorf("update daily counters: %w", err)
		}
		if err := tx.addActiveFrom(st.table("deltas")); err != nil {
			return fmt.Errorf("update members of the unions: %w", err)
		}
	}
	return tx.Flush()
}

// skipForeignKeys spares PostgreSQL the two foreign-key checks per new
// member (half the time of the merge), by checking them once per unit
// instead: the units the stage names are locked as the checks would lock
// them (FOR KEY SHARE) and must all exist; then, where the role may
// (superuser), the rest of the merge of the new members runs with
// session_replication_role = replica, which skips the per-row triggers.
// It reports whether it did; merge sets the role back after the insert.
// Without the right, the checks run row by row, as always.
func (st *Stage) skipForeignKeys(tx *Tx) (bool, error) {
	if st.s.engine != Postgres {
		return false, nil
	}
	var want int
	if err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(DISTINCT unit_id) FROM stg_members`).Scan(&want); err != nil {
		return false, err
	}
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT id FROM units WHERE id IN (SELECT DISTINCT unit_id FROM stg_members) FOR KEY SHARE`)
	if err != nil {
		return false, err
	}
	got := 0
	for rows.Next() {
		got++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	if got != want {
		return false, ErrStale // a unit went meanwhile
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `SAVEPOINT skip_fk`); err != nil {
		return false, err
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `SET LOCAL session_replication_role = replica`); err != nil {
		_, rerr := tx.tx.ExecContext(tx.ctx, `ROLLBACK TO SAVEPOINT skip_fk`)
		return false, rerr
	}
	_, err = tx.tx.ExecContext(tx.ctx, `RELEASE SAVEPOINT skip_fk`)
	return err == nil, err
}

// uniqueViolation reports a unique key violated.
func uniqueViolation(err error) bool {
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		return pg.SQLState() == "23505"
	}
	var lite interface{ Code() int }
	return errors.As(err, &lite) && lite.Code() == 2067 // SQLITE_CONSTRAINT_UNIQUE
}

// StagedUpdates reads, in the commit's transaction, up to n staged
// updates after row line after.
func (st *Stage) StagedUpdates(tx *Tx, after, n int) ([]Staged[*domain.Member], error) {
	rows, err := tx.query(`SELECT `+stageMemberCols+` FROM `+st.table("updates")+` WHERE line > ? ORDER BY line LIMIT ?`, after, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Staged[*domain.Member]
	for rows.Next() {
		m := &domain.Member{}
		var line int
		var folded string
		var key []byte
		if err := rows.Scan(&line, &m.NationalID, &m.IDType, &m.FullName, &folded, &key, &m.DateOfBirth, &m.Gender, &m.UnitID, &m.UnitCode,
			&m.JoinedOn, &m.JoinedHow, &m.LeftOn, &m.PartyIntroducedOn, &m.CardNo); err != nil {
			return nil, err
		}
		out = append(out, Staged[*domain.Member]{Line: line, Rec: m})
	}
	return out, rows.Err()
}

// StagedTransfers reads, in the commit's transaction, up to n staged
// transfers after row line after.
func (st *Stage) StagedTransfers(tx *Tx, after, n int) ([]Staged[domain.Transfer], error) {
	rows, err := tx.query(`SELECT `+stageTransferCols+` FROM `+st.table("transfers")+` WHERE line > ? ORDER BY line LIMIT ?`, after, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Staged[domain.Transfer]
	for rows.Next() {
		var s Staged[domain.Transfer]
		if err := rows.Scan(&s.Line, &s.Rec.NationalID, &s.Rec.Date, &s.Rec.ToUnitID, &s.Rec.ToUnitCode); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
