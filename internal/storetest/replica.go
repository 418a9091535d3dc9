package storetest

import (
	"bytes"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ReplicaCluster is a second PostgreSQL cluster on this machine, started
// as a streaming replica (hot standby) of the server of CONGDOAN_TEST_PG.
type ReplicaCluster struct {
	// Port is the replica's port on 127.0.0.1.
	Port int
	dir  string
	bin  string
	t    testing.TB
}

// cannot skips the test, or fails it in CI (CI=true), where the replica
// tests must run.
func cannot(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("cannot set up a PostgreSQL replica: "+format, args...)
	}
	t.Skipf("replica test skipped: "+format, args...)
}

// Replica makes a streaming replica of the PostgreSQL server of
// CONGDOAN_TEST_PG, as an operator would: pg_basebackup -R of the whole
// cluster into a new folder owned by the postgres user, then pg_ctl start
// on a free port of 127.0.0.1. The primary must allow replication
// connections from 127.0.0.1 (Debian's pg_hba.conf does) and the test run
// as root or as postgres. The replica is stopped and removed when the test
// ends. The server binaries are looked for in CONGDOAN_TEST_PG_BIN, else
// /usr/lib/postgresql/MAJOR/bin.
func Replica(t testing.TB) *ReplicaCluster {
	t.Helper()
	base := os.Getenv("CONGDOAN_TEST_PG")
	if base == "" {
		cannot(t, "CONGDOAN_TEST_PG is not set")
	}
	base = strings.TrimSuffix(base, "/")
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("CONGDOAN_TEST_PG: %v", err)
	}
	admin, err := sql.Open("pgx", base+"/postgres")
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var major int
	if err := admin.QueryRow(`SELECT current_setting('server_version_num')::int / 10000`).Scan(&major); err != nil {
		cannot(t, "no PostgreSQL at %s: %v", u.Host, err)
	}
	// A hot standby needs these at least as high as on its primary.
	limits := map[string]string{}
	rows, err := admin.Query(`SELECT name, setting FROM pg_settings WHERE name IN
		('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		limits[k] = v
	}
	rows.Close()

	bin := os.Getenv("CONGDOAN_TEST_PG_BIN")
	if bin == "" {
		bin = fmt.Sprintf("/usr/lib/postgresql/%d/bin", major)
	}
	c, uid, gid := newCluster(t, bin, "replica", "pg_basebackup", "pg_ctl")
	dir := c.dir
	data := filepath.Join(dir, "data")
	pass, _ := u.User.Password()
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "5432"
	}
	// A replication slot keeps the WAL the replica has not received yet:
	// without it, other packages' tests writing to the same primary meanwhile
	// can recycle a segment before the replica reads it ("requested WAL
	// segment has already been removed"), and the replica stops following.
	// The slot goes with the replica; slots of killed test runs go here.
	admin.Exec(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
		WHERE slot_name LIKE 'congdoan_test_%' AND NOT active`)
	slot := fmt.Sprintf("congdoan_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	if out, err := c.run(pass, "pg_basebackup", "-h", host, "-p", port, "-U", u.User.Username(),
		"-D", data, "-R", "-X", "stream", "-C", "-S", slot, "--checkpoint=fast", "-w"); err != nil {
		cannot(t, "pg_basebackup: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		c.Kill()
		if db, err := sql.Open("pgx", base+"/postgres"); err == nil {
			db.Exec(`SELECT pg_drop_replication_slot($1)`, slot)
			db.Close()
		}
	})
	// Debian keeps the primary's configuration outside its data folder; a
	// copied one would name the primary's paths and port. Ours is small.
	conf := fmt.Sprintf("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nhot_standby = on\nhot_standby_feedback = on\nlogging_collector = off\nshared_buffers = 32MB\n", c.Port, dir)
	for k, v := range limits {
		conf += fmt.Sprintf("%s = %s\n", k, v)
	}
	files := map[string]string{
		"postgresql.conf": conf,
		"pg_hba.conf":     "local all all trust\nhost all all 127.0.0.1/32 trust\n",
		"pg_ident.conf":   "",
	}
	for name, body := range files {
		p := filepath.Join(data, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if os.Geteuid() == 0 {
			os.Chown(p, uid, gid)
		}
	}
	if out, err := c.run("", "pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		cannot(t, "pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	// Wait until it accepts connections as a standby.
	db, err := sql.Open("pgx", c.URL(base+"/postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var standby bool
		err := db.QueryRow(`SELECT pg_is_in_recovery()`).Scan(&standby)
		if err == nil && standby {
			break
		}
		if err == nil {
			err = fmt.Errorf("not in recovery")
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			cannot(t, "the replica does not answer: %v\n%s", err, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return c
}

// URL returns primaryURL (a URL on the server of CONGDOAN_TEST_PG, as URL
// returns) with the replica's address instead.
func (c *ReplicaCluster) URL(primaryURL string) string {
	u, err := url.Parse(primaryURL)
	if err != nil {
		c.t.Fatal(err)
	}
	u.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(c.Port))
	return u.String()
}

// Kill stops the replica at once, as a crash would (pg_ctl stop -m
// immediate).
func (c *ReplicaCluster) Kill() {
	data := filepath.Join(c.dir, "data")
	if _, err := os.Stat(filepath.Join(data, "postmaster.pid")); err != nil {
		return
	}
	c.run("", "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
}

// newCluster checks that bin has the tools and that the test may run
// them as the postgres user, and makes the folder of a new cluster (what:
// "cluster" or "replica"), owned by postgres when the test runs as root,
// on a free port. The cluster is killed and its folder removed when the
// test ends (its log shown when the test failed). uid and gid are the
// postgres user's.
func newCluster(t testing.TB, bin, what string, tools ...string) (c *ReplicaCluster, uid, gid int) {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: no PostgreSQL %s (the full suite runs it)", what)
	}
	for _, tool := range tools {
		if _, err := os.Stat(filepath.Join(bin, tool)); err != nil {
			cannot(t, "no %s in %q (set CONGDOAN_TEST_PG_BIN)", tool, bin)
		}
	}
	pg, err := user.Lookup("postgres")
	if err != nil {
		cannot(t, "no postgres user: %v", err)
	}
	me, _ := user.Current()
	if os.Geteuid() != 0 && (me == nil || me.Username != "postgres") {
		cannot(t, "the test must run as root or as postgres to start a cluster")
	}
	dir, err := os.MkdirTemp("", "congdoan-"+what+"-")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ = strconv.Atoi(pg.Uid)
	gid, _ = strconv.Atoi(pg.Gid)
	if os.Geteuid() == 0 {
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	c = &ReplicaCluster{dir: dir, bin: bin, t: t, Port: freePort(t)}
	t.Cleanup(func() {
		c.Kill()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			t.Logf("the %s's log:\n%s", what, log)
		}
		os.RemoveAll(dir)
	})
	return c, uid, gid
}

// run runs a server tool as the postgres user.
func (c *ReplicaCluster) run(password, tool string, args ...string) ([]byte, error) {
	path := filepath.Join(c.bin, tool)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "PGPASSWORD="+password)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
