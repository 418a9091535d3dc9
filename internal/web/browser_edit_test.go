package web_test

import (
	"strings"
	"testing"

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

// admitForm fills the admission form but its unit.
func (b *tab) admitForm(name, nid string) {
	b.t.Helper()
	b.setValues("fill the admission form", "full_name", name, "national_id", nid, "date_of_birth", "12/05/1990", "gender", "male")
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
		b := app.loggedInTab(t, "caugiay", password, phoneWidth)
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
		b.submitWant("#admit", 200, "admit")
		if got := b.text(".sub a"); got != strings.Join(strings.Fields(grassroots.Name), " ") {
			t.Errorf("admitted into %q, want %s", got, grassroots.Name)
		}
		memberPath = eval[string](b, `location.pathname`)
	})

	t.Run("the unit picker without JavaScript", func(t *testing.T) {
		b := app.session(t)
		b.scripts(false)
		b.login("caugiay", password)
		b.open("/members/new")
		if got := eval[string](b, `document.getElementById("unit_code").getAttribute("list")`); got != "unit_code-list" {
			t.Fatalf("the field has no datalist: %q", got)
		}
		b.do("type the unit's name without accents", chromedp.SendKeys(chromedp.ID("unit_code"), typed))
		b.admitForm("Lê Không Script", "001090777002")
		b.submitWant("#admit", 200, "admit")
		b.textIs(".flash", "Đã kết nạp đoàn viên.")
		if got := b.text(".sub a"); got != strings.Join(strings.Fields(grassroots.Name), " ") {
			t.Errorf("admitted into %q, want %s", got, grassroots.Name)
		}
	})

	t.Run("edit and undo a member", func(t *testing.T) {
		if memberPath == "" {
			t.Skip("no member admitted")
		}
		b := app.loggedInTab(t, "caugiay", password, desktopWidth)
		b.open(memberPath)
		b.do("open the edit form", chromedp.Click(chromedp.ID("member-edit-link")), chromedp.WaitVisible(chromedp.ID("member-edit")))
		b.setValues("change the name and the ID number", "full_name", "Trần Đã Sửa", "national_id", "001090777003")
		b.submitWant("#member-save", 422, "a new ID without a reason")
		b.textHas(".errors", "edit_reason")
		b.do("give the reason", chromedp.SetValue(chromedp.ID("edit_reason"), "Gõ nhầm số CCCD"))
		b.submitWant("#member-save", 200, "save")
		b.textIs(".flash", "Đã lưu thông tin đoàn viên.")
		b.textIs("h1", "Trần Đã Sửa")
		b.shot("member-edited-desktop")
		b.do("open the undo form", chromedp.Click(chromedp.ID("member-undo-link")), chromedp.WaitVisible(chromedp.ID("member-undo")))
		b.do("give the reason", chromedp.SendKeys(chromedp.ID("edit_reason"), "Kết nạp nhầm người"))
		b.submitWant("#member-undo-submit", 200, "undo")
		b.textHas(".flash", "Đã hủy kết nạp nhầm")
		if _, err := app.st.Member(ctx, "001090777003"); err == nil {
			t.Error("the member is still on record")
		}
	})

	t.Run("edit a unit", func(t *testing.T) {
		b := app.loggedInTab(t, "caugiay", password, phoneWidth)
		b.open("/units/" + grassroots.Code)
		b.do("open the edit form", chromedp.Click(chromedp.ID("unit-edit-link")), chromedp.WaitVisible(chromedp.ID("unit-edit")))
		b.do("set the decision", chromedp.SetValue(chromedp.ID("decision_no"), "99/QĐ-LĐLĐ"))
		b.submitWant("#unit-save", 200, "save")
		b.textIs(".flash", "Đã lưu thông tin đơn vị.")
		if got := b.text("main"); !strings.Contains(got, "99/QĐ-LĐLĐ") {
			t.Error("the unit page does not show the decision number")
		}
		b.shot("unit-edited-phone")
	})

	t.Run("add and edit an enterprise", func(t *testing.T) {
		b := app.loggedInTab(t, "caugiay", password, desktopWidth)
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
		b.submitWant("#enterprise-save", 200, "save")
		b.textIs(".flash", "Đã lưu doanh nghiệp.")
		b.open("/enterprises/0101243150/edit")
		b.do("change the workers", chromedp.SetValue(chromedp.ID("employees"), "1.300"))
		b.submitWant("#enterprise-save", 200, "edit")
		if e, err := app.st.Enterprise(ctx, "0101243150"); err != nil || e.Employees != 1300 || e.UnitCode != home.Code {
			t.Errorf("saved %+v %v", e, err)
		}
	})

	t.Run("edit, disable and reset a user", func(t *testing.T) {
		b := app.loggedInTab(t, demo.User, demo.Password, desktopWidth)
		b.open("/users")
		b.do("open xem's form", chromedp.Click(chromedp.CSS(`a[data-edit-user="xem"]`)), chromedp.WaitVisible(chromedp.ID("user-edit")))
		b.setValues("make xem a manager of the union", "role", "manager", "unit_code", typed)
		b.submitWant("#user-save", 200, "save")
		if x, _ := app.st.UserByName(ctx, "xem"); x.Role != "manager" || x.UnitCode != grassroots.Code {
			t.Errorf("xem: %+v", x)
		}
		b.submitWant("#user-disable", 200, "disable")
		b.textIs("#user-state", "Đã khóa")
		other := app.session(t)
		other.open("/login")
		other.typeIn("log in as the disabled user", "username", "xem", "password", password)
		other.submit(`form[action="/login"] button[type=submit]`)
		if got := eval[string](other, `location.pathname`); got != "/login" {
			t.Errorf("a disabled user logged in: %s", got)
		}
		b.submitWant("#password-generate", 200, "generate")
		gen := b.text("#generated-password")
		if len(gen) != 16 {
			t.Errorf("generated %q", gen)
		}
		b.shot("user-edit-desktop")
		b.submitWant("#user-enable", 200, "enable")
		if _, err := app.st.CheckPassword(ctx, "xem", gen); err != nil {
			t.Errorf("the generated password does not log in: %v", err)
		}
	})
}
