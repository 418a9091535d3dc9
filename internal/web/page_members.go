package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// memberColumns are the columns of members.csv, the fields of the forms.
var memberColumns = []string{"national_id", "id_type", "full_name", "date_of_birth", "gender", "unit_code", "joined_on",
	"joined_how", "left_on", "party_introduced_on", "card_no"}

// admitData is the form that admits a member.
type admitData struct {
	Form    *formState
	Units   []*domain.Unit // grassroots units open today, to choose from
	Typed   bool           // too many units to list: the code is typed
	Unit    *domain.Unit   // the unit asked for (?unit=), if any
	Existed int64          // the ID of the member who already has that national ID
	Picker  *unitPicker    // the unit field (unit_picker.go)
}

// memberNew answers GET /members/new?unit=CODE: the admission form.
func (s *Server) memberNew(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	d := &admitData{Form: newForm("members", map[string]string{"id_type": "cccd", "joined_how": domain.JoinedAdmitted,
		"joined_on": vnDate(domain.Today())})}
	if code := r.URL.Query().Get("unit"); code != "" {
		unit, err := s.scopedUnit(r, u, code)
		if err != nil {
			s.pageFail(w, r, err)
			return
		}
		d.Unit = unit
		if unit.Kind == domain.KindGrassroots {
			d.Form.Values["unit_code"] = unit.Code
		}
	}
	if err := s.admitChoices(r, u, d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "member_new", Page{Nav: "members", Data: d})
}

// admitChoices fills the units the form offers: the open grassroots units
// of the unit asked for, or of the user's subtree.
func (s *Server) admitChoices(r *http.Request, u *store.User, d *admitData) error {
	d.Picker = s.picker(r, u, "unit_code", "unit_code", "grassroots", d.Form.V("unit_code"))
	return nil
}

// memberCreate answers POST /members/new: admits the member of the form,
// by the rules of members.csv, then shows the member's page.
func (s *Server) memberCreate(w http.ResponseWriter, r *http.Request) {
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
		s.fail(w, r, err)
		return
	}
	// The unit must be the user's before anything is looked at.
	if code := v["unit_code"]; code != "" {
		if _, err := s.scopedUnit(r, u, code); err != nil && !isNotFound(err) {
			s.pageFail(w, r, err)
			return
		}
	}
	// Admitting is for new people: an existing national ID is not
	// rewritten from this form.
	// Outside the user's subtree the answer names neither the person nor
	// the unit, and such answers are rate-limited (lookupFull).
	if nid := v["national_id"]; nid != "" {
		if s.lookupFull(w, r, u) {
			return
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
			s.fail(w, r, err)
			return
		}
	}
	if !d.Form.Failed() {
		err := s.importOne(r, u, "members", "member.admit", v["national_id"]+" "+v["full_name"], v)
		if err == nil {
			m, err := s.Store.Member(r.Context(), v["national_id"])
			if err != nil {
				s.fail(w, r, err)
				return
			}
			redirectSaved(w, r, fmt.Sprintf("/members/%d", m.ID), "member_admitted")
			return
		}
		if !d.Form.take(err) {
			s.fail(w, r, err)
			return
		}
	}
	if err := s.admitChoices(r, u, d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "member_new", Page{Nav: "members", Data: d})
}

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
func (s *Server) member(w http.ResponseWriter, r *http.Request) {
	s.showMember(w, r, http.StatusOK, nil)
}

