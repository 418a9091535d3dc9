package demo

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

// built is shared by the tests that only read the data.
var built = Build()

func report(t *testing.T, d *Data, campaign *domain.Campaign) *engine.Report {
	t.Helper()
	q := engine.Query{Plan: d.Plan(), Campaign: campaign, AsOf: AsOf}
	in := engine.FromWorld(d.World(), q, RootCode)
	if in == nil {
		t.Fatalf("no unit %s", RootCode)
	}
	return engine.Compute(in)
}

func indicator(r *engine.Report, code string) engine.Indicator {
	for _, ind := range r.Indicators {
		if ind.Code == code {
			return ind
		}
	}
	return engine.Indicator{}
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
	if r.Window.Start != planStart || r.Window.End != AsOf {
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
		ind := indicator(r, w.code)
		if ind.Actual != w.actual {
			t.Errorf("%s: actual %d, want %d", w.code, ind.Actual, w.actual)
		}
		if ind.Target == nil || *ind.Target != w.target {
			t.Errorf("%s: target %v, want %d", w.code, ind.Target, w.target)
		}
	}
	net := indicator(r, domain.MembersNetGrowth)
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
	may := &domain.Campaign{Code: "MAY", Name: "Tháng 5", PlanCode: PlanCode, Start: mayStart, End: mayEnd}
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
	if got := indicator(r, domain.UnionsFounded).Actual; got != WantUnionsFoundedMay {
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
			indicator(r, domain.UnionsFounded).Actual, indicator(r, domain.MembersAdmitted).Actual)
	}
	p := built.Plan()
	if p.Code != PlanCode || p.UnitCode != RootCode || p.Start != planStart || p.End != planEnd || p.Threshold != 25 {
		t.Errorf("plan %+v", p)
	}
}

// TestDeterministic: two builds give the same data.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	if !reflect.DeepEqual(Build(), Build()) {
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

// TestRecordsValid: every record obeys the import rules of DATA.md, and
// nothing happens after the data date.
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
			if u.FoundedOn.IsZero() || u.FoundedOn > AsOf {
				fail("unit %s founded on %s", u.Code, u.FoundedOn)
			}
			if !u.DissolvedOn.IsZero() && (u.DissolvedOn < u.FoundedOn || u.DissolvedOn > AsOf) {
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
		if m.JoinedOn.IsZero() || m.JoinedOn > AsOf {
			fail("member %s joined on %s", m.NationalID, m.JoinedOn)
		}
		u := units[m.UnitCode]
		if u == nil || u.ID != m.UnitID || u.Kind != domain.KindGrassroots || !u.OpenOn(m.JoinedOn) {
			fail("member %s: unit %s not a grassroots unit open on %s", m.NationalID, m.UnitCode, m.JoinedOn)
		}
		if !m.LeftOn.IsZero() && (m.LeftOn <= m.JoinedOn || m.LeftOn > AsOf) {
			fail("member %s: left on %s, joined %s", m.NationalID, m.LeftOn, m.JoinedOn)
		}
		if p := m.PartyIntroducedOn; !p.IsZero() && (!m.ActiveOn(p) || p > AsOf) {
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
		if !m.ActiveOn(tr.Date-1) || (!m.LeftOn.IsZero() && tr.Date >= m.LeftOn) || tr.Date > AsOf {
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
				last = AsOf
			}
			if !u.OpenOn(s.From) || !u.OpenOn(last) {
				fail("member %s is in %s from %s to %s, outside its life", m.NationalID, u.Code, s.From, last)
			}
		}
	}

	for _, tg := range d.Targets {
		if tg.PlanCode != PlanCode || units[tg.UnitCode] == nil || domain.IndicatorIndex(tg.Indicator) < 0 || tg.Target < 0 {
			fail("target %+v", tg)
		}
	}
}

// TestStory: the details the report tells are in the data.
func TestStory(t *testing.T) {
	t.Parallel()
	d := built
	units := map[string]*domain.Unit{}
	for i := range d.Units {
		units[d.Units[i].Code] = &d.Units[i]
	}
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

	if n := len(d.Members); n < 40000 || n > 65000 {
		t.Errorf("%d members", n)
	}
}
