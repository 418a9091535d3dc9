// Package store keeps Congdoan's records in embedded SQLite or in
// PostgreSQL behind one API. All SQL lives here. Besides the records it keeps
// the daily counters of every unit's subtree (table unit_day) up to date on
// every write, which is what lets a report read a few thousand rows instead
// of every member.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers "sqlite"
)

//go:embed migrations
var migrations embed.FS

// Engine names a database engine.
type Engine string

// The two engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store is an open database.
type Store struct {
	engine Engine
	// write is the only connection that writes on SQLite, so writers queue
	// in Go instead of failing with "database is locked"; on PostgreSQL it is
	// the same pool as read.
	write *sql.DB
	read  *sql.DB
	// replica routes the reads of reports, lists and searches: to a
	// healthy streaming replica (Options.Replicas), else to read.
	replica *router
	// url is the URL given to Open (for pg_dump).
	url string
	// fullDisk: the SQLite database was opened read-only because its disk
	// was full (openFullDisk); every write fails with ErrDiskFull.
	fullDisk bool
}

// DefaultURL is the database used when none is given.
const DefaultURL = "congdoan.db"

// pgSessionDefaults sets, where the URL does not, the session settings
// the store's queries are written for. No JIT: a report's queries are
// short, and compiling them costs more than it saves (measured: 12 ms of
// JIT in a 17 ms root report). Plans made for each query's arguments: a
// prepared statement's generic plan cannot tell a ward's path range from
// the nation's (measured: the gap list's first page, 26 ms with its own
// plan, 2,8 s once PostgreSQL turned to the generic one).
func pgSessionDefaults(cfg *pgx.ConnConfig) {
	for k, v := range map[string]string{"jit": "off", "plan_cache_mode": "force_custom_plan"} {
		if _, set := cfg.RuntimeParams[k]; !set {
			cfg.RuntimeParams[k] = v
		}
	}
}

// Open opens (and creates and migrates where needed) the database named by
// url: "postgres://..." or "postgresql://..." for PostgreSQL, "sqlite:PATH"
// or a bare path for SQLite.
func Open(ctx context.Context, url string) (*Store, error) {
	return OpenWith(ctx, url, Options{})
}

// OpenWith is Open with the settings of opt (read replicas).
func OpenWith(ctx context.Context, url string, opt Options) (*Store, error) {
	if url == "" {
		url = DefaultURL
	}
	s := &Store{url: url}
	var err error
	var sqliteFile string
	var strays []string
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s.engine = Postgres
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL: %w", err)
		}
		pgSessionDefaults(cfg)
		s.write = stdlib.OpenDB(*cfg)
		s.write.SetMaxOpenConns(16)
		// Keep as many idle as open: database/sql keeps 2 by default, and a
		// burst of clients then opens a new session per request.
		s.write.SetMaxIdleConns(16)
		s.read = s.write
	default:
		s.engine = SQLite
		file := strings.TrimPrefix(url, "sqlite:")
		if file == "" {
			return nil, errors.New("empty SQLite path")
		}
		sqliteFile, strays = file, absentSidecars(file)
		// busy_timeout first, so that even opening waits for another process.
		// A 64 MiB page cache keeps the members' national-ID index in memory
		// during a large import (measured: 20 s -> 16 s for 650 000 members).
		pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_pragma=cache_size(-65536)&_txlock=immediate"
		s.write, err = sql.Open(cachedSQLite, liteURI(file)+pragmas)
		if err != nil {
			return nil, fmt.Errorf("open SQLite %s: %w", file, err)
		}
		s.write.SetMaxOpenConns(1)
		s.read, err = sql.Open(cachedSQLite, liteURI(file)+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)&_pragma=cache_size(-16384)")
		if err != nil {
			return nil, fmt.Errorf("open SQLite %s: %w", file, err)
		}
		s.read.SetMaxOpenConns(4)
		s.read.SetMaxIdleConns(4)
	}
	if err := s.write.PingContext(ctx); err != nil {
		s.Close()
		if s.engine == SQLite && DiskFull(diskFullAt(filepath.Dir(sqliteFile), err)) {
			// Reads go on on a full disk; the files the failed open
			// created go.
			removeStrays(strays)
			if err := s.openFullDisk(ctx, sqliteFile, err); err != nil {
				return nil, err
			}
			return s, s.openReplicas(ctx, opt)
		}
		if s.engine == SQLite {
			return nil, fmt.Errorf("open SQLite %s: %w", sqliteFile, err)
		}
		return nil, fmt.Errorf("connect to the database: %w", err)
	}
	steps := []func(context.Context) error{
		s.migrate,
		s.foldUnitNames,
		s.fillNameKeys,
		s.dropAbandonedHolds, // an import killed while it held members (holds.go)
		func(ctx context.Context) error { return s.openReplicas(ctx, opt) },
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Engine tells which engine this store runs on.
func (s *Store) Engine() Engine { return s.engine }

// Close closes the database.
func (s *Store) Close() error {
	err := s.replica.close()
	err = errors.Join(err, s.write.Close())
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// migrate applies the embedded migrations of the engine that are not yet
// applied, each in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	all, err := migrationsFor(s.engine)
	if err != nil {
		return err
	}
	for _, m := range all {
		v := m.version
		err := s.tx(ctx, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, s.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if s.engine == Postgres {
				// Two processes migrating one new database wait for each other.
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(4242)`); err != nil {
					return err
				}
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, v).Scan(&n); err != nil || n > 0 {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, m.body); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, s.rebind(`INSERT INTO schema_migrations (version) VALUES (?)`), v)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.fullDisk {
		return ErrDiskFull
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// rebind turns the ? placeholders into $1, $2... for PostgreSQL.
func (s *Store) rebind(q string) string {
	if s.engine != Postgres {
		return q
	}
	return Rebind(q)
}

// Rebind rewrites ? placeholders as $n.
func Rebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// placeholders returns "(?,?,?),(?,?,?)" for rows rows of cols columns.
func placeholders(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

// liteURI is the driver's "file:" name of the SQLite file path: SQLite
// reads it as a URI, where "#" ends the path and "?" starts the options,
// so a folder named "run#2" would open another file ("run") without a
// word. Those characters, and "%" itself, are written as %HH, which
// SQLite decodes.
func liteURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "#", "%23", "?", "%3f").Replace(path)
}
