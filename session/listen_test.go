package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

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
