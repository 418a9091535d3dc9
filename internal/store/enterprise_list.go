package store

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
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

// EnterpriseCursor is the place of an enterprise in the lists' order
// (employees descending, then tax code): where a page starts or ends.
type EnterpriseCursor struct {
	Employees int64
	TaxCode   string
}

// Encode writes the cursor as an opaque URL-safe token.
func (c EnterpriseCursor) Encode() string {
	b := binary.AppendVarint(nil, c.Employees)
	return base64.RawURLEncoding.EncodeToString(append(b, c.TaxCode...))
}

// DecodeEnterpriseCursor reads a token written by Encode.
func DecodeEnterpriseCursor(s string) (EnterpriseCursor, error) {
	var c EnterpriseCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 256 {
		return c, ErrBadCursor
	}
	n, k := binary.Varint(b)
	if k <= 0 || n < 0 || len(b) == k {
		return c, ErrBadCursor
	}
	c.Employees, c.TaxCode = n, string(b[k:])
	return c, nil
}

// EnterprisePageQuery asks for one page of an enterprise list.
type EnterprisePageQuery struct {
	Filter EnterpriseFilter
	// After: the page starts after this enterprise (nil: at the start);
	// with Backward, it ends before it.
	After    *EnterpriseCursor
	Backward bool
	Limit    int
}

// EnterprisePage returns one page of the enterprises a filter selects,
// largest first (then by tax code), by keyset: the page seeks its first
// row through the (employees DESC, tax_code) order, so a deep page costs
// what the first does. More tells whether rows follow in the direction
// read (precede, with Backward). The rows are in the list's order.
func (s *Store) EnterprisePage(ctx context.Context, q EnterprisePageQuery) (rows []EnterpriseRow, more bool, err error) {
	limit := min(max(q.Limit, 1), 1000)
	from, args := q.Filter.where()
	order := ` ORDER BY e.employees DESC, e.tax_code`
	if q.Backward {
		order = ` ORDER BY e.employees, e.tax_code DESC`
	}
	if c := q.After; c != nil {
		if q.Backward {
			from += ` AND (e.employees > ? OR (e.employees = ? AND e.tax_code < ?))`
		} else {
			from += ` AND (e.employees < ? OR (e.employees = ? AND e.tax_code > ?))`
		}
		args = append(args, c.Employees, c.Employees, c.TaxCode)
	}
	rs, err := s.replica.QueryContext(ctx, s.rebind(`SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, e.source, r.code, r.name,
		CASE WHEN o.tax_code IS NULL THEN 0 ELSE 1 END`+from+order+` LIMIT ?`), append(args, limit+1)...)
	if err != nil {
		return nil, false, fmt.Errorf("enterprises: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
		var e EnterpriseRow
		var has int
		if err := rs.Scan(&e.TaxCode, &e.Name, &e.Ownership, &e.Employees, &e.Address, &e.Area, &e.Source, &e.UnitCode, &e.UnitName, &has); err != nil {
			return nil, false, fmt.Errorf("enterprises: %w", err)
		}
		e.HasUnion = has == 1
		rows = append(rows, e)
	}
	if err := rs.Err(); err != nil {
		return nil, false, fmt.Errorf("enterprises: %w", err)
	}
	if len(rows) > limit {
		rows, more = rows[:limit], true
	}
	if q.Backward {
		slices.Reverse(rows)
	}
	return rows, more, nil
}

// Cursor is the place of the row in the lists' order.
func (e *EnterpriseRow) Cursor() EnterpriseCursor {
	return EnterpriseCursor{Employees: e.Employees, TaxCode: e.TaxCode}
}
