package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

const enterprisesPerPage = 50

// gapThreshold is the head-count from which an enterprise without a union
// is on the organisers' list: the one of every gap list.
const gapThreshold = domain.GapMinWorkers

// entData is the enterprise registry of a unit's subtree.
type entData struct {
	Unit    *domain.Unit
	Picker  *unitPicker // the unit filter: any unit of the user's subtree
	Query   entQuery
	Areas   []string // the area filter's choices
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
func (s *Server) enterprises(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	h, err := s.entHead(r, 0)
	if err != nil {
		return err
	}
	unit, today := h.unit, h.today
	d := &entData{Unit: unit, Picker: h.picker, Query: h.query, Today: today}
	if d.Areas, err = s.Store.EnterpriseAreas(ctx, unit.Path, maxAreaChoices); err != nil {
		return err
	}
	classes, err := s.Store.EnterpriseClasses(ctx, unit.Path, today)
	if err != nil {
		return err
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
	total, _, _, err := s.Store.EnterpriseTotals(ctx, h.filter)
	if err != nil {
		return err
	}
	rows, err := h.page(s, r, int(total), enterprisesPerPage, &d.Pager)
	if err != nil {
		return err
	}
	var codes []string
	for _, e := range rows {
		if e.HasUnion {
			codes = append(codes, e.TaxCode)
		}
	}
	unions, err := s.Store.UnionsOf(ctx, codes)
	if err != nil {
		return err
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
		return err
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
	return s.render(w, r, http.StatusOK, "enterprises", Page{Nav: "enterprises", Data: d, Error: h.said})
}

// gapData is the organisers' list: enterprises with gapThreshold or more
// workers and no union, a page at a time, with the list's filters.
type gapData struct {
	Unit      *domain.Unit
	Picker    *unitPicker // the unit filter
	Query     entQuery
	Areas     []string
	Classes   []sizeLine // the head-count classes from the threshold up
	Rows      []store.EnterpriseRow
	Pager     pager
	Count     int64
	Workers   int64
	UnitCount int64
	Threshold int64
	Today     domain.Date
	CanFound  bool
}

// gapPerPage is the length of a page of the gap list.
const gapPerPage = 50

// gap answers GET /enterprises/gap?unit=&q=&size=&ownership=&area=&stage=&page=:
// the enterprises of the subtree with 25 or more workers and no open
// union, largest first, a page at a time, with the totals of all pages.
func (s *Server) gap(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	h, err := s.entHead(r, gapThreshold)
	if err != nil {
		return err
	}
	d := &gapData{Unit: h.unit, Picker: h.picker, Query: h.query, Threshold: gapThreshold, Today: h.today, CanFound: s.canWrite(currentUser(r))}
	for i, c := range store.SizeClasses {
		if c[0] >= gapThreshold {
			d.Classes = append(d.Classes, sizeLine{SizeClass: store.SizeClass{Min: c[0], Max: c[1]}, Index: i})
		}
	}
	if d.Areas, err = s.Store.EnterpriseAreas(ctx, h.unit.Path, maxAreaChoices); err != nil {
		return err
	}
	if d.Count, d.Workers, d.UnitCount, err = s.Store.EnterpriseTotals(ctx, h.filter); err != nil {
		return err
	}
	if d.Rows, err = h.page(s, r, int(d.Count), gapPerPage, &d.Pager); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "gap", Page{Nav: "enterprises", Data: d, Error: h.said})
}

// entHead is where both enterprise lists start: the unit of the filters
// and its picker, the filters of the query (from minEmployees workers up)
// and what the page says of the query.
type entHead struct {
	unit   *domain.Unit
	picker *unitPicker
	filter store.EnterpriseFilter
	query  entQuery
	said   string
	today  domain.Date
}

func (s *Server) entHead(r *http.Request, minEmployees int64) (*entHead, error) {
	unit, picker, unitSaid, err := s.filterUnit(r, currentUser(r), "f-unit")
	if err != nil {
		return nil, err
	}
	today := domain.Today()
	f, eq, said := entFilter(r, unit, today, minEmployees)
	return &entHead{unit: unit, picker: picker, filter: f, query: eq, said: joinSaid(unitSaid, said), today: today}, nil
}

// page reads the list's page that the request asks for (enterprisePage)
// into pg, and says so where its cursor was not one.
func (h *entHead) page(s *Server, r *http.Request, total, perPage int, pg *pager) ([]store.EnterpriseRow, error) {
	rows, p, bad, err := s.enterprisePage(r, h.filter, total, perPage)
	if err != nil {
		return nil, err
	}
	*pg = p
	if bad {
		h.said = joinSaid(h.said, translate(langOf(r), "entpage.bad_cursor"))
	}
	return rows, nil
}

// maxAreaChoices bounds the areas the filters offer.
const maxAreaChoices = 500

// entQuery is an enterprise list's filters as its URL carries them.
type entQuery struct {
	Unit      string
	Q         string
	Size      int    // index in store.SizeClasses, -1 for all
	Union     string // "", "with", "without"
	Ownership string
	Area      string
	Stage     string // organising stage (store.Stages)
}

// Download is the address of a list's download (list: enterprises or
// gap; format: xlsx or csv) with the list's filters.
func (eq entQuery) Download(list, format string) string {
	return "/download/" + list + "." + format + "?" + eq.query()
}

// query is the list's query string, without the page.
func (eq entQuery) query() string {
	v := url.Values{}
	for k, x := range map[string]string{"unit": eq.Unit, "q": eq.Q, "union": eq.Union, "ownership": eq.Ownership, "area": eq.Area, "stage": eq.Stage} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if eq.Size >= 0 {
		v.Set("size", strconv.Itoa(eq.Size))
	}
	return v.Encode()
}

// Stages are the organising stages the filters offer.
func (entQuery) Stages() []string { return store.Stages }

// Ownerships are the ownership values the filters offer.
func (entQuery) Ownerships() []string {
	return []string{domain.OwnState, domain.OwnPrivate, domain.OwnFDI, domain.OwnPublic, domain.OwnCooperative, domain.OwnInformal}
}

// entFilter reads an enterprise list's filters (the registry's, or with
// minEmployees > 0 the gap list's: no open union and at least that many
// workers) and says, translated, which were not understood and left out.
func entFilter(r *http.Request, unit *domain.Unit, today domain.Date, minEmployees int64) (store.EnterpriseFilter, entQuery, string) {
	q := r.URL.Query()
	eq := entQuery{Unit: unit.Code, Q: strings.TrimSpace(q.Get("q")), Size: -1, Union: q.Get("union"),
		Ownership: q.Get("ownership"), Area: strings.TrimSpace(q.Get("area")), Stage: q.Get("stage")}
	f := store.EnterpriseFilter{UnitPath: unit.Path, Q: eq.Q, AsOf: today, Area: eq.Area}
	lang := langOf(r)
	var said []string
	switch eq.Union {
	case "", "with", "without":
	default:
		said = append(said, translate(lang, "entx.bad_union"))
		eq.Union = ""
	}
	if eq.Ownership != "" && !slices.Contains(eq.Ownerships(), eq.Ownership) {
		said = append(said, translate(lang, "entx.bad_ownership"))
		eq.Ownership = ""
	}
	if eq.Stage != "" && !slices.Contains(store.Stages, eq.Stage) {
		said = append(said, translate(lang, "entx.bad_stage"))
		eq.Stage = ""
	}
	f.Union, f.Ownership, f.Stage = eq.Union, eq.Ownership, eq.Stage
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n >= len(store.SizeClasses) || (minEmployees > 0 && store.SizeClasses[n][0] < minEmployees) {
			said = append(said, translate(lang, "entx.bad_size"))
		} else {
			eq.Size = n
			f.MinEmployees, f.MaxEmployees = store.SizeClasses[n][0], store.SizeClasses[n][1]
		}
	}
	if minEmployees > 0 {
		f.Union, eq.Union = "without", ""
		f.MinEmployees = max(f.MinEmployees, minEmployees)
	}
	return f, eq, strings.Join(said, " ")
}

// SizeLabel names a head-count class with its unit: "25–49 lao động",
// "từ 1.000 lao động trở lên".
func (p Page) SizeLabel(min, max int64) string {
	if max == 0 {
		return p.T("entx.size_over", p.N(min))
	}
	return p.T("entx.size_range", p.N(min), p.N(max))
}

// SizeName names a head-count class: "25–49", "1.000+".
func (p Page) SizeName(min, max int64) string {
	if max == 0 {
		return p.T("ent.size_over", p.N(min))
	}
	return p.N(min) + "–" + p.N(max)
}

// enterprisePage reads the page of an enterprise list that the request
// asks for: after= (before=) is the token of the row the page follows
// (precedes), n the rows before the page, which only numbers the page
// (the rows come by keyset, never by counting past the ones before).
// total is the filter's true count. A token that is not one (bad) starts
// the list over.
func (s *Server) enterprisePage(r *http.Request, f store.EnterpriseFilter, total, perPage int) ([]store.EnterpriseRow, pager, bool, error) {
	q := r.URL.Query()
	lq := store.EnterprisePageQuery{Filter: f, Limit: perPage}
	bad := false
	tok, backward, before := keysetPlace(q)
	if tok != "" {
		if c, err := store.DecodeEnterpriseCursor(tok); err == nil {
			lq.After, lq.Backward = &c, backward
		} else {
			bad = true
		}
	}
	rows, more, err := s.Store.EnterprisePage(r.Context(), lq)
	if err != nil {
		return nil, pager{}, bad, err
	}
	hasPrev, hasNext, before := keysetMoves(lq.After != nil, lq.Backward, before, len(rows), more)
	p := pager{Total: total, Pages: max(1, (total+perPage-1)/perPage)}
	p.Page = min(before/perPage+1, p.Pages)
	if len(rows) > 0 {
		p.From, p.To = before+1, before+len(rows)
	}
	base := url.Values{}
	for k, v := range q {
		switch k {
		case "after", "before", "n", "page", "saved":
		default:
			base[k] = v
		}
	}
	link := func(k string, c store.EnterpriseCursor, n int) string {
		return keysetLink(r.URL.Path, base, k, c.Encode(), n)
	}
	if n := len(rows); n > 0 {
		if hasPrev {
			p.prev = link("before", rows[0].Cursor(), before)
		}
		if hasNext {
			p.next = link("after", rows[n-1].Cursor(), before+n)
		}
	}
	return rows, p, bad, nil
}
