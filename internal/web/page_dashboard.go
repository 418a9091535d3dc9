package web

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/summary"
)

// dashData is the dashboard of a plan for a unit on an as-of date, over
// the plan's window or a campaign's.
type dashData struct {
	Plans     []store.PlanInfo
	Plan      store.PlanInfo
	Unit      *domain.Unit
	Trail     []*domain.Unit // the unit's ancestors the user may open, root first
	Campaigns []domain.Campaign
	Campaign  *domain.Campaign
	AsOf      domain.Date // as asked (the form's value)
	Report    *engine.Report
	Lines     []dashLine
	Chart     string // the indicator of the month chart
	MonthSVG  template.HTML
	Ranked    []rankLine
	Exemplary []summary.Leader
	// ExemplaryMonth is the peak month of a plan report (zero in a
	// campaign report, whose leaders are the campaign's).
	ExemplaryMonth domain.Date
	Summary        []string
	Threshold      int64
	// Latest: the day shown was chosen as the last day with data (no date
	// was asked for, and nothing was recorded after it).
	Latest bool
	// Grassroots are the first grassroots unions below the unit (and
	// below its wards), ranked by the chart's indicator, of
	// GrassrootsTotal.
	Grassroots      []grassLine
	GrassrootsTotal int
	// Organising is the report's organising funnel (nil when the report
	// has none); Organisers the first shownOrganisers of its ranking.
	Organising *engine.Organising
	Organisers []organiserLine
	// GapThreshold is the head-count from which the report counts an
	// enterprise without a union on the gap list.
	GapThreshold int64
	query        dashQuery
}

// maxGrassrootsLines bounds the grassroots unions a dashboard ranks (a
// district has a few hundred; a city, whose districts are ranked
// instead, thousands): past it none are. shownGrassroots is how many of
// the ranked it shows, so that the page stays short on a phone.
const (
	maxGrassrootsLines = 500
	shownGrassroots    = 25
	// shownOrganisers: the organisers the dashboard's funnel ranks.
	shownOrganisers = 10
)

// grassLine is a grassroots union's line with its place.
type grassLine struct {
	Rank int
	store.GrassrootsLine
}

// organiserLine is an organiser of the funnel's ranking with their place.
type organiserLine struct {
	Rank int
	engine.OrganiserFounded
}

// dashLine is one indicator of the unit.
type dashLine struct {
	engine.Indicator
	Bar template.HTML
}

// rankLine is one child unit in the ranking.
type rankLine struct {
	summary.Standing
	Bar template.HTML
	URL string
	// DissolvedOn is the child's dissolution, where it came by the
	// report's day (a district dissolved in the window).
	DissolvedOn domain.Date
}

// dashQuery is what the dashboard's address says.
type dashQuery struct {
	plan, unit, asOf, campaign, chart string
}

func (q dashQuery) url(change func(*dashQuery)) string {
	if change != nil {
		change(&q)
	}
	v := url.Values{}
	for k, x := range map[string]string{"plan": q.plan, "unit": q.unit, "as_of": q.asOf, "campaign": q.campaign, "chart": q.chart} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return "/?" + v.Encode()
}

// ChartURL is the dashboard with another indicator in the month chart.
func (d *dashData) ChartURL(code string) string {
	return d.query.url(func(q *dashQuery) { q.chart = code })
}

// UnitURL is the dashboard of another unit, same plan, date and window.
func (d *dashData) UnitURL(code string) string {
	return d.query.url(func(q *dashQuery) { q.unit = code })
}

