package sim

import "sort"

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
	s.log.push(e, s.opts.MaxEvents)
	s.notifyFeeds()
}

// eventRing keeps the newest events, at most a count and about a byte budget.
type eventRing struct {
	buf      []keptEvent
	sizes    []int // eventSize of buf[i], so that dropping needs no walk over old events
	start, n int
	bytes    int
	scratch  []byte // where keep packs an event before copying it
}

func (r *eventRing) kept(i int) keptEvent { return r.buf[(r.start+i)%len(r.buf)] }

func (r *eventRing) push(e Event, limit int) {
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
	i := (r.start + r.n) % len(r.buf)
	r.buf[i], r.sizes[i] = keep(e, &r.scratch), eventSize(e)
	r.n++
	r.bytes += r.sizes[i]
	for r.n > 1 && r.bytes > maxEventBytes {
		r.dropOldest()
	}
}

func (r *eventRing) dropOldest() {
	r.bytes -= r.sizes[r.start]
	r.buf[r.start] = keptEvent{}
	r.start = (r.start + 1) % len(r.buf)
	r.n--
}

func eventSize(e Event) int {
	n := 256 + len(e.Request.Body) + len(e.Response.Body)
	for _, c := range e.Changes {
		n += len(c.Before) + len(c.After)
	}
	return n
}
