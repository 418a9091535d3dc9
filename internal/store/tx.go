package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/vn"
)

// Tx is one write transaction. It caches the units it has looked at, and
// collects the counter deltas of the members it changes so that they are
// written once, summed, at Flush or commit.
type Tx struct {
	s      *Store
	ctx    context.Context
	tx     *sql.Tx
	byCode map[string]*domain.Unit
	byID   map[int64]*domain.Unit
	// deltas are unit-level changes (members), rolled up to the ancestors
	// of each day at Flush; directDeltas are changes to a unit's subtree
	// counters as they are (a move's), and directUnits the units they touch.
	deltas       engine.Deltas
	directDeltas engine.Deltas
	directUnits  map[int64]bool
	tree         *treeCache
	stmts        map[string]*sql.Stmt
	// pendingMoves and pathDirty are writes of a reorganisation held back
	// to be written together at Flush: the moves saved, and the grassroots
	// units whose parent and path (today's tree) changed.
	pendingMoves []domain.Move
	pathDirty    map[int64]bool
	// unitsAll: every unit is in the cache (LoadUnits, and PutUnit since),
	// so a code not there is no unit, without a query; and a new unit's
	// path waits for Flush with the others (pathDirty), sparing a large
	// units import two round trips a row.
	unitsAll bool
}

// maxPendingDeltas bounds the memory of a large import: past it the deltas
// are written out.
const maxPendingDeltas = 50_000

// writeAttempts bounds how often Write runs a transaction that lost a
// deadlock or a serialization conflict.
const writeAttempts = 5

// Write runs fn in a write transaction: everything fn wrote lands, or
// nothing does when fn returns an error.
//
// A transaction that failed only because of concurrent writers (PostgreSQL
// deadlock or serialization failure, a unique key inserted meanwhile by
// another transaction, SQLite still busy after its timeout) is run again
// from the start, a few times: fn must therefore be safe to call more than
// once, keeping no state of an earlier attempt.
func (s *Store) Write(ctx context.Context, fn func(*Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.tx(ctx, func(sqlTx *sql.Tx) error {
			tx := s.newTx(ctx, sqlTx)
			if err := fn(tx); err != nil {
				return err
			}
			return tx.Flush()
		})
		if err == nil || attempt == writeAttempts || !retryable(err) {
			return s.fullErr(err)
		}
		// A unique key another transaction inserted meanwhile is seen by
		// the second run, which then fails with its own clear message; a
		// real duplicate must not wait through every attempt.
		if uniqueViolation(err) && attempt > 1 {
			return err
		}
		// Back off a little, with jitter, so the contenders do not meet again.
		wait := time.Duration(attempt*attempt)*5*time.Millisecond + time.Duration(mrand.Int64N(int64(10*time.Millisecond)))
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// newTx wraps a transaction.
func (s *Store) newTx(ctx context.Context, sqlTx *sql.Tx) *Tx {
	return &Tx{s: s, ctx: ctx, tx: sqlTx, byCode: map[string]*domain.Unit{}, byID: map[int64]*domain.Unit{},
		deltas: engine.Deltas{}, directDeltas: engine.Deltas{}, directUnits: map[int64]bool{}, tree: newTreeCache(),
		pathDirty: map[int64]bool{}}
}

// retryable reports whether err is a conflict between concurrent
// transactions, which the same transaction run again can get past.
func retryable(err error) bool {
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		switch pg.SQLState() {
		case "40P01", // deadlock_detected
			"40001", // serialization_failure
			"23505": // unique_violation: a key another transaction inserted meanwhile (retried once, see Write)
			return true
		}
		return false
	}
	return sqliteBusy(err)
}

// sqliteBusy reports whether err is SQLite's "busy" or "locked": another
// connection held the lock past the busy timeout.
func sqliteBusy(err error) bool {
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	return false
}

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	if st := tx.prepared(q); st != nil {
		return st.ExecContext(tx.ctx, args...)
	}
	return tx.tx.ExecContext(tx.ctx, tx.s.rebind(q), args...)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	if st := tx.prepared(q); st != nil {
		return st.QueryContext(tx.ctx, args...)
	}
	return tx.tx.QueryContext(tx.ctx, tx.s.rebind(q), args...)
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	if st := tx.prepared(q); st != nil {
		return st.QueryRowContext(tx.ctx, args...)
	}
	return tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(q), args...)
}

