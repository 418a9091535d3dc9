package storetest

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// Cluster is a PostgreSQL cluster of the test's own (initdb), on a free
// port of 127.0.0.1, for the tests that stop or restart the server: the
// shared server of CONGDOAN_TEST_PG serves the other tests meanwhile. It
// runs as the postgres user through ReplicaCluster's tools, and is
// stopped and removed when the test ends.
type Cluster struct {
	*ReplicaCluster
}

// OwnCluster makes and starts a new cluster. Like the other PostgreSQL
// tests it needs CONGDOAN_TEST_PG set (it skips without, and fails in
// CI), the server binaries (CONGDOAN_TEST_PG_BIN, else the newest
// /usr/lib/postgresql/*/bin) and root or the postgres user.
func OwnCluster(t testing.TB) *Cluster {
	t.Helper()
	if os.Getenv("CONGDOAN_TEST_PG") == "" {
		cannot(t, "CONGDOAN_TEST_PG is not set")
	}
	bin := os.Getenv("CONGDOAN_TEST_PG_BIN")
	if bin == "" {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) < version(dirs[j]) })
		if len(dirs) > 0 {
			bin = dirs[len(dirs)-1]
		}
	}
	rc, _, _ := newCluster(t, bin, "cluster", "initdb", "pg_ctl")
	c := &Cluster{rc}
	data := c.data()
	if out, err := c.run("", "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"); err != nil {
		cannot(t, "initdb: %v\n%s", err, out)
	}
	conf := fmt.Sprintf("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nlogging_collector = off\nshared_buffers = 32MB\nmax_connections = 50\n", c.Port, c.dir)
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(conf)
	f.Close()
	c.Start()
	return c
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func (c *Cluster) data() string { return filepath.Join(c.dir, "data") }

// URL is the URL of the cluster's postgres database.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres", c.Port)
}

// Start starts the cluster and waits until it takes connections.
func (c *Cluster) Start() {
	c.t.Helper()
	if out, err := c.run("", "pg_ctl", "-D", c.data(), "-l", filepath.Join(c.dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		c.t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	db, err := sql.Open("pgx", c.URL())
	if err != nil {
		c.t.Fatal(err)
	}
	defer db.Close()
	for deadline := time.Now().Add(30 * time.Second); ; {
		var one int
		err := db.QueryRow(`SELECT 1`).Scan(&one)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("the cluster does not answer: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops the cluster as an operator's restart does (pg_ctl stop -m
// fast: sessions are ended, the server shuts down cleanly).
func (c *Cluster) Stop() {
	c.t.Helper()
	if out, err := c.run("", "pg_ctl", "-D", c.data(), "-m", "fast", "-w", "-t", "60", "stop"); err != nil {
		c.t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

// FullDatabase makes a tablespace of the cluster on a tmpfs of size bytes
// (FullDisk's) and a database "full_disk" in it, and returns the
// database's URL and the tmpfs's folder, for Fill. The database's tables,
// indexes, catalogs and temporary tables (a stage's) live on the tmpfs;
// the write-ahead log and the cluster's own files stay on the normal disk.
// That is the full disk PostgreSQL meets first and survives: a table that
// grows needs a new page, and the write that needs it fails with SQLSTATE
// 53100 while the server goes on. The log mostly reuses its segments; a
// server that cannot write its log stops (PANIC) until an operator frees
// space, which no answer of this program can help. It needs root, as
// FullDisk does.
func (c *Cluster) FullDatabase(size int) (url, dir string) {
	t := c.t
	t.Helper()
	dir = filepath.Join(c.dir, "tablespace")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	mountTmpfs(t, dir, size)
	// Cleanups run last registered first: the server lets go of its files
	// before the tmpfs is unmounted.
	t.Cleanup(c.Kill)
	// PostgreSQL wants its tablespace's folder owned by its own user.
	var owner syscall.Stat_t
	if err := syscall.Stat(c.dir, &owner); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(dir, int(owner.Uid), int(owner.Gid)); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("pgx", c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		fmt.Sprintf(`CREATE TABLESPACE full_disk LOCATION '%s'`, dir),
		`CREATE DATABASE full_disk TABLESPACE full_disk`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/full_disk", c.Port), dir
}
