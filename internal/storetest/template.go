package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/store"
)

// Main runs a package's tests (call it from TestMain) with bcrypt's
// minimum cost for new password hashes, and exits.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main without the exit: it returns the tests' exit code.
func Run(m *testing.M) int {
	restore := store.LowerPasswordCostForTests()
	code := m.Run()
	restore()
	templates.Lock()
	if templates.dir != "" { // this process's own templates
		os.RemoveAll(templates.dir)
	}
	templates.Unlock()
	return code
}

// templates are the SQLite files Filled built, one per name.
var templates struct {
	sync.Mutex
	dir   string
	built map[string]*template
}

type template struct {
	once sync.Once
	file string
	err  error
}

// Filled opens a new store of the engine holding what fill writes: a
// store as fresh as Open's, on which fill has run. On SQLite fill runs
// once per name for every test binary of the same sources
// (buildTemplate), and each test gets a copy of the file it made (as
// PocketBase's tests.NewTestApp copies its test data): loading the demo
// takes seconds, copying its file a few milliseconds. On PostgreSQL fill
// runs for each test. The name stands for the fill: two fills must not
// share one.
func Filled(t testing.TB, engine store.Engine, name string, fill func(context.Context, *store.Store) error) *store.Store {
	t.Helper()
	if engine != store.SQLite {
		st := Open(t, engine)
		if err := fill(context.Background(), st); err != nil {
			t.Fatalf("fill %s: %v", name, err)
		}
		return st
	}
	url := FilledFile(t, name, fill)
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open a copy of %s: %v", name, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// FilledFile is Filled for SQLite without opening the store: the URL of a
// new SQLite file holding what fill writes, for a test that runs a command
// on it.
func FilledFile(t testing.TB, name string, fill func(context.Context, *store.Store) error) string {
	t.Helper()
	templates.Lock()
	if templates.built == nil {
		templates.built = map[string]*template{}
	}
	tp := templates.built[name]
	if tp == nil {
		tp = &template{}
		templates.built[name] = tp
	}
	templates.Unlock()
	tp.once.Do(func() { tp.file, tp.err = buildTemplate(name, fill) })
	if tp.err != nil {
		t.Fatalf("fill %s: %v", name, tp.err)
	}
	file := filepath.Join(t.TempDir(), "test.db")
	if err := copyFile(tp.file, file); err != nil {
		t.Fatal(err)
	}
	return "sqlite:" + file
}

// EachFilled runs fn as a subtest once per engine, on a store that
// Filled filled.
func EachFilled(t *testing.T, name string, fill func(context.Context, *store.Store) error, fn func(t *testing.T, st *store.Store)) {
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Filled(t, e, name, fill))
		})
	}
}

// buildTemplate returns a SQLite file holding what fill writes. Test
// binaries of the same sources share it: the first builds it in the
// system's temporary folder under a name made of sourceKey, the others
// (other packages' tests, and later runs on the same day) copy it.
func buildTemplate(name string, fill func(context.Context, *store.Store) error) (string, error) {
	key := sourceKey()
	if key == "" {
		// No module sources to key on: a file for this process only.
		templates.Lock()
		if templates.dir == "" {
			dir, err := os.MkdirTemp("", "congdoan-templates")
			if err != nil {
				templates.Unlock()
				return "", err
			}
			templates.dir = dir
		}
		file := filepath.Join(templates.dir, name+".db")
		templates.Unlock()
		return file, fillFile(file, fill)
	}
	dir := filepath.Join(os.TempDir(), "congdoan-test-templates")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	file := filepath.Join(dir, name+"-"+key+".db")
	if _, err := os.Stat(file); err == nil {
		used(file)
		return file, nil
	}
	// One test binary builds it while the others wait; a lock left by a
	// binary that died is taken over.
	lock := file + ".lock"
	for {
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			f.Close()
			break
		}
		if _, err := os.Stat(file); err == nil {
			return file, nil
		}
		if fi, err := os.Stat(lock); err == nil && time.Since(fi.ModTime()) > 10*time.Minute {
			os.Remove(lock)
			continue
		}
		time.Sleep(100 * time.Millisecond)
	}
	defer os.Remove(lock)
	if _, err := os.Stat(file); err == nil {
		return file, nil
	}
	tmp := fmt.Sprintf("%s.%d.tmp", file, os.Getpid())
	if err := fillFile(tmp, fill); err != nil {
		os.Remove(tmp)
		return "", err
	}
	if err := os.Rename(tmp, file); err != nil {
		return "", err
	}
	// Each change of the sources makes a new template of tens of
	// megabytes: those no test has used for an hour go, and so do the
	// files a test binary that died left.
	old, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range old {
		if fi, err := os.Stat(f); err == nil && time.Since(fi.ModTime()) > time.Hour {
			os.Remove(f)
		}
	}
	return file, nil
}

// used marks a template as in use (its modification time is when a test
// last copied it), so that pruning keeps it.
func used(file string) {
	now := time.Now()
	os.Chtimes(file, now, now)
}

// fillFile fills a new SQLite file and closes it, which checkpoints its
// write-ahead log into the file: the one file is the whole database.
func fillFile(file string, fill func(context.Context, *store.Store) error) error {
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+file)
	if err != nil {
		return err
	}
	if err := fill(ctx, st); err != nil {
		st.Close()
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	// After an import the store may still be checkpointing on a read
	// connection of its own (checkpointBeside, stage_sqlite.go), which
	// Close lets finish: the last connection to close takes the log away.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(file + "-wal"); err != nil {
			return nil
		}
		if time.Now().After(deadline) {
			// Another connection kept the log: copying the file alone
			// would lose what it holds.
			return fmt.Errorf("%s-wal is still there after closing the store", file)
		}
	}
}

// sourceKey is a hash of what a template's content depends on: every Go
// and SQL file of the module (tests too, where the fill functions live)
// and go.sum, the Go version, and the day (the demo's pipeline is dated
// domain.Today()). "" when the module's root is not found.
var sourceKey = sync.OnceValue(func() string {
	root, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(root)
		if up == root {
			return ""
		}
		root = up
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", runtime.Version(), domain.Today())
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".sql", ".csv", ".sum", ".mod":
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		fmt.Fprintf(h, "%s %d\n", rel, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
})

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o644)
}
