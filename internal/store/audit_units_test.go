package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// An entry linked to further units (audit_units) is read from the
// subtree of each of them, and not from a sibling's; the paged list and
// the export agree.
func TestAuditUnits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hn, cg := twoUnits(t, st)
		bd := &domain.Unit{Code: "HN-BD", Name: "LĐLĐ Ba Đình", ParentCode: "HN", Kind: domain.KindUpper, Method: domain.MethodStandard}
		a := &domain.Unit{Code: "CG-A", Name: "CĐCS A", ParentCode: "HN-CG", Kind: domain.KindGrassroots, Method: domain.MethodStandard}
		b := &domain.Unit{Code: "CG-B", Name: "CĐCS B", ParentCode: "HN-CG", Kind: domain.KindGrassroots, Method: domain.MethodStandard}
		c := &domain.Unit{Code: "BD-C", Name: "CĐCS C", ParentCode: "HN-BD", Kind: domain.KindGrassroots, Method: domain.MethodStandard}
		err := st.Write(ctx, func(tx *store.Tx) error {
			for _, u := range []*domain.Unit{bd, a, b, c} {
				if err := tx.PutUnit(u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range []store.AuditEntry{
			// An import touching CG-A and BD-C, filed under their common
			// ancestor; CG-A twice and the own unit are linked once.
			{Actor: "admin", Action: "import.members", UnitID: hn.ID, Units: []int64{a.ID, c.ID, a.ID, hn.ID}},
			{Actor: "lan", Action: "member.save", UnitID: b.ID},
			{Actor: "binh", Action: "import.transfers", UnitID: bd.ID, Units: []int64{c.ID}},
		} {
			if err := st.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		read := func(u *domain.Unit) []string {
			t.Helper()
			f := store.AuditFilter{UnitPath: u.Path}
			es, err := st.AuditLog(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out, exported []string
			for _, e := range es {
				out = append(out, e.Actor+" "+e.UnitCode)
			}
			err = st.ExportAuditLog(ctx, f, func(e *store.AuditEntry) error {
				exported = append(exported, e.Actor+" "+e.UnitCode)
				return nil
			})
			if err != nil || !slices.Equal(out, exported) {
				t.Errorf("%s: the export reads %q, the list %q (%v)", u.Code, exported, out, err)
			}
			return out
		}
		for _, c := range []struct {
			u    *domain.Unit
			want []string
		}{
			{hn, []string{"binh HN-BD", "lan CG-B", "admin HN"}},
			{cg, []string{"lan CG-B", "admin HN"}},
			{a, []string{"admin HN"}},
			{b, []string{"lan CG-B"}},
			{bd, []string{"binh HN-BD", "admin HN"}},
			{c, []string{"binh HN-BD", "admin HN"}},
		} {
			if got := read(c.u); !slices.Equal(got, c.want) {
				t.Errorf("%s reads %q, want %q", c.u.Code, got, c.want)
			}
		}
		// Paging counts an entry once however many of its units match.
		es, err := st.AuditLog(ctx, store.AuditFilter{UnitPath: hn.Path, Limit: 1, Offset: 2})
		if err != nil || len(es) != 1 || es[0].Actor != "admin" {
			t.Errorf("third entry of the root: %+v %v", es, err)
		}
	})
}

// The links of the audit log are append-only too.
func TestAuditUnitsAppendOnly(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			st, url := openStore(t, engine)
			hn, cg := twoUnits(t, st)
			if err := st.Audit(ctx, store.AuditEntry{Actor: "cli", Action: "import.members", UnitID: hn.ID, Units: []int64{cg.ID}}); err != nil {
				t.Fatal(err)
			}
			db := rawDB(t, engine, url)
			defer db.Close()
			qs := []string{`UPDATE audit_units SET unit_id = audit_id`, `DELETE FROM audit_units`}
			if engine == store.Postgres {
				qs = append(qs, `TRUNCATE audit_units`)
			}
			appendOnly(t, db, qs...)
			es, err := st.AuditLog(ctx, store.AuditFilter{UnitPath: cg.Path})
			if err != nil || len(es) != 1 || es[0].Actor != "cli" {
				t.Errorf("after the attempts: %+v %v", es, err)
			}
		})
	}
}

// The scoped list stays cheap with many grassroots units and entries
// linked to thousands of them: a grassroots manager's page and the root's
// page each take well under a second.
func TestAuditUnitsScale(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		hn, _ := twoUnits(t, st)
		const units, entries = 1500, 120
		var ids []int64
		var last *domain.Unit
		err := st.Write(ctx, func(tx *store.Tx) error {
			for i := range units {
				u := &domain.Unit{Code: fmt.Sprintf("CG-%04d", i), Name: "CĐCS", ParentCode: "HN-CG", Kind: domain.KindGrassroots, Method: domain.MethodStandard}
				if err := tx.PutUnit(u); err != nil {
					return err
				}
				ids, last = append(ids, u.ID), u
			}
			// Big imports linked to every unit but the last, and small
			// entries of single units, interleaved.
			for i := range entries {
				e := store.AuditEntry{Actor: "cli", Action: "import.members", UnitID: hn.ID, Units: ids[:units-1]}
				if i%2 == 1 {
					e = store.AuditEntry{Actor: "lan", Action: "member.save", UnitID: ids[i%(units-1)]}
				}
				if err := tx.Audit(e); err != nil {
					return err
				}
			}
			return tx.Audit(store.AuditEntry{Actor: "last", Action: "member.save", UnitID: hn.ID, Units: []int64{last.ID}})
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			path string
			want int
		}{{last.Path, 1}, {hn.Path, 50}} {
			start := time.Now()
			es, err := st.AuditLog(ctx, store.AuditFilter{UnitPath: c.path, Limit: 50})
			took := time.Since(start)
			if err != nil || len(es) != c.want {
				t.Fatalf("%s: %d entries, %v", c.path, len(es), err)
			}
			t.Logf("%s: %d entries in %v", c.path, len(es), took)
			if took > time.Second {
				t.Errorf("%s: %v", c.path, took)
			}
		}
	})
}
