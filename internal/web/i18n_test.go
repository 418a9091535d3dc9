package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// Both languages have every key, none empty, with the same fmt verbs; and
// every key the templates and handlers name exists.
func TestTranslations(t *testing.T) {
	t.Parallel()
	vi, en := locales[langVI], locales[langEN]
	if len(vi) == 0 || len(locales) != 2 {
		t.Fatalf("locales: %d", len(locales))
	}
	verbs := regexp.MustCompile(`%[sdv]`)
	for k, v := range vi {
		e, ok := en[k]
		switch {
		case !ok:
			t.Errorf("en.json lacks %q", k)
		case strings.TrimSpace(v) == "" || strings.TrimSpace(e) == "":
			t.Errorf("%q is empty", k)
		case !slices.Equal(verbs.FindAllString(v, -1), verbs.FindAllString(e, -1)):
			t.Errorf("%q: the verbs differ: %q / %q", k, v, e)
		}
	}
	for k := range en {
		if _, ok := vi[k]; !ok {
			t.Errorf("vi.json lacks %q", k)
		}
	}
	// Keys written out in templates and Go.
	used := map[string]bool{}
	literal := regexp.MustCompile(`\.T "([a-z_.0-9]+)"|translate\([^,]+, "([a-z_.0-9]+)"|redirectSaved\([^"]+"([a-z_]+)"\)`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	var sources []string
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		sources = append(sources, string(b))
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, f := range goFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	for _, src := range sources {
		for _, m := range literal.FindAllStringSubmatch(src, -1) {
			switch {
			case m[1] != "":
				used[m[1]] = true
			case m[2] != "":
				used[m[2]] = true
			case m[3] != "":
				used["flash."+m[3]] = true
			}
		}
	}
	// Keys built from a prefix and a value.
	for _, c := range engine.Codes {
		used["indicator."+c], used["indicator_short."+c] = true, true
	}
	for _, k := range importer.Kinds {
		used["kind_name."+k] = true
	}
	for _, r := range store.Roles {
		used["role."+r] = true
	}
	for _, k := range []string{"kind.federation", "kind.upper", "kind.grassroots", "method.standard", "method.new", "gender.male", "gender.female",
		"idtype.cccd", "idtype.cmnd", "idtype.passport", "joined.admitted", "joined.transferred", "ownership.state", "ownership.private",
		"ownership.fdi", "ownership.public", "ownership.cooperative", "ownership.informal"} {
		used[k] = true
	}
	for k := range used {
		if strings.HasSuffix(k, "_") || strings.HasSuffix(k, ".") {
			// A prefix completed at run time ("mlist.bad_"+field): some
			// key must complete it.
			found := false
			for v := range vi {
				found = found || strings.HasPrefix(v, k)
			}
			if !found {
				t.Errorf("no key completes the prefix %q", k)
			}
			continue
		}
		if _, ok := vi[k]; !ok {
			t.Errorf("key %q is used but not translated", k)
		}
	}
	if len(used) < 200 {
		t.Errorf("only %d keys found in use: the scan is broken", len(used))
	}
}

// The number and date formats of each language.
func TestFormats(t *testing.T) {
	t.Parallel()
	vi, en := Page{Lang: langVI}, Page{Lang: langEN}
	pct := 40.8
	cases := []struct{ got, want string }{
		{vi.N(24396), "24.396"}, {en.N(24396), "24,396"}, {vi.N(int64(-1234567)), "-1.234.567"},
		{vi.P(40.8), "40,8\u00a0%"}, {en.P(&pct), "40.8\u00a0%"}, {vi.P((*float64)(nil)), "—"}, {vi.Dec(1017.83), "1.017,83"}, {en.Dec(1017.83), "1,017.83"},
		{vi.D(domain.NewDate(2022, 7, 8)), "08/07/2022"}, {en.D(domain.NewDate(2022, 7, 8)), "08/07/2022"},
		{vi.Ind(domain.EnterpriseUnions25Plus, 30), "CĐCS doanh nghiệp có từ 30 đoàn viên trở lên"},
		{en.Ind(domain.UnionsFounded), "Grassroots unions founded"},
		{vi.Action("import.members"), "Nhập tệp: Đoàn viên"}, {en.Action("member.admit"), "Member admitted"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// Static files: hashed names, a year's cache, the right type; anything
// else 404, without touching the database (no Store here).
func TestStatic(t *testing.T) {
	t.Parallel()
	h := (&Server{}).Handler()
	css := staticURL("app.css")
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{10}\.css$`).MatchString(css) {
		t.Fatalf("css URL %q", css)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", css, nil))
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") || !strings.Contains(rec.Body.String(), ":root") {
		t.Errorf("css: %d %v", rec.Code, rec.Header())
	}
	for _, p := range []string{"/static/app.css", "/static/app.0000000000.css", "/static/../go.mod"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
	icon := staticURL("icon.svg")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", icon, nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/svg+xml" {
		t.Errorf("icon: %d %v", rec.Code, rec.Header())
	}
}
