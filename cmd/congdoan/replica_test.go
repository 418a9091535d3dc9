package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// A replica that does not answer at start-up: with
// --db-replica-required serve stops with an error naming it; without, it
// logs a warning naming it and serves, its reads going to the primary.
// Neither shows the replica's password.
func TestServeReplicaDownAtStart(t *testing.T) {
	db := storetest.URL(t, store.Postgres)
	const dead = "postgres://lan:bi-mat-lan@127.0.0.1:1/congdoan"
	code, out, errs := runIn(t, []string{"CONGDOAN_ADDR=127.0.0.1:0", "CONGDOAN_LANG="}, "",
		"serve", "--db", db, "--db-replica", dead, "--db-replica-required")
	if code != 1 || !strings.Contains(errs, "127.0.0.1:1") || strings.Contains(out+errs, "bi-mat-lan") {
		t.Errorf("a required replica down: exit %d\n%s%s", code, out, errs)
	}
	// One language, the replica by host, port and database, a short
	// cause: no driver text, no user name.
	if want := "bản sao 127.0.0.1:1/congdoan không dùng được: không trả lời"; !strings.Contains(errs, want) ||
		strings.Contains(errs, "user=") || strings.Contains(errs, "lan") || strings.Contains(errs, "connect") {
		t.Errorf("a required replica down: want %q alone, got\n%s", want, errs)
	}
	_, _, errs = runIn(t, []string{"CONGDOAN_ADDR=127.0.0.1:0", "CONGDOAN_LANG=en"}, "",
		"serve", "--db", db, "--db-replica", dead, "--db-replica-required")
	if want := "replica 127.0.0.1:1/congdoan is not usable: it does not answer"; !strings.Contains(errs, want) ||
		strings.Contains(errs, "user=") || strings.Contains(errs, "lan") {
		t.Errorf("a required replica down, in English: want %q alone, got\n%s", want, errs)
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	logs := &stopAt{word: "msg=serving", stop: cancel}
	if err := run(ctx, []string{"serve", "--db", db, "--db-replica", dead}, strings.NewReader(""), io.Discard, logs); err != nil {
		t.Errorf("serve with a replica down: %v\n%s", err, logs)
	}
	got := logs.String()
	if !strings.Contains(got, "msg=serving") {
		t.Fatalf("the server did not start:\n%s", got)
	}
	if !strings.Contains(got, "level=WARN") || !strings.Contains(got, "127.0.0.1:1") || strings.Contains(got, "bi-mat-lan") {
		t.Errorf("no warning naming the replica, or its password shown:\n%s", got)
	}
}

// stopAt keeps what is written to it, and calls stop once word is written.
type stopAt struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	word string
	stop func()
}

func (w *stopAt) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.word) {
		w.stop()
	}
	return len(p), nil
}

func (w *stopAt) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
