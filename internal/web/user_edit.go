package web

import (
	"crypto/rand"
	"math/big"
	"net/http"
	"net/url"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// Editing a user (admins only; GET /users/{name}/edit and its POSTs): the
// role and the unit, within the admin's subtree; disabling the user (who
// can then neither log in nor use a session or a token: store.Tx checks
// users.disabled) and enabling them again; resetting the password, to one
// the admin types or one generated and shown once. A user outside the
// admin's subtree is not found. An admin does not change their own role,
// unit or state here (they would lock themselves out); their own password
// changes on the account page. Every change has its audit entry, in its
// transaction; a password never reaches the log, the audit log or a page
// but the one that shows a generated password once.

type userEditData struct {
	User     *store.UserInfo
	Roles    []string
	Form     *formState // role and unit
	Password *formState // the password reset
	Picker   *unitPicker
	// Generated is a password just generated, shown once.
	Generated string
}

// editableUser reads the user of /users/{name}/...: one of the admin's
// subtree, else not found.
func (s *Server) editableUser(r *http.Request, admin *store.User) (*store.UserInfo, error) {
	name := r.PathValue("name")
	if len(name) > 4*maxUserNameLen {
		return nil, domain.NotFound("user", clip(name, 32))
	}
	x, err := s.Store.UserByName(r.Context(), name)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(x.UnitPath, admin.UnitPath) {
		return nil, domain.NotFound("user", name)
	}
	return x, nil
}

func (s *Server) renderUserEdit(w http.ResponseWriter, r *http.Request, status int, d *userEditData) error {
	if d.Form == nil {
		d.Form = newForm("users", map[string]string{"role": d.User.Role, "unit_code": d.User.UnitCode})
	}
	if d.Password == nil {
		d.Password = newForm("users", nil)
	}
	d.Roles = store.Roles
	d.Picker = s.picker(r, currentUser(r), "unit_code", "unit_code", "any", d.Form.V("unit_code"))
	if d.Generated != "" {
		// The page holds a password: no cache keeps it.
		w.Header().Set("Cache-Control", "no-store")
	}
	return s.render(w, r, status, "user_edit", Page{Nav: "users", Title: d.User.Name, Data: d})
}

// userEdit answers GET /users/{name}/edit.
func (s *Server) userEdit(w http.ResponseWriter, r *http.Request) error {
	x, err := s.editableUser(r, currentUser(r))
	if err != nil {
		return err
	}
	return s.renderUserEdit(w, r, http.StatusOK, &userEditData{User: x})
}

func userPath(name string) string { return "/users/" + url.PathEscape(name) + "/edit" }

// userUpdate answers POST /users/{name}/edit: role and unit_code.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	admin := currentUser(r)
	x, err := s.editableUser(r, admin)
	if err != nil {
		return err
	}
	f := newForm("users", fromRequest(r, "role", "unit_code"))
	if _, err := s.resolvePicked(r, admin, f, "unit_code", "any"); err != nil {
		return err
	}
	if x.ID == admin.ID {
		f.add("role", "edit.user_self")
	}
	unit, err := s.checkRoleAndUnit(r, admin, f)
	if err != nil {
		return err
	}
	if f.Failed() {
		return s.renderUserEdit(w, r, http.StatusUnprocessableEntity, &userEditData{User: x, Form: f})
	}
	var changes []string
	if f.V("role") != x.Role {
		changes = append(changes, fieldChange("role", x.Role, f.V("role")))
	}
	if unit.ID != x.UnitID {
		changes = append(changes, fieldChange("unit_code", x.UnitCode, unit.Code))
	}
	if len(changes) == 0 {
		redirectSaved(w, r, userPath(x.Name), "no_change")
		return nil
	}
	if err := s.Store.UpdateUser(r.Context(), admin.Name, x.ID, f.V("role"), unit.ID, x.Name+": "+strings.Join(changes, "; ")); err != nil {
		return err
	}
	s.Log.Info("user changed", "actor", admin.Name, "user", x.Name, "role", f.V("role"), "unit", unit.Code)
	redirectSaved(w, r, userPath(x.Name), "user_edited")
	return nil
}

// userDisable answers POST /users/{name}/disable.
func (s *Server) userDisable(w http.ResponseWriter, r *http.Request) error {
	return s.userSetDisabled(w, r, true)
}

// userEnable answers POST /users/{name}/enable.
func (s *Server) userEnable(w http.ResponseWriter, r *http.Request) error {
	return s.userSetDisabled(w, r, false)
}

func (s *Server) userSetDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	admin := currentUser(r)
	x, err := s.editableUser(r, admin)
	if err != nil {
		return err
	}
	if x.ID == admin.ID {
		f := newForm("users", nil)
		f.add("disabled", "edit.user_self")
		return s.renderUserEdit(w, r, http.StatusUnprocessableEntity, &userEditData{User: x, Form: nil, Password: f})
	}
	if x.Disabled != disabled {
		if err := s.Store.SetUserDisabled(r.Context(), admin.Name, &x.User, disabled); err != nil {
			return err
		}
		s.Log.Info("user disabled", "actor", admin.Name, "user", x.Name, "disabled", disabled)
	}
	flash := "user_enabled"
	if disabled {
		flash = "user_disabled"
	}
	redirectSaved(w, r, userPath(x.Name), flash)
	return nil
}

// userPassword answers POST /users/{name}/password: password and password2,
// or generate=1 for a password made here and shown once. Every session of
// the user ends (store.SetPassword).
func (s *Server) userPassword(w http.ResponseWriter, r *http.Request) error {
	admin := currentUser(r)
	x, err := s.editableUser(r, admin)
	if err != nil {
		return err
	}
	p := newForm("users", nil)
	if x.ID == admin.ID {
		p.add("password", "edit.user_self_password")
		return s.renderUserEdit(w, r, http.StatusUnprocessableEntity, &userEditData{User: x, Password: p})
	}
	var pass, generated string
	if r.PostFormValue("generate") != "" {
		if generated, err = generatePassword(x.Name); err != nil {
			return err
		}
		pass = generated
	} else {
		pass = r.PostFormValue("password")
		checkNewPassword(p, x.Name, pass, r.PostFormValue("password2"))
		if p.Failed() {
			return s.renderUserEdit(w, r, http.StatusUnprocessableEntity, &userEditData{User: x, Password: p})
		}
	}
	if err := s.Store.SetPassword(r.Context(), admin.Name, &x.User, pass, ""); err != nil {
		return err
	}
	s.Log.Info("password reset", "actor", admin.Name, "user", x.Name, "generated", generated != "")
	if generated == "" {
		redirectSaved(w, r, userPath(x.Name), "user_password_reset")
		return nil
	}
	// Shown once, on this answer only: nothing keeps it.
	return s.renderUserEdit(w, r, http.StatusOK, &userEditData{User: x, Generated: generated})
}

// passwordAlphabet leaves out the characters read one for another (0 O, 1 l I).
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// generatePassword makes a random password of 16 characters (about 93
// bits) that store.PasswordProblem accepts.
func generatePassword(name string) (string, error) {
	for {
		b := make([]byte, 16)
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(passwordAlphabet))))
			if err != nil {
				return "", err
			}
			b[i] = passwordAlphabet[n.Int64()]
		}
		if p := string(b); store.PasswordProblem(name, p) == "" {
			return p, nil
		}
	}
}
