package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// The organising pipeline of the demo: the gap list of every district and
// ward worked for the last months before today (contacts, founding groups,
// applications, a few paused), collaborators of four district unions, a
// history for some of the unions founded in 2022 (so the 2022 report has
// its funnel and days to founding), and join requests waiting, some past
// their 10 working days. It draws from its own seeded generator: the
// members and figures of the demo do not change.

// DemoCollaborators is how many responsible units get a collaborator
// ("ctv.<unit code>", password Password).
const DemoCollaborators = 4

var outreachNotes = []string{
	"Gặp giám đốc nhân sự, giới thiệu quyền lợi đoàn viên",
	"Phát tờ rơi tại cổng công ty giờ tan ca",
	"Gọi điện cho tổ trưởng sản xuất, hẹn gặp nhóm công nhân",
	"Nhắn Zalo nhóm công nhân khu nhà trọ",
	"Họp với nhóm người lao động nòng cốt tại nhà văn hoá phường",
	"Chủ doanh nghiệp chưa đồng ý, hẹn trao đổi lại",
	"Tư vấn pháp luật lao động cho người lao động",
}

var nextSteps = []string{
	"Hẹn gặp lại ban giám đốc",
	"Tổ chức buổi tuyên truyền giờ nghỉ trưa",
	"Vận động thêm người vào ban vận động",
	"Thu đơn gia nhập",
	"Chuẩn bị hồ sơ đề nghị công nhận CĐCS",
}

var pauseReasons = []string{
	"Doanh nghiệp tạm ngừng sản xuất",
	"Chủ doanh nghiệp từ chối làm việc, chờ thay đổi ban giám đốc",
	"Phần lớn lao động là thời vụ, chờ ký hợp đồng chính thức",
}

var positions = []string{"Công nhân may", "Tổ trưởng sản xuất", "Kỹ thuật viên", "Nhân viên kho", "Công nhân đóng gói", "Kế toán"}

var channelNames = []string{"visit", "phone", "zalo", "meeting"}

