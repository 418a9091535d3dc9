// Package bench generates import files at the scale of the Hanoi federation
// (about 650,000 members in 6,400 grassroots unions under some 40 upper
// unions) and benchmarks the import and the reports on them.
//
// The generator is deterministic: the same sizes give byte-identical files.
// Every row obeys the rules of docs/import-formats.md, so the files import as they are, and
// the generator counts what a 2022 report must find in them (Expected).
package bench

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"congdoan/internal/demo"
	"congdoan/internal/domain"
	"congdoan/internal/engine"
	idgen "congdoan/internal/gen"
)

// The plan, its root unit, the report date and the campaigns of the data set.
// They are the demo's (internal/demo): one plan, at any scale.
const (
	PlanCode  = demo.PlanCode
	RootCode  = demo.RootCode
	AsOf      = "2022-07-08" // demo.AsOf
	Campaign1 = demo.Campaign1Code
	Campaign2 = demo.Campaign2Code
)

var (
	asOf    = demo.AsOf
	lastOld = demo.PlanStart - 1 // 2021-12-31: the last day of "before the plan"
)

// AsOfDate is AsOf as a date: the latest joined_on the generator writes,
// usable as importer.Importer.Today.
func AsOfDate() domain.Date { return asOf }

// Step is one import of a data set: the kind and the key of the file in
// DataSet.Files.
type Step struct{ Kind, Key string }

// ImportOrder is the order the files of a data set are imported in. Units
// come in two files: a grassroots unit may name an enterprise, which must be
// in the registry already, and an enterprise names its upper unit, which
// must exist before it.
var ImportOrder = []Step{
	{"units", "units-upper"},
	{"enterprises", "enterprises"},
	{"units", "units-grassroots"},
	{"members", "members"},
	{"transfers", "transfers"},
	{"plans", "plans"},
	{"targets", "targets"},
	{"campaigns", "campaigns"},
}

// Expected holds what the generator wrote, counted the way docs/indicators.md
// counts, for plan HN-2022 as of 2022-07-08 (window 2022-01-01..2022-07-08).
type Expected struct {
	Members, Grassroots, Enterprises, Transfers int
	// Root report (unit HN).
	MembersAdmitted    int64
	MembersNetGrowth   int64
	UnionsFounded      int64
	PartyIntroductions int64
	// MembersAdmitted of the report with campaign HN-2022-D1.
	Campaign1Admitted int64
	// District is the upper unit with the most grassroots units; its
	// report's members_admitted is DistrictAdmitted.
	District         string
	DistrictAdmitted int64
}

// DataSet is a generated data set.
type DataSet struct {
	Dir      string
	Files    map[string]string // key (see ImportOrder) -> path
	Expected Expected
}

// WriteHanoiScale writes a data set of members members in grassroots
// grassroots units into dir and returns its files by key (see ImportOrder).
func WriteHanoiScale(dir string, members, grassroots int) (files map[string]string, err error) {
	ds, err := Generate(dir, members, grassroots)
	if err != nil {
		return nil, err
	}
	return ds.Files, nil
}

// upper unit profiles: they decide the mix of grassroots units below.
const (
	urban = iota
	rural
	industrial
	public
	sector
)

type upperDef struct {
	code, name string
	profile    int
	weight     float64 // share of the grassroots units
}

