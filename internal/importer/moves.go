package importer

import (
	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// moves: a reorganisation, one row a unit and date (DATA.md moves.csv).
// Rows are saved one by one, so that a row is checked against the tree the
// rows above it made (a cycle through two moves of one file is found).
type movesHandler struct {
	tx   *store.Tx
	seen map[string]bool
}

func (h *movesHandler) row(r *row) error {
	m := &domain.Move{
		UnitCode:      r.required("code"),
		NewParentCode: r.required("new_parent_code"),
		MovedOn:       r.date("moved_on", true),
		DecisionNo:    r.str("decision_no"),
	}
	if m.UnitCode != "" && !m.MovedOn.IsZero() {
		key := m.UnitCode + "\x00" + m.MovedOn.String()
		if h.seen[key] {
			r.fail("moved_on", "việc chuyển đơn vị %s ngày %s xuất hiện hai lần trong tệp (the move of %s on %s appears twice in the file)", m.UnitCode, m.MovedOn.VN(), m.UnitCode, m.MovedOn)
		}
		h.seen[key] = true
	}
	u := unit(h.tx, r, "code", m.UnitCode)
	p := unit(h.tx, r, "new_parent_code", m.NewParentCode)
	d := m.MovedOn
	if u != nil && !d.IsZero() {
		switch {
		case !u.FoundedOn.IsZero() && d <= u.FoundedOn:
			r.fail("moved_on", "ngày hiệu lực %s phải sau ngày thành lập %s của %s (%s must be after %s's founding on %s)", d.VN(), u.FoundedOn.VN(), u.Code, d, u.Code, u.FoundedOn)
		case !u.DissolvedOn.IsZero() && d >= u.DissolvedOn:
			r.fail("code", "%q đã giải thể ngày %s, trước ngày hiệu lực %s (was dissolved on %s, before the move on %s)", u.Code, u.DissolvedOn.VN(), d.VN(), u.DissolvedOn, d)
		}
	}
	if p != nil {
		switch {
		case p.Kind == domain.KindGrassroots:
			r.fail("new_parent_code", "%q là CĐCS, không có đơn vị trực thuộc; cấp trên mới phải là liên đoàn hoặc công đoàn cấp trên cơ sở (is a grassroots unit; the new parent must be a federation or an upper union)", p.Code)
		case d.IsZero():
		case !p.FoundedOn.IsZero() && d < p.FoundedOn:
			r.fail("new_parent_code", "%q được thành lập ngày %s, sau ngày hiệu lực %s (was founded on %s, after the move on %s)", p.Code, p.FoundedOn.VN(), d.VN(), p.FoundedOn, d)
		case !p.DissolvedOn.IsZero() && d >= p.DissolvedOn:
			r.fail("new_parent_code", "%q đã giải thể ngày %s (was dissolved on %s)", p.Code, p.DissolvedOn.VN(), p.DissolvedOn)
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
			r.fail("new_parent_code", "đơn vị không thể là cấp trên của chính nó (a unit cannot be its own parent)")
		default:
			r.fail("new_parent_code", "%[1]q nằm dưới %[2]q từ ngày %[3]s: %[2]s không thể chuyển về dưới đơn vị trực thuộc chính mình (%[1]q is below %[2]q from %[4]s on: a unit cannot move below itself)", p.Code, u.Code, cycle.VN(), cycle)
		}
	}
	if r.bad {
		return nil
	}
	return h.tx.SaveMove(m)
}

func (h *movesHandler) flush() error { return nil }
