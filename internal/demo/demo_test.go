package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/summary"
)

// built is shared by the tests that only read the data.
var built = Build()

// builtUnits are built's units by code.
var builtUnits = func() map[string]*domain.Unit {
	units := map[string]*domain.Unit{}
	for i := range built.Units {
		units[built.Units[i].Code] = &built.Units[i]
	}
	return units
}()

func report(t *testing.T, d *Data, campaign *domain.Campaign) *engine.Report {
	t.Helper()
	q := engine.Query{Plan: d.Plan(), Campaign: campaign, AsOf: AsOf}
	in := engine.FromWorld(d.World(), q, RootCode)
	if in == nil {
		t.Fatalf("no unit %s", RootCode)
	}
	return engine.Compute(in)
}

func monthValue(r *engine.Report, month, code string) (int64, *float64) {
	for _, m := range r.Months {
		if m.Month != month {
			continue
		}
		for _, v := range m.Indicators {
			if v.Code == code {
				return v.Actual, v.Share
			}
		}
	}
	return -1, nil
}

// TestReportFigures: the plan's report on 8 July 2022 gives the figures of
// the newspaper report.
func TestReportFigures(t *testing.T) {
	t.Parallel()
	r := report(t, built, nil)
	if r.Window.Start != PlanStart || r.Window.End != AsOf {
		t.Errorf("window %s..%s", r.Window.Start, r.Window.End)
	}
	want := []struct {
		code           string
		actual, target int64
	}{
		{domain.UnionsFounded, WantUnionsFounded, 750},
		{domain.MembersAdmitted, WantAdmitted, 47855},
		{domain.NonStateUnionsFounded, WantNonStateUnions, 400},
		{domain.NonStateUnionMembers, WantNonStateMembers, 35000},
		{domain.EnterpriseUnions25Plus, WantEnterprise25Plus, 460},
		{domain.NewMethodUnionsFounded, WantNewMethodUnions, 39},
		{domain.PartyIntroductions, WantPartyIntroduction, 9453},
	}
	for _, w := range want {
		ind := summary.Indicator(r, w.code)
		if ind.Actual != w.actual {
			t.Errorf("%s: actual %d, want %d", w.code, ind.Actual, w.actual)
		}
		if ind.Target == nil || *ind.Target != w.target {
			t.Errorf("%s: target %v, want %d", w.code, ind.Target, w.target)
		}
	}
	net := summary.Indicator(r, domain.MembersNetGrowth)
	if net.Target == nil || *net.Target != 47855 {
		t.Errorf("members_net_growth target %v, want 47855", net.Target)
	}
	if net.Actual <= 0 || net.Actual >= WantAdmitted {
		t.Errorf("members_net_growth actual %d, want a little under %d", net.Actual, WantAdmitted)
	}
	t.Logf("members_net_growth actual %d", net.Actual)

	// The targets are cascaded in full to the upper unions.
	for _, ind := range r.Indicators {
		if ind.Unassigned == nil || *ind.Unassigned != 0 {
			t.Errorf("%s: unassigned %v, want 0", ind.Code, ind.Unassigned)
		}
	}
	if len(r.Children) != 39 {
		t.Errorf("%d children, want 39", len(r.Children))
	}

	// May 2022.
	for _, w := range []struct {
		code  string
		n     int64
		share float64
	}{{domain.UnionsFounded, WantUnionsFoundedMay, 30.72}, {domain.MembersAdmitted, WantAdmittedMay, 34.05}} {
		n, share := monthValue(r, "2022-05", w.code)
		if n != w.n || share == nil || *share != w.share {
			t.Errorf("%s in May: %d (share %v), want %d (%.2f)", w.code, n, share, w.n, w.share)
		}
	}
	// No month outdoes the campaign month.
	for _, m := range r.Months {
		if n, _ := monthValue(r, m.Month, domain.UnionsFounded); n > WantUnionsFoundedMay {
			t.Errorf("%s: %d unions founded, more than May", m.Month, n)
		}
		if n, _ := monthValue(r, m.Month, domain.MembersAdmitted); n > WantAdmittedMay {
			t.Errorf("%s: %d members admitted, more than May", m.Month, n)
		}
	}
}

