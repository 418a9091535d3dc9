package store

import (
	"congdoan/internal/msg"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Options are the settings of Open beyond the database's URL.
type Options struct {
	// Replicas are the URLs of PostgreSQL streaming replicas of the
	// database (hot standbys). The reads of reports, lists and searches go
	// to them in turn while they answer and lag less than MaxLag; the
	// writes, the logins and tokens, and every read of a context marked by
	// WithPrimary stay on the primary.
	Replicas []string
	// RequireReplicas makes Open fail when a replica does not answer;
	// without it such a replica is only marked down (and checked again).
	RequireReplicas bool
	// MaxLag is how far behind the primary a replica may be and still
	// serve reads (default 5 s); CheckEvery how often each replica's lag is
	// measured (default 1 s).
	MaxLag, CheckEvery time.Duration
}

// primaryKey marks a context whose reads must see the primary.
type primaryKey struct{}

// WithPrimary returns a context whose reads go to the primary: the
// request that writes, and a user's requests shortly after their own
// write (read your writes).
func WithPrimary(ctx context.Context) context.Context {
	return context.WithValue(ctx, primaryKey{}, true)
}

func onPrimary(ctx context.Context) bool {
	v, _ := ctx.Value(primaryKey{}).(bool)
	return v
}

// ReplicaStatus is what the store knows of one replica.
type ReplicaStatus struct {
	// Name is host:port/database, without the password.
	Name string
	// Up: the replica answers, is a standby and lags at most MaxLag, so
	// it serves reads.
	Up bool
	// Lag is how far the replica's replayed WAL is behind the primary's, in
	// time: at most Lag old (when Up), at least Lag old otherwise; -1 when
	// unknown.
	Lag time.Duration
	// Problem says why the replica is down ("" when up), in English for
	// the logs and /healthz; never the driver's words, which name the
	// database user.
	Problem string
	// Cause is why the replica is down as a catalog key (ReplicaNoAnswer,
	// ReplicaLags, ReplicaNotStandby; "" when up), for messages to people.
	Cause string
	// Checked is when the replica was last checked.
	Checked time.Time
}

// replica is one streaming replica and its last known state.
type replica struct {
	name string
	db   *sql.DB
	mu   sync.Mutex
	st   ReplicaStatus
}

func (r *replica) status() ReplicaStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.st
}

// The causes of a replica being down, as catalog keys.
const (
	ReplicaNoAnswer   = "replica.no_answer"
	ReplicaLags       = "replica.lags"
	ReplicaNotStandby = "replica.not_standby"
)

func (r *replica) set(up bool, lag time.Duration, cause, problem string) {
	r.mu.Lock()
	r.st = ReplicaStatus{Name: r.name, Up: up, Lag: lag, Cause: cause, Problem: problem, Checked: time.Now()}
	r.mu.Unlock()
}

// markDown takes the replica out of service after a failed query, until the
// next check finds it well.
func (r *replica) markDown(err error) {
	r.mu.Lock()
	r.st.Up = false
	r.st.Cause, r.st.Problem = ReplicaNoAnswer, "query failed"
	r.mu.Unlock()
	slog.Debug("read replica query failed", "replica", r.name, "err", driverDetail(err))
}

// router sends the reads of reports, lists and searches to a healthy
// replica, in turn, and to the primary read pool when there is none, when
// the context asks for the primary, or when the replica fails to answer.
// Its methods are those of *sql.DB that the store's read paths use.
type router struct {
	primary  *sql.DB
	replicas []*replica
	next     atomic.Uint64
	maxLag   time.Duration
	every    time.Duration
	stop     chan struct{}
	done     chan struct{}
	// samples of the primary's WAL position, oldest first, by which a
	// replica's replayed position translates into a lag in time.
	samples []walSample
}

type walSample struct {
	at  time.Time
	lsn int64
}

