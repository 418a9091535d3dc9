package importer

import "congdoan/internal/domain"

// moves: a reorganisation, one row a unit and date (docs/import-formats.md moves.csv).
// Rows are saved one by one, so that a row is checked against the tree the
// rows above it made (a cycle through two moves of one file is found).
type movesHandler struct{ fileRows }

func (h *movesHandler) parse(r *row) any {
	return &domain.Move{
		UnitCode:      r.required("code"),
		NewParentCode: r.required("new_parent_code"),
		MovedOn:       r.date("moved_on", true),
		DecisionNo:    r.str("decision_no"),
	}
}

func (h *movesHandler) check(r *row, rec any) {
	m := rec.(*domain.Move)
	if m.UnitCode != "" && !m.MovedOn.IsZero() {
		key := m.UnitCode + "\x00" + m.MovedOn.String()
		if h.seen[key] {
			r.fail("moved_on", "move.twice", m.UnitCode, m.MovedOn.VN())
		}
		h.seen[key] = true
	}
}

func (h *movesHandler) save(r *row, rec any) error {
	m := rec.(*domain.Move)
	u := unit(h.tx, r, "code", m.UnitCode)
	p := unit(h.tx, r, "new_parent_code", m.NewParentCode)
	d := m.MovedOn
	if u != nil && !d.IsZero() {
		switch {
		case !u.FoundedOn.IsZero() && d <= u.FoundedOn:
			r.fail("moved_on", "move.before_founded", d.VN(), u.FoundedOn.VN(), u.Code)
		case !u.DissolvedOn.IsZero() && d >= u.DissolvedOn:
			r.fail("code", "move.unit_dissolved", u.Code, u.DissolvedOn.VN(), d.VN())
		}
	}
	if p != nil {
		switch {
		case p.Kind == domain.KindGrassroots:
			r.fail("new_parent_code", "move.parent_grassroots", p.Code)
		case d.IsZero():
		case !p.FoundedOn.IsZero() && d < p.FoundedOn:
			r.fail("new_parent_code", "move.parent_founded_after", p.Code, p.FoundedOn.VN(), d.VN())
		case !p.DissolvedOn.IsZero() && d >= p.DissolvedOn:
			r.fail("new_parent_code", "unit.dissolved", p.Code, p.DissolvedOn.VN())
		}
	}
	if u != nil && p != nil && !d.IsZero() && !r.bad {
		cycle, err := h.tx.MoveMakesCycle(u.ID, p.ID, d)
		if err != nil {
			return err
		}
		switch {
		case cycle == 0:
		case u.ID == p.ID:
			r.fail("new_parent_code", "unit.own_parent")
		default:
			r.fail("new_parent_code", "move.cycle", p.Code, u.Code, cycle.VN())
		}
	}
	if r.bad {
		return nil
	}
	return h.tx.SaveMove(m)
}

func (h *movesHandler) flush() error { return nil }
