package request

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// FromMessage returns the request a recorded message describes, ready to be
// sent again: Repeat 1, Curl set (the body goes as it was sent, JSON or not),
// and without the fields the sender works out for itself (Host, Content-Length,
// Transfer-Encoding, Connection).
func FromMessage(m sim.Message) Line {
	r := Line{Method: m.Method, Target: m.Target, Header: http.Header{}, Body: string(m.Body), Repeat: 1, Curl: true}
	for k, v := range m.Header {
		switch k {
		case "Host", "Content-Length", "Transfer-Encoding", "Connection":
			continue
		}
		r.Header[k] = append([]string(nil), v...)
	}
	return r
}

// Exchanges returns the requests of events that reached the server, oldest
// first: sent again, in order, to a fresh server with the same fixture, they
// leave it in the same state.
//
//   - an attempt the network dropped before the server is left out; a
//     retry, or an attempt whose response was lost, is kept: the server
//     handled it;
//   - an undo leaves out the exchange it reverted (the newest that changed
//     the resources the undo changed back);
//   - a reset starts the list afresh.
//
// The sim clock counts every exchange, dropped and undone ones included, and
// stamps what the server creates (an interest transaction's time): after a
// request left out, the replay stamps later creations that many seconds
// earlier.
//
// A restore goes back to a checkpoint that requests cannot name, so the list
// then starts after it, and note says so in a sentence for the learner; note
// is "" when the list replays the whole state.
func Exchanges(events []sim.Event) (lines []Line, note string) {
	type kept struct {
		line  Line
		paths string // the resources the exchange changed, for matching an undo
	}
	var ks []kept
	for _, e := range events {
		switch e.Kind {
		case sim.KindReset:
			ks, note = ks[:0], ""
		case sim.KindRestore:
			ks = ks[:0]
			note = fmt.Sprintf("The session went back to a checkpoint at event #%d; only the requests after it are here, so replay them on a server in that state.", e.Seq)
		case sim.KindUndo:
			// The undo reverted the newest exchange that changed something;
			// its event names the same resources. One that changed no
			// resource (only an Idempotency-Key record) stays: replaying it
			// changes no resource either.
			undone := changedPaths(e.Changes)
			for i := len(ks) - 1; undone != "" && i >= 0; i-- {
				if ks[i].paths == undone {
					ks = append(ks[:i], ks[i+1:]...)
					break
				}
			}
		case sim.KindExchange:
			if e.Fault == sim.FaultDropped {
				continue
			}
			ks = append(ks, kept{line: FromMessage(e.Request), paths: changedPaths(e.Changes)})
		}
	}
	lines = make([]Line, len(ks))
	for i, k := range ks {
		lines[i] = k.line
	}
	return lines, note
}

// changedPaths lists the paths of changes, sorted, as one string.
func changedPaths(cs []sim.Change) string {
	paths := make([]string, len(cs))
	for i, c := range cs {
		paths[i] = c.Path
	}
	slices.Sort(paths)
	return strings.Join(slices.Compact(paths), "\n")
}

// shellProblem says why r cannot go in a shell script, or returns "": a
// shell word cannot hold a NUL byte.
func shellProblem(r Line) string {
	if strings.ContainsRune(r.Body, 0) || strings.ContainsRune(r.Target, 0) || strings.ContainsRune(r.Method, 0) {
		return "it holds a NUL byte, which no shell command can carry"
	}
	for name, vs := range r.Header {
		for _, v := range vs {
			if strings.ContainsRune(name+v, 0) {
				return "a header holds a NUL byte, which no shell command can carry"
			}
		}
	}
	return ""
}

// textProblem says why s cannot go in an .http file, or returns "": the
// readers refuse control characters and text that is not UTF-8.
func textProblem(s string) string {
	if !utf8.ValidString(s) {
		return "it is not UTF-8 text"
	}
	for _, c := range s {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f) {
			return "it holds the control character " + termsafe.Describe(c)
		}
	}
	return ""
}
