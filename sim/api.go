// Package sim is the simulated HTTP world that putpost's learners poke: an
// in-memory store of JSON resources served by a real http.Handler that follows
// RFC 9110, a feed of events describing every exchange, and a simulated network
// that can lose or drop messages and retry them by a named policy.
//
// sim imports nothing from the rest of putpost.
package sim

import (
	"net/http"
	"time"
)

// Source says who sent a request.
type Source string

// The sources of requests.
const (
	SourceComposer Source = "composer" // typed by the learner in the full screen or line mode
	SourceLesson   Source = "lesson"   // sent by a lesson script or a test
	SourceRetry    Source = "retry"    // re-sent by the client's retry policy
	SourceNetwork  Source = "network"  // arrived over TCP (curl on the loopback listener)
)

// Fault names what the simulated network did to an exchange.
type Fault string

// The faults the network can inject.
const (
	FaultNone         Fault = ""
	FaultLostResponse Fault = "lost-response"   // the server committed, the client never heard back
	FaultDropped      Fault = "dropped-request" // the request never reached the server
	FaultDelayed      Fault = "delayed"         // the response arrived late
)

// Message is a recorded request or response: enough to print it as HTTP/1.1.
type Message struct {
	Method string      // requests only
	Target string      // requests only: path and query
	Status int         // responses only
	Header http.Header // canonical keys
	Body   []byte
}

// Change is one resource's state before and after an exchange. A nil Before
// means the resource did not exist; a nil After means it does not exist now.
type Change struct {
	Path   string
	Before []byte
	After  []byte
}

// EventKind says what an Event records: an HTTP exchange (the zero value) or an
// administrative change of the whole state, after which screens redraw.
type EventKind string

// The kinds of events.
const (
	KindExchange EventKind = ""        // an HTTP exchange (or a failed attempt at one)
	KindUndo     EventKind = "undo"    // Undo reverted the newest state-changing exchange
	KindReset    EventKind = "reset"   // Reset loaded a fresh fixture
	KindRestore  EventKind = "restore" // Restore went back to a checkpoint
)

// Event describes one exchange (or one failed attempt at one), or, when Kind is
// not KindExchange, an administrative change; then Request and Response are zero
// and Changes lists what the change did to each resource.
type Event struct {
	Seq      uint64    // 1, 2, 3, … per server
	Kind     EventKind // KindExchange for HTTP exchanges
	Time     time.Time // the sim clock, deterministic
	Source   Source
	Remote   string // remote address for SourceNetwork
	Attempt  int    // 1 for the first try, 2+ for retries
	Fault    Fault
	Request  Message
	Response Message // Status 0 when the request was dropped before the server
	Changes  []Change
	Replayed bool // the response was replayed from an Idempotency-Key record
	// Stale says the response is a 412 for an If-Match that named an ETag
	// of an earlier version of the target: the resource changed since the
	// client read it. A tag it never had, a weak one, or a missing target
	// leave it false.
	Stale bool

	// requestHost, when not empty, is the request's Host field, which the
	// event holds apart from Request.Header so that the server need not
	// copy a request's header map to add it. The event is packed with Host
	// in Request.Header (see keep), so every reader sees it there.
	requestHost string
	// responseLength, when not empty, is the answer's Content-Length,
	// which net/http writes itself and the answer's header leaves out (see
	// reply.finish).
	responseLength string
}
