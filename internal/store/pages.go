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

// Reads the web pages need besides the report: plans a user may open, the
// unit tree with its counts, the enterprise registry, a member's history.

// PlanInfo is a plan with where its unit sits in the tree.
type PlanInfo struct {
	domain.Plan
	UnitName string
	UnitPath string
}

// PlansAround returns the plans of the unit with this path, of its
// ancestors and of the units below it: the plans whose figures a user of
// that unit can see some part of. Newest first, then by code.
func (s *Store) PlansAround(ctx context.Context, path string) ([]PlanInfo, error) {
	ids := pathIDs(path)
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(ids)+2)
	for _, id := range ids {
		args = append(args, id)
	}
	args = append(args, path, prefixEnd(path))
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT p.id, p.code, p.name, p.unit_id, u.code, p.start_on, p.end_on, p.threshold, u.name, u.path
		FROM plans p JOIN units u ON u.id = p.unit_id
		WHERE p.unit_id IN `+placeholders(1, len(ids))+` OR (u.path >= ? AND u.path < ?)
		ORDER BY p.start_on DESC, p.code`), args...)
	if err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	defer rows.Close()
	var out []PlanInfo
	for rows.Next() {
		var p PlanInfo
		if err := rows.Scan(&p.ID, &p.Code, &p.Name, &p.UnitID, &p.UnitCode, &p.Start, &p.End, &p.Threshold, &p.UnitName, &p.UnitPath); err != nil {
			return nil, fmt.Errorf("plans: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// pathIDs are the unit IDs of a path, root first: "/1/7/42/" -> 1, 7, 42.
func pathIDs(path string) []int64 {
	var ids []int64
	for _, p := range strings.Split(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// Ancestors returns the units of a path, root first, the unit itself last.
func (s *Store) Ancestors(ctx context.Context, path string) ([]*domain.Unit, error) {
	ids := pathIDs(path)
	if len(ids) == 0 {
		return nil, nil
	}
	us, err := s.unitsWhere(ctx, ` WHERE u.id IN `+placeholders(1, len(ids)), int64Args(ids)...)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*domain.Unit{}
	for _, u := range us {
		byID[u.ID] = u
	}
	out := make([]*domain.Unit, 0, len(ids))
	for _, id := range ids {
		if u := byID[id]; u != nil {
			out = append(out, u)
		}
	}
	return out, nil
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

func (s *Store) unitsWhere(ctx context.Context, where string, args ...any) ([]*domain.Unit, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT `+unitCols+unitFrom+where), args...)
	if err != nil {
		return nil, fmt.Errorf("units: %w", err)
	}
	defer rows.Close()
	var out []*domain.Unit
	for rows.Next() {
		u, err := scanUnit(rows)
		if err != nil {
			return nil, fmt.Errorf("units: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpperUnits returns the units of a subtree that are not grassroots units
// (the federation, the upper unions), ordered by path: the skeleton of the
// tree, small even at national scale.
func (s *Store) UpperUnits(ctx context.Context, path string) ([]*domain.Unit, error) {
	return s.unitsWhere(ctx, ` WHERE u.kind <> 'grassroots' AND u.path >= ? AND u.path < ? ORDER BY u.path`, path, prefixEnd(path))
}

// GrassrootsUnits returns up to limit grassroots units of a subtree that are
// open on day (founded by then, not dissolved), by code.
func (s *Store) GrassrootsUnits(ctx context.Context, path string, day domain.Date, limit int) ([]*domain.Unit, error) {
	return s.unitsWhere(ctx, ` WHERE u.kind = 'grassroots' AND u.path >= ? AND u.path < ?
		AND (u.founded_on IS NULL OR u.founded_on <= ?) AND (u.dissolved_on IS NULL OR u.dissolved_on > ?)
		ORDER BY u.code LIMIT ?`, path, prefixEnd(path), day, day, limit)
}

// OpenGrassrootsByParent counts, per parent unit, the grassroots units of a
// subtree open on day.
func (s *Store) OpenGrassrootsByParent(ctx context.Context, path string, day domain.Date) (map[int64]int64, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT u.parent_id, COUNT(*) FROM units u
		WHERE u.kind = 'grassroots' AND u.path >= ? AND u.path < ?
		AND (u.founded_on IS NULL OR u.founded_on <= ?) AND (u.dissolved_on IS NULL OR u.dissolved_on > ?)
		GROUP BY u.parent_id`), path, prefixEnd(path), day, day)
	if err != nil {
		return nil, fmt.Errorf("grassroots units: %w", err)
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var parent sql.NullInt64
		var n int64
		if err := rows.Scan(&parent, &n); err != nil {
			return nil, err
		}
		out[parent.Int64] = n
	}
	return out, rows.Err()
}

// ActiveMembers returns, per unit, the members active on day in the unit's
// subtree (the sum of its daily counters' net changes up to that day).
func (s *Store) ActiveMembers(ctx context.Context, ids []int64, day domain.Date) (map[int64]int64, error) {
	out := map[int64]int64{}
	const batch = 500
	for i := 0; i < len(ids); i += batch {
		part := ids[i:min(i+batch, len(ids))]
		rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT unit_id, CAST(SUM(net) AS BIGINT) FROM unit_day
			WHERE unit_id IN `+placeholders(1, len(part))+` AND day <= ? GROUP BY unit_id`), append(int64Args(part), day)...)
		if err != nil {
			return nil, fmt.Errorf("active members: %w", err)
		}
		if err := scanSums(rows, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Targets returns the targets of a plan for these units, per unit and
// indicator.
func (s *Store) Targets(ctx context.Context, planID int64, unitIDs []int64) (map[int64]map[string]int64, error) {
	out := map[int64]map[string]int64{}
	const batch = 500
	for i := 0; i < len(unitIDs); i += batch {
		part := unitIDs[i:min(i+batch, len(unitIDs))]
		rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT unit_id, indicator, target FROM targets
			WHERE plan_id = ? AND unit_id IN `+placeholders(1, len(part))), append([]any{planID}, int64Args(part)...)...)
		if err != nil {
			return nil, fmt.Errorf("targets: %w", err)
		}
		for rows.Next() {
			var id, t int64
			var ind string
			if err := rows.Scan(&id, &ind, &t); err != nil {
				rows.Close()
				return nil, err
			}
			if out[id] == nil {
				out[id] = map[string]int64{}
			}
			out[id][ind] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MemberTransfers returns a member's transfers, in date order.
func (s *Store) MemberTransfers(ctx context.Context, memberID int64) ([]domain.Transfer, error) {
	rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT m.national_id, t.day, t.to_unit_id, u.code FROM transfers t
		JOIN members m ON m.id = t.member_id JOIN units u ON u.id = t.to_unit_id WHERE t.member_id = ? ORDER BY t.day`), memberID)
	if err != nil {
		return nil, fmt.Errorf("transfers: %w", err)
	}
	defer rows.Close()
	var out []domain.Transfer
	for rows.Next() {
		var t domain.Transfer
		if err := rows.Scan(&t.NationalID, &t.Date, &t.ToUnitID, &t.ToUnitCode); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
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
const openUnions = `(SELECT DISTINCT g.enterprise_tax_code AS tax_code FROM units g
	WHERE g.kind = 'grassroots' AND g.enterprise_tax_code <> ''
	AND (g.founded_on IS NULL OR g.founded_on <= ?) AND (g.dissolved_on IS NULL OR g.dissolved_on > ?))`

func (f EnterpriseFilter) where() (string, []any) {
	conds := []string{`r.path >= ? AND r.path < ?`}
	args := []any{f.AsOf, f.AsOf, f.UnitPath, prefixEnd(f.UnitPath)}
	if q := strings.TrimSpace(f.Q); q != "" {
		conds = append(conds, `(lower(e.name) LIKE lower(?) ESCAPE '\' OR e.tax_code LIKE ? ESCAPE '\')`)
		args = append(args, "%"+escapeLike(q)+"%", escapeLike(q)+"%")
	}
	if f.MinEmployees > 0 {
		conds = append(conds, `e.employees >= ?`)
		args = append(args, f.MinEmployees)
	}
	if f.MaxEmployees > 0 {
		conds = append(conds, `e.employees <= ?`)
		args = append(args, f.MaxEmployees)
	}
	if f.Ownership != "" {
		conds = append(conds, `e.ownership = ?`)
		args = append(args, f.Ownership)
	}
	if f.Area != "" {
		conds = append(conds, `e.area = ?`)
		args = append(args, f.Area)
	}
	if f.Stage != "" {
		conds = append(conds, `COALESCE((SELECT p.stage FROM pipeline p WHERE p.tax_code = e.tax_code), '`+StageMapped+`') = ?`)
		args = append(args, f.Stage)
	}
	switch f.Union {
	case "with":
		conds = append(conds, `o.tax_code IS NOT NULL`)
	case "without":
		conds = append(conds, `o.tax_code IS NULL`)
	}
	return ` FROM enterprises e JOIN units r ON r.id = e.unit_id LEFT JOIN ` + openUnions + ` o ON o.tax_code = e.tax_code
		WHERE ` + strings.Join(conds, ` AND `), args
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
	rows, err = s.replica.QueryContext(ctx, s.rebind(`SELECT `+cases.String()+` AS k, CAST(COALESCE(SUM(d.net), 0) AS BIGINT)
		FROM enterprises e JOIN units r ON r.id = e.unit_id
		JOIN units g ON g.enterprise_tax_code = e.tax_code AND g.kind = 'grassroots'
			AND (g.founded_on IS NULL OR g.founded_on <= ?) AND (g.dissolved_on IS NULL OR g.dissolved_on > ?)
		JOIN unit_day d ON d.unit_id = g.id AND d.day <= ?
		WHERE r.path >= ? AND r.path < ? GROUP BY k`), asOf, asOf, asOf, path, prefixEnd(path))
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

// AssignedBelow sums, per unit, the targets of one indicator of a plan
// given to the units right below it: what each unit has passed down.
func (s *Store) AssignedBelow(ctx context.Context, planID int64, indicator string, unitIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	const batch = 500
	for i := 0; i < len(unitIDs); i += batch {
		part := unitIDs[i:min(i+batch, len(unitIDs))]
		rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT u.parent_id, CAST(SUM(t.target) AS BIGINT) FROM targets t JOIN units u ON u.id = t.unit_id
			WHERE t.plan_id = ? AND t.indicator = ? AND u.parent_id IN `+placeholders(1, len(part))+` GROUP BY u.parent_id`),
			append([]any{planID, indicator}, int64Args(part)...)...)
		if err != nil {
			return nil, fmt.Errorf("targets assigned below: %w", err)
		}
		if err := scanSums(rows, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanSums reads (id, number) rows into out and closes them.
func scanSums(rows *sql.Rows, out map[int64]int64) error {
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		out[id] = n
	}
	return rows.Err()
}
