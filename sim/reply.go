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
	return reply{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: body}
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
		h = http.Header{}
	}
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	if rep.status != http.StatusNoContent && rep.status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(rep.body)))
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
