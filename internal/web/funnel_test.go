package web_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"congdoan/internal/demo"
	"congdoan/internal/domain"
	"congdoan/internal/report"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

var (
	funnelFigure = regexp.MustCompile(`<b id="fn-([a-z]+)"[^>]*>([^<]*)</b>`)
	funnelRank   = regexp.MustCompile(`<tr>\s*<td data-label="#">(\d+)</td>\s*<td data-label="[^"]*">([^<]*)</td>\s*<td data-label="[^"]*" class="num">([^<]*)</td>`)
)

// The dashboard's funnel is the report's "organising", written the
// Vietnamese way, with the organisers' ranking and a link to the board.
func TestDashboardFunnel(t *testing.T) {
	eachFixture(t, newOrgFixture, func(t *testing.T, st *store.Store, f *orgFixture) {
		today := domain.Today()
		day := func(n int) string { return today.AddDays(-n).String() }
		// A pipeline at e1 (contacted 20 days ago, a founding group 10 days
		// ago), an application at e1, a request to CG-A 30 days old and the
		// union founded at e1 today.
		for _, b := range []map[string]any{
			{"stage": "contacted", "on": day(20), "organisers": []string{"lan", "ctv"}},
			{"stage": "founding_group", "on": day(10)},
		} {
			if code, body := f.postJSON("/api/v1/enterprises/"+f.e1+"/pipeline", "lan", b); code != 201 {
				t.Fatalf("%v: %d %s", b, code, body)
			}
		}
		if code, _ := f.postJoin(f.joinURL("/api/v1/enterprises/"+f.e1), "10.1.0.2", joinForm("001090101011")); code != 200 {
			t.Fatal(code)
		}
		if _, err := st.AddJoinRequest(ctx, f.joinTarget("/api/v1/units/CG-A"), &store.JoinRequest{FullName: "Lê Thị Hoa", NationalID: "001195202021", IDType: "cccd",
			DateOfBirth: domain.NewDate(1995, 1, 1), Gender: "female", Phone: "0987654321", CreatedOn: today.AddDays(-30)}); err != nil {
			t.Fatal(err)
		}
		f.foundE1(t)

		asOf := today.String()
		code, body := f.get("/api/v1/report?plan=NOW&unit=HN-CG&as_of="+asOf, "lan")
		if code != 200 {
			t.Fatalf("report: %d %s", code, body)
		}
		type org struct {
			Gap        int64    `json:"gap_enterprises"`
			Contacted  int64    `json:"contacted"`
			Groups     int64    `json:"founding_group"`
			Apps       int64    `json:"applications"`
			Founded    int64    `json:"founded_from_pipeline"`
			Days       *float64 `json:"median_days_to_found"`
			Requests   int64    `json:"join_requests"`
			Pending    int64    `json:"join_requests_pending"`
			Overdue    int64    `json:"join_requests_overdue"`
			Organisers []struct {
				Name    string `json:"name"`
				Founded int64  `json:"founded"`
			} `json:"organisers"`
		}
		o := decode[struct {
			Organising *org `json:"organising"`
		}](t, body).Organising
		if o == nil || o.Founded != 1 || o.Overdue != 1 || len(o.Organisers) != 2 {
			t.Fatalf("the report's organising is not the fixture's: %+v", o)
		}
		days := "—"
		if o.Days != nil {
			days = vn.Int(int64(*o.Days))
		}
		want := map[string]string{"gap": vn.Int(o.Gap), "contacted": vn.Int(o.Contacted), "groups": vn.Int(o.Groups),
			"applications": vn.Int(o.Apps), "founded": vn.Int(o.Founded), "days": days, "requests": vn.Int(o.Requests),
			"pending": vn.Int(o.Pending), "overdue": vn.Int(o.Overdue)}

		b := f.browser()
		b.login("lan", password)
		resp, page := b.get("/?plan=NOW&unit=HN-CG&as_of=" + asOf)
		if resp.StatusCode != 200 {
			t.Fatalf("dashboard: %d", resp.StatusCode)
		}
		if !strings.Contains(page, `<h2 id="funnel-h">Phát triển tổ chức`) {
			t.Errorf("the dashboard has no section Phát triển tổ chức")
		}
		got := map[string]string{}
		for _, m := range funnelFigure.FindAllStringSubmatch(page, -1) {
			got[m[1]] = m[2]
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("dashboard funnel %v, report %v", got, want)
		}
		rows := funnelRank.FindAllStringSubmatch(page, -1)
		if len(rows) != len(o.Organisers) {
			t.Fatalf("ranking rows %d, report %d", len(rows), len(o.Organisers))
		}
		for i, r := range rows {
			if r[1] != fmt.Sprint(i+1) || html.UnescapeString(r[2]) != o.Organisers[i].Name || r[3] != vn.Int(o.Organisers[i].Founded) {
				t.Errorf("ranking row %d: %v, want %+v", i, r[1:], o.Organisers[i])
			}
		}
		if !strings.Contains(page, `href="/organising?unit=HN-CG"`) {
			t.Errorf("no link to the board of HN-CG")
		}
		if strings.Contains(page, `<th scope="col"></th>`) {
			t.Errorf("an empty table header")
		}

		// In English, by the switch, with the same figures.
		b.get("/lang/en?next=/")
		_, page = b.get("/?plan=NOW&unit=HN-CG&as_of=" + asOf)
		if !strings.Contains(page, `<h2 id="funnel-h">Organising`) || strings.Contains(page, "Phát triển tổ chức") {
			t.Errorf("the English dashboard's funnel heading is not English")
		}
		if m := funnelFigure.FindStringSubmatch(page); m == nil || m[2] != want[m[1]] {
			t.Errorf("English funnel figure %v", m)
		}

		// Another district (seen by the city's admin): its own funnel, none
		// of HN-CG's pipeline.
		a := f.browser()
		a.login("admin", password)
		_, page = a.get("/?plan=NOW&unit=HN-BD&as_of=" + asOf)
		got = map[string]string{}
		for _, m := range funnelFigure.FindAllStringSubmatch(page, -1) {
			got[m[1]] = m[2]
		}
		if got["gap"] != "1" || got["founded"] != "0" || got["requests"] != "0" || got["days"] != "—" {
			t.Errorf("HN-BD funnel %v", got)
		}
		if !strings.Contains(page, `href="/organising?unit=HN-BD"`) || funnelRank.MatchString(page) {
			t.Errorf("HN-BD: board link or a ranking of no union founded")
		}
		if !strings.Contains(page, "Chưa có công đoàn cơ sở nào được thành lập từ vận động trong kỳ.") {
			t.Errorf("HN-BD: no word that no union was founded from the pipeline")
		}

		// A collaborator never sees the dashboard.
		c := f.browser()
		c.login("ctv", password)
		if resp, page := c.get("/?plan=NOW&unit=HN-CG"); resp.StatusCode == 200 && strings.Contains(page, "funnel-h") {
			t.Errorf("a collaborator sees the dashboard's funnel")
		}
	})
}

