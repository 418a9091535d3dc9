package summary

import (
	"strings"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
)

func date(y int, m time.Month, d int) domain.Date { return domain.NewDate(y, m, d) }

func i64(v int64) *int64               { return &v }
func f64(v float64) *float64           { return &v }
func str(v string) *string             { return &v }
func ref(code, name string) engine.Ref { return engine.Ref{Code: code, Name: name} }

// line is one indicator of a test report: actual, target (-1: none),
// percent, expected.
type line struct {
	actual, target int64
	pct, exp       float64
}

// hanoi are the eight lines of the Hanoi report of 8 July 2022 (the demo
// data, which reproduces the newspaper's figures), in report order.
var hanoi = []line{
	{24396, 47855, 50.98, 24779.71},
	{23268, 47855, 48.62, 24779.71},
	{306, 750, 40.8, 388.36},
	{189, 460, 41.09, 238.19},
	{302, 400, 75.5, 207.12},
	{23540, 35000, 67.26, 18123.29},
	{35, 39, 89.74, 20.19},
	{4950, 9453, 52.36, 4894.84},
}

var (
	planStart = date(2022, time.January, 1)
	planEnd   = date(2022, time.December, 31)
	asOf      = date(2022, time.July, 8)
)

// indicators builds a report's lines; campaign lines have no pace.
func indicators(ls []line, campaign bool) []engine.Indicator {
	var out []engine.Indicator
	for i, l := range ls {
		in := engine.Indicator{Code: engine.Codes[i], Actual: l.actual}
		if l.target >= 0 {
			in.Target, in.Percent = i64(l.target), f64(l.pct)
			if !campaign {
				in.Expected = f64(l.exp)
				st := engine.StatusOnTrack
				if float64(l.actual) < l.exp {
					st = engine.StatusBehind
				}
				in.Status = str(st)
			}
		}
		out = append(out, in)
	}
	return out
}

// child builds a child's line with unions founded (target, actual) and
// members admitted.
func child(code, name string, target, founded, admitted int64) engine.ChildReport {
	c := engine.ChildReport{Unit: ref(code, name)}
	for _, ind := range engine.Codes {
		v := engine.ChildValue{Code: ind}
		switch ind {
		case domain.UnionsFounded:
			v.Actual = founded
			if target >= 0 {
				v.Target = i64(target)
				if target > 0 {
					v.Percent = f64(float64(founded*10000/target) / 100)
				}
			}
		case domain.MembersAdmitted:
			v.Actual = admitted
		}
		c.Indicators = append(c.Indicators, v)
	}
	return c
}

// The windows of the Hanoi units' figures.
const (
	toJuly8    = iota // the plan's window to 8 July 2022
	inMay             // May 2022
	inCampaign        // a peak campaign's (every campaign of these tests)
)

// absent marks a unit that is no child of a window's report.
var absent = [2]int64{-1, -1}

// hanoiUnits are some of the Hanoi units with their targets of unions
// founded (-1: none) and, in each window, their unions founded and
// members admitted. The figures of 8 July 2022 are real (percent
// truncated, which these targets do not notice).
var hanoiUnits = []struct {
	code, name string
	target     int64
	figures    [3][2]int64
}{
	{"HN-BV", "LĐLĐ huyện Ba Vì", 11, [3][2]int64{{3, 85}, {1, 20}, absent}},
	{"HN-CG", "LĐLĐ quận Cầu Giấy", 38, [3][2]int64{{20, 2920}, {9, 1548}, {10, 1900}}},
	{"HN-KCN", "Công đoàn các Khu công nghiệp và chế xuất Hà Nội", 67, [3][2]int64{{40, 6622}, {14, 2323}, {18, 2900}}},
	{"HN-ML", "LĐLĐ huyện Mê Linh", 31, [3][2]int64{{16, 1140}, {7, 486}, absent}},
	{"HN-MD", "LĐLĐ huyện Mỹ Đức", 9, [3][2]int64{{2, 325}, {0, 0}, {0, 0}}},
	{"HN-NTL", "LĐLĐ quận Nam Từ Liêm", 30, [3][2]int64{{18, 1540}, {8, 758}, absent}},
	{"HN-TCTDL", "Công đoàn Tổng công ty Du lịch Hà Nội", 6, [3][2]int64{{1, 103}, absent, absent}},
	{"HN-TX", "LĐLĐ quận Thanh Xuân", 29, [3][2]int64{{16, 1638}, {7, 918}, absent}},
	{"HN-X", "Công đoàn ngành mới", -1, [3][2]int64{{2, 10}, absent, absent}},
}

