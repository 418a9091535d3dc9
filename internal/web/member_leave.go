package web

import (
	"fmt"
	"net/http"
	"strings"

	"congdoan/internal/domain"
)

// memberLeave answers POST /members/{id}/leave: records the day the member
// left (left_on: the first day no longer a member).
func (s *Server) memberLeave(w http.ResponseWriter, r *http.Request) error {
	return s.memberChange(w, r, "left_on", "member.leave", "member_left", func(d *memberData) *formState { return d.Leave })
}

// memberChange rewrites one date field of a member's record.
func (s *Server) memberChange(w http.ResponseWriter, r *http.Request, field, action, flash string, form func(*memberData) *formState) error {
	u := currentUser(r)
	m, _, err := s.memberByID(r, u)
	if err != nil {
		return err
	}
	row := memberRow(m)
	value := strings.TrimSpace(r.PostFormValue(field))
	row[field] = value
	var ferr error
	if value == "" {
		ferr = invalid(domain.FieldError{Field: field, Message: "required"})
	} else {
		ferr = s.importOne(r, u, "members", action, m.NationalID+" "+m.FullName, row)
	}
	if ferr == nil {
		redirectSaved(w, r, fmt.Sprintf("/members/%d", m.ID), flash)
		return nil
	}
	f := newForm("members", map[string]string{field: value})
	if !f.take(ferr) {
		return ferr
	}
	return s.showMember(w, r, http.StatusUnprocessableEntity, func(d *memberData) { *form(d) = *f })
}
