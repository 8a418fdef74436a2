package classroom

import (
	"net"
	"sync"
	"time"
)

// rateLimiter limits new connections per remote address with a token
// bucket: burst connections at once (a whole class behind one NAT address),
// then one every 1/rate seconds.
type rateLimiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	buckets map[string]*bucket
	now     func() time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxBuckets bounds the addresses remembered; full buckets are forgotten
// first, as they say nothing a new bucket would not.
const maxBuckets = 4096

func newRateLimiter(rate float64, burst int) *rateLimiter {
	return &rateLimiter{rate: rate, burst: float64(burst), buckets: map[string]*bucket{}, now: time.Now}
}

// allow takes a token for addr's host, and reports whether there was one.
func (r *rateLimiter) allow(addr net.Addr) bool {
	host := addr.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	b := r.buckets[host]
	if b == nil {
		if len(r.buckets) >= maxBuckets {
			r.forgetFullLocked(now)
		}
		b = &bucket{tokens: r.burst, at: now}
		r.buckets[host] = b
	}
	b.tokens = min(r.burst, b.tokens+now.Sub(b.at).Seconds()*r.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (r *rateLimiter) forgetFullLocked(now time.Time) {
	for k, b := range r.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*r.rate >= r.burst {
			delete(r.buckets, k)
		}
	}
	if len(r.buckets) >= maxBuckets { // all busy: start over rather than grow
		clear(r.buckets)
	}
}

// Size of a window whose client sent none: ssh -tt without a terminal of
// its own (or a client that says 0×0) would otherwise get a 1×1 screen,
// one letter of the tutorial, until a window change arrives.
const (
	unknownWidth  = 80
	unknownHeight = 24
)

// capSize bounds the area a program draws, whatever window it is in; a
// window without a size is taken as 80×24.
func capSize(w, h, maxW, maxH int) (int, int) {
	if w < 1 {
		w = unknownWidth
	}
	if h < 1 {
		h = unknownHeight
	}
	return min(w, maxW), min(h, maxH)
}

// maxSessionsPerConn bounds the sessions one SSH connection carries at
// once: the rate limit counts connections, and every session is a whole
// program, so without it one connection could fill the room. A few leave
// room for ssh's connection sharing (a tutorial and a watch side by side).
const maxSessionsPerConn = 4

// connSessions counts the sessions open on each SSH connection, by the
// connection's session ID.
type connSessions struct {
	mu sync.Mutex
	n  map[string]int
}

// take counts one more session on conn, unless it already carries
// maxSessionsPerConn; done gives it back.
func (c *connSessions) take(conn string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	if c.n[conn] >= maxSessionsPerConn {
		return false
	}
	c.n[conn]++
	return true
}

func (c *connSessions) done(conn string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[conn]--; c.n[conn] <= 0 {
		delete(c.n, conn)
	}
}
