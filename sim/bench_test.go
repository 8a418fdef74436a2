package sim

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// drainEvents attaches a feed that reads every event, as the screen does.
func drainEvents(b *testing.B, s *Server) {
	f := s.Feed(s.LastSeq())
	go func() {
		for {
			if _, err := f.Next(context.Background()); err != nil {
				return
			}
		}
	}()
	b.Cleanup(f.Close)
}

func benchInProcess(b *testing.B, method, target, body string, reset func(s *Server)) {
	s := New(Options{})
	drainEvents(b, s)
	c := s.Client(SourceComposer)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(method, "http://putpost.local"+target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.RoundTrip(req)
		if err != nil || resp.StatusCode >= 300 {
			b.Fatalf("%v %v", resp, err)
		}
		n++
		if reset != nil && n%5000 == 0 {
			b.StopTimer()
			reset(s)
			b.StartTimer()
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "req/s")
}

func BenchmarkInProcessPUT(b *testing.B) {
	benchInProcess(b, "PUT", "/accounts/42", `{"balance":100}`, nil)
}

func BenchmarkInProcessPOST(b *testing.B) {
	benchInProcess(b, "POST", "/customers", `{"name":"Joe","age":"29","city":"ajax"}`, func(s *Server) {
		s.Reset("all") // stay under MaxResources
	})
}

// BenchmarkLoopbackPUT serves the sim over a real 127.0.0.1 listener and
// drives it with parallel keep-alive clients.
func BenchmarkLoopbackPUT(b *testing.B) {
	s := New(Options{})
	drainEvents(b, s)
	ln, err := Listen("127.0.0.1:0", false)
	if err != nil {
		b.Fatal(err)
	}
	hs := NewHTTPServer(s)
	go hs.Serve(ln)
	defer hs.Shutdown(context.Background())
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	url := "http://" + ln.Addr().String() + "/accounts/42"
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("PUT", url, strings.NewReader(`{"balance":100}`))
			req.Header.Set("Content-Type", "application/json")
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
