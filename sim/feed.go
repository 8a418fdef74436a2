package sim

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sort"
	"sync"
)

// Feed is one reader's place in the server's event log: it hands out every
// event after its position exactly once, oldest first, and waits for new ones
// without ever holding the server up. Events the log dropped before the feed
// read them (the log keeps at most Options.MaxEvents and a byte budget) are
// counted as missed rather than skipped in silence.
//
// A Feed is for one goroutine at a time; the server may emit concurrently.
type Feed struct {
	srv    *Server
	id     uint64
	next   uint64        // the Seq the feed hands out next
	ready  chan struct{} // a token when the server emitted since the last read
	once   sync.Once
	closed chan struct{}
	taken  []keptEvent // take's buffer
}

// Feed returns a feed positioned after event after: its first batch holds
// the kept events with Seq > after. Feed(s.LastSeq()) follows only new events;
// Feed(0) replays what is kept. Close it when done.
func (s *Server) Feed(after uint64) *Feed {
	f := &Feed{srv: s, next: after + 1, ready: make(chan struct{}, 1), closed: make(chan struct{})}
	s.mu.Lock()
	f.id = s.nextSub
	s.nextSub++
	s.feeds[f.id] = f.ready
	s.ready = slices.Collect(maps.Values(s.feeds))
	s.mu.Unlock()
	f.ready <- struct{}{} // whatever is already kept counts as new
	return f
}

// ErrFeedClosed is returned by Feed.Next after Close.
var ErrFeedClosed = errors.New("the event feed is closed")

// Batch is what a feed read returns: the events in order, and how many events
// between the previous batch and this one the log had already dropped.
type Batch struct {
	Events []Event
	Missed uint64
}

// Seq is the Seq of the newest event the feed has handed out (or skipped as
// missed), the position a new feed would start after.
func (f *Feed) Seq() uint64 { return f.next - 1 }

// Ready is signalled when the server may have events the feed has not handed
// out. Select on it, then call Poll.
func (f *Feed) Ready() <-chan struct{} { return f.ready }

// FeedBatch is the most events one Poll hands out: a reader that was away
// during a flood unpacks the log a batch at a time, not all at once.
const FeedBatch = 256

// Poll returns the events after the feed's position without waiting — at
// most FeedBatch of them, oldest first — and moves past them. When more are
// waiting, Ready stays signalled.
func (f *Feed) Poll() Batch { return f.poll(true) }

// PollBrief is Poll for a reader that shows only what Event.Summary says
// and the request line: the events come without their header maps, which
// are most of what unpacking an event costs.
func (f *Feed) PollBrief() Batch { return f.poll(false) }

// poll copies the kept records under the server's lock and unpacks them
// after releasing it, so a reader never holds up the requests being served
// (kept records are never modified once kept).
func (f *Feed) poll(headers bool) Batch {
	kept, missed := f.take()
	b := Batch{Missed: missed, Events: make([]Event, len(kept))}
	for j, k := range kept {
		b.Events[j] = k.unpackWith(headers)
	}
	clear(kept)
	return b
}

// take moves the feed past the next kept records (at most FeedBatch) and
// returns them, still packed, with how many events before them the log had
// already dropped. The records are in a buffer the next take reuses; the
// caller clears them once done, so that the buffer does not keep alive
// events the log has dropped.
func (f *Feed) take() (kept []keptEvent, missed uint64) {
	s := f.srv
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.log
	i := sort.Search(r.n, func(i int) bool { return r.kept(i).seq >= f.next })
	if i < r.n {
		if first := r.kept(i).seq; first > f.next {
			missed = first - f.next
		}
	} else if s.seq >= f.next {
		missed = s.seq - f.next + 1
	}
	end := min(r.n, i+FeedBatch)
	kept = f.taken[:0]
	for ; i < end; i++ {
		kept = append(kept, r.kept(i))
	}
	f.taken = kept
	f.next = f.next + missed + uint64(len(kept))
	if f.next <= s.seq {
		select { // more to read: say so
		case f.ready <- struct{}{}:
		default:
		}
	}
	return kept, missed
}

// Next waits until there is at least one event (or a missed one) after the
// feed's position and returns them, or returns ctx's error, or a nil batch
// and ErrFeedClosed once the feed is closed.
func (f *Feed) Next(ctx context.Context) (Batch, error) {
	for {
		if b := f.Poll(); len(b.Events) > 0 || b.Missed > 0 {
			return b, nil
		}
		select {
		case <-ctx.Done():
			return Batch{}, ctx.Err()
		case <-f.closed:
			return Batch{}, ErrFeedClosed
		case <-f.ready:
		}
	}
}

// Close ends the feed: the server stops signalling it and Next returns
// ErrFeedClosed. Closing twice is fine.
func (f *Feed) Close() {
	f.once.Do(func() {
		f.srv.mu.Lock()
		delete(f.srv.feeds, f.id)
		f.srv.ready = slices.Collect(maps.Values(f.srv.feeds))
		f.srv.mu.Unlock()
		close(f.closed)
	})
}

// notifyFeeds tells every feed there is something new, without waiting. The
// caller holds s.mu.
func (s *Server) notifyFeeds() {
	for _, ready := range s.ready {
		select {
		case ready <- struct{}{}:
		default: // a token is already waiting: the reader will see this event too
		}
	}
}
