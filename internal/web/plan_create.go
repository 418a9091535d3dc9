package web

import (
	"fmt"
	"net/http"
	"net/url"
)

// planCreate answers POST /plans: a new plan (an existing code is not
// rewritten from here; the plan's page edits it).
func (s *Server) planCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	v := fromRequest(r, planColumns...)
	f := newForm("plans", v)
	if v["code"] != "" {
		if _, err := s.Store.Plan(r.Context(), v["code"]); err == nil {
			f.add("code", translate(langOf(r), "plans.code_taken", v["code"]))
		} else if !isNotFound(err) {
			return err
		}
	}
	if !f.Failed() {
		err := s.importOne(r, u, "plans", "plan.save", fmt.Sprintf("%s %s", v["code"], v["name"]), v)
		if err == nil {
			redirectSaved(w, r, "/plans/"+url.PathEscape(v["code"]), "plan_saved")
			return nil
		}
		if !f.take(err) {
			return err
		}
	}
	return s.showPlans(w, r, http.StatusUnprocessableEntity, f)
}
