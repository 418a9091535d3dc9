package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// The account page: a logged-in user changes their password (which ends
// their other sessions) and makes, lists and revokes their API tokens.
// Only with a session: an API token does not manage accounts.

// tokenDays are the lifetimes a new token may have, in days.
var tokenDays = []int{30, 90, 180, 365}

const maxTokenNameLen = 64 // characters

type tokenRow struct {
	store.TokenInfo
	Created, Expires string // dd/mm/yyyy
	Status           string // live, expired, revoked
}

type accountData struct {
	Tokens   []tokenRow
	Days     []int
	Password *formState
	Token    *formState
	// NewToken is the token just made, shown once.
	NewToken string
}

// sessionUser is the user of a request made with a session, or a 403
// (an API token).
func (s *Server) sessionUser(r *http.Request) (*store.User, error) {
	if authOf(r).session == nil {
		return nil, forbidden("the account is managed from a logged-in browser, not with an API token")
	}
	return currentUser(r), nil
}

// account answers GET /account.
func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.sessionUser(r); err != nil {
		return err
	}
	return s.renderAccount(w, r, http.StatusOK, &accountData{})
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, d *accountData) error {
	u := currentUser(r)
	if d.Password == nil {
		d.Password = newForm("account", nil)
	}
	if d.Token == nil {
		d.Token = newForm("account", map[string]string{"days": "90"})
	}
	d.Days = tokenDays
	list, err := s.Store.Tokens(r.Context(), u.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, t := range list {
		row := tokenRow{TokenInfo: t, Created: t.Created.In(vietnam).Format("02/01/2006"), Status: "live"}
		if !t.Expires.IsZero() {
			row.Expires = t.Expires.In(vietnam).Format("02/01/2006")
		}
		switch {
		case !t.Revoked.IsZero():
			row.Status = "revoked"
		case !t.Live(now):
			row.Status = "expired"
		}
		d.Tokens = append(d.Tokens, row)
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, "account", Page{Nav: "account", Data: d})
}

// accountPassword answers POST /account/password: current, password,
// password2. The other sessions of the user end; this one stays.
func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) error {
	u, err := s.sessionUser(r)
	if err != nil {
		return err
	}
	f := newForm("account", nil)
	current, pass, pass2 := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("password2")
	ip := s.clientIP(r)
	if current == "" {
		f.add("current", "required")
	} else if wait := s.limiter.wait(ip, u.Name); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		return errText(http.StatusTooManyRequests, "err.too_many_wrong_passwords_try_again_later")
	} else if _, err := s.Store.CheckPassword(r.Context(), u.Name, current); errors.Is(err, store.ErrBadLogin) {
		s.limiter.fail(ip, u.Name)
		f.add("current", "account.wrong_password")
	} else if err != nil {
		return err
	}
	checkNewPassword(f, u.Name, pass, pass2)
	if f.Failed() {
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, &accountData{Password: f})
	}
	if err := s.Store.SetPassword(r.Context(), u.Name, u, pass, authOf(r).sid); err != nil {
		return err
	}
	s.Log.Info("password changed", "user", u.Name)
	redirectSaved(w, r, "/account", "password_changed")
	return nil
}

// accountTokenCreate answers POST /account/tokens: name and days. The
// token is shown once, on the answer.
func (s *Server) accountTokenCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := s.sessionUser(r)
	if err != nil {
		return err
	}
	f := newForm("account", fromRequest(r, "name", "days"))
	name := f.V("name")
	switch {
	case name == "":
		f.add("name", "required")
	case utf8.RuneCountInString(name) > maxTokenNameLen || strings.ContainsFunc(name, func(c rune) bool { return c < ' ' || c == 0x7f }):
		f.add("name", "account.token_name_invalid")
	}
	days, err := strconv.Atoi(f.V("days"))
	if err != nil || !slices.Contains(tokenDays, days) {
		f.add("days", "account.bad_days")
	}
	if f.Failed() {
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, &accountData{Token: f})
	}
	token, _, err := s.Store.NewTokenFor(r.Context(), u.Name, u.Name, store.TokenOptions{Name: name, Expires: time.Now().AddDate(0, 0, days)})
	if err != nil {
		return err
	}
	return s.renderAccount(w, r, http.StatusOK, &accountData{NewToken: token})
}

// accountTokenRevoke answers POST /account/tokens/{id}/revoke.
func (s *Server) accountTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	u, err := s.sessionUser(r)
	if err != nil {
		return err
	}
	_, err = s.Store.RevokeTokens(r.Context(), u.Name, u.Name, r.PathValue("id"))
	if errors.Is(err, domain.ErrNotFound) {
		return errText(http.StatusNotFound, "err.no_such_live_token")
	}
	if err != nil {
		return err
	}
	redirectSaved(w, r, "/account", "token_revoked")
	return nil
}
