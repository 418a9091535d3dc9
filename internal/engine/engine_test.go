package engine

import (
	"encoding/json"
	"slices"
	"testing"

	"congdoan/internal/domain"
)

func d(s string) domain.Date {
	v, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// world builds a small tree: HN (1) with districts A (2) and B (3); A has
// a sub-level A1 (4); grassroots units hang below.
type world struct{ World }

func newWorld() *world {
	w := &world{World{Enterprises: map[string]string{"0100109106": domain.OwnFDI}, Transfers: map[string][]domain.Transfer{}}}
	w.unit(1, "HN", 0, domain.KindFederation, "", "", "")
	w.unit(2, "A", 1, domain.KindUpper, "", "", "")
	w.unit(3, "B", 1, domain.KindUpper, "", "", "")
	w.unit(4, "A1", 2, domain.KindUpper, "", "", "")
	w.unit(10, "A-G1", 2, domain.KindGrassroots, domain.OwnPrivate, "2010-01-01", "")
	w.unit(11, "A1-G1", 4, domain.KindGrassroots, domain.OwnState, "2010-01-01", "")
	w.unit(12, "B-G1", 3, domain.KindGrassroots, domain.OwnPublic, "2010-01-01", "")
	w.unit(13, "HN-G1", 1, domain.KindGrassroots, domain.OwnPrivate, "2010-01-01", "")
	return w
}

func (w *world) unit(id int64, code string, parent int64, kind, own, founded, method string) *domain.Unit {
	u := domain.Unit{ID: id, Code: code, Name: "Đơn vị " + code, ParentID: parent, Kind: kind, Ownership: own, Method: method}
	if founded != "" {
		u.FoundedOn = d(founded)
	}
	w.Units = append(w.Units, u)
	return &w.Units[len(w.Units)-1]
}

var nextID = 0

func (w *world) member(unit int64, joined, left, party, how string) string {
	nextID++
	id := string(rune('a'+nextID/26%26)) + string(rune('a'+nextID%26)) + "-" + joined
	m := domain.Member{NationalID: id, UnitID: unit, JoinedOn: d(joined), JoinedHow: how}
	if how == "" {
		m.JoinedHow = domain.JoinedAdmitted
	}
	if left != "" {
		m.LeftOn = d(left)
	}
	if party != "" {
		m.PartyIntroducedOn = d(party)
	}
	w.Members = append(w.Members, m)
	return id
}

func (w *world) transfer(id string, to int64, day string) {
	w.Transfers[id] = append(w.Transfers[id], domain.Transfer{NationalID: id, ToUnitID: to, Date: d(day)})
}

func (w *world) target(unit, ind string, t int64) {
	w.Targets = append(w.Targets, domain.Target{PlanCode: "P", UnitCode: unit, Indicator: ind, Target: t})
}

var plan = domain.Plan{Code: "P", Name: "Kế hoạch", Start: d("2022-01-01"), End: d("2022-12-31"), Threshold: 25}

func (w *world) report(t *testing.T, unit, asOf string, camp *domain.Campaign) *Report {
	t.Helper()
	q := Query{Plan: plan, AsOf: d(asOf), Campaign: camp}
	in := FromWorld(&w.World, q, unit)
	if in == nil {
		t.Fatalf("no unit %s", unit)
	}
	return Compute(in)
}

func ind(r *Report, code string) Indicator { return r.Indicators[Index(code)] }

// actual is one value an indicator test expects: of the report's own unit
// (unit "") or of one of its children; why is printed when it is wrong.
type actual struct {
	unit string
	want int64
	why  string
}

// checkActuals checks the indicator code's actual values in r.
func checkActuals(t *testing.T, r *Report, code string, wants ...actual) {
	t.Helper()
	for _, w := range wants {
		got, at := ind(r, code).Actual, r.Unit.Code
		if w.unit != "" {
			got, at = child(r, w.unit, code).Actual, w.unit
		}
		if got != w.want {
			t.Errorf("%s %s = %d, want %d %s", at, code, got, w.want, w.why)
		}
	}
}

func child(r *Report, unit, code string) ChildValue {
	for _, c := range r.Children {
		if c.Unit.Code == unit {
			return c.Indicators[Index(code)]
		}
	}
	panic("no child " + unit)
}

func TestMembersAdmittedCountsAdmissionsByFirstSpell(t *testing.T) {
	w := newWorld()
	w.member(10, "2022-03-01", "", "", "")                       // counts for A
	w.member(10, "2022-03-02", "", "", domain.JoinedTransferred) // transferred in: not an admission
	w.member(10, "2021-12-31", "", "", "")                       // before the window
	id := w.member(12, "2022-02-01", "", "", "")                 // admitted in B, then moved to A
	w.transfer(id, 10, "2022-04-01")
	w.member(11, "2022-07-08", "", "", "") // on the as-of day: counts
	w.member(11, "2022-07-09", "", "", "") // after it: does not
	checkActuals(t, w.report(t, "HN", "2022-07-08", nil), domain.MembersAdmitted,
		actual{"", 3, ""}, actual{"A", 2, "(its own and A1's)"}, actual{"B", 1, "(the first spell decides)"})
}

func TestNetGrowthFollowsSpellsAndLeftOn(t *testing.T) {
	w := newWorld()
	w.member(10, "2020-01-01", "2022-01-01", "", "") // leaves on the window's first day: -1
	w.member(10, "2020-01-01", "2021-12-31", "", "") // left before: no change
	w.member(12, "2022-05-01", "", "", "")           // +1 for B
	id := w.member(12, "2020-01-01", "", "", "")     // moves B -> A inside the window
	w.transfer(id, 10, "2022-06-01")
	w.member(11, "2022-07-08", "2022-07-09", "", "") // active on a: +1
	checkActuals(t, w.report(t, "HN", "2022-07-08", nil), domain.MembersNetGrowth,
		actual{"", 1, ""}, actual{"A", 1, "(-1 left, +1 transferred in, +1 joined)"}, actual{"B", 0, "(+1 joined, -1 transferred out)"})
}

func TestUnionIndicators(t *testing.T) {
	w := newWorld()
	g := func(id int64, code string, parent int64, own, founded, method string, members int) {
		w.unit(id, code, parent, domain.KindGrassroots, own, founded, method)
		for i := 0; i < members; i++ {
			w.member(id, founded, "", "", "")
		}
	}
	g(20, "A-N1", 2, domain.OwnPrivate, "2022-01-01", domain.MethodNew, 25) // first day; 25 members
	g(21, "A-N2", 2, domain.OwnFDI, "2022-03-15", "", 24)                   // 24 members: not 25+
	g(22, "A1-N3", 4, domain.OwnState, "2022-07-08", "", 30)                // as-of day; state: enterprise, not non-state
	g(23, "B-N4", 3, domain.OwnPublic, "2022-02-01", domain.MethodNew, 40)  // public: no enterprise union
	g(24, "B-N5", 3, "", "2022-02-02", "", 26)                              // ownership from the enterprise
	w.Units[len(w.Units)-1].EnterpriseTaxCode = "0100109106"
	g(25, "B-N6", 3, domain.OwnPrivate, "2022-07-09", "", 30) // after the as-of day
	g(26, "B-N7", 3, domain.OwnPrivate, "2021-12-31", "", 30) // before the window
	// A unit founded and dissolved in the window still counts as founded.
	w.unit(27, "B-N8", 3, domain.KindGrassroots, domain.OwnPrivate, "2022-03-01", "").DissolvedOn = d("2022-04-01")
	// One member of A-N1 leaves before a: 24 active remain.
	w.member(20, "2022-01-02", "2022-07-08", "", "")
	r := w.report(t, "HN", "2022-07-08", nil)
	want := map[string]int64{
		domain.UnionsFounded:          6,
		domain.EnterpriseUnions25Plus: 3, // A-N1 (25), A1-N3 (30), B-N5 (26)
		domain.NonStateUnionsFounded:  4, // A-N1, A-N2, B-N5, B-N8
		domain.NonStateUnionMembers:   25 + 24 + 26,
		domain.NewMethodUnionsFounded: 2,
	}
	for code, v := range want {
		if got := ind(r, code).Actual; got != v {
			t.Errorf("%s = %d, want %d", code, got, v)
		}
	}
	checkActuals(t, r, domain.UnionsFounded, actual{"A", 3, "(with A1's)"})
	checkActuals(t, r, domain.NonStateUnionMembers, actual{"B", 26, ""})
	// The threshold is the plan's.
	plan.Threshold = 24
	defer func() { plan.Threshold = 25 }()
	if got := ind(w.report(t, "HN", "2022-07-08", nil), domain.EnterpriseUnions25Plus).Actual; got != 4 {
		t.Errorf("with threshold 24: %d, want 4", got)
	}
}

func TestPartyIntroductionsCountWhereTheMemberWasThatDay(t *testing.T) {
	w := newWorld()
	id := w.member(12, "2020-01-01", "", "2022-05-10", "") // in B until 2022-05-01, then in A
	w.transfer(id, 10, "2022-05-01")
	w.member(12, "2020-01-01", "", "2021-12-31", "") // before the window
	w.member(12, "2020-01-01", "", "2022-07-08", "") // on the as-of day
	checkActuals(t, w.report(t, "HN", "2022-07-08", nil), domain.PartyIntroductions,
		actual{"", 2, ""}, actual{"A", 1, ""}, actual{"B", 1, ""})
}

func TestTargetsPercentPaceAndCascade(t *testing.T) {
	w := newWorld()
	for i := 0; i < 3; i++ {
		w.member(10, "2022-02-01", "", "", "")
	}
	w.target("HN", domain.MembersAdmitted, 8)
	w.target("A", domain.MembersAdmitted, 6)
	w.target("B", domain.MembersAdmitted, 5)
	w.target("HN-G1", domain.MembersAdmitted, 1) // a grassroots child's target is assigned too
	w.target("A", domain.UnionsFounded, 0)
	r := w.report(t, "HN", "2022-07-08", nil)
	got := ind(r, domain.MembersAdmitted)
	js, _ := json.Marshal(got)
	// expected: 8 * 189 days / 365 = 4.142 -> 4.14; 3 < 4.14: behind.
	want := `{"code":"members_admitted","target":8,"actual":3,"percent":37.5,"expected":4.14,"status":"behind","assigned":12,"unassigned":-4}`
	if string(js) != want {
		t.Errorf("got  %s\nwant %s", js, want)
	}
	// No target: everything but the actual is null.
	js, _ = json.Marshal(ind(r, domain.MembersNetGrowth))
	if string(js) != `{"code":"members_net_growth","target":null,"actual":3,"percent":null,"expected":null,"status":null,"assigned":null,"unassigned":null}` {
		t.Errorf("no target: %s", js)
	}
	if c := child(r, "A", domain.UnionsFounded); c.Target == nil || *c.Target != 0 || c.Percent != nil {
		t.Errorf("a zero target has a null percent: %+v", c)
	}
	if c := child(r, "A", domain.MembersAdmitted); *c.Percent != 50 {
		t.Errorf("A percent = %v, want 50", *c.Percent)
	}
}

func TestWindowAsOfAfterEndAndBeforeStart(t *testing.T) {
	w := newWorld()
	w.member(10, "2022-12-31", "", "", "")
	w.target("HN", domain.MembersAdmitted, 10)
	r := w.report(t, "HN", "2023-03-01", nil)
	if r.AsOf != d("2022-12-31") || r.Window.End != d("2022-12-31") || len(r.Months) != 12 {
		t.Errorf("as-of after the end is the end: %v %v %d months", r.AsOf, r.Window, len(r.Months))
	}
	if i := ind(r, domain.MembersAdmitted); i.Actual != 1 || *i.Expected != 10 {
		t.Errorf("at the end the expected value is the target: %+v", i)
	}
	r = w.report(t, "HN", "2021-06-01", nil)
	if len(r.Months) != 0 || ind(r, domain.MembersAdmitted).Actual != 0 || *ind(r, domain.MembersAdmitted).Expected != 0 {
		t.Errorf("before the plan: empty window, got %+v", r)
	}
}

func TestMonthsAddUpAndShares(t *testing.T) {
	w := newWorld()
	for i := 0; i < 94; i++ {
		w.member(10, "2022-05-10", "", "", "")
	}
	for i := 0; i < 212; i++ {
		w.member(10, "2022-01-15", "", "", "")
	}
	r := w.report(t, "HN", "2022-07-08", nil)
	if len(r.Months) != 7 || r.Months[0].Month != "2022-01" || r.Months[6].Month != "2022-07" {
		t.Fatalf("months: %+v", r.Months)
	}
	may := r.Months[4].Indicators[0]
	if may.Actual != 94 || *may.Share != 30.72 {
		t.Errorf("May: %d, share %v; want 94, 30.72", may.Actual, *may.Share)
	}
	if feb := r.Months[1].Indicators[0]; feb.Actual != 0 || *feb.Share != 0 {
		t.Errorf("February: %+v", feb)
	}
	if s := r.Months[0].Indicators[2].Share; s != nil {
		t.Errorf("share with a zero actual is null, got %v", *s)
	}
	// Every indicator's months add up to its actual.
	for i, code := range Codes {
		var sum int64
		for _, m := range r.Months {
			sum += m.Indicators[i].Actual
		}
		if sum != ind(r, code).Actual {
			t.Errorf("%s: months add to %d, actual %d", code, sum, ind(r, code).Actual)
		}
	}
}

func TestCampaignReport(t *testing.T) {
	w := newWorld()
	w.member(10, "2022-04-14", "", "", "")
	w.member(10, "2022-04-15", "", "", "")
	w.member(10, "2022-05-31", "", "", "")
	w.member(10, "2022-06-01", "", "", "")
	w.target("HN", domain.MembersAdmitted, 4)
	c := &domain.Campaign{Code: "D1", Name: "Đợt 1", PlanCode: "P", Start: d("2022-04-15"), End: d("2022-05-31")}
	r := w.report(t, "HN", "2022-07-08", c)
	i := ind(r, domain.MembersAdmitted)
	if r.Window.Start != c.Start || r.Window.End != c.End || i.Actual != 2 || *i.Percent != 50 || i.Expected != nil || i.Status != nil || *i.Assigned != 0 {
		t.Errorf("campaign: window %v, %+v", r.Window, i)
	}
	if len(r.Months) != 2 || r.Campaign == nil || r.Campaign.Code != "D1" {
		t.Errorf("campaign months/ref: %+v %+v", r.Months, r.Campaign)
	}
	r = w.report(t, "HN", "2022-05-01", c)
	if r.Window.End != d("2022-05-01") || ind(r, domain.MembersAdmitted).Actual != 1 {
		t.Errorf("campaign cut at the as-of day: %v", r.Window)
	}
}

func TestRoundHalfAwayFromZero(t *testing.T) {
	cases := []struct{ num, den, want int64 }{
		{5, 2, 3}, {-5, 2, -3}, {4, 2, 2}, {1, 3, 0}, {2, 3, 1}, {-2, 3, -1}, {5, -2, -3}, {0, 7, 0},
	}
	for _, c := range cases {
		if got := roundDiv(c.num, c.den); got != c.want {
			t.Errorf("roundDiv(%d, %d) = %d, want %d", c.num, c.den, got, c.want)
		}
	}
	for _, c := range []struct {
		a, t int64
		want float64
	}{{306, 750, 40.8}, {1, 800, 0.13}, {24396, 47855, 50.98}, {-1, 800, -0.13}, {2, 3, 66.67}} {
		if got := *percent(c.a, c.t); got != c.want {
			t.Errorf("percent(%d, %d) = %v, want %v", c.a, c.t, got, c.want)
		}
	}
}

func TestSpells(t *testing.T) {
	m := &domain.Member{UnitID: 1, JoinedOn: d("2020-01-01"), LeftOn: d("2022-06-01")}
	ts := []domain.Transfer{{ToUnitID: 3, Date: d("2022-03-01")}, {ToUnitID: 2, Date: d("2021-01-01")}}
	s := Spells(m, ts)
	want := []Spell{{1, d("2020-01-01"), d("2021-01-01")}, {2, d("2021-01-01"), d("2022-03-01")}, {3, d("2022-03-01"), d("2022-06-01")}}
	if len(s) != 3 || s[0] != want[0] || s[1] != want[1] || s[2] != want[2] {
		t.Errorf("spells %+v", s)
	}
	if UnitOn(s, d("2022-02-28")) != 2 || UnitOn(s, d("2022-03-01")) != 3 || UnitOn(s, d("2022-06-01")) != 0 || UnitOn(s, d("2019-12-31")) != 0 {
		t.Error("UnitOn")
	}
	// Removing a member's contribution cancels adding it.
	dl := Deltas{}
	dl.AddMember(m, ts, 1)
	dl.AddMember(m, ts, -1)
	dl.Compact()
	if len(dl) != 0 {
		t.Errorf("deltas left: %v", dl)
	}
}

// A plan whose end is the day before its start has no days: its pace
// expects nothing and Compute must not divide by zero.
func TestZeroLengthPlanWindowExpectsNothing(t *testing.T) {
	w := newWorld()
	w.target("HN", domain.MembersAdmitted, 10)
	empty := plan
	empty.End = empty.Start - 1
	in := FromWorld(&w.World, Query{Plan: empty, AsOf: d("2022-03-01")}, "HN")
	r := Compute(in)
	i := ind(r, domain.MembersAdmitted)
	if i.Expected == nil || *i.Expected != 0 || i.Status == nil || *i.Status != StatusOnTrack {
		t.Errorf("zero-length plan: want expected 0, on track; got %+v", i)
	}
	if e := Expected(10, empty.Start, empty.End, d("2022-03-01")); e != 0 {
		t.Errorf("Expected over a zero-length plan = %v, want 0", e)
	}
	if el, days := Elapsed(empty.Start, empty.End, d("2022-03-01")); el != 0 || days != 0 {
		t.Errorf("Elapsed = %d, %d; want 0, 0", el, days)
	}
}

// Defs is the report order of docs/indicators.md, and only the label of
// enterprise_unions_25plus names the plan's member threshold.
func TestDefsOrderAndLabels(t *testing.T) {
	want := []string{domain.MembersAdmitted, domain.MembersNetGrowth, domain.UnionsFounded, domain.EnterpriseUnions25Plus,
		domain.NonStateUnionsFounded, domain.NonStateUnionMembers, domain.NewMethodUnionsFounded, domain.PartyIntroductions}
	if !slices.Equal(Codes, want) {
		t.Fatalf("Codes = %v, want %v", Codes, want)
	}
	for i, code := range want {
		if Index(code) != i {
			t.Errorf("Index(%s) = %d, want %d", code, Index(code), i)
		}
		args := LabelArgs(code, 30)
		if code == domain.EnterpriseUnions25Plus {
			if len(args) != 1 || args[0] != int64(30) {
				t.Errorf("LabelArgs(%s) = %v, want [30]", code, args)
			}
		} else if args != nil {
			t.Errorf("LabelArgs(%s) = %v, want none", code, args)
		}
	}
	if Index("nope") != -1 || LabelArgs("nope", 30) != nil {
		t.Error("an unknown code has no place and no label arguments")
	}
}
