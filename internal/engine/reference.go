package engine

import (
	"sort"

	"congdoan/internal/domain"
)

// World is a whole data set in memory. FromWorld computes a report's input
// from it the slow, obvious way, member by member; it is the reference the
// store's aggregated path is tested against, and lets the demo check itself.
type World struct {
	Units       []domain.Unit
	Enterprises map[string]string // tax code -> ownership
	Members     []domain.Member
	Transfers   map[string][]domain.Transfer // by national ID
	Targets     []domain.Target
}

// FromWorld gathers the input of a report on unit code for query q.
func FromWorld(w *World, q Query, code string) *Input {
	byID := map[int64]*domain.Unit{}
	var unit *domain.Unit
	for i := range w.Units {
		u := &w.Units[i]
		byID[u.ID] = u
		if u.Code == code {
			unit = u
		}
	}
	if unit == nil {
		return nil
	}
	// branch maps every unit of the subtree to the direct child holding it
	// (0 for the unit itself); units outside the subtree are absent.
	branchOf := func(id int64) (int64, bool) {
		prev := int64(0)
		for x := byID[id]; x != nil; x = byID[x.ParentID] {
			if x.ID == unit.ID {
				return prev, true
			}
			prev = x.ID
		}
		return 0, false
	}
	in := &Input{Query: q, Unit: Ref{ID: unit.ID, Code: unit.Code, Name: unit.Name},
		Targets: map[int64]map[string]int64{}, Assigned: map[string]int64{}, Series: map[int64][]DayStat{}}
	for i := range w.Units {
		u := &w.Units[i]
		if u.ParentID == unit.ID && u.Kind != domain.KindGrassroots {
			in.Children = append(in.Children, Ref{ID: u.ID, Code: u.Code, Name: u.Name})
		}
	}
	sort.Slice(in.Children, func(i, j int) bool { return in.Children[i].Code < in.Children[j].Code })
	codeID := map[string]int64{}
	for _, u := range byID {
		codeID[u.Code] = u.ID
	}
	for _, t := range w.Targets {
		if t.PlanCode != q.Plan.Code {
			continue
		}
		id := codeID[t.UnitCode]
		if in.Targets[id] == nil {
			in.Targets[id] = map[string]int64{}
		}
		in.Targets[id][t.Indicator] = t.Target
		if u := byID[id]; u != nil && u.ParentID == unit.ID {
			in.Assigned[t.Indicator] += t.Target
		}
	}
	_, s, a := q.Window()

	// Unit-level counters for every member, then summed per branch.
	d := Deltas{}
	for i := range w.Members {
		m := &w.Members[i]
		d.AddMember(m, w.Transfers[m.NationalID], 1)
	}
	series := map[int64]map[domain.Date]*Counters{}
	addTo := func(id int64, day domain.Date, c *Counters) {
		if series[id] == nil {
			series[id] = map[domain.Date]*Counters{}
		}
		x := series[id][day]
		if x == nil {
			x = &Counters{}
			series[id][day] = x
		}
		x.Add(*c, 1)
	}
	active := map[int64]int64{} // unit -> active members on day a
	for k, c := range d {
		if k.Day <= a {
			active[k.UnitID] += c.Net
		}
		br, ok := branchOf(k.UnitID)
		if !ok || k.Day < s || k.Day > a {
			continue
		}
		addTo(unit.ID, k.Day, c)
		if br != 0 {
			addTo(br, k.Day, c)
		}
	}
	for id, days := range series {
		for day, c := range days {
			in.Series[id] = append(in.Series[id], DayStat{Day: day, Counters: *c})
		}
		sort.Slice(in.Series[id], func(i, j int) bool { return in.Series[id][i].Day < in.Series[id][j].Day })
	}
	for i := range w.Units {
		u := &w.Units[i]
		if u.Kind != domain.KindGrassroots || u.FoundedOn < s || u.FoundedOn > a {
			continue
		}
		br, ok := branchOf(u.ID)
		if !ok {
			continue
		}
		own := u.Ownership
		if own == "" {
			own = w.Enterprises[u.EnterpriseTaxCode]
		}
		if br == u.ID {
			br = 0 // a grassroots child of the report unit is no child line
		}
		in.Founded = append(in.Founded, FoundedUnit{UnitID: u.ID, Branch: br, FoundedOn: u.FoundedOn,
			Ownership: own, Method: u.Method, Active: active[u.ID]})
	}
	return in
}