// hanoiChildren are the Hanoi units with their figures in a window.
func hanoiChildren(window int) []engine.ChildReport {
	var out []engine.ChildReport
	for _, u := range hanoiUnits {
		if f := u.figures[window]; f != absent {
			out = append(out, child(u.code, u.name, u.target, f[0], f[1]))
		}
	}
	return out
}

// hanoiMonths are the months of the window with unions founded and members
// admitted (the other indicators left at 0).
func hanoiMonths() []engine.Month {
	founded := []int64{30, 14, 40, 52, 94, 60, 16}
	admitted := []int64{1282, 715, 1701, 3207, 8307, 6910, 2274}
	var ms []engine.Month
	for i := range founded {
		m := engine.Month{Month: date(2022, time.Month(i+1), 1).MonthKey()}
		for _, code := range engine.Codes {
			v := engine.MonthValue{Code: code}
			switch code {
			case domain.UnionsFounded:
				v.Actual, v.Share = founded[i], f64(float64((founded[i]*10000*2+306)/(2*306))/100)
			case domain.MembersAdmitted:
				v.Actual, v.Share = admitted[i], f64(float64((admitted[i]*10000*2+24396)/(2*24396))/100)
			}
			m.Indicators = append(m.Indicators, v)
		}
		ms = append(ms, m)
	}
	return ms
}

const hanoiName = "Liên đoàn Lao động thành phố Hà Nội"

func hanoiReport() *engine.Report {
	return &engine.Report{
		Plan:       engine.Ref{Code: "HN-2022", Name: "Kế hoạch phát triển đoàn viên, thành lập CĐCS năm 2022", Start: planStart, End: planEnd},
		Unit:       ref("HN", hanoiName),
		AsOf:       asOf,
		Window:     engine.Window{Start: planStart, End: asOf},
		Indicators: indicators(hanoi, false),
		Months:     hanoiMonths(),
		Children:   hanoiChildren(toJuly8),
	}
}

// mayReport is the Hanoi report over May 2022 alone, whose children led
// the month.
func mayReport() *engine.Report {
	r := hanoiReport()
	r.Window = engine.Window{Start: date(2022, time.May, 1), End: date(2022, time.May, 31)}
	r.Children = hanoiChildren(inMay)
	return r
}

func campaignReport(code, name string, start, end domain.Date, ls []line) *engine.Report {
	r := hanoiReport()
	r.Campaign = &engine.Ref{Code: code, Name: name, Start: start, End: end}
	r.Window = engine.Window{Start: start, End: min(asOf, end)}
	r.Indicators = indicators(ls, true)
	r.Months = nil
	r.Children = hanoiChildren(inCampaign)
	return r
}

// d1 are the results of the first peak campaign (15/4 - 31/5/2022).
var d1 = []line{
	{10462, 47855, 21.86, 0}, {9964, 47855, 20.82, 0}, {122, 750, 16.27, 0}, {85, 460, 18.48, 0},
	{120, 400, 30, 0}, {9360, 35000, 26.74, 0}, {12, 39, 30.77, 0}, {1928, 9453, 20.4, 0},
}

