package sim

import (
	"fmt"
	"io"
	"sync"
	"testing"
)

// TestConcurrentClientsSubscribersAndAdminAreSafe is meant for go test -race:
// clients with faults and retries, subscribers, and checkpoints, restores and
// undos all at once.
func TestConcurrentClientsSubscribersAndAdminAreSafe(t *testing.T) {
	s := New(Options{MaxEvents: 500})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 3 {
		f := s.Feed(0)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer f.Close()
			for {
				select {
				case <-f.Ready():
					f.Poll()
				case <-stop:
					return
				}
			}
		}()
	}
	var clients sync.WaitGroup
	for i := range 6 {
		clients.Add(1)
		go func() {
			defer clients.Done()
			c := s.Client(SourceComposer)
			c.SetRetry([]RetryPolicy{RetryNone, RetryGo, RetryBrowser}[i%3])
			c.SetFaults(FaultSettings{LoseResponses: i%2 == 0, DropRequests: i%3 == 0})
			for j := range 150 {
				var reqs = []struct{ m, p, b string }{
					{"PUT", "/accounts/42", fmt.Sprintf(`{"balance":%d}`, j)},
					{"POST", "/customers", `{"name":"Joe"}`},
					{"POST", "/accounts/42/interest", `{"rate":0.01}`},
					{"PATCH", "/flights/AA123", `{"gate":"g"}`},
					{"GET", "/customers", ""},
					{"DELETE", fmt.Sprintf("/customers/%d", j), ""},
				}
				r := reqs[(i+j)%len(reqs)]
				req := clientRequest(t, r.m, r.p, r.b, fmt.Sprintf(`Idempotency-Key: "k%d"`, j%7))
				if r.m == "PATCH" {
					req.Header.Set("Content-Type", "application/merge-patch+json")
				}
				if resp, err := c.Do(req); err == nil {
					io.Copy(io.Discard, resp.Body)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			cp := s.Checkpoint()
			s.Undo()
			_ = s.Paths()
			_ = s.Members("/customers")
			_, _, _ = s.Resource("/accounts/42")
			for _, e := range s.EventsSince(s.LastSeq() - 5) {
				_ = e.Summary()
			}
			s.Restore(cp)
		}
	}()
	clients.Wait()
	close(stop)
	wg.Wait()
	ev := s.EventsSince(0)
	for i := 1; i < len(ev); i++ {
		if ev[i].Seq != ev[i-1].Seq+1 {
			t.Fatalf("events out of order: %d after %d", ev[i].Seq, ev[i-1].Seq)
		}
	}
}
