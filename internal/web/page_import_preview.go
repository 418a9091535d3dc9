package web

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

// The import page checks a file before it writes it. An upload with
// preview=1 (the page's form) is kept server-side under a random token
// bound to the session, and checked by a dry run of the import (every
// rule, the database's included, in a transaction that is rolled back):
// the page shows the header row found, how each column was understood,
// the first rows as they will be saved and every error grouped by column.
// A column the importer does not know can be mapped to a known one or
// skipped; the choice is remembered per unit for the next file with the
// same headers. Only "Ghi dữ liệu" (action=commit) writes, all or nothing.
// A POST /import without preview=1 or a token imports at once (scripts).

// pendingTTL is how long an uploaded file waits for "Ghi dữ liệu".
const pendingTTL = 30 * time.Minute

// previewRows is how many rows the preview shows as they will be saved.
const previewRows = 10

// maxPendingPerSession bounds the files one session keeps waiting.
const maxPendingPerSession = 5

// pendingImport is an uploaded file waiting for "Ghi dữ liệu".
type pendingImport struct {
	token   string
	session string // the CSRF token of the session that uploaded it
	dir     string // a temporary folder holding the file
	path    string
	name    string // the file's name, for the messages
	kind    string
	unit    *domain.Unit // members imported into this unit, or nil
	mapping map[string]string
	expires time.Time
}

// pendingImports are the files waiting, by token.
var pendingImports = struct {
	sync.Mutex
	m map[string]*pendingImport
}{m: map[string]*pendingImport{}}

// keepPending stores p under a new token, dropping expired files and the
// session's oldest beyond maxPendingPerSession.
func keepPending(p *pendingImport) error {
	tok, err := randomToken()
	if err != nil {
		return err
	}
	p.token, p.expires = tok, time.Now().Add(pendingTTL)
	pendingImports.Lock()
	defer pendingImports.Unlock()
	var mine []*pendingImport
	for k, q := range pendingImports.m {
		if time.Now().After(q.expires) {
			os.RemoveAll(q.dir)
			delete(pendingImports.m, k)
		} else if q.session == p.session {
			mine = append(mine, q)
		}
	}
	sort.Slice(mine, func(i, j int) bool { return mine[i].expires.Before(mine[j].expires) })
	for len(mine) >= maxPendingPerSession {
		os.RemoveAll(mine[0].dir)
		delete(pendingImports.m, mine[0].token)
		mine = mine[1:]
	}
	pendingImports.m[tok] = p
	return nil
}

// takePending finds the session's file of a token (nil when it expired or
// belongs to another session).
func takePending(r *http.Request, token string) *pendingImport {
	pendingImports.Lock()
	defer pendingImports.Unlock()
	p := pendingImports.m[token]
	if p == nil || p.session != csrfToken(r) || p.session == "" {
		return nil
	}
	if time.Now().After(p.expires) {
		os.RemoveAll(p.dir)
		delete(pendingImports.m, token)
		return nil
	}
	p.expires = time.Now().Add(pendingTTL)
	return p
}

// dropPending forgets a file once written.
func dropPending(p *pendingImport) {
	pendingImports.Lock()
	defer pendingImports.Unlock()
	os.RemoveAll(p.dir)
	delete(pendingImports.m, p.token)
}

// previewData is the preview of an import.
type previewData struct {
	Token string
	Kind  string
	File  string
	Unit  *domain.Unit
	Sum   importer.Summary
	// Errors are every error of the dry run; Groups the same by column.
	Errors []domain.FieldError
	Groups []errorGroup
	// Shown are the columns of the preview's table; Options the columns a
	// header can be mapped to.
	Shown   []string
	Options []importer.ColumnInfo
	// Remembered: the mapping came from an earlier file with the same
	// headers.
	Remembered bool
	// Unknown: some header is not understood yet.
	Unknown bool
	Mapping map[string]string
}

// errorGroup is the errors of one column.
type errorGroup struct {
	Field  string
	Rows   []int
	Errors []domain.FieldError
}

// RowList writes the rows of a group: "3, 5, 9".
func (g errorGroup) RowList() string {
	var out []string
	for _, r := range g.Rows {
		out = append(out, strconv.Itoa(r))
	}
	return strings.Join(out, ", ")
}

