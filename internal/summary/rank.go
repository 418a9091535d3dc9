// Package summary writes the Vietnamese summary of a progress report in the
// manner of the federations' own reports ("Tính đến ngày 8/7/2022, các cấp
// Công đoàn … đã thành lập mới 306/750 CĐCS …"), and ranks the units it
// names: the direct children by percent of target with their pace, the
// busiest month of the window and the units that led it.
//
// Everything here is pure: it reads engine reports and computes nothing
// from the database.
package summary

import (
	"sort"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

// RankedBy is the indicator children are ranked by and paced on: the
// founding of grassroots unions, the headline of every report.
const RankedBy = domain.UnionsFounded

// Standing is a direct child's place in the ranking by percent of its
// RankedBy target.
type Standing struct {
	Rank     int
	Unit     engine.Ref
	Target   *int64
	Actual   int64
	Percent  *float64
	Expected *float64 // nil without a target, and in a campaign report
	Behind   bool     // actual below Expected
	// Indicators are the child's lines, in the order of engine.Defs.
	Indicators []engine.ChildValue
}

// Standings ranks the report's children by percent of their RankedBy target
// (highest first; children without a target or with a zero target last),
// then by actual (highest first), then by code. Outside campaign reports it
// adds each child's pace on the plan's calendar (engine.Expected).
func Standings(r *engine.Report) []Standing { return StandingsBy(r, RankedBy) }

// StandingsBy is Standings ranked and paced by another indicator (the one
// the dashboard's chart shows).
func StandingsBy(r *engine.Report, indicator string) []Standing {
	out := make([]Standing, 0, len(r.Children))
	for _, c := range r.Children {
		s := Standing{Unit: c.Unit, Indicators: c.Indicators}
		if v, ok := childValue(c, indicator); ok {
			s.Target, s.Actual, s.Percent = v.Target, v.Actual, v.Percent
		}
		if s.Target != nil && r.Campaign == nil {
			e := engine.Expected(*s.Target, r.Plan.Start, r.Plan.End, r.AsOf)
			s.Expected = &e
			s.Behind = float64(s.Actual) < e
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Percent == nil) != (b.Percent == nil) {
			return a.Percent != nil
		}
		if a.Percent != nil && *a.Percent != *b.Percent {
			return *a.Percent > *b.Percent
		}
		if a.Actual != b.Actual {
			return a.Actual > b.Actual
		}
		return a.Unit.Code < b.Unit.Code
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

// Leader is a unit with its results in a span of days (a month, a
// campaign).
type Leader struct {
	Unit     engine.Ref
	Founded  int64 // unions_founded
	Admitted int64 // members_admitted
}

// MaxLeaders is how many units a summary praises.
const MaxLeaders = 5

// Leaders returns at most n children of r with the most unions founded in
// r's window, then the most members admitted, then by code; children with
// neither are left out.
func Leaders(r *engine.Report, n int) []Leader {
	var ls []Leader
	for _, c := range r.Children {
		l := Leader{Unit: c.Unit}
		if v, ok := childValue(c, domain.UnionsFounded); ok {
			l.Founded = v.Actual
		}
		if v, ok := childValue(c, domain.MembersAdmitted); ok {
			l.Admitted = v.Actual
		}
		if l.Founded > 0 || l.Admitted > 0 {
			ls = append(ls, l)
		}
	}
	sort.SliceStable(ls, func(i, j int) bool {
		a, b := ls[i], ls[j]
		if a.Founded != b.Founded {
			return a.Founded > b.Founded
		}
		if a.Admitted != b.Admitted {
			return a.Admitted > b.Admitted
		}
		return a.Unit.Code < b.Unit.Code
	})
	if len(ls) > n {
		ls = ls[:n]
	}
	return ls
}

// Peak is the busiest month of a plan report's window ("riêng tháng
// 5/2022 …") and the units that led it.
type Peak struct {
	// Start and End are the month's days within the window.
	Start, End domain.Date
	// Founded and Admitted are the month's unions founded and members
	// admitted, with their shares of the window's totals (nil where the
	// total is 0).
	Founded, Admitted           int64
	FoundedShare, AdmittedShare *float64
	Leaders                     []Leader
}

// PeakMonth picks the month of a plan report with the most unions founded
// (then the most members admitted, then the earliest) and returns its days
// within the window. There is none in a campaign report, in a window of a
// single month, or where nothing was founded or admitted.
func PeakMonth(r *engine.Report) (start, end domain.Date, ok bool) {
	if r.Campaign != nil || len(r.Months) < 2 {
		return 0, 0, false
	}
	best, bestF, bestA := -1, int64(0), int64(0)
	for i, m := range r.Months {
		f, a := monthValue(m, domain.UnionsFounded).Actual, monthValue(m, domain.MembersAdmitted).Actual
		if f > bestF || f == bestF && a > bestA {
			best, bestF, bestA = i, f, a
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	first, err := domain.ParseDate(r.Months[best].Month + "-01")
	if err != nil {
		return 0, 0, false
	}
	return max(first, r.Window.Start), min(first.MonthEnd(), r.Window.End), true
}

// NewPeak describes the peak month of r from month, the same report
// computed over that month's days (see PeakMonth).
func NewPeak(r, month *engine.Report) *Peak {
	p := &Peak{Start: month.Window.Start, End: month.Window.End, Leaders: Leaders(month, MaxLeaders)}
	key := p.Start.MonthKey()
	for _, m := range r.Months {
		if m.Month != key {
			continue
		}
		f, a := monthValue(m, domain.UnionsFounded), monthValue(m, domain.MembersAdmitted)
		p.Founded, p.FoundedShare = f.Actual, f.Share
		p.Admitted, p.AdmittedShare = a.Actual, a.Share
	}
	return p
}

func childValue(c engine.ChildReport, code string) (engine.ChildValue, bool) {
	for _, v := range c.Indicators {
		if v.Code == code {
			return v, true
		}
	}
	return engine.ChildValue{}, false
}

func monthValue(m engine.Month, code string) engine.MonthValue {
	for _, v := range m.Indicators {
		if v.Code == code {
			return v
		}
	}
	return engine.MonthValue{Code: code}
}

// Indicator returns the report's line for code (a zero line where absent).
func Indicator(r *engine.Report, code string) engine.Indicator {
	for _, in := range r.Indicators {
		if in.Code == code {
			return in
		}
	}
	return engine.Indicator{Code: code}
}
