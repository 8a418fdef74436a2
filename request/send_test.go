package request_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// serveOnLoopback serves s on a loopback port until the test ends.
func serveOnLoopback(t *testing.T, s *sim.Server) string {
	t.Helper()
	ln, err := sim.Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	hs := sim.NewHTTPServer(s)
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Shutdown(context.Background()) })
	return ln.Addr().String()
}

func TestOptionsAsteriskReachesTheSimInProcessAndOverASocket(t *testing.T) {
	if _, err := request.Parse("options *"); err == nil {
		t.Error("options * parsed: only OPTIONS, in capitals, takes the target *")
	}
	r, err := request.Parse("OPTIONS *")
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "OPTIONS" || r.Target != "*" || r.String() != "OPTIONS *" {
		t.Fatalf("%+v %q", r, r.String())
	}
	req, err := r.NewRequest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if req.URL.RequestURI() != "*" || req.URL.Host != "putpost.local" {
		t.Fatalf("URL %#v: RequestURI %q", req.URL, req.URL.RequestURI())
	}

	// In process.
	s := sim.New(sim.Options{})
	resp, err := s.Client(sim.SourceComposer).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	allow := resp.Header.Get("Allow")
	if resp.StatusCode != http.StatusNoContent || !strings.Contains(allow, "OPTIONS") {
		t.Fatalf("in process: %s %v", resp.Status, resp.Header)
	}
	if got := s.EventsSince(0)[0].Request.Wire(true); !strings.HasPrefix(got, "OPTIONS * HTTP/1.1\n") {
		t.Fatalf("recorded %q", got)
	}

	// Through net/http's client to a real socket: it must send OPTIONS *.
	addr := serveOnLoopback(t, s)
	req, _ = r.NewRequest(context.Background())
	req.URL.Host = addr
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Allow") != allow {
		t.Fatalf("socket: %s %v, want Allow %q", resp.Status, resp.Header, allow)
	}
	if e := s.EventsSince(0); e[len(e)-1].Request.Target != "*" {
		t.Fatalf("socket target %q", e[len(e)-1].Request.Target)
	}

	// Only OPTIONS takes the asterisk.
	if _, err := request.Parse("GET *"); err == nil {
		t.Fatal("GET * parsed")
	}
}

func TestCurlSendsTheMethodAsTyped(t *testing.T) {
	r, err := request.Parse("curl -X get http://localhost:8080/accounts/42")
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "get" {
		t.Fatalf("method %q, want get", r.Method)
	}
	req, err := r.NewRequest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := sim.New(sim.Options{})
	resp, err := s.Client(sim.SourceComposer).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusNotImplemented || !strings.Contains(string(body), "case-sensitive") {
		t.Fatalf("%s %s", resp.Status, body)
	}
	if m := s.EventsSince(0)[0].Request.Method; m != "get" {
		t.Fatalf("server saw %q", m)
	}
	// The request-line form sends the method as typed too.
	if r, err := request.Parse("get /accounts/42"); err != nil || r.Method != "get" {
		t.Fatalf("%+v %v", r, err)
	}
}
