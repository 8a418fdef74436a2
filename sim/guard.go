package sim

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// ServeWithTimeouts serves hs on ln as hs.Serve does, with hs's
// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout enforced by
// one sweeper instead of by net/http. net/http enforces them with deadlines
// on the socket, which it moves two or three times per request (a runtime
// timer changed each time); here each connection only notes which phase it
// is in and since when, and a goroutine that runs while connections are
// open closes those that stayed too long in one phase:
//
//   - reading a request's headers (from the connection's start, or from the
//     first byte after an idle pause): ReadHeaderTimeout, or ReadTimeout when
//     that is zero;
//   - reading the body, answering and writing the answer: the shorter of
//     ReadTimeout and WriteTimeout (of those that are set);
//   - idle between requests: IdleTimeout, or ReadTimeout when that is zero.
//
// The sweeper looks every quarter of the shortest limit (at most every
// second), so a connection is closed within two of its looks after passing
// its limit, never before. (Part of a next request that net/http has
// already read with the previous one does not start the header limit;
// the next byte that arrives does.) ServeWithTimeouts takes the timeouts
// over: it sets them to zero in hs, wraps hs.ConnState and serves until
// hs.Serve returns.
func ServeWithTimeouts(hs *http.Server, ln net.Listener) error {
	return newConnGuard(hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout).serve(hs, ln)
}

func (g *connGuard) serve(hs *http.Server, ln net.Listener) error {
	hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout = 0, 0, 0, 0
	next := hs.ConnState
	hs.ConnState = func(c net.Conn, st http.ConnState) {
		if gc, ok := c.(*guardedConn); ok {
			gc.changed(st)
		}
		if next != nil {
			next(c, st)
		}
	}
	return hs.Serve(guardedListener{ln, g})
}

// The phases of a guarded connection.
const (
	phaseHeaders = iota // reading a request's headers
	phaseActive         // reading its body, answering, writing the answer
	phaseIdle           // waiting for the next request
	phases
)

// connGuard closes connections that stay too long in a phase.
type connGuard struct {
	tick  time.Duration
	limit [phases]int64 // in ticks; 0: no limit
	now   atomic.Int64  // ticks counted by the sweeper

	mu       sync.Mutex
	conns    map[*guardedConn]struct{}
	sweeping bool
}

func newConnGuard(readHeader, read, write, idle time.Duration) *connGuard {
	if readHeader == 0 {
		readHeader = read
	}
	active := read
	if active == 0 || write > 0 && write < active {
		active = write
	}
	if idle == 0 {
		idle = read
	}
	limits := [phases]time.Duration{phaseHeaders: readHeader, phaseActive: active, phaseIdle: idle}
	// The sweeper looks four times per shortest limit, at most once a
	// second and at least every 5 ms.
	tick := time.Second
	for _, d := range limits {
		if d > 0 {
			tick = min(tick, d/4)
		}
	}
	tick = max(tick, 5*time.Millisecond)
	g := &connGuard{tick: tick, conns: make(map[*guardedConn]struct{})}
	for p, d := range limits {
		if d > 0 {
			g.limit[p] = int64((d + tick - 1) / tick) // rounded up: never closed early
		}
	}
	return g
}

// add starts guarding c, in the header phase, and the sweeper if it is not
// running.
func (g *connGuard) add(c *guardedConn) {
	c.enter(phaseHeaders)
	g.mu.Lock()
	g.conns[c] = struct{}{}
	if !g.sweeping {
		g.sweeping = true
		go g.sweep()
	}
	g.mu.Unlock()
}

func (g *connGuard) remove(c *guardedConn) {
	g.mu.Lock()
	delete(g.conns, c)
	g.mu.Unlock()
}

