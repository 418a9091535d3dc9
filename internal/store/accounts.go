package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"congdoan/internal/domain"
)

// Password rules, for the command line and the web alike.
const (
	MinPasswordLen = 10 // characters
	MaxPasswordLen = 72 // bytes: what bcrypt reads
)

// The reasons PasswordProblem gives.
const (
	PasswordShort  = "short"
	PasswordLong   = "long"
	PasswordCommon = "common"
)

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords are passwords guessers try first, lower-cased.
var commonPasswords = func() map[string]bool {
	out := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out[strings.ToLower(line)] = true
		}
	}
	return out
}()

// PasswordProblem tells what is wrong with a new password for user name:
// "" when it may be used, else PasswordShort (fewer than MinPasswordLen
// characters), PasswordLong (more than MaxPasswordLen bytes) or
// PasswordCommon (on the embedded list of common passwords, the user name
// itself, or fewer than four different characters).
func PasswordProblem(name, password string) string {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return PasswordShort
	case len(password) > MaxPasswordLen:
		return PasswordLong
	}
	lower := strings.ToLower(password)
	distinct := map[rune]bool{}
	for _, c := range lower {
		distinct[c] = true
	}
	if commonPasswords[lower] || len(distinct) < 4 || (name != "" && strings.Contains(lower, strings.ToLower(name)) && len(name) >= len(lower)-4) {
		return PasswordCommon
	}
	return ""
}

// SetPassword changes a user's password and ends every other session of
// the user (all but keepSession, a session ID; "" ends them all), with an
// audit entry under actor, in one transaction.
func (s *Store) SetPassword(ctx context.Context, actor string, user *User, password, keepSession string) error {
	hash, err := hashPassword(password)
	if err != nil {
		return fmt.Errorf("hash the password: %w", err)
	}
	return s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), user.ID); err != nil {
			return fmt.Errorf("change the password of %s: %w", user.Name, err)
		}
		if _, err := tx.exec(`DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?`, user.ID, tokenHash(keepSession)); err != nil {
			return fmt.Errorf("end the other sessions of %s: %w", user.Name, err)
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "user.password", UnitID: user.UnitID, Detail: user.Name})
	})
}

// LoginFailed records a failed login in the audit log: actor is the name
// tried (cut short by the caller), filed under the unit of that user if
// there is one, with the client's address as detail.
func (s *Store) LoginFailed(ctx context.Context, name, addr string) error {
	var unitID int64
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT unit_id FROM users WHERE name = ?`), name).Scan(&unitID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return s.Audit(ctx, AuditEntry{Actor: name, Action: "session.login_failed", UnitID: unitID, Detail: addr})
}

// TokenInfo describes an API token, never the token itself: its ID is the
// start of the token's SHA-256.
type TokenInfo struct {
	ID      string
	Name    string
	Created time.Time
	Expires time.Time // zero: never (tokens made before expiry existed)
	Revoked time.Time // zero: not revoked
}

// Live reports whether the token is accepted at t.
func (ti TokenInfo) Live(t time.Time) bool {
	return ti.Revoked.IsZero() && (ti.Expires.IsZero() || t.Before(ti.Expires))
}

const tokenIDLen = 12

// TokenOptions are a new token's name and expiry (zero: never).
type TokenOptions struct {
	Name    string
	Expires time.Time
}

// NewTokenFor makes a new API token for a user, with a name and an expiry.
// Only its SHA-256 is stored; the audit log records that a token was made,
// not the token; the token itself is returned once.
func (s *Store) NewTokenFor(ctx context.Context, actor, name string, opt TokenOptions) (string, TokenInfo, error) {
	var id, unitID int64
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT id, unit_id FROM users WHERE name = ?`), name).Scan(&id, &unitID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", TokenInfo{}, domain.NotFound("user", name)
	}
	if err != nil {
		return "", TokenInfo{}, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", TokenInfo{}, err
	}
	token := "cd_" + hex.EncodeToString(b)
	now := time.Now().UTC()
	info := TokenInfo{ID: tokenHash(token)[:tokenIDLen], Name: opt.Name, Created: now.Truncate(time.Second)}
	var expires any
	if !opt.Expires.IsZero() {
		info.Expires = opt.Expires.UTC().Truncate(time.Second)
		expires = info.Expires.Unix()
	}
	err = s.Write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(`INSERT INTO tokens (hash, user_id, created_at, name, expires_at) VALUES (?,?,?,?,?)`,
			tokenHash(token), id, now.Format(time.RFC3339), opt.Name, expires); err != nil {
			return err
		}
		detail := name + " " + info.ID
		if opt.Name != "" {
			detail += " (" + opt.Name + ")"
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "user.token", UnitID: unitID, Detail: detail})
	})
	return token, info, err
}

// Tokens lists a user's API tokens, newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]TokenInfo, error) {
	rows, err := s.read.QueryContext(ctx, s.rebind(`SELECT hash, name, created_at, COALESCE(expires_at, 0), COALESCE(revoked_at, 0)
		FROM tokens WHERE user_id = ? ORDER BY created_at DESC, hash`), userID)
	return collect(rows, err, func(ti *TokenInfo) error {
		var hash string
		var exp, rev int64
		if err := rows.Scan(&hash, &ti.Name, (*timestamp)(&ti.Created), &exp, &rev); err != nil {
			return err
		}
		ti.ID = hash[:min(len(hash), tokenIDLen)]
		if exp != 0 {
			ti.Expires = time.Unix(exp, 0).UTC()
		}
		if rev != 0 {
			ti.Revoked = time.Unix(rev, 0).UTC()
		}
		return nil
	})
}

// RevokeTokens revokes the live API tokens of the user name: the one whose
// ID is tokenID, or all of them when tokenID is "". It returns how many it
// revoked (none is an error wrapping domain.ErrNotFound), with an audit
// entry under actor.
func (s *Store) RevokeTokens(ctx context.Context, actor, name, tokenID string) (int, error) {
	var id, unitID int64
	err := s.read.QueryRowContext(ctx, s.rebind(`SELECT id, unit_id FROM users WHERE name = ?`), name).Scan(&id, &unitID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.NotFound("user", name)
	}
	if err != nil {
		return 0, err
	}
	now := time.Now().Unix()
	var n int64
	err = s.Write(ctx, func(tx *Tx) error {
		q, args := `UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, []any{now, id}
		if tokenID != "" {
			if len(tokenID) != tokenIDLen {
				return nil
			}
			q, args = q+` AND substr(hash, 1, ?) = ?`, append(args, tokenIDLen, strings.ToLower(tokenID))
		}
		res, err := tx.exec(q, args...)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		detail := fmt.Sprintf("%s: %d", name, n)
		if tokenID != "" {
			detail = name + " " + tokenID
		}
		return tx.Audit(AuditEntry{Actor: actor, Action: "user.revoke", UnitID: unitID, Detail: detail})
	})
	if err == nil && n == 0 {
		return 0, domain.NotFound("token", tokenID)
	}
	return int(n), err
}

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
