package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

// noDatabaseText fails when a message shows the database's own words.
func noDatabaseText(t *testing.T, what, s string) {
	t.Helper()
	for _, w := range []string{"sqlite", "SQLITE", "disk I/O", "(13)", "(4874)", "pg_dump", "No space left"} {
		if strings.Contains(s, w) {
			t.Errorf("%s shows %q: %s", what, w, s)
		}
	}
}

// On a full disk a report still reads the database and leaves no file
// behind; an import and a backup fail with the clear message, writing
// nothing and leaving nothing; once space is freed, writes go on.
func TestFullDiskSQLite(t *testing.T) {
	dir := storetest.FullDisk(t, 8<<20)
	db := "sqlite:" + filepath.Join(dir, "c.db")
	src := t.TempDir()
	for _, f := range [][2]string{
		{"units", write(t, src, "units.csv", "code,name,parent_code,kind,founded_on\nHN,Liên đoàn Lao động thành phố Hà Nội,,federation,\nHN-CG,LĐLĐ quận Cầu Giấy,HN,upper,\nHN-CG-1,Công đoàn Công ty A,HN-CG,grassroots,2022-03-01\n")},
		{"members", write(t, src, "members.csv", "national_id,full_name,date_of_birth,gender,unit_code,joined_on\n001085012345,Nguyễn Văn An,1985-03-01,male,HN-CG-1,2022-05-10\n")},
		{"plans", write(t, src, "plans.csv", "code,name,unit_code,start,end\nHN-2022,Kế hoạch 2022,HN,2022-01-01,2022-12-31\n")},
	} {
		if code, out, errs := cli(t, db, "", "import", f[0], f[1]); code != 0 {
			t.Fatalf("import %s: %d %s %s", f[0], code, out, errs)
		}
	}
	_, want, _ := cli(t, db, "", "report", "--plan", "HN-2022", "--as-of", "2022-12-31")
	before := storetest.Files(t, dir)
	if !slices.Equal(before, []string{"c.db"}) {
		t.Fatalf("files before: %q", before)
	}
	free := storetest.Fill(t, dir)

	code, got, errs := cli(t, db, "", "report", "--plan", "HN-2022", "--as-of", "2022-12-31")
	if code != 0 || got != want {
		t.Errorf("report on a full disk: %d %s\n%s\nwant\n%s", code, errs, got, want)
	}
	storetest.LeftNothing(t, dir, before, "the report")

	// 300 members: the import stages them in a file beside the database.
	var csv strings.Builder
	csv.WriteString("national_id,full_name,date_of_birth,gender,unit_code,joined_on\n")
	for i := range 300 {
		fmt.Fprintf(&csv, "001085%06d,Trần Văn Bình,1985-03-01,male,HN-CG-1,2022-06-10\n", 100000+i)
	}
	for _, f := range []string{write(t, src, "more.csv", csv.String()), write(t, src, "one.csv", "national_id,full_name,date_of_birth,gender,unit_code,joined_on\n001085099999,Lê Thị Cúc,1985-03-01,female,HN-CG-1,2022-06-10\n")} {
		code, out, errs := cli(t, db, "", "import", "members", f)
		if code != 1 || !strings.Contains(errs, "Ổ đĩa đã đầy") {
			t.Errorf("import %s on a full disk: %d %s %s", filepath.Base(f), code, out, errs)
		}
		noDatabaseText(t, "the import's message", errs)
		storetest.LeftNothing(t, dir, before, "the import")
	}
	code, out, errs := cli(t, db, "", "backup", filepath.Join(dir, "backup.db"))
	if code != 1 || !strings.Contains(errs, "Ổ đĩa đã đầy") {
		t.Errorf("backup to a full disk: %d %s %s", code, out, errs)
	}
	noDatabaseText(t, "the backup's message", errs)
	storetest.LeftNothing(t, dir, before, "the backup")
	if _, got, _ := cli(t, db, "", "report", "--plan", "HN-2022", "--as-of", "2022-12-31"); got != want {
		t.Errorf("the failed writes changed the report:\n%s", got)
	}

	free()
	if code, out, errs := cli(t, db, "", "import", "members", filepath.Join(src, "more.csv")); code != 0 {
		t.Fatalf("import once space is freed: %d %s %s", code, out, errs)
	}
	_, got, _ = cli(t, db, "", "report", "--plan", "HN-2022", "--as-of", "2022-12-31")
	var r struct{ Indicators []struct{ Actual int64 } }
	if err := json.Unmarshal([]byte(got), &r); err != nil || len(r.Indicators) == 0 || r.Indicators[0].Actual != 301 {
		t.Errorf("report after the import: %v %s", err, got)
	}
}

// A PostgreSQL backup (pg_dump) to a full disk fails with the clear
// message and leaves no half file.
func TestFullDiskPostgresBackup(t *testing.T) {
	url := storetest.URL(t, store.Postgres)
	dir := storetest.FullDisk(t, 1<<20)
	src := t.TempDir()
	if code, out, errs := cli(t, url, "", "import", "units", write(t, src, "units.csv", "code,name,parent_code,kind\nHN,Liên đoàn Lao động thành phố Hà Nội,,federation\n")); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	storetest.Fill(t, dir)
	code, out, errs := cli(t, url, "", "backup", filepath.Join(dir, "backup.dump"))
	if code != 1 || !strings.Contains(errs, "Ổ đĩa đã đầy") {
		t.Errorf("backup to a full disk: %d %s %s", code, out, errs)
	}
	noDatabaseText(t, "the backup's message", errs)
	if files := storetest.Files(t, dir); len(files) != 0 {
		t.Errorf("the backup left files: %q", files)
	}
}
