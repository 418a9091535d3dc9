package web

import (
	"net/http"

	"congdoan/internal/domain"
)

// dissolveData is the form that dissolves a grassroots union.
type dissolveData struct {
	Unit    *domain.Unit
	Members int64 // still active today
	Form    *formState
}

func (s *Server) dissolveSetup(r *http.Request) (*dissolveData, error) {
	u := currentUser(r)
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	if unit.Kind != domain.KindGrassroots {
		return nil, errText(http.StatusNotFound, "err.only_a_grassroots_unit_is_dissolved_here")
	}
	active, err := s.Store.ActiveMembers(r.Context(), []int64{unit.ID}, domain.Today())
	if err != nil {
		return nil, err
	}
	return &dissolveData{Unit: unit, Members: active[unit.ID], Form: newForm("units", nil)}, nil
}

// dissolveForm answers GET /units/{code}/dissolve.
func (s *Server) dissolveForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.dissolveSetup(r)
	if err != nil {
		return err
	}
	d.Form.Values["dissolved_on"] = vnDate(domain.Today())
	if !d.Unit.DissolvedOn.IsZero() {
		d.Form.Values["dissolved_on"] = vnDate(d.Unit.DissolvedOn)
	}
	return s.render(w, r, http.StatusOK, "unit_dissolve", Page{Nav: "units", Data: d})
}
