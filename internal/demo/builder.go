package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/gen"
)

// orgKind is what kind of workplace a grassroots union belongs to.
type orgKind int

const (
	orgAgency   orgKind = iota // public agency (cơ quan)
	orgSchool                  // public school
	orgHealth                  // public hospital or health centre
	orgState                   // state enterprise
	orgPrivate                 // private enterprise
	orgFDI                     // foreign-invested enterprise
	orgCoop                    // cooperative
	orgInformal                // occupational union (nghiệp đoàn) of informal workers
)

func (k orgKind) ownership() string {
	switch k {
	case orgAgency, orgSchool, orgHealth:
		return domain.OwnPublic
	case orgState:
		return domain.OwnState
	case orgPrivate:
		return domain.OwnPrivate
	case orgFDI:
		return domain.OwnFDI
	case orgCoop:
		return domain.OwnCooperative
	}
	return domain.OwnInformal
}

// profile is the make-up of a kind of workplace: share of women, age range
// of its workers in 2022, union size before 2022 and the years its union
// was founded in.
type profile struct {
	female           float64
	ageLo, ageHi     int
	sizeLo, sizeHi   int
	yearLo, yearHi   int
	recentFoundation bool // founding years skewed towards the recent
}

var profiles = map[orgKind]profile{
	orgAgency:   {0.50, 24, 59, 12, 40, 1990, 2010, false},
	orgSchool:   {0.88, 23, 57, 15, 50, 1992, 2012, false},
	orgHealth:   {0.68, 24, 58, 50, 260, 1990, 2008, false},
	orgState:    {0.35, 23, 59, 30, 180, 1993, 2010, false},
	orgPrivate:  {0.45, 20, 55, 8, 80, 2004, 2021, true},
	orgFDI:      {0.72, 19, 45, 30, 220, 1998, 2021, true},
	orgCoop:     {0.55, 25, 59, 8, 28, 2000, 2018, false},
	orgInformal: {0.08, 25, 59, 30, 80, 2016, 2020, false},
}

// upper is a direct child of HN: a district federation or a sector,
// industrial-zones or corporation union.
type upper struct {
	code, name string
	dist       *district
	sec        *sector
	decision   string
	grass      []*grass
	id         int64
	// performance scales the targets the city gives it (a high value: a
	// low target for what it achieves).
	performance float64
}

// quota is the upper union's: its district's or its sector's.
func (u *upper) quota() quota {
	if u.dist != nil {
		return u.dist.quota
	}
	return u.sec.quota
}

func (u *upper) kind() sectorKind {
	if u.sec != nil {
		return u.sec.kind
	}
	return secDistrict
}

// grass is a grassroots union being built.
type grass struct {
	up        *upper
	kind      orgKind
	name      string
	ent       *domain.Enterprise
	ownOnUnit bool // the unit row carries its ownership (else: from the enterprise)
	founded   domain.Date
	dissolved domain.Date
	method    string
	isNew     bool // founded in 2022
	female    float64
	ageLo     int
	ageHi     int
	// size: members at the end of 2021 for the old units; members active
	// on AsOf for the new ones, made of admitted members still active,
	// members who joined by transfer from another province (joinedTr) and
	// members transferred in from Hanoi units (transIn); leavers are
	// admitted in 2022 and gone by AsOf.
	size, joinedTr, transIn, leavers int
	small                            bool
	where                            place
	whereDist                        string // "quận Cầu Giấy"
	id                               int64
	code                             string
	decisionNo                       string
	// The units founded after AsOf (reform.go): later is set, and parent
	// is the upper unit they were founded under (up is nil).
	later  bool
	parent *node
}

// mInfo is the builder's note on a member.
type mInfo struct {
	g        *grass // first unit
	cur      *grass // unit on AsOf (or when leaving)
	flexible bool   // admitted in 2022 on a date the May adjustment may move
	moved    bool   // has a transfer
}

type builder struct {
	r       *rand.Rand
	d       *Data
	uppers  []*upper
	byCode  map[string]*upper
	grass   []*grass
	info    []mInfo
	usedIDs map[string]bool
	usedTax map[string]bool
	usedNm  map[string]bool
}

func newBuilder() *builder {
	// Room for every member of 2022 to 2026 up front: growing the slices
	// and the ID set costs more than making them.
	const members = 80000
	return &builder{
		r:       rand.New(rand.NewPCG(20220708, 47855)),
		d:       &Data{Members: make([]domain.Member, 0, members)},
		info:    make([]mInfo, 0, members),
		byCode:  map[string]*upper{},
		usedIDs: make(map[string]bool, members),
		usedTax: map[string]bool{},
		usedNm:  map[string]bool{},
	}
}

func (b *builder) build() {
	b.makeUppers()
	b.planNewUnits()
	b.planOldUnits()
	b.sizeNewUnits()
	b.finishUnits()
	b.oldMembers()
	b.newMembers()
	b.fixMay()
	b.transfers()
	b.party()
	b.finishEnterprises()
	b.gapList()
	b.planAndTargets()
	// Everything above is the 2022 data set, drawn from one random
	// sequence; the later years draw from their own (reform.go).
	b.laterYears()
	b.sortRecords()
}

// ---- random helpers ----

func (b *builder) intn(lo, hi int) int { return lo + b.r.IntN(hi-lo+1) }

func (b *builder) chance(p float64) bool { return b.r.Float64() < p }

func pickOf[T any](b *builder, xs []T) T { return xs[b.r.IntN(len(xs))] }

// logUniform draws from [lo, hi] with small values more likely.
func (b *builder) logUniform(lo, hi int) int {
	x := math.Exp(math.Log(float64(lo)) + b.r.Float64()*(math.Log(float64(hi))-math.Log(float64(lo))))
	return int(math.Round(x))
}

