package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

// Reorganisations (docs/import-formats.md moves.csv): a unit, or many grassroots unions of
// one parent at once, move under a new parent from a date on. Both forms
// write through the importer (kind "moves"), which checks every rule (the
// new parent is a federation or an upper union open on the date, the unit
// is open then, no cycle on any day) and asks importAllow about the moved
// unit and the new parent; reports of earlier days stay as they were.

var moveColumns = []string{"code", "new_parent_code", "moved_on", "decision_no"}

// maxBulkMove bounds the units one bulk move takes.
const maxBulkMove = 5000

// movePicker is the picker of a move form's new parent: federations and
// upper unions of the user's subtree (dissolved ones too, for a move dated
// before their dissolution; the importer judges the date), none in the
// subtree of unit (when set) since a unit cannot go under its own.
func (s *Server) movePicker(r *http.Request, u *store.User, f *formState, unit *domain.Unit) *unitPicker {
	return s.pickerOutside(r, u, "new_parent_code", "new_parent_code", "upper", f.V("new_parent_code"), unit)
}

// moveSave answers POST /units/{code}/move: the unit goes under
// new_parent_code from moved_on on (a one-row import of kind moves). On
// invalid input the unit's page comes back with the form's errors (422).
func (s *Server) moveSave(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	unit, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		return err
	}
	v := fromRequest(r, "new_parent_code", "moved_on", "decision_no")
	f := newForm("moves", v)
	// Words typed in the picker without JavaScript name the new parent.
	if _, err := s.resolvePickedOutside(r, u, f, "new_parent_code", "upper", unit); err != nil {
		return err
	}
	if !f.Failed() {
		row := map[string]string{"code": unit.Code}
		for k, x := range v {
			row[k] = x
		}
		detail := fmt.Sprintf("%s %s → %s: %s", unit.Code, unit.Name, v["new_parent_code"], v["moved_on"])
		if v["decision_no"] != "" {
			detail += " (" + v["decision_no"] + ")"
		}
		err = s.importOne(r, u, "moves", "unit.move", detail, row)
	}
	if err == nil && !f.Failed() {
		// The page opens on the history of parents, with the new line.
		redirectSaved(w, r, "/units/"+unit.Code+"#parents", "unit_moved")
		return nil
	}
	if err != nil && !f.take(err) {
		return err
	}
	d, err := s.unitView(r, u, unit)
	if err != nil {
		return err
	}
	d.Move = f
	d.MovePicker = s.movePicker(r, u, f, unit)
	return s.render(w, r, http.StatusUnprocessableEntity, "unit", Page{Nav: "units", Title: unit.Name, Data: d})
}

// bulkData is the page that moves many grassroots unions of one parent.
type bulkData struct {
	Parent *domain.Unit
	Units  []*domain.Unit // the parent's grassroots unions today
	Picker *unitPicker    // where they may go
	Form   *formState
	// Chosen are the codes ticked (kept when the form comes back).
	Chosen map[string]bool
	// RowErrors are the importer's errors of the rows, with the unit each
	// row moved.
	RowErrors []bulkError
	Today     domain.Date
}

// moveFields are what the new-parent, date and decision fields of a move
// form show: the form's values and errors, and the picker of the unit to
// move under.
type moveFields struct {
	Form   *formState
	Picker *unitPicker
}

// MoveFields feeds the "movefields" template of the unit page.
func (d *unitData) MoveFields() moveFields { return moveFields{d.Move, d.MovePicker} }

// MoveFields feeds the "movefields" template of the bulk move.
func (d *bulkData) MoveFields() moveFields { return moveFields{d.Form, d.Picker} }

// bulkError is one invalid row of a bulk move.
type bulkError struct {
	Unit string
	domain.FieldError
}

// Open counts the units open today (the ones "select all" ticks).
func (d *bulkData) Open() int {
	n := 0
	for _, x := range d.Units {
		if x.OpenOn(d.Today) {
			n++
		}
	}
	return n
}

