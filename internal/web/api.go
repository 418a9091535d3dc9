package web

import (
	"errors"
	"net/http"
	"strconv"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// apiError is the body of every API error: a message, and for 422 the
// invalid fields (for an import: file, row, field, message).
type apiError struct {
	Error  string              `json:"error"`
	Errors []domain.FieldError `json:"errors,omitempty"`
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
		writeJSON(w, http.StatusNotFound, apiError{Error: err.Error()})
	case errors.Is(err, domain.ErrForbidden):
		writeJSON(w, http.StatusForbidden, apiError{Error: err.Error()})
	case errors.As(err, &ve):
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "invalid request", Errors: ve.Errors})
	default:
		s.fail(w, r, err)
	}
}

// scopedUnit returns the unit with that code when the user may read it:
// not found or forbidden otherwise.
func (s *Server) scopedUnit(r *http.Request, u *store.User, code string) (*domain.Unit, error) {
	unit, err := s.Store.Unit(r.Context(), code)
	if err != nil {
		return nil, err
	}
	if !s.inScope(u, unit) {
		return nil, outside(u, unit)
	}
	return unit, nil
}

// intParam reads a non-negative integer query parameter.
func intParam(r *http.Request, name string, def int, errs *[]domain.FieldError) int {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		*errs = append(*errs, domain.FieldError{Field: name, Message: strconv.Quote(v) + " is not a whole number >= 0"})
		return def
	}
	return n
}
