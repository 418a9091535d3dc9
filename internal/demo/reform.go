package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

// The years after the report: the data go on from the day after AsOf to
// DataEnd, with plans HN-2023 to HN-2026 and, on ReformDay, the 2025
// reorganisation: the 30 district federations and the industrial-zones
// union dissolved, ward and commune unions founded, and the grassroots
// unions moved (Data.Moves) under the new wards, or straight under the city
// federation for those of the industrial zones.
var (
	ReformDay = domain.NewDate(2025, time.July, 1)
	// ReformAsOf is the as-of date of the reform year's report, printed by
	// `congdoan demo`.
	ReformAsOf = domain.NewDate(2025, time.December, 31)
	// DataEnd is the last day of the data: nothing happens after it.
	DataEnd = domain.NewDate(2026, time.November, 30)
)

// Plans of the later years; CurrentPlanCode is the one under way at the
// end of the data, where a first-time user lands.
const (
	Plan2023Code    = "HN-2023"
	Plan2024Code    = "HN-2024"
	Plan2025Code    = "HN-2025"
	Plan2026Code    = "HN-2026"
	CurrentPlanCode = Plan2026Code
	// KCNCode is the industrial-zones union, dissolved on ReformDay.
	KCNCode = "HN-KCN"
	// ReformDecision founded the ward unions and moved the industrial-zone
	// unions under the city federation.
	ReformDecision = "1195/QĐ-LĐLĐ"
)

// node is an upper unit the later years found grassroots unions under: a
// union of 2022, a ward or commune union, or the city federation itself.
type node struct {
	code     string // its code; prefix is the prefix of its units' codes
	prefix   string
	id       int64
	up       *upper
	ward     *ward
	kind     sectorKind
	decision string
	perf     float64
	grass    []*grass
	next     int // number of the next unit code
	year     int // decisions are numbered per year
	seq      int
	from, to domain.Date // open over [from, to); zero: always
	weight   float64     // how many unions it founds
}

func (n *node) openIn(lo, hi domain.Date) bool {
	return (n.from.IsZero() || n.from <= hi) && (n.to.IsZero() || n.to > lo)
}

// period is a stretch of the later years with its volume of activity.
type period struct {
	start, end domain.Date
	// admitted into existing unions, unions founded, transfers, party
	// introductions, unions dissolved, and the share of members who leave.
	admit, found, transfers, party, dissolve int
	leave                                    float64
}

var laterPeriods = []period{
	{domain.NewDate(2022, time.July, 9), domain.NewDate(2022, time.December, 31), 1700, 32, 90, 650, 1, 0.018},
	{domain.NewDate(2023, time.January, 1), domain.NewDate(2023, time.December, 31), 2100, 44, 160, 900, 2, 0.035},
	{domain.NewDate(2024, time.January, 1), domain.NewDate(2024, time.December, 31), 2200, 48, 170, 950, 2, 0.035},
	{domain.NewDate(2025, time.January, 1), domain.NewDate(2025, time.June, 30), 1000, 22, 80, 420, 1, 0.018},
	{ReformDay, domain.NewDate(2025, time.December, 31), 1300, 30, 110, 560, 1, 0.018},
	{domain.NewDate(2026, time.January, 1), DataEnd, 2100, 44, 150, 880, 2, 0.032},
}

// later is the state of the generator of the later years.
type later struct {
	b      *builder
	nodes  []*node
	byCode map[string]*node
	root   *node
	wards  *wardTable
	moved  map[*grass]*node // the new parent of a unit moved on ReformDay
	all    []*grass
	fresh  []*grass      // the units founded after AsOf
	last   []domain.Date // per member: the day of its last event
	// ach is what each direct child of HN achieved, per year and indicator
	// ("HN" for the units right under the city), to share out the targets.
	ach map[int]map[string]map[string]float64
}

