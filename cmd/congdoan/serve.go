package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"congdoan/internal/demo"
	"congdoan/internal/msg"
	"congdoan/internal/store"
	"congdoan/internal/web"
)

// lookupEnv reads the environment variable key or, when it is not set, the
// file named by key_FILE (the way container secrets are given), without
// its final line break.
func lookupEnv(key string) (string, bool, error) {
	if v, ok := os.LookupEnv(key); ok {
		return v, true, nil
	}
	if p, ok := os.LookupEnv(key + "_FILE"); ok && p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			return "", false, msg.Errorf("cli.env_file", key, p, fileProblem(err))
		}
		return strings.TrimRight(string(b), "\r\n"), true, nil
	}
	return "", false, nil
}

// fromEnv sets each flag of fs that the command line did not give from its
// environment variable (env: flag name -> variable), or NAME_FILE.
func fromEnv(fs *flag.FlagSet, env map[string]string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for name, key := range env {
		if given[name] {
			continue
		}
		v, ok, err := lookupEnv(key)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := fs.Set(name, v); err != nil {
			if _, ok := fs.Lookup(name).Value.(lifetime); ok {
				return usageError{msg.New("cli.env_lifetime", key, v)}
			}
			return usageError{msg.New("cli.env_invalid", key, v)}
		}
	}
	return nil
}

// databaseURL is the database of a command: --db after the command, --db
// before it, CONGDOAN_DB, or the file named by CONGDOAN_DB_FILE.
func databaseURL(flagged ...string) (string, error) {
	for _, u := range flagged {
		if u != "" {
			return u, nil
		}
	}
	v, _, err := lookupEnv("CONGDOAN_DB")
	return v, err
}

// urlList is a repeatable flag.
type urlList []string

func (l *urlList) String() string { return strings.Join(*l, ",") }
func (l *urlList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// lifetime is a flag of a duration written as 12h, 90m or 7d.
type lifetime struct{ d *time.Duration }

func (l lifetime) String() string {
	if l.d == nil {
		return ""
	}
	return l.d.String()
}
func (l lifetime) Set(v string) error {
	d, err := parseLifetime(v)
	if err != nil {
		// flagError and fromEnv word this in the user's language.
		return err
	}
	*l.d = d
	return nil
}

// runServe runs serve and demo: every setting a flag, and an environment
// variable when the flag is not given (NAME_FILE for any of them, meant
// for the secrets: the database URLs, the metrics token).
func runServe(ctx context.Context, cmd string, f *flags, args []string, dbFlag string, stdout, stderr io.Writer) error {
	addr := f.String("addr", "127.0.0.1:8080", "listen address")
	trustProxy := f.Bool("trust-proxy", false, "trust X-Forwarded-For and X-Forwarded-Proto from a reverse proxy")
	baseURL := f.String("base-url", "", "the address people use, e.g. https://congdoan.example.vn")
	session := 12 * time.Hour
	f.Var(lifetime{&session}, "session-lifetime", "how long a login lasts")
	tlsCert := f.String("tls-cert", "", "certificate file (PEM): serve HTTPS")
	tlsKey := f.String("tls-key", "", "private key file (PEM)")
	logFormat := f.String("log-format", "text", "text or json")
	accessLog := f.Bool("access-log", true, "log every request")
	metricsToken := f.String("metrics-token", "", "bearer token /metrics asks for")
	var replicas urlList
	f.Var(&replicas, "db-replica", "URL of a PostgreSQL streaming replica (repeatable)")
	replicaRequired := f.Bool("db-replica-required", false, "fail at start-up when a replica does not answer")
	maxLag := f.Duration("db-replica-max-lag", 5*time.Second, "a replica further behind serves no reads")
	shutdown := f.Duration("shutdown-timeout", 30*time.Second, "how long the requests in flight may take to finish on SIGTERM")
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{msg.New("cli.extra_arg", pos[0])}
	}
	err = fromEnv(f.FlagSet, map[string]string{
		"addr": "CONGDOAN_ADDR", "trust-proxy": "CONGDOAN_TRUST_PROXY", "base-url": "CONGDOAN_BASE_URL",
		"session-lifetime": "CONGDOAN_SESSION_LIFETIME", "tls-cert": "CONGDOAN_TLS_CERT", "tls-key": "CONGDOAN_TLS_KEY",
		"log-format": "CONGDOAN_LOG_FORMAT", "access-log": "CONGDOAN_ACCESS_LOG", "metrics-token": "CONGDOAN_METRICS_TOKEN",
		"db-replica-required": "CONGDOAN_DB_REPLICA_REQUIRED", "db-replica-max-lag": "CONGDOAN_DB_REPLICA_MAX_LAG",
		"shutdown-timeout": "CONGDOAN_SHUTDOWN_TIMEOUT",
	})
	if err != nil {
		return err
	}
	if len(replicas) == 0 {
		v, _, err := lookupEnv("CONGDOAN_DB_REPLICAS")
		if err != nil {
			return err
		}
		for _, u := range strings.Split(v, ",") {
			if u = strings.TrimSpace(u); u != "" {
				replicas = append(replicas, u)
			}
		}
	}
	var handler slog.Handler
	switch *logFormat {
	case "text":
		handler = slog.NewTextHandler(stderr, nil)
	case "json":
		handler = slog.NewJSONHandler(stderr, nil)
	default:
		return usageError{msg.New("cli.log_format", *logFormat)}
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return usageError{msg.New("cli.tls_pair")}
	}
	if *tlsCert != "" {
		if _, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey); err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
				return msg.Errorf("cli.tls_file", *tlsCert, *tlsKey, fileProblem(err))
			}
			return msg.Errorf("cli.tls_bad", *tlsCert, *tlsKey)
		}
	}
	if *baseURL != "" {
		u, err := url.Parse(*baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError{msg.New("cli.base_url", *baseURL)}
		}
	}
	log := slog.New(handler)
	db, err := databaseURL(*f.db, dbFlag)
	if err != nil {
		return err
	}
	st, err := store.OpenWith(ctx, db, store.Options{Replicas: replicas, RequireReplicas: *replicaRequired, MaxLag: *maxLag})
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range st.Replicas() {
		if r.Up {
			log.Info("read replica in service", "replica", r.Name)
		} else {
			log.Warn("read replica unavailable: its reads go to the primary", "replica", r.Name, "problem", r.Problem)
		}
	}
	if cmd == "demo" {
		if err := startDemo(ctx, st, stdout); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return msg.Errorf("cli.addr_in_use", *addr)
		}
		return msg.Errorf("cli.addr_bad", *addr)
	}
	at := *baseURL
	if at == "" {
		scheme := "http"
		if *tlsCert != "" {
			scheme = "https"
		}
		at = fmt.Sprintf("%s://%s/", scheme, ln.Addr())
	}
	at = strings.TrimSuffix(at, "/")
	say(stdout, "cli.serving", at)
	if cmd == "demo" {
		say(stdout, "cli.demo_report", fmt.Sprintf("%s/?plan=%s&as_of=%s", at, demo.PlanCode, demo.AsOf))
		say(stdout, "cli.demo_reform", fmt.Sprintf("%s/?plan=%s&as_of=%s", at, demo.Plan2025Code, demo.ReformAsOf))
	}
	log.Info("serving", "addr", ln.Addr().String(), "version", version().Version, "replicas", len(replicas))
	srv := &web.Server{Store: st, Log: log, TrustProxy: *trustProxy, SessionTTL: session, BaseURL: *baseURL,
		TLSCert: *tlsCert, TLSKey: *tlsKey, MetricsToken: *metricsToken, ShutdownTimeout: *shutdown}
	if *accessLog {
		srv.AccessLog = log
	}
	return srv.Serve(ctx, ln)
}