func (s *Server) bulkSetup(r *http.Request) (*bulkData, error) {
	u := currentUser(r)
	ctx := r.Context()
	parent, err := s.scopedUnit(r, u, r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	if parent.Kind == domain.KindGrassroots {
		return nil, errText(http.StatusNotFound, "err.a_grassroots_unit_has_no_units_below_it")
	}
	today := domain.Today()
	d := &bulkData{Parent: parent, Form: newForm("moves", nil), Chosen: map[string]bool{}, Today: today}
	children, err := s.Store.ChildrenOn(ctx, parent.ID, today)
	if err != nil {
		return nil, err
	}
	for _, c := range children {
		if c.Kind == domain.KindGrassroots {
			d.Units = append(d.Units, c)
		}
	}
	return d, nil
}

// bulkPicker is the picker of the bulk move's new parent: any federation
// or upper union of the user's subtree but the parent the unions leave
// (a cluster below it may take them).
func (s *Server) bulkPicker(r *http.Request, u *store.User, d *bulkData, value string) *unitPicker {
	p := s.picker(r, u, "new_parent_code", "new_parent_code", "upper", value)
	p.Options = slices.DeleteFunc(p.Options, func(x *domain.Unit) bool { return x.ID == d.Parent.ID })
	return p
}

// bulkForm answers GET /units/{code}/move-children.
func (s *Server) bulkForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.bulkSetup(r)
	if err != nil {
		return err
	}
	d.Form.Values["moved_on"] = vnDate(d.Today)
	d.Picker = s.bulkPicker(r, currentUser(r), d, "")
	return s.render(w, r, http.StatusOK, "units_move", Page{Nav: "units", Data: d})
}

// bulkSave answers POST /units/{code}/move-children: every ticked union
// (field code, repeated) goes under new_parent_code from moved_on on, in
// one import of kind moves: all of them, or none.
func (s *Server) bulkSave(w http.ResponseWriter, r *http.Request) error {
	d, err := s.bulkSetup(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	lang := langOf(r)
	v := fromRequest(r, "new_parent_code", "moved_on", "decision_no")
	d.Form.Values = v
	// Words typed in the picker without JavaScript name the new parent.
	if _, err := s.resolvePicked(r, u, d.Form, "new_parent_code", "upper"); err != nil {
		return err
	}
	mine := map[string]bool{}
	for _, x := range d.Units {
		mine[x.Code] = true
	}
	var codes []string
	for _, c := range r.PostForm["code"] {
		c = strings.TrimSpace(c)
		if c == "" || d.Chosen[c] {
			continue
		}
		d.Chosen[c] = true
		codes = append(codes, c)
		if !mine[c] {
			d.Form.add("code", translate(lang, "bulk.not_child", c, d.Parent.Code))
		}
	}
	switch {
	case len(codes) == 0:
		d.Form.add("code", translate(lang, "bulk.none_chosen"))
	case len(codes) > maxBulkMove:
		d.Form.add("code", translate(lang, "bulk.too_many", msg.Count(maxBulkMove)))
	}
	if !d.Form.Failed() {
		rows := make([][]string, len(codes))
		for i, c := range codes {
			rows[i] = []string{c, v["new_parent_code"], v["moved_on"], v["decision_no"]}
		}
		detail := fmt.Sprintf("%d CĐCS của %s → %s: %s", len(codes), d.Parent.Code, v["new_parent_code"], v["moved_on"])
		if v["decision_no"] != "" {
			detail += " (" + v["decision_no"] + ")"
		}
		err := s.importRows(r, u, "moves", "unit.move_many", detail, moveColumns, rows)
		if err == nil {
			redirectSaved(w, r, "/units/"+d.Parent.Code, "units_moved")
			return nil
		}
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		// An error of the shared fields (the new parent, the date) is said
		// once, on its field; an error of a unit names the unit.
		seen := map[string]bool{}
		for _, e := range ve.Errors {
			if e.Field != "code" {
				if key := e.Field + "\x00" + e.Message; !seen[key] {
					seen[key] = true
					d.Form.addErr(e)
				}
				continue
			}
			be := bulkError{FieldError: e}
			if i := e.Row - 2; i >= 0 && i < len(codes) {
				be.Unit = codes[i]
			}
			d.RowErrors = append(d.RowErrors, be)
			d.Form.List = append(d.Form.List, e)
		}
	}
	d.Picker = s.bulkPicker(r, u, d, v["new_parent_code"])
	return s.render(w, r, http.StatusUnprocessableEntity, "units_move", Page{Nav: "units", Data: d})
}
