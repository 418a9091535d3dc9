package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// openCached opens a SQLite file through the statement cache on one
// connection, so that every call below shares its kept statements.
func openCached(t *testing.T) (*sql.DB, *sql.Conn) {
	t.Helper()
	db, err := sql.Open(cachedSQLite, liteURI(filepath.Join(t.TempDir(), "c.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.ExecContext(context.Background(), `CREATE TABLE t (n INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := c.ExecContext(context.Background(), `INSERT INTO t (n) VALUES (?)`, i); err != nil {
			t.Fatal(err)
		}
	}
	return db, c
}

// A kept statement whose rows are open is the cursor of those rows: the
// same text run again inside the loop must not reset it.
func TestStmtCacheNestedSameQuery(t *testing.T) {
	ctx := context.Background()
	_, c := openCached(t)
	const q = `SELECT n FROM t WHERE n >= ? ORDER BY n`
	outer, err := c.QueryContext(ctx, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	// A reset cursor starts again from the first row: the bounds end
	// such a loop as a failure.
	for outer.Next() && len(got) < 10 {
		var n int
		if err := outer.Scan(&n); err != nil {
			t.Fatal(err)
		}
		inner, err := c.QueryContext(ctx, q, n)
		if err != nil {
			t.Fatal(err)
		}
		count := 0
		for inner.Next() && count < 10 {
			count++
		}
		if err := inner.Close(); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d:%d", n, count))
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if want := "[1:3 2:2 3:1]"; fmt.Sprint(got) != want {
		t.Errorf("nested runs of one text: %v, want %s", got, want)
	}
	// Closed, the statement serves again, with new arguments.
	var n int
	if err := c.QueryRowContext(ctx, q, 3).Scan(&n); err != nil || n != 3 {
		t.Errorf("after close: %d, %v", n, err)
	}
}

// The cache keeps at most stmtCacheSize statements a connection, and a
// failed statement leaves the connection usable.
func TestStmtCacheBoundedAndErrors(t *testing.T) {
	ctx := context.Background()
	_, c := openCached(t)
	for i := 0; i < stmtCacheSize+50; i++ {
		var n int
		if err := c.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) + %d FROM t`, i)).Scan(&n); err != nil || n != 3+i {
			t.Fatalf("query %d: %d, %v", i, n, err)
		}
	}
	if _, err := c.ExecContext(ctx, `INSERT INTO t (n) VALUES (?)`, 1); err == nil {
		t.Fatal("a duplicate key was accepted")
	}
	if _, err := c.ExecContext(ctx, `INSERT INTO t (n) VALUES (?)`, 4); err != nil {
		t.Fatalf("the kept INSERT after its failure: %v", err)
	}
	err := c.Raw(func(dc any) error {
		if kept := len(dc.(*stmtCacheConn).stmts); kept > stmtCacheSize {
			t.Errorf("%d statements kept, at most %d", kept, stmtCacheSize)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
