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
}

// apiUnit answers GET /api/v1/units/{code}: the unit and the units right
// below it.
func (s *Server) apiUnit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.apiUser(w, r)
	if !ok {
		return
	}
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	children, err := s.Store.Children(r.Context(), unit.ID)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	out := unitJSON{Unit: unit, Children: []unitRef{}}
	for _, c := range children {
		out.Children = append(out.Children, unitRef{Code: c.Code, Name: c.Name, Kind: c.Kind})
	}
	writeJSON(w, http.StatusOK, out)
}

func isNotFound(err error) bool { return errors.Is(err, domain.ErrNotFound) }
