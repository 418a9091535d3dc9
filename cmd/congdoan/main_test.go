package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"congdoan/internal/msg"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
)

func TestMain(m *testing.M) {
	code := storetest.Run(m)
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// The binary, built for the tests that need a process of its own (signals,
// the real main): the others run the commands in process (cli).
var (
	buildOnce sync.Once
	binDir    string
	bin       string
	buildErr  error
)

// binary builds the command once per test run and returns its path.
//
// go build writes it to a folder of the system's temporary folder named
// after this package's folder, where it leaves it alone while the
// sources have not changed (it compares the build ID of the file it would
// write): a warm run does not link the command again, as a warm build
// cache does not compile it again. That link was half of this package's
// time in the short suite. Each run then uses a hard link of its own,
// which another run's new build, renamed over the shared name, does not
// change.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "congdoan-cli"); buildErr != nil {
			return
		}
		bin = filepath.Join(binDir, "congdoan")
		shared := bin
		if wd, err := os.Getwd(); err == nil {
			sum := sha256.Sum256([]byte(wd))
			dir := filepath.Join(os.TempDir(), "congdoan-test-cli-"+hex.EncodeToString(sum[:8]))
			if err := os.MkdirAll(dir, 0o755); err == nil {
				shared = filepath.Join(dir, "congdoan")
			}
		}
		// -buildvcs=auto over a GOFLAGS that turns it off: the version
		// command prints the commit when built from a clone.
		if out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", shared, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		if shared != bin {
			if err := os.Link(shared, bin); err != nil {
				bin = shared
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bin
}

// cli runs a command line in process, as main would, with CONGDOAN_DB set
// to db, and returns its exit code, stdout and stderr.
func cli(t *testing.T, db, stdin string, args ...string) (int, string, string) {
	t.Helper()
	// The language comes from the arguments only: a CONGDOAN_LANG of the
	// machine running the tests must not switch it.
	return runIn(t, []string{"CONGDOAN_DB=" + db, "CONGDOAN_LANG="}, stdin, args...)
}

// runIn runs a command line in process (runMain) as a new process of the
// binary would: with these environment variables set for the call only,
// and the language a process starts with. A panic fails the test: the
// binary would have printed a Go stack trace. The commands read the
// process's environment and language, so this package's tests do not run
// in parallel.
func runIn(t *testing.T, env []string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		old, had := os.LookupEnv(k)
		os.Setenv(k, v)
		defer func() {
			if had {
				os.Setenv(k, old)
			} else {
				os.Unsetenv(k)
			}
		}()
	}
	lang = msg.VI
	var out, errb bytes.Buffer
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%v panicked: %v", args, r)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	code = runMain(ctx, args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// smallDB imports a tiny federation with a plan and a campaign.
func smallDB(t *testing.T) string {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "t.db")
	files := [][2]string{
		{"units", write(t, dir, "units.csv", "code,name,parent_code,kind,founded_on\nHN,Liên đoàn Lao động thành phố Hà Nội,,federation,\nHN-CG,LĐLĐ quận Cầu Giấy,HN,upper,\nHN-CG-1,Công đoàn Công ty A,HN-CG,grassroots,2022-03-01\n")},
		{"members", write(t, dir, "members.csv", "national_id,full_name,date_of_birth,gender,unit_code,joined_on\n001085012345,Nguyễn Văn An,1985-03-01,male,HN-CG-1,2022-05-10\n")},
		{"plans", write(t, dir, "plans.csv", "code,name,unit_code,start,end\nHN-2022,Kế hoạch 2022,HN,2022-01-01,2022-12-31\nX-2022,Khác,HN-CG,2022-01-01,2022-12-31\n")},
		{"targets", write(t, dir, "targets.csv", "plan_code,unit_code,indicator,target\nHN-2022,HN,members_admitted,10\n")},
		{"campaigns", write(t, dir, "campaigns.csv", "code,name,plan_code,start,end\nD1,Đợt 1,HN-2022,2022-04-15,2022-05-31\nX1,Đợt X,X-2022,2022-04-15,2022-05-31\n")},
	}
	for _, f := range files {
		if code, out, errs := cli(t, db, "", "import", f[0], f[1]); code != 0 {
			t.Fatalf("import %s: %d %s %s", f[0], code, out, errs)
		}
	}
	return db
}

