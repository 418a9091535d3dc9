package web_test

import (
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"congdoan/internal/store"
)

// gapEnterprise is an enterprise the gap list tests add.
type gapEnterprise struct {
	tax, name, ownership, area string
	employees                  int
}

// moreEnterprises adds 60 enterprises of 25 to 400 workers without a union
// to Cầu Giấy (with the fixture's May Cầu Giấy, 61 on its gap list).
func moreEnterprises(t *testing.T, st *store.Store) []gapEnterprise {
	t.Helper()
	var out []gapEnterprise
	var rows [][]string
	owns := []string{"private", "fdi", "state"}
	areas := []string{"Dịch Vọng", "Yên Hòa", "Nghĩa Đô"}
	for i := 0; i < 60; i++ {
		e := gapEnterprise{tax: fmt.Sprintf("0100109106-%03d", i+1), name: fmt.Sprintf("Công ty Số %02d", i+1),
			ownership: owns[i%3], area: areas[(i/3)%3], employees: 25 + (i*53)%376}
		out = append(out, e)
		rows = append(rows, []string{e.tax, e.name, e.ownership, strconv.Itoa(e.employees), e.area, "HN-CG"})
	}
	importRows(t, st, "enterprises", []string{"tax_code", "name", "ownership", "employees", "area", "unit_code"}, rows)
	return append(out, gapEnterprise{"0100100079", "Công ty Cổ phần May Cầu Giấy", "private", "Yên Hòa", 300})
}

var (
	gapName   = regexp.MustCompile(`class="gap-name">([^<]+)<`)
	gapCount  = regexp.MustCompile(`id="gap-count">([0-9.]+)<`)
	employees = regexp.MustCompile(`class="num">([0-9.]+)</td>\s*<td data-label="[^"]*">[^<]*</td>\s*<td data-label="[^"]*"><a href="/units/`)
)

func TestGapListPages(t *testing.T) {
	t.Parallel()
	eachFixture(t, pageFixture, func(t *testing.T, st *store.Store, f *fixture) {
		all := moreEnterprises(t, st)
		lan := f.loggedIn("lan")

		// Pages of 50, largest first across pages, every enterprise once.
		var names []string
		var sizes []int
		path := "/enterprises/gap?unit=HN-CG"
		var pageLens []int
		for guard := 0; path != "" && guard < 5; guard++ {
			resp, body := lan.get(path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", path, resp.StatusCode)
			}
			if m := gapCount.FindStringSubmatch(body); m == nil || m[1] != "61" {
				t.Errorf("%s: count %v, want 61", path, m)
			}
			if strings.Contains(body, "<th></th>") || strings.Contains(body, `<th scope="col"></th>`) {
				t.Errorf("%s has an empty table header", path)
			}
			got := gapName.FindAllStringSubmatch(body, -1)
			pageLens = append(pageLens, len(got))
			for _, m := range got {
				names = append(names, html.UnescapeString(m[1]))
			}
			for _, m := range employees.FindAllStringSubmatch(body, -1) {
				n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
				sizes = append(sizes, n)
			}
			path = ""
			if m := nextLink.FindStringSubmatch(body); m != nil {
				path = html.UnescapeString(m[1])
			}
		}
		if fmt.Sprint(pageLens) != "[50 11]" {
			t.Fatalf("gap pages of %v rows, want [50 11]", pageLens)
		}
		seen := map[string]bool{}
		for _, n := range names {
			if seen[n] {
				t.Errorf("%s on two pages", n)
			}
			seen[n] = true
		}
		if len(sizes) != 61 {
			t.Fatalf("%d head-counts read, want 61", len(sizes))
		}
		for i := 1; i < len(sizes); i++ {
			if sizes[i] > sizes[i-1] {
				t.Errorf("row %d has %d workers after %d: not largest first", i+1, sizes[i], sizes[i-1])
			}
		}

		// The filters, on the page and in its download.
		for _, c := range []struct {
			query string
			keep  func(gapEnterprise) bool
		}{
			{"ownership=fdi", func(e gapEnterprise) bool { return e.ownership == "fdi" }},
			{"area=Y%C3%AAn+H%C3%B2a", func(e gapEnterprise) bool { return e.area == "Yên Hòa" }},
			{"size=4", func(e gapEnterprise) bool { return e.employees >= 100 && e.employees <= 299 }},
			{"size=2&ownership=state", func(e gapEnterprise) bool { return e.employees <= 49 && e.ownership == "state" }},
			{"q=S%E1%BB%91+1", func(e gapEnterprise) bool { return strings.Contains(e.name, "Số 1") }},
			{"stage=mapped", func(gapEnterprise) bool { return true }}, // none worked yet
			{"stage=contacted", func(gapEnterprise) bool { return false }},
		} {
			want := 0
			for _, e := range all {
				if c.keep(e) {
					want++
				}
			}
			_, body := lan.get("/enterprises/gap?unit=HN-CG&" + c.query)
			if m := gapCount.FindStringSubmatch(body); m == nil || m[1] != strconv.Itoa(want) {
				t.Errorf("%s: count %v, want %d", c.query, m, want)
			}
			dl := regexp.MustCompile(`href="(/download/gap\.csv[^"]*)"`).FindStringSubmatch(body)
			if dl == nil {
				t.Fatalf("%s: no CSV download", c.query)
			}
			_, csvBody := lan.get(html.UnescapeString(dl[1]))
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff"))).ReadAll()
			if err != nil || len(recs) != want+1 {
				t.Errorf("%s: the download has %d rows (%v), want %d", c.query, len(recs)-1, err, want)
			}
		}
		// A class below the threshold is not the gap list's: said, left out.
		resp, body := lan.get("/enterprises/gap?unit=HN-CG&size=0")
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Quy mô lao động không hợp lệ") {
			t.Errorf("size=0: %d, want the message", resp.StatusCode)
		}

		// The registry: units by name, the head-count classes in words.
		_, body = lan.get("/enterprises?unit=HN-CG&ownership=private")
		if !strings.Contains(body, "từ 1.000 lao động trở lên") || strings.Contains(body, "trở lên lao động") {
			t.Errorf("the classes are not worded right: %s", between(body, `id="classes"`, "</tbody>"))
		}
		if !strings.Contains(body, ">LĐLĐ quận Cầu Giấy</a>") || !strings.Contains(body, ">CĐCS Công ty TNHH An Phát</a>") {
			t.Errorf("the registry does not name the responsible unit and the union")
		}
		if strings.Contains(body, "Công ty Số 02") { // fdi
			t.Errorf("the ownership filter let an FDI enterprise through")
		}
	})
}

