package web_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"slices"
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
	csrf := lan.csrf()
	count := func() int {
		t.Helper()
		n := 0
		for _, nid := range []string{"001195000801", "001195000802", "001195000803"} {
			if _, err := st.Member(ctx, nid); err == nil {
				n++
			}
		}
		return n
	}
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

	// Reads.
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
	// Writes: the API (English), then the import page (Vietnamese).
	clear := func(what string, status int, body, want string) {
		t.Helper()
		if status != http.StatusInsufficientStorage || !strings.Contains(body, want) {
			t.Errorf("%s on a full disk: %d %.400s", what, status, body)
		}
		for _, w := range []string{"sqlite", "SQLITE", "disk I/O", "database or disk is full", "no space left"} {
			if strings.Contains(body, w) {
				t.Errorf("%s shows the database's words %q", what, w)
			}
		}
		if files := storetest.Files(t, dir); !slices.Equal(files, before) {
			t.Errorf("%s left files: %q, before %q", what, files, before)
		}
	}
	status, b := f.postJSON("/api/v1/members", "lan", newMember("001195000801", "Ngô Thị Hoa"))
	clear("POST /api/v1/members", status, string(b), "the disk is full")
	var csv strings.Builder
	csv.WriteString("national_id,full_name,date_of_birth,unit_code,joined_on\n")
	for i := range 400 {
		fmt.Fprintf(&csv, "0011950%05d,Lý Thị Mai,1995-01-01,CG-A,2022-06-10\n", 900+i)
	}
	csv.WriteString("001195000802,Lý Thị Mai,1995-01-01,CG-A,2022-06-10\n")
	status, b = f.upload("members", "lan", "members.csv", csv.String())
	clear("POST /api/v1/import/members", status, string(b), "the disk is full")
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", csrf)
	mw.WriteField("kind", "members")
	fw, _ := mw.CreateFormFile("file", "ds.csv")
	fw.Write([]byte("national_id,full_name,date_of_birth,unit_code,joined_on\n001195000803,Lý Thị Mai,1995-01-01,CG-A,2022-06-10\n"))
	mw.Close()
	resp, page := lan.do("POST", "/import", &buf, mw.FormDataContentType(), nil)
	clear("the import page", resp.StatusCode, page, "Ổ đĩa đã đầy")
	if n := count(); n != 0 {
		t.Errorf("%d members written on a full disk", n)
	}

	free()
	if status, b := f.postJSON("/api/v1/members", "lan", newMember("001195000801", "Ngô Thị Hoa")); status != 201 {
		t.Errorf("POST once space is freed: %d %s", status, b)
	}
	if n := count(); n != 1 {
		t.Errorf("%d members after freeing space, want 1", n)
	}
}
