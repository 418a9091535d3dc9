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
// unions, each with the grassroots unions and members of its subtree, on
// the tree of the page's day.
type treeNode struct {
	Unit *domain.Unit
	// Grassroots counts the open grassroots unions of the subtree; Members
	// its active members, on the day.
	Grassroots, Members int64
	// Children are the units below it open on the day (or in the tree
	// anyway, a root's dissolved units aside); Dissolved those dissolved
	// by then, listed apart.
	Children, Dissolved []*treeNode
	Depth               int
}

// Gone: the unit was dissolved by the day (it stays on the tree, marked).
func (n *treeNode) Gone(d domain.Date) bool {
	return !n.Unit.DissolvedOn.IsZero() && n.Unit.DissolvedOn <= d
}

type treeData struct {
	Root  *treeNode
	Today domain.Date // the tree's day
	AsOf  string      // the form's value
	IsNow bool        // the day is today
}

// units answers GET /units?as_of=: the tree of the user's subtree on a day
// (default today), down to the upper unions (each one's page lists its
// grassroots unions). Units dissolved by then stay, marked; units founded
// later are left out.
func (s *Server) units(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ctx := r.Context()
	page := Page{Nav: "units"}
	status := http.StatusOK
	day := domain.Today()
	asOf := strings.TrimSpace(r.URL.Query().Get("as_of"))
	if asOf != "" {
		d, err := domain.ParseDate(asOf)
		if err != nil {
			status, page.Error = http.StatusUnprocessableEntity, translate(langOf(r), "dash.bad_date", asOf)
		} else {
			day = d
		}
	}
	root, err := s.scopedUnit(r, u, u.UnitCode)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	top, err := s.treeOn(ctx, root, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if asOf == "" || status != http.StatusOK {
		asOf = vnDate(day)
	}
	page.Data = &treeData{Root: top, Today: day, AsOf: asOf, IsNow: day == domain.Today()}
	s.render(w, r, status, "units", page)
}

// treeOn builds the tree below root on day d, one level at a time (the
// federations and upper unions: a few hundred even for a city), with the
// open grassroots unions and the active members of every subtree.
func (s *Server) treeOn(ctx context.Context, root *domain.Unit, d domain.Date) (*treeNode, error) {
	top := &treeNode{Unit: root}
	nodes := []*treeNode{top}
	direct := map[*treeNode]int64{}
	for level := []*treeNode{top}; len(level) > 0; {
		var next []*treeNode
		for _, n := range level {
			if n.Unit.Kind == domain.KindGrassroots {
				continue
			}
			kids, err := s.Store.ChildrenOn(ctx, n.Unit.ID, d)
			if err != nil {
				return nil, err
			}
			for _, k := range kids {
				if !k.FoundedOn.IsZero() && k.FoundedOn > d {
					continue
				}
				if k.Kind == domain.KindGrassroots {
					if k.OpenOn(d) {
						direct[n]++
					}
					continue
				}
				c := &treeNode{Unit: k, Depth: n.Depth + 1}
				if c.Gone(d) {
					n.Dissolved = append(n.Dissolved, c)
				} else {
					n.Children = append(n.Children, c)
				}
				next = append(next, c)
				nodes = append(nodes, c)
			}
		}
		level = next
	}
	if root.Kind == domain.KindGrassroots && root.OpenOn(d) {
		direct[top] = 1
	}
	ids := make([]int64, len(nodes))
	for i, n := range nodes {
		ids[i] = n.Unit.ID
	}
	members, err := s.Store.ActiveMembers(ctx, ids, d)
	if err != nil {
		return nil, err
	}
	// Children come after their parents in nodes: sum bottom up.
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		n.Members = members[n.Unit.ID]
		n.Grassroots += direct[n]
		for _, c := range n.Children {
			n.Grassroots += c.Grassroots
		}
		for _, c := range n.Dissolved {
			n.Grassroots += c.Grassroots
		}
	}
	return top, nil
}

// unitData is a unit's page.
type unitData struct {
	Unit       *domain.Unit
	Parent     *domain.Unit // today's parent; nil for a root, or above the user
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
	// History is the unit's history of parents ("Quá trình trực thuộc"),
	// oldest first.
	History     []historyLine
	ShowHistory bool // a parent at some time (not a root all along)
	// CanMove offers the form that moves the unit (Move), with the picker
	// of the unit it goes under (Picker: federations and upper unions
	// outside its own subtree); CanMoveMany the bulk move of its
	// grassroots unions.
	CanMove     bool
	CanMoveMany bool
	Move        *formState
	MovePicker  *unitPicker
}