// laterYears generates everything after AsOf. It draws from a random
// source of its own, so that the 2022 data stay as they were.
func (b *builder) laterYears() {
	b.r = rand.New(rand.NewPCG(20250701, 126))
	x := &later{b: b, byCode: map[string]*node{}, moved: map[*grass]*node{}, wards: parseWards(),
		ach: map[int]map[string]map[string]float64{}}
	x.root = &node{code: RootCode, prefix: "HN-G", id: 1, kind: secZones, decision: "QĐ-LĐLĐ", perf: 1, next: 1, from: ReformDay}
	for _, u := range b.uppers {
		n := &node{code: u.code, prefix: u.code, id: u.id, up: u, kind: u.kind(), decision: u.decision,
			perf: u.performance, grass: append([]*grass(nil), u.grass...), next: len(u.grass) + 1}
		n.weight = float64(u.quota().founded) + 2
		switch {
		case u.dist != nil || u.code == KCNCode:
			n.to = ReformDay
		case u.sec.kind == secCorpTransport || u.sec.kind == secCorpTourism:
			n.weight = 0.4
		}
		x.add(n)
	}
	x.all = append(x.all, b.grass...)
	x.last = make([]domain.Date, len(b.d.Members))
	index := make(map[string]int, len(b.d.Members))
	for i := range b.d.Members {
		m := &b.d.Members[i]
		index[m.NationalID] = i
		x.last[i] = max(m.JoinedOn, m.LeftOn, m.PartyIntroducedOn)
	}
	for _, t := range b.d.Transfers {
		i := index[t.NationalID]
		x.last[i] = max(x.last[i], t.Date)
	}
	for _, p := range laterPeriods {
		if p.start == ReformDay {
			x.reform()
		}
		x.period(p)
	}
	x.enterprises()
	x.plans()
}

func (x *later) add(n *node) {
	x.nodes = append(x.nodes, n)
	x.byCode[n.code] = n
}

func (x *later) bump(year int, child, ind string, v float64) {
	if x.ach[year] == nil {
		x.ach[year] = map[string]map[string]float64{}
	}
	if x.ach[year][child] == nil {
		x.ach[year][child] = map[string]float64{}
	}
	x.ach[year][child][ind] += v
}

// parentOn is the upper unit a grassroots unit is under on day d.
func (x *later) parentOn(g *grass, d domain.Date) *node {
	if n := x.moved[g]; n != nil && d >= ReformDay {
		return n
	}
	if g.parent != nil {
		return g.parent
	}
	return x.byCode[g.up.code]
}

func openOn(g *grass, d domain.Date) bool {
	return g.founded <= d && (g.dissolved.IsZero() || d < g.dissolved)
}

// span draws a working day in [lo, hi], or reports that it is empty.
func (x *later) span(lo, hi domain.Date) (domain.Date, bool) {
	if hi < lo {
		return 0, false
	}
	return x.b.day(lo, hi), true
}