// TestExemplaryLeadMay: the units the report praises lead May 2022, both
// in unions founded and in members admitted.
func TestExemplaryLeadMay(t *testing.T) {
	t.Parallel()
	may := &domain.Campaign{Code: "MAY", Name: "Tháng 5", PlanCode: PlanCode, Start: MayStart, End: MayEnd}
	r := report(t, built, may)
	for _, code := range []string{domain.UnionsFounded, domain.MembersAdmitted} {
		type line struct {
			unit string
			n    int64
		}
		var lines []line
		for _, c := range r.Children {
			for _, v := range c.Indicators {
				if v.Code == code {
					lines = append(lines, line{c.Unit.Code, v.Actual})
				}
			}
		}
		sort.SliceStable(lines, func(i, j int) bool { return lines[i].n > lines[j].n })
		top := map[string]bool{}
		for _, l := range lines[:5] {
			top[l.unit] = true
		}
		for _, c := range Exemplary {
			if !top[c] {
				t.Errorf("%s in May: %s is not in the top 5 %v", code, c, lines[:6])
			}
		}
		if lines[4].n <= lines[5].n {
			t.Errorf("%s in May: the 5th (%v) does not lead the 6th (%v)", code, lines[4], lines[5])
		}
		t.Logf("%s in May, top 6: %v", code, lines[:6])
	}
	if got := summary.Indicator(r, domain.UnionsFounded).Actual; got != WantUnionsFoundedMay {
		t.Errorf("May window: %d unions founded", got)
	}
}

// TestCampaigns: both peak campaigns exist and give a report.
func TestCampaigns(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ code, name, class, start, end string }{
		{Campaign1Code, "Đợt cao điểm 1 năm 2022", "Lớp đoàn viên tháng 5", "2022-04-15", "2022-05-31"},
		{Campaign2Code, "Đợt cao điểm 2 năm 2022", "Lớp đoàn viên 28/7", "2022-06-01", "2022-07-31"},
	} {
		cp := built.Campaign(c.code)
		if cp == nil {
			t.Fatalf("no campaign %s", c.code)
		}
		if cp.Name != c.name || cp.ClassName != c.class || cp.Start.String() != c.start || cp.End.String() != c.end || cp.PlanCode != PlanCode {
			t.Errorf("campaign %+v", *cp)
		}
		r := report(t, built, cp)
		t.Logf("%s: %d unions founded, %d members admitted", c.code,
			summary.Indicator(r, domain.UnionsFounded).Actual, summary.Indicator(r, domain.MembersAdmitted).Actual)
	}
	p := built.Plan()
	if p.Code != PlanCode || p.UnitCode != RootCode || p.Start != PlanStart || p.End != PlanEnd || p.Threshold != 25 {
		t.Errorf("plan %+v", p)
	}
}

// TestDeterministic: two builds give the same data.
// A new build is the package's first one (built, which the tests only
// read): one build less than two new ones, the same check.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	if !reflect.DeepEqual(Build(), built) {
		t.Fatal("two builds differ")
	}
}

func TestBuildIsFast(t *testing.T) {
	start := time.Now()
	d := Build()
	took := time.Since(start)
	t.Logf("Build: %v; %d units, %d enterprises, %d members, %d transfers, %d targets",
		took, len(d.Units), len(d.Enterprises), len(d.Members), len(d.Transfers), len(d.Targets))
	if took > 3*time.Second {
		t.Errorf("Build took %v", took)
	}
}

func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		Build()
	}
}

func vietnamese(s string) bool { return s != "" && norm.NFC.IsNormalString(s) }

