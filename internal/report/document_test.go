package report_test

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"congdoan/internal/demo"
	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// TestDemo builds the Hanoi 2022 report and its document from the demo
// data: the written summary, the exemplary units, the campaigns and the
// gap list against a reference computed from the records themselves.
func TestDemo(t *testing.T) {
	storetest.EachFilled(t, "demo", demo.Load, testDemo)
}

func testDemo(t *testing.T, st *store.Store) {
	ctx := context.Background()
	data := demo.Build()

	t.Run("summary_vi", func(t *testing.T) {
		r, err := report.Build(ctx, st, report.Request{Plan: demo.PlanCode, AsOf: "08/07/2022"})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"Tính đến ngày 8/7/2022, các cấp Công đoàn thuộc Liên đoàn Lao động thành phố Hà Nội đã thành lập mới 306/750 CĐCS (đạt 40,8\u00a0% kế hoạch); kết nạp mới 24.396/47.855 đoàn viên",
			"thành lập được 302/400 CĐCS doanh nghiệp ngoài khu vực Nhà nước với 23.540/35.000 đoàn viên",
			"thành lập được 189/460 CĐCS doanh nghiệp có từ 25 đoàn viên trở lên",
			"giới thiệu 4.950/9.453 đoàn viên ưu tú cho cấp ủy Đảng",
			"thành lập 35/39 CĐCS theo phương thức mới",
			"Riêng trong tháng 5/2022, các đơn vị đã thành lập mới 94/306 CĐCS (chiếm 30,72\u00a0%",
			"kết nạp mới 8.307/24.396 đoàn viên (chiếm 34,05\u00a0%",
			"Tiêu biểu là các đơn vị: Công đoàn các Khu công nghiệp và chế xuất Hà Nội (14 CĐCS, 2.323 đoàn viên); LĐLĐ quận Cầu Giấy (9 CĐCS, 1.548 đoàn viên)",
			"Dẫn đầu về tỷ lệ thực hiện chỉ tiêu thành lập mới CĐCS là: ",
			"đơn vị trực thuộc chậm tiến độ thành lập mới CĐCS",
		} {
			if !strings.Contains(r.SummaryVI, want) {
				t.Errorf("summary lacks %q:\n%s", want, r.SummaryVI)
			}
		}
		// The praised units of May are the article's.
		may := r.SummaryVI[strings.Index(r.SummaryVI, "Tiêu biểu"):]
		may = may[:strings.Index(may, "\n")]
		for _, code := range demo.Exemplary {
			u := unitOf(data, code)
			if !strings.Contains(may, u.Name) {
				t.Errorf("May's exemplary units lack %s (%s): %s", code, u.Name, may)
			}
		}
		// The field is in the JSON, beside the interface's fields.
		b, _ := json.Marshal(r)
		if !strings.Contains(string(b), `"summary_vi":"Tính đến ngày 8/7/2022`) {
			t.Errorf("JSON: %.300s", b)
		}
		// engine.Expected is the rule of the root's expected values.
		for _, in := range r.Indicators {
			if e := engine.Expected(*in.Target, r.Plan.Start, r.Plan.End, r.AsOf); in.Expected == nil || e != *in.Expected {
				t.Errorf("%s: Expected %v, report %v", in.Code, e, in.Expected)
			}
		}
	})

	t.Run("campaign summary", func(t *testing.T) {
		r, err := report.Build(ctx, st, report.Request{Plan: demo.PlanCode, AsOf: "2022-07-08", Campaign: demo.Campaign1Code})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(r.SummaryVI, "Trong Đợt cao điểm 1 năm 2022 (từ ngày 15/4 đến hết ngày 31/5/2022), các cấp Công đoàn thuộc Liên đoàn Lao động thành phố Hà Nội đã thành lập mới ") ||
			!strings.Contains(r.SummaryVI, "Các đơn vị có kết quả cao nhất trong đợt: ") || strings.Contains(r.SummaryVI, "tiến độ") {
			t.Errorf("campaign summary:\n%s", r.SummaryVI)
		}
	})

	t.Run("document", func(t *testing.T) {
		start := time.Now()
		doc, err := report.BuildDocument(ctx, st, report.Request{Plan: demo.PlanCode, AsOf: "2022-07-08"})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("document in %v", time.Since(start))
		if doc.Threshold != 25 || doc.Peak == nil || doc.Peak.Founded != 94 || doc.ExemplaryWhen != "tháng 5/2022" {
			t.Errorf("document: threshold %d, peak %+v, %q", doc.Threshold, doc.Peak, doc.ExemplaryWhen)
		}
		var ex []string
		for _, l := range doc.Exemplary {
			ex = append(ex, l.Unit.Code)
		}
		slices.Sort(ex)
		want := slices.Sorted(slices.Values(demo.Exemplary))
		if !slices.Equal(ex, want) {
			t.Errorf("exemplary %v, want %v", ex, want)
		}
		// Their figures of May are those of the member-by-member reference.
		may := &domain.Campaign{Code: "MAY", PlanCode: demo.PlanCode, Start: domain.NewDate(2022, time.May, 1), End: domain.NewDate(2022, time.May, 31)}
		ref := engine.Compute(engine.FromWorld(data.World(), engine.Query{Plan: data.Plan(), Campaign: may, AsOf: demo.AsOf}, demo.RootCode))
		for _, l := range doc.Exemplary {
			for _, c := range ref.Children {
				if c.Unit.Code != l.Unit.Code {
					continue
				}
				f, a := c.Indicators[engine.Index(domain.UnionsFounded)].Actual, c.Indicators[engine.Index(domain.MembersAdmitted)].Actual
				if l.Founded != f || l.Admitted != a || a == 0 {
					t.Errorf("%s in May: %d unions, %d members; reference %d, %d", l.Unit.Code, l.Founded, l.Admitted, f, a)
				}
			}
		}
		if len(doc.Standings) != len(doc.Report.Children) || doc.Standings[0].Rank != 1 {
			t.Errorf("%d standings for %d children", len(doc.Standings), len(doc.Report.Children))
		}
		var cs []string
		for _, c := range doc.Campaigns {
			cs = append(cs, c.Campaign.Code)
			if c.AsOf != doc.Report.AsOf {
				t.Errorf("campaign %s as of %s", c.Campaign.Code, c.AsOf)
			}
		}
		if !slices.Equal(cs, []string{demo.Campaign1Code, demo.Campaign2Code}) {
			t.Errorf("campaigns %v", cs)
		}
		checkGaps(t, doc, gapReference(data, demo.RootCode, demo.AsOf, 25))
	})

	t.Run("district document", func(t *testing.T) {
		doc, err := report.BuildDocument(ctx, st, report.Request{Plan: demo.PlanCode, Unit: "HN-CG", AsOf: "2022-07-08"})
		if err != nil {
			t.Fatal(err)
		}
		checkGaps(t, doc, gapReference(data, "HN-CG", demo.AsOf, 25))
	})

	t.Run("campaign document", func(t *testing.T) {
		doc, err := report.BuildDocument(ctx, st, report.Request{Plan: demo.PlanCode, AsOf: "2022-07-08", Campaign: demo.Campaign2Code})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Peak != nil || doc.ExemplaryWhen != "Đợt cao điểm 2 năm 2022" || len(doc.Exemplary) == 0 || len(doc.Campaigns) != 2 || doc.Campaigns[1] != doc.Report {
			t.Errorf("campaign document: peak %v, %q, %d exemplary, %d campaigns", doc.Peak, doc.ExemplaryWhen, len(doc.Exemplary), len(doc.Campaigns))
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, req := range []report.Request{{Plan: "NOPE"}, {Plan: demo.PlanCode, Unit: "NOPE"}, {Plan: demo.PlanCode, Campaign: "NOPE"}, {Plan: demo.PlanCode, AsOf: "31/02/2022"}} {
			if _, err := report.BuildDocument(ctx, st, req); err == nil {
				t.Errorf("%+v: no error", req)
			}
		}
	})
}

