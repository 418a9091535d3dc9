package web

import (
	"net/http"

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
func (s *Server) memberNew(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	d := &admitData{Form: newForm("members", map[string]string{"id_type": "cccd", "joined_how": domain.JoinedAdmitted,
		"joined_on": vnDate(domain.Today())})}
	if code := r.URL.Query().Get("unit"); code != "" {
		unit, err := s.scopedUnit(r, u, code)
		if err != nil {
			return err
		}
		d.Unit = unit
		if unit.Kind == domain.KindGrassroots {
			d.Form.Values["unit_code"] = unit.Code
		}
	}
	if err := s.admitChoices(r, u, d); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "member_new", Page{Nav: "members", Data: d})
}

// admitChoices fills the units the form offers: the open grassroots units
// of the unit asked for, or of the user's subtree.
func (s *Server) admitChoices(r *http.Request, u *store.User, d *admitData) error {
	d.Picker = s.picker(r, u, "unit_code", "unit_code", "grassroots", d.Form.V("unit_code"))
	return nil
}