// buildInfo is what `congdoan version` prints.
type buildInfo struct {
	Version, Revision, Time, Go string
	Modified                    bool
}

// version reads the binary's build information: the module version when
// built by `go install congdoan@vX`, the commit, its time and whether the
// tree had changes when built from a clone.
func version() buildInfo { return versionOf(debug.ReadBuildInfo()) }

func versionOf(info *debug.BuildInfo, ok bool) buildInfo {
	b := buildInfo{Version: "(devel)"}
	if !ok {
		return b
	}
	b.Go = info.GoVersion
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

func runVersion(stdout io.Writer) error {
	b := version()
	fmt.Fprintf(stdout, "congdoan %s\n", b.Version)
	if b.Revision != "" {
		rev := b.Revision
		if b.Modified {
			rev += " " + msg.New("cli.version_modified").In(lang)
		}
		fmt.Fprintf(stdout, "commit: %s\n", rev)
	}
	if b.Time != "" {
		say(stdout, "cli.version_time", b.Time)
	}
	fmt.Fprintf(stdout, "Go: %s\n", b.Go)
	return nil
}

// runBackup runs backup FILE and restore FILE.
func runBackup(ctx context.Context, cmd string, f *flags, args []string, dbFlag string, stdout io.Writer) error {
	pos, err := f.parse(args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{msg.New("cli.backup_file", cmd)}
	}
	file := pos[0]
	db, err := databaseURL(*f.db, dbFlag)
	if err != nil {
		return err
	}
	if cmd == "restore" {
		if err := store.Restore(ctx, db, file); err != nil {
			if errors.Is(err, store.ErrNotEmpty) {
				return msg.Errorf("cli.restore_not_empty")
			}
			return err
		}
		say(stdout, "cli.restored", file)
		return nil
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if err := st.Backup(ctx, file); err != nil {
		return err
	}
	info, err := os.Stat(file)
	if err != nil {
		return err
	}
	say(stdout, "cli.backed_up", file, count(info.Size()), time.Since(start).Round(time.Millisecond))
	return nil
}
