package main

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// user add refuses short and common passwords.
func TestUserAddPasswordPolicy(t *testing.T) {
	db := smallDB(t)
	for pass, want := range map[string]string{
		"aaaaaaaa":     "ít nhất 10 ký tự",
		"aaaaaaaaaa":   "quá phổ biến",
		"1234567890":   "quá phổ biến",
		"matkhau123":   "quá phổ biến",
		"Congdoan@123": "quá phổ biến",
	} {
		if code, _, errs := cli(t, db, pass+"\n", "user", "add", "lan", "--role", "manager", "--unit", "HN-CG"); code != 1 || !strings.Contains(errs, want) {
			t.Errorf("%q: exit %d %s", pass, code, errs)
		}
	}
	if code, out, errs := cli(t, db, "Hồ Tây mùa thu 2022\n", "user", "add", "lan", "--role", "manager", "--unit", "HN-CG"); code != 0 {
		t.Errorf("a good password: %s %s", out, errs)
	}
}

var tokenIDLine = regexp.MustCompile(`token ([0-9a-f]{12}) `)

// user token --expires --name makes a named token that expires; user
// revoke ends one token or all of them.
func TestUserTokenExpiryAndRevoke(t *testing.T) {
	db := smallDB(t)
	if code, out, errs := cli(t, db, "Hồ Tây mùa thu 2022\n", "user", "add", "lan", "--role", "manager", "--unit", "HN-CG"); code != 0 {
		t.Fatalf("user add: %s %s", out, errs)
	}
	if code, _, errs := cli(t, db, "", "user", "token", "lan", "--expires", "soon"); code != 1 || !strings.Contains(errs, "--expires") {
		t.Errorf("bad --expires: %d %s", code, errs)
	}
	code, out1, errs1 := cli(t, db, "", "user", "token", "lan", "--expires", "90d", "--name", "báo cáo")
	if code != 0 || !strings.HasPrefix(out1, "cd_") {
		t.Fatalf("token: %d %s %s", code, out1, errs1)
	}
	m := tokenIDLine.FindStringSubmatch(errs1)
	if m == nil {
		t.Fatalf("no token ID on stderr: %s", errs1)
	}
	_, out2, _ := cli(t, db, "", "user", "token", "lan", "--expires", "12h")
	tok1, tok2 := strings.TrimSpace(out1), strings.TrimSpace(out2)

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByToken(ctx, tok1)
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.Tokens(ctx, u.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("tokens: %+v %v", list, err)
	}
	for _, ti := range list {
		want := 12 * time.Hour
		if ti.ID == m[1] {
			want = 90 * 24 * time.Hour
			if ti.Name != "báo cáo" {
				t.Errorf("name %q", ti.Name)
			}
		}
		if d := time.Until(ti.Expires); d > want || d < want-time.Minute {
			t.Errorf("token %s expires in %v, want %v", ti.ID, d, want)
		}
	}
	st.Close()

	if code, out, errs := cli(t, db, "", "user", "revoke", "lan", "--token-id", m[1]); code != 0 || !strings.Contains(out, "1") {
		t.Errorf("revoke one: %d %s %s", code, out, errs)
	}
	if code, _, errs := cli(t, db, "", "user", "revoke", "lan", "--token-id", m[1]); code != 1 || !strings.Contains(errs, m[1]) {
		t.Errorf("revoke it again: %d %s", code, errs)
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.UserByToken(ctx, tok1); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the revoked token: %v", err)
	}
	if _, err := st.UserByToken(ctx, tok2); err != nil {
		t.Errorf("the other token: %v", err)
	}
	st.Close()
	if code, out, errs := cli(t, db, "", "user", "revoke", "lan"); code != 0 || !strings.Contains(out, "1") {
		t.Errorf("revoke all: %d %s %s", code, out, errs)
	}
	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.UserByToken(ctx, tok2); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the token after revoking all: %v", err)
	}
	if code, _, _ := cli(t, db, "", "user", "revoke", "nobody"); code != 1 {
		t.Errorf("an unknown user: %d", code)
	}
}