// LoadOrganising writes the demo's pipeline and join requests into a store
// where the demo data set d is loaded, with today as the last day, and
// makes the collaborators.
func LoadOrganising(ctx context.Context, st *store.Store, d *Data, today domain.Date) error {
	b := &builder{r: rand.New(rand.NewPCG(2026, 11)), usedIDs: map[string]bool{}, usedNm: map[string]bool{}}
	root, err := st.Unit(ctx, RootCode)
	if err != nil {
		return err
	}
	var gaps []store.GapEnterprise
	if err := st.GapEnterprises(ctx, root, today, domain.GapMinWorkers, func(g *store.GapEnterprise) error {
		gaps = append(gaps, *g)
		return nil
	}); err != nil {
		return err
	}
	slices.SortFunc(gaps, func(a, b store.GapEnterprise) int {
		return strings.Compare(a.UnitCode+a.TaxCode, b.UnitCode+b.TaxCode)
	})
	// Collaborators of the responsible units with the most gap enterprises.
	count := map[string]int{}
	for _, g := range gaps {
		count[g.UnitCode]++
	}
	var units []string
	for u := range count {
		units = append(units, u)
	}
	slices.SortFunc(units, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	collab := map[string]string{}
	for _, u := range units[:min(DemoCollaborators, len(units))] {
		name := "ctv." + strings.ToLower(u)
		if taken, err := st.UserExists(ctx, name); err != nil {
			return err
		} else if !taken {
			if err := st.AddUser(ctx, "demo", name, Password, "collaborator", u); err != nil {
				return err
			}
		}
		collab[u] = name
	}

	var pipes []store.PipelineSeed
	var joins []store.JoinSeed
	for _, g := range gaps {
		roll := b.r.Float64()
		var stage string
		switch {
		case roll < 0.30:
			continue // mapped: nobody went yet
		case roll < 0.60:
			stage = store.StageContacted
		case roll < 0.75:
			stage = store.StageFoundingGroup
		case roll < 0.87:
			stage = store.StageApplications
		default:
			stage = store.StagePaused
		}
		by := collab[g.UnitCode]
		if by == "" {
			by = "demo"
		}
		first := today.AddDays(-b.intn(20, 160))
		p := b.pipeline(g.TaxCode, stage, first, today, by)
		if collab[g.UnitCode] != "" && b.chance(0.7) {
			p.Organisers = []string{collab[g.UnitCode]}
		}
		if stage == store.StageApplications {
			for range b.intn(2, 4) {
				joins = append(joins, store.JoinSeed{TaxCode: g.TaxCode, Request: b.joinRequest(g.Name, first, today)})
			}
		}
		pipes = append(pipes, p)
	}
	// Unions founded in 2022 at enterprises, a third of them worked
	// through the pipeline first.
	for _, u := range d.Units {
		if u.Kind != domain.KindGrassroots || u.EnterpriseTaxCode == "" || u.FoundedOn.IsZero() || u.FoundedOn.Year() != 2022 || !b.chance(0.33) {
			continue
		}
		first := u.FoundedOn.AddDays(-b.intn(25, 150))
		p := b.pipeline(u.EnterpriseTaxCode, store.StageApplications, first, u.FoundedOn.AddDays(-1), "demo")
		p.Stage, p.Since, p.PauseReason = store.StageFounded, u.FoundedOn, ""
		p.Events = append(p.Events, store.PipelineEvent{On: u.FoundedOn, Stage: store.StageFounded, Note: "Quyết định công nhận " + u.DecisionNo, By: "demo"})
		pipes = append(pipes, p)
	}
	// Join requests at a few open unions: a worker scanned the poster.
	var open []domain.Unit
	for _, u := range d.Units {
		if u.Kind == domain.KindGrassroots && u.OpenOn(today) {
			open = append(open, u)
		}
	}
	for range min(15, len(open)) {
		u := pickOf(b, open)
		for range b.intn(1, 3) {
			joins = append(joins, store.JoinSeed{UnitCode: u.Code, Request: b.joinRequest(strings.TrimPrefix(u.Name, "CĐCS "), today.AddDays(-40), today)})
		}
	}
	return st.SeedOrganising(ctx, "demo", pipes, joins)
}

// pipeline makes the record of an enterprise worked from first to last
// (at most), ending at stage.
func (b *builder) pipeline(taxCode, stage string, first, last domain.Date, by string) store.PipelineSeed {
	p := store.PipelineSeed{TaxCode: taxCode, Stage: stage, FirstContact: first}
	day := first
	step := func() domain.Date {
		day = day.AddDays(b.intn(5, 30))
		if day > last {
			day = last
		}
		return day
	}
	p.Events = append(p.Events, store.PipelineEvent{On: first, Stage: store.StageContacted, By: by})
	order := []string{store.StageFoundingGroup, store.StageApplications}
	target := slices.Index(order, stage)
	if stage == store.StagePaused {
		target = b.intn(-1, 0)
	}
	for i := 0; i <= target; i++ {
		p.Events = append(p.Events, store.PipelineEvent{On: step(), Stage: order[i], By: by})
	}
	if stage == store.StagePaused {
		p.PauseReason = pickOf(b, pauseReasons)
		p.Events = append(p.Events, store.PipelineEvent{On: step(), Stage: store.StagePaused, Note: p.PauseReason, By: by})
	}
	p.Since = p.Events[len(p.Events)-1].On
	// Outreach between the first contact and the last event; a quarter of
	// the enterprises not contacted for over a month.
	lastContact := p.Since
	if stage != store.StagePaused && !b.chance(0.25) {
		lastContact = last.AddDays(-b.intn(0, 20))
		if lastContact < p.Since {
			lastContact = p.Since
		}
	}
	n := b.intn(1, 4)
	for i := range n {
		on := first
		if n > 1 {
			on = first.AddDays(int(lastContact-first) * i / (n - 1))
		}
		o := store.Outreach{On: on, Channel: pickOf(b, channelNames), Note: pickOf(b, outreachNotes), By: by}
		if b.chance(0.6) {
			o.NextStep, o.NextOn = pickOf(b, nextSteps), on.AddDays(b.intn(3, 21))
		}
		p.Outreach = append(p.Outreach, o)
	}
	p.LastContact = lastContact
	if stage == store.StageFoundingGroup || stage == store.StageApplications {
		for range b.intn(3, 5) {
			g := "male"
			if b.chance(0.55) {
				g = "female"
			}
			p.Founders = append(p.Founders, store.Founder{FullName: b.personName(g), Position: pickOf(b, positions),
				Phone: fmt.Sprintf("09%08d", b.r.IntN(100_000_000))})
		}
	}
	return p
}

// joinRequest is a worker's request made between from and today: pending,
// or (one in six) rejected.
func (b *builder) joinRequest(workplace string, from, today domain.Date) store.JoinRequest {
	g := "male"
	if b.chance(0.55) {
		g = "female"
	}
	birth := domain.NewDate(b.intn(1975, 2005), 1, 1).AddDays(b.intn(0, 364))
	created := today.AddDays(-b.intn(0, 18))
	if created < from {
		created = from
	}
	j := store.JoinRequest{FullName: b.personName(g), IDType: "cccd", DateOfBirth: birth, Gender: g, Workplace: workplace,
		Phone: fmt.Sprintf("09%08d", b.r.IntN(100_000_000)), CreatedOn: created, Status: store.JoinPending}
	j.NationalID = demoCCCD(b, birth, g)
	if b.chance(1.0 / 6) {
		j.Status, j.DecidedOn, j.DecidedBy, j.Reason = store.JoinRejected, created.AddDays(b.intn(1, 8)), "demo", "Không làm việc tại doanh nghiệp"
		if j.DecidedOn > today {
			j.DecidedOn = today
		}
	}
	return j
}

// demoCCCD is a CCCD consistent with a birth date and gender, registered
// in Hà Nội. It may rarely be a member's: approving it is then a transfer.
func demoCCCD(b *builder, birth domain.Date, gender string) string {
	y := birth.Year()
	cs := 0
	if y >= 2000 {
		cs = 2
	}
	if gender == "female" {
		cs++
	}
	return fmt.Sprintf("001%d%02d9%05d", cs, y%100, b.r.IntN(100_000))
}
