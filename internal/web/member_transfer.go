package web

import (
	"fmt"
	"net/http"
)

// memberTransfer answers POST /members/{id}/transfer: moves the member to
// another grassroots unit from a date on.
func (s *Server) memberTransfer(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	m, _, err := s.memberByID(r, u)
	if err != nil {
		return err
	}
	v := fromRequest(r, "to_unit_code", "date")
	// A unit typed by name (the picker) becomes its code.
	f := newForm("transfers", v)
	if _, err := s.resolvePicked(r, u, f, "to_unit_code", "grassroots"); err != nil {
		return err
	}
	if f.Failed() {
		return s.showMember(w, r, http.StatusUnprocessableEntity, func(d *memberData) { d.Move = f })
	}
	row := map[string]string{"national_id": m.NationalID, "to_unit_code": v["to_unit_code"], "date": v["date"]}
	err = s.importOne(r, u, "transfers", "member.transfer", fmt.Sprintf("%s %s → %s", m.NationalID, m.FullName, v["to_unit_code"]), row)
	if err == nil {
		redirectSaved(w, r, fmt.Sprintf("/members/%d", m.ID), "member_moved")
		return nil
	}
	if !f.take(err) {
		return err
	}
	return s.showMember(w, r, http.StatusUnprocessableEntity, func(d *memberData) { d.Move = f })
}