// holidays of 2022 (and of the later years) on weekdays: New Year, Tết Nhâm Dần, the Hùng Kings'
// day and 30 April - 1 May (moved to the Monday and Tuesday).
var holidays = func() map[domain.Date]bool {
	h := map[domain.Date]bool{}
	for _, d := range [][3]int{{2022, 1, 3}, {2022, 1, 31}, {2022, 2, 1}, {2022, 2, 2}, {2022, 2, 3}, {2022, 2, 4},
		{2022, 4, 11}, {2022, 5, 2}, {2022, 5, 3},
		// The later years (reform.go): Independence Day, Tết, the Hùng
		// Kings' day, 30 April - 1 May.
		{2022, 9, 1}, {2022, 9, 2},
		{2023, 1, 2}, {2023, 1, 20}, {2023, 1, 23}, {2023, 1, 24}, {2023, 1, 25}, {2023, 1, 26}, {2023, 5, 1}, {2023, 5, 2}, {2023, 5, 3}, {2023, 9, 1}, {2023, 9, 4},
		{2024, 1, 1}, {2024, 2, 8}, {2024, 2, 9}, {2024, 2, 12}, {2024, 2, 13}, {2024, 2, 14}, {2024, 4, 18}, {2024, 4, 30}, {2024, 5, 1}, {2024, 9, 2}, {2024, 9, 3},
		{2025, 1, 1}, {2025, 1, 27}, {2025, 1, 28}, {2025, 1, 29}, {2025, 1, 30}, {2025, 1, 31}, {2025, 4, 7}, {2025, 4, 30}, {2025, 5, 1}, {2025, 5, 2}, {2025, 9, 1}, {2025, 9, 2},
		{2026, 1, 1}, {2026, 2, 16}, {2026, 2, 17}, {2026, 2, 18}, {2026, 2, 19}, {2026, 2, 20}, {2026, 4, 27}, {2026, 4, 30}, {2026, 5, 1}, {2026, 9, 1}, {2026, 9, 2}} {
		h[domain.NewDate(d[0], time.Month(d[1]), d[2])] = true
	}
	return h
}()

func workday(d domain.Date) bool {
	wd := d.Time().Weekday()
	return wd != time.Saturday && wd != time.Sunday && !holidays[d]
}

// weight2022 is how busy a day of 2022 is for admissions: the two peak
// campaigns bring more, the weeks around Tết fewer.
func weight2022(d domain.Date) float64 {
	switch {
	case d < PlanStart:
		return 1
	case d >= Campaign1Start && d <= MayEnd:
		return 2.5
	case d > MayEnd:
		return 1.8
	case d >= domain.NewDate(2022, time.January, 24) && d <= domain.NewDate(2022, time.February, 13):
		return 0.4
	}
	return 1
}

// day draws a working day in [lo, hi], weighted by weight2022; if the span
// holds no working day it settles for any day.
func (b *builder) day(lo, hi domain.Date) domain.Date {
	if hi < lo {
		panic(fmt.Sprintf("demo: empty span %s..%s", lo, hi))
	}
	n := int(hi-lo) + 1
	for range 40 {
		d := lo + domain.Date(b.r.IntN(n))
		if workday(d) && b.r.Float64()*2.5 < weight2022(d) {
			return d
		}
	}
	for range 40 {
		d := lo + domain.Date(b.r.IntN(n))
		if workday(d) {
			return d
		}
	}
	return lo + domain.Date(b.r.IntN(n))
}

// skewedDay draws a working day in [lo, hi], later days more likely.
func (b *builder) skewedDay(lo, hi domain.Date) domain.Date {
	for range 40 {
		d := hi - domain.Date(math.Floor(float64(hi-lo+1)*math.Pow(b.r.Float64(), 1.6)))
		if d >= lo && d <= hi && workday(d) {
			return d
		}
	}
	return b.day(lo, hi)
}

func yearsAfter(d domain.Date, n int) domain.Date {
	y, m, dd := d.Parts()
	return domain.NewDate(y+n, m, dd)
}

// ---- identifiers ----

// taxCode makes a new Hanoi tax code (prefix 01) for an enterprise
// registered in year: the digits after 01 grew over the years.
func (b *builder) taxCode(year int) string {
	var series int
	switch {
	case year < 2005:
		series = b.intn(0, 1)
	case year < 2013:
		series = b.intn(2, 5)
	default:
		series = b.intn(6, 9)
	}
	for {
		s, ok := gen.TaxCode(fmt.Sprintf("010%d%05d", series, b.r.IntN(100000)))
		if ok && !b.usedTax[s] {
			b.usedTax[s] = true
			return s
		}
	}
}

// nationalID makes a new 12-digit CCCD number: province of birth
// registration, century-and-sex digit, year of birth, six digits.
func (b *builder) nationalID(birth domain.Date, gender, province string) string {
	for {
		id := gen.CCCD(province, birth.Year(), gender == "female", b.r.IntN(1000000))
		if !b.usedIDs[id] {
			b.usedIDs[id] = true
			return id
		}
	}
}

// oldID makes a 9-digit identity card (CMND) number.
func (b *builder) oldID() string {
	for {
		id := gen.CMND(b.r.IntN(100000000))
		if !b.usedIDs[id] {
			b.usedIDs[id] = true
			return id
		}
	}
}

// ---- names ----

func (b *builder) personName(gender string) string {
	return gen.PersonName(b.r, gender == "female")
}

// uniqueName tries gen until it gives a name not used yet.
func (b *builder) uniqueName(gen func() string) string {
	for i := 0; ; i++ {
		n := gen()
		if i > 50 {
			n += fmt.Sprintf(" %d", i)
		}
		if !b.usedNm[n] {
			b.usedNm[n] = true
			return n
		}
	}
}

// enterpriseName invents an enterprise of the given kind in a sector.
func (b *builder) enterpriseName(kind orgKind, sk sectorKind) string {
	trades := privateTrades
	if t, ok := sectorTrades[sk]; ok {
		trades = t
	}
	return b.uniqueName(func() string {
		switch kind {
		case orgFDI:
			t := pickOf(b, fdiTrades)
			if sk != secDistrict && sk != secZones {
				t = pickOf(b, trades)
			}
			return "Công ty TNHH " + t + " " + pickOf(b, fdiStems) + " Việt Nam"
		case orgState:
			t := pickOf(b, stateTrades)
			if sk != secDistrict {
				t = pickOf(b, trades)
			}
			return "Công ty TNHH MTV " + t + " " + pickOf(b, brands)
		}
		if sk == secZones {
			trades = fdiTrades
		}
		return privateForms.Pick(b.r) + " " + pickOf(b, trades) + " " + pickOf(b, brands)
	})
}

// ---- units ----

