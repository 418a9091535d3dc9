package web

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// loginLimiter slows password guessing down per client address; it never
// locks a user out. It counts failed logins in memory per key: an address
// ("addr:IP"), and a user name tried from an address ("pair:IP user").
// Past free failures (more for an address, shared by an office), each
// further attempt must wait a delay after the last failure, doubling with
// every failure up to maxDelay; a key with no failure for forget is
// forgotten. Somebody guessing a user's password from elsewhere slows
// down only their own address, and an admin can clear the counts of a
// user (unlock). Losing the counts on restart is acceptable.
type loginLimiter struct {
	mu       sync.Mutex
	free     int
	base     time.Duration
	maxDelay time.Duration
	forget   time.Duration
	now      func() time.Time
	fails    map[string]*failures
	// addrs are the addresses each user name failed from, for unlock.
	addrs map[string]map[string]bool
}

type failures struct {
	last time.Time
	n    int
}

func newLoginLimiter(free int, base, forget time.Duration) *loginLimiter {
	return &loginLimiter{free: free, base: base, maxDelay: forget, forget: forget, now: time.Now,
		fails: map[string]*failures{}, addrs: map[string]map[string]bool{}}
}

// maxKeyLen bounds what an unauthenticated request may make us keep or
// log of a user name (bytes).
const maxKeyLen = 4 * maxUserNameLen

// clip cuts s to at most n bytes on a character boundary, marking the cut
// with "…": what error messages, logs and keys quote of a value.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func userName(name string) string { return clip(strings.ToLower(strings.TrimSpace(name)), maxKeyLen) }
func addrKey(ip string) string    { return "addr:" + clip(ip, maxKeyLen) }
func pairKey(ip, name string) string {
	return "pair:" + clip(ip, maxKeyLen) + " " + userName(name)
}

// allowed is the number of failures a key may have before it slows down.
func (l *loginLimiter) allowed(key string) int {
	if strings.HasPrefix(key, "addr:") {
		return 4 * l.free
	}
	return l.free
}

// delay is how long after its last failure a key must wait.
func (l *loginLimiter) delay(key string, n int) time.Duration {
	over := n - l.allowed(key)
	if over < 0 {
		return 0
	}
	d := l.base
	for range min(over, 30) {
		d *= 2
		if d >= l.maxDelay {
			return l.maxDelay
		}
	}
	return min(d, l.maxDelay)
}

// wait reports how long a login from ip for name must still wait (0: it
// may go ahead).
func (l *loginLimiter) wait(ip, name string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range []string{addrKey(ip), pairKey(ip, name)} {
		f := l.fails[k]
		if f == nil || now.Sub(f.last) >= l.forget {
			continue
		}
		wait = max(wait, f.last.Add(l.delay(k, f.n)).Sub(now))
	}
	return wait
}

// fail counts a failed login from ip for name.
func (l *loginLimiter) fail(ip, name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if prune(l.fails, now, l.forget) && len(l.addrs) > 10_000 {
		l.addrs = map[string]map[string]bool{}
	}
	for _, k := range []string{addrKey(ip), pairKey(ip, name)} {
		f := l.fails[k]
		if f == nil || now.Sub(f.last) >= l.forget {
			f = &failures{}
			l.fails[k] = f
		}
		f.n++
		f.last = now
	}
	u := userName(name)
	if l.addrs[u] == nil {
		l.addrs[u] = map[string]bool{}
	}
	if len(l.addrs[u]) < 100 {
		l.addrs[u][ip] = true
	}
}

// succeed forgets the failures of name from ip after a good login (not
// those of the address, which a guesser with an account of their own
// could otherwise clear).
func (l *loginLimiter) succeed(ip, name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, pairKey(ip, name))
}

// unlock forgets the failures of a user name, and of the addresses it
// failed from: an admin's unlock. It reports whether there were any.
func (l *loginLimiter) unlock(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	u := userName(name)
	had := false
	for ip := range l.addrs[u] {
		for _, k := range []string{addrKey(ip), pairKey(ip, name)} {
			if _, ok := l.fails[k]; ok {
				had = true
				delete(l.fails, k)
			}
		}
	}
	delete(l.addrs, u)
	return had
}

// slowed reports whether a user name has failures that slow it down
// somewhere, for the user list.
func (l *loginLimiter) slowed(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	u := userName(name)
	for ip := range l.addrs[u] {
		if f := l.fails[pairKey(ip, name)]; f != nil && now.Sub(f.last) < l.forget && f.n >= l.free {
			return true
		}
		if f := l.fails[addrKey(ip)]; f != nil && now.Sub(f.last) < l.forget && f.n >= l.allowed(addrKey(ip)) {
			return true
		}
	}
	return false
}

// counter counts events per key in a window, for look-ups a user may make
// (national IDs found outside their subtree).
type counter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	seen   map[string]*failures
}

func newCounter(max int, window time.Duration) *counter {
	return &counter{max: max, window: window, now: time.Now, seen: map[string]*failures{}}
}

// full reports whether key has used up its events in the window.
func (c *counter) full(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.seen[key]
	return f != nil && c.now().Sub(f.last) < c.window && f.n >= c.max
}

// add counts an event for key.
func (c *counter) add(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	prune(c.seen, now, c.window)
	f := c.seen[key]
	if f == nil || now.Sub(f.last) >= c.window {
		// last is the start of the window here.
		f = &failures{last: now}
		c.seen[key] = f
	}
	f.n++
}

// prune drops the entries of m last seen age or more before now, once m
// holds more than 10,000 keys, so that a flood of names or addresses does
// not grow it without bound; it reports whether m was that full.
func prune(m map[string]*failures, now time.Time, age time.Duration) bool {
	if len(m) <= 10_000 {
		return false
	}
	for k, f := range m {
		if now.Sub(f.last) >= age {
			delete(m, k)
		}
	}
	return true
}
