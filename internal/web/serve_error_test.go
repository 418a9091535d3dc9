package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/web"
)

// TestSameStatusEverywhere: one error gets one status from the API and
// from the pages (internal/fault's table): a unit outside the plan's
// subtree is 422 naming the unit, an unknown plan 404, a unit outside
// the user's subtree 403.
func TestSameStatusEverywhere(t *testing.T) {
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		importRows(t, st, "plans", []string{"code", "name", "unit_code", "start", "end"},
			[][]string{{"CG-2022", "Kế hoạch quận Cầu Giấy 2022", "HN-CG", "2022-01-01", "2022-12-31"}})
		cases := []struct {
			user, query string
			want        int
			says        string
		}{
			{"admin", "plan=CG-2022&unit=HN-BD", http.StatusUnprocessableEntity, "HN-BD"},
			{"admin", "plan=NOPE&unit=HN", http.StatusNotFound, "NOPE"},
			{"lan", "plan=HN-2022&unit=HN-BD", http.StatusForbidden, "HN-BD"},
		}
		for _, c := range cases {
			for _, path := range []string{"/api/v1/report?" + c.query, "/?" + c.query, "/plans/" + planOf(c.query) + "?" + c.query} {
				code, body := f.get(path, c.user)
				if code != c.want || !strings.Contains(string(body), c.says) {
					t.Errorf("%s as %s: %d, want %d saying %q:\n%.300s", path, c.user, code, c.want, c.says, body)
				}
			}
		}
	})
}

// planOf is the plan= of a query.
func planOf(query string) string {
	p, _, _ := strings.Cut(strings.TrimPrefix(query, "plan="), "&")
	return p
}

// TestErrorHeaders: the adapter keeps the headers of its answers: the
// API's 401 asks for a token (WWW-Authenticate) in JSON, and the 429 of
// too many look-ups of members elsewhere says when to come back.
func TestErrorHeaders(t *testing.T) {
	f := newFixtureWith(t, storetest.Open(t, store.SQLite), func(s *web.Server) { s.LookupLimit = 1 })
	resp, err := http.Get(f.srv.URL + "/api/v1/units/HN")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !strings.Contains(string(body), `"error"`) {
		t.Errorf("no token: %d %q %s", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
	}
	// Đặng Thị Ánh is of BD-C, outside lan's subtree: the first answer
	// names nobody (403), the second is past the limit of one.
	member := map[string]string{"national_id": "001180000007", "full_name": "Đặng Thị Ánh", "date_of_birth": "1980-07-07",
		"gender": "female", "unit_code": "CG-A", "joined_on": "2022-03-01"}
	if code, body := f.postJSON("/api/v1/members", "lan", member); code != http.StatusForbidden {
		t.Fatalf("first look-up: %d %s", code, body)
	}
	b, _ := json.Marshal(member)
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/members", bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+f.tokens["lan"])
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "3600" || !strings.Contains(string(body), "try again in an hour") {
		t.Errorf("second look-up: %d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
}
