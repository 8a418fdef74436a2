package sim

import (
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"strconv"
	"sync/atomic"
	"time"
)

// reply is a complete response, decided before anything is written so that
// the event records exactly what the client gets.
type reply struct {
	status   int
	header   http.Header
	body     []byte
	replayed bool     // replayed from an Idempotency-Key record
	stale    bool     // a 412 for an If-Match naming an earlier version of the target
	spare    []string // room for the values finish adds (see newReply); may be nil
	// lengthBySender says the header leaves Content-Length to net/http (see
	// finish): it is len(body), and the event records it.
	lengthBySender bool
}

// sentLength is the Content-Length net/http sends for rep when rep's header
// leaves it out, or "".
func (rep reply) sentLength() string {
	if !rep.lengthBySender {
		return ""
	}
	return strconv.Itoa(len(rep.body))
}

// maxLengthBySender is the longest body whose Content-Length finish leaves
// to net/http. net/http's ResponseWriter writes it for an answer that is
// all written before the handler returns, without a flush, and is shorter
// than its buffer ("a few KB" in its documentation, 2048 bytes in its source); a header
// field fewer to set, copy, sort and write is a tenth of this server's own
// cost per request.
const maxLengthBySender = 1024

func jsonReply(status int, body []byte) reply {
	return newReply(status, body, "Content-Type", "application/json")
}

// newReply makes a reply whose header has the name/value pairs kv (names in
// canonical form). Its values share one backing array, with room for the two
// that finish adds, so that a reply costs two allocations before finish.
func newReply(status int, body []byte, kv ...string) reply {
	return newReplyIn(nil, status, body, kv...)
}

// reply is newReply with the header built in x.out when x has one, which
// saves a map and a copy per request. Only a reply that is returned as the
// answer may be made this way: another made after it would overwrite its
// header. (finish copies any other reply into x.out.)
func (x *exchange) reply(status int, body []byte, kv ...string) reply {
	return newReplyIn(x.out, status, body, kv...)
}

// newReplyIn makes the reply in h (emptied first), or in a new map if h is nil.
func newReplyIn(h http.Header, status int, body []byte, kv ...string) reply {
	n := len(kv) / 2
	if h != nil {
		clear(h)
	} else {
		h = make(http.Header, n+2)
	}
	vals := make([]string, n, n+2)
	for i := range n {
		vals[i] = kv[2*i+1]
		h[kv[2*i]] = vals[i : i+1 : i+1]
	}
	return reply{status: status, header: h, body: body, spare: vals[n : n : n+2]}
}

// errorReply answers {"error": "..."}: a plain sentence saying what is wrong
// and what to do.
func errorReply(status int, format string, args ...any) reply {
	body, err := canonicalJSON(map[string]string{"error": fmt.Sprintf(format, args...)})
	if err != nil { // cannot happen for a string map; keep a valid body anyway
		body = []byte(`{"error":"unknown error"}`)
	}
	return jsonReply(status, body)
}

// finish adds what every response carries (Date from the sim clock,
// Content-Length) and drops the body of a HEAD response. When out is not
// nil, the finished header is out (the reply's fields are copied there
// unless it was made in it). When bySender is set, out is the header of
// net/http's own ResponseWriter, and the Content-Length of a short answer
// that carries a body is left for net/http to write (lengthBySender).
func (rep reply) finish(method string, now time.Time, out http.Header, bySender bool) reply {
	h := rep.header // every reply owns its header map
	switch {
	case out != nil && !sameMap(h, out):
		clear(out) // a reply made in out and not used may have left fields
		maps.Copy(out, h)
		h = out
	case h == nil:
		h = make(http.Header, 2)
	}
	// One backing array for both values; each slice is capped so that an
	// append never reaches into the other.
	vals := rep.spare[:cap(rep.spare)]
	if len(vals) < 2 {
		vals = make([]string, 2)
	}
	rep.spare = nil
	vals[0] = httpDate(now)
	h["Date"] = vals[0:1:1]
	switch {
	case rep.status == http.StatusNoContent || rep.status == http.StatusNotModified:
	case bySender && out != nil && method != http.MethodHead && rep.status >= 200 && len(rep.body) <= maxLengthBySender:
		rep.lengthBySender = true
	default:
		vals[1] = strconv.Itoa(len(rep.body))
		h["Content-Length"] = vals[1:2:2]
	}
	rep.header = h
	if method == http.MethodHead || rep.status == http.StatusNoContent || rep.status == http.StatusNotModified {
		rep.body = nil
	}
	return rep
}

// write sends the reply on w; a reply finished with w.Header() as its out
// map has its header there already.
func (rep reply) write(w http.ResponseWriter) {
	if wh := w.Header(); !sameMap(rep.header, wh) {
		maps.Copy(wh, rep.header)
	}
	w.WriteHeader(rep.status)
	if len(rep.body) > 0 {
		w.Write(rep.body) // an error means the client went away; the event already says what was sent
	}
}

// sameMap says whether a and b are the same map (not equal contents).
func sameMap(a, b http.Header) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

func (rep reply) message() Message {
	return Message{Status: rep.status, Header: rep.header, Body: rep.body}
}

// quoted shows a value from the request in an error message, shortened.
func quoteInput(s string) string {
	const limit = 60
	r := []rune(s)
	if len(r) > limit {
		return strconv.Quote(string(r[:limit]) + "…")
	}
	return strconv.Quote(s)
}

// httpDate formats t like t.UTC().Format(http.TimeFormat), faster: every
// response carries one. Responses in the same second share one string.
func httpDate(t time.Time) string {
	sec := t.Unix()
	if last := lastDate.Load(); last != nil && last.sec == sec {
		return last.text
	}
	text := formatHTTPDate(t)
	lastDate.Store(&datedSecond{sec: sec, text: text})
	return text
}

// datedSecond is the Date text of one second, the last one httpDate made.
type datedSecond struct {
	sec  int64
	text string
}

var lastDate atomic.Pointer[datedSecond]

func formatHTTPDate(t time.Time) string {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return t.Format(http.TimeFormat)
	}
	hh, mm, ss := t.Clock()
	var b [len(http.TimeFormat)]byte
	two := func(i, v int) { b[i], b[i+1] = byte('0'+v/10), byte('0'+v%10) }
	copy(b[0:], t.Weekday().String()[:3])
	b[3], b[4] = ',', ' '
	two(5, d)
	b[7] = ' '
	copy(b[8:], mo.String()[:3])
	b[11] = ' '
	two(12, y/100)
	two(14, y%100)
	b[16] = ' '
	two(17, hh)
	b[19] = ':'
	two(20, mm)
	b[22] = ':'
	two(23, ss)
	copy(b[25:], " GMT")
	return string(b[:])
}
