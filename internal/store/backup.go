package store

import (
	"bytes"
	"congdoan/internal/msg"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ErrNotEmpty is the error of a restore into a database that holds records.
var ErrNotEmpty = msg.Errorf("backup.not_empty")

// Backup writes a consistent copy of the database to file, while other
// connections and processes go on writing. On SQLite it is VACUUM INTO (a
// compact copy of one read snapshot); on PostgreSQL pg_dump in its custom
// format, for pg_restore. The copy is written next to file and renamed
// into place once complete, so that a failure (a full disk) leaves no half
// file; an existing file is replaced only then. A full disk gives a
// *DiskFullError.
func (s *Store) Backup(ctx context.Context, file string) error {
	return diskFullAt(filepath.Dir(file), s.backup(ctx, file))
}

func (s *Store) backup(ctx context.Context, file string) error {
	dir := filepath.Dir(file)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return fmt.Errorf("backup %s: %w", file, err)
	}
	name := tmp.Name()
	tmp.Close()
	defer os.Remove(name)
	switch s.engine {
	case SQLite:
		// VACUUM INTO wants a file that does not exist.
		os.Remove(name)
		conn, err := s.read.Conn(ctx)
		if err != nil {
			return err
		}
		// The readers are query_only; the copy goes to another file.
		_, err = conn.ExecContext(ctx, `PRAGMA query_only = 0`)
		if err == nil {
			_, err = conn.ExecContext(ctx, `VACUUM INTO ?`, name)
			if _, e := conn.ExecContext(context.Background(), `PRAGMA query_only = 1`); e != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn }) // do not reuse it
			}
		}
		conn.Close()
		if err != nil {
			return fmt.Errorf("backup %s: %w", file, err)
		}
		if err := syncFile(name); err != nil {
			return fmt.Errorf("backup %s: %w", file, err)
		}
	case Postgres:
		if err := pgTool(ctx, s.url, "pg_dump", "--format=custom", "--no-owner", "--file="+name); err != nil {
			return err
		}
	}
	if err := os.Chmod(name, 0o600); err != nil {
		return err
	}
	return os.Rename(name, file)
}

func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Restore loads the backup file (made by Backup) into the database of
// dbURL, which must be empty: a SQLite file that does not exist or holds
// no record, or a PostgreSQL database without tables (pg_restore).
func Restore(ctx context.Context, dbURL, file string) error {
	if dbURL == "" {
		dbURL = DefaultURL
	}
	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
		return restorePostgres(ctx, dbURL, file)
	}
	target := strings.TrimPrefix(dbURL, "sqlite:")
	// The backup must be a Congdoan database that opens and is intact.
	src, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer src.Close()
	head := make([]byte, 16)
	if _, err := io.ReadFull(src, head); err != nil || string(head) != "SQLite format 3\x00" {
		return fmt.Errorf("restore: %s không phải bản sao lưu SQLite của Congdoan (%s is not a Congdoan SQLite backup)", file, file)
	}
	if err := checkBackup(ctx, file); err != nil {
		return err
	}
	if info, err := os.Stat(target); err == nil && info.Size() > 0 {
		st, err := Open(ctx, "sqlite:"+target)
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		empty, err := st.holdsNothing(ctx)
		st.Close()
		if err != nil {
			return err
		}
		if !empty {
			return ErrNotEmpty
		}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("restore: %w", err)
	}
	// Copied next to the target and renamed into place.
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return fmt.Errorf("restore: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("restore: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// The empty target's write-ahead log belongs to the old file.
	os.Remove(target + "-wal")
	os.Remove(target + "-shm")
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	// Open once: it checks the copy and applies any newer migration.
	st, err := Open(ctx, "sqlite:"+target)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return st.Close()
}

// checkBackup opens a SQLite backup read-only and checks it.
func checkBackup(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", liteURI(file)+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n == 0 {
		return msg.Errorf("backup.not_a_backup", file)
	}
	var ok string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&ok); err != nil || ok != "ok" {
		return msg.Errorf("backup.damaged", file)
	}
	return nil
}

// holdsNothing reports whether the database has no unit, member, user,
// plan or enterprise.
func (s *Store) holdsNothing(ctx context.Context) (bool, error) {
	for _, table := range []string{"units", "members", "users", "plans", "enterprises"} {
		var n int
		if err := s.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+table+` LIMIT 1) x`).Scan(&n); err != nil {
			return false, err
		}
		if n > 0 {
			return false, nil
		}
	}
	return true, nil
}

// restorePostgres runs pg_restore into an empty PostgreSQL database.
func restorePostgres(ctx context.Context, dbURL, file string) error {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return err
	}
	var n int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`).Scan(&n)
	db.Close()
	if err != nil {
		return fmt.Errorf("restore: connect to the database: %w", err)
	}
	if n > 0 {
		return ErrNotEmpty
	}
	return pgTool(ctx, dbURL, "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", file)
}

// pgTool runs pg_dump or pg_restore on the database of dbURL, the
// password passed in the environment rather than on the command line.
func pgTool(ctx context.Context, dbURL, tool string, args ...string) error {
	path, err := exec.LookPath(tool)
	if err != nil {
		return msg.Errorf("backup.tool_missing", tool)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		return err
	}
	env := os.Environ()
	if pass, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pass)
		u.User = url.User(u.User.Username())
	}
	cmd := exec.CommandContext(ctx, path, append([]string{"--dbname=" + u.String()}, args...)...)
	cmd.Env = env
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", tool, err, strings.TrimSpace(out.String()))
	}
	return nil
}