func (b *builder) makeUppers() {
	b.d.Units = append(b.d.Units, domain.Unit{ID: 1, Code: RootCode, Name: "Liên đoàn Lao động thành phố Hà Nội",
		Kind: domain.KindFederation, Method: domain.MethodStandard})
	add := func(u *upper) {
		u.id = int64(len(b.d.Units) + 1)
		u.performance = 0.8 + 0.5*b.r.Float64()
		b.uppers = append(b.uppers, u)
		b.byCode[u.code] = u
		b.d.Units = append(b.d.Units, domain.Unit{ID: u.id, Code: u.code, Name: u.name, ParentID: 1, ParentCode: RootCode,
			Kind: domain.KindUpper, Method: domain.MethodStandard})
	}
	for _, d := range districts {
		add(&upper{code: d.code, name: "LĐLĐ " + d.String(), dist: d, decision: "QĐ-LĐLĐ"})
	}
	for _, s := range sectors {
		add(&upper{code: s.code, name: s.name, sec: s, decision: s.decision})
	}
	for _, c := range Exemplary {
		b.byCode[c].performance = 1.35 + 0.15*b.r.Float64()
	}
}

// locate picks where a unit of u works: a ward of its district, an
// industrial zone, or any district for the city-wide unions.
func (b *builder) locate(u *upper) (place, string) {
	if u.dist != nil {
		return pickOf(b, u.dist.places), u.dist.String()
	}
	if u.sec.kind == secZones {
		z := pickOf(b, zones)
		return z.place, b.byCode[z.district].dist.String()
	}
	d := pickOf(b, districts)
	if u.sec.kind == secCorpTransport || u.sec.kind == secCorpTourism {
		d = pickOf(b, districts[:12]) // the corporations work in the urban districts
	}
	return pickOf(b, d.places), d.String()
}

// newGrass starts a grassroots union of kind k under u; enterprises get a
// made-up enterprise record.
func (b *builder) newGrass(u *upper, k orgKind, name string, founded domain.Date, isNew bool) *grass {
	p := profiles[k]
	g := &grass{up: u, kind: k, name: name, founded: founded, method: domain.MethodStandard, isNew: isNew,
		female: p.female, ageLo: p.ageLo, ageHi: p.ageHi}
	switch u.kind() {
	case secTransport, secCorpTransport:
		if k != orgAgency {
			g.female = 0.15
		}
	case secConstruction:
		g.female = 0.18
	case secZones:
		g.female = 0.75
	}
	g.where, g.whereDist = b.locate(u)
	b.usedNm[name] = true
	if k == orgState || k == orgPrivate || k == orgFDI {
		if g.name == "" {
			g.ent = &domain.Enterprise{Name: b.enterpriseName(k, u.kind()), Ownership: k.ownership(), UnitCode: u.code}
			g.name = "Công đoàn " + g.ent.Name
		} else {
			g.ent = &domain.Enterprise{Ownership: k.ownership(), UnitCode: u.code}
		}
		g.ent.TaxCode = b.taxCode(founded.Year() - b.intn(0, 3))
		g.ownOnUnit = b.chance(0.6)
	}
	b.grass = append(b.grass, g)
	u.grass = append(u.grass, g)
	return g
}

// planNewUnits lays out the 306 unions founded in 2022: how many each upper
// union founds, in which month, of which kind and by which method.
func (b *builder) planNewUnits() {
	// Months of the unions not founded in May; the May ones are fixed per
	// upper union. Dealt at random, so each upper union gets a mix.
	quota := []struct {
		m time.Month
		n int
	}{{time.January, 30}, {time.February, 14}, {time.March, 40}, {time.April, 52}, {time.June, 60}, {time.July, 16}}
	var months []time.Month
	for _, q := range quota {
		for range q.n {
			months = append(months, q.m)
		}
	}
	b.r.Shuffle(len(months), func(i, j int) { months[i], months[j] = months[j], months[i] })
	foundingDay := func(m time.Month) domain.Date {
		lo, hi := domain.NewDate(2022, m, 1), domain.NewDate(2022, m+1, 0)
		if hi > AsOf {
			hi = AsOf
		}
		for {
			d := lo + domain.Date(b.r.IntN(int(hi-lo)+1))
			if workday(d) {
				return d
			}
		}
	}
	next := 0
	for _, u := range b.uppers {
		var dates []domain.Date
		q := u.quota()
		for i := range q.founded {
			if i < q.may {
				dates = append(dates, foundingDay(time.May))
			} else {
				dates = append(dates, foundingDay(months[next]))
				next++
			}
		}
		var made []*grass
		for i, f := range dates {
			k := orgPrivate
			switch u.kind() {
			case secZones:
				if b.chance(0.72) {
					k = orgFDI
				}
			case secDistrict, secConstruction, secIndustry:
				if b.chance(0.14) {
					k = orgFDI
				}
			}
			var g *grass
			switch {
			case u.code == "HN-GTVT" && i == 0:
				// The ride-hailing drivers' union, founded at a congress at the
				// end of the first campaign.
				g = b.newGrass(u, orgInformal, "Nghiệp đoàn lái xe ô tô công nghệ Hà Nội", domain.NewDate(2022, time.May, 26), true)
				g.female, g.ageLo, g.ageHi = 0.04, 24, 55
				g.method = domain.MethodNew
			case u.code == "HN-GD" && i == 0:
				g = b.newGrass(u, orgSchool, "Công đoàn "+newHighSchool, f, true)
			case u.code == "HN-GD":
				brand := pickOf(b, brands)
				g = b.newGrass(u, orgPrivate, "Công đoàn Trường Liên cấp "+brand, f, true)
				g.ent.Name = b.uniqueName(func() string { return "Công ty Cổ phần Giáo dục " + brand })
				g.female = 0.8
			case u.code == "HN-NN" && i == 0:
				pl := pickOf(b, b.byCode["HN-DA"].dist.places)
				g = b.newGrass(u, orgCoop, "Công đoàn Hợp tác xã Rau an toàn "+pl.name, f, true)
				g.where, g.whereDist = pl, b.byCode["HN-DA"].dist.String()
			case u.code == "HN-TCTVT":
				g = b.newGrass(u, orgState, "Công đoàn "+corpTransportNew, f, true)
				g.ent.Name = "Chi nhánh Tổng công ty Vận tải Hà Nội - " + corpTransportNew
			default:
				g = b.newGrass(u, k, "", f, true)
			}
			made = append(made, g)
		}
		// The unions founded by the new method (Article 14): workers form a
		// committee, hold a founding congress and ask for recognition.
		n := u.quota().newMethod
		for _, g := range made {
			if g.method == domain.MethodNew {
				n--
			}
		}
		for _, i := range b.r.Perm(len(made)) {
			if n <= 0 {
				break
			}
			if g := made[i]; g.method != domain.MethodNew && domain.IsNonState(g.kind.ownership()) {
				g.method = domain.MethodNew
				n--
			}
		}
	}
}

