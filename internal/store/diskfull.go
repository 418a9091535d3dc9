package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"congdoan/internal/msg"
)

// DiskFullError is the error of a write that failed because a disk is
// full: the database's, the one a backup goes to, or the temporary
// folder's. Its words are the message of store.disk_full, never the
// database's; Err keeps the cause for the log.
type DiskFullError struct{ Err error }

func (e *DiskFullError) Error() string  { return e.Text().String() }
func (e *DiskFullError) Text() msg.Text { return msg.New("store.disk_full") }
func (e *DiskFullError) Unwrap() error  { return e.Err }

// Is makes every full-disk error match ErrDiskFull, whatever its cause:
// errors.Is(err, ErrDiskFull) asks "was the disk full?".
func (e *DiskFullError) Is(target error) bool { return target == ErrDiskFull }

// ErrDiskFull is the error of a write to a database opened read-only
// because its disk was full (see openFullDisk).
var ErrDiskFull = &DiskFullError{}

// DiskFull reports whether err means that a disk is full: a write cannot
// go through until someone frees space, so retrying soon is pointless.
func DiskFull(err error) bool {
	if err == nil {
		return false
	}
	var df *DiskFullError
	if errors.As(err, &df) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	// PostgreSQL answers disk_full for every ENOSPC it meets (a table or
	// index that grows, a temporary file, a short write), whatever the
	// message's language.
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "53100" // disk_full
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		return lite.Code()&0xff == 13 // SQLITE_FULL
	}
	return false
}

// diskFullAt turns err into a *DiskFullError when it is one, or when it is
// an I/O error of a SQLite file (or a tool's failure) in dir and dir's
// file system has no room left: SQLite reports a full disk met while
// growing its shared-memory file, and pg_dump a full output disk, only as
// I/O errors.
func diskFullAt(dir string, err error) error {
	if err == nil {
		return nil
	}
	var df *DiskFullError
	if errors.As(err, &df) {
		return err
	}
	if DiskFull(err) {
		return &DiskFullError{Err: err}
	}
	var lite interface{ Code() int }
	ioErr := errors.As(err, &lite) && lite.Code()&0xff == 10 // SQLITE_IOERR
	var exit interface{ ExitCode() int }
	tool := errors.As(err, &exit) || strings.Contains(err.Error(), "No space left on device")
	if (ioErr || tool) && noRoom(dir) {
		return &DiskFullError{Err: err}
	}
	return err
}

// noRoom reports whether the file system of dir has less than a page of
// SQLite (64 KiB, with margin) free for an unprivileged writer.
func noRoom(dir string) bool {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return false
	}
	return fs.Bavail*uint64(fs.Bsize) < 64<<10
}

// sqliteSidecars are the files SQLite keeps next to a WAL database.
var sqliteSidecars = []string{"-wal", "-shm"}

// absentSidecars lists the database file and its sidecar files that do
// not exist yet: those an open that fails may leave behind, and that no
// other process uses.
func absentSidecars(file string) []string {
	var out []string
	for _, sfx := range append([]string{""}, sqliteSidecars...) {
		if _, err := os.Lstat(file + sfx); errors.Is(err, os.ErrNotExist) {
			out = append(out, file+sfx)
		}
	}
	return out
}

// removeStrays removes the files of paths an attempt created: empty, or a
// shared-memory file cut short (a full disk leaves a few bytes of it).
func removeStrays(paths []string) {
	for _, p := range paths {
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && fi.Size() < 32<<10 {
			os.Remove(p)
		}
	}
}

// openFullDisk opens the SQLite database file, whose disk is full, for
// reading only. In WAL mode SQLite keeps an index of the log in a
// shared-memory file (-shm) that it cannot create on a full disk; in the
// exclusive locking mode it keeps that index in its own memory instead,
// and creates no file. Exclusive locking keeps other processes out while
// this one runs, which costs nothing here: a process that had the
// database open would have left its -shm file, and on a full disk no
// other could write anyway. Writes fail with ErrDiskFull.
func (s *Store) openFullDisk(ctx context.Context, file string, cause error) error {
	strays := absentSidecars(file)
	db, err := sql.Open("sqlite", liteURI(file)+"?_pragma=busy_timeout(10000)&_pragma=locking_mode(EXCLUSIVE)&_pragma=query_only(1)")
	if err != nil {
		return cause
	}
	// No cache_size pragma: measured, with it the connection still made
	// a -shm file (and failed).
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxIdleTime(0)
	// A database older than this program needs its migrations, which
	// write: it cannot be read here.
	var have int
	err = db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have)
	if err != nil || have < latestMigration() {
		db.Close()
		removeStrays(strays)
		return &DiskFullError{Err: cause}
	}
	s.write, s.read, s.fullDisk = db, db, true
	return nil
}

// latestMigration is the version of the newest embedded SQLite migration.
func latestMigration() int {
	all, _ := migrationsFor(SQLite)
	if len(all) == 0 {
		return 0
	}
	return all[len(all)-1].version
}

// sqliteDir is the folder of the SQLite database file of url.
func sqliteDir(url string) string {
	return filepath.Dir(strings.TrimPrefix(url, "sqlite:"))
}

// fullErr is err as a *DiskFullError when it comes from a full disk: the
// database's (SQLite) or any (ENOSPC, PostgreSQL's disk_full).
func (s *Store) fullErr(err error) error {
	if err == nil {
		return nil
	}
	dir := ""
	if s.engine == SQLite {
		dir = sqliteDir(s.url)
	}
	return diskFullAt(dir, err)
}
