package engine

import "congdoan/internal/domain"

// Ref names a unit, a plan or a campaign in a report.
type Ref struct {
	ID    int64       `json:"-"`
	Code  string      `json:"code"`
	Name  string      `json:"name"`
	Start domain.Date `json:"start,omitempty"`
	End   domain.Date `json:"end,omitempty"`
	// DissolvedOn marks a dissolved unit among the children.
	DissolvedOn domain.Date `json:"dissolved_on,omitempty"`
}

// DayStat is one day of a unit's subtree counters.
type DayStat struct {
	Day domain.Date
	Counters
}

// Query says which report is wanted.
type Query struct {
	Plan     domain.Plan
	Campaign *domain.Campaign
	AsOf     domain.Date // requested; zero means today
}

// Window returns the effective as-of date and the window [s, a]: the plan's
// start to min(as-of, end), or the campaign's dates likewise. a < s when the
// as-of date is before the window opens: the window is then empty.
func (q Query) Window() (asOf, s, a domain.Date) {
	asOf = q.AsOf
	if asOf.IsZero() {
		asOf = domain.Today()
	}
	if asOf > q.Plan.End {
		asOf = q.Plan.End
	}
	s, e := q.Plan.Start, q.Plan.End
	if q.Campaign != nil {
		s, e = q.Campaign.Start, q.Campaign.End
	}
	a = asOf
	if a > e {
		a = e
	}
	return asOf, s, a
}

// Input is what the store gathers for one report.
type Input struct {
	Query Query
	Unit  Ref
	// Children are the children in the window (docs/indicators.md) that are not
	// grassroots units, by code.
	Children []Ref
	// Targets per unit ID (the report unit and its children) and indicator.
	Targets map[int64]map[string]int64
	// Assigned sums the targets of the report unit's children in the window
	// (all kinds) per indicator.
	Assigned map[string]int64
	// Series holds, for the report unit and each child, the daily counters
	// of its subtree on the days of the window that have any.
	Series map[int64][]DayStat
	// Founded are the grassroots units of the subtree founded in the
	// window, by class (NewClasses).
	Founded []FoundedClass
}

// Report is the progress report of docs/interfaces.md.
type Report struct {
	Plan       Ref           `json:"plan"`
	Unit       Ref           `json:"unit"`
	AsOf       domain.Date   `json:"as_of"`
	Window     Window        `json:"window"`
	Campaign   *Ref          `json:"campaign"`
	Indicators []Indicator   `json:"indicators"`
	Months     []Month       `json:"months"`
	Children   []ChildReport `json:"children"`
	// Organising is the organising funnel of the unit and window, filled
	// in by internal/report; Compute leaves it nil.
	Organising *Organising `json:"organising,omitempty"`
	// SummaryVI is the written summary in Vietnamese (internal/summary),
	// filled in by internal/report; Compute leaves it empty.
	SummaryVI string `json:"summary_vi,omitempty"`
}

// Window is the span of days a report covers.
type Window struct {
	Start domain.Date `json:"start"`
	End   domain.Date `json:"end"`
}

// Indicator is one line of the report unit's table.
type Indicator struct {
	Code       string   `json:"code"`
	Target     *int64   `json:"target"`
	Actual     int64    `json:"actual"`
	Percent    *float64 `json:"percent"`
	Expected   *float64 `json:"expected"`
	Status     *string  `json:"status"`
	Assigned   *int64   `json:"assigned"`
	Unassigned *int64   `json:"unassigned"`
}

// Month is one calendar month of the window.
type Month struct {
	Month      string       `json:"month"`
	Indicators []MonthValue `json:"indicators"`
}

// MonthValue is an indicator's value in one month and its share of the actual.
type MonthValue struct {
	Code   string   `json:"code"`
	Actual int64    `json:"actual"`
	Share  *float64 `json:"share"`
}

// ChildReport is a direct child's line.
type ChildReport struct {
	Unit       Ref          `json:"unit"`
	Indicators []ChildValue `json:"indicators"`
}