// unitLine is a unit below the page's unit.
type unitLine struct {
	*domain.Unit
	Members int64
}

// historyLine is one span of a unit's history of parents, with the
// parent's record where the user may open it.
type historyLine struct {
	domain.ParentSpan
	Link bool // the parent is in the user's subtree
}

// unitPage answers GET /units/{code}.
func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	d, err := s.unitView(r, u, unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Move.Values["moved_on"] = vnDate(d.Today)
	s.render(w, r, http.StatusOK, "unit", Page{Nav: "units", Title: unit.Name, Data: d})
}

// unitView gathers a unit's page: its record, today's parent and
// children, counts, history of parents and the forms the user may use.
func (s *Server) unitView(r *http.Request, u *store.User, unit *domain.Unit) (*unitData, error) {
	ctx := r.Context()
	today := domain.Today()
	d := &unitData{Unit: unit, Today: today, Masked: !s.canWrite(u), Move: newForm("moves", nil)}
	// Today's parent is the one above the unit on its path (today's tree).
	anc, err := s.Store.Ancestors(ctx, unit.Path)
	if err != nil {
		return nil, err
	}
	if len(anc) >= 2 && s.inScope(u, anc[len(anc)-2]) {
		d.Parent = anc[len(anc)-2]
	}
	children, ids, err := s.family(ctx, unit, today)
	if err != nil {
		return nil, err
	}
	active, err := s.Store.ActiveMembers(ctx, ids, today)
	if err != nil {
		return nil, err
	}
	d.Members = active[unit.ID]
	grassroots := 0
	for _, c := range children {
		d.Children = append(d.Children, unitLine{Unit: c, Members: active[c.ID]})
		if c.Kind == domain.KindGrassroots {
			grassroots++
		}
	}
	if unit.Kind != domain.KindGrassroots {
		counts, err := s.Store.OpenGrassrootsByParent(ctx, unit.Path, today)
		if err != nil {
			return nil, err
		}
		for _, n := range counts {
			d.Open += n
		}
	} else {
		f := store.MemberFilter{UnitPath: unit.Path}
		if d.Names, err = s.searchMembers(r, f, 20, 0); err != nil {
			return nil, err
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
			return nil, err
		}
	}
	spans, err := s.Store.ParentHistory(ctx, unit.ID)
	if err != nil {
		return nil, err
	}
	for _, sp := range spans {
		line := historyLine{ParentSpan: sp}
		if sp.ParentCode != "" { // "" while a root
			p, err := s.Store.Unit(ctx, sp.ParentCode)
			if err != nil && !isNotFound(err) {
				return nil, err
			}
			line.Link = err == nil && s.inScope(u, p)
		}
		d.History = append(d.History, line)
		d.ShowHistory = d.ShowHistory || sp.ParentCode != ""
	}
	open := unit.DissolvedOn.IsZero() || unit.DissolvedOn > today
	writer := s.canWrite(u)
	d.CanFound = writer && open && unit.Kind != domain.KindGrassroots
	// A manager's own unit is dissolved, and moved, by the level above.
	notOwn := u.Role == roleAdmin || unit.Path != u.UnitPath
	d.CanDismiss = writer && open && unit.Kind == domain.KindGrassroots && notOwn
	d.CanAdmit = writer && open && unit.Kind == domain.KindGrassroots
	d.CanMove = writer && notOwn && len(anc) >= 2
	d.CanMoveMany = writer && unit.Kind != domain.KindGrassroots && grassroots > 0
	if d.CanMove {
		d.MovePicker = s.movePicker(r, u, d.Move, unit)
	}
	if plans, err := s.Store.PlansAround(ctx, unit.Path); err == nil {
		for _, p := range plans {
			if strings.HasPrefix(unit.Path, p.UnitPath) {
				d.Plan = p.Code
				break
			}
		}
	}
	return d, nil
}

