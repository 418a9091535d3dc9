package web

import (
	"net/http"

	"congdoan/internal/report"
)

// apiReport answers GET /api/v1/report?plan=&unit=&as_of=&campaign=: the
// progress report of docs/interfaces.md. Without unit, report.DefaultUnit's.
func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q := r.URL.Query()
	req := report.Request{Plan: q.Get("plan"), Unit: q.Get("unit"), AsOf: q.Get("as_of"), Campaign: q.Get("campaign")}
	req = report.Resolve(r.Context(), s.Store, req, u)
	if req.Unit != "" {
		if _, err := s.scopedUnit(r, u, req.Unit); err != nil {
			// An unknown unit is left to report.Build, which names it.
			if !isNotFound(err) {
				return err
			}
		}
	}
	rep, err := report.Build(r.Context(), s.Store, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