// prepared returns the transaction's prepared statement for a short query
// run once per row (a move, a look-up), or nil. SQLite parses every
// statement anew otherwise, which costs more than running it. The
// multi-row statements of large writes come in many shapes and are not
// kept.
func (tx *Tx) prepared(q string) *sql.Stmt {
	if tx.s.engine != SQLite || strings.Count(q, "?") > 8 {
		return nil
	}
	if st, ok := tx.stmts[q]; ok {
		return st
	}
	st, err := tx.tx.PrepareContext(tx.ctx, q)
	if err != nil {
		return nil // the caller runs it unprepared and reports the error
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[q] = st
	return st
}

const unitCols = `u.id, u.code, u.name, u.parent_id, COALESCE(p.code, ''), u.base_parent_id, COALESCE(bp.code, ''), u.kind, u.ownership, u.enterprise_tax_code, u.founded_on, u.decision_no, u.method, u.dissolved_on, u.path`
const unitFrom = ` FROM units u LEFT JOIN units p ON p.id = u.parent_id LEFT JOIN units bp ON bp.id = u.base_parent_id`

func scanUnit(sc interface{ Scan(...any) error }) (*domain.Unit, error) {
	u := &domain.Unit{}
	var parent, base sql.NullInt64
	err := sc.Scan(&u.ID, &u.Code, &u.Name, &parent, &u.ParentCode, &base, &u.BaseParentCode, &u.Kind, &u.Ownership, &u.EnterpriseTaxCode,
		&u.FoundedOn, &u.DecisionNo, &u.Method, &u.DissolvedOn, &u.Path)
	u.ParentID, u.BaseParentID = parent.Int64, base.Int64
	return u, err
}

// Unit returns the unit with that code, or an error wrapping
// domain.ErrNotFound.
func (tx *Tx) Unit(code string) (*domain.Unit, error) {
	if u := tx.byCode[code]; u != nil {
		return u, nil
	}
	if tx.unitsAll {
		return nil, domain.NotFound("unit", code)
	}
	u, err := scanUnit(tx.queryRow(`SELECT `+unitCols+unitFrom+` WHERE u.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("unit", code)
	}
	if err != nil {
		return nil, err
	}
	tx.byCode[code], tx.byID[u.ID] = u, u
	return u, nil
}

// LoadUnits reads every unit into the cache at once; imports of many rows
// call it to spare a query per row.
func (tx *Tx) LoadUnits() error {
	if err := tx.writePaths(); err != nil {
		return err
	}
	rows, err := tx.query(`SELECT ` + unitCols + unitFrom)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return err
		}
		tx.byCode[u.Code], tx.byID[u.ID] = u, u
	}
	if err := rows.Err(); err != nil {
		return err
	}
	tx.unitsAll = true
	return tx.LoadTree()
}

// HasChildren reports whether a unit has units below it on some day.
func (tx *Tx) HasChildren(id int64) (bool, error) {
	kids, err := tx.childrenEver(id)
	return len(kids) > 0, err
}

// HasMembers reports whether any member ever belonged to a unit.
func (tx *Tx) HasMembers(id int64) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`SELECT COUNT(*) FROM unit_day WHERE unit_id = ?`), id).Scan(&n)
	return n > 0, err
}

// PutUnit inserts or updates a unit (keyed by code). Its parent (the parent
// of units.csv: before the unit's first move) must already be in the
// database. Changing it corrects the unit's whole history, as if it had
// always been there: the dated tree and the counters of the ancestors
// follow (retree), at the cost of the unit's own counter rows.
func (tx *Tx) PutUnit(u *domain.Unit) error {
	var parent *domain.Unit
	if u.ParentCode != "" {
		var err error
		if parent, err = tx.Unit(u.ParentCode); err != nil {
			return err
		}
	}
	var parentArg any
	var parentID int64
	if parent != nil {
		parentArg, parentID = parent.ID, parent.ID
	}
	old, err := tx.Unit(u.Code)
	if err != nil && !isNotFound(err) {
		return err
	}
	if old == nil {
		err := tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`INSERT INTO units (code, name, name_folded, parent_id, base_parent_id, kind, ownership, enterprise_tax_code, founded_on, decision_no, method, dissolved_on, path)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'') RETURNING id`),
			u.Code, u.Name, vn.Fold(u.Name), parentArg, parentArg, u.Kind, u.Ownership, u.EnterpriseTaxCode, u.FoundedOn, u.DecisionNo, u.Method, u.DissolvedOn).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("insert unit %s: %w", u.Code, err)
		}
		u.ParentID, u.BaseParentID, u.BaseParentCode = parentID, parentID, u.ParentCode
		u.Path = "/" + strconv.FormatInt(u.ID, 10) + "/"
		if parent != nil {
			u.Path = parent.Path + strconv.FormatInt(u.ID, 10) + "/"
		}
		tx.byCode[u.Code], tx.byID[u.ID] = u, u
		if tx.unitsAll {
			tx.pathDirty[u.ID] = true
		} else if _, err := tx.exec(`UPDATE units SET path = ? WHERE id = ?`, u.Path, u.ID); err != nil {
			return err
		}
		tx.tree.segs[u.ID] = []segment{{parent: parentID, from: alwaysFrom, to: alwaysTo}}
		tx.tree.clos[u.ID] = nil
		return tx.retree(u.ID, false)
	}
	u.ID = old.ID
	u.Path, u.ParentID, u.ParentCode = old.Path, old.ParentID, old.ParentCode
	u.BaseParentID, u.BaseParentCode = parentID, u.ParentCode
	if parent == nil {
		u.BaseParentCode = ""
	}
	_, err = tx.exec(`UPDATE units SET name=?, name_folded=?, base_parent_id=?, kind=?, ownership=?, enterprise_tax_code=?, founded_on=?, decision_no=?, method=?, dissolved_on=? WHERE id=?`,
		u.Name, vn.Fold(u.Name), parentArg, u.Kind, u.Ownership, u.EnterpriseTaxCode, u.FoundedOn, u.DecisionNo, u.Method, u.DissolvedOn, u.ID)
	if err != nil {
		return fmt.Errorf("update unit %s: %w", u.Code, err)
	}
	tx.byCode[u.Code], tx.byID[u.ID] = u, u
	if u.Kind == domain.KindGrassroots && old.Kind != u.Kind {
		if err := tx.recountActive(u.ID); err != nil {
			return fmt.Errorf("update unit %s: %w", u.Code, err)
		}
	}
	if old.BaseParentID == parentID {
		return nil
	}
	segs, err := tx.segments(u.ID)
	if err != nil {
		return err
	}
	cycle, err := tx.cycleFrom(u.ID, parentID, alwaysFrom, segs[0].to)
	if err != nil {
		return err
	}
	if cycle != 0 {
		return &domain.BelowItself{Unit: u.Code, Parent: parent.Code}
	}
	segs = append([]segment(nil), segs...)
	segs[0].parent = parentID
	if err := tx.reparent(u.ID, segs); err != nil {
		return err
	}
	now, err := tx.unitByID(u.ID)
	if err != nil {
		return err
	}
	*u = *now
	return nil
}

// reparent gives a unit new parents over time (segs), brings the tree
// and the counters up to date, and moves it in today's tree (parent_id and
// path: the parent after its latest move) where that changed.
func (tx *Tx) reparent(id int64, segs []segment) error {
	tx.tree.segs[id] = segs
	if err := tx.retree(id, true); err != nil {
		return err
	}
	u, err := tx.unitByID(id)
	if err != nil {
		return err
	}
	latest := segs[len(segs)-1].parent
	if latest == u.ParentID {
		return nil
	}
	newPath := "/" + strconv.FormatInt(u.ID, 10) + "/"
	var latestArg any
	if latest != 0 {
		p, err := tx.unitByID(latest)
		if err != nil {
			return err
		}
		newPath = p.Path + strconv.FormatInt(u.ID, 10) + "/"
		latestArg = latest
	}
	// The cached units of the subtree get their new paths. A grassroots
	// unit has none below it: its own row is written at Flush, with those
	// of the other units of a large reorganisation.
	oldPath := u.Path
	if u.Kind == domain.KindGrassroots {
		u.Path = newPath
		tx.pathDirty[u.ID] = true
	} else {
		if _, err := tx.exec(`UPDATE units SET path = ? || substr(path, ?) WHERE path >= ? AND path < ?`,
			newPath, len(u.Path)+1, u.Path, prefixEnd(u.Path)); err != nil {
			return fmt.Errorf("move unit %s: %w", u.Code, err)
		}
		if _, err := tx.exec(`UPDATE units SET parent_id = ? WHERE id = ?`, latestArg, u.ID); err != nil {
			return fmt.Errorf("move unit %s: %w", u.Code, err)
		}
		for _, c := range tx.byID {
			if strings.HasPrefix(c.Path, oldPath) {
				c.Path = newPath + c.Path[len(oldPath):]
			}
		}
	}
	u.ParentID = latest
	u.ParentCode = ""
	if latest != 0 {
		p, _ := tx.unitByID(latest)
		u.ParentCode = p.Code
	}
	return nil
}

// prefixEnd is the smallest string above every string that starts with
// path (which ends in '/'; '0' follows '/' in byte order).
func prefixEnd(p string) string { return p[:len(p)-1] + "0" }

func isNotFound(err error) bool { return errors.Is(err, domain.ErrNotFound) }

// Flush writes the pending deltas: each unit-level change added to the
// unit and to its ancestors of each day, and the moves' changes as they are;
// then the tree rows the transaction changed.
func (tx *Tx) Flush() error {
	if err := tx.writeMoves(); err != nil {
		return err
	}
	if err := tx.writePaths(); err != nil {
		return err
	}
	if err := tx.writeClosures(); err != nil {
		return err
	}
	if len(tx.deltas) == 0 && len(tx.directDeltas) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(tx.deltas))
	seen := map[int64]bool{}
	for k := range tx.deltas {
		if !seen[k.UnitID] {
			seen[k.UnitID] = true
			ids = append(ids, k.UnitID)
		}
	}
	if err := tx.closures(ids); err != nil {
		return err
	}
	active := activeChanges(tx.deltas)
	rolled := tx.directDeltas
	for k, c := range tx.deltas {
		if !c.IsZero() {
			roll(rolled, k.UnitID, k.Day, c, tx.tree.clos[k.UnitID])
		}
	}
	tx.deltas, tx.directDeltas, tx.directUnits = engine.Deltas{}, engine.Deltas{}, map[int64]bool{}
	rolled.Compact()
	const batch = 1000
	keys := make([]engine.Key, 0, len(rolled))
	for k := range rolled {
		keys = append(keys, k)
	}
	// Every transaction locks the counter rows in the same order, so two
	// that touch the same units and days wait for each other instead of
	// deadlocking: the highest unit ID first, so the rows everyone shares
	// (the root's, created first) are locked last and held the least while
	// a large transaction writes its counters (Stage.Commit does the same).
	slices.SortFunc(keys, func(a, b engine.Key) int {
		if c := cmp.Compare(b.UnitID, a.UnitID); c != 0 {
			return c
		}
		return cmp.Compare(b.Day, a.Day)
	})
	for i := 0; i < len(keys); i += batch {
		part := keys[i:min(i+batch, len(keys))]
		args := make([]any, 0, 5*len(part))
		for _, k := range part {
			c := rolled[k]
			args = append(args, k.UnitID, k.Day, c.Admitted, c.Net, c.Party)
		}
		_, err := tx.exec(`INSERT INTO unit_day (unit_id, day, admitted, net, party) VALUES `+placeholders(len(part), 5)+`
			ON CONFLICT (unit_id, day) DO UPDATE SET admitted = unit_day.admitted + excluded.admitted,
			net = unit_day.net + excluded.net, party = unit_day.party + excluded.party`, args...)
		if err != nil {
			return fmt.Errorf("update daily counters: %w", err)
		}
	}
	if err := tx.writeActive(active); err != nil {
		return fmt.Errorf("update members of the unions: %w", err)
	}
	return nil
}

func (tx *Tx) unitByID(id int64) (*domain.Unit, error) {
	if u := tx.byID[id]; u != nil {
		return u, nil
	}
	u, err := scanUnit(tx.queryRow(`SELECT `+unitCols+unitFrom+` WHERE u.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("unit #%d: %w", id, err)
	}
	tx.byCode[u.Code], tx.byID[u.ID] = u, u
	return u, nil
}
