package web_test

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/web"
)

// metricValue finds the value of a sample line of the exposition text:
// name{labels} value, the labels given in the order the library writes
// them (sorted).
func metricValue(body, name, labels string) (string, bool) {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name+labels) + ` (\S+)$`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return m[1], true
}

func scrape(t *testing.T, f *fixture, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+"/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// /metrics counts requests by route pattern and status, times them, and
// reports imports, the connection pools and the Go runtime; with a token
// set it asks for it.
func TestMetrics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := newFixtureWith(t, st, func(s *web.Server) { s.MetricsToken = "scrape-secret" })
		for range 3 {
			if status, _ := f.get("/api/v1/report?plan=HN-2022&as_of=2022-06-30", "admin"); status != 200 {
				t.Fatalf("report: %d", status)
			}
		}
		f.get("/api/v1/units/NOPE", "admin")
		f.get("/api/v1/units/HN-CG", "")
		if status, _ := f.upload("members", "lan", "m.csv", "national_id,full_name,date_of_birth,gender,unit_code,joined_on\n001195000701,Ngô Thị Hoa,1995-06-01,female,CG-A,2022-06-01\n"); status != 200 {
			t.Fatalf("import: %d", status)
		}
		f.upload("members", "lan", "bad.csv", "national_id,full_name,date_of_birth,gender,unit_code,joined_on\nabc,,1995-06-01,female,CG-A,2022-06-01\n")

		if status, _ := scrape(t, f, ""); status != 401 {
			t.Errorf("/metrics without the token: %d", status)
		}
		status, body := scrape(t, f, "scrape-secret")
		if status != 200 {
			t.Fatalf("/metrics: %d", status)
		}
		want := []struct{ name, labels, value string }{
			{"congdoan_http_requests_total", `{route="GET /api/v1/report",status="200"}`, "3"},
			{"congdoan_http_requests_total", `{route="GET /api/v1/units/{code}",status="404"}`, "1"},
			{"congdoan_http_requests_total", `{route="GET /api/v1/units/{code}",status="401"}`, "1"},
			{"congdoan_http_request_duration_seconds_count", `{route="GET /api/v1/report",status="200"}`, "3"},
			{"congdoan_db_connections_max_open", `{pool="write"}`, ""},
			{"congdoan_import_rows_total", `{kind="members"}`, ""},
			{"congdoan_import_errors_total", `{kind="members"}`, ""},
			{"go_goroutines", "", ""},
		}
		for _, w := range want {
			v, ok := metricValue(body, w.name, w.labels)
			if !ok || (w.value != "" && v != w.value) {
				t.Errorf("%s%s = %q (want %q)", w.name, w.labels, v, w.value)
			}
		}
		if t.Failed() {
			t.Logf("metrics:\n%s", body)
		}
		// A route with a path value counts under its pattern, never under
		// the value.
		if strings.Contains(body, "HN-CG") || strings.Contains(body, "NOPE") {
			t.Error("a path value is a label")
		}
	})
}

// The access log gives the route, the status and the time, and never a
// query string's values, a token, a password or a national ID.
func TestAccessLogRedaction(t *testing.T) {
	f := newFixtureWith(t, storetest.Open(t, store.SQLite), func(s *web.Server) { s.AccessLog = s.Log })
	secretQuery := "/api/v1/members?unit=HN&q=001090000001&token=cd_leaked"
	if status, _ := f.get(secretQuery, "admin"); status != 200 {
		t.Fatalf("members: %d", status)
	}
	f.get("/members/001090000001", "admin")
	b := f.browser()
	b.login("lan", password)
	logs := f.logs.String()
	for _, secret := range []string{"001090000001", "cd_leaked", password, f.tokens["admin"], "Bearer"} {
		if strings.Contains(logs, secret) {
			t.Errorf("%q is in the log:\n%s", secret, logs)
		}
	}
	for _, want := range []string{`route="GET /api/v1/members"`, "status=200", `query="unit=[redacted]&q=[redacted]&token=[redacted]"`, `path=/members/[redacted]`, `route="POST /login"`, "ms="} {
		if !strings.Contains(logs, want) {
			t.Errorf("no %s in the access log:\n%s", want, logs)
		}
	}
	if got := web.RedactQuery("a=1&b&=x&c%3D=2"); got != "a=[redacted]&b=[redacted]&=[redacted]&c%3D=[redacted]" {
		t.Errorf("RedactQuery: %q", got)
	}
}

