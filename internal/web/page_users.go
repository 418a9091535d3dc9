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

const (
	minPasswordLen = 8  // characters
	maxPasswordLen = 72 // bytes: what bcrypt reads
	maxUserNameLen = 64 // characters
)

// requireAdmin lets only admins through to h; managers and viewers get 403.
func (s *Server) requireAdmin(h http.HandlerFunc) http.HandlerFunc {
	return s.requireLogin(func(w http.ResponseWriter, r *http.Request) {
		if u := currentUser(r); u == nil || u.Role != roleAdmin {
			s.forbidden(w, r, "only admins manage users")
			return
		}
		h(w, r)
	})
}

// IsAdmin: the user manages the users of their subtree.
func (p Page) IsAdmin() bool { return p.User != nil && p.User.Role == roleAdmin }

// userRow is a line of the user list.
type userRow struct {
	store.UserInfo
	Created string // dd/mm/yyyy, in Vietnam's time
}

type usersData struct {
	Users []userRow
	Units []*domain.Unit // the upper units of the subtree, offered for the unit field
	Roles []string
	Form  *formState
}

// users answers GET /users: the users of the admin's subtree and the form
// that adds one.
func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	s.renderUsers(w, r, http.StatusOK, newForm("users", map[string]string{"role": roleViewer, "unit_code": u.UnitCode}))
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, f *formState) {
	u := currentUser(r)
	ctx := r.Context()
	list, err := s.Store.UsersUnder(ctx, u.UnitPath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.Store.UpperUnits(ctx, u.UnitPath)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &usersData{Units: units, Roles: store.Roles, Form: f}
	for _, x := range list {
		d.Users = append(d.Users, userRow{UserInfo: x, Created: x.CreatedAt.In(vietnam).Format("02/01/2006")})
	}
	s.render(w, r, status, "users", Page{Nav: "users", Data: d})
}

// userCreate answers POST /users: name, role, unit_code, password and
// password2. The unit must be in the admin's subtree; store.AddUser writes
// the user and its audit entry (actor: the admin) in one transaction.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	ctx := r.Context()
	// The passwords are read apart and never go back into the form.
	f := newForm("users", fromRequest(r, "name", "role", "unit_code"))
	pass, pass2 := r.PostFormValue("password"), r.PostFormValue("password2")

	name := f.V("name")
	switch {
	case name == "":
		f.add("name", "required")
	case !validUserName(name):
		f.add("name", "users.name_invalid")
	default:
		taken, err := s.Store.UserExists(ctx, name)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if taken {
			f.add("name", "users.name_taken")
		}
	}
	if !slices.Contains(store.Roles, f.V("role")) {
		f.add("role", "users.bad_role")
	}
	if code := f.V("unit_code"); code == "" {
		f.add("unit_code", "required")
	} else if _, err := s.scopedUnit(r, u, code); err != nil {
		switch {
		case errors.Is(err, domain.ErrNotFound):
			f.add("unit_code", "users.unknown_unit")
		case errors.Is(err, domain.ErrForbidden):
			f.add("unit_code", "users.unit_outside")
		default:
			s.fail(w, r, err)
			return
		}
	}
	switch {
	case pass == "":
		f.add("password", "required")
	case utf8.RuneCountInString(pass) < minPasswordLen:
		f.add("password", "users.password_short")
	case len(pass) > maxPasswordLen:
		f.add("password", "users.password_long")
	}
	if pass != "" && pass2 != pass {
		f.add("password2", "users.password_mismatch")
	}
	if f.Failed() {
		s.renderUsers(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err := s.Store.AddUser(ctx, u.Name, name, pass, f.V("role"), f.V("unit_code")); err != nil {
		// Another admin may have taken the name meanwhile.
		if taken, err2 := s.Store.UserExists(ctx, name); err2 == nil && taken {
			f.add("name", "users.name_taken")
			s.renderUsers(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.Log.Info("user added", "actor", u.Name, "user", name, "role", f.V("role"), "unit", f.V("unit_code"))
	redirectSaved(w, r, "/users", "user_added")
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
