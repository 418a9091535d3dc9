package web

import (
	"fmt"
	"strings"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
	"congdoan/internal/store"
)

// The roles.
const (
	roleAdmin   = "admin"
	roleManager = "manager"
	roleViewer  = "viewer"
)

// inScope reports whether a unit is the user's unit or below it: the only
// units the user may see (and, by canWrite, change).
func (s *Server) inScope(u *store.User, unit *domain.Unit) bool {
	return u != nil && unit != nil && u.UnitPath != "" && strings.HasPrefix(unit.Path, u.UnitPath)
}

// canWrite reports whether the user's role may change records (of their
// subtree): admins and managers; viewers only read.
func (s *Server) canWrite(u *store.User) bool {
	return u != nil && (u.Role == roleAdmin || u.Role == roleManager)
}

// isRootAdmin: an admin of a unit with no parent sees everything,
// including what concerns no unit.
func isRootAdmin(u *store.User) bool {
	return u.Role == roleAdmin && strings.Count(u.UnitPath, "/") == 2
}

// forbiddenError is a refusal whose text may be shown to the user, in
// their language (a message of the msg catalogs). Error() is the English
// text, which the API answers.
type forbiddenError struct{ text msg.Text }

func (e *forbiddenError) Error() string  { return e.text.In(msg.EN) }
func (e *forbiddenError) Text() msg.Text { return e.text }
func (e *forbiddenError) Unwrap() error  { return domain.ErrForbidden }

// refuse is a refusal saying a message of the msg catalogs: the key and
// its arguments.
func refuse(key string, args ...any) error {
	return &forbiddenError{msg.New(key, args...)}
}

// forbidden is a refusal in English words only (for the API): a page
// shows it in English, and in Vietnamese as the general refusal
// (serveError). Prefer refuse, which every language reads.
func forbidden(format string, args ...any) error {
	return &forbiddenError{msg.Raw(fmt.Sprintf(format, args...))}
}

// outside is the refusal of a unit outside the user's subtree.
func outside(u *store.User, unit *domain.Unit) error {
	return refuse("scope.outside", unit.Code, u.UnitCode)
}

// importAllow is the importer's Allow hook for a user: every unit a row
// touches must be in the user's subtree (today's tree); nobody creates a
// root from the web; and a manager changes the structure (units, moves,
// plans, targets, campaigns) only strictly below their own unit, which
// their upper level owns, while members, transfers and enterprises may be
// of their own unit. A manager moves units only within their subtree: the
// moved unit strictly below their unit, the new parent their unit or below.
func (s *Server) importAllow(u *store.User) func(kind, column string, unit *domain.Unit) error {
	return func(kind, column string, unit *domain.Unit) error {
		if unit == nil {
			return msg.Errorf("scope.root")
		}
		if !s.inScope(u, unit) {
			return msg.Errorf("scope.outside", unit.Code, u.UnitCode)
		}
		if u.Role == roleAdmin {
			return nil
		}
		switch kind {
		case "units", "moves", "plans", "targets", "campaigns":
			// A new or moved unit may hang right under the manager's unit,
			// and a union may be linked to an enterprise of that unit
			// (column enterprise_tax_code: the enterprise's unit).
			if (kind == "units" && (column == "parent_code" || column == "enterprise_tax_code")) || (kind == "moves" && column == "new_parent_code") {
				return nil
			}
			if unit.Path == u.UnitPath {
				return msg.Errorf("scope.own_unit", unit.Code)
			}
		}
		return nil
	}
}

// maskID hides all but the last three characters of a national ID, for
// viewers: "001090012345" -> "*********345". (With four, the birth year
// and gender shown beside it left about a hundred candidates.)
func maskID(id string) string {
	r := []rune(id)
	if len(r) <= 3 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", len(r)-3) + string(r[len(r)-3:])
}
