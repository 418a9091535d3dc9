package web_test

import (
	"testing"

	"congdoan/internal/store"
)

// The unit filter of the member list, the enterprise registry and the gap
// list is a unit picker: a code, or words without accents that name one
// unit of the user's subtree, choose the unit; words that name several
// leave the list on the user's own unit and say so; words that name none,
// and a code outside the user's scope, are refused as before.
func TestListUnitFilterPicker(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		admin, lan := f.loggedIn("admin"), f.loggedIn("lan")
		body := admin.getWant("/members", 200)
		mustContain(t, "the member list", body, `data-picker="any"`, `id="f-unit"`, `name="unit" value="HN"`, `list="f-unit-list"`)
		mustLack(t, "the member list", body, `<select name="unit"`)

		body = admin.getWant("/members?unit=an+phat", 200)
		mustContain(t, "members of An Phát by name", body, `<p class="sub">CĐCS Công ty TNHH An Phát</p>`, `name="unit" value="CG-A"`, "Nguyễn Văn An")
		mustLack(t, "members of An Phát by name", body, `role="alert"`)

		body = admin.getWant("/members?unit=cong+ty", 200)
		mustContain(t, "an ambiguous unit filter", body, "Có 2 đơn vị khớp với “cong ty”", `<p class="sub">Liên đoàn Lao động thành phố Hà Nội</p>`,
			`<option value="CG-A">`, `<option value="CG-B">`, `name="unit" value="cong ty"`)

		// Text that names no unit is an unknown unit, as a bad link was.
		body = admin.getWant("/members?unit=khong+co+dau", 404)
		mustLack(t, "a unit filter matching nothing", body, "Nguyễn Văn An")

		// Words search the user's subtree only; a code outside it is refused.
		body = lan.getWant("/members?unit=ba+dinh", 404)
		mustLack(t, "a manager's words for a unit outside the scope", body, "BD-C", "Ba Đình")
		lan.getWant("/members?unit=BD-C", 403)
		body = lan.getWant("/members?unit=an+phat", 200)
		mustContain(t, "a manager's words for a unit of the scope", body, `<p class="sub">CĐCS Công ty TNHH An Phát</p>`)

		body = admin.getWant("/enterprises?unit=cau+giay", 200)
		mustContain(t, "the registry of Cầu Giấy by name", body, `data-picker="any"`, `name="unit" value="HN-CG"`, "Công ty Cổ phần May Cầu Giấy")
		mustLack(t, "the registry of Cầu Giấy by name", body, "Bánh kẹo Ba Đình", `<select name="unit"`)

		body = admin.getWant("/enterprises/gap?unit=quan+ba+dinh", 200)
		mustContain(t, "the gap list of Ba Đình by name", body, `<p class="sub">LĐLĐ quận Ba Đình`, `name="unit" value="HN-BD"`)
		mustLack(t, "the gap list of Ba Đình by name", body, "May Cầu Giấy", `<select name="unit"`)

		body = admin.getWant("/enterprises/gap?unit=ldld+quan", 200)
		mustContain(t, "an ambiguous filter of the gap list", body, "Có 2 đơn vị khớp")
	})
}
