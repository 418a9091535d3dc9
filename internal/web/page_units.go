package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// treeNode is a unit of the tree page: the federation and the upper
// unions, each with the grassroots unions and members of its subtree.
type treeNode struct {
	Unit *domain.Unit
	// Grassroots counts the open grassroots unions of the subtree; Members
	// its active members, today.
	Grassroots, Members int64
	Children            []*treeNode
	Depth               int
}

type treeData struct {
	Root  *treeNode
	Today domain.Date
}

// units answers GET /units: the tree of the user's subtree, down to the
// upper unions (each one's page lists its grassroots unions).
func (s *Server) units(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ctx := r.Context()
	today := domain.Today()
	root, err := s.scopedUnit(r, u, u.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	uppers := []*domain.Unit{root}
	if root.Kind != domain.KindGrassroots {
		if uppers, err = s.Store.UpperUnits(ctx, root.Path); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	direct, err := s.Store.OpenGrassrootsByParent(ctx, root.Path, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids := make([]int64, len(uppers))
	for i, x := range uppers {
		ids[i] = x.ID
	}
	members, err := s.Store.ActiveMembers(ctx, ids, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// UpperUnits come in path order: a parent before its children.
	nodes := map[int64]*treeNode{}
	var top *treeNode
	for _, x := range uppers {
		n := &treeNode{Unit: x, Members: members[x.ID]}
		nodes[x.ID] = n
		if p := nodes[x.ParentID]; p != nil && x.ID != root.ID {
			n.Depth = p.Depth + 1
			p.Children = append(p.Children, n)
		} else if top == nil {
			top = n
		}
	}
	// Each unit's grassroots unions count for it and every unit above it.
	for parent, n := range direct {
		for p := nodes[parent]; p != nil; p = nodes[p.Unit.ParentID] {
			p.Grassroots += n
			if p == top {
				break
			}
		}
	}
	s.render(w, r, http.StatusOK, "units", Page{Nav: "units", Data: &treeData{Root: top, Today: today}})
}

// unitData is a unit's page.
type unitData struct {
	Unit       *domain.Unit
	Parent     *domain.Unit // nil for a root, or above the user
	Children   []unitLine
	Members    int64 // active today, whole subtree
	Open       int64 // open grassroots unions in the subtree
	Names      *membersJSON
	Enterprise *domain.Enterprise
	Rate       *float64 // members / workers of the enterprise
	CanFound   bool
	CanDismiss bool
	CanAdmit   bool
	Plan       string // a plan whose dashboard covers the unit
	Today      domain.Date
	Masked     bool
}

// unitLine is a unit below the page's unit.
type unitLine struct {
	*domain.Unit
	Members int64
}

// unitPage answers GET /units/{code}.
func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ctx := r.Context()
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	today := domain.Today()
	d := &unitData{Unit: unit, Today: today, Masked: !s.canWrite(u)}
	if unit.ParentCode != "" {
		if p, err := s.Store.Unit(ctx, unit.ParentCode); err == nil && s.inScope(u, p) {
			d.Parent = p
		}
	}
	children, ids, err := s.family(ctx, unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	active, err := s.Store.ActiveMembers(ctx, ids, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Members = active[unit.ID]
	for _, c := range children {
		d.Children = append(d.Children, unitLine{Unit: c, Members: active[c.ID]})
	}
	if unit.Kind != domain.KindGrassroots {
		counts, err := s.Store.OpenGrassrootsByParent(ctx, unit.Path, today)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, n := range counts {
			d.Open += n
		}
	} else {
		f := store.MemberFilter{UnitPath: unit.Path}
		if d.Names, err = s.searchMembers(r, f, 20, 0); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if unit.EnterpriseTaxCode != "" {
		if e, err := s.Store.Enterprise(ctx, unit.EnterpriseTaxCode); err == nil {
			d.Enterprise = e
			if e.Employees > 0 && unit.OpenOn(today) {
				rate := float64(d.Members) / float64(e.Employees) * 100
				d.Rate = &rate
			}
		} else if !isNotFound(err) {
			s.fail(w, r, err)
			return
		}
	}
	open := unit.DissolvedOn.IsZero() || unit.DissolvedOn > today
	writer := s.canWrite(u)
	d.CanFound = writer && open && unit.Kind != domain.KindGrassroots
	// A manager's own unit is dissolved by the level above.
	d.CanDismiss = writer && open && unit.Kind == domain.KindGrassroots && (u.Role == roleAdmin || unit.Path != u.UnitPath)
	d.CanAdmit = writer && open && unit.Kind == domain.KindGrassroots
	if plans, err := s.Store.PlansAround(ctx, unit.Path); err == nil {
		for _, p := range plans {
			if strings.HasPrefix(unit.Path, p.UnitPath) {
				d.Plan = p.Code
				break
			}
		}
	}
	s.render(w, r, http.StatusOK, "unit", Page{Nav: "units", Title: unit.Name, Data: d})
}

// foundData is the form that founds a grassroots union under a unit.
type foundData struct {
	Parent *domain.Unit
	Form   *formState
	Gaps   []store.GapEnterprise // enterprises of the unit without a union
}

var unitColumns = []string{"code", "name", "parent_code", "kind", "ownership", "enterprise_tax_code", "founded_on", "decision_no", "method", "dissolved_on"}

// foundForm answers GET /units/{code}/found: founding a grassroots union
// under the unit (?tax_code= and ?name= prefill it from the gap list).
func (s *Server) foundForm(w http.ResponseWriter, r *http.Request) {
	d, ok := s.foundSetup(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	v := d.Form.Values
	v["method"] = domain.MethodStandard
	v["founded_on"] = vnDate(domain.Today())
	v["code"] = s.nextCode(r, d.Parent)
	if tc := q.Get("tax_code"); tc != "" {
		v["enterprise_tax_code"] = tc
		if e, err := s.Store.Enterprise(r.Context(), tc); err == nil {
			v["name"] = "Công đoàn " + e.Name
		}
	}
	s.render(w, r, http.StatusOK, "unit_found", Page{Nav: "units", Data: d})
}

// foundSetup checks the parent unit of a founding and lists the
// enterprises the form suggests.
func (s *Server) foundSetup(w http.ResponseWriter, r *http.Request) (*foundData, bool) {
	u := currentUser(r)
	parent, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return nil, false
	}
	if parent.Kind == domain.KindGrassroots {
		s.errorPage(w, r, http.StatusNotFound, "Công đoàn cơ sở không có đơn vị trực thuộc.", "a grassroots unit has no units below it")
		return nil, false
	}
	d := &foundData{Parent: parent, Form: newForm("units", nil)}
	err = s.Store.GapEnterprises(r.Context(), parent, domain.Today(), 1, func(g *store.GapEnterprise) error {
		if len(d.Gaps) >= 500 {
			return errEnough
		}
		d.Gaps = append(d.Gaps, *g)
		return nil
	})
	if err != nil && err != errEnough {
		s.fail(w, r, err)
		return nil, false
	}
	return d, true
}

// errEnough stops a stream early.
var errEnough = fmt.Errorf("enough")

// nextCode suggests a code for a new unit under parent: the parent's code
// and the next number ("HN-CG-039").
func (s *Server) nextCode(r *http.Request, parent *domain.Unit) string {
	children, err := s.Store.Children(r.Context(), parent.ID)
	if err != nil {
		return ""
	}
	n := 0
	prefix := parent.Code + "-"
	for _, c := range children {
		if k, err := strconv.Atoi(strings.TrimPrefix(c.Code, prefix)); err == nil && strings.HasPrefix(c.Code, prefix) {
			n = max(n, k)
		}
	}
	for {
		n++
		code := fmt.Sprintf("%s%03d", prefix, n)
		if _, err := s.Store.Unit(r.Context(), code); isNotFound(err) {
			return code
		}
	}
}

// foundCreate answers POST /units/{code}/found.
func (s *Server) foundCreate(w http.ResponseWriter, r *http.Request) {
	d, ok := s.foundSetup(w, r)
	if !ok {
		return
	}
	u := currentUser(r)
	v := fromRequest(r, "code", "name", "ownership", "enterprise_tax_code", "founded_on", "decision_no", "method")
	d.Form.Values = v
	// A new unit only: an existing code is not rewritten from this form.
	if v["code"] != "" {
		if _, err := s.Store.Unit(r.Context(), v["code"]); err == nil {
			d.Form.add("code", translate(langOf(r), "found.code_taken", v["code"]))
		} else if !isNotFound(err) {
			s.fail(w, r, err)
			return
		}
	}
	if !d.Form.Failed() {
		row := map[string]string{"parent_code": d.Parent.Code, "kind": domain.KindGrassroots, "dissolved_on": ""}
		for k, x := range v {
			row[k] = x
		}
		err := s.importOne(r, u, "units", "unit.found", fmt.Sprintf("%s %s (%s)", v["code"], v["name"], v["method"]), row)
		if err == nil {
			redirectSaved(w, r, "/units/"+v["code"], "unit_founded")
			return
		}
		if !d.Form.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "unit_found", Page{Nav: "units", Data: d})
}

// dissolveData is the form that dissolves a grassroots union.
type dissolveData struct {
	Unit    *domain.Unit
	Members int64 // still active today
	Form    *formState
}

func (s *Server) dissolveSetup(w http.ResponseWriter, r *http.Request) (*dissolveData, bool) {
	u := currentUser(r)
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return nil, false
	}
	if unit.Kind != domain.KindGrassroots {
		s.errorPage(w, r, http.StatusNotFound, "Chỉ công đoàn cơ sở được giải thể tại đây.", "only a grassroots unit is dissolved here")
		return nil, false
	}
	active, err := s.Store.ActiveMembers(r.Context(), []int64{unit.ID}, domain.Today())
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return &dissolveData{Unit: unit, Members: active[unit.ID], Form: newForm("units", nil)}, true
}

// dissolveForm answers GET /units/{code}/dissolve.
func (s *Server) dissolveForm(w http.ResponseWriter, r *http.Request) {
	d, ok := s.dissolveSetup(w, r)
	if !ok {
		return
	}
	d.Form.Values["dissolved_on"] = vnDate(domain.Today())
	if !d.Unit.DissolvedOn.IsZero() {
		d.Form.Values["dissolved_on"] = vnDate(d.Unit.DissolvedOn)
	}
	s.render(w, r, http.StatusOK, "unit_dissolve", Page{Nav: "units", Data: d})
}

// dissolveSave answers POST /units/{code}/dissolve: the unit's record with
// its dissolution date.
func (s *Server) dissolveSave(w http.ResponseWriter, r *http.Request) {
	d, ok := s.dissolveSetup(w, r)
	if !ok {
		return
	}
	u := currentUser(r)
	x := d.Unit
	on := strings.TrimSpace(r.PostFormValue("dissolved_on"))
	d.Form.Values["dissolved_on"] = on
	if on == "" {
		d.Form.add("dissolved_on", "required")
	} else {
		row := map[string]string{"code": x.Code, "name": x.Name, "parent_code": x.ParentCode, "kind": x.Kind, "ownership": x.Ownership,
			"enterprise_tax_code": x.EnterpriseTaxCode, "founded_on": x.FoundedOn.String(), "decision_no": x.DecisionNo,
			"method": x.Method, "dissolved_on": on}
		err := s.importOne(r, u, "units", "unit.dissolve", fmt.Sprintf("%s %s: %s", x.Code, x.Name, on), row)
		if err == nil {
			redirectSaved(w, r, "/units/"+x.Code, "unit_dissolved")
			return
		}
		if !d.Form.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "unit_dissolve", Page{Nav: "units", Data: d})
}

// family returns a unit's children and the IDs of the unit and of each
// child, the set a page reads targets or counts for.
func (s *Server) family(ctx context.Context, unit *domain.Unit) ([]*domain.Unit, []int64, error) {
	children, err := s.Store.Children(ctx, unit.ID)
	if err != nil {
		return nil, nil, err
	}
	ids := []int64{unit.ID}
	for _, c := range children {
		ids = append(ids, c.ID)
	}
	return children, ids, nil
}
