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

// values are the eight indicator values in report order.
type values [8]int64

// actuals computes the eight values over [s, a] from a series and the
// founded units selected by keep; "active on day a" is always Active.
func actuals(series []DayStat, founded []FoundedUnit, keep func(*FoundedUnit) bool, s, a domain.Date, threshold int64) values {
	var v values
	for _, d := range series {
		if d.Day < s || d.Day > a {
			continue
		}
		v[0] += d.Admitted
		v[1] += d.Net
		v[7] += d.Party
	}
	for i := range founded {
		f := &founded[i]
		if f.FoundedOn < s || f.FoundedOn > a || !keep(f) {
			continue
		}
		v[2]++
		if domain.IsEnterpriseOwnership(f.Ownership) && f.Active >= threshold {
			v[3]++
		}
		if domain.IsNonState(f.Ownership) {
			v[4]++
			v[5] += f.Active
		}
		if f.Method == domain.MethodNew {
			v[6]++
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

	// Pace runs on the plan's calendar even in a campaign report, where it
	// is left out.
	planDays := int64(q.Plan.End - q.Plan.Start + 1)
	elapsed := int64(min(asOf, q.Plan.End) - q.Plan.Start + 1)
	elapsed = max(0, min(elapsed, planDays))

	targets := in.Targets[in.Unit.ID]
	for i, code := range domain.Indicators {
		ind := Indicator{Code: code, Actual: total[i]}
		if t, ok := targets[code]; ok {
			ind.Target = ptr(t)
			ind.Percent = percent(total[i], t)
			assigned := in.Assigned[code]
			ind.Assigned, ind.Unassigned = ptr(assigned), ptr(t-assigned)
			if q.Campaign == nil {
				e := roundDiv(t*elapsed*100, planDays)
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
		for i, code := range domain.Indicators {
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
		for i, code := range domain.Indicators {
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
	planDays := int64(end - start + 1)
	if planDays <= 0 {
		return 0
	}
	elapsed := int64(min(asOf, end) - start + 1)
	elapsed = max(0, min(elapsed, planDays))
	return float64(roundDiv(target*elapsed*100, planDays)) / 100
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
