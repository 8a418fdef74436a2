package sim

import (
	"net/http"
	"sort"
)

// EventsSince returns the kept events with Seq > seq, oldest first. Each call
// unpacks them afresh (see keptEvent); their byte slices are shared with the
// server: treat them as read-only.
func (s *Server) EventsSince(seq uint64) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.log
	i := sort.Search(r.n, func(i int) bool { return r.kept(i).seq > seq })
	out := make([]Event, 0, r.n-i)
	for ; i < r.n; i++ {
		out = append(out, r.kept(i).unpack())
	}
	return out
}

// NewestEventsSince is EventsSince for a reader that can only use the
// newest few, such as a screen that shows a few hundred lines whatever a
// flood brought: at most n of the kept events with Seq > seq, the newest,
// oldest first, and how many events after seq it left out (including those
// the log no longer has). Only the events returned are unpacked.
func (s *Server) NewestEventsSince(seq uint64, n int) (evs []Event, skipped uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.log
	i := sort.Search(r.n, func(i int) bool { return r.kept(i).seq > seq })
	i = max(i, r.n-max(n, 0))
	evs = make([]Event, 0, r.n-i)
	for ; i < r.n; i++ {
		evs = append(evs, r.kept(i).unpack())
	}
	if len(evs) > 0 {
		skipped = evs[0].Seq - seq - 1
	} else if s.seq > seq {
		skipped = s.seq - seq
	}
	return evs, skipped
}

// EventsBefore is for a reader that wants the newest kept event of some
// kind and reads the log backwards a page at a time: at most n of the kept
// events with Seq < seq, the newest of them, oldest first. Only the events
// returned are unpacked.
func (s *Server) EventsBefore(seq uint64, n int) []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.log
	j := sort.Search(r.n, func(i int) bool { return r.kept(i).seq >= seq })
	i := max(0, j-max(n, 0))
	evs := make([]Event, 0, j-i)
	for ; i < j; i++ {
		evs = append(evs, r.kept(i).unpack())
	}
	return evs
}

// Size is about the bytes e holds: for a reader that keeps events and
// budgets them by bytes, not by count.
func (e Event) Size() int {
	n := 128 + len(e.Remote)
	for _, m := range []*Message{&e.Request, &e.Response} {
		n += len(m.Method) + len(m.Target) + headerSize(m.Header) + len(m.Body)
	}
	for _, c := range e.Changes {
		n += 32 + len(c.Path) + len(c.Before) + len(c.After)
	}
	return n
}

// LastSeq returns the Seq of the newest event, 0 before the first.
func (s *Server) LastSeq() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}

// emit numbers e, keeps it and tells every feed without waiting.
// The caller holds s.mu, which keeps events in order.
func (s *Server) emit(e Event) {
	s.seq++
	e.Seq = s.seq
	s.log.push(&e, s.opts.MaxEvents, s.opts.MaxBytes)
	s.notifyFeeds()
}

// eventRing keeps the newest events, at most a count and about a byte budget
// that counts everything an event holds: bodies, targets, headers and paths.
type eventRing struct {
	buf      []keptEvent
	sizes    []int // bytes of buf[i], so that dropping needs no walk over old events
	start, n int
	bytes    int
	scratch  []byte // where keep packs an event before copying it
	slab     []byte // the block keep copies packed events into
}

func (r *eventRing) kept(i int) keptEvent { return r.buf[r.at(i)] }

// at is the index in buf of the i-th kept event (0 ≤ i < len(buf)): a
// subtraction where a remainder would divide, on every push.
func (r *eventRing) at(i int) int {
	j := r.start + i
	if j >= len(r.buf) {
		j -= len(r.buf)
	}
	return j
}

// push keeps e, within limit events and about maxBytes, and returns the
// bytes it is counted as.
func (r *eventRing) push(e *Event, limit, maxBytes int) int {
	if r.n == len(r.buf) && len(r.buf) < limit { // grow, oldest first
		size := min(limit, max(64, 2*r.n))
		grown := make([]keptEvent, size)
		sizes := make([]int, size)
		for i := range r.n {
			j := (r.start + i) % len(r.buf)
			grown[i], sizes[i] = r.buf[j], r.sizes[j]
		}
		r.buf, r.sizes, r.start = grown, sizes, 0
	}
	if r.n == len(r.buf) {
		r.dropOldest()
	}
	i := r.at(r.n)
	r.buf[i] = keep(e, &r.scratch, &r.slab)
	r.sizes[i] = keptOverhead + len(r.buf[i].data)
	r.n++
	r.bytes += r.sizes[i]
	size := r.sizes[i]
	for r.n > 1 && r.bytes > maxBytes {
		r.dropOldest()
	}
	return size
}

func (r *eventRing) dropOldest() {
	r.bytes -= r.sizes[r.start]
	r.buf[r.start] = keptEvent{}
	r.start = r.at(1)
	r.n--
}

// keptOverhead is what a kept event costs beyond its packed bytes.
const keptOverhead = 64

// headerSize is about the bytes h holds: names, values and per-value
// overhead, so that many small values count as well as one big one.
func headerSize(h http.Header) int {
	n := 0
	for k, vv := range h {
		n += 16 + len(k)
		for _, v := range vv {
			n += 16 + len(v)
		}
	}
	return n
}
