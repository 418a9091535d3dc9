package store

import (
	"context"
	"fmt"

	"congdoan/internal/domain"
)

// gapCounted is the head-count that the gap counters (migration 013:
// gap_events, gap_day, kept by triggers) count from: an enterprise with
// this many workers or more and no open union is on the gap list.
const gapCounted = domain.GapMinWorkers

// GapTotals are the figures of a subtree's gap list on a day: the
// enterprises, their workers, and the responsible units they fall under.
type GapTotals struct {
	Enterprises, Workers, Units int64
}

// gapUnit is a responsible unit's part of a gap list on a day: its
// enterprises on the list and their workers.
type gapUnit struct {
	id, n, workers int64
}

// gapUnits reads the parts of a subtree's gap list on a day from the
// counters, never the enterprises nor the unions: each responsible unit's
// row of gap_unit in the subtree (migration 017), which holds the sum of
// all the unit's rows of gap_day (migration 013: a row per day that changed
// its count) and the last of their days; for a unit with rows after the
// day (a union founded or dissolved later), less those rows, which are
// few for a recent day. Only the units with some enterprise on the list
// are returned.
func (s *Store) gapUnits(ctx context.Context, path string, day domain.Date) ([]gapUnit, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(gapUnitsSQL), day, day, path, prefixEnd(path))
	out, err := collect(rows, err, func(u *gapUnit) error { return rows.Scan(&u.id, &u.n, &u.workers) })
	if err != nil {
		return nil, fmt.Errorf("gap count: %w", err)
	}
	return out, nil
}

// gapUnitsSQL is gapUnits's query (args: the day twice, the path range).
const gapUnitsSQL = `SELECT u.unit_id, u.n - CAST(COALESCE(SUM(d.n), 0) AS BIGINT), u.workers - CAST(COALESCE(SUM(d.workers), 0) AS BIGINT)
	FROM gap_unit u LEFT JOIN gap_day d ON u.last_day > ? AND d.unit_id = u.unit_id AND d.day > ?
	WHERE u.path >= ? AND u.path < ?
	GROUP BY u.unit_id, u.n, u.workers HAVING u.n - CAST(COALESCE(SUM(d.n), 0) AS BIGINT) > 0`

// gapTotals sums the parts of a subtree's gap list on a day (gapUnits):
// the figures of the list, Units those of its responsible units.
func (s *Store) gapTotals(ctx context.Context, path string, day domain.Date) (GapTotals, error) {
	var t GapTotals
	units, err := s.gapUnits(ctx, path, day)
	for _, u := range units {
		t.Enterprises, t.Workers, t.Units = t.Enterprises+u.n, t.Workers+u.workers, t.Units+1
	}
	return t, err
}

// ExplainGapTotals returns the plan of the gap list's figures of a
// subtree on a day (the gap list's totals, and the report's count): for
// checking that they read the counters' index, not the enterprises.
func (s *Store) ExplainGapTotals(ctx context.Context, path string, day domain.Date) (string, error) {
	return s.explain(ctx, "", gapUnitsSQL, day, day, path, prefixEnd(path))
}

// gapCount counts the enterprises of a unit's subtree (today's tree)
// with GapMinWorkers workers or more and no union open on day, from the
// counters.
func (s *Store) gapCount(ctx context.Context, unit *domain.Unit, day domain.Date) (int64, error) {
	t, err := s.gapTotals(ctx, unit.Path, day)
	return t.Enterprises, err
}

// gapCountSQL counts the gap from the enterprises of the subtree and the
// open unions (args: the day twice, the path range, the threshold).
var gapCountSQL = `SELECT COUNT(*) FROM enterprises e JOIN units r ON r.id = e.unit_id LEFT JOIN ` + openUnions + ` o ON o.tax_code = e.tax_code
	WHERE r.path >= ? AND r.path < ? AND e.employees >= ? AND o.tax_code IS NULL`

// GapCountUncounted counts the gap as gapCount does without the
// counters, from the enterprises: what the counters must agree with
// (tests).
func (s *Store) GapCountUncounted(ctx context.Context, unit *domain.Unit, day domain.Date, threshold int64) (int64, error) {
	var n int64
	err := s.replica.QueryRowContext(ctx, s.rebind(gapCountSQL), day, day, unit.Path, prefixEnd(unit.Path), threshold).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("gap count: %w", err)
	}
	return n, nil
}
