package sim

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestIdempotencyReplayIsByteIdenticalAndMarked(t *testing.T) {
	s := New(Options{})
	first := sendTo(t, s, "POST", "/payments", `{"amount":25}`, `Idempotency-Key: "k1"`)
	again := sendTo(t, s, "POST", "/payments", `{ "amount": 25 }`, `Idempotency-Key: "k1"`)
	if !bytes.Equal(first.Body.Bytes(), again.Body.Bytes()) || again.Code != first.Code {
		t.Fatalf("replay %d %q differs from %d %q", again.Code, again.Body, first.Code, first.Body)
	}
	for _, h := range []string{"Location", "Etag", "Content-Type", "Content-Length"} {
		if again.Header().Get(h) != first.Header().Get(h) {
			t.Errorf("%s: %q then %q", h, first.Header().Get(h), again.Header().Get(h))
		}
	}
	if again.Header().Get("Idempotent-Replayed") != "true" {
		t.Error("the replay is not marked")
	}
	if n := len(s.Members("/payments")); n != 1 {
		t.Fatalf("%d payments, want 1", n)
	}
	events := s.EventsSince(0)
	if last := events[len(events)-1]; !last.Replayed || len(last.Changes) != 0 {
		t.Fatalf("replay event: %+v", last)
	}
}

func TestIdempotencyKeyOnAnotherPathIs422(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "POST", "/payments", `{"amount":25}`, `Idempotency-Key: "k1"`)
	w := sendTo(t, s, "POST", "/customers", `{"amount":25}`, `Idempotency-Key: "k1"`)
	if w.Code != 422 || !strings.Contains(w.Body.String(), "POST /payments") {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
}

func TestIdempotencyKeyExpiresAfter24HoursOfSimClock(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "POST", "/payments", `{"amount":25}`, `Idempotency-Key: "k1"`)
	s.Advance(24*time.Hour - 2*time.Second)
	if w := sendTo(t, s, "POST", "/payments", `{"amount":25}`, `Idempotency-Key: "k1"`); w.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay before expiry: %d %v", w.Code, w.Header())
	}
	s.Advance(time.Second)
	w := sendTo(t, s, "POST", "/payments", `{"amount":25}`, `Idempotency-Key: "k1"`)
	if w.Code != 201 || w.Header().Get("Location") != "/payments/2" || w.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("after expiry: %d %v", w.Code, w.Header())
	}
}

func TestIdempotencyKeyWhileFirstIsInFlightIs409(t *testing.T) {
	s := New(Options{})
	pr, pw := io.Pipe()
	first := httptest.NewRequest("POST", "/payments", pr)
	first.Header.Set("Content-Type", "application/json")
	first.Header.Set("Idempotency-Key", `"k1"`)
	done := make(chan *httptest.ResponseRecorder)
	go func() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, first)
		done <- w
	}()
	io.WriteString(pw, `{"amount":`) // the first body is still arriving
	var second *httptest.ResponseRecorder
	for range 1000 { // wait until the first request has reserved the key
		if second = sendTo(t, s, "POST", "/payments", `{"amount":25}`, `Idempotency-Key: "k1"`); second.Code == http.StatusConflict {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if second.Code != http.StatusConflict {
		t.Fatalf("second request: %d %s, want 409", second.Code, second.Body)
	}
	io.WriteString(pw, `25}`)
	pw.Close()
	if w := <-done; w.Code != 201 {
		t.Fatalf("first request: %d %s", w.Code, w.Body)
	}
	if w := sendTo(t, s, "POST", "/payments", `{"amount":25}`, `Idempotency-Key: "k1"`); w.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatalf("after the first finished: %d %v", w.Code, w.Header())
	}
	if n := len(s.Members("/payments")); n != 1 {
		t.Fatalf("%d payments, want 1", n)
	}
}

func TestBadIdempotencyKeyIs400(t *testing.T) {
	s := New(Options{})
	for _, k := range []string{`""`, strings.Repeat("k", 300)} {
		if w := sendTo(t, s, "POST", "/payments", `{"amount":1}`, "Idempotency-Key: "+k); w.Code != 400 {
			t.Errorf("key %.20q: %d", k, w.Code)
		}
	}
	if w := sendTo(t, s, "POST", "/payments", `{"amount":1}`, "X-Idempotency-Key: k2"); w.Code != 400 || !strings.Contains(w.Body.String(), "is a token, not a string") {
		t.Fatalf("X-Idempotency-Key with a bare token: %d %s", w.Code, w.Body)
	}
	if w := sendTo(t, s, "POST", "/payments", `{"amount":1}`, `X-Idempotency-Key: "k2"`); w.Code != 201 {
		t.Fatalf("X-Idempotency-Key with a string: %d", w.Code)
	}
	if w := sendTo(t, s, "POST", "/payments", `{"amount":1}`, `X-Idempotency-Key: "k2"`); w.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatal("X-Idempotency-Key was not honoured")
	}
}