// ChildValue is a child's target, actual and percent for one indicator.
type ChildValue struct {
	Code    string   `json:"code"`
	Target  *int64   `json:"target"`
	Actual  int64    `json:"actual"`
	Percent *float64 `json:"percent"`
}

// Status values.
const (
	StatusBehind  = "behind"
	StatusOnTrack = "on_track"
)

// values are the indicator values in the order of Defs.
type values []int64

func (v values) add(w values) {
	for i := range v {
		v[i] += w[i]
	}
}

// addDay adds what one day of counters adds.
func (v values) addDay(c *Counters) {
	for k := range Defs {
		if day := Defs[k].Day; day != nil {
			v[k] += day(c)
		}
	}
}

// tally is what Compute counts in one pass over the facts: the values of
// the window [s, a], of each of its months, and of each child line over
// the window.
type tally struct {
	// starts are the first days of the months within the window.
	starts   []domain.Date
	s, a     domain.Date
	total    values
	months   []values
	children map[int64]values
}

func newTally(s, a domain.Date, children []Ref) *tally {
	t := &tally{s: s, a: a, total: make(values, len(Defs)), children: map[int64]values{}}
	for m := s.MonthStart(); m <= a; m = m.MonthEnd() + 1 {
		t.starts = append(t.starts, max(s, m))
		t.months = append(t.months, make(values, len(Defs)))
	}
	for _, c := range children {
		t.children[c.ID] = make(values, len(Defs))
	}
	return t
}

// month is the index of the month of the window holding day (in it).
func (t *tally) month(day domain.Date) int {
	i := len(t.starts) - 1
	for t.starts[i] > day {
		i--
	}
	return i
}

// days adds the report unit's daily counters: to the window and its months.
func (t *tally) days(series []DayStat) {
	for i := range series {
		d := &series[i]
		if d.Day < t.s || d.Day > t.a {
			continue
		}
		t.total.addDay(&d.Counters)
		t.months[t.month(d.Day)].addDay(&d.Counters)
	}
}

// child adds a child line's daily counters to its values over the window.
func (t *tally) child(id int64, series []DayStat) {
	v := t.children[id]
	for i := range series {
		if d := &series[i]; t.s <= d.Day && d.Day <= t.a {
			v.addDay(&d.Counters)
		}
	}
}

// founded adds each class of units founded in the window: to the window,
// its month and its child lines. A class that the window or one of its
// months would cut is a fault of the input (FoundedClass), not data.
func (t *tally) founded(classes []FoundedClass) {
	v := make(values, len(Defs))
	for i := range classes {
		f := &classes[i]
		if f.To < t.s || f.From > t.a {
			continue
		}
		m := 0
		if f.From >= t.s && f.To <= t.a {
			m = t.month(f.From)
		}
		if f.From < t.s || f.To > t.a || (m+1 < len(t.starts) && f.To >= t.starts[m+1]) {
			panic("engine: a class of units founded spans " + f.From.String() + " to " + f.To.String() + ", across the bounds of the window " + t.s.String() + " to " + t.a.String() + " or of its months")
		}
		for k := range Defs {
			v[k] = 0
			if add := Defs[k].Founded; add != nil {
				v[k] = add(f)
			}
		}
		t.total.add(v)
		t.months[m].add(v)
		for _, b := range f.Branches {
			if c, ok := t.children[b]; ok {
				c.add(v)
			}
		}
	}
}