// planOldUnits lays out the grassroots unions founded before 2022.
func (b *builder) planOldUnits() {
	for _, u := range b.uppers {
		switch {
		case u.dist != nil:
			b.oldDistrictUnits(u)
		default:
			b.oldSectorUnits(u)
		}
	}
	// A few old unions were dissolved when their enterprise closed: three
	// before 2022, four in 2022 (their members leave or move on that day).
	var candidates []*grass
	for _, g := range b.grass {
		if !g.isNew && g.kind == orgPrivate && g.up.dist != nil && g.founded.Year() <= 2016 {
			candidates = append(candidates, g)
		}
	}
	perm := b.r.Perm(len(candidates))
	for i := range 7 {
		g := candidates[perm[i]]
		if i < 3 {
			g.dissolved = b.day(domain.NewDate(2019, time.March, 1), domain.NewDate(2021, time.October, 31))
		} else {
			g.dissolved = b.day(domain.NewDate(2022, time.March, 1), domain.NewDate(2022, time.June, 30))
		}
	}
}

func (b *builder) oldFounded(k orgKind) domain.Date {
	p := profiles[k]
	lo := domain.NewDate(p.yearLo, time.January, 1)
	hi := domain.NewDate(p.yearHi, time.December, 31)
	if hi > lastOf21 {
		hi = lastOf21
	}
	if p.recentFoundation {
		return b.skewedDay(lo, hi)
	}
	return b.day(lo, hi)
}

func (b *builder) oldDistrictUnits(u *upper) {
	d := u.dist
	party := "Quận ủy"
	switch d.prefix {
	case "huyện":
		party = "Huyện ủy"
	case "thị xã":
		party = "Thị ủy"
	}
	// Public units of the district: its own offices and, per ward or
	// commune, the People's Committee and the schools.
	type pub struct {
		kind orgKind
		name string
		at   place
	}
	pool := []pub{
		{orgAgency, "Công đoàn cơ quan UBND " + d.String(), place{}},
		{orgAgency, "Công đoàn cơ quan " + party + " " + d.name, place{}},
		{orgHealth, "Công đoàn Trung tâm Y tế " + d.String(), place{}},
		{orgAgency, "Công đoàn Ban Quản lý dự án đầu tư xây dựng " + d.String(), place{}},
		{orgAgency, "Công đoàn Trung tâm Văn hóa - Thông tin và Thể thao " + d.String(), place{}},
	}
	var local []pub
	for _, p := range d.places {
		local = append(local,
			pub{orgAgency, "Công đoàn cơ quan UBND " + p.String(), p},
			pub{orgSchool, "Công đoàn Trường Mầm non " + p.name, p},
			pub{orgSchool, "Công đoàn Trường Tiểu học " + p.name, p},
			pub{orgSchool, "Công đoàn Trường THCS " + p.name, p})
	}
	b.r.Shuffle(len(local), func(i, j int) { local[i], local[j] = local[j], local[i] })
	var kinds []orgKind
	nPublic := 3
	switch d.prefix {
	case "quận":
		kinds = []orgKind{orgPrivate, orgPrivate, orgPrivate, orgPrivate, orgPrivate, orgState, orgFDI, orgFDI}
		nPublic = 4
	case "thị xã":
		kinds = []orgKind{orgPrivate, orgPrivate, orgPrivate, orgState, orgFDI}
	default:
		kinds = []orgKind{orgPrivate, orgPrivate, orgCoop, orgFDI}
	}
	chosen := append([]pub(nil), pool[:3]...)
	for _, p := range local {
		// Wards of different districts may share a name; so would their
		// schools.
		if len(chosen) < 3+nPublic && !b.usedNm[p.name] {
			chosen = append(chosen, p)
		}
	}
	if d.prefix != "huyện" && b.chance(0.5) {
		chosen[1] = pool[3+b.r.IntN(2)] // another district office instead of the Party committee's
	}
	for _, p := range chosen {
		g := b.newGrass(u, p.kind, p.name, b.oldFounded(p.kind), false)
		if p.at.name != "" {
			g.where = p.at
		}
		if strings.Contains(p.name, "Mầm non") {
			g.female = 0.98
		}
	}
	for _, k := range kinds {
		if k == orgCoop {
			var p place
			name := b.uniqueName(func() string {
				p = pickOf(b, d.places)
				return "Công đoàn Hợp tác xã Nông nghiệp " + p.name
			})
			g := b.newGrass(u, k, name, b.oldFounded(k), false)
			g.where = p
			continue
		}
		b.newGrass(u, k, "", b.oldFounded(k), false)
	}
	switch u.code {
	case "HN-HK":
		b.newGrass(u, orgInformal, "Nghiệp đoàn Hướng dẫn viên du lịch quận Hoàn Kiếm", domain.NewDate(2016, time.November, 15), false)
	case "HN-LB":
		g := b.newGrass(u, orgInformal, "Nghiệp đoàn Xe ôm phường Bồ Đề", domain.NewDate(2019, time.August, 20), false)
		g.female = 0.02
	}
}

