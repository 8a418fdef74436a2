package sim

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestListenRefusesNonLoopbackUnlessAllowed(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "192.0.2.1:0", "example.com:0", "[::]:0"} {
		ln, err := Listen(addr, false)
		if err == nil {
			ln.Close()
			t.Errorf("%s: listened", addr)
			continue
		}
		if !strings.Contains(err.Error(), "not a loopback address") || !strings.Contains(err.Error(), "127.0.0.1") {
			t.Errorf("%s: unclear error %q", addr, err)
		}
	}
	if _, err := Listen("nonsense", false); err == nil || !strings.Contains(err.Error(), "host:port") {
		t.Errorf("bad address: %v", err)
	}
}

func TestListenOnLoopbackServesRealHTTP(t *testing.T) {
	s := New(Options{})
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		ln, err := Listen(addr, false)
		if err != nil {
			t.Fatal(err)
		}
		hs := NewHTTPServer(s)
		go hs.Serve(ln)
		resp, err := http.Get("http://" + ln.Addr().String() + "/accounts/42")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != `{"balance":80.00}` {
			t.Fatalf("%s %s", resp.Status, body)
		}
		if err := hs.Shutdown(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	e := s.EventsSince(0)[0]
	if e.Source != SourceNetwork || !strings.HasPrefix(e.Remote, "127.0.0.1:") {
		t.Fatalf("%+v", e)
	}
}

func TestNewHTTPServerHasTimeoutsAndHeaderLimit(t *testing.T) {
	hs := NewHTTPServer(New(Options{}))
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 {
		t.Fatalf("%+v", hs)
	}
}
