package store_test

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"congdoan/internal/store"
)

// On PostgreSQL the audit log refuses TRUNCATE as it refuses UPDATE and
// DELETE.
func TestAuditLogRefusesTruncate(t *testing.T) {
	st, url := openStore(t, store.Postgres)
	ctx := context.Background()
	if err := st.Audit(ctx, store.AuditEntry{Actor: "test", Action: "test.entry"}); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, store.Postgres, url)
	defer db.Close()
	appendOnly(t, db, `TRUNCATE audit_log`)
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d entries after TRUNCATE, %v", n, err)
	}
}

// Unavailable tells a database that cannot take the request for now from
// other errors.
func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite busy", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "busy.db")
		st, err := store.Open(ctx, "sqlite:"+file)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		holder, err := sql.Open("sqlite", "file:"+file)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Close()
		holder.SetMaxOpenConns(1)
		if _, err := holder.Exec(`BEGIN EXCLUSIVE`); err != nil {
			t.Fatal(err)
		}
		defer holder.Exec(`ROLLBACK`)
		other, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(0)")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		_, err = other.Exec(`INSERT INTO schema_migrations (version) VALUES (999)`)
		if err == nil || !store.Unavailable(err) {
			t.Errorf("a busy SQLite: %v, Unavailable %v", err, store.Unavailable(err))
		}
	})
	t.Run("postgres refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close() // nothing listens there now
		_, err = store.Open(ctx, "postgres://postgres:postgres@"+addr+"/none?connect_timeout=2")
		if err == nil || !store.Unavailable(err) {
			t.Errorf("a refused connection: %v, Unavailable %v", err, store.Unavailable(err))
		}
	})
	t.Run("other errors", func(t *testing.T) {
		for _, err := range []error{errors.New("no such table"), sql.ErrNoRows, nil} {
			if store.Unavailable(err) {
				t.Errorf("%v is not unavailability", err)
			}
		}
	})
}
