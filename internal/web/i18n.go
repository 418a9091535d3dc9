package web

import (
	"embed"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/engine"
	"congdoan/internal/msg"
	"congdoan/internal/vn"
)

// The pages speak Vietnamese first and English second: every text of a page
// is a flat dotted key ("nav.dashboard") in i18n/vi.json and i18n/en.json.
// The language is the browser's choice, kept in a cookie.

//go:embed i18n/*.json
var i18nFS embed.FS

const (
	langVI     = "vi"
	langEN     = "en"
	langCookie = "congdoan_lang"
)

// locales maps a language to its translations: the pages' own, and the
// shared vocabulary of the msg catalogs (vocabulary).
var locales = withVocabulary(msg.LoadCatalogs(i18nFS, "i18n/*.json"))

// vocabulary are the prefixes of the names the pages share with the
// documents (XLSX, PDF) and the written summary: ownerships, unit kinds,
// how members joined, indicators. They are defined once, in the msg
// catalogs, so that a label reads the same everywhere.
var vocabulary = []string{"ownership.", "kind.", "joined.", "indicator.", "indicator_short."}

// withVocabulary adds the shared vocabulary to the pages' catalogs. A page
// catalog defining one of its keys again is a programming error (the
// labels would differ), which panics at start-up.
func withVocabulary(out map[string]map[string]string) map[string]map[string]string {
	for _, lang := range []string{langVI, langEN} {
		if out[lang] == nil {
			out[lang] = map[string]string{}
		}
		for _, k := range msg.Keys(lang) {
			for _, p := range vocabulary {
				if strings.HasPrefix(k, p) {
					if _, dup := out[lang][k]; dup {
						panic(fmt.Sprintf("i18n: %s %q belongs to the shared vocabulary (internal/msg/catalog)", lang, k))
					}
					out[lang][k], _ = msg.Lookup(lang, k)
				}
			}
		}
	}
	return out
}

// langOf is the language of a request: the cookie's, Vietnamese by default.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == langEN {
		return langEN
	}
	return langVI
}

// translate looks key up in lang, then in Vietnamese; a missing key shows
// itself, which the tests catch. With args the text is a fmt format.
func translate(lang, key string, args ...any) string {
	s, ok := locales[lang][key]
	if !ok {
		if s, ok = locales[langVI][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		out := make([]any, len(args))
		for i, a := range args {
			// A msg.Count writes itself as the page's language writes numbers.
			if v, ok := a.(interface{ In(string) string }); ok {
				a = v.In(lang)
			}
			out[i] = a
		}
		return fmt.Sprintf(s, out...)
	}
	return s
}

// setLang answers GET /lang/{lang}?next=PATH: it keeps the choice in a
// cookie for a year and goes back to the page.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := r.PathValue("lang")
	if lang != langVI && lang != langEN {
		return errText(http.StatusNotFound, "error.no_language")
	}
	c := cookie(r, langCookie, lang, 365*24*3600)
	http.SetCookie(w, c)
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
	return nil
}

