package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"congdoan/internal/domain"
)

// GapEnterprise is an enterprise of the labour-source map that has enough
// workers for a grassroots union and none yet: the organisers' to-do list.
type GapEnterprise struct {
	domain.Enterprise
	// UnitName is the name of the responsible unit (Enterprise.UnitCode).
	UnitName string
}

// GapEnterprises streams to fn, largest first (then by tax code), the
// enterprises whose responsible unit is in unit's subtree, that have at
// least minEmployees workers and that no grassroots unit open on day asOf
// (founded by then, where a founding date is known, and not dissolved) is
// linked to by enterprise_tax_code. It is one query whose rows are handed
// over as they come; fn returning an error stops it with that error.
func (s *Store) GapEnterprises(ctx context.Context, unit *domain.Unit, asOf domain.Date, minEmployees int64, fn func(*GapEnterprise) error) error {
	// The tax codes that have an open union are gathered once and anti-joined
	// (a hash anti-join on PostgreSQL; SQLite materialises them with an
	// automatic index): a correlated NOT EXISTS would scan the units once per
	// enterprise on SQLite, as units.enterprise_tax_code has no index.
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, e.source, r.code, r.name
		FROM enterprises e JOIN units r ON r.id = e.unit_id
		LEFT JOIN `+openUnions+` o ON o.tax_code = e.tax_code
		WHERE r.path >= ? AND r.path < ? AND e.employees >= ? AND o.tax_code IS NULL
		ORDER BY e.employees DESC, e.tax_code`), asOf, asOf, unit.Path, prefixEnd(unit.Path), minEmployees)
	if err != nil {
		return fmt.Errorf("enterprises without a union: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g GapEnterprise
		if err := rows.Scan(&g.TaxCode, &g.Name, &g.Ownership, &g.Employees, &g.Address, &g.Area, &g.Source, &g.UnitCode, &g.UnitName); err != nil {
			return fmt.Errorf("enterprises without a union: %w", err)
		}
		if err := fn(&g); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("enterprises without a union: %w", err)
	}
	return nil
}

// PlanCampaigns returns the campaigns of a plan, by start date and code.
func (s *Store) PlanCampaigns(ctx context.Context, planCode string) ([]domain.Campaign, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT c.id, c.code, c.name, p.code, c.start_on, c.end_on, c.class_name
		FROM campaigns c JOIN plans p ON p.id = c.plan_id WHERE p.code = ? ORDER BY c.start_on, c.code`), planCode)
	if err != nil {
		return nil, fmt.Errorf("campaigns of plan %s: %w", planCode, err)
	}
	defer rows.Close()
	var cs []domain.Campaign
	for rows.Next() {
		var c domain.Campaign
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.PlanCode, &c.Start, &c.End, &c.ClassName); err != nil {
			return nil, fmt.Errorf("campaigns of plan %s: %w", planCode, err)
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// Enterprise returns an enterprise by tax code.
func (s *Store) Enterprise(ctx context.Context, taxCode string) (*domain.Enterprise, error) {
	e := &domain.Enterprise{}
	err := s.replica.QueryRowContext(ctx, s.rebind(`SELECT e.tax_code, e.name, e.ownership, e.employees, e.address, e.area, u.code, e.source
		FROM enterprises e JOIN units u ON u.id = e.unit_id WHERE e.tax_code = ?`), taxCode).
		Scan(&e.TaxCode, &e.Name, &e.Ownership, &e.Employees, &e.Address, &e.Area, &e.UnitCode, &e.Source)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("enterprise", taxCode)
	}
	return e, err
}

// UnionsOf returns the grassroots units linked to enterprises (by tax
// code), open or not, by code.
func (s *Store) UnionsOf(ctx context.Context, taxCodes []string) ([]*domain.Unit, error) {
	if len(taxCodes) == 0 {
		return nil, nil
	}
	args := make([]any, len(taxCodes))
	for i, t := range taxCodes {
		args[i] = t
	}
	return s.unitsWhere(ctx, ` WHERE u.kind = 'grassroots' AND u.enterprise_tax_code IN `+placeholders(1, len(taxCodes))+` ORDER BY u.code`, args...)
}

