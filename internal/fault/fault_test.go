package fault

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"syscall"
	"testing"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

type teapot struct{}

func (teapot) Error() string   { return "teapot" }
func (teapot) HTTPStatus() int { return http.StatusTeapot }

// TestTable: every typed error gets its status, wrapped or not, and
// every error exits 1 (INTERFACE.md), nil 0.
func TestTable(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
		retry  bool
	}{
		{"not found", domain.NotFound("unit", "HN-X"), http.StatusNotFound, false},
		{"forbidden", fmt.Errorf("save: %w", domain.ErrForbidden), http.StatusForbidden, false},
		{"validation", &domain.ValidationError{Errors: []domain.FieldError{domain.Invalid("unit", msg.New("required"))}}, http.StatusUnprocessableEntity, false},
		{"one field", domain.Invalid("plan", msg.New("required")), http.StatusUnprocessableEntity, false},
		{"below itself", &domain.BelowItself{Unit: "A", Parent: "B"}, http.StatusUnprocessableEntity, false},
		{"bad login", store.ErrBadLogin, http.StatusUnauthorized, false},
		{"decided", fmt.Errorf("approve: %w", store.ErrDecided), http.StatusConflict, false},
		{"stale", store.ErrStale, http.StatusConflict, false},
		{"disk full", &store.DiskFullError{Err: syscall.ENOSPC}, http.StatusInsufficientStorage, false},
		{"no space", fmt.Errorf("write: %w", syscall.ENOSPC), http.StatusInsufficientStorage, false},
		{"unavailable", fmt.Errorf("query: %w", syscall.ECONNREFUSED), http.StatusServiceUnavailable, true},
		{"deadline", context.DeadlineExceeded, http.StatusServiceUnavailable, true},
		{"own status", fmt.Errorf("x: %w", teapot{}), http.StatusTeapot, false},
		{"anything else", errors.New("boom"), http.StatusInternalServerError, false},
	}
	for _, c := range cases {
		got := Of(c.err)
		if got.Status != c.status || got.Retry != c.retry || got.Exit != 1 || Exit(c.err) != 1 {
			t.Errorf("%s: %+v, want status %d retry %v exit 1", c.name, got, c.status, c.retry)
		}
	}
	if c := Of(nil); c.Status != http.StatusOK || c.Exit != 0 || Exit(nil) != 0 {
		t.Errorf("nil: %+v", c)
	}
}
