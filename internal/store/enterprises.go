package store

import (
	"context"
	"fmt"

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
		LEFT JOIN (SELECT DISTINCT g.enterprise_tax_code AS tax_code FROM units g
			WHERE g.kind = 'grassroots' AND g.enterprise_tax_code <> ''
			AND (g.founded_on IS NULL OR g.founded_on <= ?) AND (g.dissolved_on IS NULL OR g.dissolved_on > ?)) o ON o.tax_code = e.tax_code
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
