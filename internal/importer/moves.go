package importer

import (
	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// moves: a reorganisation, one row a unit and date (DATA.md moves.csv).
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
	_ = m
	return nil
}

func (h *movesHandler) flush() error { return nil }
