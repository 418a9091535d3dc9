package store

import (
	"context"
	"fmt"
)

// ActiveDrift lists the grassroots unions whose union_active count is not
// the sum of their counters' net, or whose active_day is before the last day
// one of their counters' net is not zero (migration 016's rule), and the
// units whose row's founding day, ownership, method or path is not their
// own (migration 018: a grassroots union's, with its enterprise's
// ownership where it has none; no founding day for any other unit);
// empty when every union keeps it.
func ActiveDrift(ctx context.Context, s *Store) ([]string, error) {
	var out []string
	err := s.eachRowTx(ctx, s.read, `SELECT u.code, u.kind, CASE WHEN a.unit_id IS NULL THEN 0 ELSE 1 END,
		CASE WHEN (a.founded_on IS NULL AND u.founded_on IS NULL) OR a.founded_on = u.founded_on THEN 1 ELSE 0 END,
		COALESCE(a.ownership, ''), COALESCE(NULLIF(u.ownership, ''), e.ownership, ''), COALESCE(a.method, ''), u.method,
		COALESCE(a.path, ''), u.path, CASE WHEN a.founded_on IS NULL THEN 1 ELSE 0 END
		FROM units u LEFT JOIN union_active a ON a.unit_id = u.id LEFT JOIN enterprises e ON e.tax_code = u.enterprise_tax_code
		ORDER BY u.code`, nil, func(sc func(...any) error) error {
		var code, kind, own, wantOwn, method, wantMethod, path, wantPath string
		var row, sameDay, noDay int64
		if err := sc(&code, &kind, &row, &sameDay, &own, &wantOwn, &method, &wantMethod, &path, &wantPath, &noDay); err != nil {
			return err
		}
		if kind != "grassroots" {
			if noDay == 0 {
				out = append(out, code+": a founding day in union_active, not a grassroots union")
			}
			return nil
		}
		if row == 0 || sameDay == 0 || own != wantOwn || method != wantMethod || path != wantPath {
			out = append(out, fmt.Sprintf("%s: row %v, founding day ok %v, ownership %q (want %q), method %q (want %q), path %q (want %q)",
				code, row == 1, sameDay == 1, own, wantOwn, method, wantMethod, path, wantPath))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.eachRowTx(ctx, s.read, `SELECT u.code, COALESCE(a.active, 0), COALESCE((SELECT SUM(d.net) FROM unit_day d WHERE d.unit_id = u.id), 0),
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
