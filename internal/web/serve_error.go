package web

import (
	"errors"
	"net/http"

	"congdoan/internal/domain"
	"congdoan/internal/fault"
	"congdoan/internal/msg"
)

// handler is a page or API handler: it answers, or returns the error that
// serveError answers for it. Handlers never write an error themselves, so
// that one error gets one status everywhere (internal/fault's table).
type handler func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handler to net/http.
func (s *Server) handle(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

// api adapts an API handler: a call without a valid token (or session)
// answers 401 before h runs; h finds the user with currentUser.
func (s *Server) api(h handler) http.HandlerFunc {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		if currentUser(r) == nil {
			return errUnauthorized
		}
		return h(w, r)
	})
}

// apiWrite adapts an API handler that changes records: 401 as api, and
// 403 for a role that only reads.
func (s *Server) apiWrite(h handler) http.HandlerFunc {
	return s.api(func(w http.ResponseWriter, r *http.Request) error {
		if u := currentUser(r); !s.canWrite(u) {
			return forbidden("forbidden: your role (%s) only reads", u.Role)
		}
		return h(w, r)
	})
}

// statusError is an answer no domain error names (too many requests, a
// body that is not JSON, a decision already taken): its status and its
// words, Vietnamese and English (the API says the English).
type statusError struct {
	status int
	vi, en string
	// challenge asks for a token (401 of the API: WWW-Authenticate).
	challenge bool
	// retryAfter, when set, is the Retry-After (seconds) of a refusal
	// that lifts with time (429).
	retryAfter string
}

func (e *statusError) Error() string   { return e.en }
func (e *statusError) HTTPStatus() int { return e.status }

// errText is an answer with status saying a text of the pages' catalogs
// (key, with args) in the user's language; the API answers its English.
func errText(status int, key string, args ...any) error {
	return &statusError{status: status, vi: translate(langVI, key, args...), en: translate(langEN, key, args...)}
}

// errWords is an answer with status and words of its own.
func errWords(status int, vi, en string) error {
	return &statusError{status: status, vi: vi, en: en}
}

// errAPI is an API answer with status and English words.
func errAPI(status int, en string) error { return errWords(status, en, en) }

// errUnauthorized answers an API call without a valid token.
var errUnauthorized = &statusError{status: http.StatusUnauthorized, challenge: true,
	vi: "unauthorized: a valid Authorization: Bearer token is required",
	en: "unauthorized: a valid Authorization: Bearer token is required"}

// serveError answers err with the status of fault's table: a page says
// the error in the user's language, the API its JSON error; either way the
// words are for the user, never an internal error's text (an unexpected
// error is logged and answers 500).
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	class := fault.Of(err)
	if class.Retry && r.Context().Err() != nil {
		// The request's own context ended (the client left): not the
		// database's doing, nothing to retry.
		class = fault.Class{Status: http.StatusInternalServerError}
	}
	api := isAPI(r)
	var se *statusError
	var fe *forbiddenError
	switch status := class.Status; {
	case errors.As(err, &se):
		if se.challenge {
			w.Header().Set("WWW-Authenticate", `Bearer realm="congdoan"`)
		}
		if se.retryAfter != "" {
			w.Header().Set("Retry-After", se.retryAfter)
		}
		s.errorPage(w, r, se.status, se.vi, se.en)
	case status == http.StatusNotFound:
		t := msg.Of(err)
		if api {
			writeJSON(w, status, apiError{Error: t.In(apiLang(r))})
			return
		}
		s.errorPage(w, r, status, upperFirst(t.In(msg.VI))+".", t.In(msg.EN))
	case status == http.StatusForbidden:
		switch {
		case api:
			writeJSON(w, status, apiError{Error: err.Error()})
		case errors.As(err, &fe) && fe.text.Key != "raw":
			s.errorPage(w, r, status, "Bạn không có quyền thực hiện thao tác này: "+fe.text.In(msg.VI)+".",
				"you may not do this: "+fe.text.In(msg.EN)+".")
		default:
			// A refusal in English words only says the general refusal in
			// Vietnamese.
			en := "forbidden"
			if fe != nil {
				en = fe.Error()
			}
			s.errorPage(w, r, status, "Bạn không có quyền thực hiện thao tác này.", en)
		}
	case status == http.StatusUnprocessableEntity && asValidation(err) != nil:
		ve := asValidation(err)
		if api {
			writeJSON(w, status, apiError{Error: "invalid request", Errors: apiFieldErrors(r, ve.Errors)})
			return
		}
		s.errorPage(w, r, status, "Dữ liệu chưa hợp lệ: "+validationIn(msg.VI, ve), validationIn(msg.EN, ve))
	case status == http.StatusInsufficientStorage:
		// The message is the store's own, never the database's.
		s.Log.Error("disk full", s.errAttrs(r, err)...)
		t := msg.New("store.disk_full")
		s.errorPage(w, r, status, t.In(msg.VI), t.In(msg.EN))
	case status == http.StatusServiceUnavailable:
		s.Log.Warn("database unavailable", s.errAttrs(r, err)...)
		w.Header().Set("Retry-After", retryAfter)
		s.errorPage(w, r, status,
			"Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút. Dữ liệu đã lưu không bị ảnh hưởng.",
			"temporarily unavailable: the database cannot be reached, try again in a few moments")
	case status == http.StatusConflict:
		s.Log.Warn("conflict", s.errAttrs(r, err)...)
		s.serveError(w, r, errText(status, "fault.conflict"))
	default:
		s.Log.Error("request failed", s.errAttrs(r, err)...)
		s.errorPage(w, r, http.StatusInternalServerError, "Đã có lỗi xảy ra. Vui lòng thử lại sau.", "internal error")
	}
}

// errAttrs are the log attributes of a failed request.
func (s *Server) errAttrs(r *http.Request, err error) []any {
	attrs := []any{"method", r.Method, "path", r.URL.Path, "err", err}
	if u := currentUser(r); u != nil {
		attrs = append(attrs, "user", u.Name)
	}
	return attrs
}

// asValidation is err's invalid values: a *domain.ValidationError, or a
// single domain.FieldError as one; nil for any other error.
func asValidation(err error) *domain.ValidationError {
	var ve *domain.ValidationError
	if errors.As(err, &ve) {
		return ve
	}
	var fe domain.FieldError
	if errors.As(err, &fe) {
		return &domain.ValidationError{Errors: []domain.FieldError{fe}}
	}
	var fp *domain.FieldError
	if errors.As(err, &fp) {
		return &domain.ValidationError{Errors: []domain.FieldError{*fp}}
	}
	return nil
}

// invalid is the error of the invalid values errs (422), nil when there
// are none.
func invalid(errs ...domain.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	return &domain.ValidationError{Errors: errs}
}
