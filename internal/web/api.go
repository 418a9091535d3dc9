package web

import (
	"errors"
	"net/http"
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

// apiUser returns the user of an API call, or answers 401.
func (s *Server) apiUser(w http.ResponseWriter, r *http.Request) (*store.User, bool) {
	u := currentUser(r)
	if u == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="congdoan"`)
		writeJSON(w, http.StatusUnauthorized, apiError{Error: "unauthorized: a valid Authorization: Bearer token is required"})
		return nil, false
	}
	return u, true
}

// apiWriter returns the user of an API call that changes records, or
// answers 401 or 403 (viewers).
func (s *Server) apiWriter(w http.ResponseWriter, r *http.Request) (*store.User, bool) {
	u, ok := s.apiUser(w, r)
	if !ok {
		return nil, false
	}
	if !s.canWrite(u) {
		writeJSON(w, http.StatusForbidden, apiError{Error: "forbidden: your role (" + u.Role + ") only reads"})
		return nil, false
	}
	return u, true
}

// apiFail answers an error the way the API maps them: not found 404,
// forbidden 403, invalid 422, anything else 500 (logged, not shown).
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	var ve *domain.ValidationError
	switch {
	case errors.Is(err, domain.ErrNotFound):
		writeJSON(w, http.StatusNotFound, apiError{Error: msg.Of(err).In(apiLang(r))})
	case errors.Is(err, domain.ErrForbidden):
		writeJSON(w, http.StatusForbidden, apiError{Error: err.Error()})
	case errors.As(err, &ve):
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "invalid request", Errors: apiFieldErrors(r, ve.Errors)})
	default:
		s.fail(w, r, err)
	}
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

// limitParam is the page size of ?limit=: defaultLimit when absent, 0 or
// not understood (an error added to errs), at most maxLimit.
func limitParam(r *http.Request, errs *[]domain.FieldError) int {
	limit := intParam(r, "limit", defaultLimit, errs)
	if limit == 0 {
		return defaultLimit
	}
	return min(limit, maxLimit)
}

// intParam reads a non-negative integer query parameter.
func intParam(r *http.Request, name string, def int, errs *[]domain.FieldError) int {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		*errs = append(*errs, domain.FieldError{Field: name, Message: strconv.Quote(clip(v, 32)) + " is not a whole number >= 0"})
		return def
	}
	return n
}
