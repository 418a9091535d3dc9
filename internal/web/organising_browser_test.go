package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// joinWidth is the phone a worker scans the poster with.
const joinWidth = 390

// newOrgBrowser serves the organising fixture to a headless Chromium.
func newOrgBrowser(t *testing.T) (*orgFixture, *demoApp) {
	t.Helper()
	root, shots := startChromium(t)
	st := storetest.Open(t, store.SQLite)
	f := newOrgFixture(t, st)
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
	joinURL := f.joinURL("/api/v1/units/CG-A")
	path := strings.TrimPrefix(joinURL, f.srv.URL)

	w := app.session(t)
	w.phone390()
	// The worker's phone runs no script of ours: the form works without.
	// The worker's phone runs no script: the page is loaded and the form
	// sent with scripts off (the test's own typing needs them on).
	w.scripts(false)
	w.openWant(path, 200)
	w.noSideScroll("join page")
	if n := eval[int64](w, `document.scripts.length`); n != 0 {
		t.Errorf("the join page has %d scripts", n)
	}
	fill := func(nid string) {
		w.scripts(true)
		defer w.scripts(false)
		// A fresh form each time: typing, as a person does (the date in the
		// browser's own mm/dd/yyyy order).
		w.openWant(path, 200)
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
	w.scripts(true)
	w.do("consent", chromedp.Click(chromedp.ID("consent")))
	w.scripts(false)
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
	o.textHas("main", "Đỗ Thị Mai")
	if m, err := app.st.Member(ctx, "001196123456"); err != nil || m.CurrentUnitCode != "CG-A" {
		t.Fatalf("member: %+v %v", m, err)
	}

	// The board on a phone: columns stacked, the gap enterprises mapped.
	o.openWant("/organising?unit=HN-CG", 200)
	o.noSideScroll("board")
	o.textHas("#col-mapped", "Công ty May Cầu Giấy", "Công ty Điện tử Nghĩa Đô")
	o.shot("board-390")
}

// The organising pages pass axe-core (the rules of TestAccessibility) at
// the desktop and the phone width: the public join page (blank and with
// errors), the board, an enterprise's page and the queue.
func TestOrganisingAccessibility(t *testing.T) {
	script := axeScript(t)
	f, app := newOrgBrowser(t)
	join := strings.TrimPrefix(f.joinURL("/api/v1/units/CG-A"), f.srv.URL)
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
