package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
)

// targetsSave answers POST /plans/{code}/targets: the targets of one
// indicator for a unit (field "own") and the units right below it (fields
// "t.CODE"); empty fields are left as they are.
func (s *Server) targetsSave(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	ctx := r.Context()
	p, err := s.planFor(r, u, r.PathValue("code"))
	if err != nil {
		return err
	}
	unit, err := s.scopedUnit(r, u, r.PostFormValue("unit"))
	if err != nil {
		return err
	}
	ind := r.PostFormValue("ind")
	children, _, current, err := s.cascade(ctx, p, unit)
	if err != nil {
		return err
	}
	f := newForm("targets", map[string]string{})
	header := []string{"plan_code", "unit_code", "indicator", "target"}
	var rows [][]string
	add := func(x *domain.Unit, field string) {
		v := strings.TrimSpace(r.PostFormValue(field))
		f.Values[field] = v
		if v == "" {
			return
		}
		if old, ok := current[x.ID][ind]; ok && strconv.FormatInt(old, 10) == v {
			return
		}
		rows = append(rows, []string{p.Code, x.Code, ind, v})
	}
	if _, ok := r.PostForm["own"]; ok {
		add(unit, "own")
	}
	for _, c := range children {
		add(c, "t."+c.Code)
	}
	back := fmt.Sprintf("/plans/%s?unit=%s&ind=%s", url.PathEscape(p.Code), url.QueryEscape(unit.Code), url.QueryEscape(ind))
	if len(rows) == 0 {
		redirectSaved(w, r, back, "no_change")
		return nil
	}
	err = s.importRows(r, u, "targets", "targets.save", fmt.Sprintf("%s %s %s: %d targets", p.Code, unit.Code, ind, len(rows)), header, rows)
	if err == nil {
		redirectSaved(w, r, back, "targets_saved")
		return nil
	}
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	// Each error names the unit of its row, and shows by its field.
	for _, e := range ve.Errors {
		code, field := "", "own"
		if e.Row >= 2 && e.Row-2 < len(rows) {
			code = rows[e.Row-2][1]
			if code != unit.Code {
				field = "t." + code
			}
		}
		if f.typed == nil {
			f.typed = map[string][]domain.FieldError{}
		}
		f.typed[field] = append(f.typed[field], e)
		t := msg.New("field.message", e.Field, e.Typed())
		f.List = append(f.List, domain.FieldError{Field: code, Message: t.String(), Text: t})
	}
	return s.showPlan(w, r, http.StatusUnprocessableEntity, nil, f)
}