// Compute builds the report from the gathered facts.
func Compute(in *Input) *Report {
	q := in.Query
	asOf, s, a := q.Window()
	r := &Report{
		Plan:   Ref{Code: q.Plan.Code, Name: q.Plan.Name, Start: q.Plan.Start, End: q.Plan.End},
		Unit:   Ref{Code: in.Unit.Code, Name: in.Unit.Name},
		AsOf:   asOf,
		Window: Window{s, a},
		Months: []Month{},
	}
	if c := q.Campaign; c != nil {
		r.Campaign = &Ref{Code: c.Code, Name: c.Name, Start: c.Start, End: c.End}
	}
	t := newTally(s, a, in.Children)
	t.days(in.Series[in.Unit.ID])
	for _, c := range in.Children {
		t.child(c.ID, in.Series[c.ID])
	}
	t.founded(in.Founded)
	total := t.total

	targets := in.Targets[in.Unit.ID]
	for i, code := range Codes {
		ind := Indicator{Code: code, Actual: total[i]}
		if t, ok := targets[code]; ok {
			ind.Target = ptr(t)
			ind.Percent = percent(total[i], t)
			assigned := in.Assigned[code]
			ind.Assigned, ind.Unassigned = ptr(assigned), ptr(t-assigned)
			// Pace runs on the plan's calendar; a campaign report leaves it out.
			if q.Campaign == nil {
				e := expectedHundredths(t, q.Plan.Start, q.Plan.End, asOf)
				ind.Expected = ptr(float64(e) / 100)
				st := StatusOnTrack
				if total[i]*100 < e {
					st = StatusBehind
				}
				ind.Status = &st
			}
		}
		r.Indicators = append(r.Indicators, ind)
	}

	for k, m := range t.starts {
		v := t.months[k]
		month := Month{Month: m.MonthKey(), Indicators: make([]MonthValue, 0, len(Codes))}
		for i, code := range Codes {
			mv := MonthValue{Code: code, Actual: v[i]}
			if total[i] != 0 {
				mv.Share = ptr(float64(roundDiv(v[i]*10000, total[i])) / 100)
			}
			month.Indicators = append(month.Indicators, mv)
		}
		r.Months = append(r.Months, month)
	}

	r.Children = make([]ChildReport, 0, len(in.Children))
	for _, c := range in.Children {
		v := t.children[c.ID]
		cr := ChildReport{Unit: Ref{Code: c.Code, Name: c.Name, DissolvedOn: c.DissolvedOn}, Indicators: make([]ChildValue, 0, len(Codes))}
		for i, code := range Codes {
			cv := ChildValue{Code: code, Actual: v[i]}
			if t, ok := in.Targets[c.ID][code]; ok {
				cv.Target = ptr(t)
				cv.Percent = percent(v[i], t)
			}
			cr.Indicators = append(cr.Indicators, cv)
		}
		r.Children = append(r.Children, cr)
	}
	return r
}

// Expected is the pace rule of docs/indicators.md for any unit: what target
// calls for by asOf on the plan's calendar [start, end] (target * days in
// [start, min(asOf, end)] / days in [start, end]), rounded half away from
// zero to 2 decimals. A unit is behind when its actual is below it.
func Expected(target int64, start, end, asOf domain.Date) float64 {
	return float64(expectedHundredths(target, start, end, asOf)) / 100
}

// expectedHundredths is Expected in hundredths, an integer, so that Compute
// compares actual*100 with it exactly. A plan of no days expects nothing.
func expectedHundredths(target int64, start, end, asOf domain.Date) int64 {
	elapsed, days := Elapsed(start, end, asOf)
	if days == 0 {
		return 0
	}
	return roundDiv(target*elapsed*100, days)
}

// Elapsed is the pace calendar: the days of the plan [start, end] up to
// asOf (0 before the plan opens, all of them after it ends) and the plan's
// days (0 for a plan that ends before it starts).
func Elapsed(start, end, asOf domain.Date) (elapsed, days int64) {
	days = max(int64(end-start+1), 0)
	elapsed = int64(min(asOf, end) - start + 1)
	return max(0, min(elapsed, days)), days
}

func ptr[T any](v T) *T { return &v }

// percent is actual/target*100 to 2 decimals, nil for a zero target.
func percent(actual, target int64) *float64 {
	if target == 0 {
		return nil
	}
	return ptr(float64(roundDiv(actual*10000, target)) / 100)
}

// roundDiv is num/den rounded half away from zero, in integers so that
// 30.72 is exactly what the report says, never 30.719999.
func roundDiv(num, den int64) int64 {
	if den < 0 {
		num, den = -num, -den
	}
	if num >= 0 {
		return (2*num + den) / (2 * den)
	}
	return -((2*-num + den) / (2 * den))
}
