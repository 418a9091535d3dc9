package store

import (
	"cmp"
	"slices"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

// Table union_active (migration 016) holds, per grassroots union, the
// members it has today (the sum of its own daily counters' net) and the
// last day a write changed that count. Every write of the counters keeps
// it, in the same transaction and after the counter rows (so that a
// writer waiting for a counter row never holds one of these):
//   - Flush, from the member-level deltas of the transaction (the only
//     changes a union's own counters get: a move changes its ancestors');
//   - the staged imports, from their summed deltas (addActiveFrom);
//   - PutUnit, when a unit becomes a grassroots union (recountActive).
//
// Since migration 018 the row also holds what a report reads of a union
// founded (its founding day, ownership, method and path), which triggers
// on units and enterprises keep, and every grassroots union has one
// (active 0 and active_day NULL until a member comes); the counts above
// are still the store's to keep.
//
// activeOf is what a report reads for the active members of a union on
// day a: the row's count wherever nothing changed after a, else the sum
// of its counters up to a. One day's changes may cancel out; active_day
// is then later than needed, which costs a sum, never a wrong count.

// activeOf is the SQL expression of the active members on day ? (bound
// twice) of the grassroots unit aliased alias: one probe of union_active's
// key per union, which costs a province's report its few hundred unions
// founded and not a hash of every union's row (measured at 11 million:
// province 53-63 ms with the probes, 79-80 ms with a hash join). The
// report reads its unions founded from union_active itself (activeIn).
func activeOf(alias string) string {
	return `COALESCE((SELECT CASE WHEN a.active_day <= ? THEN a.active
		ELSE CAST(COALESCE((SELECT SUM(d.net) FROM unit_day d WHERE d.unit_id = a.unit_id AND d.day <= ?), 0) AS BIGINT) END
		FROM union_active a WHERE a.unit_id = ` + alias + `.id), 0)`
}

// activeIn is activeOf for union_active's own row aliased alias: its count
// where nothing changed after day ? (or never: the row of a union without
// members yet), else the sum of its counters up to that day (? again).
func activeIn(alias string) string {
	return `CASE WHEN ` + alias + `.active_day IS NULL OR ` + alias + `.active_day <= ? THEN ` + alias + `.active
		ELSE CAST(COALESCE((SELECT SUM(d.net) FROM unit_day d WHERE d.unit_id = ` + alias + `.unit_id AND d.day <= ?), 0) AS BIGINT) END`
}

// activeUpsert adds a change (unit_id, active, active_day) to a union's row.
const activeUpsert = ` ON CONFLICT (unit_id) DO UPDATE SET active = union_active.active + excluded.active,
	active_day = CASE WHEN union_active.active_day IS NULL OR union_active.active_day < excluded.active_day
		THEN excluded.active_day ELSE union_active.active_day END`

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

// writeActive adds the changes to the unions' rows. A member's unit is a
// grassroots union; a row of another kind of unit is never read.
func (tx *Tx) writeActive(changes []activeChange) error {
	for _, c := range changes {
		if _, err := tx.exec(`INSERT INTO union_active (unit_id, active, active_day) VALUES (?, ?, ?)`+activeUpsert,
			c.id, c.net, c.last); err != nil {
			return err
		}
	}
	return nil
}

// addActiveFrom adds to the unions' rows the deltas of table, a staged
// import's sums with columns unit_id, day and net (its ancestors' rows
// are left out by kind), in Flush's lock order.
func (tx *Tx) addActiveFrom(table string) error {
	_, err := tx.tx.ExecContext(tx.ctx, addActive(table))
	return err
}

// addActive is the statement that adds the rows (unit_id, day, net) of
// from to the unions' rows.
func addActive(from string) string {
	return `INSERT INTO union_active (unit_id, active, active_day)
		SELECT s.unit_id, SUM(s.net), MAX(CASE WHEN s.net <> 0 THEN s.day END) FROM ` + from + ` s
		JOIN units u ON u.id = s.unit_id AND u.kind = 'grassroots'
		GROUP BY s.unit_id HAVING MAX(CASE WHEN s.net <> 0 THEN s.day END) IS NOT NULL
		ORDER BY s.unit_id DESC` + activeUpsert
}

// recountActive sets a unit's count from its counters: for a unit that
// becomes a grassroots union. The row's other columns (migration 018,
// written by the units' triggers) stay.
func (tx *Tx) recountActive(id int64) error {
	if _, err := tx.exec(`UPDATE union_active SET active = 0, active_day = NULL WHERE unit_id = ?`, id); err != nil {
		return err
	}
	_, err := tx.exec(addActive(`(SELECT unit_id, day, net FROM unit_day WHERE unit_id = ?)`), id)
	return err
}