func TestReportCommand(t *testing.T) {
	db := smallDB(t)
	code, out, errs := cli(t, db, "", "report", "--plan", "HN-2022", "--as-of", "08/07/2022")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		AsOf       string `json:"as_of"`
		Unit       struct{ Code string }
		Indicators []struct {
			Code   string
			Actual int64
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if r.AsOf != "2022-07-08" || r.Unit.Code != "HN" || len(r.Indicators) != 8 || r.Indicators[0].Actual != 1 || r.Indicators[2].Actual != 1 {
		t.Errorf("report: %+v", r)
	}
	// --db on the command works as well as CONGDOAN_DB, and -o writes a file.
	outFile := filepath.Join(t.TempDir(), "r.json")
	if code, _, errs := cli(t, "", "", "report", "--db", db, "--plan", "HN-2022", "--unit", "HN-CG", "-o", outFile); code != 0 {
		t.Fatalf("--db: %s", errs)
	}
	if b, _ := os.ReadFile(outFile); !bytes.Contains(b, []byte(`"HN-CG"`)) {
		t.Errorf("-o file: %s", b)
	}
}

func TestBadArgumentsExitOneWithAMessage(t *testing.T) {
	db := smallDB(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"report", "--plan", "NOPE"}, `không tìm thấy kế hoạch "NOPE"`},
		{[]string{"report", "--plan", "HN-2022", "--unit", "NOPE"}, `không tìm thấy đơn vị "NOPE"`},
		{[]string{"report", "--plan", "HN-2022", "--campaign", "NOPE"}, `không tìm thấy đợt cao điểm "NOPE"`},
		{[]string{"report", "--plan", "HN-2022", "--campaign", "X1"}, "thuộc kế hoạch X-2022"},
		{[]string{"report", "--plan", "X-2022", "--unit", "HN"}, "không phải là HN-CG hay đơn vị trực thuộc HN-CG"},
		{[]string{"report", "--plan", "HN-2022", "--as-of", "31/02/2022"}, "as_of"},
		{[]string{"report", "--plan", "HN-2022", "--bogus", "1"}, "không có tham số --bogus"},
		{[]string{"report", "--plan", "HN-2022", "extra"}, `tham số thừa "extra"`},
		{[]string{"report"}, "lệnh report cần --plan"},
		{[]string{"report", "--plan", "HN-2022", "--format", "doc"}, "--format"},
		{[]string{"import", "things", "x.csv"}, `không có loại dữ liệu nhập "things"`},
		{[]string{"import", "units"}, "lệnh import cần KIND và FILE"},
		{[]string{"import", "units", "/nonexistent/units.csv"}, "/nonexistent/units.csv:1: file:"},
		{[]string{"frobnicate"}, `không có lệnh "frobnicate"`},
		{[]string{}, "chưa có lệnh"},
		{[]string{"user", "add", "lan", "--role", "king", "--unit", "HN"}, "--role"},
		{[]string{"user", "token", "nobody"}, `không tìm thấy người dùng "nobody"`},
		{[]string{"serve", "--addr", "999.1.1.1:80"}, "--addr"},
	}
	for _, c := range cases {
		code, _, errs := cli(t, db, "", c.args...)
		if code != 1 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q", c.args, code, errs, c.want)
		}
	}
}

func TestImportErrorsAreListedAndNothingIsWritten(t *testing.T) {
	db := smallDB(t)
	f := write(t, t.TempDir(), "bad.csv", "code,name,parent_code,kind\nHN-X,X,HN,upper\nHN-Y,Y,NOPE,upper\nHN-Z,,HN,upper\n")
	code, _, errs := cli(t, db, "", "import", "units", f)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{f + `:3: parent_code: không có đơn vị "NOPE"`, f + ":4: name: bắt buộc"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// HN-X was valid but the import failed: it must not exist.
	if code, _, errs := cli(t, db, "", "report", "--plan", "HN-2022", "--unit", "HN-X"); code != 1 || !strings.Contains(errs, "không tìm thấy") {
		t.Errorf("HN-X was written: exit %d %s", code, errs)
	}
}

func TestUserAddAndToken(t *testing.T) {
	db := smallDB(t)
	if code, _, errs := cli(t, db, "short\n", "user", "add", "lan", "--role", "manager", "--unit", "HN-CG"); code != 1 || !strings.Contains(errs, "ít nhất 10 ký tự") {
		t.Errorf("short password: %d %s", code, errs)
	}
	if code, out, errs := cli(t, db, "mật-khẩu-dài\n", "user", "add", "lan", "--role", "manager", "--unit", "HN-CG"); code != 0 {
		t.Fatalf("user add: %s %s", out, errs)
	}
	if code, _, errs := cli(t, db, "mật-khẩu-dài\n", "user", "add", "lan", "--role", "manager", "--unit", "HN-CG"); code != 1 || !strings.Contains(errs, "đã có") {
		t.Errorf("duplicate user: %d %s", code, errs)
	}
	code, out, _ := cli(t, db, "", "user", "token", "lan")
	if code != 0 || !strings.HasPrefix(out, "cd_") || len(strings.TrimSpace(out)) < 40 {
		t.Errorf("token: %d %q", code, out)
	}
	// Both writes are in the audit log, without the password or the token.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, err := st.AuditLog(context.Background(), store.AuditFilter{Unscoped: true})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range log {
		actions[e.Actor+" "+e.Action] = true
		if strings.Contains(e.Detail, "mật-khẩu-dài") || strings.Contains(e.Detail, strings.TrimSpace(out)) {
			t.Errorf("the audit log holds a secret: %+v", e)
		}
	}
	if !actions["cli user.add"] || !actions["cli user.token"] {
		t.Errorf("audit log: %v", actions)
	}
}

