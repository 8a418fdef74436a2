package sim

import (
	"bytes"
	"context"
	"sync"
	"time"
)

// Options configure a Server. The zero value gives the "all" fixture and the
// defaults below.
type Options struct {
	Fixture      string // "all" (default when ""), "bank", "flights", "customers", "payments", "empty"; an unknown name gives "all" (Reset reports it)
	MaxResources int    // default 10000; over it a create answers 507 Insufficient Storage
	MaxEvents    int    // events kept in memory for EventsSince (and undo steps); default 10000, oldest dropped
	// MaxBytes is each of the memory budgets: stored JSON (more gets 507),
	// the event log, old bodies for Undo and Idempotency-Key replays (the
	// oldest dropped). Default 16 MiB; a host serving many learners sets
	// less.
	MaxBytes int
	Start    time.Time // sim clock start; default 2026-01-01T09:00:00Z
	// WallClockDate makes responses to requests that arrived over a real
	// socket (SourceNetwork) carry the wall clock in Date, as §6.6.1 asks
	// of an origin server; in-process requests keep the sim clock, so that
	// tests and transcripts stay the same from run to run.
	WallClockDate bool
}

// Limits that keep one learner's server from eating the machine.
const (
	maxBody = 1 << 20 // request bodies; larger ones get 413
	// defaultMaxBytes is each budget unless Options.MaxBytes says: stored
	// JSON in total; everything kept in the event log (bodies, targets,
	// headers); old bodies kept for Undo; keys, requests and responses kept
	// for Idempotency-Key replays.
	//
	// 16 MiB: the fixtures hold under 2 KiB and a lesson's ×1000 repeat
	// of its bodies under 100 KiB, so a learner meets the limit only by
	// sending megabytes on purpose (it still holds sixteen bodies of the
	// 1 MiB most a request may carry). Every budget can be full at once,
	// and a lesson's checkpoint can keep a second copy of the stored JSON
	// and the undo steps: with the screen's own log, the live heap of a
	// flooded --listen stays near a hundred megabytes.
	defaultMaxBytes = 16 << 20
	tick            = time.Second
	defaultMaxRes   = 10000
	defaultMaxEvts  = 10000
)

// defaultStart is when the sim clock starts unless Options.Start says otherwise.
var defaultStart = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)

// Server is one learner's simulated HTTP world: an http.Handler over an
// in-memory store of JSON resources, with an event feed, undo and checkpoints.
// It is safe for concurrent use. Create it with New.
type Server struct {
	opts Options

	mu        sync.Mutex
	st        state
	seq       uint64
	log       eventRing                // kept events
	changes   []Change                 // the change list every exchange builds in turn (see serve); empty between exchanges
	tags      []string                 // its ETags before, likewise
	feeds     map[uint64]chan struct{} // each Feed's ready signal
	ready     []chan struct{}          // the values of feeds, which every event walks (a slice walks cheaper than a map)
	nextSub   uint64
	inflight  map[string]uint64 // Idempotency-Key → the request processing it
	nextToken uint64
}

// New returns a Server seeded with o.Fixture.
func New(o Options) *Server {
	if checkFixture(o.Fixture) != nil {
		o.Fixture = defaultFixture
	}
	if o.MaxResources <= 0 {
		o.MaxResources = defaultMaxRes
	}
	if o.MaxEvents <= 0 {
		o.MaxEvents = defaultMaxEvts
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = defaultMaxBytes
	}
	if o.Start.IsZero() {
		o.Start = defaultStart
	}
	return &Server{
		opts:     o,
		st:       freshState(o.Fixture, o.Start),
		feeds:    make(map[uint64]chan struct{}),
		inflight: make(map[string]uint64),
	}
}

// label says who sent a request and what the simulated network does to it.
type label struct {
	src     Source
	attempt int
	fault   Fault
}

type labelKey struct{}

// WithSource labels a request for in-process callers: who sent it and which
// attempt it is (1 for the first). Requests without a label count as
// SourceNetwork from r.RemoteAddr.
func WithSource(ctx context.Context, src Source, attempt int) context.Context {
	return withLabel(ctx, label{src: src, attempt: attempt})
}

func withLabel(ctx context.Context, l label) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	l.attempt = max(l.attempt, 1)
	return context.WithValue(ctx, labelKey{}, l)
}

func labelOf(ctx context.Context) (label, bool) {
	l, ok := ctx.Value(labelKey{}).(label)
	return l, ok
}

// Resource returns the stored JSON (canonical: compact, keys sorted) and the
// strong ETag of a plain resource; ok is false when nothing is stored there.
func (s *Server) Resource(path string) (body []byte, etag string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.res[path]
	return bytes.Clone(r.body), r.etag, ok
}

// ETag returns the entity tag of the resource at path without copying its
// body: a reader that kept the body of an earlier ETag can keep it again.
func (s *Server) ETag(path string) (etag string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.res[path]
	return r.etag, ok
}

// Paths lists every stored resource path in natural order (/customers/2
// before /customers/10). Collections are not stored resources.
func (s *Server) Paths() []string {
	s.mu.Lock()
	paths := make([]string, 0, len(s.st.res))
	for p := range s.st.res {
		paths = append(paths, p)
	}
	s.mu.Unlock()
	sortNatural(paths)
	return paths
}

// Members lists the member paths of a collection ("/customers") in natural order.
func (s *Server) Members(collection string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.members(collection)
}

// Fixture names the fixture the state was last reset to.
func (s *Server) Fixture() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.fixture
}

// Now returns the sim clock: the time the next exchange will carry.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.clock
}

// Advance moves the sim clock forward by d (negative d does nothing), for
// example to let Idempotency-Key records expire. It emits no event.
func (s *Server) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	s.mu.Lock()
	s.st.clock = s.st.clock.Add(d)
	s.mu.Unlock()
}
