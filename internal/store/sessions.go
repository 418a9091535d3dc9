package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"congdoan/internal/domain"
)

// ErrBadLogin is a wrong user name or password; which of the two is not
// said.
var ErrBadLogin = errors.New("wrong user name or password")

const userCols = `us.id, us.name, us.role, un.id, un.code, un.path`
const userFrom = ` FROM users us JOIN units un ON un.id = us.unit_id`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*User, error) {
	u := &User{}
	err := sc.Scan(append([]any{&u.ID, &u.Name, &u.Role, &u.UnitID, &u.UnitCode, &u.UnitPath}, extra...)...)
	return u, err
}

// CheckPassword returns the user when name and password match, else
// ErrBadLogin.
func (s *Store) CheckPassword(ctx context.Context, name, password string) (*User, error) {
	var hash string
	u, err := scanUser(s.read.QueryRowContext(ctx, s.rebind(`SELECT `+userCols+`, us.password_hash`+userFrom+` WHERE us.name = ? AND us.disabled = 0`), name), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return nil, ErrBadLogin
	}
	if err != nil {
		return nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return nil, ErrBadLogin
	}
	return u, nil
}

// Session is a logged-in browser.
type Session struct {
	User *User
	// CSRF is the token every form of the session carries.
	CSRF    string
	Expires time.Time
}

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NewSession opens a session for a user, valid for ttl. It returns the
// session ID for the cookie (only its SHA-256 is stored) and the session.
// Expired sessions are cleared on the way.
func (s *Store) NewSession(ctx context.Context, user *User, ttl time.Duration) (string, *Session, error) {
	id, err := randomToken(32)
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomToken(32)
	if err != nil {
		return "", nil, err
	}
	now := time.Now().UTC()
	ses := &Session{User: user, CSRF: csrf, Expires: now.Add(ttl).Truncate(time.Second)}
	if _, err := s.write.ExecContext(ctx, s.rebind(`DELETE FROM sessions WHERE expires_at <= ?`), now.Unix()); err != nil {
		return "", nil, fmt.Errorf("clear expired sessions: %w", err)
	}
	_, err = s.write.ExecContext(ctx, s.rebind(`INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?,?,?,?,?)`),
		tokenHash(id), user.ID, csrf, now.Format(time.RFC3339), ses.Expires.Unix())
	if err != nil {
		return "", nil, fmt.Errorf("create session: %w", err)
	}
	return id, ses, nil
}

// Session returns the live session with that ID, or an error wrapping
// domain.ErrNotFound when it is unknown or expired.
func (s *Store) Session(ctx context.Context, id string) (*Session, error) {
	ses := &Session{}
	var exp int64
	u, err := scanUser(s.read.QueryRowContext(ctx, s.rebind(`SELECT `+userCols+`, se.csrf_token, se.expires_at FROM sessions se
		JOIN users us ON us.id = se.user_id JOIN units un ON un.id = us.unit_id WHERE se.id_hash = ? AND se.expires_at > ? AND us.disabled = 0`),
		tokenHash(id), time.Now().Unix()), &ses.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("session", "")
	}
	if err != nil {
		return nil, err
	}
	ses.User, ses.Expires = u, time.Unix(exp, 0).UTC()
	return ses, nil
}

// DeleteSession ends a session (logging out); an unknown ID is no error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	_, err := s.write.ExecContext(ctx, s.rebind(`DELETE FROM sessions WHERE id_hash = ?`), tokenHash(id))
	return err
}
