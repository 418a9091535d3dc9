package engine

import "congdoan/internal/domain"

// Def defines one indicator of docs/indicators.md. Defs is the one table of
// them: Compute computes each from its row, and the report JSON, the XLSX
// and PDF documents, the written summary, the web pages and the importer
// of targets list the indicators in its order, under its codes and labels.
//
// Every indicator is counted: its value over a window is the sum of what
// each day of the window and each unit founded in it adds, so the months
// of the window add up to it (docs/indicators.md, "Months"). None is a ratio.
type Def struct {
	Code string
	// Day is what one day of a subtree's counters adds (nil: nothing).
	Day func(c *Counters) int64
	// Founded is what a class of grassroots units founded in the window
	// adds (nil: nothing). Its units' members are counted on the window's
	// last day, even in a month (docs/indicators.md), and AtLeast compares them
	// with the plan's member threshold.
	Founded func(f *FoundedClass) int64
	// Threshold: the label names the plan's member threshold ("CĐCS doanh
	// nghiệp có từ %d đoàn viên trở lên").
	Threshold bool
}

// Defs are the indicators in report order. Adding one: a row here (with
// its code in internal/domain where other code names it), its label and
// short label in internal/msg/catalog/{vi,en}.labels.json, and its
// definition in docs.
var Defs = []Def{
	{Code: domain.MembersAdmitted, Day: func(c *Counters) int64 { return c.Admitted }},
	{Code: domain.MembersNetGrowth, Day: func(c *Counters) int64 { return c.Net }},
	{Code: domain.UnionsFounded, Founded: unitsIf(func(*FoundedClass) bool { return true })},
	{Code: domain.EnterpriseUnions25Plus, Threshold: true, Founded: unitsIf(func(f *FoundedClass) bool {
		return domain.IsEnterpriseOwnership(f.Ownership) && f.AtLeast
	})},
	{Code: domain.NonStateUnionsFounded, Founded: unitsIf(func(f *FoundedClass) bool { return domain.IsNonState(f.Ownership) })},
	{Code: domain.NonStateUnionMembers, Founded: func(f *FoundedClass) int64 {
		if domain.IsNonState(f.Ownership) {
			return f.Active
		}
		return 0
	}},
	{Code: domain.NewMethodUnionsFounded, Founded: unitsIf(func(f *FoundedClass) bool { return f.Method == domain.MethodNew })},
	{Code: domain.PartyIntroductions, Day: func(c *Counters) int64 { return c.Party }},
}

// unitsIf counts the units of the classes that keep selects.
func unitsIf(keep func(f *FoundedClass) bool) func(*FoundedClass) int64 {
	return func(f *FoundedClass) int64 {
		if keep(f) {
			return f.Units
		}
		return 0
	}
}

// Codes are the indicators' codes in report order.
var Codes = func() []string {
	out := make([]string, len(Defs))
	for i, d := range Defs {
		out[i] = d.Code
	}
	return out
}()

// Index returns the position of code in Defs, or -1.
func Index(code string) int {
	for i, d := range Defs {
		if d.Code == code {
			return i
		}
	}
	return -1
}

// Label is the key of the indicator's name in the labels catalog
// (internal/msg/catalog/*.labels.json), and LabelArgs its arguments for a
// plan's member threshold. Short is the key of its short name (chart
// chips, table headings).
func Label(code string) string { return "indicator." + code }

// Short is the key of an indicator's short name in the labels catalog.
func Short(code string) string { return "indicator_short." + code }

// LabelArgs are the arguments of an indicator's label for a plan's member
// threshold (none for an unknown code).
func LabelArgs(code string, threshold int64) []any {
	if i := Index(code); i >= 0 && Defs[i].Threshold {
		return []any{threshold}
	}
	return nil
}
