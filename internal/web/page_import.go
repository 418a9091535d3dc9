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
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

// importKind is an import kind with its columns (importer.Columns, the
// list the importer reads by), for the page's help and its templates.
type importKind struct {
	Kind    string
	Columns []importer.ColumnInfo
}

// importKinds are the import kinds with their columns (docs/import-formats.md).
var importKinds = func() []importKind {
	var out []importKind
	for _, k := range importer.Kinds {
		out = append(out, importKind{Kind: k, Columns: importer.Columns(k)})
	}
	return out
}()

// ColumnHelp is what a column holds, in the page's language.
func (p Page) ColumnHelp(c importer.ColumnInfo) string {
	if p.lang() == langEN && c.HelpEN != "" {
		return c.HelpEN
	}
	return c.Help
}

// ColumnType names what a column holds, in the page's language.
func (p Page) ColumnType(c importer.ColumnInfo) string {
	switch {
	case c.ID:
		return p.T("import.type.id")
	case c.Type == importer.TypeCode:
		return p.T("import.type.code")
	case c.Type == importer.TypeDate:
		return p.T("import.type.date")
	case c.Type == importer.TypeInteger:
		return p.T("import.type.integer")
	}
	return p.T("import.type.text")
}

// ColumnChoices lists the words a column takes: "Nam, Nữ".
func (p Page) ColumnChoices(c importer.ColumnInfo) string {
	words := make([]string, len(c.Choices))
	for i, ch := range c.Choices {
		words[i] = ch.Label
	}
	return strings.Join(words, ", ")
}

type importData struct {
	Kinds  any
	Kind   string
	Done   *importer.Summary // the import that just landed
	Errors []domain.FieldError
	File   string
	// Unit is the grassroots unit members are imported into (from its
	// page): rows without a unit column go to it.
	Unit *domain.Unit
}

// SkippedColumns names the columns the import that landed skipped.
func (d *importData) SkippedColumns() string {
	if d.Done == nil {
		return ""
	}
	return strings.Join(d.Done.Skipped, ", ")
}

// importPage answers GET /import (after an import, ?saved=import&kind=&
// rows=&file=&skipped=&mended= tell what landed; ?unit=CODE imports
// members into that grassroots unit).
func (s *Server) importPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := &importData{Kinds: importKinds, Kind: q.Get("kind")}
	if q.Get("saved") == "import" {
		n, _ := strconv.Atoi(q.Get("rows"))
		mended, _ := strconv.Atoi(q.Get("mended"))
		d.Done = &importer.Summary{Kind: q.Get("kind"), File: q.Get("file"), Rows: n, Skipped: q["skipped"], Mended: mended}
	}
	if code := q.Get("unit"); code != "" {
		unit, err := s.scopedUnit(r, currentUser(r), code)
		if err != nil {
			return err
		}
		d.Unit, d.Kind = unit, "members"
	}
	return s.render(w, r, http.StatusOK, "import", Page{Nav: "import", Data: d})
}

// maxImportErrors bounds the row errors the page lists.
const maxImportErrors = 500

// importUpload answers POST /import: the file of the multipart field
// "file", imported as kind with the rules of `congdoan import` (all or
// nothing) and the user's subtree checked on every row; the row errors
// are listed, or the page comes back with what landed.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	if done, err := s.importPreviewRoute(w, r); done {
		return err // the page's upload, checked before it is written
	}
	u := currentUser(r)
	kind := r.FormValue("kind")
	d := &importData{Kinds: importKinds, Kind: kind}
	fail := func(status int, errs ...domain.FieldError) error {
		d.Errors = errs
		if len(d.Errors) > maxImportErrors {
			d.Errors = d.Errors[:maxImportErrors]
		}
		return s.render(w, r, status, "import", Page{Nav: "import", Data: d})
	}
	if !slices.Contains(importer.Kinds, kind) {
		return fail(http.StatusUnprocessableEntity, domain.Invalid("kind", msg.New("import.choose_kind")))
	}
	if code := r.FormValue("unit"); code != "" {
		unit, err := s.scopedUnit(r, u, code)
		if err != nil {
			return err
		}
		d.Unit = unit
		if kind != "members" {
			return fail(http.StatusUnprocessableEntity, domain.Invalid("kind", msg.New("import.unit_members_only", kind)))
		}
	}
	path, name, cleanup, err := saveUpload(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fail(http.StatusRequestEntityTooLarge, domain.Invalid("file", msg.New("file.too_large")))
		}
		if store.DiskFull(err) { // the temporary folder's disk
			return err
		}
		return fail(http.StatusUnprocessableEntity, domain.Invalid("file", msg.Of(err)))
	}
	defer cleanup()
	d.File = name
	im := &importer.Importer{Store: s.Store, Allow: s.importAllow(u), Actor: u.Name}
	if d.Unit != nil {
		im.Unit = d.Unit.Code
	}
	sum, err := im.File(r.Context(), kind, path, name)
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve):
		return fail(http.StatusUnprocessableEntity, ve.Errors...)
	case err != nil:
		return err
	}
	redirectImported(w, r, sum, d.Unit)
	return nil
}

// redirectImported answers a written import: 303 to the import page with
// its summary (and the unit members went into, if any).
func redirectImported(w http.ResponseWriter, r *http.Request, sum importer.Summary, unit *domain.Unit) {
	v := url.Values{"saved": {"import"}, "kind": {sum.Kind}, "rows": {strconv.Itoa(sum.Rows)}, "file": {sum.File}}
	if len(sum.Skipped) > 0 {
		v["skipped"] = sum.Skipped
	}
	if sum.Mended > 0 {
		v.Set("mended", strconv.Itoa(sum.Mended))
	}
	if unit != nil {
		v.Set("unit", unit.Code)
	}
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
		return "", "", nil, msg.Errorf("file.required")
	}
	defer f.Close()
	name = filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	ext := strings.ToLower(filepath.Ext(name))
	// .xls and .ods go on to the importer, which says how to save them.
	if ext != ".csv" && ext != ".xlsx" && ext != ".xls" && ext != ".ods" {
		return "", "", nil, msg.Errorf("file.extension")
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
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	page := pageNumber(r)
	entries, err := s.auditLog(r, u, auditPerPage+1, (page-1)*auditPerPage)
	if err != nil {
		return err
	}
	d := &auditData{Entries: entries, Page: page}
	if len(entries) > auditPerPage {
		d.Entries = entries[:auditPerPage]
		d.Next = "/audit?page=" + strconv.Itoa(page+1)
	}
	if page > 1 {
		d.Prev = "/audit?page=" + strconv.Itoa(page-1)
	}
	return s.render(w, r, http.StatusOK, "audit", Page{Nav: "audit", Data: d})
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
