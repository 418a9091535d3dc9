package web

import (
	"fmt"
	"net/http"
	"net/url"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// campaignsData is the campaign editor of a plan.
type campaignsData struct {
	Plan      store.PlanInfo
	Campaigns []domain.Campaign
	Form      *formState
	Editing   string // the code of the campaign in the form, "" for new
	CanEdit   bool
}

var campaignColumns = []string{"code", "name", "start", "end", "class_name"}

// campaigns answers GET /plans/{code}/campaigns?edit=CODE.
func (s *Server) campaigns(w http.ResponseWriter, r *http.Request) error {
	return s.showCampaigns(w, r, http.StatusOK, nil)
}

func (s *Server) showCampaigns(w http.ResponseWriter, r *http.Request, status int, form *formState) error {
	u := currentUser(r)
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		return err
	}
	d := &campaignsData{Plan: p, Form: form}
	if d.Campaigns, err = s.Store.PlanCampaigns(r.Context(), p.Code); err != nil {
		return err
	}
	root, err := s.Store.Unit(r.Context(), p.UnitCode)
	if err != nil {
		return err
	}
	d.CanEdit = s.mayStructure(u, root)
	if d.Form == nil {
		d.Form = newForm("campaigns", nil)
		if code := r.URL.Query().Get("edit"); code != "" {
			for _, c := range d.Campaigns {
				if c.Code == code {
					d.Editing = code
					d.Form.Values = map[string]string{"code": c.Code, "name": c.Name, "start": vnDate(c.Start), "end": vnDate(c.End), "class_name": c.ClassName}
				}
			}
		}
	} else {
		d.Editing = r.PostFormValue("editing")
	}
	return s.render(w, r, status, "campaigns", Page{Nav: "plans", Data: d})
}

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