func unitOf(d *demo.Data, code string) *domain.Unit {
	for i := range d.Units {
		if d.Units[i].Code == code {
			return &d.Units[i]
		}
	}
	return nil
}

// gapReference lists, from the records, the tax codes of the enterprises
// of root's subtree with at least min workers and no union open on asOf,
// largest first.
func gapReference(d *demo.Data, root string, asOf domain.Date, minWorkers int64) []string {
	parent := map[string]string{}
	for _, u := range d.Units {
		parent[u.Code] = u.ParentCode
	}
	under := func(code string) bool {
		for ; code != ""; code = parent[code] {
			if code == root {
				return true
			}
		}
		return false
	}
	open := map[string]bool{}
	for i := range d.Units {
		u := &d.Units[i]
		if u.Kind == domain.KindGrassroots && u.EnterpriseTaxCode != "" && u.OpenOn(asOf) {
			open[u.EnterpriseTaxCode] = true
		}
	}
	var es []domain.Enterprise
	for _, e := range d.Enterprises {
		if e.Employees >= minWorkers && !open[e.TaxCode] && under(e.UnitCode) {
			es = append(es, e)
		}
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].Employees != es[j].Employees {
			return es[i].Employees > es[j].Employees
		}
		return es[i].TaxCode < es[j].TaxCode
	})
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.TaxCode
	}
	return out
}

func checkGaps(t *testing.T, doc *report.Document, want []string) {
	t.Helper()
	var got []string
	var workers int64
	for _, g := range doc.Gaps {
		got = append(got, g.TaxCode)
		workers += g.Employees
		if g.UnitName == "" || g.Name == "" {
			t.Errorf("gap %+v", g)
		}
	}
	if len(want) == 0 {
		t.Fatal("the reference has no enterprise without a union")
	}
	if !slices.Equal(got, want) {
		t.Errorf("gap list: %d enterprises %v…, want %d %v…", len(got), got[:min(5, len(got))], len(want), want[:min(5, len(want))])
	}
	if workers != doc.GapWorkers {
		t.Errorf("gap workers %d, sum %d", doc.GapWorkers, workers)
	}
}