func TestValidationFailuresAreNotRemembered(t *testing.T) {
	s := New(Options{})
	if w := sendTo(t, s, "POST", "/payments", `{"amount":`, `Idempotency-Key: "k1"`); w.Code != 400 {
		t.Fatalf("%d", w.Code)
	}
	if w := sendTo(t, s, "POST", "/payments", `{"amount":1}`, `Idempotency-Key: "k1"`); w.Code != 201 || w.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("after a malformed first try: %d %v", w.Code, w.Header())
	}
}

func TestA507IsNotRememberedSoARetryCanSucceedLater(t *testing.T) {
	s := New(Options{Fixture: "empty", MaxResources: 1})
	sendTo(t, s, "PUT", "/flights/X", `{"n":1}`)
	if w := sendTo(t, s, "POST", "/payments", `{"amount":1}`, `Idempotency-Key: "k1"`); w.Code != 507 {
		t.Fatalf("%d", w.Code)
	}
	sendTo(t, s, "DELETE", "/flights/X", "")
	if w := sendTo(t, s, "POST", "/payments", `{"amount":1}`, `Idempotency-Key: "k1"`); w.Code != 201 || w.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("retry after making room: %d %v", w.Code, w.Header())
	}
}

func TestIdempotencyRecordsAreCappedAndExpiredOnesMakeRoom(t *testing.T) {
	s := New(Options{Fixture: "empty", MaxResources: 2})
	for _, k := range []string{`"k1"`, `"k2"`} {
		if w := sendTo(t, s, "POST", "/accounts/9/interest", `{"rate":0.1}`, "Idempotency-Key: "+k); w.Code != 404 {
			t.Fatalf("%s: %d", k, w.Code)
		}
	}
	if w := sendTo(t, s, "POST", "/accounts/9/interest", `{"rate":0.1}`, `Idempotency-Key: "k3"`); w.Code != 507 {
		t.Fatalf("a third key past the cap: %d", w.Code)
	}
	s.Advance(idemTTL)
	if w := sendTo(t, s, "POST", "/accounts/9/interest", `{"rate":0.1}`, `Idempotency-Key: "k3"`); w.Code != 404 {
		t.Fatalf("after the others expired: %d %s", w.Code, w.Body)
	}
	s.mu.Lock()
	n, size, want := len(s.st.idem), s.st.idemSize, s.st.idem[`k3`].size(`k3`)
	s.mu.Unlock()
	if n != 1 || size != want {
		t.Fatalf("%d records of %d bytes, want 1 of %d", n, size, want)
	}
	s.Undo()
	if s.st.idemSize != 0 {
		t.Fatalf("undo left %d bytes accounted", s.st.idemSize)
	}
}

// KeyHeld tells a lesson's setup that a keyed POST would change nothing:
// the key is held once a POST used it, and not after the POST is undone,
// nor for a key never used or a header that is no key.
func TestKeyHeldSaysWhetherAKeyIsRemembered(t *testing.T) {
	s := New(Options{Fixture: "payments"})
	key := http.Header{"Idempotency-Key": {`"pay-0001"`}}
	if s.KeyHeld(key) {
		t.Fatal("an unused key is held")
	}
	sendTo(t, s, "POST", "/payments", `{"amount":25,"to":"ACME Air"}`, `Idempotency-Key: "pay-0001"`)
	if !s.KeyHeld(key) || !s.KeyHeld(http.Header{"X-Idempotency-Key": {`"pay-0001"`}}) {
		t.Error("a used key is not held")
	}
	if s.KeyHeld(http.Header{"Idempotency-Key": {`"pay-0002"`}}) || s.KeyHeld(http.Header{"Idempotency-Key": {"pay-0001"}}) || s.KeyHeld(nil) {
		t.Error("another key, an unquoted one or none is held")
	}
	s.Undo()
	if s.KeyHeld(key) {
		t.Error("the key is held after its POST was undone")
	}
}