// dashboard answers GET / : the progress of a plan (?plan=, default the
// newest one the user can see) for a unit (?unit=, default the plan's unit
// or the user's own when the plan belongs to a level above), as of a date
// (?as_of=, default today), over the plan or one campaign (?campaign=).
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	ctx := r.Context()
	q := r.URL.Query()
	d := &dashData{query: dashQuery{plan: q.Get("plan"), unit: q.Get("unit"), asOf: q.Get("as_of"), campaign: q.Get("campaign"), chart: q.Get("chart")}}
	page := Page{Nav: "dashboard", Data: d}
	plans, err := s.Store.PlansAround(ctx, u.UnitPath)
	if err != nil {
		return err
	}
	d.Plans = plans
	if len(plans) == 0 {
		return s.render(w, r, http.StatusOK, "dashboard", page)
	}
	// The plan: asked for, or the newest under way, or the newest.
	found := false
	if d.query.plan != "" {
		for _, p := range plans {
			if p.Code == d.query.plan {
				d.Plan, found = p, true
			}
		}
		if !found {
			if _, err := s.Store.Plan(ctx, d.query.plan); err != nil {
				return err
			}
			return forbidden("plan %s belongs to units outside your own", d.query.plan)
		}
	} else {
		d.Plan = defaultPlan(plans, domain.Today())
		d.query.plan = d.Plan.Code
	}
	d.Threshold = d.Plan.Threshold
	// The unit.
	if d.query.unit == "" {
		d.query.unit = report.DefaultUnit(d.Plan.UnitCode, d.Plan.UnitPath, u)
	}
	unit, err := s.scopedUnit(r, u, d.query.unit)
	if err != nil {
		return err
	}
	d.Unit = unit
	if !strings.HasPrefix(unit.Path, d.Plan.UnitPath) {
		return outsidePlan(unit.Code, d.Plan.Code)
	}
	if d.Campaigns, err = s.Store.PlanCampaigns(ctx, d.Plan.Code); err != nil {
		return err
	}
	if d.query.campaign != "" {
		for i := range d.Campaigns {
			if d.Campaigns[i].Code == d.query.campaign {
				d.Campaign = &d.Campaigns[i]
			}
		}
		if d.Campaign == nil {
			return errText(http.StatusNotFound, "err.plan_no_campaign", d.Plan.Code, clip(d.query.campaign, 40))
		}
	}
	status := http.StatusOK
	asOf, err := domain.ParseDate(d.query.asOf)
	badDate := ""
	if err != nil {
		status, badDate = http.StatusUnprocessableEntity, d.query.asOf
		d.query.asOf, asOf = "", 0
	}
	if asOf.IsZero() {
		// No day asked for: today, or the plan's last day when it is over,
		// or else the last day anything was recorded, so that a plan whose
		// data stops early is not judged on days nobody recorded.
		asOf = min(domain.Today(), d.Plan.End)
		last, err := s.Store.LastDataDay(ctx, unit, asOf)
		if err != nil {
			return err
		}
		if last >= d.Plan.Start && last < asOf {
			asOf, d.Latest = last, true
		}
	}
	d.AsOf = asOf
	rep, peak, err := report.BuildPeak(ctx, s.Store, report.Request{Plan: d.Plan.Code, Unit: unit.Code, AsOf: asOf.String(), Campaign: d.query.campaign})
	if err != nil {
		return err
	}
	d.Report = rep
	// The form shows the day the report was computed for (a day past the
	// plan's end is its end).
	d.AsOf = rep.AsOf
	d.Summary = summary.Paragraphs(rep.SummaryVI)
	// The funnel is the report's own (internal/report fills it for the
	// report's window), so the page, the JSON, the XLSX and the PDF agree.
	if o := rep.Organising; o != nil {
		d.Organising = o
		for i, f := range o.Organisers[:min(len(o.Organisers), shownOrganisers)] {
			d.Organisers = append(d.Organisers, organiserLine{Rank: i + 1, OrganiserFounded: f})
		}
		d.GapThreshold = domain.GapMinWorkers
	}
	lang := langOf(r)
	if badDate != "" {
		page.Error = translate(lang, "dashx.bad_date", rep.AsOf.VN(), clip(badDate, 40))
	}
	for _, in := range rep.Indicators {
		d.Lines = append(d.Lines, dashLine{Indicator: in, Bar: progressBar(in.Target, in.Actual, in.Expected)})
	}
	if engine.Index(d.query.chart) < 0 {
		d.query.chart = domain.UnionsFounded
	}
	d.Chart = d.query.chart
	d.MonthSVG = monthChart(lang, rep.Months, d.Chart, translate(lang, "dash.chart_title", Page{Lang: lang}.Ind(d.Chart, d.Threshold)))
	gone, err := report.DissolvedChildren(ctx, s.Store, unit, rep)
	if err != nil {
		return err
	}
	for _, st := range summary.StandingsBy(rep, d.Chart) {
		var exp *float64
		if st.Expected != nil && st.Target != nil {
			exp = st.Expected
		}
		d.Ranked = append(d.Ranked, rankLine{Standing: st, Bar: progressBar(st.Target, st.Actual, exp), URL: d.UnitURL(st.Unit.Code),
			DissolvedOn: gone[st.Unit.Code]})
	}
	if unit.Kind != domain.KindGrassroots {
		lines, more, err := s.Store.GrassrootsBelow(ctx, unit, rep.Window.Start, rep.Window.End, maxGrassrootsLines)
		if err != nil {
			return err
		}
		if more {
			lines = nil
		}
		rankGrassroots(lines, d.Chart)
		d.GrassrootsTotal = len(lines)
		for i, l := range lines[:min(len(lines), shownGrassroots)] {
			d.Grassroots = append(d.Grassroots, grassLine{Rank: i + 1, GrassrootsLine: l})
		}
	}
	// The exemplary units: the leaders of the busiest month of the plan's
	// window, or of the campaign.
	if rep.Campaign != nil {
		d.Exemplary = summary.Leaders(rep, summary.MaxLeaders)
	} else if peak != nil {
		d.Exemplary, d.ExemplaryMonth = peak.Leaders, peak.Start
	} else if start, _, ok := summary.PeakMonth(rep); ok {
		// A grassroots union's report: no child led its busiest month.
		d.ExemplaryMonth = start
	}
	// The way up, as far as the user may go.
	anc, err := s.Store.Ancestors(ctx, unit.Path)
	if err != nil {
		return err
	}
	for _, a := range anc[:len(anc)-1] {
		if s.inScope(u, a) && strings.HasPrefix(a.Path, d.Plan.UnitPath) {
			d.Trail = append(d.Trail, a)
		}
	}
	return s.render(w, r, status, "dashboard", page)
}

