package web

import (
	"fmt"
	"net/http"
	"net/url"
)

// campaignSave answers POST /plans/{code}/campaigns: a new campaign of the
// plan, or the one being edited.
func (s *Server) campaignSave(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		return err
	}
	v := fromRequest(r, campaignColumns...)
	f := newForm("campaigns", v)
	editing := r.PostFormValue("editing")
	if v["code"] != "" && v["code"] != editing {
		if _, err := s.Store.Campaign(r.Context(), v["code"]); err == nil {
			f.add("code", translate(langOf(r), "campaigns.code_taken", v["code"]))
		} else if !isNotFound(err) {
			return err
		}
	}
	if !f.Failed() {
		row := map[string]string{"plan_code": p.Code}
		for k, x := range v {
			row[k] = x
		}
		err := s.importOne(r, u, "campaigns", "campaign.save", fmt.Sprintf("%s %s (%s – %s)", v["code"], v["name"], v["start"], v["end"]), row)
		if err == nil {
			redirectSaved(w, r, "/plans/"+url.PathEscape(p.Code)+"/campaigns", "campaign_saved")
			return nil
		}
		if !f.take(err) {
			return err
		}
	}
	return s.showCampaigns(w, r, http.StatusUnprocessableEntity, f)
}
