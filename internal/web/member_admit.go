package web

import (
	"fmt"
	"net/http"

	"congdoan/internal/store"
)

// memberCreate answers POST /members/new: admits the member of the form,
// by the rules of members.csv, then shows the member's page.
func (s *Server) memberCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	d := &admitData{Form: newForm("members", fromRequest(r, memberColumns...))}
	v := d.Form.Values
	v["left_on"], v["party_introduced_on"] = "", ""
	if code := r.PostFormValue("unit"); code != "" {
		if unit, err := s.scopedUnit(r, u, code); err == nil {
			d.Unit = unit
		}
	}
	// A unit typed by name (the picker) becomes its code.
	if _, err := s.resolvePicked(r, u, d.Form, "unit_code", "grassroots"); err != nil {
		return err
	}
	// The unit must be the user's before anything is looked at.
	if code := v["unit_code"]; code != "" {
		if _, err := s.scopedUnit(r, u, code); err != nil && !isNotFound(err) {
			return err
		}
	}
	// Admitting is for new people: an existing national ID is not
	// rewritten from this form.
	// Outside the user's subtree the answer names neither the person nor
	// the unit, and such answers are rate-limited (lookupFull).
	if nid := v["national_id"]; nid != "" {
		if err := s.lookupFull(u); err != nil {
			return err
		}
		old, err := s.Store.Member(r.Context(), nid)
		switch {
		case err == nil:
			if s.memberInScope(r, u, old) {
				d.Form.add("national_id", translate(langOf(r), "member.exists", old.FullName))
				d.Existed = old.ID
			} else {
				s.lookups.add(lookupKey(u))
				d.Form.add("national_id", translate(langOf(r), "member.elsewhere"))
			}
		case !isNotFound(err):
			return err
		}
	}
	if !d.Form.Failed() {
		err := s.importOne(r, u, "members", "member.admit", v["national_id"]+" "+v["full_name"], v)
		if err == nil {
			m, err := s.Store.Member(r.Context(), v["national_id"])
			if err != nil {
				return err
			}
			redirectSaved(w, r, fmt.Sprintf("/members/%d", m.ID), "member_admitted")
			return nil
		}
		if !d.Form.take(err) {
			return err
		}
	}
	if err := s.admitChoices(r, u, d); err != nil {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "member_new", Page{Nav: "members", Data: d})
}

func lookupKey(u *store.User) string { return "lookup:" + u.Name }

// lookupFull is a 429 when the user has run into too many national IDs
// outside their subtree within the hour (Server.LookupLimit): a manager
// may not probe the whole country's registry.
func (s *Server) lookupFull(u *store.User) error {
	if !s.lookups.full(lookupKey(u)) {
		return nil
	}
	s.Log.Warn("national ID look-ups refused: too many outside the subtree", "user", u.Name)
	return &statusError{status: http.StatusTooManyRequests, retryAfter: "3600",
		vi: "Bạn đã tra cứu quá nhiều số CCCD của đoàn viên đơn vị khác. Vui lòng thử lại sau một giờ.",
		en: "too many national IDs of members of other units looked up; try again in an hour"}
}
