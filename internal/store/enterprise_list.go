package store

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
)

// EnterpriseTotals sums what a filter selects: the enterprises, their
// workers and the responsible units they fall under (the gap list's
// figures, for all its pages).
func (s *Store) EnterpriseTotals(ctx context.Context, f EnterpriseFilter) (enterprises, workers, units int64, err error) {
	// The whole gap list (no filter but the subtree): from the counters.
	if (f == EnterpriseFilter{UnitPath: f.UnitPath, MinEmployees: gapCounted, Union: "without", AsOf: f.AsOf}) {
		t, err := s.gapTotals(ctx, f.UnitPath, f.AsOf, true)
		return t.Enterprises, t.Workers, t.Units, err
	}
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
	// A loose scan of the area index (migration 013): each step seeks the
	// subtree's next area after the last, so a million enterprises in
	// forty areas cost forty seeks, not a million rows made distinct.
	const next = `(SELECT e.area FROM enterprises e JOIN units r ON r.id = e.unit_id
		WHERE e.area > %s AND r.path >= ? AND r.path < ? ORDER BY e.area LIMIT 1)`
	rows, err := s.replica.QueryContext(ctx, s.rebind(`WITH RECURSIVE a(area) AS (SELECT `+fmt.Sprintf(next, `''`)+`
		UNION ALL SELECT `+fmt.Sprintf(next, `a.area`)+` FROM a WHERE a.area IS NOT NULL)
		SELECT area FROM a WHERE area IS NOT NULL LIMIT ?`), path, prefixEnd(path), path, prefixEnd(path), limit)
	if err != nil {
		return nil, fmt.Errorf("enterprise areas: %w", err)
	}
	return collect(rows, nil, func(a *string) error { return rows.Scan(a) })
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
	n, rest, err := cursorHead(s, 256)
	if err != nil || n < 0 || len(rest) == 0 {
		return c, ErrBadCursor
	}
	c.Employees, c.TaxCode = n, string(rest)
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
	query, args, limit := s.enterprisePageSQL(q)
	rs, err := s.replica.QueryContext(ctx, s.rebind(query), args...)
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

// A page probes the unions of its rows instead of gathering every open
// union first: unionProbe replaces where()'s join of openUnions, with the
// same two ? for the day, and reads the unions linked to each enterprise
// the page walks to (units_enterprise, migration 013): a first page of
// the gap list reads about its 50 rows, whatever the registry's size.
// (PostgreSQL: LATERAL; SQLite, which has no LATERAL: the union's row
// by its id, found by a correlated subquery.)
var (
	openUnionsJoin = `LEFT JOIN ` + openUnions + ` o ON o.tax_code = e.tax_code`
	unionOf        = ` FROM units g WHERE g.enterprise_tax_code = e.tax_code AND g.enterprise_tax_code <> ''
		AND g.kind = 'grassroots' AND ` + openOn("g")
	unionProbe = map[Engine]string{
		Postgres: `LEFT JOIN LATERAL (SELECT g.enterprise_tax_code AS tax_code` + unionOf + ` LIMIT 1) o ON true`,
		SQLite: `LEFT JOIN (SELECT id AS union_id, enterprise_tax_code AS tax_code FROM units) o ON o.union_id =
			(SELECT MIN(g.id)` + unionOf + `)`,
	}
)

// enterprisePageSQL is the query of EnterprisePage (up to limit rows and
// one more), its arguments and the limit.
func (s *Store) enterprisePageSQL(q EnterprisePageQuery) (string, []any, int) {
	limit := min(max(q.Limit, 1), 1000)
	from, args := q.Filter.where()
	from = strings.Replace(from, openUnionsJoin, unionProbe[s.engine], 1)
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
	return `SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, e.source, r.code, r.name,
		CASE WHEN o.tax_code IS NULL THEN 0 ELSE 1 END` + from + order + ` LIMIT ?`, append(args, limit+1), limit
}

// ExplainEnterprisePage returns the plan of a page of an enterprise list:
// for checking that it seeks its rows by keyset (migration 011).
func (s *Store) ExplainEnterprisePage(ctx context.Context, q EnterprisePageQuery) (string, error) {
	query, args, _ := s.enterprisePageSQL(q)
	return s.explain(ctx, "", query, args...)
}

// Cursor is the place of the row in the lists' order.
func (e *EnterpriseRow) Cursor() EnterpriseCursor {
	return EnterpriseCursor{Employees: e.Employees, TaxCode: e.TaxCode}
}