// foundData is the form that founds a grassroots union under a unit.
type foundData struct {
	Parent *domain.Unit
	Form   *formState
	Gaps   []store.GapEnterprise // enterprises of the unit without a union
	// Founders is the founding group of the enterprise of ?tax_code= in
	// the organising pipeline (found from the board).
	Founders []store.Founder
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
	if q.Get("method") == domain.MethodNew {
		// Founding from the organising board: the founding group's way.
		v["method"] = domain.MethodNew
	}
	v["founded_on"] = vnDate(domain.Today())
	v["code"] = s.nextCode(r, d.Parent)
	if tc := q.Get("tax_code"); tc != "" {
		v["enterprise_tax_code"] = tc
		if e, eu, err := s.enterpriseOf(r, tc); err == nil && eu != nil && s.inScope(currentUser(r), eu) {
			v["name"] = "Công đoàn " + e.Name
			if p, err := s.Store.PipelineOf(r.Context(), e.TaxCode); err == nil {
				d.Founders = p.Founders
			}
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
		s.errorText(w, r, http.StatusNotFound, "err.a_grassroots_unit_has_no_units_below_it")
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
	// A code taken elsewhere in the tree moves on to the next number; any
	// other error (or a long run of taken codes) leaves the field empty for
	// the user to fill, rather than looping.
	for range 100 {
		n++
		code := fmt.Sprintf("%s%03d", prefix, n)
		_, err := s.Store.Unit(r.Context(), code)
		if isNotFound(err) {
			return code
		}
		if err != nil {
			return ""
		}
	}
	return ""
}

// minFounders is the smallest founding group (ban vận động) of a union
// founded by the new method from the organising pipeline.
const minFounders = 3

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
	// The enterprise must belong to a unit of the user's subtree: founding
	// its union takes it off that unit's gap list.
	if tc := v["enterprise_tax_code"]; tc != "" {
		_, eu, err := s.enterpriseOf(r, tc)
		switch {
		case err != nil && !isNotFound(err):
			s.fail(w, r, err)
			return
		case err == nil && (eu == nil || !s.inScope(u, eu)):
			d.Form.add("enterprise_tax_code", translate(langOf(r), "found.enterprise_outside", clip(tc, 32)))
		case err == nil && v["method"] == domain.MethodNew:
			// The new method is the workers' own founding group asking to
			// be recognised: an enterprise worked in the organising
			// pipeline needs a group of at least minFounders people.
			p, err := s.Store.PipelineOf(r.Context(), tc)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if inPipeline := !p.Since.IsZero() || len(p.Events) > 0 || len(p.Founders) > 0; inPipeline && len(p.Founders) < minFounders {
				d.Form.add("method", translate(langOf(r), "found.new_method_founders", minFounders, len(p.Founders)))
			}
		}
	}
	if !d.Form.Failed() {
		row := map[string]string{"parent_code": d.Parent.Code, "kind": domain.KindGrassroots, "dissolved_on": ""}
		for k, x := range v {
			row[k] = x
		}
		detail := fmt.Sprintf("%s %s (%s)", v["code"], v["name"], v["method"])
		err := s.importOne(r, u, "units", "unit.found", detail, row)
		if err == nil {
			// The importer links its one entry to the enterprise's unit too
			// (audit_units), so that unit's managers read it.
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
		s.errorText(w, r, http.StatusNotFound, "err.only_a_grassroots_unit_is_dissolved_here")
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
		// parent_code of units.csv is the parent before the first move:
		// the record keeps it, so that the history of parents stays.
		base, err := s.baseParent(r.Context(), x)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		row := map[string]string{"code": x.Code, "name": x.Name, "parent_code": base, "kind": x.Kind, "ownership": x.Ownership,
			"enterprise_tax_code": x.EnterpriseTaxCode, "founded_on": x.FoundedOn.String(), "decision_no": x.DecisionNo,
			"method": x.Method, "dissolved_on": on}
		err = s.importOne(r, u, "units", "unit.dissolve", fmt.Sprintf("%s %s: %s", x.Code, x.Name, on), row)
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

// family returns a unit's children on the tree of day d and the IDs of
// the unit and of each child, the set a page reads targets or counts for.
func (s *Server) family(ctx context.Context, unit *domain.Unit, d domain.Date) ([]*domain.Unit, []int64, error) {
	children, err := s.Store.ChildrenOn(ctx, unit.ID, d)
	if err != nil {
		return nil, nil, err
	}
	ids := []int64{unit.ID}
	for _, c := range children {
		ids = append(ids, c.ID)
	}
	return children, ids, nil
}

// enterpriseOf returns the enterprise with a tax code and its unit (nil if
// the unit is gone).
func (s *Server) enterpriseOf(r *http.Request, taxCode string) (*domain.Enterprise, *domain.Unit, error) {
	e, err := s.Store.Enterprise(r.Context(), taxCode)
	if err != nil {
		return nil, nil, err
	}
	eu, err := s.Store.Unit(r.Context(), e.UnitCode)
	if err != nil && !isNotFound(err) {
		return nil, nil, err
	}
	return e, eu, nil
}