// Choice is how a header is mapped ("" none, "-" skipped, or a column).
func (d *previewData) Choice(key string) string {
	c, ok := d.Mapping[key]
	switch {
	case !ok:
		return ""
	case c == "":
		return "-"
	}
	return c
}

// Mappable reports whether the user may choose what a header cell means:
// a header the importer does not know by itself.
func (d *previewData) Mappable(u importer.ColumnUse) bool {
	switch u.Use {
	case importer.UseUnknown, importer.UseMapped:
		return true
	case importer.UseSkipped:
		_, ok := d.Mapping[u.Key]
		return ok
	}
	return false
}

// groupErrors gathers errors by column, in the order columns first fail.
func groupErrors(errs []domain.FieldError) []errorGroup {
	var out []errorGroup
	at := map[string]int{}
	for _, e := range errs {
		i, ok := at[e.Field]
		if !ok {
			i = len(out)
			at[e.Field] = i
			out = append(out, errorGroup{Field: e.Field})
		}
		g := &out[i]
		if e.Row > 0 && !slices.Contains(g.Rows, e.Row) {
			g.Rows = append(g.Rows, e.Row)
		}
		g.Errors = append(g.Errors, e)
	}
	return out
}

// importPreviewRoute handles the preview's requests on POST /import: an
// upload with preview=1, and action=remap or action=commit with a token.
// It reports false for a request it leaves to importUpload.
func (s *Server) importPreviewRoute(w http.ResponseWriter, r *http.Request) (bool, error) {
	if tok := r.FormValue("token"); tok != "" {
		p := takePending(r, tok)
		if p == nil {
			return true, s.render(w, r, http.StatusGone, "import", Page{Nav: "import", Data: &importData{Kinds: importKinds, Kind: r.FormValue("kind"),
				Errors: []domain.FieldError{domain.Invalid("file", msg.New("import.expired"))}}})
		}
		if r.FormValue("action") == "commit" {
			return true, s.importCommit(w, r, p)
		}
		p.mapping = mappingFromForm(r, p.mapping)
		return true, s.importPreview(w, r, p, true)
	}
	if r.FormValue("preview") == "" {
		return false, nil
	}
	u := currentUser(r)
	kind := r.FormValue("kind")
	back := func(status int, fe domain.FieldError) error {
		return s.render(w, r, status, "import", Page{Nav: "import", Data: &importData{Kinds: importKinds, Kind: kind, Errors: []domain.FieldError{fe}}})
	}
	if !slices.Contains(importer.Kinds, kind) {
		return true, back(http.StatusUnprocessableEntity, domain.Invalid("kind", msg.New("import.choose_kind")))
	}
	p := &pendingImport{kind: kind, session: csrfToken(r)}
	if code := r.FormValue("unit"); code != "" {
		unit, err := s.scopedUnit(r, u, code)
		if err != nil {
			return true, err
		}
		if kind != "members" {
			return true, back(http.StatusUnprocessableEntity, domain.Invalid("kind", msg.New("import.unit_members_only", kind)))
		}
		p.unit = unit
	}
	path, name, cleanup, err := saveUpload(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return true, back(http.StatusRequestEntityTooLarge, domain.Invalid("file", msg.New("file.too_large")))
		}
		return true, back(http.StatusUnprocessableEntity, domain.Invalid("file", msg.Of(err)))
	}
	// The file moves out of the request's temporary folder into its own.
	dir, err := os.MkdirTemp("", "congdoan-pending-")
	if err == nil {
		p.dir, p.name = dir, name
		p.path = filepath.Join(dir, "upload"+filepath.Ext(path))
		err = os.Rename(path, p.path)
	}
	cleanup()
	if err == nil {
		err = keepPending(p)
	}
	if err != nil {
		if p.dir != "" {
			os.RemoveAll(p.dir)
		}
		return true, err
	}
	return true, s.importPreview(w, r, p, false)
}

// mappingUnit is the unit whose remembered mappings an import uses: the
// unit members are imported into, else the user's.
func mappingUnit(u *store.User, p *pendingImport) int64 {
	if p.unit != nil {
		return p.unit.ID
	}
	return u.UnitID
}

