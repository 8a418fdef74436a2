package session

import (
	"context"
	"errors"
	"sync"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/sim"
)

// UpdateKind says what an Update reports.
type UpdateKind int

const (
	// UpdateEvent is an event of the server: an exchange, an undo, a reset.
	UpdateEvent UpdateKind = iota + 1
	// UpdateStatus is the current step's checks, evaluated after exchanges.
	UpdateStatus
	// UpdateStep says the current step changed (next, back, another lesson,
	// a reset); Status is the new step's.
	UpdateStep
	// UpdateNetwork says the learner's faults or retry policy changed.
	UpdateNetwork
	// UpdateAnswer is a quiz answer; Quiz says which and whether it was right.
	UpdateAnswer
	// UpdateMissed says Missed updates (or server events) were dropped
	// before this reader got them: it should read the state afresh.
	UpdateMissed
	// UpdateHint says a hint of the current step was revealed; Hint is its
	// number (1 for the first).
	UpdateHint
	// UpdateSolution says the current step's solution was shown.
	UpdateSolution
)

// Update is one thing that happened in a session, in the order it happened.
type Update struct {
	Seq    uint64 // numbers the session's updates from 1
	Kind   UpdateKind
	Event  sim.Event          // UpdateEvent
	Status lessons.StepStatus // UpdateStatus, UpdateStep
	Quiz   Quiz               // UpdateAnswer
	Missed uint64             // UpdateMissed
	Hint   int                // UpdateHint
	// ByCommand: the update is part of a command's outcome — its own
	// exchanges and the status they led to — which the command's result
	// also carries. Outside exchanges (the network, the lesson) are never
	// by command.
	ByCommand bool
}

// Limits of the update log: watchers that fall further behind get an
// UpdateMissed instead of unbounded buffering.
const (
	maxUpdates     = 4096
	maxUpdateBytes = 16 << 20
)

// updateSize is about how many bytes an update holds on to: what came from
// outside counts, targets and headers as much as bodies.
func updateSize(u Update) int { return 64 + u.Event.Size() }

// updateLog keeps the newest updates for watchers. The session's mu guards
// it, except ready, which is its own.
type updateLog struct {
	buf     []Update // buf[start:] are kept; the front is compacted away now and then
	sizes   []int
	start   int
	bytes   int
	seq     uint64 // of the newest update
	closed  bool
	readyMu sync.Mutex
	ready   map[*Watcher]struct{}
}

func (l *updateLog) init() { l.ready = map[*Watcher]struct{}{} }

func (l *updateLog) add(u Update) {
	l.seq++
	u.Seq = l.seq
	size := updateSize(u)
	l.buf = append(l.buf, u)
	l.sizes = append(l.sizes, size)
	l.bytes += size
	for len(l.buf)-l.start > 1 && (len(l.buf)-l.start > maxUpdates || l.bytes > maxUpdateBytes) {
		l.bytes -= l.sizes[l.start]
		l.buf[l.start] = Update{} // let its bodies go
		l.start++
	}
	// Move what is kept to the front once the dropped part is as long: each
	// update is copied a bounded number of times on average.
	if l.start > 0 && l.start >= len(l.buf)-l.start {
		n := copy(l.buf, l.buf[l.start:])
		copy(l.sizes, l.sizes[l.start:])
		clear(l.buf[n:])
		l.buf, l.sizes, l.start = l.buf[:n], l.sizes[:n], 0
	}
	l.signal()
}

func (l *updateLog) close() {
	l.closed = true
	l.signal()
}

func (l *updateLog) signal() {
	l.readyMu.Lock()
	defer l.readyMu.Unlock()
	for w := range l.ready {
		select {
		case w.ready <- struct{}{}:
		default:
		}
	}
}

// since returns the kept updates after seq, and how many after seq are gone.
func (l *updateLog) since(seq uint64) ([]Update, uint64) {
	kept := l.buf[l.start:]
	if len(kept) == 0 || seq >= l.seq {
		return nil, 0
	}
	first := kept[0].Seq
	var missed uint64
	if seq+1 < first {
		missed = first - seq - 1
		seq = first - 1
	}
	return append([]Update(nil), kept[seq+1-first:]...), missed
}

// Watcher follows a session's updates from where it was created, each
// exactly once and in order. It is for one goroutine at a time.
type Watcher struct {
	s     *Session
	seq   uint64
	ready chan struct{}
}

// ErrClosed is returned by Watcher.Next once the session is closed.
var ErrClosed = errors.New("the session is closed")

// Watch returns a watcher that sees every update from now on. Close it when
// done.
func (s *Session) Watch() *Watcher {
	w := &Watcher{s: s, ready: make(chan struct{}, 1)}
	s.mu.Lock()
	w.seq = s.log.seq
	s.mu.Unlock()
	s.log.readyMu.Lock()
	s.log.ready[w] = struct{}{}
	s.log.readyMu.Unlock()
	return w
}

// Ready is signalled when there may be updates to Poll.
func (w *Watcher) Ready() <-chan struct{} { return w.ready }

// Poll returns the updates since the last read without waiting. When the log
// dropped some before this watcher read them, the first update is an
// UpdateMissed counting them.
func (w *Watcher) Poll() []Update {
	w.s.mu.Lock()
	ups, missed := w.s.log.since(w.seq)
	w.seq = w.s.log.seq
	w.s.mu.Unlock()
	if missed > 0 {
		ups = append([]Update{{Kind: UpdateMissed, Missed: missed}}, ups...)
	}
	return ups
}

// Next waits for updates and returns them, or ctx's error, or ErrClosed when
// the session is closed and everything was read.
func (w *Watcher) Next(ctx context.Context) ([]Update, error) {
	for {
		if ups := w.Poll(); len(ups) > 0 {
			return ups, nil
		}
		w.s.mu.Lock()
		closed := w.s.log.closed
		w.s.mu.Unlock()
		if closed {
			return nil, ErrClosed
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-w.ready:
		}
	}
}

// Close stops the watcher.
func (w *Watcher) Close() {
	w.s.log.readyMu.Lock()
	delete(w.s.log.ready, w)
	w.s.log.readyMu.Unlock()
}
