package web

import (
	"errors"
	"net/http"

	"congdoan/internal/domain"
)

type unitRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type unitJSON struct {
	*domain.Unit
	Children []unitRef `json:"children"`
	// Moves are the unit's dated parent changes (moves.csv), in date order.
	Moves []moveJSON `json:"moves"`
	// JoinURL is the public join link of an open grassroots union.
	JoinURL string `json:"join_url,omitempty"`
}

type moveJSON struct {
	NewParentCode string      `json:"new_parent_code"`
	MovedOn       domain.Date `json:"moved_on"`
	DecisionNo    string      `json:"decision_no"`
}

// apiUnit answers GET /api/v1/units/{code}: the unit, the units right
// below it today and its moves.
func (s *Server) apiUnit(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		return err
	}
	children, err := s.Store.ChildrenOn(r.Context(), unit.ID, domain.Today())
	if err != nil {
		return err
	}
	moves, err := s.Store.UnitMoves(r.Context(), unit.ID)
	if err != nil {
		return err
	}
	out := unitJSON{Unit: unit, Children: []unitRef{}, Moves: []moveJSON{}}
	for _, c := range children {
		out.Children = append(out.Children, unitRef{Code: c.Code, Name: c.Name, Kind: c.Kind})
	}
	for _, m := range moves {
		out.Moves = append(out.Moves, moveJSON{NewParentCode: m.NewParentCode, MovedOn: m.MovedOn, DecisionNo: m.DecisionNo})
	}
	// The join link is made on first use: a unit still reads when it
	// cannot be made (the primary away), only without join_url.
	if tok, err := s.unitJoinToken(r, unit); err == nil {
		out.JoinURL = s.joinURL(r, tok)
	} else if !isNotFound(err) {
		s.Log.Warn("join link of a unit", "unit", unit.Code, "err", err)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, domain.ErrNotFound) }
