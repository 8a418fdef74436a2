package sim

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strconv"
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
	// Events are packed straight into a block's free end when they fit,
	// so every earlier event is checked, not only the last.
	var slab []byte
	var kept []keptEvent
	var events []Event
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
		for i := range kept {
			if got := kept[i].unpack(); !reflect.DeepEqual(got, events[i]) {
				t.Fatalf("keeping an event changed one kept before it:\n got %#v\nwant %#v", got, events[i])
			}
		}
		kept, events = append(kept, k), append(events, e)
		// Without headers: the same event but for its two header maps.
		brief := e
		brief.Request.Header, brief.Response.Header = nil, nil
		if got := k.unpackWith(false); !reflect.DeepEqual(got, brief) {
			t.Fatalf("brief round trip changed the event:\n got %#v\nwant %#v", got, brief)
		}
	})
}

// TestKeepPacksIntoTheBlockOnlyWhatFits: an event packed straight into a
// block's free end moves the block on; one too big for what is left goes to
// a new block, and one over a quarter of a block to its own array, leaving
// the block as it was; every event still reads back as kept.
func TestKeepPacksIntoTheBlockOnlyWhatFits(t *testing.T) {
	n := 0
	event := func(body int) Event { // every event differs from the others
		n++
		return Event{Seq: uint64(n), Source: SourceNetwork, Request: Message{Method: "PUT", Target: "/a/" + strconv.Itoa(n), Body: bytes.Repeat([]byte{'x'}, body)}}
	}
	var scratch, slab []byte
	var kept []keptEvent
	var events []Event
	keepOne := func(e Event) keptEvent {
		k := keep(&e, &scratch, &slab)
		kept, events = append(kept, k), append(events, e)
		for i := range kept {
			if got := kept[i].unpack(); !reflect.DeepEqual(got, events[i]) {
				t.Fatalf("event %d (body %d bytes) reads back changed", i, len(events[i].Request.Body))
			}
		}
		return k
	}
	keepOne(event(100))
	block := slab
	for cap(slab)-len(slab) > 1600 { // fill the block to between 1 and 1.6 KiB free
		keepOne(event(100))
	}
	if &slab[0] != &block[0] {
		t.Fatal("small events did not share one block")
	}
	before := len(slab)
	keepOne(event(3000)) // does not fit what is left: a new block
	if &slab[0] == &block[0] || len(slab) < 3000 {
		t.Fatalf("an event too big for the block's free end was not put in a new block (block length %d → %d)", before, len(slab))
	}
	for cap(slab)-len(slab) < slabSize/2 {
		slab = nil // a fresh block on the next keep
		keepOne(event(10))
	}
	at := len(slab)
	keepOne(event(slabSize/4 + 100))
	if len(slab) != at {
		t.Fatalf("an event over a quarter of a block went into the block (length %d → %d)", at, len(slab))
	}
	for range 200 { // on through the block's end and the next ones; keepOne checks every event
		keepOne(event(150))
	}
}