// reform founds the ward unions, dissolves the district federations and
// the industrial-zones union, and moves their open grassroots unions.
func (x *later) reform() {
	b := x.b
	for i, w := range x.wards.wards {
		w.decision = fmt.Sprintf("%d/QĐ-LĐLĐ", 1196+i)
		name := "Công đoàn " + w.String()
		b.usedNm[name] = true
		n := &node{code: w.code, prefix: w.code, id: int64(len(b.d.Units) + 1), ward: w, kind: secDistrict,
			decision: "QĐ-CĐ", perf: 0.8 + 0.5*b.r.Float64(), next: 1, from: ReformDay}
		w.node = n
		x.add(n)
		b.d.Units = append(b.d.Units, domain.Unit{ID: n.id, Code: n.code, Name: name, ParentID: 1, ParentCode: RootCode,
			Kind: domain.KindUpper, FoundedOn: ReformDay, DecisionNo: w.decision, Method: domain.MethodStandard})
	}
	x.add(x.root)
	for _, u := range b.uppers {
		if u.dist == nil && u.code != KCNCode {
			continue
		}
		b.d.Units[u.id-1].DissolvedOn = ReformDay
		for _, g := range x.byCode[u.code].grass {
			if g.founded >= ReformDay || !openOn(g, ReformDay) {
				continue
			}
			to, decision := x.root, ReformDecision
			if u.dist != nil {
				w := x.wards.of(u.dist, g.where)
				to, decision = w.node, w.decision
			}
			x.moved[g] = to
			to.grass = append(to.grass, g)
			b.d.Moves = append(b.d.Moves, domain.Move{UnitID: g.id, UnitCode: g.code, NewParentID: to.id,
				NewParentCode: to.code, MovedOn: ReformDay, DecisionNo: decision})
		}
	}
	// New unions: a ward founds about as many as the unions it took over.
	for _, n := range x.nodes {
		if n.ward != nil {
			n.weight = float64(len(n.grass))/3 + 0.5
		}
	}
	x.root.weight = 24
}

// period generates one stretch of the later years, in an order that keeps
// every member's events after the previous ones.
func (x *later) period(p period) {
	b := x.b
	// The unions that close in the period: old private unions of the
	// districts, whose enterprises shut down.
	var closing []*grass
	for _, i := range b.r.Perm(len(x.all)) {
		if len(closing) == p.dissolve {
			break
		}
		g := x.all[i]
		if g.later || g.kind != orgPrivate || g.up.dist == nil || g.founded.Year() > 2016 || !g.dissolved.IsZero() {
			continue
		}
		lo := p.start
		if lo == ReformDay {
			lo++ // a unit moved on ReformDay is dissolved after it
		}
		g.dissolved = b.day(lo, p.end)
		b.d.Units[g.id-1].DissolvedOn = g.dissolved
		closing = append(closing, g)
	}

	// New unions and their members.
	var open []*node
	var weights []float64
	for _, n := range x.nodes {
		if n.openIn(p.start, p.end) && n.weight > 0 {
			open = append(open, n)
			weights = append(weights, n.weight)
		}
	}
	for range p.found {
		n := open[pickWeighted(b, weights)]
		lo := max(p.start, n.from)
		hi := p.end
		if !n.to.IsZero() {
			hi = min(hi, n.to-1)
		}
		day, ok := x.span(lo, hi)
		if !ok {
			continue
		}
		x.found(n, day)
	}

	// Admissions into the unions already there.
	active := map[*grass]int{}
	for i := range b.d.Members {
		if m := &b.d.Members[i]; m.ActiveOn(p.start) {
			active[b.info[i].cur]++
		}
	}
	var cands []*grass
	weights = weights[:0]
	for _, g := range x.all {
		if g.founded <= p.end && (g.dissolved.IsZero() || g.dissolved > max(p.start, g.founded)) && (active[g] > 0 || g.later) {
			cands = append(cands, g)
			weights = append(weights, float64(active[g])+8)
		}
	}
	cum := cumulate(weights)
	for range p.admit {
		g := cands[pickCumulative(b, cum)]
		hi := p.end
		if !g.dissolved.IsZero() {
			hi = min(hi, g.dissolved-1)
		}
		day, ok := x.span(max(p.start, g.founded), hi)
		if !ok {
			continue
		}
		x.admit(g, day, b.chance(0.06))
	}

	// Party introductions, transfers, leavers.
	n := 0
	for _, i := range b.r.Perm(len(b.d.Members)) {
		if n == p.party {
			break
		}
		m := &b.d.Members[i]
		if !m.LeftOn.IsZero() || !m.PartyIntroducedOn.IsZero() {
			continue
		}
		cur := b.info[i].cur
		hi := p.end
		if !cur.dissolved.IsZero() {
			hi = min(hi, cur.dissolved-1)
		}
		day, ok := x.span(max(p.start, x.last[i]+1, m.JoinedOn+45), hi)
		if !ok {
			continue
		}
		m.PartyIntroducedOn = day
		x.last[i] = day
		x.bump(day.Year(), x.childOf(cur, day), domain.PartyIntroductions, 1)
		n++
	}
	n = 0
	for _, i := range b.r.Perm(len(b.d.Members)) {
		if n == p.transfers {
			break
		}
		if x.moveMember(i, p.start, p.end, 0) {
			n++
		}
	}
	for i := range b.d.Members {
		m := &b.d.Members[i]
		if !m.LeftOn.IsZero() || !b.chance(p.leave) {
			continue
		}
		cur := b.info[i].cur
		hi := p.end
		if !cur.dissolved.IsZero() {
			hi = min(hi, cur.dissolved)
		}
		if day, ok := x.span(max(p.start, x.last[i]+1), hi); ok {
			x.leave(i, day)
		}
	}

	// The members of the unions closed: a third move to another union on
	// the day, the others leave.
	for _, g := range closing {
		for i := range b.d.Members {
			m := &b.d.Members[i]
			if b.info[i].cur != g || !m.LeftOn.IsZero() {
				continue
			}
			if x.last[i] >= g.dissolved {
				panic(fmt.Sprintf("demo: member %s acts in %s after its end", m.NationalID, g.code))
			}
			if !b.chance(0.33) || !x.moveMember(i, g.dissolved, g.dissolved, g.dissolved) {
				x.leave(i, g.dissolved)
			}
		}
	}
}

