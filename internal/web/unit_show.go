package web

import (
	"net/http"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

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
func (s *Server) unitPage(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		return err
	}
	d, err := s.unitView(r, u, unit)
	if err != nil {
		return err
	}
	d.Move.Values["moved_on"] = vnDate(d.Today)
	return s.render(w, r, http.StatusOK, "unit", Page{Nav: "units", Title: unit.Name, Data: d})
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
