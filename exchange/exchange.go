// Package exchange says what one HTTP exchange of the simulated server was,
// in the few words every view shows: the request line, the status with what
// the network did to it, the headers that matter for the lessons (Location,
// ETag, Allow) and the body. The strings are raw: the request and the body
// came from outside the program, so a view cleans them before drawing.
package exchange

import (
	"fmt"

	"github.com/putpost/putpost/sim"
)

// KeyHeaders are the response headers the lessons are about, in the order
// they are shown.
var KeyHeaders = []string{"Location", "ETag", "Allow", "Idempotency-Key"}

// Request is the request's method and target: "PUT /accounts/42".
func Request(ev sim.Event) string {
	return ev.Request.Method + " " + ev.Request.Target
}

// Status says how the exchange ended: "201 Created", "201 Created, response
// lost", "200 OK, replayed", or "request dropped".
func Status(ev sim.Event) string {
	if ev.Fault == sim.FaultDropped || ev.Response.Status == 0 {
		return "request dropped"
	}
	l := fmt.Sprintf("%d %s", ev.Response.Status, sim.StatusText(ev.Response.Status))
	if ev.Fault == sim.FaultLostResponse {
		l += ", response lost"
	}
	if ev.Replayed {
		l += ", replayed"
	}
	return l
}

// Header is one response header line.
type Header struct{ Name, Value string }

// Headers returns the response's key headers that are present.
func Headers(ev sim.Event) []Header {
	var out []Header
	for _, name := range KeyHeaders {
		if v := ev.Response.Header.Get(name); v != "" {
			out = append(out, Header{Name: name, Value: v})
		}
	}
	return out
}

// Retried says whether the exchange was a retry by the client's policy, and
// which attempt.
func Retried(ev sim.Event) (attempt int, ok bool) {
	return ev.Attempt, ev.Source == sim.SourceRetry || ev.Attempt > 1
}
