package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"congdoan/internal/demo"
	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// The accessibility test: axe-core, from npm
// (testdata/axe/package.json, installed by `npm ci` there, which .ci/run
// does), runs in the real Chromium on every page of the application at a
// desktop and a phone width, for an admin, a district's manager and a
// visitor who is not logged in. Any violation of the WCAG 2.1 A/AA rules
// or of axe's best practices fails the test, listed by rule, impact,
// element, page and width.

// axeWidths are the window sizes each page is checked at.
var axeWidths = []struct {
	w, h  int64
	phone bool
}{{1366, 900, false}, {390, 844, true}}

// axeTags are the rule sets axe runs.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"}

// axePage is one page the test visits. In path, {home} is the manager's
// district, {member} a member of it. prepare, when set, replaces the
// plain visit: it brings the page about (a form sent with mistakes, an
// upload) and returns the status it answered.
type axePage struct {
	name, path string
	status     int64
	prepare    func(t *testing.T, b *tab) int64
}

// visit is a page that a plain visit finds (200).
func visit(name, path string) axePage { return axePage{name: name, path: path, status: 200} }

// axePagesByUser lists every page, by who visits it: add new pages here.
// The dashboard of the whole city lists 500 grassroots unions, on which
// axe takes some 30 s: its other states are checked on a district.
func axePagesByUser() map[string][]axePage {
	return map[string][]axePage{
		"": { // not logged in
			visit("login", "/login"),
			{name: "login-failed", prepare: func(t *testing.T, b *tab) int64 {
				b.open("/login")
				b.do("fill the login form",
					chromedp.SendKeys(chromedp.ID("username"), "khong-co"),
					chromedp.SendKeys(chromedp.ID("password"), "sai-mat-khau"))
				return b.submit(`form[action="/login"] button[type=submit]`)
			}, status: 401},
			{name: "404-anonymous", path: "/khong-co-trang-nay", status: 404},
		},
		demo.User: {
			visit("dashboard", "/"),
			visit("dashboard-2022", "/?plan=HN-2022&unit=HN&as_of=2022-07-08"),
			visit("dashboard-2025", "/?plan=HN-2025&unit=HN-P-CAUGIAY&as_of=31/12/2025"),
			visit("dashboard-district", "/?plan=HN-2022&unit=HN-CG&as_of=08/07/2022"),
			visit("dashboard-union", "/?plan=HN-2022&unit=HN-CG-001&as_of=08/07/2022"),
			visit("dashboard-campaign", "/?plan=HN-2022&unit=HN-CG&campaign=HN-2022-D1&as_of=08/07/2022"),
			{name: "dashboard-bad-date", path: "/?plan=HN-2022&unit=HN-CG&as_of=31/02/2022", status: 422},
			visit("units", "/units"),
			visit("units-past", "/units?as_of=30/06/2022"),
			visit("unit-root", "/units/HN"),
			visit("unit-district", "/units/HN-CG"),
			visit("unit-union", "/units/HN-CG-027"),
			visit("unit-found", "/units/HN-CG/found"),
			{name: "unit-found-errors", prepare: func(t *testing.T, b *tab) int64 {
				b.open("/units/HN-CG/found")
				return b.submit(`main form[method=post] button[type=submit]`)
			}, status: 422},
			visit("unit-dissolve", "/units/HN-CG-027/dissolve"),
			visit("units-move", "/units/HN-CG/move-children"),
			visit("members", "/members"),
			visit("members-district", "/members?unit=HN-CG"),
			visit("members-search", "/members?unit=HN-CG&q=nguyen"),
			visit("member", "/members/1"),
			visit("member-new", "/members/new?unit="+homeUnion),
			{name: "member-new-errors", prepare: func(t *testing.T, b *tab) int64 {
				b.open("/members/new?unit=" + homeUnion)
				b.do("fill the form badly",
					chromedp.SendKeys(chromedp.ID("full_name"), "Ngô Thị Hoa"),
					chromedp.SendKeys(chromedp.ID("national_id"), "12345"),
					chromedp.SendKeys(chromedp.ID("date_of_birth"), "31/02/1995"))
				return b.submit("#admit")
			}, status: 422},
			visit("enterprises", "/enterprises"),
			visit("enterprises-district", "/enterprises?unit=HN-CG"),
			visit("gap", "/enterprises/gap?unit=HN-CG"),
			visit("plans", "/plans"),
			visit("plan", "/plans/HN-2022"),
			visit("plan-district", "/plans/HN-2022?unit=HN-CG&ind=unions_founded"),
			visit("campaigns", "/plans/HN-2022/campaigns"),
			visit("import", "/import"),
			{name: "import-preview", prepare: axeImportPreview, status: 422},
			visit("audit", "/audit"),
			visit("report-letter", "/report/letter?plan=HN-2022&unit=HN&as_of=2022-07-08"),
			visit("users", "/users"),
			visit("account", "/account"),
			{name: "account-token", prepare: func(t *testing.T, b *tab) int64 {
				b.open("/account")
				b.do("name a token", chromedp.SendKeys(chromedp.ID("token-name"), "axe"))
				return b.submit("#create-token")
			}, status: 200},
			visit("help", "/help"),
			visit("help-import", "/help/import"),
			visit("help-found", "/help/found"),
			visit("help-admit", "/help/admit"),
			visit("help-transfer", "/help/transfer"),
			visit("help-report", "/help/report"),
			{name: "404", path: "/khong-co-trang-nay", status: 404},
			// The edit forms and the organising pages.
			visit("member-edit", "/members/1/edit"),
			visit("member-undo", "/members/1/undo"),
			visit("unit-edit", "/units/HN-CG-027/edit"),
			visit("enterprise-new", "/enterprises/new"),
			visit("enterprise-edit", "/enterprises/{tax}/edit"),
			visit("user-edit", "/users/caugiay/edit"),
			visit("organising", "/organising"),
			visit("organising-enterprise", "/organising/{tax}"),
			visit("join-requests", "/units/HN-CG-027/join-requests"),
		},
		"caugiay": {
			visit("dashboard", "/"),
			visit("dashboard-home", "/?plan=HN-2022&unit={home}&as_of=08/07/2022"),
			visit("units", "/units"),
			visit("unit", "/units/{home}"),
			visit("members", "/members?unit={home}"),
			visit("member", "/members/{member}"),
			visit("member-new", "/members/new?unit="+homeUnion),
			visit("enterprises", "/enterprises"),
			visit("gap", "/enterprises/gap"),
			visit("plans", "/plans"),
			visit("plan", "/plans/HN-2022?unit={home}"),
			visit("import", "/import"),
			visit("audit", "/audit"),
			visit("account", "/account"),
			visit("help", "/help"),
			{name: "403", path: "/units/HN-BD", status: 403},
		},
	}
}