func TestDashboardDefaults(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		admin := f.loggedIn("admin")
		// Plan HN-2022 is over; its data stop on 04/05/2022 (the last
		// member joined): the dashboard opens there, and says so.
		resp, body := admin.get("/")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("/: %d", resp.StatusCode)
		}
		if !strings.Contains(body, "Tính đến ngày 04/05/2022") || !strings.Contains(body, `id="as-of-note"`) {
			t.Errorf("the dashboard does not open on the last day with data: %s", between(body, `<p class="sub">`, "</p>"))
		}
		// An invalid date says what is shown instead.
		resp, body = admin.get("/?as_of=31/02/2022")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Ngày không hợp lệ, đang hiển thị ngày 04/05/2022") {
			t.Errorf("invalid date: %d %s", resp.StatusCode, between(body, `class="error"`, "</p>"))
		}
		// A date asked for is kept.
		if _, body = admin.get("/?as_of=01/04/2022"); !strings.Contains(body, "Tính đến ngày 01/04/2022") || strings.Contains(body, `id="as-of-note"`) {
			t.Errorf("the date asked for is not shown")
		}
		// A district lists its grassroots unions with their figures, ranked
		// by the chart's indicator.
		_, body = admin.get("/?unit=HN-CG&chart=members_admitted")
		gr := between(body, `id="grassroots"`, "</section>")
		if !strings.Contains(gr, "CĐCS Công ty TNHH An Phát") || !strings.Contains(gr, "CĐCS Công ty Bình Minh Việt Nam") {
			t.Fatalf("the district's grassroots unions are not listed: %.600s", gr)
		}
		if strings.Index(gr, "An Phát") > strings.Index(gr, "Bình Minh") {
			t.Errorf("An Phát (4 admitted) is not ranked before Bình Minh (2)")
		}
		if strings.Contains(body, "không có đơn vị cấp trên cơ sở trực thuộc để xếp hạng.") {
			t.Errorf("the district still says it has nothing to rank")
		}
		// The ranking follows the chart's indicator.
		_, body = admin.get("/?unit=HN&chart=members_admitted")
		rank := between(body, `id="rank-h"`, "</section>")
		if !strings.Contains(rank, "Kết nạp mới đoàn viên") || strings.Contains(rank, "Thành lập mới CĐCS") {
			t.Errorf("the ranking does not follow the chart's indicator: %.400s", rank)
		}
		// The chart can be scrolled with the keyboard.
		if !strings.Contains(body, `class="chart-wrap" tabindex="0" role="region"`) {
			t.Errorf("the chart region is not focusable")
		}
	})
}
