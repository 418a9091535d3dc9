package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

type sqlState string

func (e sqlState) Error() string    { return "ERROR (SQLSTATE " + string(e) + ")" }
func (e sqlState) SQLState() string { return string(e) }

type liteCode int

func (e liteCode) Error() string { return fmt.Sprintf("sqlite error %d", int(e)) }
func (e liteCode) Code() int     { return int(e) }

func TestRetryable(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{sqlState("40P01"), true},
		{fmt.Errorf("update daily counters: %w", sqlState("40001")), true},
		{sqlState("23505"), true},
		{sqlState("23503"), false}, // foreign key: retrying does not help
		{liteCode(5), true},
		{liteCode(5 | 2<<8), true}, // SQLITE_BUSY_SNAPSHOT
		{liteCode(19), false},      // constraint
		{errors.New("boom"), false},
	}
	for _, c := range cases {
		if got := retryable(c.err); got != c.want {
			t.Errorf("%v: %v, want %v", c.err, got, c.want)
		}
	}
}

// A unique-key violation is retried once (the key may come from a
// transaction that committed meanwhile), never through every attempt.
func TestUniqueViolationRetriedOnce(t *testing.T) {
	st, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, c := range []struct {
		err   error
		calls int
	}{
		{sqlState("23505"), 2},
		{sqlState("40001"), writeAttempts},
	} {
		calls := 0
		err := st.Write(context.Background(), func(*Tx) error { calls++; return c.err })
		if !errors.Is(err, c.err) || calls != c.calls {
			t.Errorf("%v: %d runs (err %v), want %d", c.err, calls, err, c.calls)
		}
	}
}