// pick returns the pool for a read of ctx, and the replica it belongs to
// (nil: the primary).
func (r *router) pick(ctx context.Context) (*sql.DB, *replica) {
	if len(r.replicas) == 0 || onPrimary(ctx) {
		return r.primary, nil
	}
	n := uint64(len(r.replicas))
	start := r.next.Add(1)
	for i := uint64(0); i < n; i++ {
		rep := r.replicas[(start+i)%n]
		if rep.status().Up {
			return rep.db, rep
		}
	}
	return r.primary, nil
}

// fallBack reports whether a read that failed with err on rep should be
// tried again on the primary, and if so takes rep out of service.
func fallBack(ctx context.Context, rep *replica, err error) bool {
	if rep == nil || err == nil || ctx.Err() != nil || !Unavailable(err) {
		return false
	}
	rep.markDown(err)
	return true
}

func (r *router) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	db, rep := r.pick(ctx)
	rows, err := db.QueryContext(ctx, q, args...)
	if fallBack(ctx, rep, err) {
		return r.primary.QueryContext(ctx, q, args...)
	}
	return rows, err
}

// QueryRowContext is QueryContext for one row, as *sql.DB's.
func (r *router) QueryRowContext(ctx context.Context, q string, args ...any) *Row {
	rows, err := r.QueryContext(ctx, q, args...)
	return &Row{rows: rows, err: err}
}

func (r *router) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	db, rep := r.pick(ctx)
	tx, err := db.BeginTx(ctx, opts)
	if fallBack(ctx, rep, err) {
		return r.primary.BeginTx(ctx, opts)
	}
	return tx, err
}

// Row is the result of router.QueryRowContext, like *sql.Row.
type Row struct {
	rows *sql.Rows
	err  error
}

// Scan copies the row's columns into dest; sql.ErrNoRows when there is no
// row.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}

// openReplicas connects to the replicas of opt and starts watching them.
func (s *Store) openReplicas(ctx context.Context, opt Options) error {
	s.replica = &router{primary: s.read}
	if len(opt.Replicas) == 0 {
		return nil
	}
	if s.engine != Postgres {
		return msg.Errorf("replica.postgres_only")
	}
	r := s.replica
	r.maxLag, r.every = opt.MaxLag, opt.CheckEvery
	if r.maxLag <= 0 {
		r.maxLag = 5 * time.Second
	}
	if r.every <= 0 {
		r.every = time.Second
	}
	for _, url := range opt.Replicas {
		cfg, err := pgx.ParseConfig(url)
		if err != nil {
			return fmt.Errorf("--db-replica: %w", err)
		}
		pgSessionDefaults(cfg)
		if cfg.ConnectTimeout == 0 {
			cfg.ConnectTimeout = 3 * time.Second
		}
		db := stdlib.OpenDB(*cfg)
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		rep := &replica{name: fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database), db: db}
		rep.st = ReplicaStatus{Name: rep.name, Lag: -1, Problem: "not checked yet"}
		r.replicas = append(r.replicas, rep)
	}
	r.check(ctx)
	if opt.RequireReplicas {
		for _, rep := range r.replicas {
			if st := rep.status(); !st.Up {
				if st.Cause == "" {
					st.Cause = ReplicaNoAnswer
				}
				return msg.Errorf("replica.unusable", st.Name, msg.New(st.Cause))
			}
		}
	}
	r.stop, r.done = make(chan struct{}), make(chan struct{})
	go r.watch()
	return nil
}

// watch checks the replicas every r.every until close.
func (r *router) watch() {
	defer close(r.done)
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), r.every+2*time.Second)
			r.check(ctx)
			cancel()
		}
	}
}

func (r *router) close() error {
	if r == nil || len(r.replicas) == 0 {
		return nil
	}
	if r.stop != nil {
		close(r.stop)
		<-r.done
	}
	var err error
	for _, rep := range r.replicas {
		err = errors.Join(err, rep.db.Close())
	}
	return err
}