// showMember renders a member's page; failed is the form that failed, if
// any, with its errors.
func (s *Server) showMember(w http.ResponseWriter, r *http.Request, status int, failed func(d *memberData)) {
	u := currentUser(r)
	m, unit, err := s.memberByID(r, u)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	today := domain.Today()
	d := &memberData{M: m, Current: unit, Active: m.LeftOn.IsZero() || m.LeftOn > today, Masked: !s.canWrite(u)}
	if d.Masked {
		m.NationalID = maskID(m.NationalID)
	}
	if d.Transfers, err = s.Store.MemberTransfers(r.Context(), m.ID); err != nil {
		s.fail(w, r, err)
		return
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
	s.render(w, r, status, "member", Page{Nav: "members", Title: m.FullName, Data: d})
}

// memberRow is the members.csv row of a record, for rewriting it.
func memberRow(m *store.MemberRecord) map[string]string {
	return map[string]string{
		"national_id": m.NationalID, "id_type": m.IDType, "full_name": m.FullName, "date_of_birth": m.DateOfBirth.String(),
		"gender": m.Gender, "unit_code": m.UnitCode, "joined_on": m.JoinedOn.String(), "joined_how": m.JoinedHow,
		"left_on": m.LeftOn.String(), "party_introduced_on": m.PartyIntroducedOn.String(), "card_no": m.CardNo,
	}
}

// memberLeave answers POST /members/{id}/leave: records the day the member
// left (left_on: the first day no longer a member).
func (s *Server) memberLeave(w http.ResponseWriter, r *http.Request) {
	s.memberChange(w, r, "left_on", "member.leave", "member_left", func(d *memberData) *formState { return d.Leave })
}

// memberParty answers POST /members/{id}/party: records the member's
// introduction to the Party.
func (s *Server) memberParty(w http.ResponseWriter, r *http.Request) {
	s.memberChange(w, r, "party_introduced_on", "member.party", "member_party", func(d *memberData) *formState { return d.Party })
}

// memberChange rewrites one date field of a member's record.
func (s *Server) memberChange(w http.ResponseWriter, r *http.Request, field, action, flash string, form func(*memberData) *formState) {
	u := currentUser(r)
	m, _, err := s.memberByID(r, u)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	row := memberRow(m)
	value := strings.TrimSpace(r.PostFormValue(field))
	row[field] = value
	var ferr error
	if value == "" {
		ferr = &domain.ValidationError{Errors: []domain.FieldError{{Field: field, Message: "required"}}}
	} else {
		ferr = s.importOne(r, u, "members", action, m.NationalID+" "+m.FullName, row)
	}
	if ferr == nil {
		redirectSaved(w, r, fmt.Sprintf("/members/%d", m.ID), flash)
		return
	}
	f := newForm("members", map[string]string{field: value})
	if !f.take(ferr) {
		s.fail(w, r, ferr)
		return
	}
	s.showMember(w, r, http.StatusUnprocessableEntity, func(d *memberData) { *form(d) = *f })
}

// memberTransfer answers POST /members/{id}/transfer: moves the member to
// another grassroots unit from a date on.
func (s *Server) memberTransfer(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	m, _, err := s.memberByID(r, u)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	v := fromRequest(r, "to_unit_code", "date")
	// A unit typed by name (the picker) becomes its code.
	f := newForm("transfers", v)
	if _, err := s.resolvePicked(r, u, f, "to_unit_code", "grassroots"); err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Failed() {
		s.showMember(w, r, http.StatusUnprocessableEntity, func(d *memberData) { d.Move = f })
		return
	}
	row := map[string]string{"national_id": m.NationalID, "to_unit_code": v["to_unit_code"], "date": v["date"]}
	err = s.importOne(r, u, "transfers", "member.transfer", fmt.Sprintf("%s %s → %s", m.NationalID, m.FullName, v["to_unit_code"]), row)
	if err == nil {
		redirectSaved(w, r, fmt.Sprintf("/members/%d", m.ID), "member_moved")
		return
	}
	if !f.take(err) {
		s.fail(w, r, err)
		return
	}
	s.showMember(w, r, http.StatusUnprocessableEntity, func(d *memberData) { d.Move = f })
}

// memberInScope reports whether a member's current unit is in the user's
// subtree.
func (s *Server) memberInScope(r *http.Request, u *store.User, m *store.MemberRecord) bool {
	unit, err := s.Store.Unit(r.Context(), m.CurrentUnitCode)
	return err == nil && s.inScope(u, unit)
}

func lookupKey(u *store.User) string { return "lookup:" + u.Name }

// lookupFull answers 429 when the user has run into too many national IDs
// outside their subtree within the hour (Server.LookupLimit): a manager
// may not probe the whole country's registry.
func (s *Server) lookupFull(w http.ResponseWriter, r *http.Request, u *store.User) bool {
	if !s.lookups.full(lookupKey(u)) {
		return false
	}
	s.Log.Warn("national ID look-ups refused: too many outside the subtree", "user", u.Name)
	w.Header().Set("Retry-After", "3600")
	s.errorPage(w, r, http.StatusTooManyRequests,
		"Bạn đã tra cứu quá nhiều số CCCD của đoàn viên đơn vị khác. Vui lòng thử lại sau một giờ.",
		"too many national IDs of members of other units looked up; try again in an hour")
	return true
}