func TestText(t *testing.T) {
	may := func() *Peak {
		r := hanoiReport()
		s, e, ok := PeakMonth(r)
		if !ok {
			t.Fatal("no peak month")
		}
		m := mayReport()
		m.Window = engine.Window{Start: s, End: e}
		return NewPeak(r, m)
	}
	cases := []struct {
		name string
		f    func() Facts
		// want: each paragraph must contain its strings, in this order of
		// paragraphs; exact: the whole first paragraph when set.
		want  [][]string
		exact string
		not   []string
	}{{
		name: "Hanoi, 8 July 2022",
		f:    func() Facts { return Facts{Report: hanoiReport(), Threshold: 25, Peak: may()} },
		exact: "Tính đến ngày 8/7/2022, các cấp Công đoàn thuộc Liên đoàn Lao động thành phố Hà Nội đã thành lập mới 306/750 CĐCS (đạt 40,8\u00a0% kế hoạch); " +
			"kết nạp mới 24.396/47.855 đoàn viên (đạt 50,98\u00a0%); phát triển thực tăng 23.268/47.855 đoàn viên (đạt 48,62\u00a0%). " +
			"Trong đó, thành lập được 302/400 CĐCS doanh nghiệp ngoài khu vực Nhà nước với 23.540/35.000 đoàn viên; " +
			"thành lập được 189/460 CĐCS doanh nghiệp có từ 25 đoàn viên trở lên; " +
			"giới thiệu 4.950/9.453 đoàn viên ưu tú cho cấp ủy Đảng xem xét, bồi dưỡng kết nạp; thành lập 35/39 CĐCS theo phương thức mới.",
		want: [][]string{
			{"306/750 CĐCS"},
			{"So với tiến độ kế hoạch (đã qua 189/365 ngày), các chỉ tiêu còn chậm: kết nạp mới đoàn viên (24.396, cần đạt 24.780)",
				"thành lập mới CĐCS (306, cần đạt 388)", "CĐCS doanh nghiệp có từ 25 đoàn viên trở lên (189, cần đạt 238)",
				"các chỉ tiêu đạt tiến độ: CĐCS doanh nghiệp ngoài khu vực Nhà nước, đoàn viên trong CĐCS ngoài khu vực Nhà nước mới thành lập, CĐCS thành lập theo phương thức mới, giới thiệu đoàn viên ưu tú cho cấp ủy Đảng."},
			{"Riêng trong tháng 5/2022, các đơn vị đã thành lập mới 94/306 CĐCS (chiếm 30,72\u00a0% tổng số CĐCS thành lập mới trong kỳ), " +
				"kết nạp mới 8.307/24.396 đoàn viên (chiếm 34,05\u00a0% tổng số đoàn viên kết nạp mới trong kỳ).",
				"Tiêu biểu là các đơn vị: Công đoàn các Khu công nghiệp và chế xuất Hà Nội (14 CĐCS, 2.323 đoàn viên); LĐLĐ quận Cầu Giấy (9 CĐCS, 1.548 đoàn viên); " +
					"LĐLĐ quận Nam Từ Liêm (8 CĐCS, 758 đoàn viên); LĐLĐ quận Thanh Xuân (7 CĐCS, 918 đoàn viên); LĐLĐ huyện Mê Linh (7 CĐCS, 486 đoàn viên)."},
			{"Dẫn đầu về tỷ lệ thực hiện chỉ tiêu thành lập mới CĐCS là: LĐLĐ quận Nam Từ Liêm (18/30, 60\u00a0%); Công đoàn các Khu công nghiệp và chế xuất Hà Nội (40/67, 59,7\u00a0%); " +
				"LĐLĐ quận Thanh Xuân (16/29, 55,17\u00a0%); LĐLĐ quận Cầu Giấy (20/38, 52,63\u00a0%).",
				"Có 4/8 đơn vị trực thuộc chậm tiến độ thành lập mới CĐCS: Công đoàn Tổng công ty Du lịch Hà Nội (1/6, cần đạt 3); LĐLĐ huyện Mỹ Đức (2/9, cần đạt 5); " +
					"LĐLĐ huyện Ba Vì (3/11, cần đạt 6); LĐLĐ huyện Mê Linh (16/31, cần đạt 16)."},
		},
		not: []string{"Công đoàn ngành mới"},
	}, {
		name: "the first campaign, over",
		f: func() Facts {
			return Facts{Report: campaignReport("HN-2022-D1", "Đợt cao điểm 1 năm 2022", date(2022, time.April, 15), date(2022, time.May, 31), d1), Threshold: 25}
		},
		exact: "Trong Đợt cao điểm 1 năm 2022 (từ ngày 15/4 đến hết ngày 31/5/2022), các cấp Công đoàn thuộc Liên đoàn Lao động thành phố Hà Nội đã " +
			"thành lập mới 122 CĐCS (bằng 16,27\u00a0% chỉ tiêu kế hoạch là 750 CĐCS); kết nạp mới 10.462 đoàn viên (bằng 21,86\u00a0% chỉ tiêu kế hoạch là 47.855 đoàn viên); " +
			"phát triển thực tăng 9.964 đoàn viên (bằng 20,82\u00a0% chỉ tiêu kế hoạch là 47.855 đoàn viên). " +
			"Trong đó, thành lập được 120 CĐCS doanh nghiệp ngoài khu vực Nhà nước với 9.360 đoàn viên; thành lập được 85 CĐCS doanh nghiệp có từ 25 đoàn viên trở lên; " +
			"giới thiệu 1.928 đoàn viên ưu tú cho cấp ủy Đảng xem xét, bồi dưỡng kết nạp; thành lập 12 CĐCS theo phương thức mới.",
		want: [][]string{{}, {"Các đơn vị có kết quả cao nhất trong đợt: Công đoàn các Khu công nghiệp và chế xuất Hà Nội (18 CĐCS, 2.900 đoàn viên); LĐLĐ quận Cầu Giấy (10 CĐCS, 1.900 đoàn viên)."}},
		not:  []string{"tiến độ", "Mỹ Đức", "/750"},
	}, {
		name: "the second campaign, under way",
		f: func() Facts {
			return Facts{Report: campaignReport("HN-2022-D2", "Đợt cao điểm 2 năm 2022", date(2022, time.June, 1), date(2022, time.July, 31), d1)}
		},
		want: [][]string{{"Tính đến ngày 8/7/2022, trong Đợt cao điểm 2 năm 2022 (từ ngày 1/6 đến hết ngày 31/7/2022), các cấp Công đoàn thuộc Liên đoàn Lao động thành phố Hà Nội đã thành lập mới 122 CĐCS"}, {}},
	}, {
		name: "a campaign not begun",
		f: func() Facts {
			r := campaignReport("C3", "đợt cao điểm tháng 10", date(2022, time.October, 1), date(2023, time.January, 15), d1)
			r.Window = engine.Window{Start: date(2022, time.October, 1), End: asOf}
			return Facts{Report: r}
		},
		exact: "Đợt cao điểm tháng 10 (từ ngày 1/10/2022 đến hết ngày 15/1/2023) chưa bắt đầu; tính đến ngày 8/7/2022 chưa có kết quả.",
	}, {
		name: "a plan not begun",
		f: func() Facts {
			r := hanoiReport()
			r.AsOf = date(2021, time.December, 15)
			r.Window = engine.Window{Start: planStart, End: r.AsOf}
			return Facts{Report: r}
		},
		exact: "Kế hoạch phát triển đoàn viên, thành lập CĐCS năm 2022 bắt đầu từ ngày 1/1/2022; tính đến ngày 15/12/2021 chưa có số liệu.",
	}, {
		name: "the plan over",
		f: func() Facts {
			r := hanoiReport()
			r.AsOf, r.Window.End = planEnd, planEnd
			for i := range r.Indicators {
				r.Indicators[i].Expected = f64(float64(*r.Indicators[i].Target))
				r.Indicators[i].Status = str(engine.StatusBehind)
			}
			r.Indicators[6].Actual = 40
			r.Indicators[6].Status = str(engine.StatusOnTrack)
			return Facts{Report: r}
		},
		want: [][]string{{"Tính đến ngày 31/12/2022"},
			{"Kết thúc kế hoạch (ngày 31/12/2022), các chỉ tiêu chưa hoàn thành: kết nạp mới đoàn viên (24.396/47.855)", "các chỉ tiêu đã hoàn thành: CĐCS thành lập theo phương thức mới."},
			{"Có 8/8 đơn vị trực thuộc chưa hoàn thành chỉ tiêu thành lập mới CĐCS; chậm nhất là: Công đoàn Tổng công ty Du lịch Hà Nội (1/6)"}},
		not: []string{"cần đạt"},
	}, {
		name: "members lost, another threshold",
		f: func() Facts {
			r := hanoiReport()
			r.Indicators[1].Actual = -120
			r.Children = nil
			return Facts{Report: r, Threshold: 30}
		},
		want: [][]string{{"số đoàn viên thực giảm 120 (chỉ tiêu thực tăng 47.855 đoàn viên)", "CĐCS doanh nghiệp có từ 30 đoàn viên trở lên"}, {"phát triển đoàn viên thực tăng (-120, cần đạt 24.780)"}},
		not:  []string{"Dẫn đầu", "Riêng trong"},
	}, {
		name: "no targets",
		f: func() Facts {
			r := hanoiReport()
			ls := make([]line, len(hanoi))
			for i, l := range hanoi {
				ls[i] = line{actual: l.actual, target: -1}
			}
			r.Indicators = indicators(ls, false)
			for i := range r.Children {
				r.Children[i] = child(r.Children[i].Unit.Code, r.Children[i].Unit.Name, -1, 1, 1)
			}
			return Facts{Report: r}
		},
		exact: "Tính đến ngày 8/7/2022, các cấp Công đoàn thuộc Liên đoàn Lao động thành phố Hà Nội đã thành lập mới 306 CĐCS; kết nạp mới 24.396 đoàn viên; " +
			"phát triển thực tăng 23.268 đoàn viên. Trong đó, thành lập được 302 CĐCS doanh nghiệp ngoài khu vực Nhà nước với 23.540 đoàn viên; " +
			"thành lập được 189 CĐCS doanh nghiệp có từ 25 đoàn viên trở lên; giới thiệu 4.950 đoàn viên ưu tú cho cấp ủy Đảng xem xét, bồi dưỡng kết nạp; " +
			"thành lập 35 CĐCS theo phương thức mới.",
		not: []string{"tiến độ", "Dẫn đầu", "%"},
	}, {
		name: "every unit on track",
		f: func() Facts {
			r := hanoiReport()
			r.Children = []engine.ChildReport{child("A", "Đơn vị A", 10, 9, 1), child("B", "Đơn vị B", 10, 6, 1), child("C", "Đơn vị C", 0, 0, 0)}
			for i := range r.Indicators {
				r.Indicators[i].Status = str(engine.StatusOnTrack)
			}
			return Facts{Report: r}
		},
		want: [][]string{{}, {"So với tiến độ kế hoạch (đã qua 189/365 ngày), tất cả các chỉ tiêu đều đạt tiến độ."},
			{"Dẫn đầu về tỷ lệ thực hiện chỉ tiêu thành lập mới CĐCS là: Đơn vị A (9/10, 90\u00a0%).", "Tất cả 3 đơn vị trực thuộc được giao chỉ tiêu đều đạt tiến độ thành lập mới CĐCS."}},
	}, {
		name: "a grassroots union",
		f: func() Facts {
			r := hanoiReport()
			r.Unit = ref("HN-CG-1", "Công đoàn Công ty A")
			ls := []line{{12, -1, 0, 0}, {10, -1, 0, 0}, {}, {}, {}, {}, {}, {2, -1, 0, 0}}
			for i := range ls {
				if ls[i] == (line{}) {
					ls[i].target = -1
				}
			}
			r.Indicators = indicators(ls, false)
			r.Children = nil
			return Facts{Report: r, Grassroots: true}
		},
		exact: "Tính đến ngày 8/7/2022, Công đoàn Công ty A đã kết nạp mới 12 đoàn viên; phát triển thực tăng 10 đoàn viên. " +
			"Trong đó, giới thiệu 2 đoàn viên ưu tú cho cấp ủy Đảng xem xét, bồi dưỡng kết nạp.",
		not: []string{"CĐCS", "các cấp"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := Text(c.f())
			ps := Paragraphs(text)
			t.Logf("\n%s", text)
			if c.exact != "" && (len(ps) == 0 || ps[0] != c.exact) {
				t.Errorf("first paragraph:\n got %q\nwant %q", first(ps), c.exact)
			}
			if c.want != nil && len(ps) != len(c.want) {
				t.Errorf("%d paragraphs, want %d", len(ps), len(c.want))
			}
			for i, wants := range c.want {
				if i >= len(ps) {
					break
				}
				for _, w := range wants {
					if !strings.Contains(ps[i], w) {
						t.Errorf("paragraph %d lacks %q:\n%s", i+1, w, ps[i])
					}
				}
			}
			for _, n := range c.not {
				if strings.Contains(text, n) {
					t.Errorf("text has %q", n)
				}
			}
			if strings.Contains(text, "  ") || strings.Contains(text, " .") || strings.Contains(text, "..") {
				t.Errorf("stray spaces or dots:\n%s", text)
			}
		})
	}
}

