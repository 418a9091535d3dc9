package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
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

// mayStructure reports whether the user may set the plans, targets and
// campaigns of a unit: admins in their subtree, managers strictly below
// their own unit (the level above sets their own).
func (s *Server) mayStructure(u *store.User, unit *domain.Unit) bool {
	if !s.canWrite(u) || !s.inScope(u, unit) {
		return false
	}
	return u.Role == roleAdmin || unit.Path != u.UnitPath
}

// plans answers GET /plans.
func (s *Server) plans(w http.ResponseWriter, r *http.Request) {
	s.showPlans(w, r, http.StatusOK, nil)
}

func (s *Server) showPlans(w http.ResponseWriter, r *http.Request, status int, form *formState) {
	u := currentUser(r)
	ctx := r.Context()
	plans, err := s.Store.PlansAround(ctx, u.UnitPath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &plansData{Plans: plans, Form: form}
	if s.canWrite(u) {
		uppers, err := s.Store.UpperUnits(ctx, u.UnitPath)
		if err != nil {
			s.fail(w, r, err)
			return
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
	s.render(w, r, status, "plans", Page{Nav: "plans", Data: d})
}

// planCreate answers POST /plans: a new plan (an existing code is not
// rewritten from here; the plan's page edits it).
func (s *Server) planCreate(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	v := fromRequest(r, planColumns...)
	f := newForm("plans", v)
	if v["code"] != "" {
		if _, err := s.Store.Plan(r.Context(), v["code"]); err == nil {
			f.add("code", translate(langOf(r), "plans.code_taken", v["code"]))
		} else if !isNotFound(err) {
			s.fail(w, r, err)
			return
		}
	}
	if !f.Failed() {
		err := s.importOne(r, u, "plans", "plan.save", fmt.Sprintf("%s %s", v["code"], v["name"]), v)
		if err == nil {
			redirectSaved(w, r, "/plans/"+url.PathEscape(v["code"]), "plan_saved")
			return
		}
		if !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.showPlans(w, r, http.StatusUnprocessableEntity, f)
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

// plan answers GET /plans/{code}?unit=&ind=.
func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	s.showPlan(w, r, http.StatusOK, nil, nil)
}

func (s *Server) showPlan(w http.ResponseWriter, r *http.Request, status int, planForm, targets *formState) {
	u := currentUser(r)
	ctx := r.Context()
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	code := r.FormValue("unit")
	if code == "" {
		code = p.UnitCode
		if !strings.HasPrefix(p.UnitPath, u.UnitPath) {
			code = u.UnitCode
		}
	}
	unit, err := s.scopedUnit(r, u, code)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if !strings.HasPrefix(unit.Path, p.UnitPath) {
		s.errorText(w, r, http.StatusNotFound, "err.unit_not_in_plan", unit.Code, p.Code)
		return
	}
	d := &planData{Plan: p, Unit: unit, Ind: r.FormValue("ind"), PlanForm: planForm, Targets: targets}
	if domain.IndicatorIndex(d.Ind) < 0 {
		d.Ind = domain.UnionsFounded
	}
	root, err := s.Store.Unit(ctx, p.UnitCode)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.EditPlan = s.mayStructure(u, root)
	if d.PlanForm == nil {
		d.PlanForm = newForm("plans", map[string]string{"name": p.Name, "start": vnDate(p.Start), "end": vnDate(p.End),
			"threshold_members": strconv.FormatInt(p.Threshold, 10)})
	}
	children, ids, err := s.family(ctx, unit, planDay(p.Plan))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	targetsOf, err := s.Store.Targets(ctx, p.ID, ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, ind := range domain.Indicators {
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
		s.fail(w, r, err)
		return
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
		s.fail(w, r, err)
		return
	}
	anc, err := s.Store.Ancestors(ctx, unit.Path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range anc[:len(anc)-1] {
		if s.inScope(u, a) && strings.HasPrefix(a.Path, p.UnitPath) {
			d.Trail = append(d.Trail, a)
		}
	}
	s.render(w, r, status, "plan", Page{Nav: "plans", Title: p.Name, Data: d})
}

// planSave answers POST /plans/{code}: the plan's name, dates and
// threshold.
func (s *Server) planSave(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	v := fromRequest(r, "name", "start", "end", "threshold_members")
	v["code"], v["unit_code"] = p.Code, p.UnitCode
	err = s.importOne(r, u, "plans", "plan.save", fmt.Sprintf("%s %s", p.Code, v["name"]), v)
	if err == nil {
		redirectSaved(w, r, "/plans/"+url.PathEscape(p.Code), "plan_saved")
		return
	}
	f := newForm("plans", v)
	if !f.take(err) {
		s.fail(w, r, err)
		return
	}
	s.showPlan(w, r, http.StatusUnprocessableEntity, f, nil)
}

// targetsSave answers POST /plans/{code}/targets: the targets of one
// indicator for a unit (field "own") and the units right below it (fields
// "t.CODE"); empty fields are left as they are.
func (s *Server) targetsSave(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ctx := r.Context()
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	unit, err := s.scopedUnit(r, u, r.PostFormValue("unit"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	ind := r.PostFormValue("ind")
	children, ids, err := s.family(ctx, unit, planDay(p.Plan))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	current, err := s.Store.Targets(ctx, p.ID, ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newForm("targets", map[string]string{})
	header := []string{"plan_code", "unit_code", "indicator", "target"}
	var rows [][]string
	add := func(x *domain.Unit, field string) {
		v := strings.TrimSpace(r.PostFormValue(field))
		f.Values[field] = v
		if v == "" {
			return
		}
		if old, ok := current[x.ID][ind]; ok && strconv.FormatInt(old, 10) == v {
			return
		}
		rows = append(rows, []string{p.Code, x.Code, ind, v})
	}
	if _, ok := r.PostForm["own"]; ok {
		add(unit, "own")
	}
	for _, c := range children {
		add(c, "t."+c.Code)
	}
	back := fmt.Sprintf("/plans/%s?unit=%s&ind=%s", url.PathEscape(p.Code), url.QueryEscape(unit.Code), url.QueryEscape(ind))
	if len(rows) == 0 {
		redirectSaved(w, r, back, "no_change")
		return
	}
	err = s.importRows(r, u, "targets", "targets.save", fmt.Sprintf("%s %s %s: %d targets", p.Code, unit.Code, ind, len(rows)), header, rows)
	if err == nil {
		redirectSaved(w, r, back, "targets_saved")
		return
	}
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		s.fail(w, r, err)
		return
	}
	// Each error names the unit of its row, and shows by its field.
	for _, e := range ve.Errors {
		code, field := "", "own"
		if e.Row >= 2 && e.Row-2 < len(rows) {
			code = rows[e.Row-2][1]
			if code != unit.Code {
				field = "t." + code
			}
		}
		if f.typed == nil {
			f.typed = map[string][]domain.FieldError{}
		}
		f.typed[field] = append(f.typed[field], e)
		t := msg.New("field.message", e.Field, e.Typed())
		f.List = append(f.List, domain.FieldError{Field: code, Message: t.String(), Text: t})
	}
	s.showPlan(w, r, http.StatusUnprocessableEntity, nil, f)
}

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
func (s *Server) campaigns(w http.ResponseWriter, r *http.Request) {
	s.showCampaigns(w, r, http.StatusOK, nil)
}

func (s *Server) showCampaigns(w http.ResponseWriter, r *http.Request, status int, form *formState) {
	u := currentUser(r)
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d := &campaignsData{Plan: p, Form: form}
	if d.Campaigns, err = s.Store.PlanCampaigns(r.Context(), p.Code); err != nil {
		s.fail(w, r, err)
		return
	}
	root, err := s.Store.Unit(r.Context(), p.UnitCode)
	if err != nil {
		s.fail(w, r, err)
		return
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
	s.render(w, r, status, "campaigns", Page{Nav: "plans", Data: d})
}

// campaignSave answers POST /plans/{code}/campaigns: a new campaign of the
// plan, or the one being edited.
func (s *Server) campaignSave(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	v := fromRequest(r, campaignColumns...)
	f := newForm("campaigns", v)
	editing := r.PostFormValue("editing")
	if v["code"] != "" && v["code"] != editing {
		if _, err := s.Store.Campaign(r.Context(), v["code"]); err == nil {
			f.add("code", translate(langOf(r), "campaigns.code_taken", v["code"]))
		} else if !isNotFound(err) {
			s.fail(w, r, err)
			return
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
			return
		}
		if !f.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.showCampaigns(w, r, http.StatusUnprocessableEntity, f)
}

// planDay is the day whose tree a plan's pages cascade targets on: the
// plan's last day, or today while it runs.
func planDay(p domain.Plan) domain.Date {
	if today := domain.Today(); today < p.End {
		return today
	}
	return p.End
}
