package web_test

import (
	"net/http"
	"strings"
	"testing"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// The unit filter of the member list, the enterprise registry and the gap
// list is a unit picker: a code, or words without accents that name one
// unit of the user's subtree, choose the unit; words that name several
// leave the list on the user's own unit and say so; words that name none,
// and a code outside the user's scope, are refused as before.
func TestListUnitFilterPicker(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := pageFixture(t, st)
		admin, lan := f.loggedIn("admin"), f.loggedIn("lan")
		page := func(b interface {
			get(string) (*http.Response, string)
		}, path string, want int) string {
			t.Helper()
			resp, body := b.get(path)
			if resp.StatusCode != want {
				t.Fatalf("GET %s: %d, want %d: %.600s", path, resp.StatusCode, want, body)
			}
			return body
		}
		has := func(where, body string, want ...string) {
			t.Helper()
			for _, s := range want {
				if !strings.Contains(body, s) {
					t.Errorf("%s lacks %q", where, s)
				}
			}
		}
		lacks := func(where, body string, bad ...string) {
			t.Helper()
			for _, s := range bad {
				if strings.Contains(body, s) {
					t.Errorf("%s has %q", where, s)
				}
			}
		}
		body := page(admin, "/members", 200)
		has("the member list", body, `data-picker="any"`, `id="f-unit"`, `name="unit" value="HN"`, `list="f-unit-list"`)
		lacks("the member list", body, `<select name="unit"`)

		body = page(admin, "/members?unit=an+phat", 200)
		has("members of An Phát by name", body, `<p class="sub">CĐCS Công ty TNHH An Phát</p>`, `name="unit" value="CG-A"`, "Nguyễn Văn An")
		lacks("members of An Phát by name", body, `role="alert"`)

		body = page(admin, "/members?unit=cong+ty", 200)
		has("an ambiguous unit filter", body, "Có 2 đơn vị khớp với “cong ty”", `<p class="sub">Liên đoàn Lao động thành phố Hà Nội</p>`,
			`<option value="CG-A">`, `<option value="CG-B">`, `name="unit" value="cong ty"`)

		// Text that names no unit is an unknown unit, as a bad link was.
		body = page(admin, "/members?unit=khong+co+dau", 404)
		lacks("a unit filter matching nothing", body, "Nguyễn Văn An")

		// Words search the user's subtree only; a code outside it is refused.
		body = page(lan, "/members?unit=ba+dinh", 404)
		lacks("a manager's words for a unit outside the scope", body, "BD-C", "Ba Đình")
		page(lan, "/members?unit=BD-C", 403)
		body = page(lan, "/members?unit=an+phat", 200)
		has("a manager's words for a unit of the scope", body, `<p class="sub">CĐCS Công ty TNHH An Phát</p>`)

		body = page(admin, "/enterprises?unit=cau+giay", 200)
		has("the registry of Cầu Giấy by name", body, `data-picker="any"`, `name="unit" value="HN-CG"`, "Công ty Cổ phần May Cầu Giấy")
		lacks("the registry of Cầu Giấy by name", body, "Bánh kẹo Ba Đình", `<select name="unit"`)

		body = page(admin, "/enterprises/gap?unit=quan+ba+dinh", 200)
		has("the gap list of Ba Đình by name", body, `<p class="sub">LĐLĐ quận Ba Đình`, `name="unit" value="HN-BD"`)
		lacks("the gap list of Ba Đình by name", body, "May Cầu Giấy", `<select name="unit"`)

		body = page(admin, "/enterprises/gap?unit=ldld+quan", 200)
		has("an ambiguous filter of the gap list", body, "Có 2 đơn vị khớp")
	})
}