// The funnel with its ranking of organisers, on the demo's dashboard of
// Cầu Giấy in 2022, passes axe and fits a phone (the demo alone has no
// organiser behind a union founded, so the ranking's table is seeded
// here: a gap enterprise contacted on 1 February 2022, by the demo's
// user, whose union was founded on 10 May).
func TestDashboardFunnelBrowser(t *testing.T) {
	script := axeScript(t)
	app := newDemoApp(t)
	cg, err := app.st.Unit(ctx, "HN-CG")
	if err != nil {
		t.Fatal(err)
	}
	var gaps []store.GapEnterprise
	err = app.st.GapEnterprises(ctx, cg, domain.NewDate(2022, 7, 8), 0, func(e *store.GapEnterprise) error {
		gaps = append(gaps, *e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var ent *store.GapEnterprise
	for i := range gaps {
		// Mapped: nothing recorded, no pipeline row to collide with.
		if p, err := app.st.PipelineOf(ctx, gaps[i].TaxCode); err == nil && p.Stage == store.StageMapped && p.FirstContact.IsZero() {
			ent = &gaps[i]
			break
		}
	}
	if ent == nil {
		t.Fatalf("no gap enterprise of HN-CG outside the pipeline among %d", len(gaps))
	}
	first, founded := domain.NewDate(2022, 2, 1), domain.NewDate(2022, 5, 10)
	if err := app.st.SeedOrganising(ctx, "test", []store.PipelineSeed{{TaxCode: ent.TaxCode, Stage: store.StageFounded, Since: founded,
		FirstContact: first, LastContact: founded, Organisers: []string{demo.User}}}, nil); err != nil {
		t.Fatal(err)
	}
	importRows(t, app.st, "units", []string{"code", "name", "parent_code", "kind", "ownership", "enterprise_tax_code", "founded_on", "method"},
		[][]string{{"HN-CG-FUNNEL", "CĐCS " + ent.Name, ent.UnitCode, "grassroots", ent.Ownership, ent.TaxCode, founded.String(), "new"}})
	b := app.session(t)
	b.login(demo.User, demo.Password)
	path := "/?plan=HN-2022&unit=HN-CG&as_of=2022-07-08"
	for _, w := range axeWidths {
		if w.phone {
			b.do("phone viewport", chromedp.EmulateViewport(w.w, w.h, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
		} else {
			b.do("desktop viewport", chromedp.EmulateViewport(w.w, w.h, chromedp.EmulateScale(1)))
		}
		b.openWant(path, 200)
		if got := b.text("#fn-ranking tbody"); !strings.Contains(got, demo.User) {
			t.Errorf("at %d px the ranking is %q, want %s", w.w, got, demo.User)
		}
		if w.phone {
			b.noHorizontalScroll(path)
		}
		for _, v := range b.axeRun(script) {
			for _, n := range v.Nodes {
				t.Errorf("%s [%s] at %d px: %v %s\n    %s", v.ID, v.Impact, w.w, n.Target, n.HTML, v.Help)
			}
		}
	}

	// Over a campaign, the funnel is the campaign window's, as in the
	// report.
	rep, err := report.Build(ctx, app.st, report.Request{Plan: "HN-2022", Unit: "HN-CG", AsOf: "2022-07-08", Campaign: "HN-2022-D1"})
	if err != nil || rep.Organising == nil || rep.Campaign == nil {
		t.Fatalf("the campaign's report: %v", err)
	}
	b.open("/?plan=HN-2022&unit=HN-CG&campaign=HN-2022-D1&as_of=2022-07-08")
	if h := b.text("#funnel-h"); !strings.Contains(h, rep.Window.Start.VN()+" đến "+rep.Window.End.VN()) {
		t.Errorf("the campaign's funnel heading %q, want the window %s – %s", h, rep.Window.Start.VN(), rep.Window.End.VN())
	}
	for id, v := range map[string]int64{"contacted": rep.Organising.Contacted, "groups": rep.Organising.FoundingGroup,
		"founded": rep.Organising.FoundedFromPipeline, "gap": rep.Organising.GapEnterprises} {
		if got := b.text("#fn-" + id); got != vn.Int(v) {
			t.Errorf("campaign funnel %s = %q, report %d", id, got, v)
		}
	}
}