// CampaignURL is the dashboard over a campaign's window ("" for the whole
// plan).
func (d *dashData) CampaignURL(code string) string {
	return d.query.url(func(q *dashQuery) { q.campaign = code })
}

// defaultPlan is the plan a dashboard opens on: the newest whose window
// holds today, or else the latest (plans come newest first).
func defaultPlan(plans []store.PlanInfo, today domain.Date) store.PlanInfo {
	for _, p := range plans {
		if p.Start <= today && today <= p.End {
			return p
		}
	}
	latest := plans[0]
	for _, p := range plans {
		if p.End > latest.End {
			latest = p
		}
	}
	return latest
}

// GrassrootsFigure is the figure of a grassroots union's line that the
// chart's indicator reads: admissions, net growth or Party introductions
// from its counters; for the founding indicators, whether it was founded
// in the window (1 or 0).
func GrassrootsFigure(l store.GrassrootsLine, indicator string) int64 {
	switch indicator {
	case domain.MembersAdmitted:
		return l.Admitted
	case domain.MembersNetGrowth, domain.NonStateUnionMembers:
		return l.Net
	case domain.PartyIntroductions:
		return l.Party
	}
	if l.Founded {
		return 1
	}
	return 0
}

// rankGrassroots orders the lines by the indicator's figure, highest
// first, then by members admitted, then by code.
func rankGrassroots(ls []store.GrassrootsLine, indicator string) {
	slices.SortStableFunc(ls, func(a, b store.GrassrootsLine) int {
		if x, y := GrassrootsFigure(a, indicator), GrassrootsFigure(b, indicator); x != y {
			return cmp.Compare(y, x)
		}
		if a.Admitted != b.Admitted {
			return cmp.Compare(b.Admitted, a.Admitted)
		}
		return strings.Compare(a.Unit.Code, b.Unit.Code)
	})
}
