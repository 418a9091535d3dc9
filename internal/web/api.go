package web

import (
	"net/http"
	"net/url"
	"strconv"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

// apiError is the body of every API error: a message, and for 422 the
// invalid fields (for an import: file, row, field, message).
type apiError struct {
	Error  string          `json:"error"`
	Errors []apiFieldError `json:"errors,omitempty"`
}

// apiFieldError is one invalid value: its message in the language of the
// request (apiLang), and for a typed message its key and arguments
// (internal/msg), which do not change with the language.
type apiFieldError struct {
	File    string `json:"file,omitempty"`
	Row     int    `json:"row,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
	Key     string `json:"key,omitempty"`
	Args    []any  `json:"args,omitempty"`
}

// apiLang is the language of the API's messages: English, or Vietnamese
// when the Accept-Language header prefers it.
func apiLang(r *http.Request) string { return msg.Lang(r.Header.Get("Accept-Language"), msg.EN) }

// apiFieldErrors translates errors for an API answer.
func apiFieldErrors(r *http.Request, errs []domain.FieldError) []apiFieldError {
	lang := apiLang(r)
	out := make([]apiFieldError, len(errs))
	for i, e := range errs {
		out[i] = apiFieldError{File: e.File, Row: e.Row, Field: e.Field, Message: localMsg(lang, e)}
		if !e.Text.IsZero() && e.Text.Key != "raw" {
			out[i].Key, out[i].Args = e.Text.Key, plainArgs(lang, e.Text.Args)
		}
	}
	return out
}

// plainArgs are a message's arguments for JSON, nested messages
// translated.
func plainArgs(lang string, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if t, ok := a.(msg.Text); ok {
			out[i] = t.In(lang)
		} else {
			out[i] = a
		}
	}
	return out
}

// maxCodeLen is the longest code of a unit (bytes).
const maxCodeLen = 64

// scopedUnit returns the unit with that code when the user may read it:
// not found or forbidden otherwise.
func (s *Server) scopedUnit(r *http.Request, u *store.User, code string) (*domain.Unit, error) {
	if len(code) > maxCodeLen {
		// No unit has such a code; the error quotes only its start.
		return nil, domain.NotFound("unit", clip(code, 32))
	}
	unit, err := s.Store.Unit(r.Context(), code)
	if err != nil {
		return nil, err
	}
	if !s.inScope(u, unit) {
		return nil, outside(u, unit)
	}
	return unit, nil
}

// apiQuery reads the query of an API list, gathering every invalid
// parameter so that one 422 names them all (Err).
type apiQuery struct {
	url.Values
	errs []domain.FieldError
}

func newAPIQuery(r *http.Request) *apiQuery { return &apiQuery{Values: r.URL.Query()} }

// Limit is the page size of ?limit=: def when absent or 0, at most max.
func (q *apiQuery) Limit(def, max int) int {
	limit := q.Int("limit", def)
	if limit == 0 {
		return def
	}
	return min(limit, max)
}

// Int reads a non-negative integer parameter: def when absent or not
// understood (an error recorded).
func (q *apiQuery) Int(name string, def int) int {
	v := q.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		q.Bad(name, strconv.Quote(clip(v, 32))+" is not a whole number >= 0")
		return def
	}
	return n
}

// Bad records an invalid parameter and what is wrong with it.
func (q *apiQuery) Bad(name, message string) {
	q.errs = append(q.errs, domain.FieldError{Field: name, Message: message})
}

// Err is the 422 of the invalid parameters, nil when all are valid.
func (q *apiQuery) Err() error { return invalid(q.errs...) }
