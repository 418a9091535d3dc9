package store

import (
	"cmp"
	"slices"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

// A grassroots union's row carries the members it has today (units.active,
// the sum of its own daily counters' net) and the last day a write changed
// that count (units.active_day; migration 016). Every write of the
// counters keeps them, in the same transaction:
//   - Flush, from the member-level deltas of the transaction (the only
//     changes a union's own counters get: a move changes its ancestors');
//   - the staged imports, from their summed deltas (addActiveFrom);
//   - PutUnit, when a unit becomes a grassroots union (recountActive).
//
// activeOf is what a report reads for the active members of a union on
// day a: the column wherever nothing changed after a, else the sum of its
// counters up to a. One day's changes may cancel out; active_day is then
// later than needed, which costs a sum, never a wrong count.

// activeOf is the SQL expression of the active members on day ? (bound
// twice) of the grassroots unit aliased alias.
func activeOf(alias string) string {
	return `CASE WHEN ` + alias + `.active_day IS NULL THEN 0 WHEN ` + alias + `.active_day <= ? THEN ` + alias + `.active
	ELSE CAST(COALESCE((SELECT SUM(d.net) FROM unit_day d WHERE d.unit_id = ` + alias + `.id AND d.day <= ?), 0) AS BIGINT) END`
}

// activeOn is activeOf the unit aliased u.
var activeOn = activeOf("u")

// activeChange is what one transaction changes of a union's count.
type activeChange struct {
	id   int64
	net  int64
	last domain.Date
}

// activeChanges sums the member-level deltas by unit: the net change and
// the last day with a non-zero one. Units without one are left out.
func activeChanges(d engine.Deltas) []activeChange {
	at := map[int64]int{}
	var out []activeChange
	for k, c := range d {
		if c.Net == 0 {
			continue
		}
		i, ok := at[k.UnitID]
		if !ok {
			i = len(out)
			at[k.UnitID] = i
			out = append(out, activeChange{id: k.UnitID})
		}
		out[i].net += c.Net
		out[i].last = max(out[i].last, k.Day)
	}
	// In the order Flush locks the counter rows: highest ID first.
	slices.SortFunc(out, func(a, b activeChange) int { return cmp.Compare(b.id, a.id) })
	return out
}

// writeActive adds the changes to the unions' rows (other kinds of unit
// are left alone: their counters hold their subtree's).
func (tx *Tx) writeActive(changes []activeChange) error {
	for _, c := range changes {
		if _, err := tx.exec(`UPDATE units SET active = active + ?,
			active_day = CASE WHEN active_day IS NULL OR active_day < ? THEN ? ELSE active_day END
			WHERE id = ? AND kind = 'grassroots'`, c.net, c.last, c.last, c.id); err != nil {
			return err
		}
	}
	return nil
}

// addActiveFrom adds to the unions' rows the deltas of table, a staged
// import's sums with columns unit_id, day and net (ancestors' rows among
// them are left out by kind).
func (tx *Tx) addActiveFrom(table string) error {
	if tx.s.engine == Postgres {
		// Lock the rows in Flush's order first (rows are locked as a
		// query returns them): a transaction admitting members to two of
		// these unions meanwhile waits, never deadlocks.
		if _, err := tx.tx.ExecContext(tx.ctx, `SELECT 1 FROM units WHERE kind = 'grassroots'
			AND id IN (SELECT unit_id FROM `+table+`) ORDER BY id DESC FOR NO KEY UPDATE`); err != nil {
			return err
		}
	}
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE units SET active = units.active + s.net,
		active_day = CASE WHEN units.active_day IS NULL OR units.active_day < s.last THEN s.last ELSE units.active_day END
		FROM (SELECT unit_id, SUM(net) AS net, MAX(CASE WHEN net <> 0 THEN day END) AS last FROM `+table+` GROUP BY unit_id) s
		WHERE units.id = s.unit_id AND units.kind = 'grassroots' AND s.last IS NOT NULL`)
	return err
}

// recountActive sets a unit's count and day from its counters: for a unit
// that becomes a grassroots union.
func (tx *Tx) recountActive(id int64) error {
	_, err := tx.exec(`UPDATE units SET
		active = COALESCE((SELECT SUM(d.net) FROM unit_day d WHERE d.unit_id = units.id), 0),
		active_day = (SELECT MAX(d.day) FROM unit_day d WHERE d.unit_id = units.id AND d.net <> 0)
		WHERE id = ?`, id)
	return err
}