// pickWeighted draws an index with probability proportional to its weight.
func pickWeighted(b *builder, weights []float64) int {
	return pickCumulative(b, cumulate(weights))
}

// cumulate returns the running sums of weights, for pickCumulative.
func cumulate(weights []float64) []float64 {
	cum := make([]float64, len(weights))
	sum := 0.0
	for i, w := range weights {
		sum += w
		cum[i] = sum
	}
	return cum
}

// pickCumulative draws an index from running sums of weights.
func pickCumulative(b *builder, cum []float64) int {
	x := b.r.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, x)
	return min(i, len(cum)-1)
}

// childOf is the direct child of HN holding unit g on day d ("HN" for a
// unit right under the city).
func (x *later) childOf(g *grass, d domain.Date) string {
	return x.parentOn(g, d).code
}

func (x *later) admit(g *grass, day domain.Date, transferred bool) {
	b := x.b
	name, gender, birth := x.person(g, day)
	how := domain.JoinedAdmitted
	if transferred {
		how = domain.JoinedTransferred
	}
	b.addMember(g, name, gender, birth, day, how, transferred && b.chance(0.7))
	x.last = append(x.last, day)
	child := x.childOf(g, day)
	if !transferred {
		x.bump(day.Year(), child, domain.MembersAdmitted, 1)
	}
	x.bump(day.Year(), child, domain.MembersNetGrowth, 1)
}

func (x *later) leave(i int, day domain.Date) {
	x.b.d.Members[i].LeftOn = day
	x.last[i] = day
	x.bump(day.Year(), x.childOf(x.b.info[i].cur, day), domain.MembersNetGrowth, -1)
}

// moveMember transfers member i to another open union on a day in [lo, hi]
// (on exactly `on` when set); it reports whether it could.
func (x *later) moveMember(i int, lo, hi, on domain.Date) bool {
	b := x.b
	m := &b.d.Members[i]
	if !m.LeftOn.IsZero() {
		return false
	}
	cur := b.info[i].cur
	if !cur.dissolved.IsZero() {
		hi = min(hi, cur.dissolved)
	}
	day, ok := x.span(max(lo, x.last[i]+1), hi)
	if !ok || (on != 0 && day != on) {
		return false
	}
	for range 12 {
		var to *grass
		if b.chance(0.6) {
			to = pickOf(b, x.parentOn(cur, day).grass)
		} else {
			to = pickOf(b, x.all)
		}
		if to == cur || !openOn(to, day) || to.founded == day {
			continue
		}
		b.transfer(i, to, day)
		x.last[i] = day
		x.bump(day.Year(), x.childOf(cur, day), domain.MembersNetGrowth, -1)
		x.bump(day.Year(), x.childOf(to, day), domain.MembersNetGrowth, 1)
		return true
	}
	return false
}

