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
	deltas engine.Deltas
	// rebuild is set when a unit moved under another parent: the subtree
	// counters are then recomputed at commit.
	rebuild bool
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
			tx := &Tx{s: s, ctx: ctx, tx: sqlTx, byCode: map[string]*domain.Unit{}, byID: map[int64]*domain.Unit{}, deltas: engine.Deltas{}}
			if err := fn(tx); err != nil {
				return err
			}
			if tx.rebuild {
				return tx.rebuildCounters()
			}
			return tx.Flush()
		})
		if err == nil || attempt == writeAttempts || !retryable(err) {
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

// retryable reports whether err is a conflict between concurrent
// transactions, which the same transaction run again can get past.
func retryable(err error) bool {
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		switch pg.SQLState() {
		case "40P01", // deadlock_detected
			"40001", // serialization_failure
			"23505": // unique_violation: a key another transaction inserted meanwhile
			return true
		}
		return false
	}
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
	return tx.tx.ExecContext(tx.ctx, tx.s.rebind(q), args...)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(tx.ctx, tx.s.rebind(q), args...)
}

const unitCols = `u.id, u.code, u.name, u.parent_id, COALESCE(p.code, ''), u.kind, u.ownership, u.enterprise_tax_code, u.founded_on, u.decision_no, u.method, u.dissolved_on, u.path`
const unitFrom = ` FROM units u LEFT JOIN units p ON p.id = u.parent_id`

func scanUnit(sc interface{ Scan(...any) error }) (*domain.Unit, error) {
	u := &domain.Unit{}
	var parent sql.NullInt64
	err := sc.Scan(&u.ID, &u.Code, &u.Name, &parent, &u.ParentCode, &u.Kind, &u.Ownership, &u.EnterpriseTaxCode,
		&u.FoundedOn, &u.DecisionNo, &u.Method, &u.DissolvedOn, &u.Path)
	u.ParentID = parent.Int64
	return u, err
}

// Unit returns the unit with that code, or an error wrapping
// domain.ErrNotFound.
func (tx *Tx) Unit(code string) (*domain.Unit, error) {
	if u := tx.byCode[code]; u != nil {
		return u, nil
	}
	u, err := scanUnit(tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`SELECT `+unitCols+unitFrom+` WHERE u.code = ?`), code))
	if err == sql.ErrNoRows {
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
	return rows.Err()
}

// HasChildren reports whether a unit has units below it.
func (tx *Tx) HasChildren(id int64) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`SELECT COUNT(*) FROM units WHERE parent_id = ?`), id).Scan(&n)
	return n > 0, err
}

// HasMembers reports whether any member ever belonged to a unit.
func (tx *Tx) HasMembers(id int64) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`SELECT COUNT(*) FROM unit_day WHERE unit_id = ?`), id).Scan(&n)
	return n > 0, err
}

// PutUnit inserts or updates a unit (keyed by code). Its parent must already
// be in the database. Moving a unit under another parent rewrites the paths
// of its subtree and has the counters rebuilt at commit.
func (tx *Tx) PutUnit(u *domain.Unit) error {
	var parent *domain.Unit
	if u.ParentCode != "" {
		var err error
		if parent, err = tx.Unit(u.ParentCode); err != nil {
			return err
		}
		u.ParentID = parent.ID
	} else {
		u.ParentID = 0
	}
	var parentArg any
	if parent != nil {
		parentArg = parent.ID
	}
	old, err := tx.Unit(u.Code)
	if err != nil && !isNotFound(err) {
		return err
	}
	if old == nil {
		err := tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`INSERT INTO units (code, name, parent_id, kind, ownership, enterprise_tax_code, founded_on, decision_no, method, dissolved_on, path)
			VALUES (?,?,?,?,?,?,?,?,?,?,'') RETURNING id`),
			u.Code, u.Name, parentArg, u.Kind, u.Ownership, u.EnterpriseTaxCode, u.FoundedOn, u.DecisionNo, u.Method, u.DissolvedOn).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("insert unit %s: %w", u.Code, err)
		}
		u.Path = "/" + strconv.FormatInt(u.ID, 10) + "/"
		if parent != nil {
			u.Path = parent.Path + strconv.FormatInt(u.ID, 10) + "/"
		}
		if _, err := tx.exec(`UPDATE units SET path = ? WHERE id = ?`, u.Path, u.ID); err != nil {
			return err
		}
		tx.byCode[u.Code], tx.byID[u.ID] = u, u
		return nil
	}
	u.ID = old.ID
	u.Path = old.Path
	if old.ParentID != u.ParentID {
		newPath := "/" + strconv.FormatInt(u.ID, 10) + "/"
		if parent != nil {
			if strings.HasPrefix(parent.Path, old.Path) {
				return fmt.Errorf("đơn vị %[1]s không thể chuyển về dưới %[2]s, một đơn vị trực thuộc chính nó (unit %[1]s cannot move under its own subtree (%[2]s))", u.Code, parent.Code)
			}
			newPath = parent.Path + strconv.FormatInt(u.ID, 10) + "/"
		}
		if _, err := tx.exec(`UPDATE units SET path = ? || substr(path, ?) WHERE path >= ? AND path < ?`,
			newPath, len(old.Path)+1, old.Path, prefixEnd(old.Path)); err != nil {
			return fmt.Errorf("move unit %s: %w", u.Code, err)
		}
		u.Path = newPath
		// Cached descendants carry stale paths: drop the cache.
		tx.byCode, tx.byID = map[string]*domain.Unit{}, map[int64]*domain.Unit{}
		tx.rebuild = true
	}
	_, err = tx.exec(`UPDATE units SET name=?, parent_id=?, kind=?, ownership=?, enterprise_tax_code=?, founded_on=?, decision_no=?, method=?, dissolved_on=? WHERE id=?`,
		u.Name, parentArg, u.Kind, u.Ownership, u.EnterpriseTaxCode, u.FoundedOn, u.DecisionNo, u.Method, u.DissolvedOn, u.ID)
	if err != nil {
		return fmt.Errorf("update unit %s: %w", u.Code, err)
	}
	tx.byCode[u.Code], tx.byID[u.ID] = u, u
	return nil
}