// axeImportPreview uploads a list with a column the importer does not
// know: the preview page with its mapping form and errors.
func axeImportPreview(t *testing.T, b *tab) int64 {
	list := "STT,Số CCCD,Họ tên,Ngày tháng năm sinh,Nam/Nữ,Mã CĐCS,Ngày kết nạp,SĐT\n" +
		"1,001195009901,Lý Thị Mai,01/01/1995,Nữ," + homeUnion + ",10/06/2024,0912345678\n" +
		"2,001096009902,Trịnh Văn Nam,31/02/1996,Nam," + homeUnion + ",11/06/2024,0987654321\n"
	file := filepath.Join(t.TempDir(), "ket-nap.csv")
	if err := os.WriteFile(file, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open("/import")
	b.do("choose the file",
		chromedp.SetValue(chromedp.ID("kind"), "members"),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{file}))
	return b.submit("#upload")
}

// axeScript is axe-core's code: testdata/axe's, or the file
// $CONGDOAN_AXE names. Without it the test skips, except in CI.
func axeScript(t *testing.T) string {
	t.Helper()
	path := filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js")
	if p := os.Getenv("CONGDOAN_AXE"); p != "" {
		path = p
	}
	b, err := os.ReadFile(path)
	if err != nil {
		const how = "axe-core is not installed: run `npm ci` in internal/web/testdata/axe (.ci/run does)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: %v", how, err)
		}
		t.Skipf("accessibility test skipped: %s", how)
	}
	return string(b)
}

