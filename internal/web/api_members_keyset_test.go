package web_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"congdoan/internal/store"
)

// GET /api/v1/members pages by keyset: each page's next token asks for
// the page after it, in the same name order as the whole list; offset
// still works up to 10 000, past that (or with after) it is refused,
// naming the field and pointing to after.
func TestMembersAPIKeyset(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		type page struct {
			Total   int    `json:"total"`
			Next    string `json:"next"`
			Members []struct {
				FullName string `json:"full_name"`
			} `json:"members"`
		}
		get := func(query string, want int) (page, string) {
			t.Helper()
			status, b := f.get("/api/v1/members?"+query, "lan")
			if status != want {
				t.Fatalf("%s: %d, want %d: %s", query, status, want, b)
			}
			var p page
			if want == 200 {
				if err := json.Unmarshal(b, &p); err != nil {
					t.Fatal(err)
				}
			}
			return p, string(b)
		}
		all := []string{"Nguyễn Văn An", "Trần Thị Bình", "Vũ Thị Dung", "Phạm Minh Dũng", "Hoàng Anh Đức", "Lê Văn Đức"}
		var got []string
		query := "limit=4"
		for guard := 0; guard < 10; guard++ {
			p, _ := get(query, 200)
			if p.Total != 6 {
				t.Errorf("%s: total %d, want 6", query, p.Total)
			}
			for _, m := range p.Members {
				got = append(got, m.FullName)
			}
			if p.Next == "" {
				break
			}
			query = "limit=4&after=" + url.QueryEscape(p.Next)
		}
		if !slices.Equal(got, all) {
			t.Errorf("pages by next token: %q\nwant %q", got, all)
		}
		if p, _ := get("limit=6", 200); p.Next != "" || len(p.Members) != 6 {
			t.Errorf("a whole list in one page: next %q, %d members", p.Next, len(p.Members))
		}
		first, _ := get("limit=2", 200)
		if p, _ := get("limit=2&q=duc&after="+url.QueryEscape(first.Next), 200); len(p.Members) != 2 {
			t.Errorf("after with a filter: %d members", len(p.Members))
		}
		// offset: as before up to the cap; refused past it or with after.
		if p, _ := get("limit=2&offset=2", 200); len(p.Members) != 2 || p.Members[0].FullName != "Vũ Thị Dung" {
			t.Errorf("offset=2: %+v", p.Members)
		}
		if p, _ := get("offset=10000", 200); len(p.Members) != 0 {
			t.Errorf("offset=10000: %d members", len(p.Members))
		}
		for _, c := range []struct{ query, field, says string }{
			{"offset=10001", `"field":"offset"`, "after="},
			{"offset=2&after=" + url.QueryEscape(first.Next), `"field":"offset"`, "after"},
			{"after=%21%21", `"field":"after"`, "next token"},
		} {
			_, body := get(c.query, 422)
			if !strings.Contains(body, c.field) || !strings.Contains(body, c.says) {
				t.Errorf("%s: %s", c.query, body)
			}
		}
	})
}