func (b *builder) oldSectorUnits(u *upper) {
	s := u.sec
	switch s.kind {
	case secEducation:
		for _, name := range highSchools[:s.existing] {
			b.newGrass(u, orgSchool, "Công đoàn Trường THPT "+name, b.oldFounded(orgSchool), false).female = 0.78
		}
	case secHealth:
		// Public hospitals and centres, and two private hospitals.
		for i := range s.existing {
			if i < s.existing-2 {
				b.newGrass(u, orgHealth, "Công đoàn "+hospitals[i], b.oldFounded(orgHealth), false)
			} else {
				b.newGrass(u, orgPrivate, "", b.oldFounded(orgPrivate), false).female = 0.65
			}
		}
	case secCorpTransport, secCorpTourism:
		names, corp := corpTransportUnits, "Tổng công ty Vận tải Hà Nội"
		if s.kind == secCorpTourism {
			names, corp = corpTourismUnits, "Tổng công ty Du lịch Hà Nội"
		}
		// The subsidiaries are branches of the corporation: one tax code
		// with a branch suffix each.
		base := b.taxCode(1995)
		for i, name := range names[:s.existing] {
			g := b.newGrass(u, orgState, "Công đoàn "+name, b.oldFounded(orgState), false)
			delete(b.usedTax, g.ent.TaxCode)
			if i == 0 {
				g.ent.TaxCode, g.ent.Name = base, corp
			} else {
				g.ent.TaxCode = fmt.Sprintf("%s-%03d", base, i)
				g.ent.Name = "Chi nhánh " + corp + " - " + name
			}
			b.usedTax[g.ent.TaxCode] = true
			if s.kind == secCorpTourism {
				g.female = 0.6
			}
		}
		if s.kind == secCorpTransport {
			// The 2022 subsidiary is the next branch.
			for _, g := range u.grass {
				if g.isNew {
					delete(b.usedTax, g.ent.TaxCode)
					g.ent.TaxCode = fmt.Sprintf("%s-%03d", base, s.existing)
					b.usedTax[g.ent.TaxCode] = true
				}
			}
		}
	default:
		for i := range s.existing {
			k := orgPrivate
			switch {
			case s.kind == secZones:
				if i%5 != 4 {
					k = orgFDI
				}
			case s.kind == secAgriculture && i < 3:
				k = orgState
			case s.kind == secAgriculture && i < 5:
				k = orgCoop
			case i%3 == 0:
				k = orgState
			case s.kind == secIndustry && i%4 == 1:
				k = orgFDI
			}
			if k == orgCoop {
				var d *district
				var p place
				name := b.uniqueName(func() string {
					d = pickOf(b, districts[13:])
					p = pickOf(b, d.places)
					return "Công đoàn Hợp tác xã Dịch vụ Nông nghiệp " + p.name
				})
				g := b.newGrass(u, k, name, b.oldFounded(k), false)
				g.where, g.whereDist = p, d.String()
				continue
			}
			g := b.newGrass(u, k, "", b.oldFounded(k), false)
			if s.kind == secZones && k == orgFDI {
				g.founded = b.skewedDay(domain.NewDate(1999, time.January, 1), lastOf21)
			}
		}
	}
}

// sizeNewUnits sets the members on AsOf of the 2022 unions so that the
// non-state ones hold exactly 23,540 members and exactly 188 of them (with
// the new state-enterprise union, 189) reach 25 members.
func (b *builder) sizeNewUnits() {
	var nonState []*grass
	for _, g := range b.grass {
		if !g.isNew {
			continue
		}
		switch g.kind {
		case orgInformal:
			g.size = 58
		case orgSchool:
			g.size = 42
		case orgCoop:
			g.size = 16
		case orgState:
			g.size = 64
		default:
			nonState = append(nonState, g)
		}
	}
	if len(nonState) != WantNonStateUnions {
		panic(fmt.Sprintf("demo: %d non-state unions planned", len(nonState)))
	}
	const nLarge = WantEnterprise25Plus - 1
	nSmall := len(nonState) - nLarge
	// Small unions: those founded lately and those outside the industrial
	// zones are more likely to be small.
	score := make(map[*grass]float64, len(nonState))
	for _, g := range nonState {
		s := b.r.Float64()
		if g.up.code == "HN-KCN" {
			s -= 0.6
		}
		if g.kind == orgFDI {
			s -= 0.2
		}
		if g.founded > domain.NewDate(2022, time.June, 15) {
			s += 0.35
		}
		if slices.Contains(Exemplary, g.up.code) && g.founded >= MayStart && g.founded <= MayEnd {
			s -= 0.3 // the launches of the May campaign were big ones
		}
		score[g] = s
	}
	order := append([]*grass(nil), nonState...)
	sort.SliceStable(order, func(i, j int) bool { return score[order[i]] > score[order[j]] })
	smallSum := 0
	for _, g := range order[:nSmall] {
		g.small = true
		g.size = 5 + int(math.Round(19*math.Pow(b.r.Float64(), 0.8)))
		smallSum += g.size
	}
	large := order[nSmall:]
	extra := WantNonStateMembers - smallSum - 25*nLarge
	weights := make([]float64, len(large))
	for i, g := range large {
		w := math.Exp(0.8 * b.r.NormFloat64())
		if g.up.code == "HN-KCN" {
			w *= 3
		} else if g.kind == orgFDI {
			w *= 1.8
		}
		// The exemplary units of May launched the big unions of May.
		inMay := g.founded >= MayStart && g.founded <= MayEnd
		exemplary := slices.Contains(Exemplary, g.up.code)
		switch {
		case g.up.code == "HN-KCN":
			if inMay {
				w *= 1.3
			}
		case exemplary && inMay:
			w *= 2.8
		case exemplary:
			w *= 1.3
		case inMay:
			w *= 0.7
		}
		weights[i] = w
	}
	for i, n := range apportion(int64(extra), weights) {
		large[i].size = 25 + int(n)
	}
	// Who they are: some joined by transfer from unions in other provinces,
	// some were moved from old Hanoi unions, and some admitted in 2022 have
	// already left again.
	spread := func(total int, ok func(*grass) bool, add func(*grass)) {
		for total > 0 {
			g := pickOf(b, nonState)
			if ok(g) {
				add(g)
				total--
			}
		}
	}
	roomy := func(g *grass) bool { return !g.small && g.size-g.joinedTr-g.transIn > 30 }
	spread(120, roomy, func(g *grass) { g.joinedTr++ })
	spread(180, roomy, func(g *grass) { g.transIn++ })
	spread(90, func(g *grass) bool { return g.founded < domain.NewDate(2022, time.June, 1) && g.leavers < 4 },
		func(g *grass) { g.leavers++ })
}

// apportion splits total in proportion to weights by largest remainders.
func apportion(total int64, weights []float64) []int64 {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	out := make([]int64, len(weights))
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(weights))
	var given int64
	for i, w := range weights {
		x := float64(total) * w / sum
		out[i] = int64(math.Floor(x))
		given += out[i]
		rems[i] = rem{i, x - math.Floor(x)}
	}
	sort.SliceStable(rems, func(a, c int) bool { return rems[a].r > rems[c].r })
	for k := 0; given < total; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	return out
}

