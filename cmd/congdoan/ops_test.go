package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func TestVersion(t *testing.T) {
	code, out, errs := cli(t, "", "", "version")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "congdoan ") || !strings.Contains(out, "Go: go1.") {
		t.Errorf("version:\n%s", out)
	}
}

// version comes from the build information the Go toolchain writes into
// the binary.
func TestVersionOf(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "congdoan", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123abcd"},
			{Key: "vcs.time", Value: "2026-11-30T08:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	want := buildInfo{Version: "v1.4.0", Revision: "0123abcd", Time: "2026-11-30T08:00:00Z", Go: "go1.26.0", Modified: true}
	if got := versionOf(info, true); got != want {
		t.Errorf("versionOf = %+v, want %+v", got, want)
	}
	// Built from a clone: no module version, the commit only.
	info.Main.Version, info.Settings = "(devel)", info.Settings[:2]
	want = buildInfo{Version: "(devel)", Revision: "0123abcd", Go: "go1.26.0"}
	if got := versionOf(info, true); got != want {
		t.Errorf("versionOf, a clone = %+v, want %+v", got, want)
	}
	if got := versionOf(nil, false); got != (buildInfo{Version: "(devel)"}) {
		t.Errorf("versionOf, no build information = %+v", got)
	}
}

// The one test of the real binary's main besides serve's: `go build` from
// the clone, `version` prints the commit checked out, a wrong command line
// exits non-zero with a message and no Go stack trace, and passwords are
// hashed at bcrypt's default cost (the tests' lower one never reaches the
// product).
func TestBinarySmoke(t *testing.T) {
	bin := binary(t)
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "congdoan ") || !strings.Contains(string(out), "Go: go1.") {
		t.Fatalf("version: %v\n%s", err, out)
	}
	if head, err := exec.Command("git", "rev-parse", "HEAD").Output(); err == nil {
		if want := "commit: " + strings.TrimSpace(string(head)); !strings.Contains(string(out), want) {
			t.Errorf("version does not name the commit checked out (%s):\n%s", want, out)
		}
	}
	cmd := exec.Command(bin, "no-such-command")
	cmd.Env = append(os.Environ(), "CONGDOAN_LANG=")
	var errb strings.Builder
	cmd.Stderr = &errb
	err = cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() == 0 || !strings.Contains(errb.String(), "no-such-command") ||
		strings.Contains(errb.String(), "goroutine ") || strings.Contains(errb.String(), "panic:") {
		t.Errorf("a wrong command: %v\n%s", err, errb.String())
	}

	db := smallDB(t)
	cmd = exec.Command(bin, "user", "add", "an", "--role", "admin", "--unit", "HN")
	cmd.Env = append(os.Environ(), "CONGDOAN_DB="+db, "CONGDOAN_LANG=")
	cmd.Stdin = strings.NewReader("mật-khẩu-Hà-Nội-2022\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	conn, err := sql.Open("sqlite", strings.TrimPrefix(db, "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var hash string
	if err := conn.QueryRow(`SELECT password_hash FROM users WHERE name = 'an'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(hash)); err != nil || cost != bcrypt.DefaultCost {
		t.Errorf("the binary hashed at cost %d (%v), want bcrypt's default %d", cost, err, bcrypt.DefaultCost)
	}
}

// selfSigned writes a certificate and key for 127.0.0.1.
func selfSigned(t *testing.T, dir string) (string, string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "congdoan test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	cert := write(t, dir, "cert.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	keyFile := write(t, dir, "key.pem", string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})))
	return cert, keyFile
}

// serve's settings come from the environment when no flag gives them,
// secrets from the files of NAME_FILE; it serves HTTPS with a certificate,
// logs JSON, and on SIGTERM finishes and exits 0.
func TestServeSettingsFromTheEnvironment(t *testing.T) {
	db := smallDB(t)
	if code, _, errs := cli(t, db, "mật-khẩu-Hà-Nội-2022\n", "user", "add", "an", "--role", "admin", "--unit", "HN"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	cmd := exec.Command(binary(t), "serve")
	cmd.Env = append(os.Environ(),
		"CONGDOAN_DB_FILE="+write(t, dir, "db-url", db+"\n"),
		"CONGDOAN_ADDR=127.0.0.1:0",
		"CONGDOAN_LOG_FORMAT=json",
		"CONGDOAN_SESSION_LIFETIME=2h",
		"CONGDOAN_TLS_CERT="+cert, "CONGDOAN_TLS_KEY="+key,
		"CONGDOAN_BASE_URL=https://congdoan.example.vn",
		"CONGDOAN_METRICS_TOKEN_FILE="+write(t, dir, "metrics-token", "bí-mật\n"),
	)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	logs := make(chan map[string]any, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Errorf("a log line is not JSON: %s", sc.Text())
				continue
			}
			logs <- rec
		}
		close(logs)
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(line, "https://congdoan.example.vn/") {
		t.Fatalf("first line: %q %v", line, err)
	}
	var addr string
	for rec := range logs {
		if rec["msg"] == "serving" {
			addr, _ = rec["addr"].(string)
			break
		}
	}
	if addr == "" {
		t.Fatal("no serving log")
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	base := "https://" + addr
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := get("/healthz", ""); status != 200 || body != "ok\n" {
		t.Errorf("healthz over HTTPS: %d %q", status, body)
	}
	if status, _ := get("/metrics", ""); status != 401 {
		t.Errorf("metrics without the token of CONGDOAN_METRICS_TOKEN_FILE: %d", status)
	}
	if status, body := get("/metrics", "bí-mật"); status != 200 || !strings.Contains(body, `congdoan_http_requests_total{route="GET /healthz",status="200"} 1`) {
		t.Errorf("metrics with the token: %d\n%s", status, body)
	}
	// A login lasts CONGDOAN_SESSION_LIFETIME.
	_, page := get("/login", "")
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the login page")
	}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"username": {"an"}, "password": {"mật-khẩu-Hà-Nội-2022"}, "csrf_token": {m[1]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://congdoan.example.vn")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "congdoan_session" {
			session = c
		}
	}
	if session == nil || session.MaxAge < 7100 || session.MaxAge > 7200 || !session.Secure {
		t.Errorf("session cookie after login (%d): %+v", resp.StatusCode, session)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stopped := false
	for rec := range logs {
		if rec["msg"] == "stopped" {
			stopped = true
		}
		if s, _ := json.Marshal(rec); strings.Contains(string(s), "mật-khẩu") || strings.Contains(string(s), "bí-mật") {
			t.Errorf("a secret in the log: %s", s)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	if !stopped {
		t.Error("no stopped log")
	}
}

// A flag wins over its environment variable; bad values are clear errors.
func TestServeSettingErrors(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "t.db")
	run := func(env []string, args ...string) (int, string) {
		code, out, errs := runIn(t, append([]string{"CONGDOAN_DB=" + db}, env...), "", args...)
		return code, out + errs
	}
	if code, out := run([]string{"CONGDOAN_LOG_FORMAT=json"}, "serve", "--log-format", "xml"); code != 1 || !strings.Contains(out, `--log-format "xml"`) {
		t.Errorf("flag over env: %d %s", code, out)
	}
	if code, out := run([]string{"CONGDOAN_SESSION_LIFETIME=forever"}, "serve"); code != 1 || !strings.Contains(out, "CONGDOAN_SESSION_LIFETIME") {
		t.Errorf("bad env: %d %s", code, out)
	}
	if code, out := run([]string{"CONGDOAN_METRICS_TOKEN_FILE=" + filepath.Join(dir, "missing")}, "serve"); code != 1 || !strings.Contains(out, "CONGDOAN_METRICS_TOKEN_FILE") {
		t.Errorf("missing _FILE: %d %s", code, out)
	}
	if code, out := run(nil, "serve", "--tls-cert", "x.pem"); code != 1 || !strings.Contains(out, "--tls-key") {
		t.Errorf("cert without key: %d %s", code, out)
	}
	if code, out := run(nil, "serve", "--db-replica", "postgres://u:p@127.0.0.1:1/x"); code != 1 || !strings.Contains(out, "PostgreSQL") {
		t.Errorf("replica of SQLite: %d %s", code, out)
	}
	// --db after the command wins over CONGDOAN_DB (it once was ignored,
	// and the server quietly served CONGDOAN_DB's database).
	missing := filepath.Join(dir, "no-such-dir", "x.db")
	if code, out := run([]string{"CONGDOAN_ADDR=127.0.0.1:0"}, "serve", "--db", "sqlite:"+missing); code != 1 || !strings.Contains(out, "no-such-dir") {
		t.Errorf("serve --db: %d %s", code, out)
	}
}

// backup and restore on the command line.
func TestBackupAndRestoreCommands(t *testing.T) {
	db := smallDB(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "backup.db")
	code, out, errs := cli(t, db, "", "backup", file)
	if code != 0 || !strings.Contains(out, "Đã sao lưu vào") {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	target := "sqlite:" + filepath.Join(dir, "restored.db")
	if code, out, errs := cli(t, target, "", "restore", file); code != 0 || !strings.Contains(out, "Đã khôi phục") {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	_, want, _ := cli(t, db, "", "report", "--plan", "HN-2022", "--as-of", "2022-12-31")
	_, got, _ := cli(t, target, "", "report", "--plan", "HN-2022", "--as-of", "2022-12-31")
	if got != want || want == "" {
		t.Errorf("restored report:\n%s\nwant\n%s", got, want)
	}
	if code, _, errs := cli(t, target, "", "restore", file); code != 1 || !strings.Contains(errs, "đã có dữ liệu") {
		t.Errorf("restore into a full database: %d %s", code, errs)
	}
	if code, _, errs := cli(t, db, "", "backup"); code != 1 || !strings.Contains(errs, "lệnh backup cần FILE") {
		t.Errorf("backup without FILE: %d %s", code, errs)
	}
}
