package web

import (
	"bytes"
	"net/http"
	"strconv"

	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/report"
)

// reportDownload answers GET /report/xlsx and /report/pdf with the query of
// the dashboard (plan, unit, as_of, campaign): the same documents as
// `congdoan report --format xlsx|pdf`, for a unit in the user's subtree.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ext := r.PathValue("ext")
	if ext != "xlsx" && ext != "pdf" {
		s.errorPage(w, r, http.StatusNotFound, "Không có định dạng báo cáo này.", "no such report format")
		return
	}
	q := r.URL.Query()
	req := report.Request{Plan: q.Get("plan"), Unit: q.Get("unit"), AsOf: q.Get("as_of"), Campaign: q.Get("campaign")}
	if req.Plan == "" {
		s.pageFail(w, r, &domain.ValidationError{Errors: []domain.FieldError{{Field: "plan", Message: "required"}}})
		return
	}
	if req.Unit == "" {
		req.Unit = u.UnitCode
		if p, err := s.Store.Plan(r.Context(), req.Plan); err == nil {
			if pu, err := s.Store.Unit(r.Context(), p.UnitCode); err == nil && s.inScope(u, pu) {
				req.Unit = p.UnitCode
			}
		}
	}
	if _, err := s.scopedUnit(r, u, req.Unit); err != nil {
		s.pageFail(w, r, err)
		return
	}
	doc, err := report.BuildDocument(r.Context(), s.Store, req)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	var buf bytes.Buffer
	write, ctype := export.XLSX, export.ContentTypeXLSX
	if ext == "pdf" {
		write, ctype = export.PDF, export.ContentTypePDF
	}
	if err := write(&buf, doc); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+export.FileName(doc, ext)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}

// DownloadURL is the document of what the dashboard shows, as xlsx or pdf.
func (d *dashData) DownloadURL(ext string) string {
	q := d.query
	q.chart = ""
	if q.unit == "" && d.Unit != nil {
		q.unit = d.Unit.Code
	}
	return "/report/" + ext + d.query.url(func(x *dashQuery) { *x = q })[1:]
}