// person draws a worker joining unit g on day: younger workers than in the
// 2022 unions, ages taken on the joining day.
func (x *later) person(g *grass, day domain.Date) (name, gender string, birth domain.Date) {
	b := x.b
	gender = "male"
	if b.chance(g.female) {
		gender = "female"
	}
	lo := max(19, g.ageLo-2)
	age := lo + int(float64(max(g.ageHi-8, lo+6)-lo+1)*math.Pow(b.r.Float64(), 1.5))
	birth = yearsAfter(day, -age-1) + domain.Date(1+b.r.IntN(365))
	return b.personName(gender), gender, birth
}

var informalTrades = []string{"Giao hàng", "Xe ôm công nghệ", "Lái xe taxi", "Bảo vệ dân phố", "Thợ may", "Hướng dẫn viên du lịch"}

// found founds a grassroots union under n on day, with its members.
func (x *later) found(n *node, day domain.Date) {
	b := x.b
	k := orgPrivate
	switch r := b.r.Float64(); {
	case n.kind == secZones:
		if r < 0.7 {
			k = orgFDI
		}
	case n.kind == secCorpTransport || n.kind == secCorpTourism:
		k = orgState
	case r < 0.12:
		k = orgFDI
	case r < 0.15 && n.kind == secDistrict:
		k = orgCoop
	case r < 0.19 && n.kind == secDistrict:
		k = orgInformal
	case r < 0.22:
		k = orgState
	}
	p := profiles[k]
	g := &grass{parent: n, later: true, kind: k, founded: day, method: domain.MethodStandard,
		female: p.female, ageLo: p.ageLo, ageHi: p.ageHi}
	switch n.kind {
	case secZones:
		g.female = 0.75
	case secTransport, secCorpTransport:
		g.female = 0.15
	case secConstruction:
		g.female = 0.18
	}
	g.where, g.whereDist = x.locate(n, day)
	switch k {
	case orgState, orgPrivate, orgFDI:
		g.ent = &domain.Enterprise{Name: b.enterpriseName(k, n.kind), Ownership: k.ownership(), UnitCode: n.code,
			TaxCode: b.taxCode(day.Year() - b.intn(0, 4))}
		g.name = "Công đoàn " + g.ent.Name
		g.ownOnUnit = b.chance(0.6)
	case orgCoop:
		g.name = b.uniqueName(func() string {
			return "Công đoàn Hợp tác xã " + pickOf(b, []string{"Dịch vụ Nông nghiệp", "Rau an toàn", "Môi trường", "Vận tải"}) + " " + g.where.name
		})
	default:
		g.female = 0.2
		g.name = b.uniqueName(func() string { return "Nghiệp đoàn " + pickOf(b, informalTrades) + " " + g.where.String() })
	}
	b.usedNm[g.name] = true
	if domain.IsNonState(k.ownership()) && b.chance(0.14) {
		g.method = domain.MethodNew
	}
	if y := day.Year(); y != n.year {
		n.year, n.seq = y, b.intn(3, 30)
	}
	n.seq += b.intn(2, 25)
	g.decisionNo = fmt.Sprintf("%d/%s", n.seq, n.decision)
	g.id = int64(len(b.d.Units) + 1)
	g.code = fmt.Sprintf("%s-%03d", n.prefix, n.next)
	n.next++
	row := domain.Unit{ID: g.id, Code: g.code, Name: g.name, ParentID: n.id, ParentCode: n.code,
		Kind: domain.KindGrassroots, FoundedOn: day, DecisionNo: g.decisionNo, Method: g.method}
	if g.ent == nil || g.ownOnUnit {
		row.Ownership = k.ownership()
	}
	if g.ent != nil {
		row.EnterpriseTaxCode = g.ent.TaxCode
	}
	b.d.Units = append(b.d.Units, row)
	n.grass = append(n.grass, g)
	x.all = append(x.all, g)
	x.fresh = append(x.fresh, g)

	// Its members: the founders on the day, the others over the next
	// months.
	size := b.logUniform(5, 140)
	switch k {
	case orgInformal:
		size = b.intn(30, 110)
	case orgCoop:
		size = b.intn(6, 22)
	}
	founders := min(size, max(5, int(math.Round(float64(size)*(0.4+0.4*b.r.Float64())))))
	for i := range size {
		joined := day
		if i >= founders && day < DataEnd {
			joined = b.day(day+1, min(day+150, DataEnd))
		}
		x.admit(g, joined, i >= founders && b.chance(0.04))
	}
	child := x.childOf(g, day)
	own := k.ownership()
	x.bump(day.Year(), child, domain.UnionsFounded, 1)
	if domain.IsEnterpriseOwnership(own) && size >= domain.DefaultThreshold {
		x.bump(day.Year(), child, domain.EnterpriseUnions25Plus, 1)
	}
	if domain.IsNonState(own) {
		x.bump(day.Year(), child, domain.NonStateUnionsFounded, 1)
		x.bump(day.Year(), child, domain.NonStateUnionMembers, float64(size))
	}
	if g.method == domain.MethodNew {
		x.bump(day.Year(), child, domain.NewMethodUnionsFounded, 1)
	}
}

