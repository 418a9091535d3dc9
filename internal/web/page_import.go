package web

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// importKinds are the columns of each import kind (DATA.md), for the page
// that explains them.
var importKinds = []struct {
	Kind    string
	Columns []string
}{
	{"units", unitColumns},
	{"enterprises", []string{"tax_code", "name", "ownership", "employees", "address", "area", "unit_code", "source"}},
	{"members", memberColumns},
	{"transfers", []string{"national_id", "to_unit_code", "date"}},
	{"plans", planColumns},
	{"targets", []string{"plan_code", "unit_code", "indicator", "target"}},
	{"campaigns", []string{"code", "name", "plan_code", "start", "end", "class_name"}},
}

type importData struct {
	Kinds  any
	Kind   string
	Done   *importer.Summary // the import that just landed
	Errors []domain.FieldError
	File   string
}

// importPage answers GET /import (after an import, ?saved=import&kind=&
// rows=&file= tell what landed).
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &importData{Kinds: importKinds, Kind: q.Get("kind")}
	if q.Get("saved") == "import" {
		n, _ := strconv.Atoi(q.Get("rows"))
		d.Done = &importer.Summary{Kind: q.Get("kind"), File: q.Get("file"), Rows: n}
	}
	s.render(w, r, http.StatusOK, "import", Page{Nav: "import", Data: d})
}

// maxImportErrors bounds the row errors the page lists.
const maxImportErrors = 500

// importUpload answers POST /import: the file of the multipart field
// "file", imported as kind with the rules of `congdoan import` (all or
// nothing) and the user's subtree checked on every row; the row errors
// are listed, or the page comes back with what landed.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	kind := r.FormValue("kind")
	d := &importData{Kinds: importKinds, Kind: kind}
	fail := func(status int, errs ...domain.FieldError) {
		d.Errors = errs
		if len(d.Errors) > maxImportErrors {
			d.Errors = d.Errors[:maxImportErrors]
		}
		s.render(w, r, status, "import", Page{Nav: "import", Data: d})
	}
	if !slices.Contains(importer.Kinds, kind) {
		fail(http.StatusUnprocessableEntity, domain.FieldError{Field: "kind", Message: "choose what the file holds"})
		return
	}
	path, name, cleanup, err := saveUpload(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(http.StatusRequestEntityTooLarge, domain.FieldError{Field: "file", Message: "the file is too large"})
			return
		}
		fail(http.StatusUnprocessableEntity, domain.FieldError{Field: "file", Message: err.Error()})
		return
	}
	defer cleanup()
	d.File = name
	im := &importer.Importer{Store: s.Store, Allow: s.importAllow(u), Actor: u.Name}
	sum, err := im.File(r.Context(), kind, path, name)
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve):
		fail(http.StatusUnprocessableEntity, ve.Errors...)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	v := url.Values{"saved": {"import"}, "kind": {sum.Kind}, "rows": {strconv.Itoa(sum.Rows)}, "file": {sum.File}}
	http.Redirect(w, r, "/import?"+v.Encode(), http.StatusSeeOther)
}

// saveUpload stores the uploaded "file" in a temporary folder, keeping its
// extension (the importer tells CSV from XLSX by it).
func saveUpload(r *http.Request) (path, name string, cleanup func(), err error) {
	f, fh, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", "", nil, err
		}
		return "", "", nil, errors.New("required: a .csv or .xlsx file")
	}
	defer f.Close()
	name = filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".csv" && ext != ".xlsx" {
		return "", "", nil, errors.New("the file must be .csv or .xlsx")
	}
	dir, err := os.MkdirTemp("", "congdoan-upload-")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() {
		os.RemoveAll(dir)
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	}
	path = filepath.Join(dir, "upload"+ext)
	if err := saveFile(path, f); err != nil {
		cleanup()
		return "", "", nil, err
	}
	return path, name, cleanup, nil
}

// auditData is one page of the audit log.
type auditData struct {
	Entries []store.AuditEntry
	Page    int
	Prev    string
	Next    string
}

const auditPerPage = 50

// auditPage answers GET /audit?page=: who changed what and when in the
// user's subtree, newest first (imports included).
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	page := pageNumber(r)
	entries, err := s.auditLog(r, u, auditPerPage+1, (page-1)*auditPerPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &auditData{Entries: entries, Page: page}
	if len(entries) > auditPerPage {
		d.Entries = entries[:auditPerPage]
		d.Next = "/audit?page=" + strconv.Itoa(page+1)
	}
	if page > 1 {
		d.Prev = "/audit?page=" + strconv.Itoa(page-1)
	}
	s.render(w, r, http.StatusOK, "audit", Page{Nav: "audit", Data: d})
}

// vietnam is the time zone the audit log is shown in.
var vietnam = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return loc
}()

// Time writes an instant in Vietnam's time: 08/07/2022 14:05:09.
func (p Page) Time(t time.Time) string { return t.In(vietnam).Format("02/01/2006 15:04:05") }

// Action names an audit action ("member.admit") in the page's language.
func (p Page) Action(a string) string {
	if s, ok := locales[p.lang()]["action."+a]; ok {
		return s
	}
	if kind, ok := strings.CutPrefix(a, "import."); ok {
		return p.T("action.import", p.T("kind_name."+kind))
	}
	return a
}