// With a real streaming replica the API reads from it, a user reads their
// own write at once (from the primary), /healthz and /metrics tell the
// replica's state, and killing the replica leaves the API answering.
func TestReplicaThroughTheAPI(t *testing.T) {
	rc := storetest.Replica(t)
	url := storetest.URL(t, store.Postgres)
	st, err := store.OpenWith(ctx, url, store.Options{Replicas: []string{rc.URL(url)}, MaxLag: 5 * time.Second, CheckEvery: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newFixture(t, st)
	replica := storetest.RawPG(t, rc.URL(url))
	waitUntil := func(d time.Duration, what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(d); !cond(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("after %s: %s (replicas %+v)", d, what, st.Replicas())
			}
		}
	}
	// The fixture written on the primary shows on the replica.
	waitUntil(60*time.Second, "the fixture's users are not on the replica", func() bool {
		var n int
		return st.Replicas()[0].Up && replica.QueryRow(`SELECT COUNT(*) FROM users`).Scan(&n) == nil && n == len(users)
	})
	health := func() (int, string) {
		resp, err := http.Get(f.srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := health(); status != 200 || !strings.Contains(body, "replica 127.0.0.1") || !strings.Contains(body, ": ok (lag") {
		t.Errorf("healthz with the replica up: %d %q", status, body)
	}
	if _, body := scrape(t, f, ""); !strings.Contains(body, "congdoan_db_replica_up{replica=") || !strings.Contains(body, "congdoan_db_replica_lag_seconds{replica=") {
		t.Errorf("no replica metrics")
	}

	// Replay paused: lan's new member shows to lan at once (read your
	// writes), not yet to xem, who reads the stale replica.
	if _, err := replica.Exec(`SELECT pg_wal_replay_pause()`); err != nil {
		t.Fatal(err)
	}
	if status, out := f.postJSON("/api/v1/members", "lan", map[string]any{"national_id": "001195000601", "full_name": "Phùng Thị Thanh Xuân", "date_of_birth": "1995-06-01",
		"gender": "female", "unit_code": "CG-A", "joined_on": "2022-06-01"}); status != 201 {
		t.Fatalf("add member: %d %s", status, out)
	}
	count := func(user string) string {
		status, b := f.get("/api/v1/members?unit=CG-A&q=xuan", user)
		if status != 200 {
			t.Fatalf("members as %s: %d %s", user, status, b)
		}
		return string(b)
	}
	// (Viewers see national IDs masked: look for the name.)
	if !strings.Contains(count("lan"), "Phùng Thị Thanh Xuân") {
		t.Error("lan does not see her own write")
	}
	if st.Replicas()[0].Up && strings.Contains(count("xem"), "Phùng Thị Thanh Xuân") {
		t.Error("xem sees the write on a paused replica: reads do not go to the replica")
	}
	if _, err := replica.Exec(`SELECT pg_wal_replay_resume()`); err != nil {
		t.Fatal(err)
	}
	waitUntil(60*time.Second, "the replica does not catch up", func() bool { return st.Replicas()[0].Up && strings.Contains(count("xem"), "Phùng Thị Thanh Xuân") })

	// Killed mid-test: every request still answers.
	replica.Close()
	rc.Kill()
	for i := range 20 {
		for _, path := range []string{"/api/v1/report?plan=HN-2022&as_of=2022-06-30", "/api/v1/members?unit=HN", "/api/v1/units/HN-CG"} {
			if status, b := f.get(path, "admin"); status != 200 {
				t.Fatalf("request %d %s after the replica died: %d %s", i, path, status, b)
			}
		}
	}
	waitUntil(10*time.Second, "the dead replica stays in service", func() bool { return !st.Replicas()[0].Up })
	if status, body := health(); status != 200 || !strings.Contains(body, "unavailable, reads go to the primary") {
		t.Errorf("healthz with the replica down: %d %q", status, body)
	}
	if _, body := scrape(t, f, ""); !regexp.MustCompile(`congdoan_db_replica_up\{replica="[^"]+"\} 0`).MatchString(body) {
		t.Errorf("replica_up is not 0 with the replica down")
	}
}
