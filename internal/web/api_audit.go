package web

import (
	"net/http"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// apiAudit answers GET /api/v1/audit?limit=&offset=: the audit entries of
// the user's subtree, newest first; for admins and managers.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.apiWriter(w, r)
	if !ok {
		return
	}
	var errs []domain.FieldError
	limit := min(intParam(r, "limit", 100, &errs), 1000)
	offset := intParam(r, "offset", 0, &errs)
	if len(errs) > 0 {
		s.apiFail(w, r, &domain.ValidationError{Errors: errs})
		return
	}
	entries, err := s.auditLog(r, u, limit, offset)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"limit": limit, "offset": offset, "entries": entries})
}

// auditLog lists the audit entries a user may read, newest first.
func (s *Server) auditLog(r *http.Request, u *store.User, limit, offset int) ([]store.AuditEntry, error) {
	entries, err := s.Store.AuditLog(r.Context(), store.AuditFilter{UnitPath: u.UnitPath, Unscoped: isRootAdmin(u), Limit: limit, Offset: offset})
	if entries == nil {
		entries = []store.AuditEntry{}
	}
	return entries, err
}
