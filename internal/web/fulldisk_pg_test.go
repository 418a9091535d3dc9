package web_test

import (
	"errors"
	"fmt"
	"testing"

	"congdoan/internal/importer"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// The disk of a PostgreSQL database fills up (its tablespace, see
// storetest.FullDatabase for why there): an admission through the store
// fails with store.ErrDiskFull and writes nothing; the server goes on
// answering reads, and its writes answer 507 with the clear message in
// the page's language, never PostgreSQL's words, and leave nothing
// behind: no member, no audit entry, no stage table. Once space is freed,
// writes go on.
func TestFullDiskPostgres(t *testing.T) {
	t.Parallel()
	c := storetest.OwnCluster(t)
	url, dir := c.FullDatabase(48 << 20)
	st, raw := storetest.OpenURL(t, url), storetest.RawPG(t, url)
	f := newFixture(t, st)
	lan := f.loggedIn("lan")
	free := storetest.Fill(t, dir)

	// The file system is full, but the tables' last pages still have
	// room: admit members, as the API does, until one needs a new page.
	// Every later write that needs one fails in turn; the IDs of the
	// writes below sort after these, so that they land on the same last
	// pages of the indexes.
	filled := func(i int) string { return fmt.Sprintf("0011951%05d", i) }
	im := &importer.Importer{Store: st, Actor: "lan", Action: "member.save"}
	header := []string{"national_id", "full_name", "date_of_birth", "gender", "unit_code", "joined_on"}
	n := 0
	var err error
	for ; n < 5000; n++ {
		_, err = im.Rows(ctx, "members", "request", header, [][]string{{filled(n), "Ngô Thị Hoa", "1995-06-01", "female", "CG-A", "2022-06-01"}})
		if err != nil {
			break
		}
	}
	if !errors.Is(err, store.ErrDiskFull) || !store.DiskFull(err) {
		t.Fatalf("admission %d on a full disk: %v", n, err)
	}
	if _, err := st.Member(ctx, filled(n)); err == nil {
		t.Errorf("the admission that failed wrote member %s", filled(n))
	}
	var df *store.DiskFullError
	if errors.As(err, &df) {
		t.Logf("%d admissions filled the last pages; then: %v", n, df.Err)
	}

	// What a write must leave as it was.
	state := func() (out [3]int) {
		t.Helper()
		for i, q := range []string{
			`SELECT count(*) FROM members`,
			`SELECT count(*) FROM audit_log`,
			// A stage's tables, of any session.
			`SELECT count(*) FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'`,
		} {
			if err := raw.QueryRow(q).Scan(&out[i]); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		return out
	}
	before := state()
	fullDiskReads(t, f, lan)
	nid := func(i int) string { return fmt.Sprintf("0011959%05d", i) }
	fullDiskWrites(t, f, lan, nid, func(what string) {
		t.Helper()
		if now := state(); now != before {
			t.Errorf("%s left members, audit entries, stage tables: %v, before %v", what, now, before)
		}
	})

	free()
	fullDiskFreed(t, f, nid)
	if _, err := im.Rows(ctx, "members", "request", header, [][]string{{filled(n), "Ngô Thị Hoa", "1995-06-01", "female", "CG-A", "2022-06-01"}}); err != nil {
		t.Errorf("the admission that failed, once space is freed: %v", err)
	}
}
