// Package fault is the one table that says what a typed error of the
// domain or the store means to the outside: the HTTP status the web
// answers it with (pages and API alike) and the exit code of the command.
// The web's adapter (internal/web, serveError) and the command's main both
// read it, so the same error never gets two statuses.
package fault

import (
	"errors"
	"net/http"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// Class is what an error means outside: its HTTP status, whether a client
// may retry it soon (a 503 with Retry-After), and the command's exit code.
type Class struct {
	Status int
	Retry  bool
	Exit   int
}

// exitError is the exit code of every failed command: docs/interfaces.md asks
// exit 1 for any error, bad input and unknown records alike.
const exitError = 1

// Status is an error that carries its own HTTP status (a handler's
// refusal that no domain error names: too many requests, a body too large).
type Status interface {
	error
	HTTPStatus() int
}

// rule is one row of the table: the errors is matches get class.
type rule struct {
	is    func(error) bool
	class Class
}

func sentinel(target error) func(error) bool {
	return func(err error) bool { return errors.Is(err, target) }
}

func validation(err error) bool {
	var ve *domain.ValidationError
	var fe domain.FieldError
	var fp *domain.FieldError
	return errors.As(err, &ve) || errors.As(err, &fe) || errors.As(err, &fp)
}

// table is read top down: the first row that matches wins. The errors
// about the request come first; then a full disk before "unavailable" (a
// write cannot go through until someone frees space: 507, no Retry-After
// that would only make clients hammer the server); a database that cannot
// be reached now is a 503 to retry.
var table = []rule{
	{sentinel(domain.ErrNotFound), Class{Status: http.StatusNotFound, Exit: exitError}},
	{sentinel(domain.ErrForbidden), Class{Status: http.StatusForbidden, Exit: exitError}},
	{sentinel(store.ErrBadLogin), Class{Status: http.StatusUnauthorized, Exit: exitError}},
	{validation, Class{Status: http.StatusUnprocessableEntity, Exit: exitError}},
	{sentinel(domain.ErrBelowItself), Class{Status: http.StatusUnprocessableEntity, Exit: exitError}},
	{sentinel(store.ErrBadCursor), Class{Status: http.StatusUnprocessableEntity, Exit: exitError}},
	{sentinel(store.ErrDecided), Class{Status: http.StatusConflict, Exit: exitError}},
	{sentinel(store.ErrIDTaken), Class{Status: http.StatusConflict, Exit: exitError}},
	{sentinel(store.ErrStale), Class{Status: http.StatusConflict, Exit: exitError}},
	{sentinel(store.ErrNotEmpty), Class{Status: http.StatusConflict, Exit: exitError}},
	{store.DiskFull, Class{Status: http.StatusInsufficientStorage, Exit: exitError}},
	{store.Unavailable, Class{Status: http.StatusServiceUnavailable, Retry: true, Exit: exitError}},
}

// Of is the class of err: nil is 200 and exit 0; an error that carries its
// own status keeps it; anything the table does not name is 500 (an
// internal error: logged, never shown).
func Of(err error) Class {
	if err == nil {
		return Class{Status: http.StatusOK}
	}
	var st Status
	if errors.As(err, &st) {
		return Class{Status: st.HTTPStatus(), Exit: exitError}
	}
	for _, r := range table {
		if r.is(err) {
			return r.class
		}
	}
	return Class{Status: http.StatusInternalServerError, Exit: exitError}
}

// Exit is the command's exit code for err (0 for nil).
func Exit(err error) int { return Of(err).Exit }