// axeViolation is what the test reports of one of axe's findings.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axeRun runs axe on the open page and returns its violations.
func (b *tab) axeRun(script string) []axeViolation {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.axe ? true : (function(){`+script+`
;return true})()`)); err != nil {
		b.t.Fatalf("load axe: %v", err)
	}
	tags, _ := json.Marshal(axeTags)
	js := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))}))))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("run axe: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatalf("axe's answer: %v", err)
	}
	return vs
}

func TestAccessibility(t *testing.T) {
	script := axeScript(t)
	app := newDemoApp(t)
	recs, err := app.st.MembersPage(ctx, store.MemberFilter{UnitPath: mustUnitPath(t, app, app.home)}, 1, 0)
	if err != nil || len(recs) == 0 {
		t.Fatalf("a member of %s: %v", app.home, err)
	}
	cg, err := app.st.Unit(ctx, "HN-CG")
	if err != nil {
		t.Fatal(err)
	}
	var tax string
	err = app.st.GapEnterprises(ctx, cg, domain.NewDate(2022, 7, 8), 0, func(e *store.GapEnterprise) error {
		if tax == "" {
			tax = e.TaxCode
		}
		return nil
	})
	if err != nil || tax == "" {
		t.Fatalf("an enterprise of HN-CG without a union: %v", err)
	}
	subst := strings.NewReplacer("{home}", app.home, "{member}", fmt.Sprint(recs[0].ID), "{tax}", tax)
	pages := axePagesByUser()
	// CONGDOAN_AXE_PAGES=REGEXP checks only the pages so named, while
	// fixing them.
	var only *regexp.Regexp
	if re := os.Getenv("CONGDOAN_AXE_PAGES"); re != "" {
		only = regexp.MustCompile(re)
		t.Logf("only the pages matching %q", re)
	}
	checked := 0
	for _, who := range []string{"", demo.User, "caugiay"} {
		t.Run("user="+who, func(t *testing.T) {
			b := app.session(t)
			if who != "" {
				pw := password
				if who == demo.User {
					pw = demo.Password
				}
				b.login(who, pw)
			}
			for _, p := range pages[who] {
				if only != nil && !only.MatchString(p.name) {
					continue
				}
				for _, w := range axeWidths {
					if w.phone {
						b.do("phone viewport", chromedp.EmulateViewport(w.w, w.h, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
					} else {
						b.do("desktop viewport", chromedp.EmulateViewport(w.w, w.h, chromedp.EmulateScale(1)))
					}
					start := time.Now()
					path := subst.Replace(p.path)
					var status int64
					if p.prepare != nil {
						status = p.prepare(t, b)
						path = p.name
					} else {
						status = b.open(path)
					}
					if status != p.status {
						t.Errorf("%s (%s) at %d px: status %d, want %d", p.name, path, w.w, status, p.status)
					}
					checked++
					if w.phone && strings.HasPrefix(p.name, "help") {
						b.noHorizontalScroll(path) // the help is read on phones too
					}
					if os.Getenv("CONGDOAN_AXE_SHOTS") != "" {
						b.shot(fmt.Sprintf("a11y-%s-%s-%d", who, p.name, w.w))
					}
					loaded := time.Now()
					vs := b.axeRun(script)
					if d := time.Since(start); d > 5*time.Second {
						t.Logf("%s at %d px took %v (axe %v)", path, w.w, d.Round(time.Millisecond), time.Since(loaded).Round(time.Millisecond))
					}
					for _, v := range vs {
						for i, n := range v.Nodes {
							if i == 5 {
								t.Errorf("  … and %d more of %s on %s", len(v.Nodes)-5, v.ID, path)
								break
							}
							t.Errorf("%s [%s] on %s (%s) at %d px: %v %s\n    %s\n    %s", v.ID, v.Impact, p.name, path, w.w, n.Target, n.HTML, v.Help,
								strings.ReplaceAll(n.Summary, "\n", "\n    "))
						}
					}
				}
			}
		})
	}
	t.Logf("axe checked %d page views", checked)
}

func mustUnitPath(t *testing.T, app *demoApp, code string) string {
	t.Helper()
	u, err := app.st.Unit(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}
