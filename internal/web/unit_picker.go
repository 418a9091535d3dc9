package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// The unit picker: every form field that asks for a unit is a text field
// that takes a unit's code, or words of its name or code typed without
// accents ("phuong hoan kiem"). Without JavaScript it is an <input list>
// whose <datalist> the server fills with the units that match what was
// typed; a name that matches one unit only is taken on submit (pickUnit),
// several come back as the field's error with the matches offered. With
// static/picker.js it becomes a combobox that asks GET /units/pick as the
// user types. Both read store.SearchUnits: the user's subtree, the kinds
// the form allows.

// pickerKinds are the units each kind of picker offers ("for").
var pickerKinds = map[string]struct {
	kinds []string
	open  bool // open today only
}{
	"grassroots": {[]string{domain.KindGrassroots}, true},                    // admit, transfer
	"upper":      {[]string{domain.KindFederation, domain.KindUpper}, false}, // an enterprise's responsible unit
	"any":        {nil, false},                                               // a user's unit
}

// maxPickerQuery bounds the text a picker searches for (characters).
const maxPickerQuery = 100

// pickerOptions is how many units a picker suggests at once.
const pickerOptions = 20

// unitPicker is what the "unitpicker" template shows.
type unitPicker struct {
	Name, ID, For string
	Value         string
	// Chosen is the unit the value names, shown beside the field.
	Chosen *domain.Unit
	// Options are the server's suggestions (the datalist).
	Options  []*domain.Unit
	Required bool
}

// searchPicker runs a picker's search for the user.
func (s *Server) searchPicker(r *http.Request, u *store.User, kind, q string, limit int) ([]*domain.Unit, error) {
	k, ok := pickerKinds[kind]
	if !ok {
		k = pickerKinds["any"]
	}
	if utf8.RuneCountInString(q) > maxPickerQuery {
		q = string([]rune(q)[:maxPickerQuery])
	}
	uq := store.UnitQuery{Path: u.UnitPath, Q: q, Kinds: k.kinds, Limit: limit}
	if k.open {
		uq.OpenOn = domain.Today()
	}
	return s.Store.SearchUnits(r.Context(), uq)
}

// picker makes the picker of a field holding value: the unit it names,
// and the units that match it (or the first ones, for an empty field).
func (s *Server) picker(r *http.Request, u *store.User, name, id, kind, value string) *unitPicker {
	p := &unitPicker{Name: name, ID: id, For: kind, Value: value, Required: true}
	if value != "" && len(value) <= maxCodeLen {
		if unit, err := s.Store.Unit(r.Context(), value); err == nil && s.inScope(u, unit) {
			p.Chosen = unit
		}
	}
	q := value
	if p.Chosen != nil {
		q = ""
	}
	// The suggestions are a help: a failed search leaves the field as it is.
	p.Options, _ = s.searchPicker(r, u, kind, q, pickerOptions)
	return p
}

// pickUnit resolves what a picker field holds into a unit code: a unit's
// code stays as it is (the form's own rules judge it); words that match
// one unit of the picker's kind in the user's subtree give that unit's
// code. Several matches are an error on the field (key picker.ambiguous),
// the matches returned for the field to offer; none leaves the text for
// the form's rules to call unknown.
func (s *Server) pickUnit(r *http.Request, u *store.User, kind, text string) (string, []*domain.Unit, bool, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", nil, true, nil
	}
	if len(text) <= maxCodeLen {
		if _, err := s.Store.Unit(r.Context(), text); err == nil {
			return text, nil, true, nil
		} else if !isNotFound(err) {
			return "", nil, false, err
		}
	}
	found, err := s.searchPicker(r, u, kind, text, pickerOptions)
	if err != nil {
		return "", nil, false, err
	}
	switch {
	case len(found) == 1:
		return found[0].Code, nil, true, nil
	case len(found) > 1:
		return text, found, false, nil
	}
	return text, nil, true, nil
}

// resolvePicked resolves the picker field name of form f in place: on
// several matches it records the error and returns the matches.
func (s *Server) resolvePicked(r *http.Request, u *store.User, f *formState, name, kind string) ([]*domain.Unit, error) {
	code, matches, ok, err := s.pickUnit(r, u, kind, f.Values[name])
	if err != nil {
		return nil, err
	}
	f.Values[name] = code
	if !ok {
		f.add(name, translate(langOf(r), "picker.ambiguous", len(matches)))
	}
	return matches, nil
}

// pickedUnit is a suggestion of GET /units/pick.
type pickedUnit struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
}

// unitPick answers GET /units/pick?q=&for=: up to 20 units of the user's
// subtree that the picker "for" (grassroots, upper, any) offers, whose name
// or code contains every word of q without regard to accents.
func (s *Server) unitPick(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	q := r.URL.Query()
	units, err := s.searchPicker(r, u, q.Get("for"), q.Get("q"), pickerOptions)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]pickedUnit, 0, len(units))
	for _, x := range units {
		out = append(out, pickedUnit{Code: x.Code, Name: x.Name, Parent: x.ParentCode})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}
