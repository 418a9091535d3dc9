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

// gapTotals reads the gap list's figures of a subtree on a day from the
// counters: the rows of gap_day in the subtree up to the day (a row per
// responsible unit and day that changed the count, with the unit's path),
// from their index alone; never the enterprises nor the unions.
// withUnits also counts the units, which groups the rows by unit.
func (s *Store) gapTotals(ctx context.Context, path string, day domain.Date, withUnits bool) (GapTotals, error) {
	var t GapTotals
	if err := s.replica.QueryRowContext(ctx, s.rebind(gapTotalsSQL(withUnits)), path, prefixEnd(path), day).Scan(&t.Enterprises, &t.Workers, &t.Units); err != nil {
		return t, fmt.Errorf("gap count: %w", err)
	}
	return t, nil
}

// gapTotalsSQL is gapTotals's query (args: the path range, the day).
func gapTotalsSQL(withUnits bool) string {
	const rows = ` FROM gap_day WHERE path >= ? AND path < ? AND day <= ?`
	if withUnits {
		return `SELECT COALESCE(SUM(n), 0), COALESCE(SUM(workers), 0), COUNT(*) FROM (SELECT SUM(n) AS n, SUM(workers) AS workers` + rows +
			` GROUP BY unit_id HAVING SUM(n) > 0) x`
	}
	return `SELECT COALESCE(SUM(n), 0), COALESCE(SUM(workers), 0), 0` + rows
}

// ExplainGapTotals returns the plan of the gap list's figures of a
// subtree on a day (the gap list's totals; the report's count is the
// same without the units): for checking that they read the counters'
// index, not the enterprises.
func (s *Store) ExplainGapTotals(ctx context.Context, path string, day domain.Date) (string, error) {
	return s.explain(ctx, "", gapTotalsSQL(true), path, prefixEnd(path), day)
}

// gapCount counts the enterprises of a unit's subtree (today's tree)
// with GapMinWorkers workers or more and no union open on day, from the
// counters.
func (s *Store) gapCount(ctx context.Context, unit *domain.Unit, day domain.Date) (int64, error) {
	t, err := s.gapTotals(ctx, unit.Path, day, false)
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
