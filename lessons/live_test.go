package lessons

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/putpost/putpost/sim"
)

// countingWorld is a server that counts the events it hands out.
type countingWorld struct {
	*sim.Server
	read int
}

func (c *countingWorld) EventsSince(seq uint64) []sim.Event {
	evs := c.Server.EventsSince(seq)
	c.read += len(evs)
	return evs
}

func (c *countingWorld) EventsBefore(seq uint64, n int) []sim.Event {
	evs := c.Server.EventsBefore(seq, n)
	c.read += len(evs)
	return evs
}

// {{keyed}} reads the log newest first and stops at the request it names:
// a full log costs it a page, not every kept event; an older request is
// found a few pages back, and one the server forgot is passed over.
func TestKeyedReadsTheLogNewestFirstAndStopsAtTheRequest(t *testing.T) {
	srv := sim.New(sim.Options{Fixture: "payments"})
	post := func(key string) {
		r := httptest.NewRequest("POST", "/payments", strings.NewReader(`{"amount":25,"to":"ACME Air"}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Idempotency-Key", key)
		srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	gets := func(n int) {
		for range n {
			srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/payments", nil))
		}
	}
	post(`"old"`)
	gets(200)
	w := &countingWorld{Server: srv}
	want := `POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: "old"'`
	if got := newestKeyed(w, "post", "/payments"); got != want || w.read > 4*keyedPage {
		t.Fatalf("{{keyed}} after 200 GETs read %d events and gave %s; want %s", w.read, got, want)
	}
	gets(2000)
	post(`"new"`)
	gets(10)
	w.read = 0
	if got := newestKeyed(w, "post", "/payments"); !strings.Contains(got, `"new"`) || w.read > keyedPage {
		t.Fatalf("{{keyed}} read %d of %d kept events and gave %s; want the newest keyed POST from the newest page", w.read, len(srv.EventsSince(0)), got)
	}
	srv.Undo()
	srv.Undo()
	w.read = 0
	if got := newestKeyed(w, "post", "/payments"); got != "(no POST request to /payments with an Idempotency-Key the server holds)" {
		t.Fatalf("{{keyed}} with both keys undone gave %s", got)
	}
}
