// Package storetest opens fresh databases for tests, on both engines: a
// temporary SQLite file, and a new PostgreSQL database on the server named
// by CONGDOAN_TEST_PG (for example postgres://postgres:postgres@127.0.0.1:5432).
// Without that variable the PostgreSQL half skips, except in CI (CI=true),
// where it fails: the PostgreSQL tests must run there.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"congdoan/internal/store"
)

// Engines lists the engines a conformance test runs on.
var Engines = []store.Engine{store.SQLite, store.Postgres}

var seq atomic.Int64

// URL returns the URL of a new, empty database of the engine, dropped when
// the test ends.
func URL(t testing.TB, engine store.Engine) string {
	t.Helper()
	if engine == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	if testing.Short() {
		t.Skip("-short: no PostgreSQL (the full suite runs it)")
	}
	base := os.Getenv("CONGDOAN_TEST_PG")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CONGDOAN_TEST_PG is not set: the PostgreSQL tests must run in CI")
		}
		t.Skip("PostgreSQL half skipped: set CONGDOAN_TEST_PG=postgres://user:pass@host:port to run it")
	}
	base = strings.TrimSuffix(base, "/")
	admin, err := sql.Open("pgx", base+"/postgres")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("congdoan_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1_000_000, seq.Add(1))
	// Where the server has ICU, the test database sorts text the way a
	// production server set up in English or Vietnamese would (dashes
	// ignored, accents second), so that no query may lean on byte order.
	_, err = admin.Exec("CREATE DATABASE " + name + " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'")
	if err != nil {
		_, err = admin.Exec("CREATE DATABASE " + name)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no PostgreSQL at %s: %v", base, err)
		}
		t.Skipf("PostgreSQL half skipped: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base+"/postgres")
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return base + "/" + name
}

// Open opens a new, empty store of the engine, closed when the test ends.
// On SQLite it is a copy of a store the migrations made once (Filled with
// nothing): running every migration again for each test's new file was a
// tenth of the web and store tests' time and a third of the importer's.
// The migrations of a new file still run where a test opens storetest.URL
// itself (migrations_sync_test.go), in the template's own fill, and in the
// commands' tests.
func Open(t testing.TB, engine store.Engine) *store.Store {
	t.Helper()
	if engine == store.SQLite {
		return Filled(t, engine, "storetest-empty", func(context.Context, *store.Store) error { return nil })
	}
	return OpenURL(t, URL(t, engine))
}

// OpenURL opens the store at url, closed when the test ends.
func OpenURL(t testing.TB, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	return Closed(t, st, err)
}

// RawPG opens a plain connection pool to the PostgreSQL database at url,
// closed when the test ends: for the checks a test makes beneath the
// store (its tables, its sessions).
func RawPG(t testing.TB, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	return Closed(t, db, err)
}

// Closed returns what a test opened (v, or err ends the test), closed
// when the test ends.
func Closed[T io.Closer](t testing.TB, v T, err error) T {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

// Each runs fn as a subtest once per engine.
func Each(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}
