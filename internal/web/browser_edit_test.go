package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"congdoan/internal/demo"
	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

// The edit forms and the unit picker in a real Chromium, on the Hanoi demo.

// uniqueUnit finds a unit of kinds under path whose folded name finds that
// unit alone: what a user types without accents.
func uniqueUnit(t *testing.T, st *store.Store, path string, kinds []string, open bool) (*domain.Unit, string) {
	t.Helper()
	q := store.UnitQuery{Path: path, Kinds: kinds, Limit: 100}
	if open {
		q.OpenOn = domain.Today()
	}
	units, err := st.SearchUnits(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		typed := vn.Fold(u.Name)
		q.Q = typed
		if found, err := st.SearchUnits(ctx, q); err == nil && len(found) == 1 && typed != u.Name {
			return u, typed
		}
	}
	t.Fatalf("no unit under %s with a name of its own", path)
	return nil, ""
}

// noScript switches JavaScript off in the tab.
func (b *tab) noScript() {
	b.t.Helper()
	b.do("disable JavaScript", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
}

// admitForm fills the admission form but its unit.
func (b *tab) admitForm(name, nid string) {
	b.t.Helper()
	b.do("fill the admission form",
		chromedp.SetValue(chromedp.ID("full_name"), name),
		chromedp.SetValue(chromedp.ID("national_id"), nid),
		chromedp.SetValue(chromedp.ID("date_of_birth"), "12/05/1990"),
		chromedp.SetValue(chromedp.ID("gender"), "male"),
	)
}

func TestBrowserEditForms(t *testing.T) {
	app := newDemoApp(t)
	home, err := app.st.Unit(ctx, app.home)
	if err != nil {
		t.Fatal(err)
	}
	grassroots, typed := uniqueUnit(t, app.st, home.Path, []string{domain.KindGrassroots}, true)
	t.Logf("typing %q for %s %s", typed, grassroots.Code, grassroots.Name)

	var memberPath string
	t.Run("the unit picker with JavaScript", func(t *testing.T) {
		b := app.session(t)
		b.login("caugiay", password)
		b.viewport(phoneWidth)
		b.open("/members/new")
		if got := eval[string](b, `document.getElementById("unit_code").getAttribute("role")`); got != "combobox" {
			t.Fatalf("the unit field is no combobox: %q", got)
		}
		b.do("type the unit's name without accents",
			chromedp.SendKeys(chromedp.ID("unit_code"), typed),
			chromedp.WaitVisible(chromedp.CSS("#unit_code-listbox li[role=option]")),
		)
		if got := eval[string](b, `document.getElementById("unit_code").getAttribute("aria-expanded")`); got != "true" {
			t.Errorf("aria-expanded %q", got)
		}
		b.shot("picker-phone")
		b.do("pick it with the keyboard",
			chromedp.KeyEvent(kb.ArrowDown),
			chromedp.KeyEvent(kb.Enter),
		)
		if got := eval[string](b, `document.getElementById("unit_code").value`); got != grassroots.Code {
			t.Fatalf("picked %q, want %s", got, grassroots.Code)
		}
		if got := b.text("#unit_code-picked"); got != strings.Join(strings.Fields(grassroots.Name), " ") {
			t.Errorf("shown beside: %q", got)
		}
		b.admitForm("Trần Chọn Đơn Vị", "001090777001")
		if status := b.submit("#admit"); status != 200 {
			t.Fatalf("admit: %d %s", status, b.text("main"))
		}
		if got := b.text(".sub a"); got != strings.Join(strings.Fields(grassroots.Name), " ") {
			t.Errorf("admitted into %q, want %s", got, grassroots.Name)
		}
		memberPath = eval[string](b, `location.pathname`)
	})

	t.Run("the unit picker without JavaScript", func(t *testing.T) {
		b := app.session(t)
		b.noScript()
		b.login("caugiay", password)
		b.open("/members/new")
		if got := eval[string](b, `document.getElementById("unit_code").getAttribute("list")`); got != "unit_code-list" {
			t.Fatalf("the field has no datalist: %q", got)
		}
		b.do("type the unit's name without accents", chromedp.SendKeys(chromedp.ID("unit_code"), typed))
		b.admitForm("Lê Không Script", "001090777002")
		if status := b.submit("#admit"); status != 200 {
			t.Fatalf("admit: %d %s", status, b.text("main"))
		}
		if got := b.text(".flash"); got != "Đã kết nạp đoàn viên." {
			t.Errorf("flash %q", got)
		}
		if got := b.text(".sub a"); got != strings.Join(strings.Fields(grassroots.Name), " ") {
			t.Errorf("admitted into %q, want %s", got, grassroots.Name)
		}
	})

	t.Run("edit and undo a member", func(t *testing.T) {
		if memberPath == "" {
			t.Skip("no member admitted")
		}
		b := app.session(t)
		b.login("caugiay", password)
		b.viewport(desktopWidth)
		b.open(memberPath)
		b.do("open the edit form", chromedp.Click(chromedp.ID("member-edit-link")), chromedp.WaitVisible(chromedp.ID("member-edit")))
		b.do("change the name and the ID number",
			chromedp.SetValue(chromedp.ID("full_name"), "Trần Đã Sửa"),
			chromedp.SetValue(chromedp.ID("national_id"), "001090777003"),
		)
		if status := b.submit("#member-save"); status != 422 {
			t.Fatalf("a new ID without a reason: %d", status)
		}
		if got := b.text(".errors"); !strings.Contains(got, "edit_reason") {
			t.Errorf("errors %q", got)
		}
		b.do("give the reason", chromedp.SetValue(chromedp.ID("edit_reason"), "Gõ nhầm số CCCD"))
		if status := b.submit("#member-save"); status != 200 {
			t.Fatalf("save: %d %s", status, b.text("main"))
		}
		if got := b.text(".flash"); got != "Đã lưu thông tin đoàn viên." {
			t.Errorf("flash %q", got)
		}
		if got := b.text("h1"); got != "Trần Đã Sửa" {
			t.Errorf("h1 %q", got)
		}
		b.shot("member-edited-desktop")
		b.do("open the undo form", chromedp.Click(chromedp.ID("member-undo-link")), chromedp.WaitVisible(chromedp.ID("member-undo")))
		b.do("give the reason", chromedp.SendKeys(chromedp.ID("edit_reason"), "Kết nạp nhầm người"))
		if status := b.submit("#member-undo-submit"); status != 200 {
			t.Fatalf("undo: %d", status)
		}
		if got := b.text(".flash"); !strings.Contains(got, "Đã hủy kết nạp nhầm") {
			t.Errorf("flash %q", got)
		}
		if _, err := app.st.Member(ctx, "001090777003"); err == nil {
			t.Error("the member is still on record")
		}
	})

	t.Run("edit a unit", func(t *testing.T) {
		b := app.session(t)
		b.login("caugiay", password)
		b.viewport(phoneWidth)
		b.open("/units/" + grassroots.Code)
		b.do("open the edit form", chromedp.Click(chromedp.ID("unit-edit-link")), chromedp.WaitVisible(chromedp.ID("unit-edit")))
		b.do("set the decision", chromedp.SetValue(chromedp.ID("decision_no"), "99/QĐ-LĐLĐ"))
		if status := b.submit("#unit-save"); status != 200 {
			t.Fatalf("save: %d %s", status, b.text("main"))
		}
		if got := b.text(".flash"); got != "Đã lưu thông tin đơn vị." {
			t.Errorf("flash %q", got)
		}
		if got := b.text("main"); !strings.Contains(got, "99/QĐ-LĐLĐ") {
			t.Error("the unit page does not show the decision number")
		}
		b.shot("unit-edited-phone")
	})

	t.Run("add and edit an enterprise", func(t *testing.T) {
		b := app.session(t)
		b.login("caugiay", password)
		b.viewport(desktopWidth)
		b.open("/enterprises")
		b.do("open the form", chromedp.Click(chromedp.ID("enterprise-new")), chromedp.WaitVisible(chromedp.ID("enterprise-edit")))
		b.do("fill the tax code", chromedp.SetValue(chromedp.ID("tax_code"), "0101243150"))
		b.do("fill the name", chromedp.SetValue(chromedp.ID("name"), "Công ty Thử Nghiệm"))
		b.do("fill the ownership", chromedp.SetValue(chromedp.ID("ownership"), "private"))
		b.do("fill the workers", chromedp.SetValue(chromedp.ID("employees"), "1.234"))
		b.do("type the unit's name without accents",
			chromedp.Evaluate[chromedp.Void](`document.getElementById("unit_code").value = ""`),
			chromedp.SendKeys(chromedp.ID("unit_code"), vn.Fold(home.Name)),
			chromedp.WaitVisible(chromedp.CSS("#unit_code-listbox li[role=option]")),
		)
		b.do("pick the first", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter))
		if got := eval[string](b, `document.getElementById("unit_code").value`); got != home.Code {
			t.Fatalf("picked %q, want %s", got, home.Code)
		}
		if status := b.submit("#enterprise-save"); status != 200 {
			t.Fatalf("save: %d %s", status, b.text("main"))
		}
		if got := b.text(".flash"); got != "Đã lưu doanh nghiệp." {
			t.Errorf("flash %q", got)
		}
		b.open("/enterprises/0101243150/edit")
		b.do("change the workers", chromedp.SetValue(chromedp.ID("employees"), "1.300"))
		if status := b.submit("#enterprise-save"); status != 200 {
			t.Fatalf("edit: %d", status)
		}
		if e, err := app.st.Enterprise(ctx, "0101243150"); err != nil || e.Employees != 1300 || e.UnitCode != home.Code {
			t.Errorf("saved %+v %v", e, err)
		}
	})

	t.Run("edit, disable and reset a user", func(t *testing.T) {
		b := app.session(t)
		b.login(demo.User, demo.Password)
		b.viewport(desktopWidth)
		b.open("/users")
		b.do("open xem's form", chromedp.Click(chromedp.CSS(`a[data-edit-user="xem"]`)), chromedp.WaitVisible(chromedp.ID("user-edit")))
		b.do("make xem a manager of the union",
			chromedp.SetValue(chromedp.ID("role"), "manager"),
			chromedp.SetValue(chromedp.ID("unit_code"), typed),
		)
		if status := b.submit("#user-save"); status != 200 {
			t.Fatalf("save: %d %s", status, b.text("main"))
		}
		if x, _ := app.st.UserByName(ctx, "xem"); x.Role != "manager" || x.UnitCode != grassroots.Code {
			t.Errorf("xem: %+v", x)
		}
		if status := b.submit("#user-disable"); status != 200 {
			t.Fatalf("disable: %d", status)
		}
		if got := b.text("#user-state"); got != "Đã khóa" {
			t.Errorf("state %q", got)
		}
		other := app.session(t)
		other.open("/login")
		other.do("log in as the disabled user",
			chromedp.SendKeys(chromedp.ID("username"), "xem"),
			chromedp.SendKeys(chromedp.ID("password"), password),
		)
		other.submit(`form[action="/login"] button[type=submit]`)
		if got := eval[string](other, `location.pathname`); got != "/login" {
			t.Errorf("a disabled user logged in: %s", got)
		}
		if status := b.submit("#password-generate"); status != 200 {
			t.Fatalf("generate: %d", status)
		}
		gen := b.text("#generated-password")
		if len(gen) != 16 {
			t.Errorf("generated %q", gen)
		}
		b.shot("user-edit-desktop")
		if status := b.submit("#user-enable"); status != 200 {
			t.Fatalf("enable: %d", status)
		}
		if _, err := app.st.CheckPassword(ctx, "xem", gen); err != nil {
			t.Errorf("the generated password does not log in: %v", err)
		}
	})
}
