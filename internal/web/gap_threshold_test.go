package web_test

import (
	"bytes"
	"regexp"
	"slices"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

var gapTaxCode = regexp.MustCompile(`<span class="mono">(\d{10})</span>`)

// The gap list has one minimum workforce, domain.GapMinWorkers: the web
// page, the XLSX and PDF documents and the report's organising funnel list
// the same enterprises even for a plan whose member threshold is 30.
func TestGapListsAgreeOnTheMinimumWorkforce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newOrgFixture(t, st)
		// 27 workers: on the gap list (25+) although below the plan's 30;
		// 24 workers: on none.
		e27, e24 := taxCode(t, "010000027"), taxCode(t, "010000024")
		importRows(t, st, "enterprises", []string{"tax_code", "name", "ownership", "employees", "address", "area", "unit_code"},
			[][]string{{e27, "Công ty Hai Mươi Bảy", "private", "27", "", "Dịch Vọng", "HN-CG"},
				{e24, "Công ty Hai Mươi Tư", "private", "24", "", "Dịch Vọng", "HN-CG"}})
		today := domain.Today()
		importRows(t, st, "plans", []string{"code", "name", "unit_code", "start", "end", "threshold_members"},
			[][]string{{"T30", "Kế hoạch ngưỡng 30", "HN", today.AddDays(-30).String(), today.AddDays(30).String(), "30"}})
		want := []string{f.e1, f.e2, f.e3, e27}
		slices.Sort(want)

		// The web page.
		b := f.browser()
		b.login("admin", password)
		resp, page := b.get("/enterprises/gap?unit=HN")
		if resp.StatusCode != 200 {
			t.Fatalf("/enterprises/gap: %d", resp.StatusCode)
		}
		var web []string
		for _, m := range gapTaxCode.FindAllStringSubmatch(page, -1) {
			web = append(web, m[1])
		}
		slices.Sort(web)
		if !slices.Equal(web, want) {
			t.Errorf("web gap list %v, want %v", web, want)
		}

		// The documents: the list both the XLSX and the PDF show, and the
		// XLSX's sheet itself.
		doc, err := report.BuildDocument(ctx, st, report.Request{Plan: "T30", Unit: "HN", AsOf: today.String()})
		if err != nil {
			t.Fatal(err)
		}
		if doc.Threshold != 30 {
			t.Fatalf("the plan's member threshold is %d, want 30", doc.Threshold)
		}
		var docs []string
		for _, g := range doc.Gaps {
			docs = append(docs, g.TaxCode)
		}
		slices.Sort(docs)
		if !slices.Equal(docs, want) {
			t.Errorf("document gap list %v, want %v", docs, want)
		}
		var buf bytes.Buffer
		if err := export.XLSX(&buf, doc); err != nil {
			t.Fatal(err)
		}
		rows := xlsxRows(t, buf.String(), export.SheetGaps)
		var sheet []string
		for _, r := range rows[1:] {
			sheet = append(sheet, r[1])
		}
		slices.Sort(sheet)
		if !slices.Equal(sheet, want) {
			t.Errorf("XLSX gap sheet %v, want %v", sheet, want)
		}

		// The report's funnel counts the same list.
		code, body := f.get("/api/v1/report?plan=T30&unit=HN&as_of="+today.String(), "admin")
		if code != 200 {
			t.Fatalf("report: %d %s", code, body)
		}
		rep := decode[struct {
			Organising struct {
				Gap int64 `json:"gap_enterprises"`
			} `json:"organising"`
		}](t, body)
		if rep.Organising.Gap != int64(len(want)) {
			t.Errorf("funnel gap_enterprises %d, want %d", rep.Organising.Gap, len(want))
		}
	})
}
