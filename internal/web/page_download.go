package web

import (
	"net/http"
	"slices"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/export"
	"congdoan/internal/importer"
	"congdoan/internal/store"
	"congdoan/internal/vn"
)

// Downloads: the import templates, and the lists of the pages as XLSX or
// CSV, in the import format where the list is one of an import kind, and
// always within the user's subtree (a unit outside it is refused with 403
// before anything is written).

// templateDownload answers GET /import/template/{kind}: the XLSX template
// of an import kind (`congdoan template KIND`).
func (s *Server) templateDownload(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	if !slices.Contains(importer.Kinds, kind) {
		return errText(http.StatusNotFound, "err.no_such_kind")
	}
	startDownload(w, export.ContentTypeXLSX, export.TemplateFileName(kind))
	if err := export.Template(w, kind); err != nil {
		s.Log.Error("template", "kind", kind, "err", err)
	}
	return nil
}

// listDownload answers GET /download/{list}.{xlsx|csv} with the query of
// the list's page:
//   - members?unit=&q=&status=&gender=&joined_from=&joined_to=&party=: the
//     members of the page's filters (members.csv; viewers get the national
//     IDs masked, as the page shows them);
//   - enterprises?unit=&q=&size=&union=&ownership=&area=: the registry
//     (enterprises.csv);
//   - gap?unit=&q=&size=&ownership=&area=: the enterprises with 25 or more
//     workers and no union, with the gap page's filters;
//   - units?unit=: the units of the subtree (units.csv);
//   - audit: the audit log the user may read (admins and managers).
func (s *Server) listDownload(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	ctx := r.Context()
	file := r.PathValue("file")
	list, format, _ := strings.Cut(file, ".")
	if format != export.FormatXLSX && format != export.FormatCSV {
		return errText(http.StatusNotFound, "err.no_such_format_xlsx_or_csv")
	}
	if list == "audit" {
		if !s.canWrite(u) {
			return forbidden("viewers do not read the audit log")
		}
		return s.auditDownload(w, r, u, format)
	}
	unit, err := s.scopedUnitParam(r, u)
	if err != nil {
		return err
	}
	today := domain.Today()
	name := func(what string) string { return downloadName(what, unit.Code, today, format) }
	var write func() error
	switch list {
	case "members":
		// The list's filters, as the page reads them (a filter it did not
		// understand is left out there and here alike).
		f, _, _ := memberFilter(r, unit, s.canWrite(u))
		opts := export.RecordOptions{Path: unit.Path, Members: f}
		if !s.canWrite(u) {
			opts.MaskID = maskID
		}
		startDownload(w, export.ContentType(format), name("doan-vien"))
		write = func() error { return export.WriteRecords(ctx, w, format, s.Store, "members", opts) }
	case "enterprises":
		f, _, _ := entFilter(r, unit, today, 0)
		startDownload(w, export.ContentType(format), name("doanh-nghiep"))
		write = func() error {
			return export.WriteRecords(ctx, w, format, s.Store, "enterprises", export.RecordOptions{Path: unit.Path, Enterprises: f})
		}
	case "gap":
		startDownload(w, export.ContentType(format), name("dn-chua-co-cong-doan"))
		f, _, _ := entFilter(r, unit, today, gapThreshold)
		write = func() error {
			return export.WriteEnterpriseList(ctx, w, format, "DN chưa có công đoàn", s.Store, f)
		}
	case "units":
		startDownload(w, export.ContentType(format), name("don-vi"))
		write = func() error {
			return export.WriteRecords(ctx, w, format, s.Store, "units", export.RecordOptions{Path: unit.Path})
		}
	default:
		return errText(http.StatusNotFound, "err.no_such_list")
	}
	// The headers are gone: a failure now can only cut the file short.
	if err := write(); err != nil {
		s.Log.Error("download", "list", list, "err", err)
	}
	return nil
}

// auditDownload writes the audit entries the user may read, newest first,
// headed in the page's language.
func (s *Server) auditDownload(w http.ResponseWriter, r *http.Request, u *store.User, format string) error {
	p := Page{Lang: langOf(r)}
	cols := []export.ListColumn{
		{Header: p.T("download.audit.at"), Width: 20},
		{Header: p.T("download.audit.actor"), Width: 16},
		{Header: p.T("download.audit.action"), Width: 80},
		{Header: p.T("download.audit.unit"), Type: importer.TypeCode, Width: 16},
	}
	startDownload(w, export.ContentType(format), downloadName("nhat-ky", u.UnitCode, domain.Today(), format))
	l, err := export.NewList(w, format, p.T("download.audit.sheet"), cols)
	if err != nil {
		s.Log.Error("download audit", "err", err)
		return nil
	}
	err = s.Store.ExportAuditLog(r.Context(), store.AuditFilter{UnitPath: u.UnitPath, Unscoped: isRootAdmin(u)}, func(e *store.AuditEntry) error {
		return l.Row(p.Time(e.At), e.Actor, p.AuditText(*e), e.UnitCode)
	})
	if cerr := l.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.Log.Error("download audit", "err", err)
	}
	return nil
}

// startDownload sets the headers of a file download.
func startDownload(w http.ResponseWriter, ctype, name string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
}

// downloadName is a plain ASCII file name: doan-vien_HN-CG_2022-07-08.xlsx.
func downloadName(what, unit string, day domain.Date, format string) string {
	return export.SafeName(vn.Fold(what+"_"+unit+"_"+day.String())) + "." + format
}
