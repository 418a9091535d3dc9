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
// daily counters as every write does.
func Load(ctx context.Context, st *store.Store) error {
	d := Build()
	return st.Write(ctx, func(tx *store.Tx) error {
		ids := map[string]int64{}
		for i := range d.Units {
			u := d.Units[i]
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
		transfers := map[string][]domain.Transfer{}
		for _, t := range d.Transfers {
			t.ToUnitID = ids[t.ToUnitCode]
			transfers[t.NationalID] = append(transfers[t.NationalID], t)
		}
		const batch = 2000
		for i := 0; i < len(d.Members); i += batch {
			part := d.Members[i:min(i+batch, len(d.Members))]
			ms := make([]*domain.Member, len(part))
			for j := range part {
				m := part[j]
				m.UnitID = ids[m.UnitCode]
				ms[j] = &m
				if err := tx.AddMemberDeltas(&m, transfers[m.NationalID], 1); err != nil {
					return err
				}
			}
			if err := tx.PutMembers(ms, transfers); err != nil {
				return err
			}
		}
		if len(d.Transfers) > 0 {
			var nids []string
			for id := range transfers {
				nids = append(nids, id)
			}
			members, _, err := tx.Members(nids)
			if err != nil {
				return err
			}
			ts := make([]domain.Transfer, 0, len(d.Transfers))
			for _, list := range transfers {
				ts = append(ts, list...)
			}
			if err := tx.PutTransfers(members, ts, transfers); err != nil {
				return err
			}
		}
		plans := map[string]int64{}
		for i := range d.Plans {
			p := d.Plans[i]
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
			Detail: fmt.Sprintf("%d units, %d enterprises, %d members, %d transfers", len(d.Units), len(d.Enterprises), len(d.Members), len(d.Transfers))})
	})
}