// TestRecordsValid: every record obeys the import rules of docs/import-formats.md, and
// nothing happens after the last day of the data.
func TestRecordsValid(t *testing.T) {
	t.Parallel()
	d := built
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 30 {
			t.Errorf(format, args...)
		}
	}

	ents := map[string]*domain.Enterprise{}
	for i := range d.Enterprises {
		e := &d.Enterprises[i]
		if err := domain.ValidateTaxCode(e.TaxCode); err != nil {
			fail("enterprise %s: %v", e.Name, err)
		}
		if ents[e.TaxCode] != nil {
			fail("tax code %s twice", e.TaxCode)
		}
		ents[e.TaxCode] = e
		if !vietnamese(e.Name) || !domain.IsEnterpriseOwnership(e.Ownership) || e.Employees < 0 {
			fail("enterprise %+v", *e)
		}
	}

	units := map[string]*domain.Unit{}
	ids := map[int64]*domain.Unit{}
	names := map[string]bool{}
	for i := range d.Units {
		u := &d.Units[i]
		if u.ID != int64(i+1) {
			fail("unit %s has ID %d at position %d", u.Code, u.ID, i)
		}
		if !domain.ValidCode(u.Code) || units[u.Code] != nil {
			fail("unit code %q invalid or twice", u.Code)
		}
		if !vietnamese(u.Name) {
			fail("unit %s: name %q", u.Code, u.Name)
		}
		if names[u.Name] {
			fail("unit name %q twice", u.Name)
		}
		names[u.Name] = true
		if u.Method != domain.MethodStandard && u.Method != domain.MethodNew {
			fail("unit %s: method %q", u.Code, u.Method)
		}
		if u.ParentCode == "" {
			if u.Code != RootCode || u.Kind != domain.KindFederation {
				fail("unit %s has no parent", u.Code)
			}
		} else {
			p := units[u.ParentCode]
			if p == nil || p.ID != u.ParentID {
				fail("unit %s: parent %s not before it", u.Code, u.ParentCode)
			} else if p.Kind == domain.KindGrassroots {
				fail("unit %s: parent %s is grassroots", u.Code, p.Code)
			}
		}
		switch u.Kind {
		case domain.KindGrassroots:
			if u.FoundedOn.IsZero() || u.FoundedOn > DataEnd {
				fail("unit %s founded on %s", u.Code, u.FoundedOn)
			}
			if p := units[u.ParentCode]; p != nil && !p.OpenOn(u.FoundedOn) {
				fail("unit %s founded on %s under %s, closed then", u.Code, u.FoundedOn, p.Code)
			}
			if !u.DissolvedOn.IsZero() && (u.DissolvedOn < u.FoundedOn || u.DissolvedOn > DataEnd) {
				fail("unit %s dissolved on %s", u.Code, u.DissolvedOn)
			}
			own := u.Ownership
			if u.EnterpriseTaxCode != "" {
				e := ents[u.EnterpriseTaxCode]
				if e == nil {
					fail("unit %s: no enterprise %s", u.Code, u.EnterpriseTaxCode)
				} else {
					if own != "" && own != e.Ownership {
						fail("unit %s is %s, its enterprise %s", u.Code, own, e.Ownership)
					}
					if e.UnitCode != u.ParentCode {
						fail("unit %s: enterprise answers to %s", u.Code, e.UnitCode)
					}
					own = e.Ownership
				}
			}
			switch own {
			case domain.OwnState, domain.OwnPrivate, domain.OwnFDI, domain.OwnPublic, domain.OwnCooperative, domain.OwnInformal:
			default:
				fail("unit %s: ownership %q", u.Code, own)
			}
			if u.DecisionNo != "" && !strings.Contains(u.DecisionNo, "/QĐ-") {
				fail("unit %s: decision %q", u.Code, u.DecisionNo)
			}
		case domain.KindFederation, domain.KindUpper:
			if u.Ownership != "" || u.EnterpriseTaxCode != "" {
				fail("upper unit %s has an ownership", u.Code)
			}
		default:
			fail("unit %s: kind %q", u.Code, u.Kind)
		}
		units[u.Code] = u
		ids[u.ID] = u
	}
	for _, e := range d.Enterprises {
		if u := units[e.UnitCode]; u == nil || u.Kind == domain.KindGrassroots {
			fail("enterprise %s: unit %s", e.TaxCode, e.UnitCode)
		}
	}

	members := map[string]*domain.Member{}
	for i := range d.Members {
		m := &d.Members[i]
		if err := domain.ValidateNationalID(m.NationalID, m.IDType, m.DateOfBirth, m.Gender); err != nil {
			fail("member %s: %v", m.FullName, err)
		}
		if members[m.NationalID] != nil {
			fail("national ID %s twice", m.NationalID)
		}
		members[m.NationalID] = m
		if !vietnamese(m.FullName) || len(strings.Fields(m.FullName)) < 3 {
			fail("member %s: name %q", m.NationalID, m.FullName)
		}
		if m.Gender != "male" && m.Gender != "female" {
			fail("member %s: gender %q", m.NationalID, m.Gender)
		}
		if m.JoinedHow != domain.JoinedAdmitted && m.JoinedHow != domain.JoinedTransferred {
			fail("member %s: joined_how %q", m.NationalID, m.JoinedHow)
		}
		y, mo, dd := m.DateOfBirth.Parts()
		if m.DateOfBirth.IsZero() || domain.NewDate(y+15, mo, dd) > m.JoinedOn {
			fail("member %s born %s is under 15 on %s", m.NationalID, m.DateOfBirth, m.JoinedOn)
		}
		if m.JoinedOn.IsZero() || m.JoinedOn > DataEnd {
			fail("member %s joined on %s", m.NationalID, m.JoinedOn)
		}
		u := units[m.UnitCode]
		if u == nil || u.ID != m.UnitID || u.Kind != domain.KindGrassroots || !u.OpenOn(m.JoinedOn) {
			fail("member %s: unit %s not a grassroots unit open on %s", m.NationalID, m.UnitCode, m.JoinedOn)
		}
		if !m.LeftOn.IsZero() && (m.LeftOn <= m.JoinedOn || m.LeftOn > DataEnd) {
			fail("member %s: left on %s, joined %s", m.NationalID, m.LeftOn, m.JoinedOn)
		}
		if p := m.PartyIntroducedOn; !p.IsZero() && (!m.ActiveOn(p) || p > DataEnd) {
			fail("member %s: introduced on %s, not a member then", m.NationalID, p)
		}
	}

	byMember := d.World().Transfers
	seen := map[string]bool{}
	for _, tr := range d.Transfers {
		m := members[tr.NationalID]
		if m == nil {
			fail("transfer of unknown %s", tr.NationalID)
			continue
		}
		key := tr.NationalID + tr.Date.String()
		if seen[key] {
			fail("transfer %s twice", key)
		}
		seen[key] = true
		u := units[tr.ToUnitCode]
		if u == nil || u.ID != tr.ToUnitID || u.Kind != domain.KindGrassroots || !u.OpenOn(tr.Date) {
			fail("transfer of %s to %s on %s: not an open grassroots unit", tr.NationalID, tr.ToUnitCode, tr.Date)
		}
		if !m.ActiveOn(tr.Date-1) || (!m.LeftOn.IsZero() && tr.Date >= m.LeftOn) || tr.Date > DataEnd {
			fail("transfer of %s on %s: joined %s, left %s", tr.NationalID, tr.Date, m.JoinedOn, m.LeftOn)
		}
	}
	// Every spell lies in a unit open for all of it.
	for i := range d.Members {
		m := &d.Members[i]
		for _, s := range engine.Spells(m, byMember[m.NationalID]) {
			u := ids[s.UnitID]
			last := s.To - 1
			if s.To.IsZero() {
				last = DataEnd
			}
			if !u.OpenOn(s.From) || !u.OpenOn(last) {
				fail("member %s is in %s from %s to %s, outside its life", m.NationalID, u.Code, s.From, last)
			}
		}
	}

	plans := map[string]domain.Plan{}
	for _, p := range d.Plans {
		if _, ok := plans[p.Code]; ok || p.UnitCode != RootCode || p.End < p.Start {
			fail("plan %+v", p)
		}
		plans[p.Code] = p
	}
	keys := map[domain.Target]bool{}
	for _, tg := range d.Targets {
		p, ok := plans[tg.PlanCode]
		if !ok || units[tg.UnitCode] == nil || engine.Index(tg.Indicator) < 0 || tg.Target < 0 {
			fail("target %+v", tg)
			continue
		}
		// Targets go to the city and to units open during the plan.
		if u := units[tg.UnitCode]; !u.OpenOn(p.Start) && !u.OpenOn(p.End) && !(u.FoundedOn > p.Start && u.FoundedOn <= p.End) {
			fail("target of %s for %s, closed all the plan", tg.UnitCode, tg.PlanCode)
		}
		k := tg
		k.Target = 0
		if keys[k] {
			fail("target %+v twice", tg)
		}
		keys[k] = true
	}
	for _, c := range d.Campaigns {
		if p, ok := plans[c.PlanCode]; !ok || c.Start < p.Start || c.End > p.End {
			fail("campaign %+v", c)
		}
	}

	// Moves (docs/import-formats.md, moves.csv): the unit open on the day and founded
	// before it, the new parent a federation or upper unit open on the
	// day; one move per unit and day.
	seenMove := map[string]bool{}
	for _, mv := range d.Moves {
		u, p := units[mv.UnitCode], units[mv.NewParentCode]
		if u == nil || p == nil {
			fail("move %+v: unknown unit", mv)
			continue
		}
		if !u.OpenOn(mv.MovedOn) || (!u.FoundedOn.IsZero() && mv.MovedOn <= u.FoundedOn) || mv.MovedOn > DataEnd {
			fail("move of %s on %s: founded %s, dissolved %s", u.Code, mv.MovedOn, u.FoundedOn, u.DissolvedOn)
		}
		if p.Kind == domain.KindGrassroots || !p.OpenOn(mv.MovedOn) {
			fail("move of %s under %s (%s), not open on %s", u.Code, p.Code, p.Kind, mv.MovedOn)
		}
		if mv.UnitID != u.ID || mv.NewParentID != p.ID || !strings.Contains(mv.DecisionNo, "/QĐ-") {
			fail("move %+v", mv)
		}
		key := mv.UnitCode + mv.MovedOn.String()
		if seenMove[key] {
			fail("move %s twice", key)
		}
		seenMove[key] = true
	}
	// Every spell lies in a unit open under a parent open on each of its
	// days: nobody is left in a unit of a dissolved district.
	parentOn := func(u *domain.Unit, day domain.Date) *domain.Unit {
		p := units[u.ParentCode]
		for _, mv := range d.Moves {
			if mv.UnitCode == u.Code && mv.MovedOn <= day {
				p = units[mv.NewParentCode]
			}
		}
		return p
	}
	for _, u := range d.Units {
		if u.Kind != domain.KindGrassroots || u.FoundedOn.IsZero() {
			continue
		}
		last := DataEnd
		if !u.DissolvedOn.IsZero() {
			last = u.DissolvedOn - 1
		}
		for _, day := range []domain.Date{u.FoundedOn, ReformDay - 1, ReformDay, last} {
			if day < u.FoundedOn || day > last {
				continue
			}
			if p := parentOn(&u, day); !p.OpenOn(day) {
				fail("unit %s is under %s on %s, which is closed then", u.Code, p.Code, day)
			}
		}
	}
}

