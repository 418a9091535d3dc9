package store_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// twoUnits stores HN and HN-CG below it.
func twoUnits(t *testing.T, st *store.Store) (hn, cg *domain.Unit) {
	t.Helper()
	hn = &domain.Unit{Code: "HN", Name: "LĐLĐ Hà Nội", Kind: domain.KindFederation, Method: domain.MethodStandard}
	cg = &domain.Unit{Code: "HN-CG", Name: "LĐLĐ Cầu Giấy", ParentCode: "HN", Kind: domain.KindUpper, Method: domain.MethodStandard}
	err := st.Write(context.Background(), func(tx *store.Tx) error {
		if err := tx.PutUnit(hn); err != nil {
			return err
		}
		return tx.PutUnit(cg)
	})
	if err != nil {
		t.Fatal(err)
	}
	return hn, cg
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		twoUnits(t, st)
		if err := st.AddUser(ctx, "test", "lan", "một mật khẩu dài", "manager", "HN-CG"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CheckPassword(ctx, "lan", "sai"); !errors.Is(err, store.ErrBadLogin) {
			t.Errorf("wrong password: %v", err)
		}
		if _, err := st.CheckPassword(ctx, "ai", "một mật khẩu dài"); !errors.Is(err, store.ErrBadLogin) {
			t.Errorf("unknown user: %v", err)
		}
		u, err := st.CheckPassword(ctx, "lan", "một mật khẩu dài")
		if err != nil || u.Name != "lan" || u.Role != "manager" || u.UnitCode != "HN-CG" || !strings.HasPrefix(u.UnitPath, "/") {
			t.Fatalf("login: %+v %v", u, err)
		}
		id, ses, err := st.NewSession(ctx, u, time.Hour)
		if err != nil || len(id) < 40 || len(ses.CSRF) < 40 || id == ses.CSRF {
			t.Fatalf("new session: %q %+v %v", id, ses, err)
		}
		got, err := st.Session(ctx, id)
		if err != nil || got.User.Name != "lan" || got.User.UnitCode != "HN-CG" || got.CSRF != ses.CSRF || !got.Expires.Equal(ses.Expires) {
			t.Fatalf("session: %+v %v", got, err)
		}
		if _, err := st.Session(ctx, id+"x"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("unknown session: %v", err)
		}
		old, _, err := st.NewSession(ctx, u, -time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Session(ctx, old); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("expired session: %v", err)
		}
		if err := st.DeleteSession(ctx, id); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Session(ctx, id); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("deleted session: %v", err)
		}
	})
}

func TestAuditLog(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hn, cg := twoUnits(t, st)
		for _, e := range []store.AuditEntry{
			{Actor: "cli", Action: "import.units", UnitID: hn.ID, Detail: "units.csv: 2 rows"},
			{Actor: "lan", Action: "member.save", UnitID: cg.ID},
			{Actor: "cli", Action: "import.plans"},
		} {
			if err := st.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		// An entry written with a change that fails does not land.
		boom := errors.New("boom")
		err := st.Write(ctx, func(tx *store.Tx) error {
			if err := tx.Audit(store.AuditEntry{Actor: "lan", Action: "member.save", UnitID: cg.ID}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		actions := func(f store.AuditFilter) []string {
			t.Helper()
			es, err := st.AuditLog(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, e := range es {
				if e.At.IsZero() || time.Since(e.At) > time.Hour {
					t.Errorf("time of %+v", e)
				}
				out = append(out, e.Actor+" "+e.Action+" "+e.UnitCode)
			}
			return out
		}
		if got := strings.Join(actions(store.AuditFilter{}), "; "); got != "cli import.plans ; lan member.save HN-CG; cli import.units HN" {
			t.Errorf("all: %s", got)
		}
		if got := strings.Join(actions(store.AuditFilter{UnitPath: hn.Path, Unscoped: true, Limit: 2}), "; "); got != "cli import.plans ; lan member.save HN-CG" {
			t.Errorf("root, first page: %s", got)
		}
		if got := strings.Join(actions(store.AuditFilter{UnitPath: cg.Path}), "; "); got != "lan member.save HN-CG" {
			t.Errorf("subtree: %s", got)
		}
	})
}

// The audit log refuses to be changed, whoever asks.
func TestAuditLogIsAppendOnly(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			st, url := openStore(t, engine)
			if err := st.Audit(ctx, store.AuditEntry{Actor: "cli", Action: "import.units"}); err != nil {
				t.Fatal(err)
			}
			db := rawDB(t, engine, url)
			defer db.Close()
			appendOnly(t, db, `UPDATE audit_log SET actor = 'someone else'`, `DELETE FROM audit_log`)
			es, err := st.AuditLog(ctx, store.AuditFilter{})
			if err != nil || len(es) != 1 || es[0].Actor != "cli" {
				t.Errorf("after the attempts: %+v %v", es, err)
			}
		})
	}
}

// openStore opens a store of the engine on a database of its own, closed
// when the test ends, and gives its URL.
func openStore(t *testing.T, engine store.Engine) (*store.Store, string) {
	t.Helper()
	url := storetest.URL(t, engine)
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, url
}

// appendOnly checks that the database refuses each statement as a change
// of an append-only table.
func appendOnly(t *testing.T, db *sql.DB, statements ...string) {
	t.Helper()
	for _, q := range statements {
		if _, err := db.ExecContext(context.Background(), q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// rawDB opens the database of a store URL of the engine straight, past
// the store.
func rawDB(t testing.TB, engine store.Engine, url string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", url
	if engine == store.SQLite {
		driver, dsn = "sqlite", "file:"+strings.TrimPrefix(url, "sqlite:")
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}