// locate picks where a unit founded under n on day works: before the
// reform a former ward or commune of a district, after it one of the new
// wards and communes (addresses have no district any more).
func (x *later) locate(n *node, day domain.Date) (place, string) {
	b := x.b
	switch {
	case n.ward != nil:
		return n.ward.place(), ""
	case n == x.root:
		z := pickOf(b, zones)
		return x.wards.of(x.b.byCode[z.district].dist, z.place).place(), ""
	}
	at, dist := b.locate(n.up)
	if day < ReformDay {
		return at, dist
	}
	for _, d := range districts {
		if d.String() == dist {
			return x.wards.of(d, at).place(), ""
		}
	}
	return at, dist
}

// enterprises writes the enterprises of the unions founded after AsOf.
func (x *later) enterprises() {
	b := x.b
	active := map[*grass]int{}
	for i := range b.d.Members {
		if b.d.Members[i].ActiveOn(DataEnd) {
			active[b.info[i].cur]++
		}
	}
	for _, g := range x.fresh {
		if g.ent == nil {
			continue
		}
		e := *g.ent
		e.Employees = int64(float64(max(active[g], 5))/(0.55+0.4*b.r.Float64())) + int64(b.intn(0, 8))
		e.Area = g.where.String()
		if g.whereDist != "" {
			e.Address = b.address(g.where, g.whereDist)
		} else {
			e.Address = fmt.Sprintf("Số %d, %s, Hà Nội", b.intn(1, 250), g.where)
		}
		e.Source = sources.Pick(b.r)
		b.d.Enterprises = append(b.d.Enterprises, e)
	}
}

// laterPlan is a plan of the later years: city targets are what the city
// achieved times factor (scaled to a whole year for the year under way).
var laterPlans = []struct {
	code   string
	year   int
	factor float64
}{
	{Plan2023Code, 2023, 0.94},
	{Plan2024Code, 2024, 0.97},
	{Plan2025Code, 2025, 1.03},
	{Plan2026Code, 2026, 1.04 * 365 / 334},
}