// TestStory: the details the report tells are in the data.
func TestStory(t *testing.T) {
	t.Parallel()
	d, units := built, builtUnits
	for code, name := range map[string]string{
		"HN": "Liên đoàn Lao động thành phố Hà Nội", "HN-BD": "LĐLĐ quận Ba Đình", "HN-CG": "LĐLĐ quận Cầu Giấy",
		"HN-ML": "LĐLĐ huyện Mê Linh", "HN-ST": "LĐLĐ thị xã Sơn Tây", "HN-GTVT": "Công đoàn ngành Giao thông vận tải Hà Nội",
		"HN-KCN": "Công đoàn các Khu công nghiệp và chế xuất Hà Nội",
	} {
		if u := units[code]; u == nil || u.Name != name {
			t.Errorf("unit %s: %v, want %q", code, u, name)
		}
	}
	nDistricts := 0
	for _, u := range d.Units {
		if u.Kind == domain.KindUpper && strings.HasPrefix(u.Name, "LĐLĐ ") {
			nDistricts++
		}
	}
	if nDistricts != 30 {
		t.Errorf("%d district federations, want 30", nDistricts)
	}

	// The ride-hailing drivers' union of 2022 with over 50 members.
	var drivers *domain.Unit
	for i := range d.Units {
		if strings.Contains(d.Units[i].Name, "lái xe ô tô công nghệ") {
			drivers = &d.Units[i]
		}
	}
	if drivers == nil || drivers.ParentCode != "HN-GTVT" || drivers.Ownership != domain.OwnInformal || drivers.FoundedOn.Year() != 2022 {
		t.Fatalf("ride-hailing union: %+v", drivers)
	}
	n := 0
	for _, m := range d.Members {
		if m.UnitCode == drivers.Code && m.ActiveOn(AsOf) {
			n++
		}
	}
	if n <= 50 {
		t.Errorf("the ride-hailing union has %d members", n)
	}

	// The gap list: in every district, enterprises of 25+ workers with no
	// union.
	linked := map[string]bool{}
	for _, u := range d.Units {
		linked[u.EnterpriseTaxCode] = true
	}
	gaps := map[string]int{}
	for _, e := range d.Enterprises {
		if !linked[e.TaxCode] && e.Employees >= 25 {
			gaps[e.UnitCode]++
		}
	}
	for _, u := range d.Units {
		if strings.HasPrefix(u.Name, "LĐLĐ ") && gaps[u.Code] == 0 {
			t.Errorf("%s has no enterprise without a union", u.Code)
		}
	}

	if n := len(d.Members); n < 60000 || n > 80000 {
		t.Errorf("%d members", n)
	}
}

