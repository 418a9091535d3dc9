package web

import (
	"net/http"
	"strconv"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// plansData lists the plans a user can see, with the form of a new plan.
type plansData struct {
	Plans   []store.PlanInfo
	Form    *formState
	Units   []*domain.Unit // units a new plan may belong to
	CanEdit bool
}

var planColumns = []string{"code", "name", "unit_code", "start", "end", "threshold_members"}

// plans answers GET /plans.
func (s *Server) plans(w http.ResponseWriter, r *http.Request) error {
	return s.showPlans(w, r, http.StatusOK, nil)
}

func (s *Server) showPlans(w http.ResponseWriter, r *http.Request, status int, form *formState) error {
	u := currentUser(r)
	ctx := r.Context()
	plans, err := s.Store.PlansAround(ctx, u.UnitPath)
	if err != nil {
		return err
	}
	d := &plansData{Plans: plans, Form: form}
	if s.canWrite(u) {
		uppers, err := s.Store.UpperUnits(ctx, u.UnitPath)
		if err != nil {
			return err
		}
		for _, x := range uppers {
			if s.mayStructure(u, x) {
				d.Units = append(d.Units, x)
			}
		}
		d.CanEdit = len(d.Units) > 0
	}
	if d.Form == nil {
		y := domain.Today().Year()
		d.Form = newForm("plans", map[string]string{"start": vnDate(domain.NewDate(y, 1, 1)), "end": vnDate(domain.NewDate(y, 12, 31)),
			"threshold_members": strconv.Itoa(domain.DefaultThreshold)})
	}
	return s.render(w, r, status, "plans", Page{Nav: "plans", Data: d})
}