// finishUnits orders the grassroots unions by upper union and founding
// date, numbers them, gives them decision numbers and writes the rows.
func (b *builder) finishUnits() {
	next := int64(len(b.d.Units) + 1)
	for _, u := range b.uppers {
		sort.SliceStable(u.grass, func(i, j int) bool {
			if u.grass[i].founded != u.grass[j].founded {
				return u.grass[i].founded < u.grass[j].founded
			}
			return u.grass[i].name < u.grass[j].name
		})
		// Decisions are numbered per issuing union and year.
		seq, year := 0, 0
		for i, g := range u.grass {
			g.id = next
			next++
			g.code = fmt.Sprintf("%s-%03d", u.code, i+1)
			if y := g.founded.Year(); y != year {
				year, seq = y, b.intn(3, 30)
			}
			seq += b.intn(2, 40)
			if g.isNew || g.founded.Year() >= 2008 || b.chance(0.5) {
				g.decisionNo = fmt.Sprintf("%d/%s", seq, u.decision)
			}
		}
	}
	for _, u := range b.uppers {
		for _, g := range u.grass {
			row := domain.Unit{ID: g.id, Code: g.code, Name: g.name, ParentID: u.id, ParentCode: u.code,
				Kind: domain.KindGrassroots, FoundedOn: g.founded, DecisionNo: g.decisionNo, Method: g.method,
				DissolvedOn: g.dissolved}
			if g.ent == nil || g.ownOnUnit {
				row.Ownership = g.kind.ownership()
			}
			if g.ent != nil {
				row.EnterpriseTaxCode = g.ent.TaxCode
			}
			b.d.Units = append(b.d.Units, row)
		}
	}
}

// ---- members ----

// person draws a worker of unit g: gender, name and a birth date that makes
// them between ageLo and ageHi on AsOf.
func (b *builder) person(g *grass, ageLo int) (name, gender string, birth domain.Date) {
	gender = "male"
	if b.chance(g.female) {
		gender = "female"
	}
	lo := max(ageLo, g.ageLo)
	age := lo + int(float64(g.ageHi-lo+1)*math.Pow(b.r.Float64(), 1.3))
	birth = yearsAfter(AsOf, -age-1) + domain.Date(1+b.r.IntN(365))
	return b.personName(gender), gender, birth
}

// addMember writes a member row and returns its index.
func (b *builder) addMember(g *grass, name, gender string, birth, joined domain.Date, how string, outside bool) int {
	m := domain.Member{IDType: "cccd", FullName: name, DateOfBirth: birth, Gender: gender,
		UnitID: g.id, UnitCode: g.code, JoinedOn: joined, JoinedHow: how}
	prov := birthProvinces.Pick(b.r)
	if outside {
		prov = outsideProvinces.Pick(b.r)
	}
	if !g.isNew && birth.Year() < 1985 && joined.Year() < 2016 && b.chance(0.06) {
		m.IDType, m.NationalID = "cmnd", b.oldID()
	} else {
		m.NationalID = b.nationalID(birth, gender, prov)
	}
	b.d.Members = append(b.d.Members, m)
	b.info = append(b.info, mInfo{g: g, cur: g})
	return len(b.d.Members) - 1
}

// oldMembers fills the unions founded before 2022: their members at the end
// of 2021, some who left before, and the departures of 2022.
func (b *builder) oldMembers() {
	for _, g := range b.grass {
		if g.isNew {
			continue
		}
		p := profiles[g.kind]
		g.size = b.logUniform(p.sizeLo, p.sizeHi)
		if g.up.code == "HN-KCN" && g.kind == orgFDI {
			g.size = b.logUniform(60, 420)
		}
		hi := lastOf21
		if !g.dissolved.IsZero() && g.dissolved < PlanStart {
			hi = g.dissolved - 1
		}
		// Former members (gone before 2022) only where the union is old
		// enough to have had them.
		former := 0
		if g.founded < hi-400 {
			former = int(float64(g.size) * (0.04 + 0.08*b.r.Float64()))
		}
		for i := range g.size + former {
			var name, gender string
			var birth, lo domain.Date
			for try := 0; ; try++ {
				name, gender, birth = b.person(g, 19+try)
				lo = max(g.founded, yearsAfter(birth, 18))
				if lo == g.founded || i >= 5 && lo <= hi-60 {
					break
				}
			}
			// The first five are the founders; the others joined later,
			// most of them in recent years (workers come and go).
			joined := g.founded
			if i >= 5 && lo < hi {
				joined = b.skewedDay(lo, max(lo, hi-30))
			}
			how := domain.JoinedAdmitted
			if i >= 5 && b.chance(0.05) {
				how = domain.JoinedTransferred
			}
			k := b.addMember(g, name, gender, birth, joined, how, how == domain.JoinedTransferred && b.chance(0.7))
			m := &b.d.Members[k]
			switch {
			case i >= g.size && joined+30 <= hi:
				m.LeftOn = b.day(joined+30, hi)
			case !g.dissolved.IsZero() && g.dissolved < PlanStart:
				m.LeftOn = g.dissolved
			case b.chance(0.035):
				m.LeftOn = b.day(PlanStart, AsOf)
			}
		}
	}
}

// newMembers fills the unions founded in 2022 and admits the rest of the
// year's members into old unions, so that exactly 24,396 are admitted.
func (b *builder) newMembers() {
	admitted := 0
	for _, g := range b.grass {
		if !g.isNew {
			continue
		}
		stay := g.size - g.joinedTr - g.transIn // admitted and still members
		// The founding members join on the day the union is recognised.
		founders := stay
		if g.founded < AsOf-3 {
			founders = min(stay, max(5, int(math.Round(float64(stay)*(0.45+0.4*b.r.Float64())))))
		}
		if g.kind == orgInformal {
			founders = 53
		}
		for i := range stay + g.leavers {
			name, gender, birth := b.person(g, 19)
			joined := g.founded
			if i >= founders {
				joined = b.day(g.founded, AsOf)
			}
			if i >= stay {
				joined = b.day(g.founded, AsOf-7)
			}
			k := b.addMember(g, name, gender, birth, joined, domain.JoinedAdmitted, false)
			if i >= stay {
				b.d.Members[k].LeftOn = b.day(joined+1, AsOf)
			} else if i >= founders {
				b.info[k].flexible = true
			}
			admitted++
		}
		for range g.joinedTr {
			name, gender, birth := b.person(g, 21)
			b.addMember(g, name, gender, birth, b.day(g.founded, AsOf), domain.JoinedTransferred, true)
		}
	}
	// The rest are admitted where a union already exists.
	rest := WantAdmitted - admitted
	if rest < 0 {
		panic(fmt.Sprintf("demo: %d members admitted in new unions, more than %d", admitted, WantAdmitted))
	}
	var old []*grass
	var weights []float64
	for _, g := range b.grass {
		if !g.isNew && g.dissolved.IsZero() {
			old = append(old, g)
			weights = append(weights, float64(g.size)+20)
		}
	}
	for i, n := range apportion(int64(rest), weights) {
		g := old[i]
		for range n {
			name, gender, birth := b.person(g, 19)
			k := b.addMember(g, name, gender, birth, b.day(PlanStart, AsOf), domain.JoinedAdmitted, false)
			b.info[k].flexible = true
		}
	}
}