// EnterpriseFilter selects enterprises of the registry.
type EnterpriseFilter struct {
	// UnitPath: enterprises whose responsible unit is in this subtree.
	UnitPath string
	// Q: part of the name (case-insensitive for ASCII letters), or the
	// start of the tax code.
	Q string
	// MinEmployees, MaxEmployees (0: no bound) select a head-count class.
	MinEmployees, MaxEmployees int64
	// Union: "with" (a grassroots union open on AsOf is linked), "without",
	// or "" for both.
	Union string
	AsOf  domain.Date
	// Ownership: one ownership value (domain.Own*), or "" for all.
	Ownership string
	// Area: the area (industrial zone, ward…) as recorded, or "" for all.
	Area string
	// Stage: the organising stage (Stages; an enterprise not worked yet
	// is StageMapped), or "" for all.
	Stage string
}

// openUnions is a derived table of the tax codes with a grassroots union
// open on a day (two ? for the day): the form GapEnterprises uses too.
var openUnions = `(SELECT DISTINCT g.enterprise_tax_code AS tax_code FROM units g
	WHERE g.kind = 'grassroots' AND g.enterprise_tax_code <> ''
	AND ` + openOn("g") + `)`

func (f EnterpriseFilter) where() (string, []any) {
	q := f.query(nil)
	return q.from, q.args
}

// onSpans reports whether the filter selects part of the gap list (no open
// union, at least the counters' head-count): such lists read gap_spans
// (migration 017), the enterprises on the list on each day, instead of
// asking every enterprise for an open union.
func (f EnterpriseFilter) onSpans() bool {
	return f.Union == "without" && f.MinEmployees >= gapCounted
}

// entQuery is an enterprise list's FROM … WHERE and its arguments, with
// the table alias whose (employees, tax_code) give the list's order, the
// expression it is sorted by, and the expression of whether a union is
// open.
type entQuery struct {
	from string
	args []any
	key  string // "e" (enterprises) or "s" (gap_spans)
	// sortBy is key's employees, or +s.employees where the rows are
	// gathered by unit and sorted rather than read in an index's order.
	sortBy string
	has    string // 1 where an open union is linked, else 0
}

// query is the filter's entQuery. units, for a filter on the gap list
// (onSpans), are the ids of the subtree's responsible units with some
// enterprise on the list, to read by unit (gap_spans_unit) instead of the
// subtree's path; nil reads the path.
func (f EnterpriseFilter) query(units []int64) entQuery {
	if f.onSpans() {
		c := conds{list: []string{`s.from_day <= ? AND s.to_day > ?`}, args: []any{f.AsOf, f.AsOf}}
		sortBy := "s.employees"
		if units != nil {
			// The unary plus keeps the list's order from the keyset
			// index: the subtree's few spans are read by unit and sorted
			// (one unit's are in order in gap_spans_unit).
			ids := make([]string, len(units))
			for i, id := range units {
				ids[i] = strconv.FormatInt(id, 10)
			}
			if len(ids) == 0 {
				ids = []string{"NULL"}
			}
			c.add(`s.unit_id IN (` + strings.Join(ids, ",") + `)`)
			if len(ids) > 1 {
				sortBy = "+s.employees"
			}
		} else {
			// The unit is the span's (the enterprise's, as gap_refresh
			// last saw it), so the subtree is checked before enterprises
			// is read.
			c.add(`r.path >= ? AND r.path < ?`, f.UnitPath, prefixEnd(f.UnitPath))
		}
		f.conds(&c, "s")
		return entQuery{from: ` FROM gap_spans s JOIN units r ON r.id = s.unit_id JOIN enterprises e ON e.tax_code = s.tax_code
		WHERE ` + c.and(), args: c.args, key: "s", sortBy: sortBy, has: "0"}
	}
	// The first two arguments are openUnions', before the conditions.
	c := conds{list: []string{`r.path >= ? AND r.path < ?`}, args: []any{f.AsOf, f.AsOf, f.UnitPath, prefixEnd(f.UnitPath)}}
	f.conds(&c, "e")
	c.present(`o.tax_code`, f.Union, "with", "without")
	return entQuery{from: ` FROM enterprises e JOIN units r ON r.id = e.unit_id LEFT JOIN ` + openUnions + ` o ON o.tax_code = e.tax_code
		WHERE ` + c.and(), args: c.args, key: "e", sortBy: "e.employees", has: `CASE WHEN o.tax_code IS NULL THEN 0 ELSE 1 END`}
}

