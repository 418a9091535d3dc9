package store

import (
	"errors"
	"fmt"
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
