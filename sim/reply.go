package sim

import (
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"time"
)

// reply is a complete response, decided before anything is written so that
// the event records exactly what the client gets.
type reply struct {
	status   int
	header   http.Header
	body     []byte
	replayed bool // replayed from an Idempotency-Key record
}

func jsonReply(status int, body []byte) reply {
	return reply{status: status, header: replyHeader("Content-Type", "application/json"), body: body}
}

// replyHeader makes a reply's header from name/value pairs (names in
// canonical form), with room for what finish adds and one backing array for
// the values.
func replyHeader(kv ...string) http.Header {
	h := make(http.Header, len(kv)/2+2)
	vals := make([]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		j := i / 2
		vals[j] = kv[i+1]
		h[kv[i]] = vals[j : j+1 : j+1]
	}
	return h
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
// Content-Length) and drops the body of a HEAD response.
func (rep reply) finish(method string, now time.Time) reply {
	h := rep.header // every reply owns its header map
	if h == nil {
		h = make(http.Header, 2)
	}
	// One backing array for both values; each slice is capped so that an
	// append never reaches into the other.
	vals := make([]string, 2)
	vals[0] = httpDate(now)
	h["Date"] = vals[0:1:1]
	if rep.status != http.StatusNoContent && rep.status != http.StatusNotModified {
		vals[1] = strconv.Itoa(len(rep.body))
		h["Content-Length"] = vals[1:2:2]
	}
	rep.header = h
	if method == http.MethodHead || rep.status == http.StatusNoContent || rep.status == http.StatusNotModified {
		rep.body = nil
	}
	return rep
}

func (rep reply) write(w http.ResponseWriter) {
	maps.Copy(w.Header(), rep.header)
	w.WriteHeader(rep.status)
	if len(rep.body) > 0 {
		w.Write(rep.body) // an error means the client went away; the event already says what was sent
	}
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
// response carries one.
func httpDate(t time.Time) string {
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