func first(ps []string) string {
	if len(ps) == 0 {
		return ""
	}
	return ps[0]
}

func TestStandings(t *testing.T) {
	r := hanoiReport()
	ss := Standings(r)
	var got []string
	for _, s := range ss {
		got = append(got, s.Unit.Code)
	}
	want := []string{"HN-NTL", "HN-KCN", "HN-TX", "HN-CG", "HN-ML", "HN-BV", "HN-MD", "HN-TCTDL", "HN-X"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("ranking %v, want %v", got, want)
	}
	for i, s := range ss {
		if s.Rank != i+1 {
			t.Errorf("%s ranked %d at %d", s.Unit.Code, s.Rank, i+1)
		}
	}
	// Pace: 30 * 189 / 365 = 15.53 for Nam Từ Liêm (18: on track); Mê
	// Linh 31 -> 16.05 (16: behind).
	if s := ss[0]; s.Expected == nil || *s.Expected != 15.53 || s.Behind {
		t.Errorf("NTL %+v", s)
	}
	if s := ss[4]; s.Expected == nil || *s.Expected != 16.05 || !s.Behind {
		t.Errorf("ML %+v", s)
	}
	if s := ss[8]; s.Target != nil || s.Expected != nil || s.Behind || s.Actual != 2 {
		t.Errorf("no target %+v", s)
	}
	// A campaign report has no pace.
	c := campaignReport("D1", "Đợt 1", date(2022, time.April, 15), date(2022, time.May, 31), d1)
	for _, s := range Standings(c) {
		if s.Expected != nil || s.Behind {
			t.Errorf("campaign pace %+v", s)
		}
	}
	// engine.Expected is the root's rule: the report's own expected values.
	for i, l := range hanoi {
		if e := engine.Expected(l.target, planStart, planEnd, asOf); e != l.exp {
			t.Errorf("%s: Expected %v, report %v", engine.Codes[i], e, l.exp)
		}
	}
}

