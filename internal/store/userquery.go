package store

import (
	"context"
	"time"
)

// UserInfo is a user as the user list shows it: the user, the name of
// their unit and when the account was made. Never the password hash.
type UserInfo struct {
	User
	UnitName  string
	CreatedAt time.Time
	// Disabled: the user may not log in (SetUserDisabled).
	Disabled bool
}

// UsersUnder returns the users whose unit is in the subtree at unitPath
// (the unit itself included), ordered by the unit's path and the name.
func (s *Store) UsersUnder(ctx context.Context, unitPath string) ([]UserInfo, error) {
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT us.id, us.name, us.role, un.id, un.code, un.path, un.name, us.created_at, us.disabled
		FROM users us JOIN units un ON un.id = us.unit_id
		WHERE un.path >= ? AND un.path < ? ORDER BY un.path, us.name`), unitPath, prefixEnd(unitPath))
	return collect(rows, err, func(u *UserInfo) error {
		// created_at is TIMESTAMPTZ on PostgreSQL and RFC 3339 text on
		// SQLite: timestamp scans both.
		var disabled int
		err := rows.Scan(&u.ID, &u.Name, &u.Role, &u.UnitID, &u.UnitCode, &u.UnitPath, &u.UnitName, (*timestamp)(&u.CreatedAt), &disabled)
		u.Disabled = disabled != 0
		return err
	})
}
