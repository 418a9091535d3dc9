package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// joinWidth is the phone a worker scans the poster with.
const joinWidth = 390

// newOrgBrowser serves the organising fixture to a headless Chromium.
func newOrgBrowser(t *testing.T) (*orgFixture, *demoApp) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: no browser (the full suite runs it)")
	}
	chromium := chromiumPath()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found: the browser tests must run in CI")
		}
		t.Skip("browser tests skipped: no Chromium found")
	}
	st := storetest.Open(t, store.SQLite)
	f := newOrgFixture(t, st)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(desktopWidth, 900))
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelRoot(); cancelAlloc() })
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	shots := filepath.Join(os.TempDir(), "congdoan-screenshots")
	os.MkdirAll(shots, 0o755)
	return f, &demoApp{t: t, st: st, url: f.srv.URL, root: root, shots: shots}
}

func (b *tab) phone390() {
	b.t.Helper()
	b.do("390 px phone", chromedp.EmulateViewport(joinWidth, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
}

// noSideScroll fails when the page is wider than the phone.
func (b *tab) noSideScroll(what string) {
	b.t.Helper()
	if w := eval[int64](b, `document.documentElement.scrollWidth`); w > joinWidth {
		b.t.Errorf("%s: the page is %d px wide on a %d px phone", what, w, joinWidth)
	}
}

// A worker joins from a phone, without a script; an officer admits them
// from the queue on a phone; the board shows the pipeline.
func TestBrowserJoin(t *testing.T) {
	f, app := newOrgBrowser(t)
	_, body := f.get("/api/v1/units/CG-A", "lan")
	joinURL := decode[struct {
		JoinURL string `json:"join_url"`
	}](t, body).JoinURL
	path := strings.TrimPrefix(joinURL, f.srv.URL)

	w := app.session(t)
	w.phone390()
	// The worker's phone runs no script of ours: the form works without.
	// The worker's phone runs no script: the page is loaded and the form
	// sent with scripts off (the test's own typing needs them on).
	scripts := func(on bool) {
		w.do("scripts", func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
			return chromedp.Void{}, err
		})
	}
	scripts(false)
	if st := w.open(path); st != 200 {
		t.Fatalf("join page: %d", st)
	}
	w.noSideScroll("join page")
	if n := eval[int64](w, `document.scripts.length`); n != 0 {
		t.Errorf("the join page has %d scripts", n)
	}
	fill := func(nid string) {
		scripts(true)
		defer scripts(false)
		// A fresh form each time: typing, as a person does (the date in the
		// browser's own mm/dd/yyyy order).
		if st := w.open(path); st != 200 {
			t.Fatalf("join page: %d", st)
		}
		w.do("fill the form",
			chromedp.SendKeys(chromedp.ID("full_name"), "Đỗ Thị Mai"),
			chromedp.SendKeys(chromedp.ID("national_id"), nid),
			chromedp.SendKeys(chromedp.ID("date_of_birth"), "08201996"),
			chromedp.Click(chromedp.ID("g_f")),
			chromedp.SendKeys(chromedp.ID("phone"), "0987000111"),
		)
	}
	// A man's CCCD for a woman, and no consent: 422 naming both fields.
	fill("001096123456")
	if st := w.submit(`form button[type=submit]`); st != 422 {
		t.Fatalf("bad form: %d", st)
	}
	sum := w.text(".sum")
	if !strings.Contains(sum, "Số CCCD") || !strings.Contains(sum, "Đồng ý xử lý dữ liệu cá nhân") {
		t.Errorf("error summary: %s", sum)
	}
	w.shot("join-390-errors")
	fill("001196123456")
	scripts(true)
	w.do("consent", chromedp.Click(chromedp.ID("consent")))
	scripts(false)
	if st := w.submit(`form button[type=submit]`); st != 200 {
		t.Fatalf("valid form: %d: %s", st, w.text("main"))
	}
	if got := w.text("main"); !strings.Contains(got, "Cảm ơn") {
		t.Fatalf("thank-you page: %s", got)
	}
	w.shot("join-390-thanks")

	// The officer, on a phone, admits her from the queue.
	o := app.session(t)
	o.phone390()
	o.login("lan", password)
	if st := o.open("/units/CG-A/join-requests"); st != 200 {
		t.Fatalf("queue: %d\n%s", st, f.logs.String())
	}
	o.noSideScroll("queue")
	o.shot("join-queue-390")
	if got := o.text("main"); !strings.Contains(got, "Đỗ Thị Mai") {
		t.Fatalf("the queue lacks the request: %s", got)
	}
	if st := o.submit(`form[id^="approve-"] button[type=submit]`); st != 200 {
		t.Fatalf("approve: %d", st)
	}
	if loc := eval[string](o, `location.pathname`); !strings.HasPrefix(loc, "/members/") {
		t.Fatalf("after approval: %s: %s", loc, o.text("main"))
	}
	if got := o.text("main"); !strings.Contains(got, "Đỗ Thị Mai") {
		t.Errorf("member page: %s", got)
	}
	if m, err := app.st.Member(ctx, "001196123456"); err != nil || m.CurrentUnitCode != "CG-A" {
		t.Fatalf("member: %+v %v", m, err)
	}

	// The board on a phone: columns stacked, the gap enterprises mapped.
	if st := o.open("/organising?unit=HN-CG"); st != 200 {
		t.Fatalf("board: %d", st)
	}
	o.noSideScroll("board")
	if got := o.text("#col-mapped"); !strings.Contains(got, "Công ty May Cầu Giấy") || !strings.Contains(got, "Công ty Điện tử Nghĩa Đô") {
		t.Errorf("mapped column: %s", got)
	}
	o.shot("board-390")
}

// The organising pages pass axe-core (the rules of TestAccessibility) at
// the desktop and the phone width: the public join page (blank and with
// errors), the board, an enterprise's page and the queue.
func TestOrganisingAccessibility(t *testing.T) {
	script := axeScript(t)
	f, app := newOrgBrowser(t)
	_, body := f.get("/api/v1/units/CG-A", "lan")
	join := strings.TrimPrefix(decode[struct {
		JoinURL string `json:"join_url"`
	}](t, body).JoinURL, f.srv.URL)
	if code, _ := f.postJoin(f.srv.URL+join, "10.3.0.1", joinForm("001090343434")); code != 200 {
		t.Fatal(code)
	}
	f.postJSON("/api/v1/enterprises/"+f.e1+"/pipeline", "lan", map[string]any{"stage": "contacted", "organisers": []string{"ctv"}})
	check := func(b *tab, name string, open func() int64, want int64) {
		for _, w := range axeWidths {
			if w.phone {
				b.do("phone viewport", chromedp.EmulateViewport(w.w, w.h, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
			} else {
				b.do("desktop viewport", chromedp.EmulateViewport(w.w, w.h, chromedp.EmulateScale(1)))
			}
			if st := open(); st != want {
				t.Errorf("%s at %d px: status %d, want %d", name, w.w, st, want)
			}
			for _, v := range b.axeRun(script) {
				for _, n := range v.Nodes {
					t.Errorf("%s [%s] on %s at %d px: %v %s\n    %s", v.ID, v.Impact, name, w.w, n.Target, n.HTML, v.Help)
				}
			}
		}
	}
	anon := app.session(t)
	check(anon, "join", func() int64 { return anon.open(join) }, 200)
	check(anon, "join with errors", func() int64 {
		anon.open(join)
		return anon.submit(`form button[type=submit]`)
	}, 422)
	o := app.session(t)
	o.login("lan", password)
	for _, p := range []string{"/organising?unit=HN-CG", "/organising/" + f.e1, "/units/CG-A/join-requests", "/units/HN-CG/join-requests?status=all"} {
		check(o, p, func() int64 { return o.open(p) }, 200)
	}
}
