package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// EnterpriseTotals sums what a filter selects: the enterprises, their
// workers and the responsible units they fall under (the gap list's
// figures, for all its pages).
func (s *Store) EnterpriseTotals(ctx context.Context, f EnterpriseFilter) (enterprises, workers, units int64, err error) {
	// The whole gap list (no filter but the subtree): from the counters.
	if (f == EnterpriseFilter{UnitPath: f.UnitPath, MinEmployees: gapCounted, Union: "without", AsOf: f.AsOf}) {
		t, err := s.gapTotals(ctx, f.UnitPath, f.AsOf)
		return t.Enterprises, t.Workers, t.Units, err
	}
	eq := f.query(nil)
	err = s.replica.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*), CAST(COALESCE(SUM(e.employees), 0) AS BIGINT), COUNT(DISTINCT e.unit_id)`+eq.from), eq.args...).
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
	// A root's subtree holds every responsible unit: no need to list them.
	var all int
	var units []int64
	if strings.Count(path, "/") > 2 {
		var err error
		if all, units, err = s.responsibleUnits(ctx, path); err != nil {
			return nil, err
		}
	}
	var rows *sql.Rows
	var err error
	switch {
	case all > 0 && len(units) == 0:
		return nil, nil
	case len(units) <= areaUnitsMax && len(units)*4 < all:
		// A subtree with a few of the responsible units: their own
		// enterprises, from enterprises_unit alone (it carries the area,
		// migration 017), however few the subtree's share of the
		// registry; the loose scan below would walk the areas of the
		// others' enterprises between two of its own.
		ids := make([]string, len(units))
		for i, id := range units {
			ids[i] = strconv.FormatInt(id, 10)
		}
		rows, err = s.replica.QueryContext(ctx, s.rebind(`SELECT DISTINCT area FROM enterprises
			WHERE unit_id IN (`+strings.Join(ids, ",")+`) AND area > '' ORDER BY area LIMIT ?`), limit)
	default:
		// A loose scan of the area index (migration 013): each step seeks
		// the subtree's next area after the last, so a million enterprises
		// in forty areas cost forty seeks, not a million rows made distinct.
		const next = `(SELECT e.area FROM enterprises e JOIN units r ON r.id = e.unit_id
			WHERE e.area > %s AND r.path >= ? AND r.path < ? ORDER BY e.area LIMIT 1)`
		rows, err = s.replica.QueryContext(ctx, s.rebind(`WITH RECURSIVE a(area) AS (SELECT `+fmt.Sprintf(next, `''`)+`
			UNION ALL SELECT `+fmt.Sprintf(next, `a.area`)+` FROM a WHERE a.area IS NOT NULL)
			SELECT area FROM a WHERE area IS NOT NULL LIMIT ?`), path, prefixEnd(path), path, prefixEnd(path), limit)
	}
	if err != nil {
		return nil, fmt.Errorf("enterprise areas: %w", err)
	}
	return collect(rows, nil, func(a *string) error { return rows.Scan(a) })
}

// areaUnitsMax bounds the responsible units whose enterprises
// EnterpriseAreas reads one by one.
const areaUnitsMax = 64

// responsibleUnits counts the units some enterprise is the responsibility
// of, and returns those of a subtree, by id: a loose scan of
// enterprises_unit, a seek per such unit (a few dozen to a few thousand
// in the country), whatever the number of enterprises.
func (s *Store) responsibleUnits(ctx context.Context, path string) (all int, units []int64, err error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`WITH RECURSIVE u(id) AS (SELECT MIN(unit_id) FROM enterprises
		UNION ALL SELECT (SELECT MIN(e.unit_id) FROM enterprises e WHERE e.unit_id > u.id) FROM u WHERE u.id IS NOT NULL)
		SELECT u.id, CASE WHEN r.path >= ? AND r.path < ? THEN 1 ELSE 0 END FROM u JOIN units r ON r.id = u.id`), path, prefixEnd(path))
	type unit struct {
		id  int64
		sub int
	}
	list, err := collect(rows, err, func(u *unit) error { return rows.Scan(&u.id, &u.sub) })
	if err != nil {
		return 0, nil, fmt.Errorf("enterprise areas: %w", err)
	}
	for _, u := range list {
		if u.sub == 1 {
			units = append(units, u.id)
		}
	}
	return len(list), units, nil
}

// StreamEnterprises streams to fn the enterprises a filter selects,
// largest first (then by tax code): the order of the lists, for their
// downloads.
func (s *Store) StreamEnterprises(ctx context.Context, f EnterpriseFilter, fn func(*EnterpriseRow) error) error {
	eq := f.query(nil)
	q := `SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, e.source, r.code, r.name, ` + eq.has +
		eq.from + ` ORDER BY ` + eq.key + `.employees DESC, ` + eq.key + `.tax_code`
	return s.stream(ctx, "enterprises", q, eq.args, func(sc interface{ Scan(...any) error }) error {
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
	units, err := s.spanUnits(ctx, q.Filter)
	if err != nil {
		return nil, false, err
	}
	return s.enterprisePage(ctx, q, units)
}

// enterprisePage is EnterprisePage with spanUnits' answer.
func (s *Store) enterprisePage(ctx context.Context, q EnterprisePageQuery, units []int64) (rows []EnterpriseRow, more bool, err error) {
	query, args, limit := s.enterprisePageSQL(q, units)
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

// spanSortMax bounds the enterprises on a subtree's gap list that a page
// gathers by unit and sorts (spanUnits); a longer list is walked in its
// order (gap_spans_keyset), where the subtree's share of the whole list
// is large enough for a page to meet its rows soon.
const spanSortMax = 5000

// spanUnits returns, for a page of the gap list (onSpans) whose subtree has
// few enterprises on it, the ids of the subtree's responsible units with
// some (none at all: an empty, non-nil list); nil otherwise, for a page to
// walk the list's order. The counters know the subtree's list before it
// is read: walking the whole list's order to find a small subtree's rows
// would read the whole list (all of it for a subtree with none), and the
// planner cannot tell, as it weighs the subtree by its units.
func (s *Store) spanUnits(ctx context.Context, f EnterpriseFilter) ([]int64, error) {
	if !f.onSpans() {
		return nil, nil
	}
	parts, err := s.gapUnits(ctx, f.UnitPath, f.AsOf)
	if err != nil {
		return nil, err
	}
	var n int64
	ids := make([]int64, 0, len(parts))
	for _, u := range parts {
		n += u.n
		ids = append(ids, u.id)
	}
	if n > spanSortMax || len(ids) > 1000 {
		return nil, nil
	}
	return ids, nil
}

// enterprisePageSQL is the query of EnterprisePage (up to limit rows and
// one more), its arguments and the limit; units as spanUnits returns.
func (s *Store) enterprisePageSQL(q EnterprisePageQuery, units []int64) (string, []any, int) {
	limit := min(max(q.Limit, 1), 1000)
	eq := q.Filter.query(units)
	from, args, k := strings.Replace(eq.from, openUnionsJoin, unionProbe[s.engine], 1), eq.args, eq.key
	order := ` ORDER BY ` + eq.sortBy + ` DESC, ` + k + `.tax_code`
	if q.Backward {
		order = ` ORDER BY ` + eq.sortBy + `, ` + k + `.tax_code DESC`
	}
	if c := q.After; c != nil {
		if q.Backward {
			from += ` AND (` + k + `.employees > ? OR (` + k + `.employees = ? AND ` + k + `.tax_code < ?))`
		} else {
			from += ` AND (` + k + `.employees < ? OR (` + k + `.employees = ? AND ` + k + `.tax_code > ?))`
		}
		args = append(args, c.Employees, c.Employees, c.TaxCode)
	}
	return `SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, e.source, r.code, r.name, ` + eq.has +
		from + order + ` LIMIT ?`, append(args, limit+1), limit
}

// ExplainEnterprisePage returns the plan of a page of an enterprise list:
// for checking that it seeks its rows by keyset (migration 011), or, on
// the gap list, walks gap_spans_keyset or reads a small subtree's spans by
// unit (migration 017).
func (s *Store) ExplainEnterprisePage(ctx context.Context, q EnterprisePageQuery) (string, error) {
	units, err := s.spanUnits(ctx, q.Filter)
	if err != nil {
		return "", err
	}
	query, args, _ := s.enterprisePageSQL(q, units)
	return s.explain(ctx, "", query, args...)
}

// Cursor is the place of the row in the lists' order.
func (e *EnterpriseRow) Cursor() EnterpriseCursor {
	return EnterpriseCursor{Employees: e.Employees, TaxCode: e.TaxCode}
}
