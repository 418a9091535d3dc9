package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
)

// The SQLite driver parses a query's text anew on every call, and parsing
// was a quarter of the CPU of a report or a page on SQLite (measured with
// pprof on the store's and the web's tests: sqlite3Prepare 25-33 %).
// PostgreSQL's driver already keeps each connection's statements; this
// gives SQLite connections the same: a connection keeps the statements it
// has run, by their text, and runs them again without parsing.
//
// The store opens SQLite as cachedSQLite; the driver underneath is the one
// modernc.org/sqlite registers as "sqlite".
const cachedSQLite = "sqlite-stmtcache"

// stmtCacheSize bounds the statements one connection keeps. The store's
// queries are a few hundred texts; those built for a batch differ only by
// their number of placeholders.
const stmtCacheSize = 256

// stmtCacheMaxText: longer texts (a large batch's VALUES list) are run
// without being kept, so that the cache's memory stays small.
const stmtCacheMaxText = 16 << 10

func init() {
	db, err := sql.Open("sqlite", "")
	if err != nil {
		panic(err) // the driver is linked in: sql.Open only looks it up
	}
	sql.Register(cachedSQLite, stmtCacheDriver{db.Driver()})
	db.Close()
}

type stmtCacheDriver struct{ d driver.Driver }

func (d stmtCacheDriver) Open(name string) (driver.Conn, error) {
	c, err := d.d.Open(name)
	if err != nil {
		return nil, err
	}
	return newStmtCacheConn(c)
}

// The interfaces of a SQLite connection that database/sql uses.
type liteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

var errNotLiteConn = errors.New("stmtcache: the SQLite connection lacks an interface database/sql uses")

func newStmtCacheConn(c driver.Conn) (driver.Conn, error) {
	lc, ok := c.(liteConn)
	if !ok {
		c.Close()
		return nil, errNotLiteConn
	}
	return &stmtCacheConn{liteConn: lc, stmts: map[string]*cachedStmt{}}, nil
}

// stmtCacheConn is one SQLite connection with its kept statements.
// database/sql uses a connection from one goroutine at a time, so it
// needs no lock.
type stmtCacheConn struct {
	liteConn
	stmts map[string]*cachedStmt
}

type cachedStmt struct {
	s driver.Stmt
	// busy: rows of the statement are open. SQLite's statement is the
	// cursor, so a second run of the same text on the same connection
	// (a nested read) must not reset it: that run goes uncached.
	busy bool
}

// stmt returns the kept statement of query, preparing and keeping it on
// first use; nil when query is not to be kept or its statement is busy.
func (c *stmtCacheConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	if st, ok := c.stmts[query]; ok {
		if st.busy {
			return nil, nil
		}
		return st, nil
	}
	if len(query) > stmtCacheMaxText {
		return nil, nil
	}
	s, err := c.liteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if len(c.stmts) >= stmtCacheSize {
		c.evict()
	}
	st := &cachedStmt{s: s}
	c.stmts[query] = st
	return st, nil
}

// evict drops idle statements until there is room: map order is random,
// which is as good as any order for a cache this size.
func (c *stmtCacheConn) evict() {
	for q, st := range c.stmts {
		if len(c.stmts) < stmtCacheSize {
			return
		}
		if !st.busy {
			st.s.Close()
			delete(c.stmts, q)
		}
	}
}

func (c *stmtCacheConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.liteConn.ExecContext(ctx, query, args)
	}
	return st.s.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *stmtCacheConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.liteConn.QueryContext(ctx, query, args)
	}
	rows, err := st.s.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	st.busy = true
	return &cachedRows{Rows: rows, st: st}, nil
}

func (c *stmtCacheConn) Close() error {
	for q, st := range c.stmts {
		st.s.Close()
		delete(c.stmts, q)
	}
	return c.liteConn.Close()
}

// cachedRows frees its statement for the next run when closed. The store
// reads columns by Scan only, so the driver's optional column-type
// methods are not passed on.
type cachedRows struct {
	driver.Rows
	st *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.st.busy = false
	return err
}
