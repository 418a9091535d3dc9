package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"congdoan/internal/storetest"
)

// The PostgreSQL server restarts while clients admit members without
// pause: every 201 is a member on record; every other answer is a 503
// with Retry-After, never a 500 nor the database's words; the API gets
// back on its own and writes go through again after the restart.
func TestPostgresRestartUnderLoad(t *testing.T) {
	t.Parallel()
	c := storetest.OwnCluster(t)
	st := storetest.OpenURL(t, c.URL())
	f := newFixture(t, st)

	type answer struct {
		nid    string
		status int
		retry  string
		body   string
		at     time.Time
	}
	var (
		mu      sync.Mutex
		answers []answer
		seq     atomic.Int64
		stop    atomic.Bool
		wg      sync.WaitGroup
	)
	client := &http.Client{Timeout: 30 * time.Second}
	admit := func() {
		defer wg.Done()
		for !stop.Load() {
			nid := fmt.Sprintf("001195%06d", 100000+seq.Add(1))
			b, _ := json.Marshal(newMember(nid, "Ngô Thị Hoa"))
			req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/members", bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+f.tokens["lan"])
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			a := answer{nid: nid, at: time.Now()}
			if err != nil {
				a.body = err.Error()
			} else {
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				a.status, a.retry, a.body = resp.StatusCode, resp.Header.Get("Retry-After"), string(body)
			}
			mu.Lock()
			answers = append(answers, a)
			mu.Unlock()
			if a.status != http.StatusCreated {
				time.Sleep(20 * time.Millisecond) // as a client would back off
			}
		}
	}
	const clients = 4
	wg.Add(clients)
	for range clients {
		go admit()
	}
	time.Sleep(time.Second)
	restartAt := time.Now()
	c.Stop()
	time.Sleep(time.Second)
	c.Start()
	upAt := time.Now()
	// Run on until several writes went through after the restart.
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := 0
		for _, a := range answers {
			if a.status == http.StatusCreated && a.at.After(upAt) {
				n++
			}
		}
		mu.Unlock()
		if n >= 20 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()

	counts := map[int]int{}
	var firstAfter time.Duration = -1
	for _, a := range answers {
		counts[a.status]++
		switch a.status {
		case http.StatusCreated:
			if _, err := st.Member(ctx, a.nid); err != nil {
				t.Errorf("%s answered 201 but is not on record: %v", a.nid, err)
			}
			if a.at.After(upAt) && firstAfter < 0 {
				firstAfter = a.at.Sub(upAt)
			}
		case http.StatusServiceUnavailable:
			if a.retry == "" {
				t.Errorf("503 without Retry-After: %s", a.body)
			}
		default:
			t.Errorf("%s: answered %d: %.300s", a.nid, a.status, a.body)
		}
		for _, w := range []string{"SQLSTATE", "pgx", "pgconn", "dial tcp", "terminating connection"} {
			if strings.Contains(a.body, w) {
				t.Errorf("%s: the answer shows the database's words %q: %.300s", a.nid, w, a.body)
			}
		}
	}
	t.Logf("%d requests from %d clients: %d answered 201, %d answered 503; server down for %v; first 201 %v after it was up",
		len(answers), clients, counts[201], counts[503], upAt.Sub(restartAt), firstAfter)
	if counts[503] == 0 {
		t.Errorf("no request met the restart (no 503): the test did not test it")
	}
	if firstAfter < 0 {
		t.Errorf("no write went through after the restart")
	}
	// The last answers are all 201: the API is back.
	tail := answers[max(0, len(answers)-10):]
	for _, a := range tail {
		if a.status != http.StatusCreated {
			t.Errorf("after the restart %s still answered %d: %.200s", a.nid, a.status, a.body)
		}
	}
}
