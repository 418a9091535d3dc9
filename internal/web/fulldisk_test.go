package web_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// A server whose database's disk fills up (SQLite) goes on answering
// reads, pages and API; writes answer 507 with the clear message, in the
// page's language, never the database's words, and leave nothing behind:
// no member, no stage file. Once space is freed, writes go on.
func TestFullDiskServer(t *testing.T) {
	t.Parallel()
	dir := storetest.FullDisk(t, 32<<20)
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newFixture(t, st)
	lan := f.loggedIn("lan")
	// The IDs of the members the writes below try to add.
	nid := func(i int) string { return fmt.Sprintf("0011950%05d", 800+i) }
	// SQLite writes the log from its start again once it is checkpointed,
	// without growing it: empty it, so that the writes below need space.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	before := storetest.Files(t, dir)
	free := storetest.Fill(t, dir)

	fullDiskReads(t, f, lan)
	fullDiskWrites(t, f, lan, nid, func(what string) {
		t.Helper()
		storetest.LeftNothing(t, dir, before, what)
	})
	free()
	fullDiskFreed(t, f, nid)
}

// fullDiskReads checks that the reads of the API and the pages work on a
// full disk.
func fullDiskReads(t *testing.T, f *fixture, lan *browser) {
	t.Helper()
	for _, p := range []string{"/api/v1/report?plan=HN-2022", "/api/v1/members?unit=HN-CG", "/api/v1/units/HN-CG", "/api/v1/audit"} {
		if status, b := f.get(p, "lan"); status != 200 {
			t.Errorf("GET %s on a full disk: %d %.300s", p, status, b)
		}
	}
	for _, p := range []string{"/", "/members", "/units/HN-CG", "/import"} {
		if resp, page := lan.get(p); resp.StatusCode != 200 {
			t.Errorf("page %s on a full disk: %d %.300s", p, resp.StatusCode, page)
		}
	}
}

// fullDiskWrites makes a clerk's writes on a full disk: an admission
// through the API (English), a file of 401 members through the import API
// and one through the import page (Vietnamese), of the members nid(1),
// nid(2), nid(3) and nid(100) on. Each must answer 507 with the clear
// message, never the database's words, and write no member; after each,
// left(what) looks for anything else it left behind.
func fullDiskWrites(t *testing.T, f *fixture, lan *browser, nid func(int) string, left func(what string)) {
	t.Helper()
	clear := func(what string, status int, body, want string) {
		t.Helper()
		if status != http.StatusInsufficientStorage || !strings.Contains(body, want) {
			t.Errorf("%s on a full disk: %d %.400s", what, status, body)
		}
		for _, w := range []string{"sqlite", "SQLITE", "disk I/O", "database or disk is full", "no space left", "No space left",
			"53100", "SQLSTATE", "could not extend", "Check free disk space"} {
			if strings.Contains(body, w) {
				t.Errorf("%s shows the database's words %q", what, w)
			}
		}
		left(what)
	}
	status, b := f.postJSON("/api/v1/members", "lan", newMember(nid(1), "Ngô Thị Hoa"))
	clear("POST /api/v1/members", status, string(b), "the disk is full")
	var csv strings.Builder
	csv.WriteString("national_id,full_name,date_of_birth,unit_code,joined_on\n")
	for i := range 400 {
		fmt.Fprintf(&csv, "%s,Lý Thị Mai,1995-01-01,CG-A,2022-06-10\n", nid(100+i))
	}
	fmt.Fprintf(&csv, "%s,Lý Thị Mai,1995-01-01,CG-A,2022-06-10\n", nid(2))
	status, b = f.upload("members", "lan", "members.csv", csv.String())
	clear("POST /api/v1/import/members", status, string(b), "the disk is full")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", lan.csrf())
	mw.WriteField("kind", "members")
	fw, _ := mw.CreateFormFile("file", "ds.csv")
	fmt.Fprintf(fw, "national_id,full_name,date_of_birth,unit_code,joined_on\n%s,Lý Thị Mai,1995-01-01,CG-A,2022-06-10\n", nid(3))
	mw.Close()
	resp, page := lan.do("POST", "/import", &buf, mw.FormDataContentType(), nil)
	clear("the import page", resp.StatusCode, page, "Ổ đĩa đã đầy")
	for _, i := range []int{1, 2, 3, 100, 499} {
		if _, err := f.st.Member(ctx, nid(i)); err == nil {
			t.Errorf("member %s written on a full disk", nid(i))
		}
	}
}

// fullDiskFreed checks that, once space is freed, the admission that
// failed goes through.
func fullDiskFreed(t *testing.T, f *fixture, nid func(int) string) {
	t.Helper()
	if status, b := f.postJSON("/api/v1/members", "lan", newMember(nid(1), "Ngô Thị Hoa")); status != 201 {
		t.Errorf("POST once space is freed: %d %s", status, b)
	}
	if _, err := f.st.Member(ctx, nid(1)); err != nil {
		t.Errorf("member %s after freeing space: %v", nid(1), err)
	}
}
