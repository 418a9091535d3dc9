package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// Every form that writes feeds its record to the importer as a one-row
// import of the matching kind (importer.Rows): the rules of docs/import-formats.md, the
// user's subtree (importAllow) and the audit entry all come with it, in one
// transaction. A row error comes back as a *domain.ValidationError, shown
// next to the form.

// formState is what a form shows: the values sent (or the defaults) and
// the errors by field.
type formState struct {
	Kind   string // the import kind whose columns the fields are
	Values map[string]string
	// Errors are the errors by field given as message keys or words
	// (add); typed holds those of a failed write (take), translated where
	// they show.
	Errors map[string][]string
	typed  map[string][]domain.FieldError
	// List holds every error in order, for the summary above the form.
	List []domain.FieldError
}

func newForm(kind string, values map[string]string) *formState {
	if values == nil {
		values = map[string]string{}
	}
	return &formState{Kind: kind, Values: values, Errors: map[string][]string{}}
}

// V is a field's value.
func (f *formState) V(name string) string {
	if f == nil {
		return ""
	}
	return f.Values[name]
}

// E are a field's errors, for Page.Msg: message keys or words, and typed
// errors.
func (f *formState) E(name string) []any {
	if f == nil {
		return nil
	}
	var out []any
	for _, e := range f.Errors[name] {
		out = append(out, e)
	}
	for _, e := range f.typed[name] {
		out = append(out, e)
	}
	return out
}

// Bad reports whether a field has errors ("invalid" for its CSS class).
func (f *formState) Bad(name string) string {
	if f != nil && (len(f.Errors[name]) > 0 || len(f.typed[name]) > 0) {
		return "invalid"
	}
	return ""
}

// Failed reports whether the form has errors.
func (f *formState) Failed() bool { return f != nil && len(f.List) > 0 }

// add records an error on a field.
func (f *formState) add(field, msg string) {
	f.Errors[field] = append(f.Errors[field], msg)
	f.List = append(f.List, domain.FieldError{Field: field, Message: msg})
}

// addErr records a typed error on its field.
func (f *formState) addErr(e domain.FieldError) {
	if e.Text.IsZero() {
		f.add(e.Field, e.Message)
		return
	}
	if f.typed == nil {
		f.typed = map[string][]domain.FieldError{}
	}
	f.typed[e.Field] = append(f.typed[e.Field], e)
	f.List = append(f.List, domain.FieldError{Field: e.Field, Message: e.Message, Text: e.Text})
}

// take records the invalid values of a failed write on the form (shown
// next to their fields, 422); it reports false for an error that is not
// about the input, which the handler returns for serveError to answer.
func (f *formState) take(err error) bool {
	ve := asValidation(err)
	if ve == nil {
		return false
	}
	for _, e := range ve.Errors {
		f.addErr(e)
	}
	return true
}

// fromRequest reads the named fields of a posted form, trimmed.
func fromRequest(r *http.Request, names ...string) map[string]string {
	v := map[string]string{}
	for _, n := range names {
		v[n] = strings.TrimSpace(r.PostFormValue(n))
	}
	return v
}

// importOne writes one record through the importer, as the user, with the
// audit entry's action and detail.
func (s *Server) importOne(r *http.Request, u *store.User, kind, action, detail string, row map[string]string) error {
	header, cells := rowCells(row)
	return s.importRows(r, u, kind, action, detail, header, [][]string{cells})
}

// importRows writes several records of one kind at once (all or nothing).
func (s *Server) importRows(r *http.Request, u *store.User, kind, action, detail string, header []string, rows [][]string) error {
	im := &importer.Importer{Store: s.Store, Allow: s.importAllow(u), Actor: u.Name, Action: action, Detail: detail}
	_, err := im.Rows(r.Context(), kind, "form", header, rows)
	return err
}

// redirectSaved answers a successful POST: 303 to path (which may end in
// a #fragment) with the flash message key.
func redirectSaved(w http.ResponseWriter, r *http.Request, path, flash string) {
	path, frag, _ := strings.Cut(path, "#")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	if frag != "" {
		frag = "#" + frag
	}
	http.Redirect(w, r, path+sep+"saved="+url.QueryEscape(flash)+frag, http.StatusSeeOther)
}

// vnDate writes a stored date the way the forms show it (dd/mm/yyyy).
func vnDate(d domain.Date) string { return d.VN() }

// pageNumber reads ?page= (1 and up).
func pageNumber(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// pager is the paging of a list.
type pager struct {
	Page, Pages, Total, From, To int
	prev, next                   string
}

func newPager(r *http.Request, total, perPage int) pager {
	p := pager{Page: pageNumber(r), Total: total}
	p.Pages = max(1, (total+perPage-1)/perPage)
	p.Page = min(p.Page, p.Pages)
	if total > 0 {
		p.From = (p.Page-1)*perPage + 1
		p.To = min(total, p.Page*perPage)
	}
	q := r.URL.Query()
	link := func(n int) string {
		q.Set("page", strconv.Itoa(n))
		q.Del("saved")
		return r.URL.Path + "?" + q.Encode()
	}
	if p.Page > 1 {
		p.prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.next = link(p.Page + 1)
	}
	return p
}

func (p pager) Offset(perPage int) int { return (p.Page - 1) * perPage }
func (p pager) Prev() string           { return p.prev }
func (p pager) Next() string           { return p.next }

// formField is one field of a form, for the field templates that the
// forms share (layout.html's "datefield", "textfield", "passwordfield").
type formField struct {
	Form     *formState
	Name     string
	Required bool
	Numeric  bool   // inputmode="numeric", for codes typed as digits
	Hint     string // message key of the hint after the label
	Label    string // message key of the label, where it is not the column's
}

// Field is the field name of the form, with the options the templates
// give as words: "required", "numeric", "hint=KEY" and "label=KEY". An
// unknown word fails the page's rendering, so that a typo in a template
// shows in the tests rather than as a field without its option.
func (f *formState) Field(name string, opts ...string) (formField, error) {
	ff := formField{Form: f, Name: name}
	for _, o := range opts {
		switch {
		case o == "required":
			ff.Required = true
		case o == "numeric":
			ff.Numeric = true
		case strings.HasPrefix(o, "hint="):
			ff.Hint = strings.TrimPrefix(o, "hint=")
		case strings.HasPrefix(o, "label="):
			ff.Label = strings.TrimPrefix(o, "label=")
		default:
			return ff, fieldOptionError(o)
		}
	}
	return ff, nil
}

// Confirm is the field that repeats f, as a new password is typed twice:
// its name and label key are f's with "2" after, it is required when f
// is, and it has no hint.
func (f formField) Confirm() formField {
	return formField{Form: f.Form, Name: f.Name + "2", Required: f.Required, Label: f.Label + "2"}
}

// fieldOptionError is an option of Field that no template knows.
type fieldOptionError string

func (e fieldOptionError) Error() string {
	return "web: unknown field option " + strconv.Quote(string(e))
}
