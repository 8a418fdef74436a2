package sim

import (
	"net/http"
	"testing"
	"time"
)

func TestEveryExchangeIsAnEventWithChanges(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	sendTo(t, s, "GET", "/accounts/42", "")
	sendTo(t, s, "FROB", "/x", "")
	ev := s.EventsSince(0)
	if len(ev) != 4 {
		t.Fatalf("%d events", len(ev))
	}
	for i, e := range ev {
		if e.Seq != uint64(i+1) || !e.Time.Equal(defaultStart.Add(time.Duration(i)*time.Second)) || e.Source != SourceNetwork || e.Attempt != 1 {
			t.Errorf("event %d: %+v", i, e)
		}
	}
	if c := ev[0].Changes; len(c) != 1 || string(c[0].Before) != `{"balance":80.00}` || string(c[0].After) != `{"balance":100}` {
		t.Fatalf("first PUT changes %+v", c)
	}
	if c := ev[1].Changes; len(c) != 1 || string(c[0].Before) != string(c[0].After) {
		t.Fatalf("repeated PUT should touch the resource without changing it: %+v", c)
	}
	if len(ev[2].Changes) != 0 || ev[3].Response.Status != 501 {
		t.Fatalf("GET changed something or FROB: %+v", ev[2:])
	}
	if s.LastSeq() != 4 || len(s.EventsSince(2)) != 2 || len(s.EventsSince(4)) != 0 {
		t.Fatal("LastSeq/EventsSince disagree")
	}
}

func TestWithSourceLabelsTheEvent(t *testing.T) {
	s := New(Options{})
	r := clientRequest(t, "GET", "/", "")
	r = r.WithContext(WithSource(r.Context(), SourceLesson, 0))
	s.ServeHTTP(nopWriter{}, r)
	if e := s.EventsSince(0)[0]; e.Source != SourceLesson || e.Attempt != 1 || e.Remote != "" {
		t.Fatalf("%+v", e)
	}
}

func TestSlowSubscriberNeverBlocksTheServer(t *testing.T) {
	s := New(Options{})
	_, cancelSlow := s.Subscribe(1) // never read
	defer cancelSlow()
	fast, cancel := s.Subscribe(100)
	defer cancel()
	done := make(chan struct{})
	go func() {
		for range 50 {
			sendTo(t, s, "GET", "/", "")
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the server blocked on a subscriber")
	}
	if n := len(fast); n != 50 {
		t.Fatalf("the fast subscriber got %d events, want 50", n)
	}
}

func TestCancelClosesTheSubscription(t *testing.T) {
	s := New(Options{})
	ch, cancel := s.Subscribe(-5)
	cancel()
	cancel() // twice is fine
	if _, open := <-ch; open {
		t.Fatal("channel still open")
	}
	sendTo(t, s, "GET", "/", "") // no send on a closed channel
}

func TestOnlyMaxEventsAreKept(t *testing.T) {
	s := New(Options{MaxEvents: 5})
	for range 12 {
		sendTo(t, s, "GET", "/", "")
	}
	ev := s.EventsSince(0)
	if len(ev) != 5 || ev[0].Seq != 8 || ev[4].Seq != 12 {
		t.Fatalf("kept %d events from %d", len(ev), ev[0].Seq)
	}
}

type nopWriter struct{}

func (nopWriter) Header() http.Header         { return http.Header{} }
func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (nopWriter) WriteHeader(int)             {}
