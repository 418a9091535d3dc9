package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

const enterprisesPerPage = 50

// gapThreshold is the head-count from which an enterprise without a union
// is on the organisers' list.
const gapThreshold = domain.DefaultThreshold

// entData is the enterprise registry of a unit's subtree.
type entData struct {
	Unit    *domain.Unit
	Units   []*domain.Unit
	Q       string
	Size    int    // index in store.SizeClasses, -1 for all
	Union   string // "", "with", "without"
	Classes []sizeLine
	Total   sizeLine // the sum of the classes
	Gap     int64    // enterprises with gapThreshold+ workers and no union
	Rows    []entRow
	Pager   pager
	Today   domain.Date
}

// sizeLine is a head-count class with its unionisation rate.
type sizeLine struct {
	store.SizeClass
	Index int
	Rate  *float64 // members / workers of the enterprises with a union
}

// entRow is an enterprise of the list with its union.
type entRow struct {
	store.EnterpriseRow
	Union   *domain.Unit
	Members int64
	Rate    *float64
}

func rate(members, workers int64) *float64 {
	if workers <= 0 {
		return nil
	}
	r := float64(members) / float64(workers) * 100
	return &r
}

// scopedUnitParam is the unit of ?unit= (default the user's), checked.
func (s *Server) scopedUnitParam(r *http.Request, u *store.User) (*domain.Unit, error) {
	code := r.URL.Query().Get("unit")
	if code == "" {
		code = u.UnitCode
	}
	return s.scopedUnit(r, u, code)
}

// enterprises answers GET /enterprises?unit=&q=&size=&union=&page=: the
// enterprises whose responsible unit is in the subtree, largest first,
// with the head-count classes, the unions and the unionisation rate.
func (s *Server) enterprises(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ctx := r.Context()
	unit, err := s.scopedUnitParam(r, u)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	q := r.URL.Query()
	today := domain.Today()
	d := &entData{Unit: unit, Q: strings.TrimSpace(q.Get("q")), Size: -1, Union: q.Get("union"), Today: today}
	if d.Union != "with" && d.Union != "without" {
		d.Union = ""
	}
	if n, err := strconv.Atoi(q.Get("size")); err == nil && n >= 0 && n < len(store.SizeClasses) {
		d.Size = n
	}
	if d.Units, err = s.Store.UpperUnits(ctx, u.UnitPath); err != nil {
		s.fail(w, r, err)
		return
	}
	classes, err := s.Store.EnterpriseClasses(ctx, unit.Path, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i, c := range classes {
		d.Classes = append(d.Classes, sizeLine{SizeClass: c, Index: i, Rate: rate(c.Members, c.UnionWorkers)})
		t := &d.Total.SizeClass
		t.Enterprises += c.Enterprises
		t.Workers += c.Workers
		t.WithUnion += c.WithUnion
		t.UnionWorkers += c.UnionWorkers
		t.Members += c.Members
		if c.Min >= gapThreshold {
			d.Gap += c.Enterprises - c.WithUnion
		}
	}
	d.Total.Rate = rate(d.Total.Members, d.Total.UnionWorkers)
	f := store.EnterpriseFilter{UnitPath: unit.Path, Q: d.Q, Union: d.Union, AsOf: today}
	if d.Size >= 0 {
		f.MinEmployees, f.MaxEmployees = store.SizeClasses[d.Size][0], store.SizeClasses[d.Size][1]
	}
	rows, total, err := s.Store.Enterprises(ctx, f, enterprisesPerPage, (pageNumber(r)-1)*enterprisesPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Pager = newPager(r, total, enterprisesPerPage)
	var codes []string
	for _, e := range rows {
		if e.HasUnion {
			codes = append(codes, e.TaxCode)
		}
	}
	unions, err := s.Store.UnionsOf(ctx, codes)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byTax := map[string][]*domain.Unit{}
	var ids []int64
	for _, x := range unions {
		if x.OpenOn(today) {
			byTax[x.EnterpriseTaxCode] = append(byTax[x.EnterpriseTaxCode], x)
			ids = append(ids, x.ID)
		}
	}
	active, err := s.Store.ActiveMembers(ctx, ids, today)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, e := range rows {
		row := entRow{EnterpriseRow: e}
		for _, x := range byTax[e.TaxCode] {
			if row.Union == nil {
				row.Union = x
			}
			row.Members += active[x.ID]
		}
		if row.Union != nil {
			row.Rate = rate(row.Members, e.Employees)
		}
		d.Rows = append(d.Rows, row)
	}
	s.render(w, r, http.StatusOK, "enterprises", Page{Nav: "enterprises", Data: d})
}

// gapData is the organisers' list: enterprises with gapThreshold or more
// workers and no union, per responsible unit.
type gapData struct {
	Unit      *domain.Unit
	Units     []*domain.Unit
	Groups    []*gapGroup
	Count     int64
	Workers   int64
	Shown     int
	Threshold int64
	Today     domain.Date
	CanFound  bool
}

type gapGroup struct {
	Unit        string
	UnitName    string
	Count       int64
	Workers     int64
	Enterprises []store.GapEnterprise
}

// maxGapRows bounds the enterprises the gap page lists (all are counted).
const maxGapRows = 2000

// gap answers GET /enterprises/gap?unit=: the enterprises of the subtree
// with 25 or more workers and no open union, grouped by responsible unit
// (by code), largest first within each.
func (s *Server) gap(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ctx := r.Context()
	unit, err := s.scopedUnitParam(r, u)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	today := domain.Today()
	d := &gapData{Unit: unit, Threshold: gapThreshold, Today: today, CanFound: s.canWrite(u)}
	if d.Units, err = s.Store.UpperUnits(ctx, u.UnitPath); err != nil {
		s.fail(w, r, err)
		return
	}
	byUnit := map[string]*gapGroup{}
	err = s.Store.GapEnterprises(ctx, unit, today, gapThreshold, func(g *store.GapEnterprise) error {
		grp := byUnit[g.UnitCode]
		if grp == nil {
			grp = &gapGroup{Unit: g.UnitCode, UnitName: g.UnitName}
			byUnit[g.UnitCode] = grp
			d.Groups = append(d.Groups, grp)
		}
		grp.Count++
		grp.Workers += g.Employees
		d.Count++
		d.Workers += g.Employees
		if d.Shown < maxGapRows {
			grp.Enterprises = append(grp.Enterprises, *g)
			d.Shown++
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sortGroups(d.Groups)
	s.render(w, r, http.StatusOK, "gap", Page{Nav: "enterprises", Data: d})
}

// sortGroups orders the groups by unit code.
func sortGroups(gs []*gapGroup) {
	slices.SortFunc(gs, func(a, b *gapGroup) int { return strings.Compare(a.Unit, b.Unit) })
}

// SizeName names a head-count class: "25–49", "1.000+".
func (p Page) SizeName(min, max int64) string {
	if max == 0 {
		return p.T("ent.size_over", p.N(min))
	}
	return p.N(min) + "–" + p.N(max)
}
