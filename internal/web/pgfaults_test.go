package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"congdoan/internal/importer"
	"congdoan/internal/store"
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

// The disk of a PostgreSQL database fills up (its tablespace, see
// storetest.FullDatabase for why there): an admission through the store
// fails with store.ErrDiskFull and writes nothing; the server goes on
// answering reads, and its writes answer 507 with the clear message in
// the page's language, never PostgreSQL's words, and leave nothing
// behind: no member, no audit entry, no stage table. Once space is freed,
// writes go on.
func TestFullDiskPostgres(t *testing.T) {
	t.Parallel()
	c := storetest.OwnCluster(t)
	url, dir := c.FullDatabase(48 << 20)
	st, raw := storetest.OpenURL(t, url), storetest.RawPG(t, url)
	f := newFixture(t, st)
	lan := f.loggedIn("lan")
	free := storetest.Fill(t, dir)

	// The file system is full, but the tables' last pages still have
	// room: admit members, as the API does, until one needs a new page.
	// Every later write that needs one fails in turn; the IDs of the
	// writes below sort after these, so that they land on the same last
	// pages of the indexes.
	filled := func(i int) string { return fmt.Sprintf("0011951%05d", i) }
	im := &importer.Importer{Store: st, Actor: "lan", Action: "member.save"}
	header := []string{"national_id", "full_name", "date_of_birth", "gender", "unit_code", "joined_on"}
	n := 0
	var err error
	for ; n < 5000; n++ {
		_, err = im.Rows(ctx, "members", "request", header, [][]string{{filled(n), "Ngô Thị Hoa", "1995-06-01", "female", "CG-A", "2022-06-01"}})
		if err != nil {
			break
		}
	}
	if !errors.Is(err, store.ErrDiskFull) || !store.DiskFull(err) {
		t.Fatalf("admission %d on a full disk: %v", n, err)
	}
	if _, err := st.Member(ctx, filled(n)); err == nil {
		t.Errorf("the admission that failed wrote member %s", filled(n))
	}
	var df *store.DiskFullError
	if errors.As(err, &df) {
		t.Logf("%d admissions filled the last pages; then: %v", n, df.Err)
	}

	// What a write must leave as it was.
	state := func() (out [3]int) {
		t.Helper()
		for i, q := range []string{
			`SELECT count(*) FROM members`,
			`SELECT count(*) FROM audit_log`,
			// A stage's tables, of any session.
			`SELECT count(*) FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'`,
		} {
			if err := raw.QueryRow(q).Scan(&out[i]); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		return out
	}
	before := state()
	fullDiskReads(t, f, lan)
	nid := func(i int) string { return fmt.Sprintf("0011959%05d", i) }
	fullDiskWrites(t, f, lan, nid, func(what string) {
		t.Helper()
		if now := state(); now != before {
			t.Errorf("%s left members, audit entries, stage tables: %v, before %v", what, now, before)
		}
	})

	free()
	fullDiskFreed(t, f, nid)
	if _, err := im.Rows(ctx, "members", "request", header, [][]string{{filled(n), "Ngô Thị Hoa", "1995-06-01", "female", "CG-A", "2022-06-01"}}); err != nil {
		t.Errorf("the admission that failed, once space is freed: %v", err)
	}
}
