package web_test

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// eachFixture runs body on each engine with the fixture setup builds
// there. Every setup starts with newFixture, so the store holds testdata/
// already (storetest.EachFilled): on SQLite a copy of a file the import
// made once, where importing the four files for each test took about a
// tenth of this package's time.
func eachFixture[F any](t *testing.T, setup func(*testing.T, *store.Store) F, body func(t *testing.T, st *store.Store, f F)) {
	t.Helper()
	storetest.EachFilled(t, "web-testdata", importTestdata, func(t *testing.T, st *store.Store) {
		holdsTestdata.Store(st, true)
		t.Cleanup(func() { holdsTestdata.Delete(st) })
		body(t, st, setup(t, st))
	})
}

// okPage is the body of the page at path; anything but 200 ends the test.
func (b *browser) okPage(path string) string {
	b.f.t.Helper()
	return b.getWant(path, http.StatusOK)
}

// getWant is the body of the page at path; any status but want ends the
// test.
func (b *browser) getWant(path string, want int) string {
	b.f.t.Helper()
	resp, body := b.get(path)
	if resp.StatusCode != want {
		b.f.t.Fatalf("GET %s: %d, want %d: %.600s", path, resp.StatusCode, want, body)
	}
	return body
}

// mustLack checks that page holds none of bad.
func mustLack(t *testing.T, what, page string, bad ...string) {
	t.Helper()
	for _, s := range bad {
		if strings.Contains(page, s) {
			t.Errorf("%s has %q", what, s)
		}
	}
}

// addUser adds a user with the fixture's password and an API token.
func (f *fixture) addUser(name, role, unit string) {
	f.t.Helper()
	if err := f.st.AddUser(ctx, "test", name, password, role, unit); err != nil {
		f.t.Fatal(err)
	}
	tok, err := f.st.NewToken(ctx, "test", name)
	if err != nil {
		f.t.Fatal(err)
	}
	f.tokens[name] = tok
}

// joinURL is the join link of the unit or enterprise at the API path,
// read as lan.
func (f *fixture) joinURL(path string) string {
	f.t.Helper()
	_, body := f.get(path, "lan")
	return decode[struct {
		JoinURL string `json:"join_url"`
	}](f.t, body).JoinURL
}

// joinTarget is what the join link of the API path admits to.
func (f *fixture) joinTarget(path string) *store.JoinTarget {
	f.t.Helper()
	link := f.joinURL(path)
	target, err := f.st.JoinTargetOf(ctx, link[strings.LastIndex(link, "/")+1:])
	if err != nil {
		f.t.Fatal(err)
	}
	return target
}

// see checks that a response has the status wanted, ending the test with
// the page if not.
func see(t *testing.T, resp *http.Response, body string, want int, where string) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s: %d, want %d: %.600s", where, resp.StatusCode, want, body)
	}
}

// seeRedirect checks that a response is a redirect (303) to location.
func seeRedirect(t *testing.T, resp *http.Response, body, location, where string) {
	t.Helper()
	see(t, resp, body, http.StatusSeeOther, where)
	if loc := resp.Header.Get("Location"); loc != location {
		t.Errorf("%s: redirect to %q, want %q", where, loc, location)
	}
}

// withField is a copy of form with the field k set to v.
func withField(form url.Values, k string, v ...string) url.Values {
	out := maps.Clone(form)
	out[k] = v
	return out
}
