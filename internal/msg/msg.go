// Package msg holds the messages users read as typed values: a key and its
// arguments, translated in one place into Vietnamese (the default) or
// English from the catalogs vi.json and en.json. The layers below the user
// interface (domain rules, the importer) build Texts; the command line
// prints them in Vietnamese, the web application and the API in the
// user's language.
package msg

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Languages.
const (
	VI = "vi"
	EN = "en"
)

// Text is a message: a catalog key and the arguments of its format.
// Arguments that are Texts themselves (a gender, a record's name) are
// translated with it.
type Text struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// New builds a Text.
func New(key string, args ...any) Text { return Text{Key: key, Args: args} }

// Raw is a Text for a message that has no translation (an error from
// below that names no key): it shows as it is in every language.
func Raw(s string) Text { return Text{Key: "raw", Args: []any{s}} }

// IsZero reports whether t is no message.
func (t Text) IsZero() bool { return t.Key == "" }

// String is t in Vietnamese.
func (t Text) String() string { return t.In(VI) }

// In is t in lang (Vietnamese for a language without a catalog). A key
// missing from the catalogs shows itself with its arguments, which the
// tests catch.
func (t Text) In(lang string) string {
	if t.Key == "" {
		return ""
	}
	f, ok := Lookup(lang, t.Key)
	if !ok {
		if len(t.Args) == 0 {
			return t.Key
		}
		return t.Key + fmt.Sprint(t.args(lang)...)
	}
	if len(t.Args) == 0 {
		return f
	}
	return fmt.Sprintf(f, t.args(lang)...)
}

func (t Text) args(lang string) []any {
	out := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch v := a.(type) {
		case Text:
			out[i] = v.In(lang)
		case interface{ In(string) string }:
			out[i] = v.In(lang)
		default:
			out[i] = a
		}
	}
	return out
}

// Lookup gives the format of key in lang, falling back to Vietnamese.
func Lookup(lang, key string) (string, bool) {
	if s, ok := catalogs[lang][key]; ok {
		return s, true
	}
	s, ok := catalogs[VI][key]
	return s, ok
}

// Has reports whether the catalogs know key.
func Has(key string) bool { _, ok := catalogs[VI][key]; return ok }

// Keys are the keys of a language's catalog (for the tests).
func Keys(lang string) []string {
	var out []string
	for k := range catalogs[lang] {
		out = append(out, k)
	}
	return out
}

// Error is an error that is a Text: its Error() is the Vietnamese text.
type Error struct{ Text Text }

func (e *Error) Error() string { return e.Text.String() }

// Errorf returns an error holding New(key, args...).
func Errorf(key string, args ...any) error { return &Error{Text: New(key, args...)} }

// Of gives the Text of an error: the Text of an *Error (or of any error
// with a Text() method) in its chain, else the error's own words.
func Of(err error) Text {
	if err == nil {
		return Text{}
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Text
	}
	var t interface{ Text() Text }
	if errors.As(err, &t) {
		return t.Text()
	}
	return Raw(err.Error())
}

// Typed reports whether err carries a Text (rather than bare words).
func Typed(err error) bool {
	var e *Error
	var t interface{ Text() Text }
	return errors.As(err, &e) || errors.As(err, &t)
}

// Lang picks the language of an Accept-Language header: the first of
// Vietnamese and English it names with a non-zero weight; def when it
// names neither.
func Lang(acceptLanguage, def string) string {
	best, bestQ := def, -1.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		base, _, _ := strings.Cut(tag, "-")
		if base != VI && base != EN {
			continue
		}
		q := 1.0
		if p, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if _, err := fmt.Sscanf(p, "%g", &q); err != nil {
				q = 0
			}
		}
		if q > bestQ && q > 0 {
			best, bestQ = base, q
		}
	}
	return best
}

//go:embed catalog/*.json
var catalogFS embed.FS

var catalogs = LoadCatalogs(catalogFS, "catalog/*.json")

// LoadCatalogs reads the flat JSON files (key -> text) matching pattern in
// fsys, keyed by language: the name up to its first dot, so "vi.json" and
// "vi.help.json" both fill Vietnamese and a feature can keep its texts in a
// file of its own. They are embedded: a bad file, or a key defined twice,
// is a programming error and panics at start-up.
func LoadCatalogs(fsys fs.FS, pattern string) map[string]map[string]string {
	out := map[string]map[string]string{}
	files, err := fs.Glob(fsys, pattern)
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("%s: %v", f, err))
		}
		lang, _, _ := strings.Cut(path.Base(f), ".")
		if out[lang] == nil {
			out[lang] = map[string]string{}
		}
		for k, v := range m {
			if _, dup := out[lang][k]; dup {
				panic(fmt.Sprintf("%s: key %q is defined twice", f, k))
			}
			out[lang][k] = v
		}
	}
	return out
}