// plans writes the plans HN-2023 to HN-2026 and their targets: the city's,
// and shares of them for its children in the year (the districts for the
// first half of 2025, the wards for the second); the share of the unions
// right under the city stays with the city, unassigned, and so does the
// whole growth target of 2025.
func (x *later) plans() {
	b, d := x.b, x.b.d
	for _, lp := range laterPlans {
		start, end := domain.NewDate(lp.year, time.January, 1), domain.NewDate(lp.year, time.December, 31)
		d.Plans = append(d.Plans, domain.Plan{ID: int64(len(d.Plans) + 1), Code: lp.code,
			Name:   fmt.Sprintf("Kế hoạch phát triển đoàn viên, thành lập CĐCS năm %d", lp.year),
			UnitID: 1, UnitCode: RootCode, Start: start, End: end, Threshold: domain.DefaultThreshold})
		var children []*node
		for _, n := range x.nodes {
			if n != x.root && n.openIn(start, end) {
				children = append(children, n)
			}
		}
		sort.SliceStable(children, func(i, j int) bool { return children[i].code < children[j].code })
		ach := x.ach[lp.year]
		for _, ind := range engine.Codes {
			total := 0.0
			for _, a := range ach {
				total += a[ind]
			}
			if ind == domain.MembersNetGrowth {
				// Growth is a plan's wish: not below half the admissions.
				total = max(total, 0.5*x.sum(lp.year, domain.MembersAdmitted))
			}
			target := roundTarget(total * lp.factor)
			d.Targets = append(d.Targets, domain.Target{PlanCode: lp.code, UnitCode: RootCode, Indicator: ind, Target: target})
			if ind == domain.MembersNetGrowth && lp.year == ReformDay.Year() {
				// The moves of 1 July take every member of a district to a
				// ward: the city keeps the year's growth target for itself.
				continue
			}
			smooth := 0.5
			switch ind {
			case domain.MembersAdmitted, domain.MembersNetGrowth, domain.NonStateUnionMembers, domain.PartyIntroductions:
				smooth = 10
			}
			weights := make([]float64, 0, len(children)+1)
			for _, n := range children {
				weights = append(weights, (max(ach[n.code][ind], 0)+smooth)/n.perf*(0.92+0.16*b.r.Float64()))
			}
			if lp.year >= ReformDay.Year() {
				weights = append(weights, max(ach[RootCode][ind], 0)+smooth)
			}
			for j, t := range apportion(target, weights) {
				if j < len(children) {
					d.Targets = append(d.Targets, domain.Target{PlanCode: lp.code, UnitCode: children[j].code, Indicator: ind, Target: t})
				}
			}
		}
	}
	d.Campaigns = append(d.Campaigns,
		domain.Campaign{ID: int64(len(d.Campaigns) + 1), Code: "HN-2025-D1", Name: "Tháng Công nhân năm 2025", PlanCode: Plan2025Code,
			Start: domain.NewDate(2025, time.May, 1), End: domain.NewDate(2025, time.May, 31), ClassName: "Lớp đoàn viên tháng 5"},
		domain.Campaign{ID: int64(len(d.Campaigns) + 2), Code: "HN-2026-D1", Name: "Tháng Công nhân năm 2026", PlanCode: Plan2026Code,
			Start: domain.NewDate(2026, time.May, 1), End: domain.NewDate(2026, time.May, 31), ClassName: "Lớp đoàn viên tháng 5"})
}

func (x *later) sum(year int, ind string) float64 {
	s := 0.0
	for _, a := range x.ach[year] {
		s += a[ind]
	}
	return s
}

// roundTarget rounds a target the way a plan states it: to 50 from 1,000,
// to 5 from 100.
func roundTarget(v float64) int64 {
	switch {
	case v >= 1000:
		return int64(math.Round(v/50)) * 50
	case v >= 100:
		return int64(math.Round(v/5)) * 5
	case v < 1:
		return 1
	}
	return int64(math.Round(v))
}