// check measures each replica's lag. The primary's WAL position is
// sampled first; a replica that has replayed up to a sample taken at time
// t holds every transaction committed before t, so its lag is at most
// now - t. Unlike pg_last_xact_replay_timestamp this stays right while the
// primary is idle.
func (r *router) check(ctx context.Context) {
	now := time.Now()
	var lsn int64
	err := r.primary.QueryRowContext(ctx, `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint`).Scan(&lsn)
	if err == nil {
		r.samples = append(r.samples, walSample{at: now, lsn: lsn})
	}
	// Keep the samples of the last 2 * MaxLag, and at least one.
	keep := now.Add(-2*r.maxLag - r.every)
	for len(r.samples) > 1 && r.samples[0].at.Before(keep) {
		r.samples = r.samples[1:]
	}
	for _, rep := range r.replicas {
		var standby bool
		var replayed int64
		qctx, cancel := context.WithTimeout(ctx, r.every+time.Second)
		qerr := rep.db.QueryRowContext(qctx, `SELECT pg_is_in_recovery(), COALESCE(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0'), 0)::bigint`).Scan(&standby, &replayed)
		cancel()
		switch {
		case qerr != nil:
			// The driver's words name the database user: debug logs only.
			slog.Debug("read replica does not answer", "replica", rep.name, "err", driverDetail(qerr))
			rep.set(false, -1, ReplicaNoAnswer, "does not answer")
		case !standby:
			rep.set(false, -1, ReplicaNotStandby, "not a standby (promoted?)")
		case len(r.samples) == 0:
			// The primary does not answer: the replica's lag is unknown,
			// but it is the only database that can serve reads.
			rep.set(true, -1, "", "")
		default:
			lag := time.Duration(-1)
			for i := len(r.samples) - 1; i >= 0; i-- {
				if r.samples[i].lsn <= replayed {
					lag = time.Since(r.samples[i].at)
					break
				}
			}
			switch {
			case lag < 0:
				lag = time.Since(r.samples[0].at)
				rep.set(false, lag, ReplicaLags, fmt.Sprintf("lags more than %s", lag.Round(time.Millisecond)))
			case lag > r.maxLag:
				rep.set(false, lag, ReplicaLags, fmt.Sprintf("lags %s, more than %s", lag.Round(time.Millisecond), r.maxLag))
			default:
				rep.set(true, lag, "", "")
			}
		}
	}
}

// connUser is the user name pgx puts in its connection errors.
var connUser = regexp.MustCompile(`user=\S+`)

// driverDetail is a driver's error on one line, for debug logs, without
// the database user's name.
func driverDetail(err error) string {
	return connUser.ReplaceAllString(oneLine(err.Error()), "user=…")
}

// oneLine joins the lines of an error message (pgx puts the reason on the
// second).
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Replicas returns the state of each replica, in the order given to Open.
func (s *Store) Replicas() []ReplicaStatus {
	if s.replica == nil {
		return nil
	}
	out := make([]ReplicaStatus, len(s.replica.replicas))
	for i, rep := range s.replica.replicas {
		out[i] = rep.status()
	}
	return out
}

// ReadYourWrites is how long a user's reads should stay on the primary
// after their own write so that they see it: the longest lag a replica in
// service may have, plus two checks. Zero without replicas.
func (s *Store) ReadYourWrites() time.Duration {
	if s.replica == nil || len(s.replica.replicas) == 0 {
		return 0
	}
	return s.replica.maxLag + 2*s.replica.every
}

// PoolStats are the statistics of one connection pool.
type PoolStats struct {
	// Pool is "write", "read" (SQLite's readers), or "replica HOST:PORT/DB".
	Pool  string
	Stats sql.DBStats
}

// Pools returns the statistics of the store's connection pools.
func (s *Store) Pools() []PoolStats {
	out := []PoolStats{{Pool: "write", Stats: s.write.Stats()}}
	if s.read != s.write {
		out = append(out, PoolStats{Pool: "read", Stats: s.read.Stats()})
	}
	if s.replica != nil {
		for _, rep := range s.replica.replicas {
			out = append(out, PoolStats{Pool: "replica " + rep.name, Stats: rep.db.Stats()})
		}
	}
	return out
}