// uppers are the federation's direct children: the 30 district federations
// of 2022 and ten sector unions.
var uppers = []upperDef{
	{"HN-BD", "LĐLĐ quận Ba Đình", urban, 1.4}, {"HN-HK", "LĐLĐ quận Hoàn Kiếm", urban, 1.4},
	{"HN-TH", "LĐLĐ quận Tây Hồ", urban, 1.0}, {"HN-LB", "LĐLĐ quận Long Biên", urban, 1.3},
	{"HN-CG", "LĐLĐ quận Cầu Giấy", urban, 1.8}, {"HN-DD", "LĐLĐ quận Đống Đa", urban, 1.6},
	{"HN-HBT", "LĐLĐ quận Hai Bà Trưng", urban, 1.5}, {"HN-HM", "LĐLĐ quận Hoàng Mai", urban, 1.3},
	{"HN-TX", "LĐLĐ quận Thanh Xuân", urban, 1.5}, {"HN-NTL", "LĐLĐ quận Nam Từ Liêm", urban, 1.7},
	{"HN-BTL", "LĐLĐ quận Bắc Từ Liêm", urban, 1.3}, {"HN-HD", "LĐLĐ quận Hà Đông", urban, 1.4},
	{"HN-ST", "LĐLĐ thị xã Sơn Tây", rural, 0.7}, {"HN-BV", "LĐLĐ huyện Ba Vì", rural, 0.8},
	{"HN-PT", "LĐLĐ huyện Phúc Thọ", rural, 0.6}, {"HN-DP", "LĐLĐ huyện Đan Phượng", rural, 0.6},
	{"HN-HDU", "LĐLĐ huyện Hoài Đức", rural, 0.8}, {"HN-QO", "LĐLĐ huyện Quốc Oai", rural, 0.7},
	{"HN-TT", "LĐLĐ huyện Thạch Thất", rural, 0.8}, {"HN-CM", "LĐLĐ huyện Chương Mỹ", rural, 0.8},
	{"HN-TO", "LĐLĐ huyện Thanh Oai", rural, 0.6}, {"HN-THT", "LĐLĐ huyện Thường Tín", rural, 0.7},
	{"HN-PX", "LĐLĐ huyện Phú Xuyên", rural, 0.6}, {"HN-UH", "LĐLĐ huyện Ứng Hòa", rural, 0.6},
	{"HN-MD", "LĐLĐ huyện Mỹ Đức", rural, 0.6}, {"HN-SS", "LĐLĐ huyện Sóc Sơn", rural, 0.9},
	{"HN-DA", "LĐLĐ huyện Đông Anh", rural, 1.1}, {"HN-GL", "LĐLĐ huyện Gia Lâm", rural, 1.0},
	{"HN-ML", "LĐLĐ huyện Mê Linh", rural, 0.9}, {"HN-TTR", "LĐLĐ huyện Thanh Trì", rural, 0.8},
	{"HN-KCN", "Công đoàn các Khu công nghiệp và chế xuất Hà Nội", industrial, 2.0},
	{"HN-GD", "Công đoàn ngành Giáo dục Hà Nội", public, 3.0},
	{"HN-YT", "Công đoàn ngành Y tế Hà Nội", public, 1.2},
	{"HN-VC", "Công đoàn Viên chức thành phố Hà Nội", public, 1.0},
	{"HN-GTVT", "Công đoàn ngành Giao thông vận tải Hà Nội", sector, 0.9},
	{"HN-XD", "Công đoàn ngành Xây dựng Hà Nội", sector, 0.9},
	{"HN-CT", "Công đoàn ngành Công Thương Hà Nội", sector, 0.8},
	{"HN-NN", "Công đoàn ngành Nông nghiệp và PTNT Hà Nội", sector, 0.5},
	{"HN-DL", "Công đoàn ngành Du lịch Hà Nội", sector, 0.4},
	{"HN-TCT", "Công đoàn Tổng Công ty Vận tải Hà Nội", sector, 0.3},
}

// gunit is a grassroots unit, kept in memory while the members are written.
type gunit struct {
	code      string
	upper     int
	founded   domain.Date
	dissolved domain.Date
	size      int
	new2022   bool
}

func (u *gunit) openOn(d domain.Date) bool {
	return u.founded <= d && (u.dissolved == 0 || d < u.dissolved)
}