// fixMay moves a few admissions that no founding date pins between May and
// June-July, so that May holds exactly 8,307.
func (b *builder) fixMay() {
	inMay := func(d domain.Date) bool { return d >= MayStart && d <= MayEnd }
	count := 0
	for i := range b.d.Members {
		m := &b.d.Members[i]
		if m.JoinedHow == domain.JoinedAdmitted && inMay(m.JoinedOn) {
			count++
		}
	}
	diff := WantAdmittedMay - count
	for _, i := range b.r.Perm(len(b.d.Members)) {
		if diff == 0 {
			break
		}
		m, in := &b.d.Members[i], &b.info[i]
		if !in.flexible {
			continue
		}
		switch {
		case diff > 0 && m.JoinedOn > MayEnd && in.g.founded <= MayEnd:
			m.JoinedOn = b.day(max(MayStart, in.g.founded), MayEnd)
			diff--
		case diff < 0 && inMay(m.JoinedOn):
			m.JoinedOn = b.day(MayEnd+1, AsOf)
			diff++
		}
	}
	if diff != 0 {
		panic(fmt.Sprintf("demo: cannot reach the May admissions, %d short", diff))
	}
}

// ---- transfers ----

func (b *builder) transfer(i int, to *grass, day domain.Date) {
	m := &b.d.Members[i]
	b.d.Transfers = append(b.d.Transfers, domain.Transfer{NationalID: m.NationalID, ToUnitID: to.id, ToUnitCode: to.code, Date: day})
	b.info[i].cur, b.info[i].moved = to, true
}

// transfers moves members between unions: some before 2022, the members of
// the unions dissolved in 2022, moves between old unions in 2022, and the
// members moved into the new non-state unions.
func (b *builder) transfers() {
	var open []*grass // old unions never dissolved
	for _, g := range b.grass {
		if !g.isNew && g.dissolved.IsZero() {
			open = append(open, g)
		}
	}
	// oldActive: members of old, never-dissolved unions who are members
	// throughout 2021-2022 and have not moved yet.
	oldActive := func(i int) bool {
		m, in := &b.d.Members[i], &b.info[i]
		return !in.g.isNew && in.g.dissolved.IsZero() && !in.moved && m.JoinedOn <= lastOf21 && m.LeftOn.IsZero()
	}
	target := func(from *grass, day domain.Date) *grass {
		for {
			var to *grass
			if b.chance(0.6) {
				to = pickOf(b, from.up.grass)
			} else {
				to = pickOf(b, open)
			}
			if to != from && !to.isNew && to.dissolved.IsZero() && to.founded < day {
				return to
			}
		}
	}
	perm := b.r.Perm(len(b.d.Members))
	// Before 2022.
	n := 0
	for _, i := range perm {
		if n == 150 {
			break
		}
		m := &b.d.Members[i]
		if !oldActive(i) || m.JoinedOn > domain.NewDate(2020, time.June, 30) {
			continue
		}
		day := b.day(max(m.JoinedOn+180, domain.NewDate(2016, time.January, 1)), domain.NewDate(2021, time.December, 30))
		b.transfer(i, target(b.info[i].g, day), day)
		n++
	}
	// The unions dissolved in 2022: a third of their members move to
	// another union on the day, the others leave.
	for i := range b.d.Members {
		m, in := &b.d.Members[i], &b.info[i]
		g := in.g
		if g.isNew || g.dissolved.IsZero() || g.dissolved < PlanStart {
			continue
		}
		if !m.LeftOn.IsZero() && m.LeftOn <= g.dissolved {
			continue
		}
		if b.chance(0.33) {
			b.transfer(i, target(g, g.dissolved), g.dissolved)
		} else {
			m.LeftOn = g.dissolved
		}
	}
	// Moves between old unions in 2022.
	n = 0
	for _, i := range perm {
		if n == 260 {
			break
		}
		if !oldActive(i) {
			continue
		}
		day := b.day(domain.NewDate(2022, time.January, 4), AsOf)
		b.transfer(i, target(b.info[i].g, day), day)
		n++
	}
	// Members moved into the new non-state unions.
	var slots []*grass
	for _, g := range b.grass {
		for range g.transIn {
			slots = append(slots, g)
		}
	}
	k := 0
	for _, i := range perm {
		if k == len(slots) {
			break
		}
		if !oldActive(i) {
			continue
		}
		g := slots[k]
		b.transfer(i, g, b.day(max(g.founded, domain.NewDate(2022, time.January, 4)), AsOf))
		k++
	}
}

// ---- party ----

// party records the members introduced to the Party: exactly 4,950 in 2022
// up to AsOf, and some in earlier years.
func (b *builder) party() {
	perm := b.r.Perm(len(b.d.Members))
	n2022, nOld, nNew := 0, 0, 0
	for _, i := range perm {
		m, in := &b.d.Members[i], &b.info[i]
		if n2022 == WantPartyIntroduction && nOld == 1800 {
			break
		}
		// The span in which the member can be introduced in 2022.
		lo, hi := max(PlanStart, m.JoinedOn+45), AsOf
		if !m.LeftOn.IsZero() {
			hi = min(hi, m.LeftOn-1)
		}
		switch {
		case !in.g.isNew && m.JoinedOn <= domain.NewDate(2020, time.December, 31) && nOld < 1800 && b.chance(0.3):
			ohi := lastOf21
			if !m.LeftOn.IsZero() {
				ohi = min(ohi, m.LeftOn-1)
			}
			olo := max(m.JoinedOn+180, domain.NewDate(2017, time.January, 1))
			if olo <= ohi {
				m.PartyIntroducedOn = b.day(olo, ohi)
				nOld++
			}
		case n2022 < WantPartyIntroduction && lo <= hi && (!in.g.isNew || nNew < 450 && m.JoinedOn < domain.NewDate(2022, time.May, 1)):
			if in.g.isNew {
				nNew++
			}
			m.PartyIntroducedOn = b.day(lo, hi)
			n2022++
		}
	}
	if n2022 != WantPartyIntroduction {
		panic(fmt.Sprintf("demo: only %d party introductions", n2022))
	}
}

// ---- enterprises ----

func (b *builder) address(at place, dist string) string {
	return fmt.Sprintf("Số %d, %s, %s, Hà Nội", b.intn(1, 250), at, dist)
}

var sources = gen.ParseWeighted("bhxh:5, tax:3, ward:2, survey:1")