// mappingFromForm reads the choices of the preview's selects: map.KEY is
// a column, "-" to skip, "" for no choice.
func mappingFromForm(r *http.Request, old map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range old {
		out[k] = v
	}
	r.ParseForm()
	for name, vs := range r.Form {
		key, ok := strings.CutPrefix(name, "map.")
		if !ok || len(vs) == 0 {
			continue
		}
		switch v := vs[0]; v {
		case "":
			delete(out, key)
		case "-":
			out[key] = ""
		default:
			out[key] = v
		}
	}
	return out
}

// importer makes the importer of a pending file for the user.
func (s *Server) pendingImporter(u *store.User, p *pendingImport) *importer.Importer {
	im := &importer.Importer{Store: s.Store, Allow: s.importAllow(u), Actor: u.Name, Mapping: p.mapping}
	if p.unit != nil {
		im.Unit = p.unit.Code
	}
	return im
}

// importPreview checks a pending file by a dry run and shows what it
// would do. chosen: the user just chose the mapping, which is remembered;
// otherwise a remembered one is used.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request, p *pendingImport, chosen bool) error {
	u := currentUser(r)
	d := &previewData{Token: p.token, Kind: p.kind, File: p.name, Unit: p.unit, Options: importer.Columns(p.kind)}
	im := s.pendingImporter(u, p)
	header, _, herr := im.Header(p.kind, p.path, p.name)
	if herr == nil {
		sig := importer.HeaderSignature(header)
		if chosen {
			// Only the choices about this file's headers are kept.
			keep := map[string]string{}
			for _, u := range importer.HeaderUses(p.kind, header) {
				if c, ok := p.mapping[u.Key]; ok && u.Use != importer.UseKnown && u.Use != importer.UseBlank {
					keep[u.Key] = c
				}
			}
			p.mapping = keep
			if err := s.Store.SaveImportMapping(r.Context(), mappingUnit(u, p), p.kind, sig, keep, u.Name); err != nil {
				return err
			}
		} else if p.mapping == nil {
			m, err := s.Store.ImportMapping(r.Context(), mappingUnit(u, p), p.kind, sig)
			if err != nil {
				return err
			}
			p.mapping, d.Remembered = m, len(m) > 0
		}
		im.Mapping = p.mapping
	}
	d.Mapping = p.mapping
	im.DryRun, im.PreviewRows = true, previewRows
	sum, err := im.File(r.Context(), p.kind, p.path, p.name)
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve):
		d.Errors = ve.Errors
	case err != nil && msg.Typed(err):
		d.Errors = []domain.FieldError{domain.Invalid("file", msg.Of(err))}
	case err != nil:
		return err
	}
	d.Sum, d.Groups = sum, groupErrors(d.Errors)
	for _, c := range sum.Columns {
		if c.Use == importer.UseUnknown {
			d.Unknown = true
		}
	}
	// The preview's columns: the kind's, those that have a value.
	for _, c := range d.Options {
		for _, row := range sum.Preview {
			if row.Values[c.Name] != "" {
				d.Shown = append(d.Shown, c.Name)
				break
			}
		}
	}
	status := http.StatusOK
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "import_preview", Page{Nav: "import", Data: d})
}

// importCommit writes a pending file ("Ghi dữ liệu"): all or nothing.
func (s *Server) importCommit(w http.ResponseWriter, r *http.Request, p *pendingImport) error {
	u := currentUser(r)
	im := s.pendingImporter(u, p)
	sum, err := im.File(r.Context(), p.kind, p.path, p.name)
	var ve *domain.ValidationError
	switch {
	case errors.As(err, &ve), err != nil && msg.Typed(err):
		// The database changed since the preview: show it again.
		return s.importPreview(w, r, p, false)
	case err != nil:
		return err
	}
	dropPending(p)
	redirectImported(w, r, sum, p.unit)
	return nil
}

// Value writes a value of a preview row in the page's language: the word
// of a choice ("Nữ" for female), else the value.
func (p Page) Value(column, v string) string {
	prefix := map[string]string{"kind": "kind.", "ownership": "ownership.", "method": "method.", "gender": "gender.",
		"id_type": "idtype.", "joined_how": "joined."}[column]
	if prefix != "" {
		if s, ok := locales[p.lang()][prefix+v]; ok {
			return s
		}
	}
	return v
}

// SkippedList names the skipped columns: "STT, Ghi chú".
func (d *previewData) SkippedList() string { return strings.Join(d.Sum.Skipped, ", ") }

// ColName is a spreadsheet's name of the column at index i (0: A, 26: AA).
func (p Page) ColName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}
