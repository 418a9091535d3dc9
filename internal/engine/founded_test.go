package engine

import (
	"testing"

	"congdoan/internal/domain"
)

// Classes puts units founded in one month of the window (cut by the
// window's ends), under the same lines (in any order), with the same
// ownership, method and side of the threshold in one class, summing
// units and members; a day outside the window adds nothing.
func TestClassesGroupByMonthAndKind(t *testing.T) {
	camp := &domain.Campaign{Code: "C", Start: d("2022-03-10"), End: d("2022-05-20")}
	c := NewClasses(Query{Plan: plan, AsOf: d("2022-12-31"), Campaign: camp})
	c.Add(d("2022-03-10"), []int64{2}, domain.OwnPrivate, domain.MethodNew, 25)
	c.Add(d("2022-03-31"), []int64{2}, domain.OwnPrivate, domain.MethodNew, 40)
	c.Add(d("2022-03-31"), []int64{2}, domain.OwnPrivate, domain.MethodNew, 24) // below 25
	c.Add(d("2022-04-01"), []int64{2}, domain.OwnPrivate, domain.MethodNew, 30) // April
	c.Add(d("2022-05-20"), []int64{4, 2}, domain.OwnFDI, "", 3)
	c.Add(d("2022-05-02"), []int64{2, 4}, domain.OwnFDI, "", 5)
	c.Add(d("2022-05-03"), nil, domain.OwnFDI, "", 5)
	c.Add(d("2022-03-09"), []int64{2}, domain.OwnPrivate, domain.MethodNew, 25) // before the window
	c.Add(d("2022-05-21"), []int64{2}, domain.OwnPrivate, domain.MethodNew, 25) // after it
	got := c.List()
	want := []FoundedClass{
		{Branches: []int64{2}, From: d("2022-03-10"), To: d("2022-03-31"), Ownership: domain.OwnPrivate, Method: domain.MethodNew, AtLeast: true, Units: 2, Active: 65},
		{Branches: []int64{2}, From: d("2022-03-10"), To: d("2022-03-31"), Ownership: domain.OwnPrivate, Method: domain.MethodNew, Units: 1, Active: 24},
		{Branches: []int64{2}, From: d("2022-04-01"), To: d("2022-04-30"), Ownership: domain.OwnPrivate, Method: domain.MethodNew, AtLeast: true, Units: 1, Active: 30},
		{Branches: []int64{2, 4}, From: d("2022-05-01"), To: d("2022-05-20"), Ownership: domain.OwnFDI, Units: 2, Active: 8},
		{From: d("2022-05-01"), To: d("2022-05-20"), Ownership: domain.OwnFDI, Units: 1, Active: 5},
	}
	if len(got) != len(want) {
		t.Fatalf("%d classes, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.From != w.From || g.To != w.To || g.Ownership != w.Ownership || g.Method != w.Method || g.AtLeast != w.AtLeast ||
			g.Units != w.Units || g.Active != w.Active || len(g.Branches) != len(w.Branches) {
			t.Errorf("class %d: %+v, want %+v", i, g, w)
			continue
		}
		for k := range w.Branches {
			if g.Branches[k] != w.Branches[k] {
				t.Errorf("class %d: branches %v, want %v", i, g.Branches, w.Branches)
			}
		}
	}
}

// Compute counts a class in the window, in its month and in each of its
// lines; a class the window would cut is a fault of the input, not
// something to count in part.
func TestComputeCountsClassesWhole(t *testing.T) {
	q := Query{Plan: plan, AsOf: d("2022-04-15")}
	in := &Input{Query: q, Unit: Ref{ID: 1, Code: "HN"}, Children: []Ref{{ID: 2, Code: "A"}, {ID: 3, Code: "B"}},
		Founded: []FoundedClass{
			{Branches: []int64{2}, From: d("2022-03-01"), To: d("2022-03-31"), Ownership: domain.OwnFDI, Method: domain.MethodNew, AtLeast: true, Units: 3, Active: 90},
			{Branches: []int64{2, 3}, From: d("2022-04-01"), To: d("2022-04-15"), Ownership: domain.OwnPublic, Units: 2, Active: 7},
		}}
	r := Compute(in)
	if got := ind(r, domain.UnionsFounded).Actual; got != 5 {
		t.Errorf("unions founded %d, want 5", got)
	}
	if got := ind(r, domain.NonStateUnionMembers).Actual; got != 90 {
		t.Errorf("non-state members %d, want 90", got)
	}
	if got := ind(r, domain.EnterpriseUnions25Plus).Actual; got != 3 {
		t.Errorf("enterprise unions with enough members %d, want 3", got)
	}
	checkActuals(t, r, domain.UnionsFounded, actual{"A", 5, ""}, actual{"B", 2, ""})
	for _, m := range r.Months {
		for _, v := range m.Indicators {
			if v.Code == domain.UnionsFounded && v.Actual != map[string]int64{"2022-03": 3, "2022-04": 2}[m.Month] {
				t.Errorf("%s: %d unions founded", m.Month, v.Actual)
			}
		}
	}
	in.Founded = append(in.Founded, FoundedClass{From: d("2022-04-10"), To: d("2022-04-30"), Units: 1})
	defer func() {
		if recover() == nil {
			t.Error("a class cut by the window's end was counted")
		}
	}()
	Compute(in)
}
