package demo

import (
	"context"
	"fmt"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// The demo login, printed by `congdoan demo`.
const (
	User     = "admin"
	Password = "congdoan2022"
)

// Load writes the demo data into a store in one transaction, keeping the
// daily counters as every write does, then the organising pipeline of
// today (LoadOrganising).
func Load(ctx context.Context, st *store.Store) error {
	d := Build()
	if err := LoadData(ctx, st, d); err != nil {
		return err
	}
	return LoadOrganising(ctx, st, d, domain.Today())
}

// LoadData writes a data set into a store in one transaction: units,
// enterprises, members, transfers, the moves of the reorganisation, plans,
// targets and campaigns.
func LoadData(ctx context.Context, st *store.Store, d *Data) error {
	return st.Write(ctx, func(tx *store.Tx) error {
		ids := map[string]int64{}
		for i := range d.Units {
			u := d.Units[i]
			u.ParentID = ids[u.ParentCode]
			if err := tx.PutUnit(&u); err != nil {
				return fmt.Errorf("unit %s: %w", u.Code, err)
			}
			ids[u.Code] = u.ID
		}
		es := make([]*domain.Enterprise, len(d.Enterprises))
		for i := range d.Enterprises {
			es[i] = &d.Enterprises[i]
		}
		if err := tx.PutEnterprises(es); err != nil {
			return err
		}
		ms := make([]*domain.Member, len(d.Members))
		for i := range d.Members {
			m := d.Members[i]
			m.UnitID = ids[m.UnitCode]
			ms[i] = &m
		}
		if err := tx.SaveMembers(ms); err != nil {
			return err
		}
		ts := make([]domain.Transfer, len(d.Transfers))
		for i, t := range d.Transfers {
			t.ToUnitID = ids[t.ToUnitCode]
			ts[i] = t
		}
		if err := tx.SaveTransfers(ts); err != nil {
			return err
		}
		if err := saveMoves(tx, d.Moves, ids); err != nil {
			return err
		}
		plans := map[string]int64{}
		for i := range d.Plans {
			p := d.Plans[i]
			p.UnitID = ids[p.UnitCode]
			if err := tx.PutPlan(&p); err != nil {
				return err
			}
			plans[p.Code] = p.ID
		}
		for i := range d.Targets {
			t := d.Targets[i]
			if err := tx.PutTarget(plans[t.PlanCode], ids[t.UnitCode], &t); err != nil {
				return err
			}
		}
		for i := range d.Campaigns {
			c := d.Campaigns[i]
			if err := tx.PutCampaign(plans[c.PlanCode], &c); err != nil {
				return err
			}
		}
		return tx.Audit(store.AuditEntry{Actor: "demo", Action: "demo.load", UnitID: ids[RootCode],
			Detail: fmt.Sprintf("%d units, %d enterprises, %d members, %d transfers, %d moves",
				len(d.Units), len(d.Enterprises), len(d.Members), len(d.Transfers), len(d.Moves))})
	})
}

// SaveMoves records the moves of a data set already loaded (without them)
// in a transaction of its own.
func SaveMoves(ctx context.Context, st *store.Store, d *Data) error {
	return st.Write(ctx, func(tx *store.Tx) error {
		ids := map[string]int64{}
		for _, m := range d.Moves {
			for _, code := range []string{m.UnitCode, m.NewParentCode} {
				if _, ok := ids[code]; !ok {
					u, err := tx.Unit(code)
					if err != nil {
						return err
					}
					ids[code] = u.ID
				}
			}
		}
		return saveMoves(tx, d.Moves, ids)
	})
}

func saveMoves(tx *store.Tx, moves []domain.Move, ids map[string]int64) error {
	for _, m := range moves {
		m.UnitID, m.NewParentID = ids[m.UnitCode], ids[m.NewParentCode]
		if err := tx.SaveMove(&m); err != nil {
			return fmt.Errorf("move of %s on %s: %w", m.UnitCode, m.MovedOn, err)
		}
	}
	return nil
}
