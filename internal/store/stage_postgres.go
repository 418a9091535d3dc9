package store

import (
	"time"

	"congdoan/internal/vn"
)

// The merge of a large stage on PostgreSQL, measured at 650 000 new
// members into an empty members table (the machine loaded):
//
//   - The insert with the members' four list indexes and the unique index
//     on national_id took 94 s; without them, 11 s, and building the five
//     again 13 s. Dropping them for a first load was tried and taken out:
//     DROP INDEX takes the table's ACCESS EXCLUSIVE lock until the commit,
//     so every reader of members and every admission waited for the whole
//     merge (a write waited 3,4 s during a 30 000-member import), and an
//     import must never block the others. The import stays within 2x of psql \copy into a
//     table with the same indexes without it (ratio 1,22 measured).
//   - The counters (unit_day, about 1,2 rows per new member) took 19 to
//     25 s with INSERT … ON CONFLICT, 11 s with a plain INSERT: the
//     speculative insertion of ON CONFLICT costs as much as the insert.
//     pgAddCounters splits the sums into the keys on record (ON CONFLICT,
//     in lock order) and the new keys (a plain INSERT); a new key that
//     another writer added meanwhile sends the new keys the ON CONFLICT
//     way after all. The keys on record go last: concurrent writers
//     update those rows (a day's counters of a unit and its ancestors),
//     and with them first a write waited 8,2 s for the rest of the merge;
//     last, 0,23 s at most (BenchmarkImportWithConcurrentWrites/postgres,
//     650 000 members, load 4).

// pgAddCounters adds the staged deltas to unit_day (see the notes above).
func (st *Stage) pgAddCounters(tx *Tx) error {
	exec := func(q string) error {
		_, err := tx.tx.ExecContext(tx.ctx, q)
		return err
	}
	t0 := time.Now()
	// The sums of the deltas fit in memory: no sort on disk. known: the
	// key was on record when the sums were made.
	if err := exec(`SET LOCAL work_mem = '256MB'`); err != nil {
		return err
	}
	if err := exec(`CREATE TEMP TABLE stg_sums ON COMMIT DROP AS
		SELECT s.*, EXISTS (SELECT 1 FROM unit_day u WHERE u.unit_id = s.unit_id AND u.day = s.day) AS known
		FROM (SELECT unit_id, day, SUM(admitted) AS admitted, SUM(net) AS net, SUM(party) AS party FROM stg_deltas
			GROUP BY unit_id, day HAVING SUM(admitted) <> 0 OR SUM(net) <> 0 OR SUM(party) <> 0) s`); err != nil {
		return err
	}
	trace("counter sums", t0)
	upsert := func(known string) error {
		// In the order Flush locks counter rows: no deadlock with it.
		return exec(`INSERT INTO unit_day (unit_id, day, admitted, net, party)
			SELECT unit_id, day, admitted, net, party FROM stg_sums WHERE ` + known + ` ORDER BY unit_id DESC, day DESC
			ON CONFLICT (unit_id, day) DO UPDATE SET admitted = unit_day.admitted + excluded.admitted,
			net = unit_day.net + excluded.net, party = unit_day.party + excluded.party`)
	}
	// The new keys first: no other writer holds them (one that adds one
	// meanwhile sends them the ON CONFLICT way). The keys on record last,
	// so that the rows other writers update stay locked only for the
	// short rest of the merge.
	if err := exec(`SAVEPOINT new_counters`); err != nil {
		return err
	}
	err := exec(`INSERT INTO unit_day (unit_id, day, admitted, net, party)
		SELECT unit_id, day, admitted, net, party FROM stg_sums WHERE NOT known ORDER BY unit_id, day`)
	if uniqueViolation(err) {
		// Another writer added one of the keys meanwhile.
		if err := exec(`ROLLBACK TO SAVEPOINT new_counters`); err != nil {
			return err
		}
		err = upsert("NOT known")
	}
	if err != nil {
		return err
	}
	if err := exec(`RELEASE SAVEPOINT new_counters`); err != nil {
		return err
	}
	return upsert("known")
}

// nameCache remembers the folded form and sort key of the names staged
// last: a file repeats its names (a few thousand family, middle and given
// names make most of them), and folding one (Unicode decomposition, then
// a collation key) cost a third of the CPU of a members import. It
// forgets everything past nameCacheMax names, so memory stays flat.
type nameCache map[string]nameParts

type nameParts struct {
	folded string
	key    []byte
}

const nameCacheMax = 50_000

func (c *nameCache) get(name string) (string, []byte) {
	if p, ok := (*c)[name]; ok {
		return p.folded, p.key
	}
	if *c == nil || len(*c) >= nameCacheMax {
		*c = make(nameCache, 1024)
	}
	p := nameParts{vn.Fold(name), vn.NameKey(name)}
	(*c)[name] = p
	return p.folded, p.key
}
