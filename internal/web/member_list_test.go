package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

// listMember is a member the list tests add to the fixture.
type listMember struct {
	nid, name, dob, gender, unit, joined, left, party string
}

// moreMembers adds 64 members to CG-A and CG-B (so that Cầu Giấy's list
// has 70 members: two pages of 50), with names whose order needs the
// Vietnamese collation (Đ, Ư, Ơ, tones), some left, some introduced to
// the Party, joined over 2019-2022.
func moreMembers(t *testing.T, st *store.Store) []listMember {
	t.Helper()
	family := []string{"Nguyễn", "Đặng", "Ưng", "Bùi", "Ông", "Lê", "Trần", "Đỗ"}
	middle := []string{"Văn", "Thị", "Hữu", "Thu"}
	given := []string{"An", "Ân", "Ánh", "Ơn", "Ưng", "Uyên", "Đạt", "Dũng", "Dung", "Hà", "Hạ", "Yến", "Ý", "Ốc", "Ô", "Oanh"}
	var out []listMember
	var rows [][]string
	for i := 0; i < 64; i++ {
		female := i%2 == 1
		g, cg := "male", "0"
		if female {
			g, cg = "female", "1"
		}
		year := 1970 + i%30
		m := listMember{
			nid:    fmt.Sprintf("001%s%02d%06d", cg, year%100, 500+i),
			name:   family[i%len(family)] + " " + middle[(i/16)%len(middle)] + " " + given[(i*7)%len(given)],
			dob:    fmt.Sprintf("%d-%02d-%02d", year, 1+i%12, 1+i%27),
			gender: g, unit: []string{"CG-A", "CG-B"}[i%2],
		}
		joined := domain.NewDate(2022, 3, 10).AddDays((i * 37) % 200)
		m.joined = joined.String()
		if i%5 == 4 {
			m.left = "2022-12-01"
		}
		if i%4 == 1 {
			m.party = joined.AddDays(10).String()
		}
		out = append(out, m)
		rows = append(rows, []string{m.nid, m.name, m.dob, m.gender, m.unit, m.joined, m.left, m.party})
	}
	im := &importer.Importer{Store: st, Today: domain.NewDate(2022, 12, 31)}
	if _, err := im.Rows(ctx, "members", "members.csv",
		[]string{"national_id", "full_name", "date_of_birth", "gender", "unit_code", "joined_on", "left_on", "party_introduced_on"}, rows); err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	nameCell = regexp.MustCompile(`class="member-name">([^<]+)<`)
	nextLink = regexp.MustCompile(`href="([^"]+)" rel="next"`)
	prevLink = regexp.MustCompile(`href="([^"]+)" rel="prev"`)
	dobCell  = regexp.MustCompile(`class="member-dob">([0-9/]+)<`)
)

