package store

import (
	"context"
	"fmt"
)

// EnterpriseTotals sums what a filter selects: the enterprises, their
// workers and the responsible units they fall under (the gap list's
// figures, for all its pages).
func (s *Store) EnterpriseTotals(ctx context.Context, f EnterpriseFilter) (enterprises, workers, units int64, err error) {
	from, args := f.where()
	err = s.replica.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*), CAST(COALESCE(SUM(e.employees), 0) AS BIGINT), COUNT(DISTINCT e.unit_id)`+from), args...).
		Scan(&enterprises, &workers, &units)
	if err != nil {
		err = fmt.Errorf("enterprise totals: %w", err)
	}
	return
}

// EnterpriseAreas returns the areas recorded for the enterprises of a
// subtree, in byte order, at most limit of them: the choices of the
// lists' area filter.
func (s *Store) EnterpriseAreas(ctx context.Context, path string, limit int) ([]string, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT DISTINCT e.area FROM enterprises e JOIN units r ON r.id = e.unit_id
		WHERE r.path >= ? AND r.path < ? AND e.area <> '' ORDER BY e.area LIMIT ?`), path, prefixEnd(path), limit)
	if err != nil {
		return nil, fmt.Errorf("enterprise areas: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// StreamEnterprises streams to fn the enterprises a filter selects,
// largest first (then by tax code): the order of the lists, for their
// downloads.
func (s *Store) StreamEnterprises(ctx context.Context, f EnterpriseFilter, fn func(*EnterpriseRow) error) error {
	from, args := f.where()
	q := `SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, e.source, r.code, r.name,
		CASE WHEN o.tax_code IS NULL THEN 0 ELSE 1 END` + from + ` ORDER BY e.employees DESC, e.tax_code`
	return s.stream(ctx, "enterprises", q, args, func(sc interface{ Scan(...any) error }) error {
		var e EnterpriseRow
		var has int
		if err := sc.Scan(&e.TaxCode, &e.Name, &e.Ownership, &e.Employees, &e.Address, &e.Area, &e.Source, &e.UnitCode, &e.UnitName, &has); err != nil {
			return fmt.Errorf("enterprises: %w", err)
		}
		e.HasUnion = has == 1
		return fn(&e)
	})
}
