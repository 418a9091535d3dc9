package web_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"congdoan/internal/domain"
	"congdoan/internal/fault"
	"congdoan/internal/msg"
	"congdoan/internal/store"
	"congdoan/internal/storetest"
	"congdoan/internal/web"
)

func (s *syncBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(s, nil)) }

func newServer(t *testing.T, s *web.Server) *httptest.Server {
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func newTLSServer(t *testing.T, s *web.Server) *httptest.Server {
	srv := httptest.NewTLSServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}

// serve runs s.Serve on a local port until the test ends.
func serve(t *testing.T, s *web.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// dialSending opens a connection to addr, closed when the test ends, and
// sends it request.
func dialSending(t *testing.T, addr, request string) net.Conn {
	t.Helper()
	c := dial(t, addr)
	io.WriteString(c, request)
	return c
}

// dial opens a connection to addr, closed when the test ends.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	return storetest.Closed(t, c, err)
}

// closedWithin reports whether the server ends the connection within d
// (reading and dropping whatever it answers first).
func closedWithin(c net.Conn, d time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, c)
	var ne net.Error
	return !(errors.As(err, &ne) && ne.Timeout())
}

// A body sent slowly, an idle kept-alive connection and a flood of
// connections from one address are all cut off.
func TestServerTimeouts(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, store.SQLite)
	logs := &syncBuffer{}
	addr := serve(t, &web.Server{Store: st, Log: logs.logger(), ReadTimeout: 300 * time.Millisecond, IdleTimeout: 300 * time.Millisecond, MaxConnsPerAddr: 3})

	t.Run("slow body", func(t *testing.T) {
		c := dialSending(t, addr, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=")
		start := time.Now()
		stop := make(chan struct{})
		go func() { // one byte a 100 ms: never done within the timeout
			for {
				select {
				case <-stop:
					return
				case <-time.After(100 * time.Millisecond):
					if _, err := c.Write([]byte("a")); err != nil {
						return
					}
				}
			}
		}()
		defer close(stop)
		if !closedWithin(c, 3*time.Second) {
			t.Errorf("a body sent at 10 bytes a second is still read after %v", time.Since(start))
		}
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		c := dialSending(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("healthz: %v %v", resp, err)
		}
		resp.Body.Close()
		if !closedWithin(c, 3*time.Second) {
			t.Error("an idle connection stays open")
		}
	})
	t.Run("connections per address", func(t *testing.T) {
		var held []net.Conn
		for range 3 {
			held = append(held, dial(t, addr))
		}
		time.Sleep(100 * time.Millisecond)
		c := dialSending(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
			t.Errorf("a fourth connection was served: %d", resp.StatusCode)
		}
		held[0].Close()
		held = held[1:]
		time.Sleep(100 * time.Millisecond)
		resp, err := (&http.Client{Timeout: 2 * time.Second}).Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatalf("after one closed: %v", err)
		}
		resp.Body.Close()
	})
}

// tcpProxy forwards a local port to target until stopped; stop also cuts
// the connections it carries, as a database restart does.
type tcpProxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{t: t, target: target}
	p.start("127.0.0.1:0")
	t.Cleanup(p.stop)
	return p
}