// prefixEnd is the smallest string above every string that starts with
// path (which ends in '/'; '0' follows '/' in byte order).
func prefixEnd(p string) string { return p[:len(p)-1] + "0" }

func isNotFound(err error) bool { return errors.Is(err, domain.ErrNotFound) }

// AddMemberDeltas records a change to one member's contribution to the
// daily counters (sign -1 for the old state, +1 for the new one).
func (tx *Tx) AddMemberDeltas(m *domain.Member, transfers []domain.Transfer, sign int64) error {
	tx.deltas.AddMember(m, transfers, sign)
	if len(tx.deltas) > maxPendingDeltas {
		return tx.Flush()
	}
	return nil
}

// Flush writes the pending deltas, each added to the unit's row and to
// every ancestor's.
func (tx *Tx) Flush() error {
	if len(tx.deltas) == 0 {
		return nil
	}
	rolled := engine.Deltas{}
	for k, c := range tx.deltas {
		if c.IsZero() {
			continue
		}
		u, err := tx.unitByID(k.UnitID)
		if err != nil {
			return err
		}
		for _, anc := range strings.Split(strings.Trim(u.Path, "/"), "/") {
			id, _ := strconv.ParseInt(anc, 10, 64)
			x := rolled[engine.Key{UnitID: id, Day: k.Day}]
			if x == nil {
				x = &engine.Counters{}
				rolled[engine.Key{UnitID: id, Day: k.Day}] = x
			}
			x.Add(*c, 1)
		}
	}
	tx.deltas = engine.Deltas{}
	rolled.Compact()
	const batch = 1000
	keys := make([]engine.Key, 0, len(rolled))
	for k := range rolled {
		keys = append(keys, k)
	}
	// Every transaction locks the counter rows in the same order, so two
	// that touch the same units and days wait for each other instead of
	// deadlocking.
	slices.SortFunc(keys, func(a, b engine.Key) int {
		if c := cmp.Compare(a.UnitID, b.UnitID); c != 0 {
			return c
		}
		return cmp.Compare(a.Day, b.Day)
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
	return nil
}

func (tx *Tx) unitByID(id int64) (*domain.Unit, error) {
	if u := tx.byID[id]; u != nil {
		return u, nil
	}
	u, err := scanUnit(tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`SELECT `+unitCols+unitFrom+` WHERE u.id = ?`), id))
	if err != nil {
		return nil, fmt.Errorf("unit #%d: %w", id, err)
	}
	tx.byCode[u.Code], tx.byID[u.ID] = u, u
	return u, nil
}

// rebuildCounters recomputes every daily counter from the members, after
// the tree changed shape.
func (tx *Tx) rebuildCounters() error {
	tx.deltas = engine.Deltas{}
	if _, err := tx.exec(`DELETE FROM unit_day`); err != nil {
		return err
	}
	tx.byCode, tx.byID = map[string]*domain.Unit{}, map[int64]*domain.Unit{}
	if err := tx.LoadUnits(); err != nil {
		return err
	}
	err := tx.EachMember(func(m *domain.Member, ts []domain.Transfer) error {
		return tx.AddMemberDeltas(m, ts, 1)
	})
	if err != nil {
		return err
	}
	return tx.Flush()
}
