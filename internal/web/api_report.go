package web

import (
	"net/http"
	"strings"

	"congdoan/internal/report"
)

// apiReport answers GET /api/v1/report?plan=&unit=&as_of=&campaign=: the
// progress report of INTERFACE.md. Without unit, the plan's unit, or the
// user's own unit when the plan belongs to a level above.
func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	u, ok := s.apiUser(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	req := report.Request{Plan: q.Get("plan"), Unit: q.Get("unit"), AsOf: q.Get("as_of"), Campaign: q.Get("campaign")}
	if req.Unit == "" && req.Plan != "" {
		if p, err := s.Store.Plan(r.Context(), req.Plan); err == nil {
			req.Unit = p.UnitCode
			if root, err := s.Store.Unit(r.Context(), p.UnitCode); err == nil && !s.inScope(u, root) && strings.HasPrefix(u.UnitPath, root.Path) {
				req.Unit = u.UnitCode
			}
		}
	}
	if req.Unit != "" {
		if _, err := s.scopedUnit(r, u, req.Unit); err != nil {
			// An unknown unit is left to report.Build, which names it.
			if !isNotFound(err) {
				s.apiFail(w, r, err)
				return
			}
		}
	}
	rep, err := report.Build(r.Context(), s.Store, req)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