// gen is the generator's one random source: every choice is drawn from it
// in a fixed order, which makes the output deterministic.
type gen struct {
	r *rand.Rand
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between is a day in [lo, hi].
func (g *gen) between(lo, hi domain.Date) domain.Date {
	if hi <= lo {
		return lo
	}
	return lo + domain.Date(g.r.IntN(int(hi-lo)+1))
}

// recent is a day in [lo, hi], more often near hi.
func (g *gen) recent(lo, hi domain.Date) domain.Date {
	if hi <= lo {
		return lo
	}
	return lo + domain.Date(math.Sqrt(g.r.Float64())*float64(hi-lo))
}

// day2022 is a day of the window [2022-01-01, 2022-07-08] on or after lo,
// a third of them in May, as in the 2022 campaign.
func (g *gen) day2022(lo domain.Date) domain.Date {
	lo = max(lo, demo.PlanStart)
	if lo <= demo.MayEnd && g.chance(0.34) {
		return g.between(max(lo, demo.MayStart), demo.MayEnd)
	}
	return g.between(lo, asOf)
}

func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// yearsAfter is the day n years after d, as the importer computes an age.
func yearsAfter(d domain.Date, n int) domain.Date {
	y, m, dd := d.Parts()
	return domain.NewDate(y+n, m, dd)
}

// csvFile is a buffered CSV file being written.
type csvFile struct {
	f  *os.File
	bw *bufio.Writer
	w  *csv.Writer
}

func create(path string, header ...string) (*csvFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	c := &csvFile{f: f, bw: bw, w: csv.NewWriter(bw)}
	return c, c.w.Write(header)
}

// row writes a record; an error sticks to the writer and close reports it.
func (c *csvFile) row(cells ...string) error { return c.w.Write(cells) }

func (c *csvFile) close() error {
	c.w.Flush()
	err := c.w.Error()
	if e := c.bw.Flush(); err == nil {
		err = e
	}
	if e := c.f.Close(); err == nil {
		err = e
	}
	return err
}

// Generate writes a data set into dir: 1 federation, the upper unions,
// grassroots grassroots units (a tenth founded in 2022), their enterprises,
// members members (about 4% admitted in 2022), a transfer for one member in
// 200, plan HN-2022 with its targets and two campaigns.
func Generate(dir string, members, grassroots int) (*DataSet, error) {
	if members < 1 || grassroots < 1 {
		return nil, fmt.Errorf("bench: need at least one member and one grassroots unit")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ds := &DataSet{Dir: dir, Files: map[string]string{}}
	for _, s := range ImportOrder {
		ds.Files[s.Key] = filepath.Join(dir, s.Key+".csv")
	}
	g := &gen{r: rand.New(rand.NewPCG(2022, 708))}
	units := g.planUnits(members, grassroots)
	ds.Expected.Members, ds.Expected.Grassroots = members, grassroots

	if err := writeUppers(ds.Files["units-upper"]); err != nil {
		return nil, err
	}
	n, err := g.writeGrassroots(ds.Files["enterprises"], ds.Files["units-grassroots"], units)
	if err != nil {
		return nil, err
	}
	ds.Expected.Enterprises = n
	perUpper := make([]int64, len(uppers))
	cands, err := g.writeMembers(ds.Files["members"], units, members, &ds.Expected, perUpper)
	if err != nil {
		return nil, err
	}
	if ds.Expected.Transfers, err = g.writeTransfers(ds.Files["transfers"], units, cands); err != nil {
		return nil, err
	}
	if err := writePlans(ds.Files["plans"]); err != nil {
		return nil, err
	}
	if err := writeTargets(ds.Files["targets"], units); err != nil {
		return nil, err
	}
	if err := writeCampaigns(ds.Files["campaigns"]); err != nil {
		return nil, err
	}
	for _, u := range units {
		if u.founded >= demo.PlanStart && u.founded <= asOf {
			ds.Expected.UnionsFounded++
		}
	}
	unitsPer := make([]int, len(uppers))
	for _, u := range units {
		unitsPer[u.upper]++
	}
	best := 0
	for i, n := range unitsPer {
		if p := uppers[i].profile; (p == urban || p == rural) && n > unitsPer[best] {
			best = i
		}
	}
	ds.Expected.District = uppers[best].code
	ds.Expected.DistrictAdmitted = perUpper[best]
	return ds, nil
}

// planUnits decides every grassroots unit: its upper unit, founding and
// dissolution dates and member count (summing to members).
func (g *gen) planUnits(members, grassroots int) []*gunit {
	var total float64
	for _, u := range uppers {
		total += u.weight
	}
	units := make([]*gunit, grassroots)
	counters := make([]int, len(uppers))
	for i := range units {
		x := g.r.Float64() * total
		up := 0
		for ; up < len(uppers)-1; up++ {
			x -= uppers[up].weight
			if x < 0 {
				break
			}
		}
		counters[up]++
		units[i] = &gunit{code: fmt.Sprintf("%s-%04d", uppers[up].code, counters[up]), upper: up}
	}
	// A tenth founded in the plan's window, a few (old ones) dissolved.
	perm := g.r.Perm(grassroots)
	nNew := (grassroots + 5) / 10
	nGone := 0
	if grassroots >= 20 {
		nGone = max(1, grassroots/200)
	}
	start1975 := domain.NewDate(1975, time.January, 1)
	for k, i := range perm {
		u := units[i]
		switch {
		case k < nNew:
			u.new2022 = true
			u.founded = g.day2022(demo.PlanStart)
		case k < nNew+nGone:
			u.founded = g.between(domain.NewDate(1990, time.January, 1), domain.NewDate(2017, time.December, 31))
			u.dissolved = g.between(u.founded+400, lastOld)
		default:
			u.founded = g.recent(start1975, lastOld)
		}
	}
	// Member counts: a new union starts with 8 to 45 members (about half of
	// them reach the threshold of 25), a dissolved one had a few; the rest
	// share the remainder, unevenly (industrial-park unions are big).
	fixed := 0
	for _, u := range units {
		if u.new2022 {
			u.size = 8 + g.r.IntN(38)
		} else if u.dissolved != 0 {
			u.size = 5 + g.r.IntN(26)
		} else {
			continue
		}
		fixed += u.size
	}
	if budget := members / 4; fixed > budget {
		scaled := 0
		for _, u := range units {
			if u.new2022 || u.dissolved != 0 {
				u.size = u.size * budget / fixed
				scaled += u.size
			}
		}
		fixed = scaled
	}
	rest := members - fixed
	weights := make([]float64, len(units))
	var sum float64
	for i, u := range units {
		if u.new2022 || u.dissolved != 0 {
			continue
		}
		w := math.Exp(g.r.NormFloat64() * 0.9)
		switch uppers[u.upper].profile {
		case industrial:
			w *= 4
		case public:
			w *= 0.6
		}
		weights[i] = w
		sum += w
	}
	if sum == 0 { // only new and dissolved units: the new ones take the rest
		for i, u := range units {
			if u.new2022 {
				weights[i], sum = 1, sum+1
			}
		}
		if sum == 0 {
			weights[0], sum = 1, 1
		}
	}
	var cum float64
	prev := 0
	for i, u := range units {
		if weights[i] == 0 {
			continue
		}
		cum += weights[i]
		upto := int(math.Round(cum / sum * float64(rest)))
		u.size += upto - prev
		prev = upto
	}
	return units
}

func writeUppers(path string) error {
	f, err := create(path, "code", "name", "parent_code", "kind", "ownership", "enterprise_tax_code", "founded_on", "decision_no", "method", "dissolved_on")
	if err != nil {
		return err
	}
	f.row(RootCode, "Liên đoàn Lao động thành phố Hà Nội", "", "federation", "", "", "", "", "standard", "")
	for i, u := range uppers {
		// Some rows in Vietnamese words and dates, as exports from the
		// district offices come.
		kind, founded := "upper", ""
		if i%3 == 0 {
			kind = "cấp trên cơ sở"
		}
		if i%4 == 0 {
			founded = domain.NewDate(2008, time.August, 1+i%28).VN()
		}
		f.row(u.code, u.name, RootCode, kind, "", "", founded, "", "standard", "")
	}
	return f.close()
}

var (
	sectors    = []string{"May mặc", "Điện tử", "Cơ khí", "Xây dựng", "Thương mại", "Dịch vụ", "Vận tải", "Thực phẩm", "Bao bì", "Công nghệ", "Dược phẩm", "In ấn"}
	brands     = []string{"Thăng Long", "Hồng Hà", "Đông Đô", "Kinh Bắc", "Tràng An", "Sông Đà", "Hà Thành", "Phương Đông", "Việt Hưng", "An Phát", "Minh Long", "Hòa Bình"}
	foreign    = []string{"Sumiden", "Hanvico", "Meiwa", "Kyoto Denki", "Daeyang", "Shinwon", "Toyoden", "Orient Tech", "Koyo", "Sungwoo"}
	streets    = []string{"phố Huế", "đường Láng", "phố Kim Mã", "đường Giải Phóng", "phố Xã Đàn", "đường Nguyễn Trãi", "phố Cầu Giấy", "đường Trường Chinh", "phố Tây Sơn", "đường Phạm Văn Đồng"}
	sources    = []string{"bhxh", "tax", "ward", "survey"}
	publicOrgs = []string{"Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường THPT", "Trạm Y tế", "Bệnh viện", "UBND phường", "Trung tâm Văn hóa", "Ban Quản lý dự án"}
	trades     = []string{"xe ôm", "giúp việc gia đình", "bán hàng", "thợ may", "cửu vạn", "sửa chữa xe"}
)

// taxCodes hands out 10-digit Hanoi tax codes (starting 01) with a valid
// check digit, and now and then the branch of the last one.
type taxCodes struct {
	next   int
	last   string
	branch int
}

func (t *taxCodes) code(branch bool) string {
	if branch && t.last != "" {
		t.branch++
		return fmt.Sprintf("%s-%03d", t.last, t.branch)
	}
	for {
		t.next += 7 // spread the codes a little
		code, ok := idgen.TaxCode(fmt.Sprintf("01%07d", t.next%10_000_000))
		if !ok {
			continue
		}
		t.last, t.branch = code, 0
		return t.last
	}
}

// ownership picks the ownership of a grassroots unit from its upper's
// profile: an enterprise's ownership when linked is true.
func (g *gen) ownership(profile int, isNew bool) (own string, linked bool) {
	x := g.r.Float64()
	switch profile {
	case industrial:
		linked = x < 0.95
		if linked {
			return pickWeighted(g, []string{"fdi", "private", "state"}, []float64{0.6, 0.35, 0.05}), true
		}
		return "private", false
	case public:
		if x < 0.93 {
			return "public", false
		}
		return "cooperative", false
	case sector:
		linked = x < 0.7 || isNew && x < 0.9
		if linked {
			return pickWeighted(g, []string{"state", "private", "fdi"}, []float64{0.4, 0.55, 0.05}), true
		}
		return "public", false
	}
	p := 0.55
	if profile == rural {
		p = 0.4
	}
	if isNew {
		p = 0.8
	}
	if x < p {
		return pickWeighted(g, []string{"private", "fdi", "state"}, []float64{0.75, 0.1, 0.15}), true
	}
	return pickWeighted(g, []string{"public", "cooperative", "informal", "private"}, []float64{0.65, 0.12, 0.15, 0.08}), false
}

func pickWeighted(g *gen, items []string, w []float64) string {
	x := g.r.Float64()
	for i, p := range w {
		if x < p {
			return items[i]
		}
		x -= p
	}
	return items[len(items)-1]
}

func enterpriseName(g *gen, own string, n int) string {
	switch own {
	case "fdi":
		return fmt.Sprintf("Công ty TNHH %s Việt Nam %d", pick(g, foreign), n)
	case "state":
		return fmt.Sprintf("Công ty TNHH MTV %s %s %d", pick(g, sectors), pick(g, brands), n)
	}
	if g.chance(0.5) {
		return fmt.Sprintf("Công ty Cổ phần %s %s %d", pick(g, sectors), pick(g, brands), n)
	}
	return fmt.Sprintf("Công ty TNHH %s %s %d", pick(g, sectors), pick(g, brands), n)
}

// writeGrassroots writes the grassroots units and, alongside, the
// enterprise registry: the linked enterprises and some with no union yet.
func (g *gen) writeGrassroots(entPath, unitPath string, units []*gunit) (int, error) {
	ef, err := create(entPath, "tax_code", "name", "ownership", "employees", "address", "area", "unit_code", "source")
	if err != nil {
		return 0, err
	}
	uf, err := create(unitPath, "code", "name", "parent_code", "kind", "ownership", "enterprise_tax_code", "founded_on", "decision_no", "method", "dissolved_on")
	if err != nil {
		ef.close()
		return 0, err
	}
	var tc taxCodes
	nEnt := 0
	enterprise := func(own, upper string, employees int) (string, string) {
		nEnt++
		code := tc.code(nEnt%20 == 0)
		name := enterpriseName(g, own, nEnt)
		area := ""
		if g.chance(0.6) {
			area = "phường " + pick(g, brands)
		}
		ef.row(code, name, own, strconv.Itoa(employees), fmt.Sprintf("Số %d %s", 1+g.r.IntN(300), pick(g, streets)),
			area, upper, pick(g, sources))
		return code, name
	}
	for i, u := range units {
		up := uppers[u.upper]
		own, linked := g.ownership(up.profile, u.new2022)
		var name, tax, ownCell string
		if linked {
			employees := u.size + g.r.IntN(u.size+20)
			tax, name = enterprise(own, up.code, employees)
			name = "Công đoàn " + name
			if g.chance(0.3) { // stated although the registry has it
				ownCell = own
			}
		} else {
			ownCell = own
			switch own {
			case "public":
				name = fmt.Sprintf("Công đoàn %s %s số %d", pick(g, publicOrgs), pick(g, brands), 1+i%50)
			case "cooperative":
				name = fmt.Sprintf("Công đoàn Hợp tác xã %s %s", pick(g, sectors), pick(g, brands))
			case "informal":
				name = fmt.Sprintf("Nghiệp đoàn %s phường %s", pick(g, trades), pick(g, brands))
			default:
				name = fmt.Sprintf("Công đoàn Hộ kinh doanh %s %d", pick(g, brands), i)
			}
		}
		method := "standard"
		if u.new2022 && g.chance(0.25) || !u.new2022 && u.founded.Year() >= 2019 && g.chance(0.05) {
			method = "new"
			if g.chance(0.3) {
				method = "phương thức mới"
			}
		}
		founded := u.founded.String()
		if i%10 == 3 {
			founded = u.founded.VN()
		}
		kind := "grassroots"
		if i%7 == 0 {
			kind = "cơ sở"
		}
		decision := ""
		if g.chance(0.9) {
			decision = fmt.Sprintf("%d/QĐ-LĐLĐ", 1+g.r.IntN(999))
		}
		uf.row(u.code, name, up.code, kind, ownCell, tax, founded, decision, method, u.dissolved.String())
	}
	// Enterprises of the labour-source map with no union yet.
	for i := 0; i < len(units)*3/10; i++ {
		up := uppers[g.r.IntN(len(uppers))]
		if up.profile == public {
			continue
		}
		own := pickWeighted(g, []string{"private", "fdi", "state"}, []float64{0.85, 0.1, 0.05})
		enterprise(own, up.code, 10+g.r.IntN(200))
	}
	err = uf.close()
	if e := ef.close(); err == nil {
		err = e
	}
	return nEnt, err
}

// transferCand is a member who may be transferred.
type transferCand struct {
	id     string
	joined domain.Date
	unit   int
}

// writeMembers writes the members unit by unit and counts what a 2022
// report finds.
func (g *gen) writeMembers(path string, units []*gunit, members int, exp *Expected, perUpper []int64) ([]transferCand, error) {
	f, err := create(path, "national_id", "id_type", "full_name", "date_of_birth", "gender", "unit_code", "joined_on", "joined_how", "left_on", "party_introduced_on", "card_no")
	if err != nil {
		return nil, err
	}
	// Members admitted in 2022 in the old units make up, with those of the
	// new units, about 4% of all.
	newMembers, oldMembers := 0, 0
	for _, u := range units {
		if u.new2022 {
			newMembers += u.size
		} else if u.dissolved == 0 {
			oldMembers += u.size
		}
	}
	pOld := 0.005
	if oldMembers > 0 {
		pOld = max(pOld, (0.04*float64(members)-float64(newMembers))/float64(oldMembers))
	}
	pTransfer := float64(max(20, members/200)) / float64(members) * 1.2
	var cands []transferCand
	birthFloor := domain.NewDate(1962, time.January, 1)
	i := 0
	for ui, u := range units {
		for k := 0; k < u.size; k++ {
			female := g.chance(0.55)
			// The latest day this member could have joined decides how old
			// they can be.
			latest := asOf
			recentJoin := u.new2022 || u.dissolved == 0 && g.chance(pOld)
			switch {
			case u.dissolved != 0:
				latest = u.dissolved - 1
			case !recentJoin:
				latest = lastOld
			}
			hiBirth := min(domain.NewDate(2004, time.December, 31), yearsAfter(latest, -16))
			loBirth := birthFloor
			if hiBirth < loBirth+3650 {
				loBirth = hiBirth - 3650*3
			}
			if recentJoin {
				loBirth = max(loBirth, domain.NewDate(1975, time.January, 1)) // the newly admitted are younger
			}
			birth := g.between(loBirth, hiBirth)
			lo := max(u.founded, yearsAfter(birth, 15))
			var joined domain.Date
			switch {
			case u.new2022:
				if g.chance(0.7) { // admitted at the founding congress
					joined = lo
				} else {
					joined = g.between(lo, asOf)
				}
			case recentJoin:
				joined = g.day2022(lo)
			default:
				joined = g.recent(lo, latest)
			}
			how := "admitted"
			if g.chance(0.03) {
				how = "transferred"
				if g.chance(0.2) {
					how = "chuyển đến"
				}
			}
			var left domain.Date
			switch {
			case u.dissolved != 0:
				left = u.dissolved
			case joined < asOf && g.chance(0.05):
				if g.chance(0.3) {
					left = g.between(max(joined+1, demo.PlanStart), asOf)
				} else {
					left = g.between(joined+1, asOf)
				}
			}
			lastActive := asOf
			if left != 0 {
				lastActive = min(asOf, left-1)
			}
			var party domain.Date
			if g.chance(0.012) {
				if lastActive >= demo.PlanStart && g.chance(0.5) {
					party = g.between(max(joined, demo.PlanStart), lastActive)
				} else {
					party = g.between(joined, lastActive)
				}
			}

			id, idType := "", ""
			switch {
			case g.chance(0.02):
				id, idType = idgen.CMND(i), "cmnd"
			default:
				id = idgen.NumberedCCCD(i, birth.Year(), female)
				if g.chance(0.5) {
					idType = "cccd"
				}
			}
			gender := "male"
			if female {
				gender = "female"
			}
			name := idgen.PersonName(g.r, female)
			if i%10 == 5 {
				gender = map[string]string{"male": "Nam", "female": "Nữ"}[gender]
			}
			joinedCell := joined.String()
			if i%10 == 7 {
				joinedCell = joined.VN()
			}
			card := ""
			if g.chance(0.8) {
				card = fmt.Sprintf("HN%08d", i+1)
			}
			if err := f.row(id, idType, name, birth.String(), gender, u.code, joinedCell, how, left.String(), party.String(), card); err != nil {
				f.close()
				return nil, err
			}

			admitted := how == "admitted"
			if admitted && joined >= demo.PlanStart && joined <= asOf {
				exp.MembersAdmitted++
				perUpper[u.upper]++
			}
			if admitted && joined >= demo.Campaign1Start && joined <= min(asOf, demo.Campaign1End) {
				exp.Campaign1Admitted++
			}
			active := func(d domain.Date) bool { return joined <= d && (left == 0 || d < left) }
			if active(asOf) {
				exp.MembersNetGrowth++
			}
			if active(demo.PlanStart - 1) {
				exp.MembersNetGrowth--
			}
			if party >= demo.PlanStart && party <= asOf {
				exp.PartyIntroductions++
			}
			if left == 0 && joined < asOf-1 && g.chance(pTransfer) {
				cands = append(cands, transferCand{id: id, joined: joined, unit: ui})
			}
			i++
		}
	}
	return cands, f.close()
}

// writeTransfers moves the candidates to another grassroots unit open on the
// day, mostly in 2022; a tenth move twice.
func (g *gen) writeTransfers(path string, units []*gunit, cands []transferCand) (int, error) {
	f, err := create(path, "national_id", "to_unit_code", "date")
	if err != nil {
		return 0, err
	}
	n := 0
	target := func(from int, d domain.Date) int {
		for try := 0; try < 50; try++ {
			j := g.r.IntN(len(units))
			if j != from && units[j].openOn(d) {
				return j
			}
		}
		return -1
	}
	for _, c := range cands {
		// Active on the day before: the earliest day is joined + 1.
		var d domain.Date
		if c.joined < lastOld && g.chance(0.1) {
			d = g.between(c.joined+1, lastOld)
		} else {
			d = g.between(max(c.joined+1, demo.PlanStart+1), asOf)
		}
		j := target(c.unit, d)
		if j < 0 {
			continue
		}
		dateCell := d.String()
		if n%9 == 4 {
			dateCell = d.VN()
		}
		f.row(c.id, units[j].code, dateCell)
		n++
		if d < asOf-1 && g.chance(0.1) {
			d2 := g.between(d+1, asOf)
			if k := target(j, d2); k >= 0 {
				f.row(c.id, units[k].code, d2.String())
				n++
			}
		}
	}
	return n, f.close()
}

func writePlans(path string) error {
	f, err := create(path, "code", "name", "unit_code", "start", "end", "threshold_members")
	if err != nil {
		return err
	}
	f.row(PlanCode, "Kế hoạch phát triển đoàn viên, thành lập CĐCS năm 2022", RootCode, demo.PlanStart.String(), demo.PlanEnd.String(), "25")
	return f.close()
}

// writeTargets assigns every indicator to the federation and each upper
// unit, from the sizes of their subtrees; the federation keeps a reserve.
func writeTargets(path string, units []*gunit) error {
	f, err := create(path, "plan_code", "unit_code", "indicator", "target")
	if err != nil {
		return err
	}
	membersPer := make([]float64, len(uppers))
	unitsPer := make([]float64, len(uppers))
	for _, u := range units {
		membersPer[u.upper] += float64(u.size)
		unitsPer[u.upper]++
	}
	targets := func(m, n float64) [8]int64 {
		founded := math.Round(n * 0.13)
		return [8]int64{
			int64(math.Round(m * 0.07)), // members_admitted
			int64(math.Round(m * 0.05)), // members_net_growth
			int64(founded),              // unions_founded
			int64(math.Round(founded * 0.3)),
			int64(math.Round(founded * 0.55)),
			int64(math.Round(founded * 0.55 * 28)),
			int64(math.Round(founded * 0.2)),
			int64(math.Round(m * 0.004)), // party_introductions
		}
	}
	var sum [8]int64
	for i, up := range uppers {
		t := targets(membersPer[i], unitsPer[i])
		for k, code := range engine.Codes {
			sum[k] += t[k]
			f.row(PlanCode, up.code, code, strconv.FormatInt(t[k], 10))
		}
	}
	for k, code := range engine.Codes {
		f.row(PlanCode, RootCode, code, strconv.FormatInt(sum[k]+sum[k]/20, 10))
	}
	return f.close()
}

func writeCampaigns(path string) error {
	f, err := create(path, "code", "name", "plan_code", "start", "end", "class_name")
	if err != nil {
		return err
	}
	f.row(Campaign1, "Đợt cao điểm 1 năm 2022", PlanCode, demo.Campaign1Start.String(), demo.Campaign1End.String(), "Lớp đoàn viên tháng 5")
	f.row(Campaign2, "Đợt cao điểm 2 năm 2022", PlanCode, demo.Campaign2Start.VN(), demo.Campaign2End.VN(), "Lớp đoàn viên 28/7")
	return f.close()
}
