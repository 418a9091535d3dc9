package store

import (
	"context"
	"fmt"
)

// ActiveDrift lists the grassroots unions whose union_active count is not
// the sum of their counters' net, or whose active_day is before the last day
// one of their counters' net is not zero (migration 016's rule); empty
// when every union keeps it.
func ActiveDrift(ctx context.Context, s *Store) ([]string, error) {
	var out []string
	err := s.eachRowTx(ctx, s.read, `SELECT u.code, COALESCE(a.active, 0), COALESCE((SELECT SUM(d.net) FROM unit_day d WHERE d.unit_id = u.id), 0),
		CASE WHEN (SELECT MAX(d.day) FROM unit_day d WHERE d.unit_id = u.id AND d.net <> 0) IS NULL THEN 1
			WHEN a.active_day >= (SELECT MAX(d.day) FROM unit_day d WHERE d.unit_id = u.id AND d.net <> 0) THEN 1 ELSE 0 END
		FROM units u LEFT JOIN union_active a ON a.unit_id = u.id WHERE u.kind = 'grassroots' ORDER BY u.code`, nil, func(sc func(...any) error) error {
		var code string
		var active, sum, dayOK int64
		if err := sc(&code, &active, &sum, &dayOK); err != nil {
			return err
		}
		if active != sum || dayOK == 0 {
			out = append(out, fmt.Sprintf("%s: active %d, counters %d, day ok %v", code, active, sum, dayOK == 1))
		}
		return nil
	})
	return out, err
}
