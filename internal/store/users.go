package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"congdoan/internal/domain"
)

// Roles of a user, each bound to a unit's subtree. A collaborator sees
// and works only the enterprises of the organising pipeline assigned to it.
var Roles = []string{"admin", "manager", "viewer", "collaborator"}

// User is a person who logs in.
type User struct {
	ID       int64
	Name     string
	Role     string
	UnitID   int64
	UnitCode string
	UnitPath string
}

// AddUser creates a user with a bcrypt-hashed password, and records it in
// the audit log under actor (never the password).
func (s *Store) AddUser(ctx context.Context, actor, name, password, role, unitCode string) error {
	u, err := s.Unit(ctx, unitCode)
	if err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return fmt.Errorf("hash the password: %w", err)
	}
	return s.Write(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO users (name, password_hash, role, unit_id, created_at) VALUES (?,?,?,?,?)`,
			name, string(hash), role, u.ID, time.Now().UTC().Format(time.RFC3339))
		if err != nil {
			return fmt.Errorf("create user %s: %w", name, err)
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "user.add", UnitID: u.ID, Detail: name + " (" + role + ")"})
	})
}

// UserExists reports whether a user name is taken.
func (s *Store) UserExists(ctx context.Context, name string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM users WHERE name = ?`), name).Scan(&n)
	return n > 0, err
}

// NewToken makes a new API token for a user, unnamed and without expiry
// (see NewTokenFor).
func (s *Store) NewToken(ctx context.Context, actor, name string) (string, error) {
	token, _, err := s.NewTokenFor(ctx, actor, name, TokenOptions{})
	return token, err
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// UserByToken returns the user holding an API token that is neither
// revoked nor expired.
func (s *Store) UserByToken(ctx context.Context, token string) (*User, error) {
	u := &User{}
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT us.id, us.name, us.role, un.id, un.code, un.path FROM tokens t
		JOIN users us ON us.id = t.user_id JOIN units un ON un.id = us.unit_id
		WHERE t.hash = ? AND t.revoked_at IS NULL AND us.disabled = 0 AND (t.expires_at IS NULL OR t.expires_at > ?)`), tokenHash(token), time.Now().Unix()).
		Scan(&u.ID, &u.Name, &u.Role, &u.UnitID, &u.UnitCode, &u.UnitPath)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("token", "")
	}
	return u, err
}