// TestWardTable: every former ward and commune of every district names
// the new ward or commune that took it over, and the names are those of
// 2025.
func TestWardTable(t *testing.T) {
	t.Parallel()
	tab := parseWards()
	for _, d := range districts {
		for _, p := range d.places {
			if tab.at[[2]string{d.code, p.name}] == nil {
				t.Errorf("%s: no new ward for %s", d.code, p)
			}
		}
		if tab.first[d.code] == nil {
			t.Errorf("%s has no ward", d.code)
		}
	}
	codes := map[string]bool{}
	for _, w := range tab.wards {
		if (w.prefix != "phường" && w.prefix != "xã") || !vietnamese(w.name) || !domain.ValidCode(w.code) || codes[w.code] {
			t.Errorf("ward %+v", *w)
		}
		codes[w.code] = true
	}
	if n := len(tab.wards); n < 60 || n > 126 {
		t.Errorf("%d wards and communes", n)
	}
	for _, c := range []string{"HN-P-BADINH", "HN-P-HOANKIEM", "HN-P-CAUGIAY", "HN-P-HADONG", "HN-X-SOCSON", "HN-P-VANMIEUQUOCTUGIAM"} {
		if !codes[c] {
			t.Errorf("no ward %s", c)
		}
	}
}

// TestReform: the 2025 reorganisation is in the data: the district
// federations and the industrial-zones union dissolved on 1 July 2025, the
// ward and commune unions founded that day, every open unit of theirs moved
// under a ward or under the city; the sector unions stay.
func TestReform(t *testing.T) {
	t.Parallel()
	d, units := built, builtUnits
	moved := map[string]domain.Move{}
	for _, m := range d.Moves {
		if m.MovedOn != ReformDay {
			t.Errorf("move %+v not on the reform day", m)
		}
		moved[m.UnitCode] = m
	}
	wards, dissolved := 0, 0
	for _, u := range d.Units {
		switch {
		case u.Kind == domain.KindUpper && strings.HasPrefix(u.Name, "LĐLĐ ") || u.Code == KCNCode:
			if u.DissolvedOn != ReformDay {
				t.Errorf("%s dissolved on %s", u.Code, u.DissolvedOn)
			}
			dissolved++
		case u.Kind == domain.KindUpper && (strings.HasPrefix(u.Code, "HN-P-") || strings.HasPrefix(u.Code, "HN-X-")):
			if u.FoundedOn != ReformDay || u.ParentCode != RootCode || !u.DissolvedOn.IsZero() ||
				!(strings.HasPrefix(u.Name, "Công đoàn phường ") || strings.HasPrefix(u.Name, "Công đoàn xã ")) {
				t.Errorf("ward union %+v", u)
			}
			wards++
		case u.Kind == domain.KindUpper:
			if !u.DissolvedOn.IsZero() {
				t.Errorf("%s dissolved", u.Code)
			}
		case u.Kind == domain.KindGrassroots:
			p := units[u.ParentCode]
			m, ok := moved[u.Code]
			must := !p.DissolvedOn.IsZero() && u.FoundedOn < ReformDay && u.OpenOn(ReformDay)
			if must != ok {
				t.Errorf("unit %s under %s: moved %v", u.Code, p.Code, ok)
			}
			if ok && p.Code == KCNCode && m.NewParentCode != RootCode {
				t.Errorf("industrial-zone union %s moved to %s", u.Code, m.NewParentCode)
			}
			if ok && p.Code != KCNCode && !strings.HasPrefix(units[m.NewParentCode].Name, "Công đoàn phường ") &&
				!strings.HasPrefix(units[m.NewParentCode].Name, "Công đoàn xã ") {
				t.Errorf("unit %s of %s moved to %s", u.Code, p.Code, m.NewParentCode)
			}
		}
	}
	if dissolved != 31 || wards < 60 || len(d.Moves) < 700 {
		t.Errorf("%d upper units dissolved, %d wards, %d moves", dissolved, wards, len(d.Moves))
	}
	for code, name := range map[string]string{"HN-P-BADINH": "Công đoàn phường Ba Đình", "HN-X-SOCSON": "Công đoàn xã Sóc Sơn",
		"HN-P-HOANKIEM": "Công đoàn phường Hoàn Kiếm", "HN-P-CAUGIAY": "Công đoàn phường Cầu Giấy", "HN-P-HADONG": "Công đoàn phường Hà Đông"} {
		if u := units[code]; u == nil || u.Name != name {
			t.Errorf("unit %s: %v, want %q", code, u, name)
		}
	}

	// Activity every year, before and after the reform.
	type count struct{ admitted, transferredIn, transfers, party, founded, left int }
	byHalf := map[string]*count{}
	half := func(day domain.Date) *count {
		k := fmt.Sprintf("%d", day.Year())
		if day.Year() == 2025 {
			k += map[bool]string{true: "a", false: "b"}[day < ReformDay]
		}
		if byHalf[k] == nil {
			byHalf[k] = &count{}
		}
		return byHalf[k]
	}
	for _, m := range d.Members {
		if m.JoinedHow == domain.JoinedAdmitted {
			half(m.JoinedOn).admitted++
		} else {
			half(m.JoinedOn).transferredIn++
		}
		if !m.PartyIntroducedOn.IsZero() {
			half(m.PartyIntroducedOn).party++
		}
		if !m.LeftOn.IsZero() {
			half(m.LeftOn).left++
		}
	}
	for _, tr := range d.Transfers {
		half(tr.Date).transfers++
	}
	for _, u := range d.Units {
		if u.Kind == domain.KindGrassroots {
			half(u.FoundedOn).founded++
		}
	}
	for _, k := range []string{"2023", "2024", "2025a", "2025b", "2026"} {
		c := byHalf[k]
		if c == nil || c.admitted < 500 || c.transferredIn == 0 || c.transfers < 50 || c.party < 300 || c.founded < 15 || c.left < 100 {
			t.Errorf("%s: %+v", k, c)
		}
		t.Logf("%s: %+v", k, c)
	}

	// The plans of the later years, the current one last.
	var codes []string
	for _, p := range d.Plans {
		codes = append(codes, p.Code)
	}
	if !reflect.DeepEqual(codes, []string{PlanCode, Plan2023Code, Plan2024Code, Plan2025Code, Plan2026Code}) {
		t.Errorf("plans %v", codes)
	}
	if p := d.Plans[len(d.Plans)-1]; p.Code != CurrentPlanCode || p.Start > DataEnd || p.End < DataEnd {
		t.Errorf("current plan %+v", p)
	}
}

