package summary

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/msg"
	"congdoan/internal/vn"
)

// Facts is what a summary is written from.
type Facts struct {
	Report *engine.Report
	// Threshold is the plan's member threshold of enterprise_unions_25plus
	// (0: domain.DefaultThreshold).
	Threshold int64
	// Peak is the busiest month and its leading units (plan reports; nil
	// where there is none).
	Peak *Peak
	// Grassroots is set when the report's unit is a grassroots union: it
	// founds no unions, so the text speaks of its members only.
	Grassroots bool
}

// Text writes the summary: paragraphs separated by a blank line, numbers
// and dates written the Vietnamese way (24.396; 40,8 %; 8/7/2022).
func Text(f Facts) string {
	if f.Report == nil {
		return ""
	}
	if f.Threshold <= 0 {
		f.Threshold = domain.DefaultThreshold
	}
	var ps []string
	if f.Report.Campaign != nil {
		ps = campaignText(f)
	} else {
		ps = planText(f)
	}
	return strings.Join(ps, "\n\n")
}

// Paragraphs splits a summary into its paragraphs.
func Paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func planText(f Facts) []string {
	r := f.Report
	if r.Window.End < r.Window.Start {
		return []string{fmt.Sprintf("%s bắt đầu từ ngày %s; tính đến ngày %s chưa có số liệu.",
			capitalize(r.Plan.Name), DMY(r.Plan.Start), DMY(r.AsOf))}
	}
	ps := []string{strings.TrimSpace(fmt.Sprintf("Tính đến ngày %s, %s đã %s. %s", DMY(r.AsOf), subject(f), headline(f, false), detail(f, false)))}
	if p := pace(f); p != "" {
		ps = append(ps, p)
	}
	if p := f.Peak; p != nil && (p.Founded > 0 || p.Admitted > 0) {
		ps = append(ps, peakText(f))
	}
	if p := standingsText(f); p != "" {
		ps = append(ps, p)
	}
	return ps
}

func campaignText(f Facts) []string {
	r := f.Report
	c := r.Campaign
	span := Span(c.Start, c.End)
	who := subject(f)
	if r.Window.End < r.Window.Start {
		return []string{fmt.Sprintf("%s (%s) chưa bắt đầu; tính đến ngày %s chưa có kết quả.", capitalize(c.Name), span, DMY(r.AsOf))}
	}
	var lead string
	if r.Window.End >= c.End {
		lead = fmt.Sprintf("Trong %s (%s), %s đã %s.", c.Name, span, who, headline(f, true))
	} else {
		lead = fmt.Sprintf("Tính đến ngày %s, trong %s (%s), %s đã %s.", DMY(r.Window.End), c.Name, span, who, headline(f, true))
	}
	ps := []string{strings.TrimSpace(lead + " " + detail(f, true))}
	if ls := Leaders(r, MaxLeaders); len(ls) > 0 {
		ps = append(ps, "Các đơn vị có kết quả cao nhất trong đợt: "+leaderList(ls)+".")
	}
	return ps
}

// subject is who did it: "các cấp Công đoàn thuộc LĐLĐ quận Cầu Giấy", or
// the grassroots union itself.
func subject(f Facts) string {
	if f.Grassroots {
		return f.Report.Unit.Name
	}
	return "các cấp Công đoàn thuộc " + f.Report.Unit.Name
}

