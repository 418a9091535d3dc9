package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"congdoan/internal/store"
)

// The new parent of both move forms is a unit picker: without JavaScript
// the server resolves words typed without accents into the one unit they
// name, several matches are an error on the field with nothing written,
// and neither the suggestions nor the resolution ever offer a unit of the
// moved unit's own subtree.
func TestMoveFormPicker(t *testing.T) {
	t.Parallel()
	eachFixture(t, moveFixture, func(t *testing.T, st *store.Store, f *fixture) {
		admin := f.loggedIn("admin")
		pick := func(query string) []string {
			t.Helper()
			resp, body := admin.get("/units/pick?" + query)
			see(t, resp, body, 200, "GET /units/pick?"+query)
			var got []struct {
				Code string `json:"code"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("GET /units/pick?%s: %v: %s", query, err, body)
			}
			var codes []string
			for _, u := range got {
				codes = append(codes, u.Code)
			}
			return codes
		}
		// The clusters of Cầu Giấy are offered, but not as Cầu Giấy's own
		// new parent.
		if got := strings.Join(pick("for=upper&q=cong+doan+cum"), " "); got != "CG-W CG-X" && got != "CG-X CG-W" {
			t.Errorf("the clusters: %q", got)
		}
		if got := pick("for=upper&q=cong+doan+cum&not=HN-CG"); len(got) != 0 {
			t.Errorf("HN-CG is offered units of its own subtree: %v", got)
		}
		if got := strings.Join(pick("for=upper&q=ba+dinh&not=HN-CG"), " "); !strings.Contains(got, "HN-BD") {
			t.Errorf("Ba Đình is not offered to HN-CG: %q", got)
		}
		// The form is a picker, with the server's suggestions.
		resp, body := admin.get("/units/HN-CG")
		see(t, resp, body, 200, "unit page")
		for _, s := range []string{`data-picker="upper"`, `data-not="HN-CG"`, `id="new_parent_code"`, `list="new_parent_code-list"`} {
			if !strings.Contains(body, s) {
				t.Errorf("the move form lacks %q", s)
			}
		}
		// Words that name units of its own subtree only name no unit.
		resp, body = admin.post("/units/HN-CG/move", url.Values{"new_parent_code": {"cum dich vong"}, "moved_on": {"01/07/2025"}})
		see(t, resp, body, 422, "a move under its own cluster by name")
		if !strings.Contains(body, "<code>new_parent_code</code>") || len(f.moves("HN-CG")) != 0 {
			t.Errorf("a move under its own cluster by name: moves %v", f.moves("HN-CG"))
		}
		// Words that several units match: the field says so, nothing moves.
		resp, body = admin.post("/units/CG-A/move", url.Values{"new_parent_code": {"cong doan cum"}, "moved_on": {"01/07/2025"}})
		see(t, resp, body, 422, "an ambiguous new parent")
		if !strings.Contains(body, "Có 2 đơn vị khớp") || len(f.moves("CG-A")) != 0 {
			t.Errorf("an ambiguous new parent: moves %v: %.2000s", f.moves("CG-A"), body)
		}
		// Words without accents that name one unit move the unit there.
		resp, body = admin.post("/units/CG-A/move", url.Values{"new_parent_code": {"phuong nghia do"}, "moved_on": {"01/07/2025"}})
		see(t, resp, body, 303, "a move by the new parent's name")
		if got := strings.Join(f.moves("CG-A"), " "); got != "CG-A>HN-P1@2025-07-01#" {
			t.Errorf("moves of CG-A: %s", got)
		}
		// The bulk move takes words too, and offers no move to the parent
		// the unions leave.
		resp, body = admin.get("/units/HN-CG/move-children")
		see(t, resp, body, 200, "bulk move page")
		if !strings.Contains(body, `data-picker="upper"`) || strings.Contains(body, `<option value="HN-CG"`) {
			t.Error("the bulk move's new parent is not a picker, or offers the parent itself")
		}
		resp, body = admin.post("/units/HN-CG/move-children", url.Values{"code": {"CG-B"}, "new_parent_code": {"cong doan cum"}, "moved_on": {"01/07/2025"}})
		see(t, resp, body, 422, "an ambiguous bulk move")
		if !strings.Contains(body, "Có 2 đơn vị khớp") || len(f.moves("CG-B")) != 0 {
			t.Errorf("an ambiguous bulk move: moves %v", f.moves("CG-B"))
		}
		resp, body = admin.post("/units/HN-CG/move-children", url.Values{"code": {"CG-B"}, "new_parent_code": {"nghia do"}, "moved_on": {"01/07/2025"}})
		see(t, resp, body, 303, "a bulk move by the new parent's name")
		if got := strings.Join(f.moves("CG-B"), " "); got != "CG-B>HN-P1@2025-07-01#" {
			t.Errorf("moves of CG-B: %s", got)
		}
	})
}