// reportOf computes a report from the data the reference way.
func reportOf(d *Data, plan, unit string, asOf domain.Date) *engine.Report {
	var p domain.Plan
	for _, x := range d.Plans {
		if x.Code == plan {
			p = x
		}
	}
	in := engine.FromWorld(d.World(), engine.Query{Plan: p, AsOf: asOf}, unit)
	if in == nil {
		return nil
	}
	return engine.Compute(in)
}

// TestReformReports: the 2025 report of the city lists the districts and
// the industrial-zones union (dissolved in the year) and the wards (founded
// in it), with the targets cascaded over them; the 2024 report of a
// district does not change with the moves.
func TestReformReports(t *testing.T) {
	t.Parallel()
	d := built
	r := reportOf(d, Plan2025Code, RootCode, ReformAsOf)
	children := map[string]bool{}
	for _, c := range r.Children {
		children[c.Unit.Code] = true
	}
	for _, c := range []string{"HN-BD", KCNCode, "HN-GTVT", "HN-P-BADINH", "HN-X-SOCSON"} {
		if !children[c] {
			t.Errorf("the 2025 report of HN lacks %s", c)
		}
	}
	for _, ind := range r.Indicators {
		if ind.Target == nil || *ind.Target <= 0 || ind.Actual <= 0 && ind.Code != domain.MembersNetGrowth {
			t.Errorf("2025 %s: %d of %v", ind.Code, ind.Actual, ind.Target)
		}
		if ind.Unassigned == nil || *ind.Unassigned < 0 {
			t.Errorf("2025 %s: unassigned %v", ind.Code, ind.Unassigned)
		}
		t.Logf("HN 2025: %s %d/%d", ind.Code, ind.Actual, *ind.Target)
	}
	r26 := reportOf(d, CurrentPlanCode, RootCode, DataEnd)
	for _, c := range r26.Children {
		if strings.HasPrefix(c.Unit.Name, "LĐLĐ ") || c.Unit.Code == KCNCode {
			t.Errorf("the 2026 report lists %s, dissolved in 2025", c.Unit.Code)
		}
	}

	noMoves := *d
	noMoves.Moves = nil
	for _, unit := range []string{"HN-CG", "HN-DA", RootCode} {
		before := reportOf(&noMoves, Plan2024Code, unit, domain.NewDate(2024, time.December, 31))
		after := reportOf(d, Plan2024Code, unit, domain.NewDate(2024, time.December, 31))
		if !reflect.DeepEqual(before, after) {
			t.Errorf("the 2024 report of %s changes with the moves", unit)
		}
		if n := summary.Indicator(after, domain.MembersAdmitted).Actual; n == 0 {
			t.Errorf("2024 %s: nobody admitted", unit)
		}
	}
}

