package store

import (
	"cmp"
	"database/sql"
	"fmt"
	"slices"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

// The tree of each day (docs/indicators.md) is kept as a dated closure: table
// unit_tree holds, for every unit, each ancestor with the days [from, to)
// on which it is one. A unit's parents over time (its segments) come from
// units.base_parent_id and its moves (unit_moves).
//
// The daily counters (unit_day) of an ancestor A hold, on day d, the change
// of A's subtree on the tree of day d. A unit-level change at (u, d0) is
// therefore added to A over the days A is above u: the admissions and Party
// introductions on d0 where A is an ancestor on d0, and a change of active
// members from d0 on, which enters A's counters on the first day A is above
// u and leaves them on the day it stops being so (Flush).
//
// A move of unit g changes only g's ancestors over some days, and A's
// share of g's subtree is exactly g's own counters over the days A is above
// g (plus the members g brings in and takes out at the edges). So a move
// costs g's counter rows after its date, never the members (retree).

// Always is the span of days that stands for "always": the range of dates
// the system accepts (domain.ParseDate).
var (
	alwaysFrom = domain.NewDate(1900, 1, 1)
	alwaysTo   = domain.NewDate(2200, 12, 31)
)

// segment: the unit sits under parent (0: a root) over [from, to).
type segment struct {
	parent   int64
	from, to domain.Date
	decision string
}

// ancestor: id is an ancestor at depth levels above, over [from, to).
type ancestor struct {
	id       int64
	depth    int
	from, to domain.Date
}

// treeCache is a transaction's view of the dated tree. Closures it changes
// are written at Flush.
type treeCache struct {
	segs  map[int64][]segment
	clos  map[int64][]ancestor
	dirty map[int64]bool
	// all: every unit's closure is loaded, so a unit missing from clos has
	// no ancestors.
	all bool
}

func newTreeCache() *treeCache {
	return &treeCache{segs: map[int64][]segment{}, clos: map[int64][]ancestor{}, dirty: map[int64]bool{}}
}

// LoadTree reads the whole dated tree at once; imports of many rows call it
// (through LoadUnits) to spare a query per unit.
func (tx *Tx) LoadTree() error {
	rows, err := tx.query(`SELECT unit_id, ancestor_id, depth, from_day, to_day FROM unit_tree ORDER BY unit_id, ancestor_id, from_day`)
	if err != nil {
		return err
	}
	clos := map[int64][]ancestor{}
	if err := scanAncestors(rows, clos); err != nil {
		return err
	}
	for id, a := range clos {
		if !tx.tree.dirty[id] {
			tx.tree.clos[id] = a
		}
	}
	tx.tree.all = true
	// Every unit's segments: the units are in the cache (LoadUnits), the
	// moves few.
	rows, err = tx.query(`SELECT unit_id, moved_on, new_parent_id, decision_no FROM unit_moves ORDER BY unit_id, moved_on`)
	moves := map[int64][]segment{}
	err = forEachRow(rows, err, func() error {
		var id int64
		var s segment
		if err := rows.Scan(&id, &s.from, &s.parent, &s.decision); err != nil {
			return err
		}
		moves[id] = append(moves[id], s)
		return nil
	})
	if err != nil {
		return err
	}
	for id, u := range tx.byID {
		tx.tree.segs[id] = buildSegments(u.BaseParentID, moves[id])
	}
	return nil
}

// buildSegments turns the parent of units.csv and the moves (date order)
// into segments.
func buildSegments(base int64, moves []segment) []segment {
	segs := []segment{{parent: base, from: alwaysFrom, to: alwaysTo}}
	for _, s := range moves {
		s.to = alwaysTo
		segs[len(segs)-1].to = s.from
		segs = append(segs, s)
	}
	return segs
}

// closures makes sure the closures of ids are in the cache.
func (tx *Tx) closures(ids []int64) error {
	if tx.tree.all {
		return nil
	}
	var missing []any
	for _, id := range ids {
		if _, ok := tx.tree.clos[id]; !ok {
			missing = append(missing, id)
			tx.tree.clos[id] = nil // known from here on, even with no rows
		}
	}
	const batch = 500
	for i := 0; i < len(missing); i += batch {
		part := missing[i:min(i+batch, len(missing))]
		rows, err := tx.query(`SELECT unit_id, ancestor_id, depth, from_day, to_day FROM unit_tree WHERE unit_id IN `+
			placeholders(1, len(part))+` ORDER BY unit_id, ancestor_id, from_day`, part...)
		if err != nil {
			return err
		}
		if err := scanAncestors(rows, tx.tree.clos); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) closure(id int64) ([]ancestor, error) {
	if err := tx.closures([]int64{id}); err != nil {
		return nil, err
	}
	return tx.tree.clos[id], nil
}

// segments returns a unit's parents over time, oldest first.
func (tx *Tx) segments(id int64) ([]segment, error) {
	if s, ok := tx.tree.segs[id]; ok {
		return s, nil
	}
	u, err := tx.unitByID(id)
	if err != nil {
		return nil, err
	}
	rows, err := tx.query(`SELECT moved_on, new_parent_id, decision_no FROM unit_moves WHERE unit_id = ? ORDER BY moved_on`, id)
	moves, err := collect(rows, err, func(s *segment) error { return rows.Scan(&s.from, &s.parent, &s.decision) })
	if err != nil {
		return nil, err
	}
	segs := buildSegments(u.BaseParentID, moves)
	tx.tree.segs[id] = segs
	return segs, nil
}

// ParentOn returns the unit's parent on the tree of day d (0 for a root).
func (tx *Tx) ParentOn(unitID int64, d domain.Date) (int64, error) {
	segs, err := tx.segments(unitID)
	if err != nil {
		return 0, err
	}
	for _, s := range segs {
		if s.from <= d && d < s.to {
			return s.parent, nil
		}
	}
	return 0, nil
}

// cycleFrom returns the first day of [from, to) on which putting unit under
// parent would put the unit below itself (the unit is the parent, or above
// it on that day), or 0 when there is none.
func (tx *Tx) cycleFrom(unitID, parentID int64, from, to domain.Date) (domain.Date, error) {
	if parentID == 0 {
		return 0, nil
	}
	if parentID == unitID {
		return from, nil
	}
	clos, err := tx.closure(parentID)
	if err != nil {
		return 0, err
	}
	var first domain.Date
	for _, a := range clos {
		if a.id == unitID && a.from < to && from < a.to {
			if d := max(from, a.from); first == 0 || d < first {
				first = d
			}
		}
	}
	return first, nil
}

// MoveMakesCycle returns the first day, from d on, on which putting unit
// under newParent from day d would put the unit below itself on the tree of
// that day, or 0 when the move makes no cycle.
func (tx *Tx) MoveMakesCycle(unitID, newParentID int64, d domain.Date) (domain.Date, error) {
	segs, err := tx.segments(unitID)
	if err != nil {
		return 0, err
	}
	// The move holds until the unit's next move after d.
	to := alwaysTo
	for _, s := range segs {
		if s.from > d {
			to = s.from
			break
		}
	}
	return tx.cycleFrom(unitID, newParentID, d, to)
}

// computeClosure derives a unit's ancestors over time from its segments
// and its parents' own closures.
func (tx *Tx) computeClosure(id int64) ([]ancestor, error) {
	segs, err := tx.segments(id)
	if err != nil {
		return nil, err
	}
	var out []ancestor
	for _, s := range segs {
		if s.parent == 0 || s.from >= s.to {
			continue
		}
		out = append(out, ancestor{id: s.parent, depth: 1, from: s.from, to: s.to})
		pc, err := tx.closure(s.parent)
		if err != nil {
			return nil, err
		}
		for _, a := range pc {
			f, t := max(a.from, s.from), min(a.to, s.to)
			if f < t {
				out = append(out, ancestor{id: a.id, depth: a.depth + 1, from: f, to: t})
			}
		}
	}
	slices.SortFunc(out, func(a, b ancestor) int {
		if c := cmp.Compare(a.id, b.id); c != 0 {
			return c
		}
		return cmp.Compare(a.from, b.from)
	})
	// Join the spans that follow each other at the same depth (a unit moved
	// between two districts of one city stays in the city throughout).
	merged := out[:0]
	for _, a := range out {
		if n := len(merged); n > 0 && merged[n-1].id == a.id && merged[n-1].depth == a.depth && merged[n-1].to == a.from {
			merged[n-1].to = a.to
			continue
		}
		merged = append(merged, a)
	}
	return merged, nil
}

// childrenEver lists the units that have id as their parent on some day.
func (tx *Tx) childrenEver(id int64) ([]int64, error) {
	if err := tx.writeMoves(); err != nil {
		return nil, err
	}
	rows, err := tx.query(`SELECT id FROM units WHERE base_parent_id = ? UNION SELECT unit_id FROM unit_moves WHERE new_parent_id = ?`, id, id)
	return collect(rows, err, func(c *int64) error { return rows.Scan(c) })
}

// retree recomputes the closure of a unit whose segments changed, and of
// every unit below it on some day. With counters, it also moves the unit's
// share of its ancestors' daily counters from its old ancestors to its new
// ones: the units below it need nothing more, their share passes through
// the unit's own counters.
func (tx *Tx) retree(id int64, counters bool) error {
	old, err := tx.closure(id)
	if err != nil {
		return err
	}
	now, err := tx.computeClosure(id)
	if err != nil {
		return err
	}
	if slices.Equal(old, now) {
		return nil
	}
	if counters {
		if err := tx.moveCounters(id, old, now); err != nil {
			return err
		}
	}
	tx.tree.clos[id] = now
	tx.tree.dirty[id] = true
	u, err := tx.unitByID(id)
	if err != nil {
		return err
	}
	if u.Kind == domain.KindGrassroots {
		return nil
	}
	kids, err := tx.childrenEver(id)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if err := tx.retree(k, false); err != nil {
			return err
		}
	}
	return nil
}

// moveCounters takes the unit's counters out of the ancestors' spans that
// the change removes and adds them to the spans it adds. Over a span
// [from, to) ancestor A holds the unit's daily rows, plus on day from the
// members the unit brings in (active on from-1) and on day to minus those
// it takes out (active on to-1). Its cost is the unit's rows from the
// earliest changed span on.
func (tx *Tx) moveCounters(id int64, old, now []ancestor) error {
	// Per ancestor, the days it stops or starts being above the unit: the
	// differences of its old and new spans (a unit moved between two
	// districts of a city leaves the old district from the move's date on,
	// and the city not at all). An ancestor's share over a span is additive
	// in the span's days, so these differences are all that changes.
	byID := func(list []ancestor) map[int64][]span {
		m := map[int64][]span{}
		for _, a := range list {
			m[a.id] = append(m[a.id], span{a.id, a.from, a.to})
		}
		return m
	}
	oldBy, nowBy := byID(old), byID(now)
	var changed []span
	var signs []int64
	lo := alwaysTo
	ids := map[int64]bool{}
	for _, a := range old {
		ids[a.id] = true
	}
	for _, a := range now {
		ids[a.id] = true
	}
	for anc := range ids {
		for _, sp := range subtractSpans(oldBy[anc], nowBy[anc]) {
			changed, signs = append(changed, sp), append(signs, -1)
			lo = min(lo, sp.from)
		}
		for _, sp := range subtractSpans(nowBy[anc], oldBy[anc]) {
			changed, signs = append(changed, sp), append(signs, 1)
			lo = min(lo, sp.from)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	// The unit's own counters must be on disk before they are read.
	if tx.directUnits[id] {
		if err := tx.Flush(); err != nil {
			return err
		}
	}
	// One round trip: the active members before lo (dated lo-1), then the
	// rows from lo on.
	rows, err := tx.query(`SELECT 0, NULL, 0, CAST(COALESCE(SUM(net), 0) AS BIGINT), 0 FROM unit_day WHERE unit_id = ? AND day < ?
		UNION ALL SELECT 1, day, admitted, net, party FROM unit_day WHERE unit_id = ? AND day >= ? ORDER BY 1, 2`, id, lo, id, lo)
	if err != nil {
		return fmt.Errorf("counters of unit #%d: %w", id, err)
	}
	series, err := collect(rows, nil, func(d *engine.DayStat) error {
		var k int // the part of the union: 0 for the base before lo
		return rows.Scan(&k, &d.Day, &d.Admitted, &d.Net, &d.Party)
	})
	if err != nil {
		return err
	}
	base := series[0].Net
	series = series[1:]
	// active(x): members of the unit's subtree active on day x >= lo-1.
	active := func(x domain.Date) int64 {
		n := base
		for _, d := range series {
			if d.Day > x {
				break
			}
			n += d.Net
		}
		return n
	}
	for i, s := range changed {
		sign := signs[i]
		for _, d := range series {
			if d.Day >= s.from && d.Day < s.to {
				tx.direct(s.id, d.Day, d.Counters, sign)
			}
		}
		if s.from > alwaysFrom {
			tx.direct(s.id, s.from, engine.Counters{Net: active(s.from - 1)}, sign)
		}
		if s.to < alwaysTo {
			tx.direct(s.id, s.to, engine.Counters{Net: -active(s.to - 1)}, sign)
		}
	}
	return nil
}

// direct adds to a unit's subtree counters as they are, not rolled up.
func (tx *Tx) direct(id int64, day domain.Date, c engine.Counters, sign int64) {
	if c.IsZero() {
		return
	}
	k := engine.Key{UnitID: id, Day: day}
	x := tx.directDeltas[k]
	if x == nil {
		x = &engine.Counters{}
		tx.directDeltas[k] = x
	}
	x.Add(c, sign)
	tx.directUnits[id] = true
}

// writeClosures writes the closures the transaction changed.
func (tx *Tx) writeClosures() error {
	if len(tx.tree.dirty) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(tx.tree.dirty))
	for id := range tx.tree.dirty {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i := 0; i < len(ids); i += inBatch {
		part := ids[i:min(i+inBatch, len(ids))]
		if _, err := tx.exec(`DELETE FROM unit_tree WHERE unit_id IN `+placeholders(1, len(part)), asArgs(part)...); err != nil {
			return fmt.Errorf("update the tree: %w", err)
		}
		var vals []any
		n := 0
		write := func() error {
			if n == 0 {
				return nil
			}
			_, err := tx.exec(`INSERT INTO unit_tree (unit_id, ancestor_id, depth, from_day, to_day) VALUES `+placeholders(n, 5), vals...)
			vals, n = vals[:0], 0
			return err
		}
		for _, id := range part {
			for _, a := range tx.tree.clos[id] {
				vals = append(vals, id, a.id, a.depth, a.from, a.to)
				n++
				if n == 1000 {
					if err := write(); err != nil {
						return fmt.Errorf("update the tree: %w", err)
					}
				}
			}
		}
		if err := write(); err != nil {
			return fmt.Errorf("update the tree: %w", err)
		}
	}
	tx.tree.dirty = map[int64]bool{}
	return nil
}

// roll adds a unit-level change at (unit, day) to the unit and to each
// ancestor over the days it is one (see the package comment above).
func roll(out engine.Deltas, unit int64, day domain.Date, c *engine.Counters, clos []ancestor) {
	add := func(id int64, d domain.Date, x engine.Counters) {
		if x.IsZero() {
			return
		}
		k := engine.Key{UnitID: id, Day: d}
		y := out[k]
		if y == nil {
			y = &engine.Counters{}
			out[k] = y
		}
		y.Add(x, 1)
	}
	add(unit, day, *c)
	for _, a := range clos {
		if a.from <= day && day < a.to {
			add(a.id, day, engine.Counters{Admitted: c.Admitted, Party: c.Party})
		}
		if c.Net != 0 && day < a.to {
			add(a.id, max(day, a.from), engine.Counters{Net: c.Net})
			if a.to < alwaysTo {
				add(a.id, a.to, engine.Counters{Net: -c.Net})
			}
		}
	}
}

// span: an ancestor's days [from, to).
type span struct {
	id       int64
	from, to domain.Date
}

// subtractSpans returns the days of a not in b, as spans; the spans of
// each list are disjoint (an ancestor is above a unit once on any day).
func subtractSpans(a, b []span) []span {
	var out []span
	for _, x := range a {
		parts := []span{x}
		for _, y := range b {
			var next []span
			for _, p := range parts {
				if y.to <= p.from || p.to <= y.from {
					next = append(next, p)
					continue
				}
				if p.from < y.from {
					next = append(next, span{p.id, p.from, y.from})
				}
				if y.to < p.to {
					next = append(next, span{p.id, y.to, p.to})
				}
			}
			parts = next
		}
		out = append(out, parts...)
	}
	return out
}

// scanAncestors reads rows of unit_tree (unit_id, ancestor_id, depth,
// from_day, to_day) into clos, and closes them.
func scanAncestors(rows *sql.Rows, clos map[int64][]ancestor) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a ancestor
		if err := rows.Scan(&id, &a.id, &a.depth, &a.from, &a.to); err != nil {
			return err
		}
		clos[id] = append(clos[id], a)
	}
	return rows.Err()
}
