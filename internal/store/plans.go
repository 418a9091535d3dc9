package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"congdoan/internal/domain"
)

const planSelect = `SELECT p.id, p.code, p.name, p.unit_id, u.code, p.start_on, p.end_on, p.threshold FROM plans p JOIN units u ON u.id = p.unit_id WHERE p.code = ?`

func scanPlan(row interface{ Scan(...any) error }, code string) (*domain.Plan, error) {
	p := &domain.Plan{}
	err := row.Scan(&p.ID, &p.Code, &p.Name, &p.UnitID, &p.UnitCode, &p.Start, &p.End, &p.Threshold)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("plan", code)
	}
	return p, err
}

const campaignSelect = `SELECT c.id, c.code, c.name, p.code, c.start_on, c.end_on, c.class_name FROM campaigns c JOIN plans p ON p.id = c.plan_id WHERE c.code = ?`

func scanCampaign(row interface{ Scan(...any) error }, code string) (*domain.Campaign, error) {
	c := &domain.Campaign{}
	err := row.Scan(&c.ID, &c.Code, &c.Name, &c.PlanCode, &c.Start, &c.End, &c.ClassName)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("campaign", code)
	}
	return c, err
}

// Plan returns a plan by code.
func (tx *Tx) Plan(code string) (*domain.Plan, error) {
	return scanPlan(tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(planSelect), code), code)
}

// Plan returns a plan by code.
func (s *Store) Plan(ctx context.Context, code string) (*domain.Plan, error) {
	return scanPlan(s.replica.QueryRowContext(ctx, s.rebind(planSelect), code), code)
}

// Campaign returns a campaign by code.
func (s *Store) Campaign(ctx context.Context, code string) (*domain.Campaign, error) {
	return scanCampaign(s.replica.QueryRowContext(ctx, s.rebind(campaignSelect), code), code)
}

// PutPlan inserts or updates a plan (keyed by code).
func (tx *Tx) PutPlan(p *domain.Plan) error {
	u, err := tx.Unit(p.UnitCode)
	if err != nil {
		return err
	}
	p.UnitID = u.ID
	err = tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`INSERT INTO plans (code, name, unit_id, start_on, end_on, threshold) VALUES (?,?,?,?,?,?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, unit_id = excluded.unit_id, start_on = excluded.start_on,
		end_on = excluded.end_on, threshold = excluded.threshold RETURNING id`), p.Code, p.Name, u.ID, p.Start, p.End, p.Threshold).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("save plan %s: %w", p.Code, err)
	}
	return nil
}

// PutTarget inserts or updates a target (keyed by plan, unit, indicator).
func (tx *Tx) PutTarget(planID, unitID int64, t *domain.Target) error {
	_, err := tx.exec(`INSERT INTO targets (plan_id, unit_id, indicator, target) VALUES (?,?,?,?)
		ON CONFLICT (plan_id, unit_id, indicator) DO UPDATE SET target = excluded.target`, planID, unitID, t.Indicator, t.Target)
	if err != nil {
		return fmt.Errorf("save target: %w", err)
	}
	return nil
}

// PutCampaign inserts or updates a campaign (keyed by code).
func (tx *Tx) PutCampaign(planID int64, c *domain.Campaign) error {
	err := tx.tx.QueryRowContext(tx.ctx, tx.s.rebind(`INSERT INTO campaigns (code, name, plan_id, start_on, end_on, class_name) VALUES (?,?,?,?,?,?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, plan_id = excluded.plan_id, start_on = excluded.start_on,
		end_on = excluded.end_on, class_name = excluded.class_name RETURNING id`), c.Code, c.Name, planID, c.Start, c.End, c.ClassName).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("save campaign %s: %w", c.Code, err)
	}
	return nil
}

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

// Targets returns the targets of a plan for these units, per unit and
// indicator.
func (s *Store) Targets(ctx context.Context, planID int64, unitIDs []int64) (map[int64]map[string]int64, error) {
	out := map[int64]map[string]int64{}
	err := eachBatch(unitIDs, func(part []int64) error {
		rows, err := s.replica.QueryContext(ctx, s.rebind(`SELECT unit_id, indicator, target FROM targets
			WHERE plan_id = ? AND unit_id IN `+placeholders(1, len(part))), append([]any{planID}, asArgs(part)...)...)
		if err != nil {
			return fmt.Errorf("targets: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, t int64
			var ind string
			if err := rows.Scan(&id, &ind, &t); err != nil {
				return err
			}
			if out[id] == nil {
				out[id] = map[string]int64{}
			}
			out[id][ind] = t
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AssignedBelow sums, per unit, the targets of one indicator of a plan
// given to the units right below it: what each unit has passed down.
func (s *Store) AssignedBelow(ctx context.Context, planID int64, indicator string, unitIDs []int64) (map[int64]int64, error) {
	return s.sumsIn(ctx, "targets assigned below", unitIDs, func(part []int64) (string, []any) {
		return `SELECT u.parent_id, CAST(SUM(t.target) AS BIGINT) FROM targets t JOIN units u ON u.id = t.unit_id
			WHERE t.plan_id = ? AND t.indicator = ? AND u.parent_id IN ` + placeholders(1, len(part)) + ` GROUP BY u.parent_id`,
			append([]any{planID, indicator}, asArgs(part)...)
	})
}