// The demo loads, prints its address and login, and serves the report
// figures of the Hanoi 2022 article.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the demo command loads the whole demo (the full suite runs it)")
	}
	db := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	cmd := exec.Command(binary(t), "demo", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "CONGDOAN_DB="+db, "CONGDOAN_LANG=")
	stdout, _ := cmd.StdoutPipe()
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stdout)
	var addr, login string
	deadline := time.After(2 * time.Minute)
	lines := make(chan string)
	go func() {
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for addr == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("demo ended: %s", errb.String())
			}
			if strings.Contains(l, "Đăng nhập:") {
				login = l
			}
			if i := strings.Index(l, "http://"); i >= 0 {
				addr = strings.TrimSpace(l[i:])
			}
		case <-deadline:
			t.Fatal("demo did not print its address")
		}
	}
	if !strings.Contains(login, "admin") {
		t.Errorf("login line: %q", login)
	}
	// Links to the 2022 half-year report and to the 2025 reorganisation.
	links := map[string]bool{"?plan=HN-2022&as_of=2022-07-08": false, "?plan=HN-2025&as_of=2025-12-31": false}
	for seen := 0; seen < len(links); {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("demo ended: %s", errb.String())
			}
			for k, done := range links {
				if !done && strings.Contains(l, addr+k) {
					links[k] = true
					seen++
				}
			}
		case <-deadline:
			t.Fatalf("demo did not print its links: %v", links)
		}
	}
	resp, err := http.Get(addr + "healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", err, resp)
	}
	// The API with a token of the demo admin.
	cmd.Process.Kill()
	cmd.Wait()
	_, out, _ := cli(t, db, "", "report", "--plan", "HN-2022", "--unit", "HN", "--as-of", "2022-07-08")
	var r struct {
		Indicators []struct {
			Code           string
			Target, Actual int64
		}
		Months []struct {
			Month      string
			Indicators []struct{ Actual int64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int64{
		"members_admitted": {47855, 24396}, "unions_founded": {750, 306}, "enterprise_unions_25plus": {460, 189},
		"non_state_unions_founded": {400, 302}, "non_state_union_members": {35000, 23540},
		"new_method_unions_founded": {0, 35}, "party_introductions": {9453, 4950},
	}
	for _, i := range r.Indicators {
		if w, ok := want[i.Code]; ok && (i.Actual != w[1] || (w[0] != 0 && i.Target != w[0])) {
			t.Errorf("%s: %d/%d, want %d/%d", i.Code, i.Actual, i.Target, w[1], w[0])
		}
	}
	if len(r.Months) != 7 || r.Months[4].Month != "2022-05" || r.Months[4].Indicators[0].Actual != 8307 || r.Months[4].Indicators[2].Actual != 94 {
		t.Errorf("May 2022: %+v", r.Months)
	}
	// The reform year: the districts dissolved in it and the ward unions
	// founded in it are both among the city's children.
	_, out, _ = cli(t, db, "", "report", "--plan", "HN-2025", "--unit", "HN", "--as-of", "2025-12-31")
	var r25 struct {
		Children []struct{ Unit struct{ Code string } }
	}
	if err := json.Unmarshal([]byte(out), &r25); err != nil {
		t.Fatal(err)
	}
	kids := map[string]bool{}
	for _, c := range r25.Children {
		kids[c.Unit.Code] = true
	}
	if !kids["HN-BD"] || !kids["HN-P-BADINH"] || !kids["HN-KCN"] {
		t.Errorf("the 2025 report of HN has children %v", kids)
	}
	// A second start on the same database does not load twice.
	code, _, _ := cli(t, db, "", "report", "--plan", "HN-2022")
	if code != 0 {
		t.Error("report after demo")
	}
}

// congdoan import members FILE --unit CODE: a list without a unit column
// goes into that grassroots unit; the summary names the skipped columns.
func TestImportMembersIntoAUnit(t *testing.T) {
	db := smallDB(t)
	f := write(t, t.TempDir(), "ds.csv", "DANH SÁCH ĐOÀN VIÊN KẾT NẠP MỚI,,,,,\nSTT,Số CCCD,Họ tên,Ngày tháng năm sinh,Nam/Nữ,Ngày kết nạp\n1,001090012346,Trần Văn Bình,12/05/1990,Nam,01/06/2022\n")
	code, out, errs := cli(t, db, "", "import", "members", f, "--unit", "HN-CG-1")
	if code != 0 || !strings.Contains(out, "đã nhập 1 dòng đoàn viên") || !strings.Contains(out, "bỏ qua cột STT") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, _, errs := cli(t, db, "", "import", "members", f, "--unit", "HN-CG"); code != 1 || !strings.Contains(errs, "không phải là CĐCS") {
		t.Errorf("into an upper unit: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := cli(t, db, "", "import", "units", f, "--unit", "HN-CG-1"); code != 1 || !strings.Contains(errs, "--unit") {
		t.Errorf("units with --unit: exit %d, stderr %q", code, errs)
	}
}
