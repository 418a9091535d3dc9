package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/report"
	"congdoan/internal/store"
)

// mayStructure reports whether the user may set the plans, targets and
// campaigns of a unit: admins in their subtree, managers strictly below
// their own unit (the level above sets their own).
func (s *Server) mayStructure(u *store.User, unit *domain.Unit) bool {
	if !s.canWrite(u) || !s.inScope(u, unit) {
		return false
	}
	return u.Role == roleAdmin || unit.Path != u.UnitPath
}

// planData is a plan's page: its details and the cascade of its targets
// from one unit to the units right below it.
type planData struct {
	Plan      store.PlanInfo
	Unit      *domain.Unit
	Trail     []*domain.Unit
	Ind       string
	Overview  []cascadeLine // every indicator for the unit
	Rows      []cascadeRow  // the children for Ind
	Own       *int64        // the unit's target for Ind
	Assigned  int64
	HasOwn    bool
	EditOwn   bool // the user may set the unit's own target
	EditRows  bool // the user may set the children's targets
	EditPlan  bool
	PlanForm  *formState
	Targets   *formState
	Campaigns []domain.Campaign
}

// cascadeLine is one indicator of the unit: target, assigned below,
// unassigned.
type cascadeLine struct {
	Code       string
	Target     *int64
	Assigned   int64
	Unassigned *int64
}

// cascadeRow is a unit below with its target for the chosen indicator,
// what it has assigned to the units below it and what it has not.
type cascadeRow struct {
	Unit       *domain.Unit
	Target     *int64
	Assigned   int64
	Unassigned *int64
}

// planFor finds a plan the user can see: 404 unknown, 403 outside.
func (s *Server) planFor(r *http.Request, u *store.User, code string) (store.PlanInfo, error) {
	plans, err := s.Store.PlansAround(r.Context(), u.UnitPath)
	if err != nil {
		return store.PlanInfo{}, err
	}
	for _, p := range plans {
		if p.Code == code {
			return p, nil
		}
	}
	if _, err := s.Store.Plan(r.Context(), code); err != nil {
		return store.PlanInfo{}, err
	}
	return store.PlanInfo{}, refuse("scope.plan_outside", code, u.UnitCode)
}

// outsidePlan is the error of a unit outside the subtree of a plan's
// unit: the request names a unit the plan does not cover, 422 as the
// API's report answers it (docs/interfaces.md keeps 404 for unknown records).
func outsidePlan(unit, plan string) error {
	return errText(http.StatusUnprocessableEntity, "err.unit_not_in_plan", unit, plan)
}

// plan answers GET /plans/{code}?unit=&ind=.
func (s *Server) plan(w http.ResponseWriter, r *http.Request) error {
	return s.showPlan(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showPlan(w http.ResponseWriter, r *http.Request, status int, planForm, targets *formState) error {
	u := currentUser(r)
	ctx := r.Context()
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		return err
	}
	code := r.FormValue("unit")
	if code == "" {
		code = report.DefaultUnit(p.UnitCode, p.UnitPath, u)
	}
	unit, err := s.scopedUnit(r, u, code)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(unit.Path, p.UnitPath) {
		return outsidePlan(unit.Code, p.Code)
	}
	d := &planData{Plan: p, Unit: unit, Ind: r.FormValue("ind"), PlanForm: planForm, Targets: targets}
	if engine.Index(d.Ind) < 0 {
		d.Ind = domain.UnionsFounded
	}
	root, err := s.Store.Unit(ctx, p.UnitCode)
	if err != nil {
		return err
	}
	d.EditPlan = s.mayStructure(u, root)
	if d.PlanForm == nil {
		d.PlanForm = newForm("plans", map[string]string{"name": p.Name, "start": vnDate(p.Start), "end": vnDate(p.End),
			"threshold_members": strconv.FormatInt(p.Threshold, 10)})
	}
	children, ids, targetsOf, err := s.cascade(ctx, p, unit)
	if err != nil {
		return err
	}
	for _, ind := range engine.Codes {
		line := cascadeLine{Code: ind}
		if t, ok := targetsOf[unit.ID][ind]; ok {
			line.Target = &t
		}
		for _, c := range children {
			line.Assigned += targetsOf[c.ID][ind]
		}
		if line.Target != nil {
			un := *line.Target - line.Assigned
			line.Unassigned = &un
		}
		d.Overview = append(d.Overview, line)
		if ind == d.Ind {
			d.Own, d.Assigned = line.Target, line.Assigned
		}
	}
	below, err := s.Store.AssignedBelow(ctx, p.ID, d.Ind, ids[1:])
	if err != nil {
		return err
	}
	for _, c := range children {
		row := cascadeRow{Unit: c, Assigned: below[c.ID]}
		if t, ok := targetsOf[c.ID][d.Ind]; ok {
			row.Target = &t
			if c.Kind != domain.KindGrassroots {
				un := t - row.Assigned
				row.Unassigned = &un
			}
		}
		d.Rows = append(d.Rows, row)
	}
	d.EditOwn = s.mayStructure(u, unit)
	d.EditRows = s.canWrite(u) && len(children) > 0 // children are strictly below a unit in scope
	if d.Campaigns, err = s.Store.PlanCampaigns(ctx, p.Code); err != nil {
		return err
	}
	anc, err := s.Store.Ancestors(ctx, unit.Path)
	if err != nil {
		return err
	}
	for _, a := range anc[:len(anc)-1] {
		if s.inScope(u, a) && strings.HasPrefix(a.Path, p.UnitPath) {
			d.Trail = append(d.Trail, a)
		}
	}
	return s.render(w, r, status, "plan", Page{Nav: "plans", Title: p.Name, Data: d})
}

// cascade is what a plan's targets cascade over from unit: the units
// right below it on the plan's day, their IDs after unit's own, and the
// plan's targets of them all by unit ID and indicator.
func (s *Server) cascade(ctx context.Context, p store.PlanInfo, unit *domain.Unit) ([]*domain.Unit, []int64, map[int64]map[string]int64, error) {
	children, ids, err := s.family(ctx, unit, planDay(p.Plan))
	if err != nil {
		return nil, nil, nil, err
	}
	targets, err := s.Store.Targets(ctx, p.ID, ids)
	return children, ids, targets, err
}

// planDay is the day whose tree a plan's pages cascade targets on: the
// plan's last day, or today while it runs.
func planDay(p domain.Plan) domain.Date {
	if today := domain.Today(); today < p.End {
		return today
	}
	return p.End
}
