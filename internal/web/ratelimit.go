package web

import (
	"strings"
	"sync"
	"time"
)

// loginLimiter counts failed logins per key (a user name, an address) in
// memory: past max failures within window of the first, the key is refused
// until the window ends. Losing the counts on restart is acceptable: they
// only slow password guessing down.
type loginLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	fails  map[string]*failures
}

type failures struct {
	since time.Time
	n     int
}

func newLoginLimiter(max int, window time.Duration) *loginLimiter {
	return &loginLimiter{max: max, window: window, now: time.Now, fails: map[string]*failures{}}
}

func userKey(name string) string { return "user:" + strings.ToLower(strings.TrimSpace(name)) }
func addrKey(ip string) string   { return "addr:" + ip }

// limit is the number of failures a key may have: addresses, shared by the
// people of an office, get more.
func (l *loginLimiter) limit(key string) int {
	if strings.HasPrefix(key, "addr:") {
		return 4 * l.max
	}
	return l.max
}

// blocked reports whether any key is refused, and for how long.
func (l *loginLimiter) blocked(keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		f := l.fails[k]
		if f == nil || now.Sub(f.since) >= l.window {
			continue
		}
		if f.n >= l.limit(k) {
			wait = max(wait, f.since.Add(l.window).Sub(now))
		}
	}
	return wait > 0, wait
}

// fail counts a failed login against every key.
func (l *loginLimiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.fails) > 10_000 {
		for k, f := range l.fails {
			if now.Sub(f.since) >= l.window {
				delete(l.fails, k)
			}
		}
	}
	for _, k := range keys {
		f := l.fails[k]
		if f == nil || now.Sub(f.since) >= l.window {
			f = &failures{since: now}
			l.fails[k] = f
		}
		f.n++
	}
}

// reset forgets the failures of a key (a user name, after a good login;
// not the address, which a guesser with an account of their own could
// otherwise clear).
func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}