func (p *tcpProxy) start(addr string) {
	var ln net.Listener
	var err error
	for range 50 { // the port may take a moment to free
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *tcpProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// While PostgreSQL is unreachable /healthz, the API and the pages answer
// 503 (with Retry-After, in Vietnamese, without the database's words), and
// they recover by themselves.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(storetest.URL(t, store.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newProxy(t, u.Host)
	u.Host = proxy.addr
	st, err := store.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newFixture(t, st)
	b := f.loggedIn("lan")

	get := func(path, user string) (int, http.Header, string) {
		req, _ := http.NewRequest("GET", f.srv.URL+path, nil)
		if user != "" {
			req.Header.Set("Authorization", "Bearer "+f.tokens[user])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(body)
	}
	if status, _, _ := get("/healthz", ""); status != 200 {
		t.Fatalf("healthz before: %d", status)
	}
	proxy.stop()

	status, hdr, body := get("/healthz", "")
	if status != 503 {
		t.Errorf("healthz during the outage: %d %s", status, body)
	}
	status, hdr, body = get("/api/v1/members?unit=CG-A", "lan")
	if status != 503 || hdr.Get("Retry-After") == "" || !strings.Contains(body, "temporarily unavailable") {
		t.Errorf("API during the outage: %d %q %s", status, hdr.Get("Retry-After"), body)
	}
	for _, leak := range []string{"dial", "connect", "127.0.0.1", "SQLSTATE", "refused"} {
		if strings.Contains(body, leak) {
			t.Errorf("the API answer shows %q: %s", leak, body)
		}
	}
	status, _ = f.postJSON("/api/v1/members", "lan", map[string]any{"national_id": "001195000601", "full_name": "Ngô Thị Hoa", "date_of_birth": "1995-06-01",
		"gender": "female", "unit_code": "CG-A", "joined_on": "2022-06-01"})
	if status != 503 {
		t.Errorf("API write during the outage: %d", status)
	}
	resp, page := b.get("/members")
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !strings.Contains(page, "tạm thời gián đoạn") {
		t.Errorf("page during the outage: %d %.300s", resp.StatusCode, page)
	}

	proxy.start(proxy.addr)
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, _, _ := get("/api/v1/members?unit=CG-A", "lan")
		if status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery: %d", status)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status, _, _ := get("/healthz", ""); status != 200 {
		t.Errorf("healthz after: %d", status)
	}
	if resp, _ := b.get("/members"); resp.StatusCode != 200 {
		t.Errorf("page after: %d", resp.StatusCode)
	}
	_ = hdr
}

type teapot struct{}

func (teapot) Error() string   { return "teapot" }
func (teapot) HTTPStatus() int { return http.StatusTeapot }

// TestFaultTable (internal/fault, tested here: its own test binary would
// link the whole store for this one table): every typed error gets its status, wrapped or not, and
// every error exits 1 (docs/interfaces.md), nil 0.
func TestFaultTable(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
		retry  bool
	}{
		{"not found", domain.NotFound("unit", "HN-X"), http.StatusNotFound, false},
		{"forbidden", fmt.Errorf("save: %w", domain.ErrForbidden), http.StatusForbidden, false},
		{"validation", &domain.ValidationError{Errors: []domain.FieldError{domain.Invalid("unit", msg.New("required"))}}, http.StatusUnprocessableEntity, false},
		{"one field", domain.Invalid("plan", msg.New("required")), http.StatusUnprocessableEntity, false},
		{"below itself", &domain.BelowItself{Unit: "A", Parent: "B"}, http.StatusUnprocessableEntity, false},
		{"bad login", store.ErrBadLogin, http.StatusUnauthorized, false},
		{"decided", fmt.Errorf("approve: %w", store.ErrDecided), http.StatusConflict, false},
		{"stale", store.ErrStale, http.StatusConflict, false},
		{"disk full", &store.DiskFullError{Err: syscall.ENOSPC}, http.StatusInsufficientStorage, false},
		{"no space", fmt.Errorf("write: %w", syscall.ENOSPC), http.StatusInsufficientStorage, false},
		{"unavailable", fmt.Errorf("query: %w", syscall.ECONNREFUSED), http.StatusServiceUnavailable, true},
		{"deadline", context.DeadlineExceeded, http.StatusServiceUnavailable, true},
		{"own status", fmt.Errorf("x: %w", teapot{}), http.StatusTeapot, false},
		{"anything else", errors.New("boom"), http.StatusInternalServerError, false},
	}
	for _, c := range cases {
		got := fault.Of(c.err)
		if got.Status != c.status || got.Retry != c.retry || got.Exit != 1 || fault.Exit(c.err) != 1 {
			t.Errorf("%s: %+v, want status %d retry %v exit 1", c.name, got, c.status, c.retry)
		}
	}
	if c := fault.Of(nil); c.Status != http.StatusOK || c.Exit != 0 || fault.Exit(nil) != 0 {
		t.Errorf("nil: %+v", c)
	}
}
