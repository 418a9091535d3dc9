package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// The user management page: an admin lists the users of their subtree and
// creates new ones, bound to a unit of that subtree. Passwords are never
// logged, echoed back into the form, or written to the audit log.

const maxUserNameLen = 64 // characters

// requireAdmin lets only admins through to h; managers and viewers get 403.
func (s *Server) requireAdmin(h handler) http.HandlerFunc {
	return s.requireLogin(func(w http.ResponseWriter, r *http.Request) error {
		if u := currentUser(r); u == nil || u.Role != roleAdmin {
			return forbidden("only admins manage users")
		}
		return h(w, r)
	})
}

// IsAdmin: the user manages the users of their subtree.
func (p Page) IsAdmin() bool { return p.User != nil && p.User.Role == roleAdmin }

// userRow is a line of the user list.
type userRow struct {
	store.UserInfo
	Created string // dd/mm/yyyy, in Vietnam's time
	// Slowed: failed logins slow this user's logins down somewhere; an
	// admin may clear them (Unlock).
	Slowed bool
}

type usersData struct {
	Users []userRow
	Units []*domain.Unit // the upper units of the subtree, offered for the unit field
	Roles []string
	Form  *formState
	// Picker is the unit field of the form (unit_picker.go).
	Picker *unitPicker
}

// users answers GET /users: the users of the admin's subtree and the form
// that adds one.
func (s *Server) users(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	return s.renderUsers(w, r, http.StatusOK, newForm("users", map[string]string{"role": roleViewer, "unit_code": u.UnitCode}))
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, f *formState) error {
	u := currentUser(r)
	ctx := r.Context()
	list, err := s.Store.UsersUnder(ctx, u.UnitPath)
	if err != nil {
		return err
	}
	units, err := s.Store.UpperUnits(ctx, u.UnitPath)
	if err != nil {
		return err
	}
	d := &usersData{Units: units, Roles: store.Roles, Form: f}
	d.Picker = s.picker(r, u, "unit_code", "unit_code", "any", f.V("unit_code"))
	for _, x := range list {
		d.Users = append(d.Users, userRow{UserInfo: x, Created: x.CreatedAt.In(vietnam).Format("02/01/2006"), Slowed: s.limiter.slowed(x.Name)})
	}
	return s.render(w, r, status, "users", Page{Nav: "users", Data: d})
}

// userCreate answers POST /users: name, role, unit_code, password and
// password2. The unit must be in the admin's subtree; store.AddUser writes
// the user and its audit entry (actor: the admin) in one transaction.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	ctx := r.Context()
	// The passwords are read apart and never go back into the form.
	f := newForm("users", fromRequest(r, "name", "role", "unit_code"))
	pass, pass2 := r.PostFormValue("password"), r.PostFormValue("password2")
	// A unit typed by name (the picker) becomes its code.
	if _, err := s.resolvePicked(r, u, f, "unit_code", "any"); err != nil {
		return err
	}

	name := f.V("name")
	switch {
	case name == "":
		f.add("name", "required")
	case !validUserName(name):
		f.add("name", "users.name_invalid")
	default:
		taken, err := s.Store.UserExists(ctx, name)
		if err != nil {
			return err
		}
		if taken {
			f.add("name", "users.name_taken")
		}
	}
	if _, err := s.checkRoleAndUnit(r, u, f); err != nil {
		return err
	}
	checkNewPassword(f, name, pass, pass2)
	if f.Failed() {
		return s.renderUsers(w, r, http.StatusUnprocessableEntity, f)
	}
	if err := s.Store.AddUser(ctx, u.Name, name, pass, f.V("role"), f.V("unit_code")); err != nil {
		// Another admin may have taken the name meanwhile.
		if taken, err2 := s.Store.UserExists(ctx, name); err2 == nil && taken {
			f.add("name", "users.name_taken")
			return s.renderUsers(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	s.Log.Info("user added", "actor", u.Name, "user", name, "role", f.V("role"), "unit", f.V("unit_code"))
	redirectSaved(w, r, "/users", "user_added")
	return nil
}

// checkNewPassword checks a new password and its repetition into the
// fields password and password2 of f: store.PasswordProblem's rules.
func checkNewPassword(f *formState, name, pass, pass2 string) {
	switch {
	case pass == "":
		f.add("password", "required")
	default:
		if p := store.PasswordProblem(name, pass); p != "" {
			f.add("password", "users.password_"+p)
		}
	}
	if pass != "" && pass2 != pass {
		f.add("password2", "users.password_mismatch")
	}
}

// userUnlock answers POST /users/{name}/unlock: forgets the failed logins
// of a user of the admin's subtree, and of the addresses they came from,
// so that nobody waits any more.
func (s *Server) userUnlock(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	name := r.PathValue("name")
	list, err := s.Store.UsersUnder(r.Context(), u.UnitPath)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(list, func(x store.UserInfo) bool { return x.Name == name }) {
		return errText(http.StatusNotFound, "err.no_such_user_in_your_subtree")
	}
	if s.limiter.unlock(name) {
		if err := s.Store.Audit(r.Context(), store.AuditEntry{Actor: u.Name, Action: "user.unlock", UnitID: unitOf(list, name), Detail: name}); err != nil {
			s.Log.Error("audit an unlock", "err", err)
		}
	}
	s.Log.Info("user unlocked", "actor", u.Name, "user", name)
	redirectSaved(w, r, "/users", "user_unlocked")
	return nil
}

func unitOf(list []store.UserInfo, name string) int64 {
	for _, x := range list {
		if x.Name == name {
			return x.UnitID
		}
	}
	return 0
}

// validUserName: letters, digits and . _ - @, at most maxUserNameLen
// characters.
func validUserName(name string) bool {
	if utf8.RuneCountInString(name) > maxUserNameLen {
		return false
	}
	for _, c := range name {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("._-@", c) {
			return false
		}
	}
	return true
}

// checkRoleAndUnit checks the role and unit_code fields of a user form:
// a known role, and a unit of the actor's subtree (the unit returned).
// The error is one of reading the unit, not of the form.
func (s *Server) checkRoleAndUnit(r *http.Request, actor *store.User, f *formState) (*domain.Unit, error) {
	if !slices.Contains(store.Roles, f.V("role")) {
		f.add("role", "users.bad_role")
	}
	code := f.V("unit_code")
	if code == "" {
		f.add("unit_code", "required")
		return nil, nil
	}
	unit, err := s.scopedUnit(r, actor, code)
	switch {
	case err == nil:
	case errors.Is(err, domain.ErrNotFound):
		f.add("unit_code", "users.unknown_unit")
	case errors.Is(err, domain.ErrForbidden):
		f.add("unit_code", "users.unit_outside")
	default:
		return nil, err
	}
	return unit, nil
}
