package lessons

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// Live values let solutions, setups, hints and explanations speak about the
// learner's own server instead of hard-coding what a fresh one would hold:
//
//	{{etag /accounts/42}}           the current ETag, quotes included ("8370…")
//	{{field /accounts/42 balance}}  a field of a stored object, as JSON (121.00, "b12")
//	{{location}}                    the newest Location header since the step began
//	{{members /customers}}          how many members the collection has
//	{{status}}                      the newest status since the step began ("200 OK")
//	{{keyed POST /payments}}        the newest such request whose Idempotency-Key the server
//	                                still holds, as a request line: sent again, it is replayed
//
// They are filled in when the text is used: a solution line just before it is
// sent or shown, an explanation when the step passes.

// livePattern matches one live value: two braces, a name and its arguments.
var livePattern = regexp.MustCompile(`\{\{([^{}]*)\}\}`)

// liveArgs is how many arguments each live value takes.
var liveArgs = map[string]int{"etag": 1, "field": 2, "keyed": 2, "location": 0, "members": 1, "status": 0}

var liveNames = []string{"etag", "field", "keyed", "location", "members", "status"}

// liveSample stands in for a live value when a line is checked at load time.
var liveSample = map[string]string{"etag": `"0"`, "field": "0", "location": "/customers/1", "members": "0", "status": "200 OK", "keyed": "POST /"}

// checkLive reports every malformed live value in s (a line at line n) and
// returns s with each replaced by a sample of the right kind, so that request
// lines holding live values can still be parsed and checked when the file is
// loaded.
func (p *parser) checkLive(n int, s string) string {
	if !strings.Contains(s, "{{") {
		return s // no live value: the pattern would find none
	}
	return livePattern.ReplaceAllStringFunc(s, func(m string) string {
		name, args := splitLive(m)
		want, ok := liveArgs[name]
		switch {
		case !ok:
			p.errorf(n, "unknown live value %q%s (live values: %s)", m, didYouMean(name, liveNames), strings.Join(liveNames, ", "))
		case len(args) != want:
			p.errorf(n, "live value %q takes %d argument(s), like %s", m, want, liveExample(name))
		case name == "keyed" && (!isToken(args[0]) || !strings.HasPrefix(args[1], "/")):
			p.errorf(n, "live value %q: write a method and a path, like %s", m, liveExample(name))
		case name != "keyed" && want > 0 && !strings.HasPrefix(args[0], "/"):
			p.errorf(n, "live value %q: the path must start with /", m)
		}
		return liveSample[name]
	})
}

func liveExample(name string) string {
	switch name {
	case "etag":
		return "{{etag /accounts/42}}"
	case "field":
		return "{{field /accounts/42 balance}}"
	case "members":
		return "{{members /customers}}"
	case "status":
		return "{{status}}"
	case "keyed":
		return "{{keyed POST /payments}}"
	}
	return "{{location}}"
}

// splitLive splits "{{field /a b}}" into "field" and its arguments.
func splitLive(m string) (string, []string) {
	f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(m, "{{"), "}}"))
	if len(f) == 0 {
		return "", nil
	}
	return strings.ToLower(f[0]), f[1:]
}

// hasLive reports whether s holds a live value.
func hasLive(s string) bool { return livePattern.MatchString(s) }

// liveWorld is the server that setups and live values read: a World that
// also says whether it holds an Idempotency-Key and reads its kept events
// newest first, a page at a time. *sim.Server implements it.
type liveWorld interface {
	World
	KeyHeld(h http.Header) bool
	EventsBefore(seq uint64, n int) []sim.Event
}

// keyedPage is how many events newestKeyed reads at a time: the request it
// looks for is most often among the newest few.
const keyedPage = 64

// resolveLive fills in the live values of s from the server w and the
// exchanges t has seen since the step began. A value that does not exist
// (the ETag of a missing resource) reads as a short note in parentheses for
// text, which a request line then refuses to parse, rather than a guess.
func resolveLive(s string, w liveWorld, t *tally) string {
	if !hasLive(s) {
		return s
	}
	return livePattern.ReplaceAllStringFunc(s, func(m string) string {
		name, args := splitLive(m)
		if want, ok := liveArgs[name]; !ok || len(args) != want {
			return m
		}
		switch name {
		case "etag":
			if _, etag, ok := w.Resource(args[0]); ok {
				return etag
			}
			return "(" + args[0] + " does not exist)"
		case "field":
			body, _, ok := w.Resource(args[0])
			if !ok {
				return "(" + args[0] + " does not exist)"
			}
			var fields map[string]json.RawMessage
			if json.Unmarshal(body, &fields) != nil || fields[args[1]] == nil {
				return fmt.Sprintf("(%s has no field %s)", args[0], args[1])
			}
			return compactJSON(fields[args[1]])
		case "members":
			return strconv.Itoa(len(w.Members(args[0])))
		case "keyed":
			return newestKeyed(w, args[0], args[1])
		case "status":
			if t != nil && t.last != 0 {
				return statusText(t.last)
			}
			return "(no response yet)"
		default: // location
			if t != nil && t.location != "" {
				return t.location
			}
			return "(no Location yet)"
		}
	})
}

// newestKeyed is {{keyed METHOD PATH}}: the newest METHOD request to PATH
// whose Idempotency-Key the server still holds, in the request-line form —
// the learner's own, or a setup's. Sent again, the server replays its
// answer; a request whose key a reset or an undo made the server forget, or
// that the key's first request differs from, is passed over. It reads the
// log newest first and stops at the first such request.
func newestKeyed(w liveWorld, method, path string) string {
	method = strings.ToUpper(method)
	for evs := w.EventsBefore(math.MaxUint64, keyedPage); len(evs) > 0; evs = w.EventsBefore(evs[0].Seq, keyedPage) {
		if line := newestKeyedIn(w, evs, method, path); line != "" {
			return line
		}
	}
	return fmt.Sprintf("(no %s request to %s with an Idempotency-Key the server holds)", method, path)
}

// newestKeyedIn is newestKeyed over a page of events.
func newestKeyedIn(w liveWorld, evs []sim.Event, method, path string) string {
	for i := len(evs) - 1; i >= 0; i-- {
		ev := evs[i]
		// The request the key was first used for changed something, and a
		// replay repeats it; one refused for reusing the key (422) did
		// neither.
		if ev.Kind != sim.KindExchange || ev.Response.Status == 0 || ev.Request.Method != method ||
			targetPath(ev.Request.Target) != path || !ev.Replayed && len(ev.Changes) == 0 || !w.KeyHeld(ev.Request.Header) {
			continue
		}
		if line, ok := request.FromMessage(ev.Request).RequestLine(); ok {
			return line
		}
	}
	return ""
}
