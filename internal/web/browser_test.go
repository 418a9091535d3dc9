package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"congdoan/internal/demo"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/web"
)

// The browser tests drive a real Chromium, headless, against the real
// server on a random local port, with a temporary database loaded with the
// Hanoi 2022 demo. They skip when no Chromium is installed, except in CI
// (CI=true), where they must run. Screenshots (desktop and phone width) go
// to $TMPDIR/congdoan-screenshots.

// chromiumPath finds the browser: $CONGDOAN_CHROMIUM, or a usual name.
func chromiumPath() string {
	if p := os.Getenv("CONGDOAN_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return ""
		}
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// Users of the browser tests, on the demo's units.
var browserUsers = map[string][2]string{
	demo.User: {"admin", "HN"},
	"caugiay": {"manager", "HN-CG"},
	"badinh":  {"manager", "HN-BD"},
	"xem":     {"viewer", "HN-CG"},
}

const (
	desktopWidth = 1280
	phoneWidth   = 375
)

// demoApp is the demo served on a random port, with a browser to drive it.
type demoApp struct {
	t     *testing.T
	st    *store.Store
	url   string
	root  context.Context // the browser; tabs are children
	shots string
}

func newDemoApp(t *testing.T) *demoApp {
	t.Helper()
	chromium := chromiumPath()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium found (install Debian's chromium, or set CONGDOAN_CHROMIUM): the browser tests must run in CI")
		}
		t.Skip("browser tests skipped: no Chromium found (install chromium, or set CONGDOAN_CHROMIUM=/path/to/chrome)")
	}
	st := storetest.Open(t, store.SQLite)
	if err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	for name, ru := range browserUsers {
		pw := password
		if name == demo.User {
			pw = demo.Password
		}
		if err := st.AddUser(ctx, "test", name, pw, ru[0], ru[1]); err != nil {
			t.Fatal(err)
		}
	}
	app := &web.Server{Store: st, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(srv.Close)

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(desktopWidth, 900),
	)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelRoot(); cancelAlloc() })
	// Start the browser with a context that has no deadline: it lives as
	// long as root.
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start %s: %v", chromium, err)
	}
	shots := filepath.Join(os.TempDir(), "congdoan-screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)
	return &demoApp{t: t, st: st, url: srv.URL, root: root, shots: shots}
}

// tab is one browser session (its own cookies) of one user.
type tab struct {
	app *demoApp
	t   *testing.T
	ctx context.Context
}

// session opens a tab in a fresh browser context: no cookies.
func (a *demoApp) session(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(a.root, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return &tab{app: a, t: t, ctx: ctx}
}

// do runs steps with a time limit.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open navigates to path and returns the HTTP status of the page.
func (b *tab) open(path string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.app.url+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// submit clicks a form's submit button and waits for the page that comes
// back, returning its status.
func (b *tab) submit(button string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		b.t.Fatalf("submit %s: %v", button, err)
	}
	return resp.Status
}

// text is the text of the first element matching a CSS selector.
func (b *tab) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

func eval[T any](b *tab, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// login logs in through the form.
func (b *tab) login(user, pass string) {
	b.t.Helper()
	b.open("/login")
	b.do("fill the login form",
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), pass),
	)
	if status := b.submit(`form[action="/login"] button[type=submit]`); status != 200 {
		b.t.Fatalf("login as %s: status %d", user, status)
	}
	if loc := eval[string](b, `location.pathname`); loc == "/login" {
		b.t.Fatalf("login as %s failed: still on the login page: %s", user, b.text("main"))
	}
}