// formatInt writes n the way the language does: 24.396 / 24,396.
func formatInt(lang string, n int64) string {
	s := vn.Int(n)
	if lang == langEN {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// formatDecimal writes v with up to prec decimals: 40,8 / 40.8.
func formatDecimal(lang string, v float64, prec int) string {
	s := vn.Decimal(v, prec)
	if lang == langEN {
		s = strings.NewReplacer(".", ",", ",", ".").Replace(s)
	}
	return s
}

// toInt64 takes the integers templates hand over.
func toInt64(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case *int64:
		if n != nil {
			return *n
		}
	case int32:
		return int64(n)
	case float64:
		return int64(n)
	case string:
		i, _ := strconv.ParseInt(n, 10, 64)
		return i
	}
	return 0
}

// T translates key into the page's language.
func (p Page) T(key string, args ...any) string { return translate(p.lang(), key, args...) }

func (p Page) lang() string {
	if p.Lang == "" {
		return langVI
	}
	return p.Lang
}

// N writes an integer: 24.396.
func (p Page) N(v any) string { return formatInt(p.lang(), toInt64(v)) }

// P writes a percent: 40,8 %, a no-break space before the "%" so that it
// never wraps onto a line of its own.
func (p Page) P(v any) string {
	switch f := v.(type) {
	case float64:
		return formatDecimal(p.lang(), f, 2) + vn.NBSP + "%"
	case *float64:
		if f == nil {
			return "—"
		}
		return formatDecimal(p.lang(), *f, 2) + vn.NBSP + "%"
	}
	return "—"
}

// Count writes a count computed as a fraction (what a target expects by
// today) as a whole number, rounded as vn.Count does: 24.780.
func (p Page) Count(v any) string {
	switch f := v.(type) {
	case float64:
		return formatInt(p.lang(), vn.Round(f))
	case *float64:
		if f != nil {
			return formatInt(p.lang(), vn.Round(*f))
		}
	}
	return "—"
}

// Dec writes a decimal number with up to two decimals: 392,47.
func (p Page) Dec(v any) string {
	switch f := v.(type) {
	case float64:
		return formatDecimal(p.lang(), f, 2)
	case *float64:
		if f != nil {
			return formatDecimal(p.lang(), *f, 2)
		}
	}
	return "—"
}

// D writes a date as dd/mm/yyyy (in both languages: the Vietnamese
// documents' form), "" for none.
func (p Page) D(d domain.Date) string { return d.VN() }

// Ind is an indicator's name with the plan's member threshold.
func (p Page) Ind(code string, threshold ...int64) string {
	n := int64(domain.DefaultThreshold)
	if len(threshold) > 0 && threshold[0] > 0 {
		n = threshold[0]
	}
	return p.T(engine.Label(code), engine.LabelArgs(code, n)...)
}

// CanWrite: the user may change records (admins and managers).
func (p Page) CanWrite() bool {
	return p.User != nil && (p.User.Role == roleAdmin || p.User.Role == roleManager)
}

// Other is the language the switch offers.
func (p Page) Other() string {
	if p.lang() == langEN {
		return langVI
	}
	return langEN
}

// RoleName is a role's name in the page's language.
func (p Page) RoleName(role string) string { return p.T("role." + role) }

// with pairs the page with a value, for the shared parts of templates
// ({{template "formerrors" ($.With $form)}}).
type with struct {
	P Page
	X any
}

// With pairs the page with x.
func (p Page) With(x any) with { return with{P: p, X: x} }

// Label is the name of a field (a column of an import kind) in the page's
// language: "Số CCCD".
func (p Page) Label(kind, field string) string {
	for _, key := range []string{"col." + kind + "." + field, "col." + field} {
		if s, ok := locales[p.lang()][key]; ok {
			return s
		}
	}
	return field
}

// Msg is a message for the user in the page's language: a
// domain.FieldError or a msg.Text is translated (internal/msg); a string
// is a key of this package's "msg." texts ("required"), or else shown as
// it is.
func (p Page) Msg(m any) string { return localMsg(p.lang(), m) }

// localMsg translates a message into lang (see Page.Msg).
func localMsg(lang string, m any) string {
	switch v := m.(type) {
	case domain.FieldError:
		if !v.Text.IsZero() {
			return localMsg(lang, v.Text)
		}
		return localMsg(lang, v.Message)
	case msg.Text:
		// The pages may word a message of their own ("msg.required").
		if s, ok := locales[lang]["msg."+v.Key]; ok && len(v.Args) == 0 {
			return s
		}
		return v.In(lang)
	case string:
		if s, ok := locales[lang]["msg."+v]; ok {
			return s
		}
		return v
	case error:
		return localMsg(lang, msg.Of(v))
	}
	return fmt.Sprint(m)
}

// validationIn writes every error of ve in lang, one a line: "field:
// message".
func validationIn(lang string, ve *domain.ValidationError) string {
	var b strings.Builder
	for i, e := range ve.Errors {
		if i > 0 {
			b.WriteByte('\n')
		}
		if e.File != "" {
			fmt.Fprintf(&b, "%s:%d: ", e.File, e.Row)
		}
		b.WriteString(e.Field + ": " + localMsg(lang, e))
	}
	return b.String()
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
