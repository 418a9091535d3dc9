package engine

import (
	"sort"

	"congdoan/internal/domain"
)

// World is a whole data set in memory. FromWorld computes a report's input
// from it the slow, obvious way, member by member and day by day on the
// tree of each day; it is the reference the store's aggregated path is
// tested against, and lets the demo check itself.
type World struct {
	// Units, with ParentID the parent of units.csv (before any move).
	Units       []domain.Unit
	Enterprises map[string]string // tax code -> ownership
	Members     []domain.Member
	Transfers   map[string][]domain.Transfer // by national ID
	Targets     []domain.Target
	// Moves, with UnitID and NewParentID set.
	Moves []domain.Move
}

// FromWorld gathers the input of a report on unit code for query q.
func FromWorld(w *World, q Query, code string) *Input {
	byID := map[int64]*domain.Unit{}
	codeID := map[string]int64{}
	var unit *domain.Unit
	for i := range w.Units {
		u := &w.Units[i]
		byID[u.ID] = u
		codeID[u.Code] = u.ID
		if u.Code == code {
			unit = u
		}
	}
	if unit == nil {
		return nil
	}
	moves := map[int64][]domain.Move{}
	for _, m := range w.Moves {
		moves[m.UnitID] = append(moves[m.UnitID], m)
	}
	for _, ms := range moves {
		sort.Slice(ms, func(i, j int) bool { return ms[i].MovedOn < ms[j].MovedOn })
	}
	// parentOn: the parent of units.csv until the first move, then that of
	// the latest move dated on or before d.
	parentOn := func(id int64, d domain.Date) int64 {
		p := byID[id].ParentID
		for _, m := range moves[id] {
			if m.MovedOn <= d {
				p = m.NewParentID
			}
		}
		return p
	}
	// ancestors calls fn for the unit and each unit above it on day d.
	ancestors := func(id int64, d domain.Date, fn func(int64)) {
		for x := id; x != 0; x = parentOn(x, d) {
			fn(x)
		}
	}
	asOf, s, a := q.Window()
	_ = asOf

	in := &Input{Query: q, Unit: Ref{ID: unit.ID, Code: unit.Code, Name: unit.Name},
		Targets: map[int64]map[string]int64{}, Assigned: map[string]int64{}, Series: map[int64][]DayStat{}}

	// Children in W: under the unit and open on at least one day of W (on
	// day a alone when W is empty).
	isChild := map[int64]bool{}
	lo, hi := s, a
	if a < s {
		lo, hi = a, a
	}
	for i := range w.Units {
		c := &w.Units[i]
		if c.ID == unit.ID {
			continue
		}
		for d := lo; d <= hi; d++ {
			if c.OpenOn(d) && parentOn(c.ID, d) == unit.ID {
				isChild[c.ID] = true
				break
			}
		}
	}
	for i := range w.Units {
		u := &w.Units[i]
		if isChild[u.ID] && u.Kind != domain.KindGrassroots {
			in.Children = append(in.Children, Ref{ID: u.ID, Code: u.Code, Name: u.Name, DissolvedOn: u.DissolvedOn})
		}
	}
	sort.Slice(in.Children, func(i, j int) bool { return in.Children[i].Code < in.Children[j].Code })
	lines := map[int64]bool{unit.ID: true} // the units that get a series
	for _, c := range in.Children {
		lines[c.ID] = true
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
		if isChild[id] {
			in.Assigned[t.Indicator] += t.Target
		}
	}
	if a < s {
		return in
	}

	series := map[int64]map[domain.Date]*Counters{}
	add := func(id int64, day domain.Date, c Counters) {
		if series[id] == nil {
			series[id] = map[domain.Date]*Counters{}
		}
		x := series[id][day]
		if x == nil {
			x = &Counters{}
			series[id][day] = x
		}
		x.Add(c, 1)
	}
	// The days on which active members are counted: the eve of the window
	// and each month's last day in it; a month's net growth is the change
	// between two of them, entered on the later.
	var ends []domain.Date
	for m := s.MonthStart(); m <= a; m = m.MonthEnd() + 1 {
		ends = append(ends, min(a, m.MonthEnd()))
	}
	counts := make([]map[int64]int64, len(ends)+1) // [0]: day s-1
	for i := range counts {
		counts[i] = map[int64]int64{}
	}
	active := map[int64]int64{} // grassroots unit -> active members on day a
	for i := range w.Members {
		m := &w.Members[i]
		spells := Spells(m, w.Transfers[m.NationalID])
		if m.JoinedHow != domain.JoinedTransferred && m.JoinedOn >= s && m.JoinedOn <= a {
			ancestors(spells[0].UnitID, m.JoinedOn, func(x int64) {
				if lines[x] {
					add(x, m.JoinedOn, Counters{Admitted: 1})
				}
			})
		}
		if p := m.PartyIntroducedOn; p >= s && p <= a {
			if u := UnitOn(spells, p); u != 0 {
				ancestors(u, p, func(x int64) {
					if lines[x] {
						add(x, p, Counters{Party: 1})
					}
				})
			}
		}
		for i, d := range append([]domain.Date{s - 1}, ends...) {
			if u := UnitOn(spells, d); u != 0 {
				ancestors(u, d, func(x int64) {
					if lines[x] {
						counts[i][x]++
					}
				})
			}
		}
		if u := UnitOn(spells, a); u != 0 {
			active[u]++
		}
	}
	for x := range lines {
		for i, d := range ends {
			add(x, d, Counters{Net: counts[i+1][x] - counts[i][x]})
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
		in2 := false
		var branches []int64
		ancestors(u.ID, u.FoundedOn, func(x int64) {
			if x == unit.ID {
				in2 = true
			} else if lines[x] {
				branches = append(branches, x)
			}
		})
		if !in2 {
			continue
		}
		sort.Slice(branches, func(i, j int) bool { return branches[i] < branches[j] })
		own := u.Ownership
		if own == "" {
			own = w.Enterprises[u.EnterpriseTaxCode]
		}
		// A class of its own: the store's classes of many units must
		// count as these do.
		in.Founded = append(in.Founded, FoundedClass{Branches: branches, From: u.FoundedOn, To: u.FoundedOn,
			Ownership: own, Method: u.Method, AtLeast: AtLeast(active[u.ID], q.Plan.MemberThreshold()), Units: 1, Active: active[u.ID]})
	}
	return in
}
