package web

import (
	"net/http"

	"congdoan/internal/msg"
	"congdoan/internal/store"
)

// apiAudit answers GET /api/v1/audit?limit=&offset=: the audit entries of
// the user's subtree, newest first; for admins and managers.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q := newAPIQuery(r)
	limit := min(q.Int("limit", 100), 1000)
	offset := q.Int("offset", 0)
	if err := q.Err(); err != nil {
		return err
	}
	entries, err := s.auditLog(r, u, limit, offset)
	if err != nil {
		return err
	}
	// Each entry keeps its action key and detail, with the sentence the
	// audit page shows, in the language the caller accepts.
	lang := msg.Lang(r.Header.Get("Accept-Language"), msg.VI)
	out := make([]apiAuditEntry, len(entries))
	for i, e := range entries {
		out[i] = apiAuditEntry{AuditEntry: e, Text: auditText(lang, e)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"limit": limit, "offset": offset, "entries": out})
	return nil
}

// apiAuditEntry is an audit entry as the API answers it.
type apiAuditEntry struct {
	store.AuditEntry
	Text string `json:"text"`
}

// auditLog lists the audit entries a user may read, newest first.
func (s *Server) auditLog(r *http.Request, u *store.User, limit, offset int) ([]store.AuditEntry, error) {
	entries, err := s.Store.AuditLog(r.Context(), store.AuditFilter{UnitPath: u.UnitPath, Unscoped: isRootAdmin(u), Limit: limit, Offset: offset})
	if entries == nil {
		entries = []store.AuditEntry{}
	}
	return entries, err
}
