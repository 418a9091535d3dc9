package web

import (
	"net/http"

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