// sweep counts ticks and closes the connections past their phase's limit;
// it ends once no connection is left.
func (g *connGuard) sweep() {
	t := time.NewTicker(g.tick)
	defer t.Stop()
	var late []*guardedConn
	for range t.C {
		now := g.now.Add(1)
		late = late[:0]
		g.mu.Lock()
		if len(g.conns) == 0 {
			g.sweeping = false
			g.mu.Unlock()
			return
		}
		for c := range g.conns {
			st := c.state.Load()
			if limit := g.limit[st&phaseMask]; limit > 0 && now-int64(st>>phaseBits) > limit {
				late = append(late, c)
			}
		}
		g.mu.Unlock()
		for _, c := range late {
			c.Close() // net/http's reads and writes on it fail; it ends the connection
		}
	}
}

// A guarded connection's state packs the tick it entered its phase and the
// phase, so that both change together.
const (
	phaseBits = 2
	phaseMask = 1<<phaseBits - 1
)

// guardedConn is a connection that records its phase: net/http says when
// a request's headers have been read and when it waits for the next one
// (ConnState); the first byte read while idle starts the next request's
// headers.
type guardedConn struct {
	net.Conn
	g       *connGuard
	state   atomic.Uint64
	removed atomic.Bool
	// readSet and writeSet say a deadline may be set on the socket (see
	// SetReadDeadline).
	readSet, writeSet atomic.Bool
}

// SetReadDeadline passes t on to the socket unless t is zero and no read
// deadline is set there. With its timeouts taken over, net/http clears
// deadlines that were never set four times per request and the write
// deadline once (each a lock of the socket's poller); it sets one only to
// stop its background read when a handler finishes, and that one and its
// clearing go through. The flag is raised after the deadline is set and
// lowered before it is cleared, so it is never down while a deadline is
// set.
func (c *guardedConn) SetReadDeadline(t time.Time) error {
	return setDeadline(t, &c.readSet, c.Conn.SetReadDeadline)
}

// SetWriteDeadline is SetReadDeadline for writes.
func (c *guardedConn) SetWriteDeadline(t time.Time) error {
	return setDeadline(t, &c.writeSet, c.Conn.SetWriteDeadline)
}

// SetDeadline sets both deadlines as SetReadDeadline and SetWriteDeadline do.
func (c *guardedConn) SetDeadline(t time.Time) error {
	if t.IsZero() {
		r, w := c.readSet.Swap(false), c.writeSet.Swap(false)
		switch {
		case r && w:
			return c.Conn.SetDeadline(t)
		case r:
			return c.Conn.SetReadDeadline(t)
		case w:
			return c.Conn.SetWriteDeadline(t)
		}
		return nil
	}
	err := c.Conn.SetDeadline(t)
	c.readSet.Store(true)
	c.writeSet.Store(true)
	return err
}

func setDeadline(t time.Time, set *atomic.Bool, setOn func(time.Time) error) error {
	if t.IsZero() {
		if set.Swap(false) {
			return setOn(t)
		}
		return nil
	}
	err := setOn(t)
	set.Store(true)
	return err
}

func (c *guardedConn) enter(phase uint64) { c.state.Store(c.g.packed(phase)) }

// packed is the state of a connection entering phase now.
func (g *connGuard) packed(phase uint64) uint64 {
	return uint64(g.now.Load())<<phaseBits | phase
}

func (c *guardedConn) changed(st http.ConnState) {
	switch st {
	case http.StateActive:
		c.enter(phaseActive)
	case http.StateIdle:
		c.enter(phaseIdle)
	case http.StateHijacked, http.StateClosed:
		c.forget()
	}
}

func (c *guardedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		if st := c.state.Load(); st&phaseMask == phaseIdle {
			c.state.CompareAndSwap(st, c.g.packed(phaseHeaders))
		}
	}
	return n, err
}

func (c *guardedConn) Close() error {
	c.forget()
	return c.Conn.Close()
}

// CloseWrite lets net/http half-close the connection, as it does for a
// plain TCP connection before it hangs up on a client still sending.
func (c *guardedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (c *guardedConn) forget() {
	if c.removed.CompareAndSwap(false, true) {
		c.g.remove(c)
	}
}

// guardedListener hands out guarded connections.
type guardedListener struct {
	net.Listener
	g *connGuard
}

func (l guardedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	gc := &guardedConn{Conn: c, g: l.g}
	l.g.add(gc)
	return gc, nil
}
