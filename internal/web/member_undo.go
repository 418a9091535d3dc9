package web

import (
	"net/http"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// Undoing a mistaken admission (GET and POST /members/{id}/undo): the
// member's record goes, with their transfers, and their contribution
// leaves the daily counters (store.Tx.DeleteMember), so that every report
// reads as if the member had never been recorded. A reason is required and
// kept in the audit entry, in the same transaction. Every unit of the
// record (the unit joined, the units transferred to) must be in the
// user's subtree, as the importer asks of a member it rewrites: the
// counters of those units change.

type memberUndoData struct {
	M         *store.MemberRecord
	Transfers []domain.Transfer
	Form      *formState
}

func (s *Server) undoSetup(r *http.Request) (*memberUndoData, *domain.Unit, error) {
	u := currentUser(r)
	m, unit, err := s.editableMember(r, u)
	if err != nil {
		return nil, nil, err
	}
	d := &memberUndoData{M: m, Form: newForm("members", nil)}
	if d.Transfers, err = s.Store.MemberTransfers(r.Context(), m.ID); err != nil {
		return nil, nil, err
	}
	return d, unit, nil
}

// memberUndoForm answers GET /members/{id}/undo: the confirmation.
func (s *Server) memberUndoForm(w http.ResponseWriter, r *http.Request) error {
	d, _, err := s.undoSetup(r)
	if err != nil {
		return err
	}
	d.M.NationalID = maskID(d.M.NationalID)
	return s.render(w, r, http.StatusOK, "member_undo", Page{Nav: "members", Title: d.M.FullName, Data: d})
}

// memberUndo answers POST /members/{id}/undo with edit_reason.
func (s *Server) memberUndo(w http.ResponseWriter, r *http.Request) error {
	d, current, err := s.undoSetup(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	lang := langOf(r)
	m := d.M
	reason := fromRequest(r, "edit_reason")["edit_reason"]
	d.Form.Values["edit_reason"] = reason
	switch {
	case reason == "":
		d.Form.add("edit_reason", "required")
	case utf8.RuneCountInString(reason) > importer.MaxTextLen:
		d.Form.add("edit_reason", translate(lang, "edit.too_long", importer.MaxTextLen))
	}
	codes := []string{m.UnitCode}
	for _, t := range d.Transfers {
		codes = append(codes, t.ToUnitCode)
	}
	allow := s.importAllow(u)
	for _, c := range codes {
		unit, err := s.Store.Unit(r.Context(), c)
		if err != nil {
			return err
		}
		if err := allow("members", "national_id", unit); err != nil {
			d.Form.add("national_id", localMsg(lang, err))
			break
		}
	}
	if !d.Form.Failed() {
		detail := maskID(m.NationalID) + " " + m.FullName + " (" + m.UnitCode + ", " + m.JoinedOn.VN() + "): " + reason
		err := s.Store.Write(r.Context(), func(tx *store.Tx) error {
			if _, _, err := tx.DeleteMember(m.NationalID); err != nil {
				return err
			}
			return tx.Audit(store.AuditEntry{Actor: u.Name, Action: "member.undo", UnitID: current.ID, Detail: detail})
		})
		if err == nil {
			redirectSaved(w, r, "/members?unit="+current.Code, "member_undone")
			return nil
		}
		if !isNotFound(err) {
			return err
		}
		// Someone else removed the member meanwhile.
		return err
	}
	m.NationalID = maskID(m.NationalID)
	return s.render(w, r, http.StatusUnprocessableEntity, "member_undo", Page{Nav: "members", Title: m.FullName, Data: d})
}
