package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"congdoan/internal/report"
	"congdoan/internal/store"
)

// Hundreds of members posted at once all land, none fails with "database
// is locked" or a deadlock, and the daily counters add up: on SQLite the
// writers queue for the one write connection; on PostgreSQL they lock the
// counter rows in one order and retry a lost deadlock.
func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	eachFixture(t, newFixture, func(t *testing.T, st *store.Store, f *fixture) {
		// 300 writers at once in the full suite; -short sends 100, still
		// many more than the pool's connections, at a third of the cost.
		n := 300
		if testing.Short() {
			n = 100
		}
		before := f.memberCount()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
		var wg sync.WaitGroup
		errs := make(chan string, n)
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				unit := []string{"CG-A", "CG-B"}[i%2]
				body := fmt.Sprintf(`{"national_id":"001195%06d","full_name":"Người Thứ %d","date_of_birth":"1995-06-01","gender":"female","unit_code":%q,"joined_on":"2022-06-%02d"}`,
					100000+i, i, unit, 1+i%10)
				req, _ := http.NewRequest("POST", f.srv.URL+"/api/v1/members", stringsReader(body))
				req.Header.Set("Authorization", "Bearer "+f.tokens["lan"])
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					errs <- err.Error()
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					errs <- fmt.Sprintf("member %d: %d", i, resp.StatusCode)
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		if got := f.memberCount(); got != before+n {
			t.Errorf("%d members, want %d", got, before+n)
		}
		// The counters saw every write: Cầu Giấy admitted 6 members before
		// June and the n in June.
		rep, err := report.Build(ctx, st, report.Request{Plan: "HN-2022", Unit: "HN-CG", AsOf: "2022-07-08"})
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Indicators[0].Actual; got != int64(6+n) {
			t.Errorf("members admitted %d, want %d", got, 6+n)
		}
		entries, err := st.AuditLog(ctx, store.AuditFilter{Limit: 1000})
		writes := 0
		for _, e := range entries {
			if !strings.HasPrefix(e.Action, "user.") { // the fixture's users and tokens
				writes++
			}
		}
		if err != nil || writes != n {
			t.Errorf("%d audit entries of member writes, want %d (%v)", writes, n, err)
		}
		if logs := f.logs.String(); logs != "" {
			t.Errorf("errors logged:\n%s", logs)
		}
	})
}