func TestPeakMonth(t *testing.T) {
	r := hanoiReport()
	s, e, ok := PeakMonth(r)
	if !ok || s != date(2022, time.May, 1) || e != date(2022, time.May, 31) {
		t.Errorf("peak %s..%s %v", s, e, ok)
	}
	// The last month is cut by the as-of date.
	r.Months[6].Indicators[engine.Index(domain.UnionsFounded)].Actual = 200
	if s, e, _ := PeakMonth(r); s != date(2022, time.July, 1) || e != asOf {
		t.Errorf("peak in July: %s..%s", s, e)
	}
	// Ties go to the members admitted, then to the earlier month.
	r = hanoiReport()
	for i := range r.Months {
		r.Months[i].Indicators[engine.Index(domain.UnionsFounded)].Actual = 5
		r.Months[i].Indicators[engine.Index(domain.MembersAdmitted)].Actual = 7
	}
	r.Months[3].Indicators[engine.Index(domain.MembersAdmitted)].Actual = 9
	r.Months[5].Indicators[engine.Index(domain.MembersAdmitted)].Actual = 9
	if s, _, _ := PeakMonth(r); s != date(2022, time.April, 1) {
		t.Errorf("tie: %s", s)
	}
	// None: campaigns, a single month, nothing at all.
	c := campaignReport("D1", "Đợt 1", date(2022, time.April, 15), date(2022, time.May, 31), d1)
	c.Months = hanoiMonths()
	if _, _, ok := PeakMonth(c); ok {
		t.Error("peak in a campaign")
	}
	r = hanoiReport()
	r.Months = r.Months[:1]
	if _, _, ok := PeakMonth(r); ok {
		t.Error("peak in a single month")
	}
	r = hanoiReport()
	for i := range r.Months {
		for j := range r.Months[i].Indicators {
			r.Months[i].Indicators[j].Actual = 0
		}
	}
	if _, _, ok := PeakMonth(r); ok {
		t.Error("peak without results")
	}
}

