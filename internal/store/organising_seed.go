package store

import (
	"context"
	"fmt"

	"congdoan/internal/domain"
)

// PipelineSeed is an enterprise's whole pipeline record, for loading a
// data set (the demo) in one transaction.
type PipelineSeed struct {
	TaxCode      string
	Stage        string
	Since        domain.Date
	PauseReason  string
	FirstContact domain.Date
	LastContact  domain.Date
	Events       []PipelineEvent
	Outreach     []Outreach
	Founders     []Founder
	// Organisers are user names (unknown names are an error).
	Organisers []string
}

// JoinSeed is a join request of a data set: to a union (UnitCode) or at an
// enterprise with no union (TaxCode, decided by its responsible unit).
type JoinSeed struct {
	UnitCode string
	TaxCode  string
	Request  JoinRequest
}

// SeedOrganising writes pipelines and join requests in one transaction,
// as a data set has them (dates, statuses and reasons given), with one
// audit entry.
func (s *Store) SeedOrganising(ctx context.Context, actor string, pipes []PipelineSeed, joins []JoinSeed) error {
	opt := func(d domain.Date) any {
		if d.IsZero() {
			return nil
		}
		return d
	}
	return s.Write(ctx, func(tx *Tx) error {
		users := map[string]int64{}
		for _, p := range pipes {
			if _, err := tx.exec(`INSERT INTO pipeline (tax_code, stage, since, pause_reason, first_contact, last_contact) VALUES (?,?,?,?,?,?)`,
				p.TaxCode, p.Stage, p.Since, p.PauseReason, opt(p.FirstContact), opt(p.LastContact)); err != nil {
				return fmt.Errorf("pipeline %s: %w", p.TaxCode, err)
			}
			for _, e := range p.Events {
				if _, err := tx.exec(`INSERT INTO pipeline_events (tax_code, on_day, stage, note, actor, at) VALUES (?,?,?,?,?,?)`,
					p.TaxCode, e.On, e.Stage, e.Note, e.By, nowText()); err != nil {
					return err
				}
			}
			for _, o := range p.Outreach {
				if _, err := tx.exec(`INSERT INTO outreach_log (tax_code, on_day, channel, note, next_step, next_on, actor, at) VALUES (?,?,?,?,?,?,?,?)`,
					p.TaxCode, o.On, o.Channel, o.Note, o.NextStep, opt(o.NextOn), o.By, nowText()); err != nil {
					return err
				}
			}
			for _, f := range p.Founders {
				if _, err := tx.exec(`INSERT INTO founding_group (tax_code, full_name, position, phone) VALUES (?,?,?,?)`, p.TaxCode, f.FullName, f.Position, f.Phone); err != nil {
					return err
				}
			}
			for _, n := range p.Organisers {
				id, ok := users[n]
				if !ok {
					if err := tx.queryRow(`SELECT id FROM users WHERE name = ?`, n).Scan(&id); err != nil {
						return fmt.Errorf("organiser %s: %w", n, err)
					}
					users[n] = id
				}
				if _, err := tx.exec(`INSERT INTO pipeline_organisers (tax_code, user_id) VALUES (?,?)`, p.TaxCode, id); err != nil {
					return err
				}
			}
		}
		for _, js := range joins {
			j := js.Request
			var unit, tax any
			var queue int64
			if js.UnitCode != "" {
				u, err := tx.Unit(js.UnitCode)
				if err != nil {
					return err
				}
				unit, queue = u.ID, u.ID
			} else {
				e, err := tx.Enterprise(js.TaxCode)
				if err != nil {
					return err
				}
				u, err := tx.Unit(e.UnitCode)
				if err != nil {
					return err
				}
				tax, queue = js.TaxCode, u.ID
			}
			at := j.CreatedOn.Time().Add(9 * 3600e9).Format("2006-01-02T15:04:05Z")
			if _, err := tx.exec(`INSERT INTO join_requests (unit_id, tax_code, queue_unit_id, full_name, national_id, id_type, date_of_birth, gender, phone,
				workplace, consent_at, created_at, created_on, due_on, status, decided_on, decided_by, reason) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				unit, tax, queue, j.FullName, j.NationalID, j.IDType, j.DateOfBirth, j.Gender, j.Phone, j.Workplace, at, at,
				j.CreatedOn, domain.AddWorkingDays(j.CreatedOn, JoinResponseDays), j.Status, opt(j.DecidedOn), j.DecidedBy, j.Reason); err != nil {
				return fmt.Errorf("join request: %w", err)
			}
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "pipeline.seed", Detail: fmt.Sprintf("%d pipelines, %d join requests", len(pipes), len(joins))})
	})
}