// TestStoreReports loads the demo into a store, first without the moves:
// the 2024 reports of a district and of the city do not change when the
// moves are recorded, and the store's reports (the 2025 one of the city
// and of a ward above all) are those of the member-by-member reference.
func TestStoreReports(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the whole demo")
	}
	d := built
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		ctx := context.Background()
		noMoves := *d
		noMoves.Moves = nil
		if err := LoadData(ctx, st, &noMoves); err != nil {
			t.Fatal(err)
		}
		type query struct {
			plan, unit string
			asOf       domain.Date
		}
		get := func(q query) string {
			t.Helper()
			p, err := st.Plan(ctx, q.plan)
			if err != nil {
				t.Fatal(err)
			}
			u, err := st.Unit(ctx, q.unit)
			if err != nil {
				t.Fatal(err)
			}
			in, err := st.ReportInput(ctx, engine.Query{Plan: *p, AsOf: q.asOf}, u)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			b, _ := json.Marshal(engine.Compute(in))
			return string(b)
		}
		end24 := domain.NewDate(2024, time.December, 31)
		unchanged := []query{{Plan2024Code, "HN-CG", end24}, {Plan2024Code, KCNCode, end24}, {Plan2024Code, RootCode, end24},
			{Plan2025Code, "HN-HD", ReformDay - 1}}
		before := map[query]string{}
		for _, q := range unchanged {
			before[q] = get(q)
		}
		if err := SaveMoves(ctx, st, d); err != nil {
			t.Fatal(err)
		}
		for _, q := range unchanged {
			if got := get(q); got != before[q] {
				t.Errorf("%+v changes with the moves:\nbefore %s\n after %s", q, before[q], got)
			}
		}
		w := d.World()
		for _, q := range append(unchanged,
			query{Plan2025Code, RootCode, ReformAsOf}, query{Plan2025Code, "HN-P-CAUGIAY", ReformAsOf},
			query{Plan2025Code, "HN-CG", ReformAsOf}, query{Plan2025Code, RootCode, ReformDay},
			query{CurrentPlanCode, RootCode, DataEnd}, query{PlanCode, RootCode, AsOf}) {
			got := get(q)
			p, _ := st.Plan(ctx, q.plan)
			want, _ := json.Marshal(engine.Compute(engine.FromWorld(w, engine.Query{Plan: *p, AsOf: q.asOf}, q.unit)))
			if got != string(want) {
				t.Errorf("%+v: the store gives\n%s\nthe reference\n%s", q, got, want)
			}
		}
		for _, q := range []query{{Plan2025Code, RootCode, ReformAsOf}, {Plan2025Code, "HN-P-CAUGIAY", ReformAsOf}} {
			var r engine.Report
			json.Unmarshal([]byte(get(q)), &r)
			var line []string
			for _, ind := range r.Indicators {
				tg := "-"
				if ind.Target != nil {
					tg = fmt.Sprint(*ind.Target)
				}
				line = append(line, fmt.Sprintf("%s %d/%s", ind.Code, ind.Actual, tg))
			}
			t.Logf("%s %s as of %s: %s; %d children", q.plan, q.unit, q.asOf, strings.Join(line, ", "), len(r.Children))
		}
	})
}

// TestUnitCodes: the units of an upper unit are numbered from 001 on,
// without gaps.
func TestUnitCodes(t *testing.T) {
	t.Parallel()
	next := map[string]int{}
	for _, u := range built.Units {
		if u.Kind != domain.KindGrassroots {
			continue
		}
		i := strings.LastIndexByte(u.Code, '-')
		prefix := u.Code[:i]
		next[prefix]++
		if want := fmt.Sprintf("%s-%03d", prefix, next[prefix]); u.Code != want {
			t.Errorf("unit %s, want %s", u.Code, want)
		}
	}
}