// headline is "thành lập mới 306/750 CĐCS (đạt 40,8 % kế hoạch); kết nạp
// mới 24.396/47.855 đoàn viên (đạt 50,98 %); phát triển thực tăng …". In a
// campaign the numbers are the campaign's, compared with the plan's
// targets.
func headline(f Facts, campaign bool) string {
	r := f.Report
	founded, admitted, net := Indicator(r, domain.UnionsFounded), Indicator(r, domain.MembersAdmitted), Indicator(r, domain.MembersNetGrowth)
	first := true
	pct := func(in engine.Indicator, unit string) string {
		if in.Percent == nil {
			return ""
		}
		defer func() { first = false }()
		if campaign {
			return fmt.Sprintf(" (bằng %s chỉ tiêu kế hoạch là %s %s)", vn.Percent(*in.Percent), vn.Int(*in.Target), unit)
		}
		if first {
			return fmt.Sprintf(" (đạt %s kế hoạch)", vn.Percent(*in.Percent))
		}
		return fmt.Sprintf(" (đạt %s)", vn.Percent(*in.Percent))
	}
	num := func(in engine.Indicator) string {
		if campaign {
			return vn.Int(in.Actual)
		}
		return Of(in)
	}
	var parts []string
	if !f.Grassroots || founded.Actual != 0 || founded.Target != nil {
		parts = append(parts, "thành lập mới "+num(founded)+" CĐCS"+pct(founded, "CĐCS"))
	}
	parts = append(parts, "kết nạp mới "+num(admitted)+" đoàn viên"+pct(admitted, "đoàn viên"))
	if net.Actual >= 0 {
		parts = append(parts, "phát triển thực tăng "+num(net)+" đoàn viên"+pct(net, "đoàn viên"))
	} else {
		s := "số đoàn viên thực giảm " + vn.Int(-net.Actual)
		if net.Target != nil {
			s += fmt.Sprintf(" (chỉ tiêu thực tăng %s đoàn viên)", vn.Int(*net.Target))
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// detail is the article's "Trong đó, …" sentence. A figure that is 0 and
// had no target is left out; so is the sentence when nothing is left.
func detail(f Facts, campaign bool) string {
	r := f.Report
	num := func(code string) string {
		in := Indicator(r, code)
		if campaign {
			return vn.Int(in.Actual)
		}
		return Of(in)
	}
	some := func(codes ...string) bool {
		for _, c := range codes {
			in := Indicator(r, c)
			if in.Actual != 0 || in.Target != nil && !campaign {
				return true
			}
		}
		return false
	}
	var items []string
	if some(domain.NonStateUnionsFounded, domain.NonStateUnionMembers) {
		items = append(items, fmt.Sprintf("thành lập được %s CĐCS doanh nghiệp ngoài khu vực Nhà nước với %s đoàn viên",
			num(domain.NonStateUnionsFounded), num(domain.NonStateUnionMembers)))
	}
	if some(domain.EnterpriseUnions25Plus) {
		items = append(items, fmt.Sprintf("thành lập được %s CĐCS doanh nghiệp có từ %d đoàn viên trở lên", num(domain.EnterpriseUnions25Plus), f.Threshold))
	}
	if some(domain.PartyIntroductions) {
		items = append(items, fmt.Sprintf("giới thiệu %s đoàn viên ưu tú cho cấp ủy Đảng xem xét, bồi dưỡng kết nạp", num(domain.PartyIntroductions)))
	}
	if some(domain.NewMethodUnionsFounded) {
		items = append(items, fmt.Sprintf("thành lập %s CĐCS theo phương thức mới", num(domain.NewMethodUnionsFounded)))
	}
	if len(items) == 0 {
		return ""
	}
	return "Trong đó, " + strings.Join(items, "; ") + "."
}

// pace compares every indicator that has a target with the plan's pace.
func pace(f Facts) string {
	r := f.Report
	elapsed, days := Elapsed(r)
	ended := elapsed >= days
	var behind, ok []string
	for _, in := range r.Indicators {
		if in.Target == nil || in.Expected == nil || in.Status == nil {
			continue
		}
		name := Name(in.Code, f.Threshold)
		if *in.Status == engine.StatusBehind {
			if ended {
				behind = append(behind, fmt.Sprintf("%s (%s)", name, Of(in)))
			} else {
				behind = append(behind, fmt.Sprintf("%s (%s, cần đạt %s)", name, vn.Int(in.Actual), vn.Count(*in.Expected)))
			}
		} else {
			ok = append(ok, name)
		}
	}
	if len(behind)+len(ok) == 0 {
		return ""
	}
	var lead, behindWord, okWord, allBehind, allOK string
	if ended {
		lead = fmt.Sprintf("Kết thúc kế hoạch (ngày %s), ", DMY(r.Plan.End))
		behindWord, okWord = "các chỉ tiêu chưa hoàn thành: ", "các chỉ tiêu đã hoàn thành: "
		allBehind, allOK = "tất cả các chỉ tiêu đều chưa hoàn thành: ", "tất cả các chỉ tiêu đều đã hoàn thành"
	} else {
		lead = fmt.Sprintf("So với tiến độ kế hoạch (đã qua %s/%s ngày), ", vn.Int(elapsed), vn.Int(days))
		behindWord, okWord = "các chỉ tiêu còn chậm: ", "các chỉ tiêu đạt tiến độ: "
		allBehind, allOK = "tất cả các chỉ tiêu đều chậm so với tiến độ: ", "tất cả các chỉ tiêu đều đạt tiến độ"
	}
	switch {
	case len(ok) == 0:
		return lead + allBehind + strings.Join(behind, "; ") + "."
	case len(behind) == 0:
		return lead + allOK + "."
	}
	return lead + behindWord + strings.Join(behind, "; ") + "; " + okWord + strings.Join(ok, ", ") + "."
}

func peakText(f Facts) string {
	p := f.Peak
	var parts []string
	if p.Founded > 0 {
		s := fmt.Sprintf("thành lập mới %s/%s CĐCS", vn.Int(p.Founded), vn.Int(Indicator(f.Report, domain.UnionsFounded).Actual))
		if p.FoundedShare != nil {
			s += fmt.Sprintf(" (chiếm %s tổng số CĐCS thành lập mới trong kỳ)", vn.Percent(*p.FoundedShare))
		}
		parts = append(parts, s)
	}
	if p.Admitted > 0 {
		s := fmt.Sprintf("kết nạp mới %s/%s đoàn viên", vn.Int(p.Admitted), vn.Int(Indicator(f.Report, domain.MembersAdmitted).Actual))
		if p.AdmittedShare != nil {
			s += fmt.Sprintf(" (chiếm %s tổng số đoàn viên kết nạp mới trong kỳ)", vn.Percent(*p.AdmittedShare))
		}
		parts = append(parts, s)
	}
	s := fmt.Sprintf("Riêng trong tháng %s, các đơn vị đã %s.", MonthYear(p.Start), strings.Join(parts, ", "))
	if len(p.Leaders) > 0 {
		s += " Tiêu biểu là các đơn vị: " + leaderList(p.Leaders) + "."
	}
	return s
}

// standingsText names the children that lead the ranking and those
// furthest behind the plan's pace.
func standingsText(f Facts) string {
	r := f.Report
	st := Standings(r)
	var ranked []Standing
	for _, s := range st {
		if s.Percent != nil {
			ranked = append(ranked, s)
		}
	}
	if len(ranked) == 0 {
		return ""
	}
	name := Name(RankedBy, f.Threshold)
	// Praise at most half of the ranked units, so that a small federation's
	// leaders are not also its laggards.
	n := min(MaxLeaders, (len(ranked)+1)/2)
	var lead []string
	named := map[string]bool{}
	for _, s := range ranked[:n] {
		lead = append(lead, fmt.Sprintf("%s (%s/%s, %s)", s.Unit.Name, vn.Int(s.Actual), vn.Int(*s.Target), vn.Percent(*s.Percent)))
		named[s.Unit.Code] = true
	}
	out := fmt.Sprintf("Dẫn đầu về tỷ lệ thực hiện chỉ tiêu %s là: %s.", name, strings.Join(lead, "; "))

	elapsed, days := Elapsed(r)
	ended := elapsed >= days
	var behind []Standing
	withTarget := 0
	for _, s := range st {
		if s.Expected == nil {
			continue
		}
		withTarget++
		if s.Behind {
			behind = append(behind, s)
		}
	}
	if withTarget == 0 {
		return out
	}
	word := "chậm tiến độ"
	if ended {
		word = "chưa hoàn thành chỉ tiêu"
	}
	if len(behind) == 0 {
		if ended {
			return out + fmt.Sprintf(" Tất cả %d đơn vị trực thuộc được giao chỉ tiêu đều đã hoàn thành chỉ tiêu %s.", withTarget, name)
		}
		return out + fmt.Sprintf(" Tất cả %d đơn vị trực thuộc được giao chỉ tiêu đều đạt tiến độ %s.", withTarget, name)
	}
	// Furthest behind: the lowest share of the expected value, then the
	// largest shortfall.
	ratio := func(s Standing) float64 {
		if *s.Expected <= 0 {
			return 1
		}
		return float64(s.Actual) / *s.Expected
	}
	sort.SliceStable(behind, func(i, j int) bool {
		a, b := behind[i], behind[j]
		if ra, rb := ratio(a), ratio(b); ra != rb {
			return ra < rb
		}
		if ga, gb := *a.Expected-float64(a.Actual), *b.Expected-float64(b.Actual); ga != gb {
			return ga > gb
		}
		return a.Unit.Code < b.Unit.Code
	})
	out += fmt.Sprintf(" Có %d/%d đơn vị trực thuộc %s %s", len(behind), withTarget, word, name)
	var worst []string
	for _, s := range behind {
		if len(worst) == MaxLeaders {
			break
		}
		if named[s.Unit.Code] {
			continue
		}
		if ended {
			worst = append(worst, fmt.Sprintf("%s (%s/%s)", s.Unit.Name, vn.Int(s.Actual), vn.Int(*s.Target)))
		} else {
			worst = append(worst, fmt.Sprintf("%s (%s/%s, cần đạt %s)", s.Unit.Name, vn.Int(s.Actual), vn.Int(*s.Target), vn.Count(*s.Expected)))
		}
	}
	if len(worst) > 0 {
		if len(behind) > len(worst) {
			out += "; chậm nhất là: "
		} else {
			out += ": "
		}
		out += strings.Join(worst, "; ")
	}
	return out + "."
}

func leaderList(ls []Leader) string {
	var s []string
	for _, l := range ls {
		var what []string
		if l.Founded > 0 {
			what = append(what, vn.Int(l.Founded)+" CĐCS")
		}
		if l.Admitted > 0 {
			what = append(what, vn.Int(l.Admitted)+" đoàn viên")
		}
		s = append(s, fmt.Sprintf("%s (%s)", l.Unit.Name, strings.Join(what, ", ")))
	}
	return strings.Join(s, "; ")
}

// Of writes "306/750", or "306" where the indicator has no target.
func Of(in engine.Indicator) string {
	if in.Target == nil {
		return vn.Int(in.Actual)
	}
	return vn.Int(in.Actual) + "/" + vn.Int(*in.Target)
}

// Elapsed returns the days of the plan up to the report's as-of date and
// the days of the whole plan, the two terms of its pace.
func Elapsed(r *engine.Report) (elapsed, days int64) {
	return engine.Elapsed(r.Plan.Start, r.Plan.End, r.AsOf)
}

// Name is the indicator's name within a sentence ("thành lập mới CĐCS"),
// with the plan's member threshold: the catalog's name (msg, the one the
// pages and the documents show), its first letter lowered unless it opens
// an abbreviation ("CĐCS doanh nghiệp…").
func Name(code string, threshold int64) string {
	key := engine.Label(code)
	if !msg.Has(key) {
		return code
	}
	return decapitalize(msg.New(key, engine.LabelArgs(code, threshold)...).In(msg.VI))
}

// Title is the indicator's name as a table heading ("Thành lập mới CĐCS").
func Title(code string, threshold int64) string { return capitalize(Name(code, threshold)) }

// decapitalize lowers the first letter of s unless the next one is a
// capital too (an abbreviation: CĐCS).
func decapitalize(s string) string {
	rs := []rune(s)
	if len(rs) > 1 && unicode.IsUpper(rs[0]) && !unicode.IsUpper(rs[1]) {
		rs[0] = unicode.ToLower(rs[0])
	}
	return string(rs)
}

// DMY writes a date the way the articles do: 8/7/2022.
func DMY(d domain.Date) string {
	y, m, dd := d.Parts()
	return fmt.Sprintf("%d/%d/%d", dd, m, y)
}

// MonthYear writes the month of d: 5/2022.
func MonthYear(d domain.Date) string {
	y, m, _ := d.Parts()
	return fmt.Sprintf("%d/%d", m, y)
}

// Span writes "từ ngày 15/4 đến hết ngày 31/5/2022" (the year once when
// both days are in the same year).
func Span(start, end domain.Date) string {
	s := DMY(start)
	if start.Year() == end.Year() {
		_, m, d := start.Parts()
		s = fmt.Sprintf("%d/%d", d, m)
	}
	return fmt.Sprintf("từ ngày %s đến hết ngày %s", s, DMY(end))
}

// capitalize upper-cases the first letter (Vietnamese letters included).
func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