// finishEnterprises writes the enterprises of the unions, with workforces a
// little larger than their unions.
func (b *builder) finishEnterprises() {
	active := map[*grass]int{}
	for i := range b.d.Members {
		if m := &b.d.Members[i]; m.ActiveOn(AsOf) {
			active[b.info[i].cur]++
		}
	}
	for _, u := range b.uppers {
		for _, g := range u.grass {
			if g.ent == nil {
				continue
			}
			e := *g.ent
			n := max(active[g], g.size)
			e.Employees = int64(float64(n)/(0.55+0.4*b.r.Float64())) + int64(b.intn(0, 8))
			e.Area = g.where.String()
			if u.code == "HN-KCN" {
				z := zones[0]
				for _, x := range zones {
					if x.place == g.where {
						z = x
					}
				}
				e.Address = fmt.Sprintf("Lô %c%d, %s, %s, %s, Hà Nội", 'A'+rune(b.r.IntN(8)), b.intn(1, 30), z.name, z.place, g.whereDist)
			} else {
				e.Address = b.address(g.where, g.whereDist)
			}
			e.Source = sources.Pick(b.r)
			b.d.Enterprises = append(b.d.Enterprises, e)
		}
	}
}

// gapList adds enterprises with no union yet: in every district, some with
// 25 or more workers (the organisers' to-do list) and a few small ones.
func (b *builder) gapList() {
	for _, u := range b.uppers {
		var n, nSmall int
		switch {
		case u.dist != nil:
			n, nSmall = b.intn(6, 12), b.intn(2, 4)
		case u.code == "HN-KCN":
			n = 12
		default:
			continue
		}
		for i := range n + nSmall {
			k := orgPrivate
			if b.chance(0.2) || u.code == "HN-KCN" && b.chance(0.7) {
				k = orgFDI
			}
			at, dist := b.locate(u)
			e := domain.Enterprise{Name: b.enterpriseName(k, u.kind()), Ownership: k.ownership(), UnitCode: u.code,
				TaxCode: b.taxCode(b.intn(2008, 2022)), Area: at.String(), Address: b.address(at, dist), Source: sources.Pick(b.r)}
			if i < n {
				e.Employees = int64(b.logUniform(25, 420))
			} else {
				e.Employees = int64(b.intn(4, 24))
			}
			b.d.Enterprises = append(b.d.Enterprises, e)
		}
	}
}

// ---- plan ----

func (b *builder) planAndTargets() {
	d := b.d
	d.Plans = []domain.Plan{{ID: 1, Code: PlanCode, Name: "Kế hoạch phát triển đoàn viên, thành lập CĐCS năm 2022",
		UnitID: 1, UnitCode: RootCode, Start: PlanStart, End: PlanEnd, Threshold: domain.DefaultThreshold}}
	d.Campaigns = []domain.Campaign{
		{ID: 1, Code: Campaign1Code, Name: "Đợt cao điểm 1 năm 2022", PlanCode: PlanCode,
			Start: Campaign1Start, End: Campaign1End, ClassName: "Lớp đoàn viên tháng 5"},
		{ID: 2, Code: Campaign2Code, Name: "Đợt cao điểm 2 năm 2022", PlanCode: PlanCode,
			Start: Campaign2Start, End: Campaign2End, ClassName: "Lớp đoàn viên 28/7"},
	}
	// What each upper union achieved by AsOf, to give it targets in the
	// same proportions (scaled by its performance).
	achieved := map[*upper]map[string]float64{}
	for _, u := range b.uppers {
		achieved[u] = map[string]float64{}
	}
	active := map[*grass]int{}
	for i := range d.Members {
		m := &d.Members[i]
		if m.ActiveOn(AsOf) {
			active[b.info[i].cur]++
		}
		a := achieved[b.info[i].g.up]
		if m.JoinedHow == domain.JoinedAdmitted && m.JoinedOn >= PlanStart {
			a[domain.MembersAdmitted]++
		}
		if p := m.PartyIntroducedOn; p >= PlanStart {
			a[domain.PartyIntroductions]++
		}
	}
	for _, g := range b.grass {
		if !g.isNew {
			continue
		}
		a := achieved[g.up]
		a[domain.UnionsFounded]++
		own := g.kind.ownership()
		if domain.IsEnterpriseOwnership(own) && active[g] >= domain.DefaultThreshold {
			a[domain.EnterpriseUnions25Plus]++
		}
		if domain.IsNonState(own) {
			a[domain.NonStateUnionsFounded]++
			a[domain.NonStateUnionMembers] += float64(active[g])
		}
	}
	for _, ind := range engine.Codes {
		d.Targets = append(d.Targets, domain.Target{PlanCode: PlanCode, UnitCode: RootCode, Indicator: ind, Target: Targets[ind]})
	}
	perUnit := map[string][]int64{}
	for _, ind := range engine.Codes {
		weights := make([]float64, len(b.uppers))
		for i, u := range b.uppers {
			base := achieved[u][ind]
			switch ind {
			case domain.MembersNetGrowth:
				base = achieved[u][domain.MembersAdmitted]
			case domain.NewMethodUnionsFounded:
				base = 1
			}
			smooth := 1.0
			if ind == domain.MembersAdmitted || ind == domain.MembersNetGrowth || ind == domain.NonStateUnionMembers || ind == domain.PartyIntroductions {
				smooth = 25
			}
			weights[i] = (base + smooth) / u.performance * (0.92 + 0.16*b.r.Float64())
			if ind == domain.NewMethodUnionsFounded {
				weights[i] = 1
			}
		}
		perUnit[ind] = apportion(Targets[ind], weights)
	}
	for i, u := range b.uppers {
		for _, ind := range engine.Codes {
			d.Targets = append(d.Targets, domain.Target{PlanCode: PlanCode, UnitCode: u.code, Indicator: ind, Target: perUnit[ind][i]})
		}
	}
}

// sortRecords puts members by unit and joining date and transfers by date,
// the order a person would keep them in.
func (b *builder) sortRecords() {
	// Every key ends with the national ID, so the order is total and an
	// unstable sort is deterministic.
	slices.SortFunc(b.d.Members, func(x, y domain.Member) int {
		return cmp.Or(cmp.Compare(x.UnitID, y.UnitID), cmp.Compare(x.JoinedOn, y.JoinedOn), strings.Compare(x.NationalID, y.NationalID))
	})
	slices.SortStableFunc(b.d.Transfers, func(x, y domain.Transfer) int {
		return cmp.Or(cmp.Compare(x.Date, y.Date), strings.Compare(x.NationalID, y.NationalID))
	})
	b.info = nil
}
