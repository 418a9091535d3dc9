package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/importer"
	"congdoan/internal/store"
)

// The member edit form (GET and POST /members/{id}/edit): every field of
// the record but the unit (a transfer moves a member). The record is
// rewritten through the importer (kind members), so the rules of
// members.csv hold: the ID number against the birth year and gender, the
// dates, the length of each field, the user's subtree; store.SaveMembers
// takes the old record's counters out and puts the new one's in. A new ID
// number needs a reason, and the record is renamed in the same
// transaction (importer.Before, store.Tx.RenameMember). The audit entry
// keeps each changed field, before → after, ID numbers masked.

// memberEditFields are the fields of the form, in the order of the detail.
var memberEditFields = []string{"full_name", "id_type", "national_id", "date_of_birth", "gender", "joined_on", "joined_how",
	"left_on", "party_introduced_on", "card_no"}

// memberEditData is the edit form of a member.
type memberEditData struct {
	M    *store.MemberRecord
	Form *formState
}

// editableMember reads the member of /members/{id} for a form that
// changes it: a member outside the user's subtree is not found, as an
// unknown ID is (nothing tells that the ID exists).
func (s *Server) editableMember(r *http.Request, u *store.User) (*store.MemberRecord, *domain.Unit, error) {
	m, unit, err := s.memberByID(r, u)
	if errors.Is(err, domain.ErrForbidden) {
		return nil, nil, domain.NotFound("member", clip(r.PathValue("id"), 32))
	}
	return m, unit, err
}

// memberFormValues are a record's values as the form shows them.
func memberFormValues(m *store.MemberRecord) map[string]string {
	v := memberRow(m)
	for _, k := range []string{"date_of_birth", "joined_on", "left_on", "party_introduced_on"} {
		if d, err := domain.ParseDate(v[k]); err == nil {
			v[k] = d.VN()
		}
	}
	return v
}

// memberEdit answers GET /members/{id}/edit.
func (s *Server) memberEdit(w http.ResponseWriter, r *http.Request) error {
	m, _, err := s.editableMember(r, currentUser(r))
	if err != nil {
		return err
	}
	return s.memberEditPage(w, r, http.StatusOK, m, newForm("members", memberFormValues(m)))
}

// memberUpdate answers POST /members/{id}/edit.
func (s *Server) memberUpdate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	m, _, err := s.editableMember(r, u)
	if err != nil {
		return err
	}
	lang := langOf(r)
	v := fromRequest(r, append(memberEditFields, "edit_reason")...)
	f := newForm("members", v)
	before := memberFormValues(m)
	row := overlay(memberRow(m), v, memberEditFields)
	renamed := v["national_id"] != m.NationalID
	reason := v["edit_reason"]
	switch {
	case renamed && reason == "":
		f.add("edit_reason", "required")
	case utf8.RuneCountInString(reason) > importer.MaxTextLen:
		f.add("edit_reason", translate(lang, "edit.too_long", importer.MaxTextLen))
	}
	// A new ID number that another member has tells that the number is on
	// record: outside the user's subtree such answers are counted and
	// rate-limited, as on the admission form (lookupFull).
	if renamed {
		if err := s.lookupFull(u); err != nil {
			return err
		}
	}
	if !f.Failed() {
		changes := fieldChanges(memberEditFields, before, v, canon)
		if len(changes) == 0 {
			redirectSaved(w, r, fmt.Sprintf("/members/%d", m.ID), "no_change")
			return nil
		}
		detail := maskID(m.NationalID) + " " + m.FullName + ": " + strings.Join(changes, "; ")
		if reason != "" {
			detail += "; " + translate(langVI, "edit.reason_audit") + ": " + reason
		}
		im := &importer.Importer{Store: s.Store, Allow: s.importAllow(u), Actor: u.Name, Action: "member.edit", Detail: detail}
		if renamed {
			im.Before = func(tx *store.Tx) error { return tx.RenameMember(m.NationalID, v["national_id"]) }
		}
		header, cells := rowCells(row)
		_, err := im.Rows(r.Context(), "members", "form", header, [][]string{cells})
		switch {
		case err == nil:
			redirectSaved(w, r, fmt.Sprintf("/members/%d", m.ID), "member_edited")
			return nil
		case errors.Is(err, store.ErrIDTaken):
			f.add("national_id", "edit.nid_taken")
			if other, err := s.Store.Member(r.Context(), v["national_id"]); err == nil && !s.memberInScope(r, u, other) {
				s.lookups.add(lookupKey(u))
			}
		case !f.take(err):
			return err
		}
	}
	return s.memberEditPage(w, r, http.StatusUnprocessableEntity, m, f)
}

// memberEditPage renders the edit form of m: as the record is (GET) or with
// the values and errors of a refused POST.
func (s *Server) memberEditPage(w http.ResponseWriter, r *http.Request, status int, m *store.MemberRecord, f *formState) error {
	d := &memberEditData{M: m, Form: f}
	return s.render(w, r, status, "member_edit", Page{Nav: "members", Title: m.FullName, Data: d})
}

// canon is a field's value as compared for a change: dates in one form.
func canon(field, v string) string {
	v = strings.TrimSpace(v)
	if strings.HasSuffix(field, "_on") || field == "date_of_birth" {
		if d, err := domain.ParseDate(v); err == nil {
			return d.String()
		}
	}
	return v
}

// fieldChanges lists the changes of an edit for the audit detail: the
// fields whose values before and after differ in the form canonical gives.
func fieldChanges(fields []string, before, after map[string]string, canonical func(field, v string) string) []string {
	var changes []string
	for _, k := range fields {
		if canonical(k, before[k]) != canonical(k, after[k]) {
			changes = append(changes, fieldChange(k, before[k], after[k]))
		}
	}
	return changes
}

// fieldChange writes one change of the audit detail: "field: before →
// after", ID numbers masked to their last three digits.
func fieldChange(field, before, after string) string {
	if field == "national_id" {
		before, after = maskID(before), maskID(after)
	}
	if before == "" {
		before = "—"
	}
	if after == "" {
		after = "—"
	}
	return field + ": " + before + " → " + after
}

// overlay is the row of a record as an edit form leaves it: the form's
// values v of fields over the record's row, the rest of the row as it is.
func overlay(row, v map[string]string, fields []string) map[string]string {
	for _, k := range fields {
		row[k] = v[k]
	}
	return row
}

// rowCells splits a record by column into a header and a row.
func rowCells(row map[string]string) ([]string, []string) {
	header := make([]string, 0, len(row))
	cells := make([]string, 0, len(row))
	for k, v := range row {
		header = append(header, k)
		cells = append(cells, v)
	}
	return header, cells
}
