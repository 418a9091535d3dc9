package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"congdoan/internal/domain"
)

// SaveMove records a move (keyed by unit and date; an existing one is
// updated) and brings the dated tree and the daily counters of the
// ancestors up to date. Its cost is the moved unit's counter rows from the
// move's date on and the closures of the units below it, never the
// members. The caller has checked the move (importer).
func (tx *Tx) SaveMove(m *domain.Move) error {
	u, err := tx.Unit(m.UnitCode)
	if err != nil {
		return err
	}
	p, err := tx.Unit(m.NewParentCode)
	if err != nil {
		return err
	}
	m.UnitID, m.NewParentID = u.ID, p.ID
	cycle, err := tx.MoveMakesCycle(u.ID, p.ID, m.MovedOn)
	if err != nil {
		return err
	}
	if cycle != 0 {
		return &domain.BelowItself{Unit: u.Code, Parent: p.Code}
	}
	old, err := tx.segments(u.ID)
	if err != nil {
		return err
	}
	var moves []segment
	for _, s := range old[1:] {
		if s.from != m.MovedOn {
			moves = append(moves, s)
		}
	}
	moves = append(moves, segment{parent: p.ID, from: m.MovedOn, decision: m.DecisionNo})
	slices.SortFunc(moves, func(a, b segment) int { return cmp.Compare(a.from, b.from) })
	tx.pendingMoves = append(tx.pendingMoves, *m)
	return tx.reparent(u.ID, buildSegments(old[0].parent, moves))
}

// writeMoves writes the moves saved since the last time, many a statement.
func (tx *Tx) writeMoves() error {
	for len(tx.pendingMoves) > 0 {
		// One statement may not name a unit and day twice.
		n, seen := 0, map[domain.Move]bool{}
		var args []any
		for n < len(tx.pendingMoves) && n < 500 {
			m := tx.pendingMoves[n]
			k := domain.Move{UnitID: m.UnitID, MovedOn: m.MovedOn}
			if seen[k] {
				break
			}
			seen[k] = true
			args = append(args, m.UnitID, m.MovedOn, m.NewParentID, m.DecisionNo)
			n++
		}
		_, err := tx.exec(`INSERT INTO unit_moves (unit_id, moved_on, new_parent_id, decision_no) VALUES `+placeholders(n, 4)+`
			ON CONFLICT (unit_id, moved_on) DO UPDATE SET new_parent_id = excluded.new_parent_id, decision_no = excluded.decision_no`, args...)
		if err != nil {
			return fmt.Errorf("save moves: %w", err)
		}
		tx.pendingMoves = tx.pendingMoves[n:]
	}
	return nil
}

// writePaths writes the parent and path of the grassroots units moved in
// today's tree since the last time.
func (tx *Tx) writePaths() error {
	ids := make([]int64, 0, len(tx.pathDirty))
	for id := range tx.pathDirty {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i := 0; i < len(ids); i += 300 {
		part := ids[i:min(i+300, len(ids))]
		var args []any
		for _, id := range part {
			u := tx.byID[id]
			var parent any
			if u.ParentID != 0 {
				parent = u.ParentID
			}
			args = append(args, id, parent, u.Path)
		}
		// Two statements of the same shape on both engines: the rows are
		// few (a unit each), the round trips what counts.
		var q string
		if tx.s.engine == Postgres {
			q = `UPDATE units SET parent_id = v.parent_id, path = v.path FROM (VALUES ` + placeholders(len(part), 3) +
				`) AS v(id, parent_id, path) WHERE units.id = v.id::bigint`
			q = strings.Replace(q, "(?,?,?)", "(?::bigint,?::bigint,?::text)", -1)
		} else {
			q = `WITH v(id, parent_id, path) AS (VALUES ` + placeholders(len(part), 3) + `)
				UPDATE units SET parent_id = (SELECT v.parent_id FROM v WHERE v.id = units.id),
				path = (SELECT v.path FROM v WHERE v.id = units.id) WHERE id IN (SELECT id FROM v)`
		}
		if _, err := tx.exec(q, args...); err != nil {
			return fmt.Errorf("move units: %w", err)
		}
	}
	tx.pathDirty = map[int64]bool{}
	return nil
}

// ParentHistory is a unit's history of parents ("Quá trình trực thuộc"),
// oldest first: the parent of units.csv, then one span per move.
func (s *Store) ParentHistory(ctx context.Context, unitID int64) ([]domain.ParentSpan, error) {
	var out []domain.ParentSpan
	var base sql.NullInt64
	var code, name string
	err := s.replica.QueryRowContext(ctx, s.rebind(`SELECT u.base_parent_id, COALESCE(p.code, ''), COALESCE(p.name, '')
		FROM units u LEFT JOIN units p ON p.id = u.base_parent_id WHERE u.id = ?`), unitID).Scan(&base, &code, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("unit", fmt.Sprint(unitID))
	}
	if err != nil {
		return nil, err
	}
	out = append(out, domain.ParentSpan{ParentID: base.Int64, ParentCode: code, ParentName: name})
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT m.moved_on, m.new_parent_id, p.code, p.name, m.decision_no
		FROM unit_moves m JOIN units p ON p.id = m.new_parent_id WHERE m.unit_id = ? ORDER BY m.moved_on`), unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var sp domain.ParentSpan
		if err := rows.Scan(&sp.From, &sp.ParentID, &sp.ParentCode, &sp.ParentName, &sp.DecisionNo); err != nil {
			return nil, err
		}
		out[len(out)-1].To = sp.From
		out = append(out, sp)
	}
	return out, rows.Err()
}

// UnitMoves lists a unit's moves in date order.
func (s *Store) UnitMoves(ctx context.Context, unitID int64) ([]domain.Move, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT u.code, m.moved_on, m.new_parent_id, p.code, m.decision_no
		FROM unit_moves m JOIN units u ON u.id = m.unit_id JOIN units p ON p.id = m.new_parent_id
		WHERE m.unit_id = ? ORDER BY m.moved_on`), unitID)
	out, err := collect(rows, err, func(m *domain.Move) error {
		m.UnitID = unitID
		return rows.Scan(&m.UnitCode, &m.MovedOn, &m.NewParentID, &m.NewParentCode, &m.DecisionNo)
	})
	if out == nil && err == nil {
		out = []domain.Move{} // none: an empty list, not null
	}
	return out, err
}

// ChildrenOn returns the units directly below a unit on the tree of day d,
// of every kind, open or not on d, ordered by code.
func (s *Store) ChildrenOn(ctx context.Context, unitID int64, d domain.Date) ([]*domain.Unit, error) {
	units, err := s.unitsWhere(ctx, ` WHERE u.id IN (SELECT t.unit_id FROM unit_tree t WHERE t.ancestor_id = ? AND t.depth = 1 AND t.from_day <= ? AND ? < t.to_day)`, unitID, d, d)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(units, func(a, b *domain.Unit) int { return cmp.Compare(a.Code, b.Code) })
	return units, nil
}
