package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
	"testing"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// helpTopics are the help pages (page_help.go), each a main task.
var helpTopics = []string{"import", "found", "admit", "transfer", "report"}

// helpCatalog reads the help texts of a language, to compare the pages
// with.
func helpCatalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile("i18n/" + lang + ".help.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	tagRE = regexp.MustCompile(`(?s)<[^>]*>`)
	// A catalog key shown as itself: translate's answer for a missing key.
	untranslatedRE = regexp.MustCompile(`\b(help|a11y|indicator|indicator_short|pace|dash|nav|kind_name|member|members|unit|units|found|admit|preview|import|dissolve|form|lang|role|plans)\.[A-Za-z_0-9]+(\.[A-Za-z_0-9]+)*\b`)
	h1RE           = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`)
	leadRE         = regexp.MustCompile(`(?s)<p class="lead">(.*?)</p>`)
)

// pageText is a page's visible text, roughly: tags out, entities decoded.
func pageText(page string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(page, " "))), " ")
}

// Every help page renders in both languages, in that language, with no
// text missing; the index lists them all; an unknown topic is a 404; the
// menu has the help; a visitor is sent to log in.
func TestHelpPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.Open(t, store.SQLite))
	for _, lang := range []string{"vi", "en"} {
		cat := helpCatalog(t, lang)
		b := f.loggedIn("lan")
		b.get("/lang/" + lang + "?next=/")
		resp, index := b.get("/help")
		if resp.StatusCode != 200 {
			t.Fatalf("%s /help: %d", lang, resp.StatusCode)
		}
		if !strings.Contains(index, `<html lang="`+lang+`"`) {
			t.Errorf("%s /help is not in %s", lang, lang)
		}
		if !strings.Contains(index, `<a href="/help" aria-current="page">`+cat["help.title"]+`</a>`) {
			t.Errorf("%s: the menu has no current help link", lang)
		}
		if m := untranslatedRE.FindString(pageText(index)); m != "" {
			t.Errorf("%s /help shows the key %q", lang, m)
		}
		for _, topic := range helpTopics {
			title, summary := cat["help.topic."+topic+".title"], cat["help.topic."+topic+".summary"]
			if title == "" || summary == "" {
				t.Errorf("%s.help.json lacks the title or summary of %s", lang, topic)
			}
			if !strings.Contains(index, `<a href="/help/`+topic+`">`+html.EscapeString(title)+`</a>`) {
				t.Errorf("%s /help does not list %s", lang, topic)
			}
			path := "/help/" + topic
			resp, page := b.get(path)
			if resp.StatusCode != 200 {
				t.Errorf("%s %s: %d", lang, path, resp.StatusCode)
				continue
			}
			text := pageText(page)
			if m := untranslatedRE.FindString(text); m != "" {
				t.Errorf("%s %s shows the key %q", lang, path, m)
			}
			if h := h1RE.FindStringSubmatch(page); h == nil || html.UnescapeString(h[1]) != title {
				t.Errorf("%s %s: h1 %q, want %q", lang, path, h, title)
			}
			if l := leadRE.FindStringSubmatch(page); l == nil || html.UnescapeString(l[1]) != summary {
				t.Errorf("%s %s: lead %q, want %q", lang, path, l, summary)
			}
			if !strings.Contains(page, `<html lang="`+lang+`"`) {
				t.Errorf("%s %s: not in %s", lang, path, lang)
			}
			// The body is long text in the page's language, with headings.
			if n := strings.Count(page, "<h2"); n < 3 {
				t.Errorf("%s %s: %d headings", lang, path, n)
			}
			body := page[strings.Index(page, `<article`):strings.Index(page, `</article>`)]
			vietnamese := strings.ContainsAny(pageText(body), "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđơư")
			if lang == "vi" && !vietnamese {
				t.Errorf("%s: no Vietnamese in the Vietnamese body", path)
			}
			// The others are linked from each.
			for _, other := range helpTopics {
				if other != topic && !strings.Contains(page, `href="/help/`+other+`"`) {
					t.Errorf("%s %s: no link to %s", lang, path, other)
				}
			}
		}
		// The report's help explains the pace and every indicator with
		// the dashboard's own words.
		_, report := b.get("/help/report")
		want := map[string][]string{
			"vi": {"Chậm tiến độ", "Đúng tiến độ", "750 × 189 / 365 = 388,36", "Kết nạp mới đoàn viên", "Phát triển đoàn viên thực tăng",
				"Thành lập mới CĐCS", "CĐCS doanh nghiệp có từ 25 đoàn viên trở lên", "CĐCS doanh nghiệp ngoài khu vực Nhà nước",
				"Đoàn viên trong CĐCS ngoài khu vực Nhà nước mới thành lập", "CĐCS thành lập theo phương thức mới", "Giới thiệu đoàn viên ưu tú cho cấp ủy Đảng"},
			"en": {"Behind", "On track", "750 × 189 / 365 = 388.36", "306/750 — 40.8 %"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(pageText(report), w) {
				t.Errorf("%s /help/report lacks %q", lang, w)
			}
		}
		if lang == "en" && strings.Contains(pageText(report), "Chậm tiến độ") {
			t.Error("the English report help speaks Vietnamese")
		}
	}
	b := f.loggedIn("xem")
	if resp, page := b.get("/help/khong-co"); resp.StatusCode != 404 || !strings.Contains(page, "Không có trang hướng dẫn này.") {
		t.Errorf("/help/khong-co: %d", resp.StatusCode)
	}
	if resp, _ := b.get("/help/report"); resp.StatusCode != 200 {
		t.Errorf("a viewer's help: %d", resp.StatusCode)
	}
	if resp, _ := f.browser().get("/help"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("/help without a login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Each page of a main task links to its help page, near the title (on
// SQLite and PostgreSQL: the pages read the database).
func TestPagesLinkToHelp(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, _ *store.Store, f *fixture) {
		pagesLinkToHelp(t, f)
	})
}

func pagesLinkToHelp(t *testing.T, f *fixture) {
	m, err := f.st.Member(ctx, "001090000001")
	if err != nil {
		t.Fatal(err)
	}
	b := f.loggedIn("lan")
	for _, c := range []struct{ path, topic string }{
		{"/import", "import"},
		{"/units/HN-CG/found", "found"},
		{"/members/new?unit=CG-A", "admit"},
		{fmt.Sprintf("/members/%d", m.ID), "transfer"},
		{"/?plan=HN-2022&unit=HN-CG&as_of=08/07/2022", "report"},
		{"/plans/HN-2022?unit=HN-CG", "report"},
	} {
		resp, page := b.get(c.path)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", c.path, resp.StatusCode)
			continue
		}
		head := page[strings.Index(page, `<div class="pagehead">`):]
		head = head[:strings.Index(head, "</h1>")]
		if !strings.Contains(head, `<a class="help-link" href="/help/`+c.topic+`">`) {
			t.Errorf("%s: no link to /help/%s by its title", c.path, c.topic)
		}
		if !strings.Contains(page, `<a href="/help">`) {
			t.Errorf("%s: no help in the menu", c.path)
		}
	}
}
