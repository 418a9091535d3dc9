package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Ping checks that the database answers within timeout.
func (s *Store) Ping(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var one int
	if err := s.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return err
	}
	if s.write != s.read {
		return s.write.PingContext(ctx)
	}
	return nil
}

// Unavailable reports whether err means that the database cannot be
// reached or cannot take the request for now (a restart, a shutdown, too
// many connections, a lock held past the busy timeout), rather than that
// the request is wrong: the caller may answer "try again later".
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == "53300", // too_many_connections
			pg.Code == "53000",                       // insufficient_resources
			pg.Code == "57P01",                       // admin_shutdown
			pg.Code == "57P02",                       // crash_shutdown
			pg.Code == "57P03",                       // cannot_connect_now (starting up)
			pg.Code == "57014",                       // query_canceled (statement timeout)
			pg.Code == "55P03",                       // lock_not_available
			len(pg.Code) == 5 && pg.Code[:2] == "08": // connection_exception
			return true
		}
		return false
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		return sqliteBusy(err)
	}
	var conn *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &conn), errors.As(err, &netErr),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, context.DeadlineExceeded):
		return true
	}
	return pgconn.SafeToRetry(err) || pgconn.Timeout(err)
}

// FromServer reports whether err is the database server's own report
// (PostgreSQL's words and SQLSTATE): text for the log, never for a user.
// SQLite's errors name the file the operator gave and stay as they are.
func FromServer(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg)
}