func TestLeaders(t *testing.T) {
	ls := Leaders(mayReport(), MaxLeaders)
	var got []string
	for _, l := range ls {
		got = append(got, l.Unit.Code)
	}
	// Thanh Xuân and Mê Linh both founded 7: the one with more members first.
	if want := "HN-KCN HN-CG HN-NTL HN-TX HN-ML"; strings.Join(got, " ") != want {
		t.Errorf("leaders %v, want %s", got, want)
	}
	if ls := Leaders(mayReport(), 100); len(ls) != 6 {
		t.Errorf("units with no result are no leaders: %d", len(ls))
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{DMY(asOf), "8/7/2022"},
		{MonthYear(asOf), "7/2022"},
		{Span(date(2022, time.April, 15), date(2022, time.May, 31)), "từ ngày 15/4 đến hết ngày 31/5/2022"},
		{Span(date(2022, time.December, 15), date(2023, time.January, 31)), "từ ngày 15/12/2022 đến hết ngày 31/1/2023"},
		{Of(engine.Indicator{Actual: 24396, Target: i64(47855)}), "24.396/47.855"},
		{Of(engine.Indicator{Actual: 306}), "306"},
		{Title(domain.EnterpriseUnions25Plus, 30), "CĐCS doanh nghiệp có từ 30 đoàn viên trở lên"},
		{Title(domain.PartyIntroductions, 25), "Giới thiệu đoàn viên ưu tú cho cấp ủy Đảng"},
		{capitalize("đợt 1"), "Đợt 1"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if Text(Facts{}) != "" {
		t.Error("text of no report")
	}
}