// TestGapEnterprises checks the gap list's rules on both engines: the
// subtree, the threshold, and which unions count as existing on the date.
func TestGapEnterprises(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := func(s string) domain.Date {
			v, err := domain.ParseDate(s)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		err := st.Write(ctx, func(tx *store.Tx) error {
			for _, u := range []domain.Unit{
				{Code: "R", Name: "Gốc", Kind: domain.KindFederation},
				{Code: "A", Name: "LĐLĐ A", ParentCode: "R", Kind: domain.KindUpper},
				{Code: "A1", Name: "LĐLĐ A1", ParentCode: "A", Kind: domain.KindUpper},
				{Code: "B", Name: "LĐLĐ B", ParentCode: "R", Kind: domain.KindUpper},
			} {
				if err := tx.PutUnit(&u); err != nil {
					return err
				}
			}
			es := []*domain.Enterprise{
				{TaxCode: "E-OPEN", Name: "Có CĐCS", Ownership: "private", Employees: 300, UnitCode: "A"},
				{TaxCode: "E-NONE", Name: "Chưa có CĐCS", Ownership: "private", Employees: 30, UnitCode: "A"},
				{TaxCode: "E-DEEP", Name: "Cấp dưới", Ownership: "fdi", Employees: 120, UnitCode: "A1"},
				{TaxCode: "E-SMALL", Name: "Nhỏ", Ownership: "private", Employees: 24, UnitCode: "A"},
				{TaxCode: "E-25", Name: "Đúng 25", Ownership: "private", Employees: 25, UnitCode: "A"},
				{TaxCode: "E-GONE", Name: "CĐCS đã giải thể", Ownership: "state", Employees: 80, UnitCode: "A"},
				{TaxCode: "E-LATER", Name: "CĐCS thành lập sau", Ownership: "private", Employees: 80, UnitCode: "A"},
				{TaxCode: "E-B", Name: "Đơn vị khác", Ownership: "private", Employees: 500, UnitCode: "B"},
			}
			if err := tx.PutEnterprises(es); err != nil {
				return err
			}
			for _, u := range []domain.Unit{
				{Code: "G-OPEN", Name: "CĐCS 1", ParentCode: "A", Kind: domain.KindGrassroots, EnterpriseTaxCode: "E-OPEN", FoundedOn: d("2020-01-01"), Method: domain.MethodStandard},
				{Code: "G-GONE", Name: "CĐCS 2", ParentCode: "A", Kind: domain.KindGrassroots, EnterpriseTaxCode: "E-GONE", FoundedOn: d("2019-01-01"), DissolvedOn: d("2022-03-01"), Method: domain.MethodStandard},
				{Code: "G-LATER", Name: "CĐCS 3", ParentCode: "B", Kind: domain.KindGrassroots, EnterpriseTaxCode: "E-LATER", FoundedOn: d("2022-09-01"), Method: domain.MethodStandard},
			} {
				if err := tx.PutUnit(&u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		list := func(code, asOf string, min int64) []string {
			u, err := st.Unit(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			if err := st.GapEnterprises(ctx, u, d(asOf), min, func(g *store.GapEnterprise) error {
				out = append(out, g.TaxCode+":"+g.UnitCode)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		for _, c := range []struct {
			unit, asOf string
			min        int64
			want       []string
		}{
			{"A", "2022-07-08", 25, []string{"E-DEEP:A1", "E-GONE:A", "E-LATER:A", "E-NONE:A", "E-25:A"}},
			{"R", "2022-07-08", 25, []string{"E-B:B", "E-DEEP:A1", "E-GONE:A", "E-LATER:A", "E-NONE:A", "E-25:A"}},
			{"A", "2022-02-28", 25, []string{"E-DEEP:A1", "E-LATER:A", "E-NONE:A", "E-25:A"}}, // not yet dissolved
			{"A", "2022-09-01", 25, []string{"E-DEEP:A1", "E-GONE:A", "E-NONE:A", "E-25:A"}},  // founded that day
			{"A", "2019-06-01", 100, []string{"E-OPEN:A", "E-DEEP:A1"}},                       // before the union
			{"A1", "2022-07-08", 25, []string{"E-DEEP:A1"}},
			{"B", "2022-07-08", 1000, nil},
		} {
			if got := list(c.unit, c.asOf, c.min); !slices.Equal(got, c.want) {
				t.Errorf("%s on %s, %d+: %v, want %v", c.unit, c.asOf, c.min, got, c.want)
			}
		}
		// fn's error stops the list and is returned.
		u, _ := st.Unit(ctx, "R")
		n := 0
		stop := context.Canceled
		if err := st.GapEnterprises(ctx, u, d("2022-07-08"), 25, func(*store.GapEnterprise) error { n++; return stop }); err != stop || n != 1 {
			t.Errorf("stop: %v after %d", err, n)
		}
		// The campaigns of a plan, by start date.
		cs, err := st.PlanCampaigns(ctx, "NOPE")
		if err != nil || len(cs) != 0 {
			t.Errorf("campaigns of an unknown plan: %v %v", cs, err)
		}
	})
}