// conds adds the filter's conditions on the enterprise but its subtree and
// union; key is the alias whose employees are compared.
func (f EnterpriseFilter) conds(c *conds, key string) {
	if q := strings.TrimSpace(f.Q); q != "" {
		c.add(`(lower(e.name) LIKE lower(?) ESCAPE '\' OR e.tax_code LIKE ? ESCAPE '\')`, "%"+escapeLike(q)+"%", escapeLike(q)+"%")
	}
	if f.MinEmployees > 0 {
		c.add(key+`.employees >= ?`, f.MinEmployees)
	}
	if f.MaxEmployees > 0 {
		c.add(key+`.employees <= ?`, f.MaxEmployees)
	}
	if f.Ownership != "" {
		c.add(`e.ownership = ?`, f.Ownership)
	}
	if f.Area != "" {
		c.add(`e.area = ?`, f.Area)
	}
	if f.Stage != "" {
		c.add(`COALESCE((SELECT p.stage FROM pipeline p WHERE p.tax_code = e.tax_code), '`+StageMapped+`') = ?`, f.Stage)
	}
}

// EnterpriseRow is an enterprise of the registry with its union, if any.
type EnterpriseRow struct {
	domain.Enterprise
	UnitName string // the responsible unit's
	// HasUnion: a grassroots union linked to it is open on the filter's day.
	HasUnion bool
}

// SizeClass is one head-count class of the registry's summary.
type SizeClass struct {
	// Min and Max bound the head-count (Max 0: no upper bound).
	Min, Max int64
	// Enterprises and Workers count all of the class; WithUnion and
	// UnionWorkers those with an open union; Members are the active members
	// of those unions.
	Enterprises, Workers, WithUnion, UnionWorkers, Members int64
}

// SizeClasses are the head-count bounds of the registry's summary; 25 is
// the threshold of the gap list.
var SizeClasses = [][2]int64{{0, 9}, {10, 24}, {25, 49}, {50, 99}, {100, 299}, {300, 999}, {1000, 0}}

// EnterpriseClasses summarises the enterprises of a subtree by head-count
// class, with and without an open union on asOf, and the active members of
// those unions on asOf (for the unionisation rate: members / workers).
func (s *Store) EnterpriseClasses(ctx context.Context, path string, asOf domain.Date) ([]SizeClass, error) {
	var cases strings.Builder
	cases.WriteString(`CASE`)
	for i, c := range SizeClasses {
		if c[1] == 0 {
			fmt.Fprintf(&cases, ` ELSE %d END`, i)
			break
		}
		fmt.Fprintf(&cases, ` WHEN e.employees <= %d THEN %d`, c[1], i)
	}
	out := make([]SizeClass, len(SizeClasses))
	for i, c := range SizeClasses {
		out[i].Min, out[i].Max = c[0], c[1]
	}
	f := EnterpriseFilter{UnitPath: path, AsOf: asOf}
	from, args := f.where()
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT `+cases.String()+` AS k, COUNT(*), CAST(COALESCE(SUM(e.employees), 0) AS BIGINT),
		CAST(COALESCE(SUM(CASE WHEN o.tax_code IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT),
		CAST(COALESCE(SUM(CASE WHEN o.tax_code IS NULL THEN 0 ELSE e.employees END), 0) AS BIGINT)`+from+` GROUP BY k`), args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise classes: %w", err)
	}
	for rows.Next() {
		var k int
		var c SizeClass
		if err := rows.Scan(&k, &c.Enterprises, &c.Workers, &c.WithUnion, &c.UnionWorkers); err != nil {
			rows.Close()
			return nil, err
		}
		if k >= 0 && k < len(out) {
			out[k].Enterprises, out[k].Workers, out[k].WithUnion, out[k].UnionWorkers = c.Enterprises, c.Workers, c.WithUnion, c.UnionWorkers
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The members of the open unions of those enterprises, per class.
	rows, err = s.replica.QueryContext(ctx, s.rebind(`SELECT `+cases.String()+` AS k, CAST(COALESCE(SUM(`+activeOf("g")+`), 0) AS BIGINT)
		FROM enterprises e JOIN units r ON r.id = e.unit_id
		JOIN units g ON g.enterprise_tax_code = e.tax_code AND g.kind = 'grassroots'
			AND `+openOn("g")+`
		WHERE r.path >= ? AND r.path < ? GROUP BY k`), asOf, asOf, asOf, asOf, path, prefixEnd(path))
	if err != nil {
		return nil, fmt.Errorf("enterprise union members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k int
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		if k >= 0 && k < len(out) {
			out[k].Members = n
		}
	}
	return out, rows.Err()
}
