package web

import (
	"net/http"
	"strconv"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// memberData is one member's page, with the forms that change the record.
type memberData struct {
	M         *store.MemberRecord
	Current   *domain.Unit
	Transfers []domain.Transfer
	Active    bool
	Masked    bool
	Leave     *formState
	Move      *formState
	Party     *formState
	Targets   []*domain.Unit // grassroots units a transfer may go to
	Typed     bool
	Picker    *unitPicker // the transfer's unit field (unit_picker.go)
}

// memberByID reads the member of /members/{id} when the user may see it:
// the member's current unit is in the user's subtree.
func (s *Server) memberByID(r *http.Request, u *store.User) (*store.MemberRecord, *domain.Unit, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, domain.NotFound("member", clip(r.PathValue("id"), 32))
	}
	ms, err := s.Store.MembersByID(r.Context(), []int64{id})
	if err != nil {
		return nil, nil, err
	}
	if len(ms) == 0 {
		return nil, nil, domain.NotFound("member", r.PathValue("id"))
	}
	m := ms[0]
	unit, err := s.scopedUnit(r, u, m.CurrentUnitCode)
	if err != nil {
		return nil, nil, err
	}
	return m, unit, nil
}

// member answers GET /members/{id}.
func (s *Server) member(w http.ResponseWriter, r *http.Request) error {
	return s.showMember(w, r, http.StatusOK, nil)
}

// showMember renders a member's page; failed is the form that failed, if
// any, with its errors.
func (s *Server) showMember(w http.ResponseWriter, r *http.Request, status int, failed func(d *memberData)) error {
	u := currentUser(r)
	m, unit, err := s.memberByID(r, u)
	if err != nil {
		return err
	}
	today := domain.Today()
	d := &memberData{M: m, Current: unit, Active: m.LeftOn.IsZero() || m.LeftOn > today, Masked: !s.canWrite(u)}
	if d.Masked {
		m.NationalID = maskID(m.NationalID)
	}
	if d.Transfers, err = s.Store.MemberTransfers(r.Context(), m.ID); err != nil {
		return err
	}
	d.Leave = newForm("members", map[string]string{"left_on": vnDate(today)})
	d.Move = newForm("transfers", map[string]string{"date": vnDate(today)})
	d.Party = newForm("members", map[string]string{"party_introduced_on": vnDate(today)})
	if failed != nil {
		failed(d)
	}
	if s.canWrite(u) {
		d.Picker = s.picker(r, u, "to_unit_code", "to_unit_code", "grassroots", d.Move.V("to_unit_code"))
	}
	return s.render(w, r, status, "member", Page{Nav: "members", Title: m.FullName, Data: d})
}

// memberRow is the members.csv row of a record, for rewriting it.
func memberRow(m *store.MemberRecord) map[string]string {
	return map[string]string{
		"national_id": m.NationalID, "id_type": m.IDType, "full_name": m.FullName, "date_of_birth": m.DateOfBirth.String(),
		"gender": m.Gender, "unit_code": m.UnitCode, "joined_on": m.JoinedOn.String(), "joined_how": m.JoinedHow,
		"left_on": m.LeftOn.String(), "party_introduced_on": m.PartyIntroducedOn.String(), "card_no": m.CardNo,
	}
}

// memberInScope reports whether a member's current unit is in the user's
// subtree.
func (s *Server) memberInScope(r *http.Request, u *store.User, m *store.MemberRecord) bool {
	unit, err := s.Store.Unit(r.Context(), m.CurrentUnitCode)
	return err == nil && s.inScope(u, unit)
}
