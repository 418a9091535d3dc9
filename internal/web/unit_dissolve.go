package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"congdoan/internal/domain"
)

// dissolveSave answers POST /units/{code}/dissolve: the unit's record with
// its dissolution date.
func (s *Server) dissolveSave(w http.ResponseWriter, r *http.Request) error {
	d, err := s.dissolveSetup(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	x := d.Unit
	on := strings.TrimSpace(r.PostFormValue("dissolved_on"))
	d.Form.Values["dissolved_on"] = on
	if on == "" {
		d.Form.add("dissolved_on", "required")
	} else {
		// parent_code of units.csv is the parent before the first move:
		// the record keeps it, so that the history of parents stays.
		base, err := s.baseParent(r.Context(), x)
		if err != nil {
			return err
		}
		row := map[string]string{"code": x.Code, "name": x.Name, "parent_code": base, "kind": x.Kind, "ownership": x.Ownership,
			"enterprise_tax_code": x.EnterpriseTaxCode, "founded_on": x.FoundedOn.String(), "decision_no": x.DecisionNo,
			"method": x.Method, "dissolved_on": on}
		err = s.importOne(r, u, "units", "unit.dissolve", fmt.Sprintf("%s %s: %s", x.Code, x.Name, on), row)
		if err == nil {
			redirectSaved(w, r, "/units/"+x.Code, "unit_dissolved")
			return nil
		}
		if !d.Form.take(err) {
			return err
		}
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "unit_dissolve", Page{Nav: "units", Data: d})
}

// baseParent is the code of a unit's parent before its first move (the
// parent_code of units.csv), "" for a root.
func (s *Server) baseParent(ctx context.Context, x *domain.Unit) (string, error) {
	spans, err := s.Store.ParentHistory(ctx, x.ID)
	if err != nil {
		return "", err
	}
	if len(spans) == 0 {
		return x.ParentCode, nil
	}
	return spans[0].ParentCode, nil
}