// listPages reads a member list from path to its last page, following the
// "next" links, and returns the names of every page.
func listPages(t *testing.T, b *browser, path string) [][]string {
	t.Helper()
	var pages [][]string
	for guard := 0; path != "" && guard < 20; guard++ {
		resp, body := b.get(path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		var names []string
		for _, m := range nameCell.FindAllStringSubmatch(body, -1) {
			names = append(names, html.UnescapeString(m[1]))
		}
		pages = append(pages, names)
		path = ""
		if m := nextLink.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	return pages
}

func flat(pages [][]string) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}

// vnSorted is names in Vietnamese list order (vn.NameKey).
func vnSorted(names []string) []string {
	out := slices.Clone(names)
	slices.SortStableFunc(out, func(a, b string) int { return bytes.Compare(vn.NameKey(a), vn.NameKey(b)) })
	return out
}

func TestMemberListPages(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		added := moreMembers(t, st)
		lan := f.loggedIn("lan")
		today := domain.Today()
		// Cầu Giấy's members: the fixture's six and the 64 added.
		type rec struct {
			name, gender, joined, left, party string
		}
		all := []rec{{"Nguyễn Văn An", "male", "2022-02-01", "", ""}, {"Trần Thị Bình", "female", "2022-03-10", "", ""},
			{"Lê Văn Đức", "male", "2022-04-01", "", ""}, {"Hoàng Anh Đức", "male", "2022-05-02", "", ""},
			{"Phạm Minh Dũng", "male", "2022-05-03", "", ""}, {"Vũ Thị Dung", "female", "2022-05-04", "", ""}}
		for _, m := range added {
			all = append(all, rec{m.name, m.gender, m.joined, m.left, m.party})
		}
		pick := func(keep func(rec) bool) []string {
			var out []string
			for _, r := range all {
				if keep(r) {
					out = append(out, r.name)
				}
			}
			return vnSorted(out)
		}
		activeNow := func(r rec) bool { return r.left == "" || r.left > today.String() }

		// Every page continues the one before in Vietnamese order.
		pages := listPages(t, lan, "/members?unit=HN-CG&status=all")
		if len(pages) != 2 || len(pages[0]) != 50 || len(pages[1]) != 20 {
			t.Fatalf("pages of %v rows, want 50 and 20", lens(pages))
		}
		if want := pick(func(rec) bool { return true }); !slices.Equal(flat(pages), want) {
			t.Errorf("the list across pages:\n got %q\nwant %q", flat(pages), want)
		}
		// The previous page of page 2 is page 1 again.
		_, body := lan.get("/members?unit=HN-CG&status=all")
		next := html.UnescapeString(nextLink.FindStringSubmatch(body)[1])
		_, body = lan.get(next)
		if !strings.Contains(body, "đang xem 51–70") {
			t.Errorf("page 2 does not say its rows: %s", between(body, `id="member-count"`, "</p>"))
		}
		prev := html.UnescapeString(prevLink.FindStringSubmatch(body)[1])
		back := listPages(t, lan, prev)
		if !slices.Equal(back[0], pages[0]) {
			t.Errorf("back to page 1:\n got %q\nwant %q", back[0], pages[0])
		}

		// The default list: active members, counted exactly (the unit tree's
		// count).
		want := pick(activeNow)
		_, body = lan.get("/members?unit=HN-CG")
		if !strings.Contains(body, fmt.Sprintf(`data-total="%d" data-estimate="false"`, len(want))) {
			t.Errorf("total of the active members: %s, want %d", between(body, `id="member-count"`, "</p>"), len(want))
		}
		if got := flat(listPages(t, lan, "/members?unit=HN-CG")); !slices.Equal(got, want) {
			t.Errorf("active members:\n got %q\nwant %q", got, want)
		}

		// Filters, each with its total.
		for _, c := range []struct {
			query string
			keep  func(rec) bool
		}{
			{"status=left", func(r rec) bool { return !activeNow(r) }},
			{"status=all&gender=female", func(r rec) bool { return r.gender == "female" }},
			{"status=all&joined_from=01/05/2022&joined_to=31/07/2022", func(r rec) bool { return r.joined >= "2022-05-01" && r.joined <= "2022-07-31" }},
			{"status=all&party=yes", func(r rec) bool { return r.party != "" }},
			{"status=all&party=no&gender=male", func(r rec) bool { return r.party == "" && r.gender == "male" }},
			{"unit=CG-B&status=all", func(r rec) bool { return unitOf(r.name, added) == "CG-B" }},
			{"status=all&q=uyen", func(r rec) bool { return strings.Contains(vn.Fold(r.name), "uyen") }},
		} {
			path := "/members?" + c.query
			if !strings.Contains(c.query, "unit=") {
				path += "&unit=HN-CG"
			}
			want := pick(c.keep)
			if got := flat(listPages(t, lan, path)); !slices.Equal(got, want) {
				t.Errorf("%s:\n got %q\nwant %q", c.query, got, want)
			}
			_, body := lan.get(path)
			if !strings.Contains(body, fmt.Sprintf(`data-total="%d"`, len(want))) {
				t.Errorf("%s: total %s, want %d", c.query, between(body, `id="member-count"`, "</p>"), len(want))
			}
			// The download takes the list's filters.
			dl := regexp.MustCompile(`href="(/download/members\.csv[^"]*)"`).FindStringSubmatch(body)
			if dl == nil {
				t.Fatalf("%s: no CSV download link", c.query)
			}
			_, csvBody := lan.get(html.UnescapeString(dl[1]))
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
			if err != nil || len(recs) != len(want)+1 {
				t.Errorf("%s: the download has %d rows (%v), want %d", c.query, len(recs)-1, err, len(want))
			}
		}

		// Sorting by a column, both ways, across pages.
		byDOB := listPages(t, lan, "/members?unit=HN-CG&status=all&sort=birth&dir=desc")
		if len(byDOB) != 2 {
			t.Fatalf("by birth: %v pages", lens(byDOB))
		}
		var dobs []domain.Date
		for path := "/members?unit=HN-CG&status=all&sort=birth&dir=desc"; path != ""; {
			_, body := lan.get(path)
			for _, m := range dobCell.FindAllStringSubmatch(body, -1) {
				d, err := domain.ParseDate(m[1])
				if err != nil {
					t.Fatal(err)
				}
				dobs = append(dobs, d)
			}
			path = ""
			if m := nextLink.FindStringSubmatch(body); m != nil {
				path = html.UnescapeString(m[1])
			}
		}
		if len(dobs) != 70 {
			t.Errorf("by birth: %d dates, want 70", len(dobs))
		}
		if !slices.IsSortedFunc(dobs, func(a, b domain.Date) int { return int(b - a) }) {
			t.Errorf("by birth, descending: %v", dobs)
		}
		_, body = lan.get("/members?unit=HN-CG&sort=birth&dir=desc")
		if !strings.Contains(body, `aria-sort="descending"><a href="/members?sort=birth&amp;unit=HN-CG"`) {
			t.Errorf("the birth column is not marked descending with a link to sort ascending: %s", between(body, "<thead>", "</thead>"))
		}

		// Input the list does not understand is said, named, and left out.
		for query, said := range map[string]string{
			"joined_from=31/02/2022": "Ngày “Gia nhập từ ngày” không hợp lệ",
			"gender=x":               "Giới tính không hợp lệ",
			"status=gone":            "Tình trạng không hợp lệ",
			"sort=salary":            "Cách sắp xếp không hợp lệ",
			"after=%21%21":           "Liên kết trang không hợp lệ",
		} {
			resp, body := lan.get("/members?unit=HN-CG&" + query)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, said) {
				t.Errorf("%s: %d, want the message %q", query, resp.StatusCode, said)
			}
			if got := nameCell.FindAllStringSubmatch(body, -1); len(got) == 0 {
				t.Errorf("%s: no list shown", query)
			}
		}
	})
}

func lens(pages [][]string) []int {
	var out []int
	for _, p := range pages {
		out = append(out, len(p))
	}
	return out
}

func unitOf(name string, added []listMember) string {
	for _, m := range added {
		if m.name == name {
			return m.unit
		}
	}
	switch name {
	case "Hoàng Anh Đức", "Phạm Minh Dũng":
		return "CG-B"
	}
	return "CG-A"
}

// between is the part of s from the first from up to the next to.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, to); j >= 0 {
		return s[:j+len(to)]
	}
	return s
}