// viewport sets the width of the page (phone: mobile emulation).
func (b *tab) viewport(width int64) {
	b.t.Helper()
	if width <= phoneWidth {
		b.do("phone viewport", chromedp.EmulateViewport(width, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
		return
	}
	b.do("desktop viewport", chromedp.EmulateViewport(width, 900, chromedp.EmulateScale(1)))
}

// shot saves a full-page screenshot as NAME.png.
func (b *tab) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.app.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// noHorizontalScroll fails when the page is wider than the window.
func (b *tab) noHorizontalScroll(path string) {
	b.t.Helper()
	type widths struct{ Scroll, Inner int }
	w := eval[widths](b, `({Scroll: document.documentElement.scrollWidth, Inner: window.innerWidth})`)
	if w.Scroll > w.Inner {
		wide := eval[[]string](b, `Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.chart-wrap, .table-wrap')).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`)
		b.t.Errorf("%s at %d px: scrollWidth %d > innerWidth %d; too wide: %q", path, phoneWidth, w.Scroll, w.Inner, wide)
	}
}

func TestBrowser(t *testing.T) {
	app := newDemoApp(t)

	t.Run("login and the demo dashboard", func(t *testing.T) {
		b := app.session(t)
		b.viewport(desktopWidth)
		if status := b.open("/"); status != 200 {
			t.Fatalf("/ before login: %d", status)
		}
		if got := eval[string](b, `location.pathname`); got != "/login" {
			t.Fatalf("not sent to the login page: %s", got)
		}
		b.shot("login-desktop")
		b.login(demo.User, demo.Password)
		// The figures of the Hanoi report as of 8 July 2022.
		b.open("/?plan=HN-2022&unit=HN&as_of=2022-07-08")
		if got := b.text(`[data-indicator="unions_founded"] .figure`); got != "306/750 — 40,8 %" {
			t.Errorf("unions founded: %q, want 306/750 — 40,8 %%", got)
		}
		if got := b.text(`[data-indicator="members_admitted"] .figure`); !strings.HasPrefix(got, "24.396/") {
			t.Errorf("members admitted: %q, want 24.396/…", got)
		}
		if got := b.text(`[data-indicator="unions_founded"] .meta`); !strings.Contains(got, "Chậm tiến độ") || !strings.Contains(got, "388,36") {
			t.Errorf("pace: %q", got)
		}
		if got := b.text("#month-h + .chips + .chart-wrap"); !strings.Contains(got, "94") || !strings.Contains(got, "30,7 %") {
			t.Errorf("month chart: %q", got)
		}
		b.shot("dashboard-desktop")
		// In English.
		b.open("/lang/en?next=" + "/%3Fplan%3DHN-2022%26unit%3DHN%26as_of%3D2022-07-08")
		if got := b.text(`[data-indicator="unions_founded"] .figure`); got != "306/750 — 40.8 %" {
			t.Errorf("in English: %q", got)
		}
		if got := b.text("h2#ind-h"); got != "Indicators" {
			t.Errorf("English heading %q", got)
		}
		b.shot("dashboard-desktop-en")
		b.open("/lang/vi?next=/")
	})

	t.Run("admit a member and see the count change", func(t *testing.T) {
		b := app.session(t)
		b.login("caugiay", password)
		b.viewport(desktopWidth)
		const unit = "HN-CG-001"
		count := func() int {
			t.Helper()
			if status := b.open("/members?unit=" + unit); status != 200 {
				t.Fatalf("registry: %d", status)
			}
			return eval[int](b, `Number(document.getElementById("member-count").dataset.total)`)
		}
		before := count()
		b.shot("members-desktop")
		if status := b.open("/members/new?unit=" + unit); status != 200 {
			t.Fatalf("admission form: %d", status)
		}
		// A first try with mistakes: the errors show, nothing is written.
		b.do("fill the form badly",
			chromedp.SendKeys(chromedp.ID("full_name"), "Ngô Thị Hoa"),
			chromedp.SendKeys(chromedp.ID("national_id"), "12345"),
			chromedp.SendKeys(chromedp.ID("date_of_birth"), "31/02/1995"),
		)
		if status := b.submit("#admit"); status != 422 {
			t.Fatalf("bad admission: %d, want 422", status)
		}
		if got := b.text(".errors h2"); !strings.Contains(got, "Dữ liệu chưa hợp lệ") {
			t.Errorf("error heading %q", got)
		}
		if got := b.text(".errors"); !strings.Contains(got, "national_id") || !strings.Contains(got, "date_of_birth") {
			t.Errorf("errors %q", got)
		}
		b.shot("member-new-errors-desktop")
		b.do("correct the form",
			chromedp.SetValue(chromedp.ID("national_id"), "001195123456"),
			chromedp.SetValue(chromedp.ID("date_of_birth"), "01/06/1995"),
			chromedp.SetValue(chromedp.ID("gender"), "female"),
		)
		if status := b.submit("#admit"); status != 200 {
			t.Fatalf("admission: %d: %s", status, b.text("main"))
		}
		if got := b.text(".flash"); got != "Đã kết nạp đoàn viên." {
			t.Errorf("flash %q", got)
		}
		if got := b.text("h1"); got != "Ngô Thị Hoa" {
			t.Errorf("member page h1 %q", got)
		}
		b.shot("member-desktop")
		if after := count(); after != before+1 {
			t.Errorf("members of %s: %d before, %d after the admission", unit, before, after)
		}
		// Found by a search without diacritics.
		b.open("/members?unit=HN-CG&q=ngo+thi+hoa")
		if got := b.text("table.stack tbody tr td a"); got != "Ngô Thị Hoa" {
			t.Errorf("search: %q", got)
		}
	})

	t.Run("a district's manager cannot open another district", func(t *testing.T) {
		b := app.session(t)
		b.login("caugiay", password)
		b.viewport(desktopWidth)
		for _, path := range []string{"/units/HN-CG-001", "/?plan=HN-2022&unit=HN-CG", "/members?unit=HN-CG", "/units/HN-CG"} {
			if status := b.open(path); status != 200 {
				t.Errorf("own %s: %d, want 200", path, status)
			}
		}
		b.shot("unit-desktop")
		for _, path := range []string{"/units/HN-BD", "/units/HN-BD-001", "/units/HN-BD/found", "/units/HN-BD-001/dissolve",
			"/?plan=HN-2022&unit=HN-BD", "/?plan=HN-2022&unit=HN", "/members?unit=HN-BD", "/members/new?unit=HN-BD-001", "/members/1",
			"/enterprises?unit=HN-BD", "/enterprises/gap?unit=HN-BD", "/plans/HN-2022?unit=HN-BD"} {
			if status := b.open(path); status != 403 {
				t.Errorf("%s: %d, want 403", path, status)
				continue
			}
			if got := b.text("main h1"); got != "Lỗi 403" {
				t.Errorf("%s: heading %q", path, got)
			}
		}
		b.shot("forbidden-desktop")
	})

	t.Run("a viewer sees masked IDs and no forms", func(t *testing.T) {
		b := app.session(t)
		b.login("xem", password)
		b.open("/members?unit=HN-CG-001")
		if got := b.text("table.stack tbody tr td .mono"); !strings.HasPrefix(got, "********") {
			t.Errorf("viewer sees the national ID %q", got)
		}
		if n := eval[int](b, `document.querySelectorAll('main form[method=post]').length`); n != 0 {
			t.Errorf("the viewer's registry has %d write forms", n)
		}
		if status := b.open("/members/new?unit=HN-CG-001"); status != 403 {
			t.Errorf("the viewer opens the admission form: %d", status)
		}
		b.open("/units/HN-CG-001")
		if n := eval[int](b, `document.querySelectorAll('main form[method=post], a[href$="/found"], a[href$="/dissolve"]').length`); n != 0 {
			t.Errorf("the viewer's unit page offers %d writes", n)
		}
	})

	t.Run("phone layout", func(t *testing.T) {
		b := app.session(t)
		b.login(demo.User, demo.Password)
		b.viewport(phoneWidth)
		for _, p := range []struct{ name, path string }{
			{"dashboard", "/?plan=HN-2022&unit=HN&as_of=2022-07-08"},
			{"members", "/members?unit=HN-CG"},
			{"member-new", "/members/new?unit=HN-CG"},
			{"member", "/members/1"},
			{"units", "/units"},
			{"unit", "/units/HN-CG"},
			{"unit-grassroots", "/units/HN-CG-027"},
			{"unit-found", "/units/HN-CG/found"},
			{"unit-dissolve", "/units/HN-CG-027/dissolve"},
			{"enterprises", "/enterprises?unit=HN-CG"},
			{"gap", "/enterprises/gap?unit=HN-CG"},
			{"plans", "/plans"},
			{"plan", "/plans/HN-2022?unit=HN-CG&ind=unions_founded"},
			{"campaigns", "/plans/HN-2022/campaigns"},
			{"import", "/import"},
			{"audit", "/audit"},
			{"users", "/users"},
		} {
			if status := b.open(p.path); status != 200 {
				t.Errorf("%s: %d", p.path, status)
				continue
			}
			b.noHorizontalScroll(p.path)
			b.shot(p.name + "-phone")
		}
		b.open("/lang/en?next=/members")
		b.noHorizontalScroll("/members in English")
		b.open("/lang/vi?next=/")
	})

	t.Run("desktop pages", func(t *testing.T) {
		b := app.session(t)
		b.login(demo.User, demo.Password)
		b.viewport(desktopWidth)
		for _, p := range []struct{ name, path string }{
			{"units", "/units"},
			{"enterprises", "/enterprises"},
			{"gap", "/enterprises/gap?unit=HN-CG"},
			{"plan", "/plans/HN-2022?unit=HN&ind=unions_founded"},
			{"campaigns", "/plans/HN-2022/campaigns"},
			{"import", "/import"},
			{"audit", "/audit"},
		} {
			if status := b.open(p.path); status != 200 {
				t.Errorf("%s: %d", p.path, status)
				continue
			}
			b.shot(p.name + "-desktop")
		}
	})
}
