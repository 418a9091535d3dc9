package web

import (
	"fmt"
	"net/http"
	"net/url"
)

// planSave answers POST /plans/{code}: the plan's name, dates and
// threshold.
func (s *Server) planSave(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		return err
	}
	v := fromRequest(r, "name", "start", "end", "threshold_members")
	v["code"], v["unit_code"] = p.Code, p.UnitCode
	err = s.importOne(r, u, "plans", "plan.save", fmt.Sprintf("%s %s", p.Code, v["name"]), v)
	if err == nil {
		redirectSaved(w, r, "/plans/"+url.PathEscape(p.Code), "plan_saved")
		return nil
	}
	f := newForm("plans", v)
	if !f.take(err) {
		return err
	}
	return s.showPlan(w, r, http.StatusUnprocessableEntity, f, nil)
}
