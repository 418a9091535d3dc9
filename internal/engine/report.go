package engine

import (
	"slices"

	"congdoan/internal/domain"
)

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

// FoundedUnit is a grassroots unit of the subtree founded in the window.
type FoundedUnit struct {
	UnitID int64
	// Branches are the report's child lines (children in the window) whose
	// subtree held the unit on its founding day.
	Branches  []int64
	FoundedOn domain.Date
	Ownership string // its own, or its enterprise's
	Method    string
	// Active is the number of its members active on the window's last day.
	Active int64
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
	// Children are the children in the window (INDICATORS.md) that are not
	// grassroots units, by code.
	Children []Ref
	// Targets per unit ID (the report unit and its children) and indicator.
	Targets map[int64]map[string]int64
	// Assigned sums the targets of the report unit's children in the window
	// (all kinds) per indicator.
	Assigned map[string]int64
	// Series holds, for the report unit and each child, the daily counters
	// of its subtree on the days of the window that have any.
	Series  map[int64][]DayStat
	Founded []FoundedUnit
}

// Report is the progress report of INTERFACE.md.
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

// actuals computes the values of Defs over [s, a] from a series and the
// founded units selected by keep; "active on day a" is always Active.
func actuals(series []DayStat, founded []FoundedUnit, keep func(*FoundedUnit) bool, s, a domain.Date, threshold int64) values {
	v := make(values, len(Defs))
	for i := range series {
		d := &series[i]
		if d.Day < s || d.Day > a {
			continue
		}
		for k := range Defs {
			if day := Defs[k].Day; day != nil {
				v[k] += day(&d.Counters)
			}
		}
	}
	for i := range founded {
		f := &founded[i]
		if f.FoundedOn < s || f.FoundedOn > a || !keep(f) {
			continue
		}
		for k := range Defs {
			if add := Defs[k].Founded; add != nil {
				v[k] += add(f, threshold)
			}
		}
	}
	return v
}

// Compute builds the report from the gathered facts.
func Compute(in *Input) *Report {
	q := in.Query
	asOf, s, a := q.Window()
	threshold := q.Plan.Threshold
	if threshold <= 0 {
		threshold = domain.DefaultThreshold
	}
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
	all := func(*FoundedUnit) bool { return true }
	total := actuals(in.Series[in.Unit.ID], in.Founded, all, s, a, threshold)

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

	for m := s.MonthStart(); m <= a; m = m.MonthEnd() + 1 {
		ms, me := max(s, m), min(a, m.MonthEnd())
		v := actuals(in.Series[in.Unit.ID], in.Founded, all, ms, me, threshold)
		month := Month{Month: m.MonthKey()}
		for i, code := range Codes {
			mv := MonthValue{Code: code, Actual: v[i]}
			if total[i] != 0 {
				mv.Share = ptr(float64(roundDiv(v[i]*10000, total[i])) / 100)
			}
			month.Indicators = append(month.Indicators, mv)
		}
		r.Months = append(r.Months, month)
	}

	r.Children = []ChildReport{}
	for _, c := range in.Children {
		id := c.ID
		v := actuals(in.Series[id], in.Founded, func(f *FoundedUnit) bool { return slices.Contains(f.Branches, id) }, s, a, threshold)
		cr := ChildReport{Unit: Ref{Code: c.Code, Name: c.Name, DissolvedOn: c.DissolvedOn}}
		for i, code := range Codes {
			cv := ChildValue{Code: code, Actual: v[i]}
			if t, ok := in.Targets[id][code]; ok {
				cv.Target = ptr(t)
				cv.Percent = percent(v[i], t)
			}
			cr.Indicators = append(cr.Indicators, cv)
		}
		r.Children = append(r.Children, cr)
	}
	return r
}

// Expected is the pace rule of INDICATORS.md for any unit: what target
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
