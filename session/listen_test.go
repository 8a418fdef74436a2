package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/sim"
)

// putOverTheNetwork sends PUT /accounts/42 {"balance":100} to the session's
// listener with Go's HTTP client on a connection of its own.
func putOverTheNetwork(t *testing.T, s *Session) (*http.Response, error) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	req, err := http.NewRequest(http.MethodPut, "http://"+s.Addr()+"/accounts/42", strings.NewReader(`{"balance":100}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err == nil {
		_, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

// lastEvent waits for the session to report an exchange from the network.
func lastNetworkEvent(t *testing.T, w *Watcher) sim.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		ups, err := w.Next(ctx)
		if err != nil {
			t.Fatalf("no exchange from the network reached the session: %v", err)
		}
		for _, u := range ups {
			if u.Kind == UpdateEvent && u.Event.Source == sim.SourceNetwork {
				return u.Event
			}
		}
	}
}

func TestALostResponseReachesARealClientAfterTheServerActed(t *testing.T) {
	s := newTest(t, Options{Listen: "127.0.0.1:0"})
	w := s.Watch()
	defer w.Close()
	s.SetFaults(sim.FaultSettings{LoseResponses: true})
	resp, err := putOverTheNetwork(t, s)
	if err == nil {
		t.Fatalf("the client got a response (%s) that the network should have lost", resp.Status)
	}
	if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") {
		t.Errorf("the connection did not close without a response: %v", err)
	}
	body, _, _ := s.Server().Resource("/accounts/42")
	if !strings.Contains(string(body), `"balance":100`) {
		t.Errorf("the server did not act on the request whose response was lost: %s", body)
	}
	ev := lastNetworkEvent(t, w)
	if ev.Fault != sim.FaultLostResponse || ev.Response.Status != http.StatusOK {
		t.Errorf("the event says fault %q, status %d; want a lost 200", ev.Fault, ev.Response.Status)
	}
	if !strings.HasPrefix(ev.Remote, "127.0.0.1:") {
		t.Errorf("the event does not say who sent it: remote %q", ev.Remote)
	}
}

func TestADroppedRequestNeverReachesTheServerFromARealClient(t *testing.T) {
	s := newTest(t, Options{Listen: "127.0.0.1:0"})
	w := s.Watch()
	defer w.Close()
	before, _, _ := s.Server().Resource("/accounts/42")
	s.SetFaults(sim.FaultSettings{DropRequests: true})
	if resp, err := putOverTheNetwork(t, s); err == nil {
		t.Fatalf("the client got a response (%s) to a dropped request", resp.Status)
	}
	after, _, _ := s.Server().Resource("/accounts/42")
	if string(after) != string(before) {
		t.Errorf("a dropped request changed the state: %s → %s", before, after)
	}
	if ev := lastNetworkEvent(t, w); ev.Fault != sim.FaultDropped || ev.Response.Status != 0 {
		t.Errorf("the event says fault %q, status %d; want a dropped request", ev.Fault, ev.Response.Status)
	}
}

func TestADelayedResponseStillArrivesAtARealClient(t *testing.T) {
	s := newTest(t, Options{Listen: "127.0.0.1:0"})
	w := s.Watch()
	defer w.Close()
	s.SetFaults(sim.FaultSettings{Delay: time.Millisecond})
	resp, err := putOverTheNetwork(t, s)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("a delayed response did not arrive: %v", err)
	}
	if ev := lastNetworkEvent(t, w); ev.Fault != sim.FaultDelayed {
		t.Errorf("the event says fault %q, want delayed", ev.Fault)
	}
}

func TestFaultsOffAnswerRealClientsNormally(t *testing.T) {
	s := newTest(t, Options{Listen: "127.0.0.1:0"})
	resp, err := putOverTheNetwork(t, s)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT over the network without faults: %v", err)
	}
}

// overTheNetwork sends method target body to the session's listener as curl
// would (its own connection, curl's User-Agent), and reports whether an
// answer came back.
func overTheNetwork(t *testing.T, s *Session, method, target, body string) bool {
	t.Helper()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	req, err := http.NewRequest(method, "http://"+s.Addr()+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "curl/8.5.0")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return false
	}
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	return true
}

// waitStatus waits until the session has judged the step after the
// network's exchanges, and returns whether it passed.
func waitPassed(t *testing.T, s *Session, w *Watcher) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for !s.Status().Passed {
		if _, err := w.Next(ctx); err != nil {
			return false
		}
	}
	return true
}

// TestLesson9IsPassableFromCurl walks the network-failures lesson's task
// steps with requests over --listen only: the step's faults reach the
// client, and sending the same request again is the retry the step's
// policy allows (a PUT under rfc9110, a POST under the browser's).
func TestLesson9IsPassableFromCurl(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s := newTest(t, Options{Mode: Tutorial, Lessons: ls, Lesson: "network-failures", Listen: "127.0.0.1:0"})
	w := s.Watch()
	defer w.Close()
	put := `{"balance":100}`
	interest := `{"rate":0.10}`

	// 1: a lost response, no retry.
	if overTheNetwork(t, s, "PUT", "/accounts/42", put) {
		t.Error("step 1: an answer came back through a network that loses responses")
	}
	if !waitPassed(t, s, w) {
		t.Fatalf("step 1 did not pass: %+v", s.Status())
	}
	// 2: rfc9110 — the PUT sent again is its retry and gets through.
	s.Next()
	if overTheNetwork(t, s, "PUT", "/accounts/42", put) {
		t.Error("step 2: the first attempt was answered")
	}
	if !overTheNetwork(t, s, "PUT", "/accounts/42", put) {
		t.Error("step 2: the retried PUT was lost too")
	}
	if !waitPassed(t, s, w) {
		t.Fatalf("step 2 did not pass: %+v", s.Status())
	}
	// 3: no retries — every POST loses its answer, and each one counts.
	s.Next()
	for i := range 2 {
		if overTheNetwork(t, s, "POST", "/accounts/42/interest", interest) {
			t.Errorf("step 3: POST %d was answered", i+1)
		}
	}
	if !waitPassed(t, s, w) {
		t.Fatalf("step 3 did not pass: %+v", s.Status())
	}
	// 4: the browser's policy — the POST sent again gets through, twice done.
	s.Next()
	overTheNetwork(t, s, "POST", "/accounts/42/interest", interest)
	if !overTheNetwork(t, s, "POST", "/accounts/42/interest", interest) {
		t.Error("step 4: the browser's retry was lost")
	}
	if !waitPassed(t, s, w) {
		t.Fatalf("step 4 did not pass: %+v", s.Status())
	}
}
