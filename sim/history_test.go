package sim

import (
	"strings"
	"testing"
	"time"
)

func TestUndoRevertsTheNewestChangeOnly(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	sendTo(t, s, "GET", "/accounts/42", "") // safe: nothing to undo
	sendTo(t, s, "POST", "/accounts/42/interest", `{"rate":0.10}`)
	if !s.Undo() {
		t.Fatal("nothing to undo")
	}
	if got := storedAt(t, s, "/accounts/42"); got != `{"balance":100}` {
		t.Fatalf("after one undo: %s", got)
	}
	if got := storedAt(t, s, "/accounts/42/transactions/1"); got != "(absent)" {
		t.Fatalf("the transaction survived the undo: %s", got)
	}
	sendTo(t, s, "POST", "/accounts/42/interest", `{"rate":0.10}`)
	if got := storedAt(t, s, "/accounts/42/transactions/1"); got == "(absent)" {
		t.Fatal("undo did not give the transaction id back")
	}
	s.Undo()
	s.Undo()
	if got := storedAt(t, s, "/accounts/42"); got != `{"balance":80.00}` {
		t.Fatalf("after undoing everything: %s", got)
	}
	if s.Undo() {
		t.Fatal("undo past the start")
	}
}

func TestUndoEmitsAnEventWithTheRevertedChanges(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	seq := s.LastSeq()
	s.Undo()
	ev := s.EventsSince(seq)
	if len(ev) != 1 || ev[0].Kind != KindUndo || len(ev[0].Changes) != 1 {
		t.Fatalf("%+v", ev)
	}
	if c := ev[0].Changes[0]; string(c.Before) != `{"balance":100}` || string(c.After) != `{"balance":80.00}` {
		t.Fatalf("change %s → %s", c.Before, c.After)
	}
	if got := ev[0].Summary(); got != "undo — /accounts/42 balance 100 → 80.00" {
		t.Fatalf("Summary %q", got)
	}
}

func TestUndoForgetsTheIdempotencyRecord(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "POST", "/payments", `{"amount":5}`, `Idempotency-Key: "k1"`)
	s.Undo()
	w := sendTo(t, s, "POST", "/payments", `{"amount":5}`, `Idempotency-Key: "k1"`)
	if w.Code != 201 || w.Header().Get("Idempotent-Replayed") != "" || w.Header().Get("Location") != "/payments/1" {
		t.Fatalf("after undo: %d %v", w.Code, w.Header())
	}
}

func TestRestoreGoesBackToACheckpoint(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "POST", "/customers", `{"name":"Joe"}`)
	cp := s.Checkpoint()
	before := worldOf(s)
	sendTo(t, s, "POST", "/customers", `{"name":"Ann"}`)
	sendTo(t, s, "DELETE", "/accounts/42", "")
	sendTo(t, s, "POST", "/payments", `{"amount":5}`, `Idempotency-Key: "k1"`)
	s.Restore(cp)
	if !sameWorld(before, worldOf(s)) {
		t.Fatalf("restored %v, want %v", worldOf(s), before)
	}
	if w := sendTo(t, s, "POST", "/customers", `{"name":"Bo"}`); w.Header().Get("Location") != "/customers/2" {
		t.Fatalf("counter not restored: %s", w.Header().Get("Location"))
	}
	if w := sendTo(t, s, "POST", "/payments", `{"amount":6}`, `Idempotency-Key: "k1"`); w.Code != 201 {
		t.Fatalf("idempotency record not restored: %d", w.Code)
	}
	// the checkpoint is immutable: writes after it did not leak into it
	s.Restore(cp)
	if !sameWorld(before, worldOf(s)) {
		t.Fatal("the checkpoint changed after later writes")
	}
	// undo history comes back too
	if !s.Undo() || storedAt(t, s, "/customers/1") != "(absent)" {
		t.Fatal("undo after restore did not revert the first POST")
	}
	s.Restore(cp)
	if storedAt(t, s, "/customers/1") == "(absent)" {
		t.Fatal("undo after restore modified the checkpoint")
	}
}

func TestRestoreEmitsARestoreEvent(t *testing.T) {
	s := New(Options{})
	cp := s.Checkpoint()
	sendTo(t, s, "DELETE", "/flights/AA123", "")
	s.Restore(cp)
	ev := s.EventsSince(s.LastSeq() - 1)
	if ev[0].Kind != KindRestore || len(ev[0].Changes) != 1 || ev[0].Changes[0].Path != "/flights/AA123" {
		t.Fatalf("%+v", ev[0])
	}
	s.Restore(Snapshot{}) // zero snapshot: nothing happens
	if len(s.EventsSince(ev[0].Seq)) != 0 {
		t.Fatal("restoring a zero Snapshot emitted an event")
	}
}

func TestResetLoadsAFreshFixture(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "POST", "/customers", `{"name":"Joe"}`)
	s.Advance(time.Hour)
	if err := s.Reset("flights"); err != nil {
		t.Fatal(err)
	}
	if got := worldOf(s); !sameWorld(got, map[string]string{"/flights/AA123": `{"gate":"a7","status":"delayed"}`}) {
		t.Fatalf("%v", got)
	}
	if !s.Now().Equal(defaultStart) {
		t.Fatalf("clock %v", s.Now())
	}
	if s.Undo() {
		t.Fatal("undo crossed a reset")
	}
	ev := s.EventsSince(s.LastSeq() - 1)
	if ev[0].Kind != KindReset {
		t.Fatalf("%+v", ev[0])
	}
	err := s.Reset("bnak")
	if err == nil || !strings.Contains(err.Error(), "bank") {
		t.Fatalf("unknown fixture: %v", err)
	}
}

// TestAResetBeforeAnyEventIsTheStartNotAnEvent: a session loads its lesson's
// fixture before anything happens; that is where the server starts, so it
// uses no event number and the first exchange is #1. Later resets are events.
func TestAResetBeforeAnyEventIsTheStartNotAnEvent(t *testing.T) {
	s := New(Options{})
	if err := s.Reset("flights"); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset("customers"); err != nil {
		t.Fatal(err)
	}
	if evs := s.EventsSince(0); len(evs) != 0 {
		t.Fatalf("start-up resets emitted %d events", len(evs))
	}
	if got := storedAt(t, s, "/flights/AA123"); got != "(absent)" {
		t.Fatalf("the customers fixture holds a flight: %s", got)
	}
	sendTo(t, s, "GET", "/customers", "")
	if err := s.Reset("flights"); err != nil {
		t.Fatal(err)
	}
	evs := s.EventsSince(0)
	if len(evs) != 2 || evs[0].Seq != 1 || evs[0].Kind != KindExchange || evs[1].Kind != KindReset {
		t.Fatalf("events after a GET and a reset: %+v", evs)
	}
}
