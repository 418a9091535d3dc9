package web

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
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
	// Not is the unit whose subtree the picker leaves out (a move's unit).
	Not string
}

// searchPicker runs a picker's search for the user.
func (s *Server) searchPicker(r *http.Request, u *store.User, kind, q string, limit int) ([]*domain.Unit, error) {
	return s.searchPickerOutside(r, u, kind, q, nil, limit)
}

// searchPickerOutside is searchPicker leaving out the subtree of unit
// outside (when set): a unit cannot move under itself or one of its own.
// The store searches a few more units than asked so that the ones left
// out rarely shorten the list; the search stays bounded by its limit.
func (s *Server) searchPickerOutside(r *http.Request, u *store.User, kind, q string, outside *domain.Unit, limit int) ([]*domain.Unit, error) {
	k, ok := pickerKinds[kind]
	if !ok {
		k = pickerKinds["any"]
	}
	if utf8.RuneCountInString(q) > maxPickerQuery {
		q = string([]rune(q)[:maxPickerQuery])
	}
	ask := limit
	if outside != nil {
		ask = min(limit*3, 100)
	}
	uq := store.UnitQuery{Path: u.UnitPath, Q: q, Kinds: k.kinds, Limit: ask}
	if k.open {
		uq.OpenOn = domain.Today()
	}
	units, err := s.Store.SearchUnits(r.Context(), uq)
	if err != nil || outside == nil {
		return units, err
	}
	units = slices.DeleteFunc(units, func(x *domain.Unit) bool { return strings.HasPrefix(x.Path, outside.Path) })
	return units[:min(len(units), limit)], nil
}

// notParam is the unit whose subtree the picker of request r leaves
// out (?not=CODE), if it is in the user's scope.
func (s *Server) notParam(r *http.Request, u *store.User) *domain.Unit {
	code := r.URL.Query().Get("not")
	if code == "" || len(code) > maxCodeLen {
		return nil
	}
	unit, err := s.Store.Unit(r.Context(), code)
	if err != nil || !s.inScope(u, unit) {
		return nil
	}
	return unit
}

// picker makes the picker of a field holding value: the unit it names,
// and the units that match it (or the first ones, for an empty field).
func (s *Server) picker(r *http.Request, u *store.User, name, id, kind, value string) *unitPicker {
	return s.pickerOutside(r, u, name, id, kind, value, nil)
}

// pickerOutside is picker offering no unit of the subtree of outside
// (when set); the browser's searches leave it out too (data-not).
func (s *Server) pickerOutside(r *http.Request, u *store.User, name, id, kind, value string, outside *domain.Unit) *unitPicker {
	p := &unitPicker{Name: name, ID: id, For: kind, Value: value, Required: true}
	if outside != nil {
		p.Not = outside.Code
	}
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
	p.Options, _ = s.searchPickerOutside(r, u, kind, q, outside, pickerOptions)
	return p
}

// pickUnit resolves what a picker field holds into a unit code: a unit's
// code stays as it is (the form's own rules judge it); words that match
// one unit of the picker's kind in the user's subtree give that unit's
// code. Several matches are an error on the field (key picker.ambiguous),
// the matches returned for the field to offer; none leaves the text for
// the form's rules to call unknown.
func (s *Server) pickUnit(r *http.Request, u *store.User, kind, text string) (string, []*domain.Unit, bool, error) {
	return s.pickUnitOutside(r, u, kind, text, nil)
}

// pickUnitOutside is pickUnit matching no unit of the subtree of outside.
func (s *Server) pickUnitOutside(r *http.Request, u *store.User, kind, text string, outside *domain.Unit) (string, []*domain.Unit, bool, error) {
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
	found, err := s.searchPickerOutside(r, u, kind, text, outside, pickerOptions)
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
	return s.resolvePickedOutside(r, u, f, name, kind, nil)
}

// resolvePickedOutside is resolvePicked matching no unit of the subtree of
// outside.
func (s *Server) resolvePickedOutside(r *http.Request, u *store.User, f *formState, name, kind string, outside *domain.Unit) ([]*domain.Unit, error) {
	code, matches, ok, err := s.pickUnitOutside(r, u, kind, f.Values[name], outside)
	if err != nil {
		return nil, err
	}
	f.Values[name] = code
	if !ok {
		f.add(name, translate(langOf(r), "picker.ambiguous", msg.Count(len(matches))))
	}
	return matches, nil
}

// pickedUnit is a suggestion of GET /units/pick.
type pickedUnit struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"`
}

// unitPick answers GET /units/pick?q=&for=&not=: up to 20 units of the
// user's subtree that the picker "for" (grassroots, upper, any) offers,
// whose name or code contains every word of q without regard to accents,
// none of them in the subtree of the unit not (a move's own unit).
func (s *Server) unitPick(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q := r.URL.Query()
	units, err := s.searchPickerOutside(r, u, q.Get("for"), q.Get("q"), s.notParam(r, u), pickerOptions)
	if err != nil {
		return err
	}
	out := make([]pickedUnit, 0, len(units))
	for _, x := range units {
		out = append(out, pickedUnit{Code: x.Code, Name: x.Name, Parent: x.ParentCode})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
	return nil
}

// filterUnit is the unit a list's unit filter names (?unit=): a unit's
// code, or words of the name of one unit of the user's subtree (typed in
// the picker without JavaScript); empty, the user's own unit. Words that
// name several units leave the list on the user's unit and say so (said),
// the picker keeping the text and offering the matches. Text that names
// no unit, or a unit outside the user's scope, is refused as an unknown
// or forbidden unit (the error), as a bad link always was.
func (s *Server) filterUnit(r *http.Request, u *store.User, id string) (*domain.Unit, *unitPicker, string, error) {
	text := strings.TrimSpace(r.URL.Query().Get("unit"))
	if text == "" {
		text = u.UnitCode
	}
	code, matches, ok, err := s.pickUnit(r, u, "any", text)
	if err != nil {
		return nil, nil, "", err
	}
	if ok {
		unit, err := s.scopedUnit(r, u, code)
		if err != nil {
			return nil, nil, "", err
		}
		p := s.picker(r, u, "unit", id, "any", unit.Code)
		p.Required = false
		return unit, p, "", nil
	}
	said := translate(langOf(r), "pickf.ambiguous", msg.Count(len(matches)), clip(text, 60))
	unit, err := s.scopedUnit(r, u, u.UnitCode)
	if err != nil {
		return nil, nil, "", err
	}
	p := s.picker(r, u, "unit", id, "any", clip(text, maxPickerQuery))
	p.Required = false
	p.Options = matches
	return unit, p, said, nil
}

// joinSaid joins the messages a list page says about its filters.
func joinSaid(said ...string) string {
	out := said[:0:0]
	for _, x := range said {
		if x != "" {
			out = append(out, x)
		}
	}
	return strings.Join(out, " ")
}
