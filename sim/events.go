package sim

import (
	"net/http"
	"sort"
	"sync"
)

// Subscribe returns a channel that receives every new event, and a function
// that ends the subscription and closes the channel. The server never waits
// for a subscriber: when the buffer (at least 1 event) is full, or the events
// waiting in it hold more than maxSubscriberBytes, the event is dropped for
// that subscriber, who can catch up with EventsSince.
func (s *Server) Subscribe(buffer int) (<-chan Event, func()) {
	n := min(max(buffer, 1), s.opts.MaxEvents)
	sub := &subscriber{ch: make(chan Event, n), totals: make([]int, n+1)}
	s.mu.Lock()
	id := s.nextSub
	s.nextSub++
	s.subs[id] = sub
	s.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			s.mu.Lock()
			delete(s.subs, id)
			close(sub.ch)
			s.mu.Unlock()
		})
	}
}

// maxSubscriberBytes bounds what the events waiting in one subscription
// hold (counted as the event log counts them), so that a subscriber that
// stops reading costs at most this much, whatever the events carry.
const maxSubscriberBytes = 4 << 20

// subscriber is one subscription. A channel is first in, first out, so the
// events waiting in it are the last len(ch) sent: totals keeps the running
// sum of the sizes sent, by send count modulo len(totals), and the bytes
// waiting are the difference of two of them.
type subscriber struct {
	ch     chan Event
	sent   int   // events sent so far
	totals []int // totals[k%len] = bytes of the first k events sent
}

// offer sends e (of size bytes) unless that would put too much in the
// channel; the caller holds the server's lock.
func (sub *subscriber) offer(e Event, size int) {
	waiting := len(sub.ch) // can only shrink while we look: the reader takes
	if waiting >= cap(sub.ch) {
		return
	}
	m := len(sub.totals)
	total := sub.totals[sub.sent%m]
	if waiting > 0 && total-sub.totals[(sub.sent-waiting)%m]+size > maxSubscriberBytes {
		return
	}
	sub.ch <- e // cannot block: there is room and only emit sends
	sub.sent++
	sub.totals[sub.sent%m] = total + size
}

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

// emit numbers e, keeps it and hands it to every subscriber without waiting.
// The caller holds s.mu, which keeps events in order.
func (s *Server) emit(e Event) {
	s.seq++
	e.Seq = s.seq
	size := s.log.push(e, s.opts.MaxEvents)
	for _, sub := range s.subs {
		sub.offer(e, size)
	}
}

// eventRing keeps the newest events, at most a count and about a byte budget
// that counts everything an event holds: bodies, targets, headers and paths.
type eventRing struct {
	buf      []keptEvent
	sizes    []int // bytes of buf[i], so that dropping needs no walk over old events
	start, n int
	bytes    int
	scratch  []byte // where keep packs an event before copying it
}

func (r *eventRing) kept(i int) keptEvent { return r.buf[(r.start+i)%len(r.buf)] }

// push keeps e and returns the bytes it is counted as.
func (r *eventRing) push(e Event, limit int) int {
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
	r.buf[i] = keep(e, &r.scratch)
	r.sizes[i] = keptOverhead + len(r.buf[i].data)
	r.n++
	r.bytes += r.sizes[i]
	size := r.sizes[i]
	for r.n > 1 && r.bytes > maxEventBytes {
		r.dropOldest()
	}
	return size
}

func (r *eventRing) dropOldest() {
	r.bytes -= r.sizes[r.start]
	r.buf[r.start] = keptEvent{}
	r.start = (r.start + 1) % len(r.buf)
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
