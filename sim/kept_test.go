package sim

import (
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestKeptEventsReadBackExactlyAsEmitted: the packed form of the event log
// gives back, through EventsSince, the same events subscribers received.
func TestKeptEventsReadBackExactlyAsEmitted(t *testing.T) {
	s := New(Options{})
	f := s.Feed(0)
	defer f.Close()
	c := s.Client(SourceComposer)
	send := func(method, target, body string, header ...string) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequestWithContext(context.Background(), method, "http://putpost.local"+target, rd)
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	send("GET", "/accounts/42", "")
	send("PUT", "/accounts/42", `{"balance": 100}`)
	send("POST", "/customers", `{"name":"Joe"}`)
	send("POST", "/payments", `{"amount":5}`, "Idempotency-Key", `"k1"`)
	send("POST", "/payments", `{"amount":5}`, "Idempotency-Key", `"k1"`)
	send("DELETE", "/flights/AA123", "")
	send("DELETE", "/flights/AA123", "")
	send("OPTIONS", "/customers", "")
	send("TRACE", "/customers", "", "X-Note", "é")
	send("FROB", "/customers", "")
	send("HEAD", "/accounts/42", "")
	c.SetFaults(FaultSettings{LoseResponses: true})
	c.SetRetry(RetryBrowser)
	send("POST", "/accounts/42/interest", `{"rate":0.10}`)
	s.Undo()
	if err := s.Reset("bank"); err != nil {
		t.Fatal(err)
	}

	b := f.Poll()
	got := b.Events
	kept := s.EventsSince(0)
	if len(kept) != len(got) || b.Missed != 0 || uint64(len(got)) != s.LastSeq() {
		t.Fatalf("EventsSince gave %d events, the feed %d (%d missed) of %d", len(kept), len(got), b.Missed, s.LastSeq())
	}
	for i := range got {
		if !reflect.DeepEqual(kept[i], got[i]) {
			t.Errorf("event %d differs:\n kept %+v\n sent %+v", got[i].Seq, kept[i], got[i])
		}
	}
}

// TestKeepUnpackRoundTrips: any event survives packing unchanged, nil and
// empty kept apart.
func TestKeepUnpackRoundTrips(t *testing.T) {
	bytesOrNil := rapid.OneOf(rapid.Just([]byte(nil)), rapid.SliceOf(rapid.Byte()))
	header := rapid.Custom(func(t *rapid.T) http.Header {
		if rapid.Bool().Draw(t, "nil") {
			return nil
		}
		h := http.Header{}
		for _, k := range rapid.SliceOfN(rapid.SampledFrom([]string{"Etag", "Location", "X-A", ""}), 0, 3).Draw(t, "keys") {
			h[k] = rapid.SliceOfN(rapid.String(), 0, 2).Draw(t, "values")
		}
		return h
	})
	message := rapid.Custom(func(t *rapid.T) Message {
		return Message{Method: rapid.String().Draw(t, "m"), Target: rapid.String().Draw(t, "t"),
			Status: rapid.IntRange(0, 999).Draw(t, "s"), Header: header.Draw(t, "h"), Body: bytesOrNil.Draw(t, "b")}
	})
	// Every event is copied into the same blocks, as the log does: an
	// event kept earlier must unpack the same after later ones are kept.
	var slab []byte
	var prev keptEvent
	var prevEvent Event
	rapid.Check(t, func(t *rapid.T) {
		e := Event{
			Seq:      rapid.Uint64().Draw(t, "seq"),
			Time:     time.Unix(rapid.Int64Range(0, 1<<40).Draw(t, "time"), 0).UTC(),
			Kind:     EventKind(rapid.SampledFrom([]string{"", "undo", "reset"}).Draw(t, "kind")),
			Source:   Source(rapid.String().Draw(t, "src")),
			Remote:   rapid.String().Draw(t, "remote"),
			Attempt:  rapid.IntRange(-3, 10).Draw(t, "attempt"),
			Fault:    Fault(strings.ToLower(rapid.String().Draw(t, "fault"))),
			Request:  message.Draw(t, "req"),
			Response: message.Draw(t, "resp"),
			Replayed: rapid.Bool().Draw(t, "replayed"),
		}
		if rapid.Bool().Draw(t, "changes") {
			e.Changes = []Change{}
			for range rapid.IntRange(0, 3).Draw(t, "n") {
				e.Changes = append(e.Changes, Change{Path: rapid.String().Draw(t, "p"), Before: bytesOrNil.Draw(t, "bef"), After: bytesOrNil.Draw(t, "aft")})
			}
		}
		var scratch []byte
		k := keep(&e, &scratch, &slab)
		if got := k.unpack(); !reflect.DeepEqual(got, e) {
			t.Fatalf("round trip changed the event:\n got %#v\nwant %#v", got, e)
		}
		if prev.data != nil {
			if got := prev.unpack(); !reflect.DeepEqual(got, prevEvent) {
				t.Fatalf("keeping an event changed the one kept before it:\n got %#v\nwant %#v", got, prevEvent)
			}
		}
		prev, prevEvent = k, e
		// Without headers: the same event but for its two header maps.
		brief := e
		brief.Request.Header, brief.Response.Header = nil, nil
		if got := k.unpackWith(false); !reflect.DeepEqual(got, brief) {
			t.Fatalf("brief round trip changed the event:\n got %#v\nwant %#v", got, brief)
		}
	})
}
