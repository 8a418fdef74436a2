package sim

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Bad input from outside (issue 5, "--listen: oversized or slow requests
// from outside"): each test talks to NewHTTPServer over a real loopback
// socket, as curl or a hostile client would.

// startLoopback serves hs (built by NewHTTPServer and possibly tuned by the
// test) on 127.0.0.1 with serve and stops it when the test ends.
func startLoopback(t *testing.T, hs *http.Server, serve serveFunc) string {
	t.Helper()
	ln, err := Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	go serve(hs, ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	})
	return ln.Addr().String()
}

// dialLoopback connects to addr, closing the connection when the test ends.
func dialLoopback(t *testing.T, addr string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

type serveFunc func(*http.Server, net.Listener) error

// serveWays are two ways to serve a NewHTTPServer: with net/http enforcing
// its timeouts, and with ServeWithTimeouts, which serve and --listen use.
// Every slow-client test runs both, so the sweeper is held to what
// net/http does.
var serveWays = []struct {
	name  string
	serve serveFunc
}{
	{"net/http deadlines", (*http.Server).Serve},
	{"sweeper", ServeWithTimeouts},
}

// getStillWorks proves the server goes on answering after bad input.
func getStillWorks(t *testing.T, addr string) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get("http://" + addr + "/accounts/42")
	if err != nil {
		t.Fatalf("after the bad request, a plain GET fails: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != `{"balance":80.00}` {
		t.Fatalf("after the bad request, GET /accounts/42 = %s %s", resp.Status, body)
	}
}

// errorSentence decodes an error body {"error":"..."}.
func errorSentence(t *testing.T, resp *http.Response) string {
	t.Helper()
	var e struct{ Error string }
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		t.Fatalf("%s: body %q is not {\"error\":\"…\"}", resp.Status, body)
	}
	return e.Error
}

func TestDefaultTimeoutsCutOffSlowClientsWithinSeconds(t *testing.T) {
	hs := NewHTTPServer(New(Options{}))
	// A client that trickles headers may hold a connection only briefly;
	// a body may take a while (a learner's 1 MiB upload) but not forever.
	if hs.ReadHeaderTimeout <= 0 || hs.ReadHeaderTimeout > 10*time.Second {
		t.Errorf("ReadHeaderTimeout = %v, want between 0 and 10s", hs.ReadHeaderTimeout)
	}
	if hs.ReadTimeout <= 0 || hs.ReadTimeout > time.Minute {
		t.Errorf("ReadTimeout = %v, want between 0 and 1m", hs.ReadTimeout)
	}
	if hs.WriteTimeout <= 0 || hs.WriteTimeout > time.Minute {
		t.Errorf("WriteTimeout = %v, want between 0 and 1m", hs.WriteTimeout)
	}
	if hs.MaxHeaderBytes <= 0 || hs.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes = %d, want between 0 and 1 MiB", hs.MaxHeaderBytes)
	}
}

func TestSlowHeadersAreCutOffByReadHeaderTimeout(t *testing.T) {
	for _, way := range serveWays {
		t.Run(way.name, func(t *testing.T) { testSlowHeaders(t, way.serve) })
	}
}

func testSlowHeaders(t *testing.T, serve serveFunc) {
	s := New(Options{})
	before := worldOf(s)
	hs := NewHTTPServer(s)
	const timeout = 300 * time.Millisecond
	hs.ReadHeaderTimeout = timeout // as NewHTTPServer's, only shorter, so the test is quick
	addr := startLoopback(t, hs, serve)

	// The clock starts before dialling: the server's header deadline starts
	// when it accepts, which can come before Dial returns.
	start := time.Now()
	conn := dialLoopback(t, addr)
	// The request line and a header arrive; then one byte every 50 ms, never
	// finishing the header block. The client would need minutes.
	if _, err := fmt.Fprintf(conn, "PUT /accounts/42 HTTP/1.1\r\nHost: %s\r\n", addr); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				if _, err := conn.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	rest, err := io.ReadAll(conn)
	elapsed := time.Since(start)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept a client that trickles its headers for %v (ReadHeaderTimeout %v)", elapsed, timeout)
	}
	if elapsed < timeout {
		t.Errorf("the connection ended after %v, before the header timeout of %v", elapsed, timeout)
	}
	// Whatever the server said on closing, it did not answer the request.
	if strings.Contains(string(rest), "200 OK") {
		t.Errorf("the unfinished request was answered: %q", rest)
	}
	if s.LastSeq() != 0 {
		t.Errorf("an unfinished request became exchange #%d", s.LastSeq())
	}
	if !sameWorld(before, worldOf(s)) {
		t.Errorf("the server state changed")
	}
	getStillWorks(t, addr)
}

func TestSlowBodyIsCutOffByReadTimeoutAndChangesNothing(t *testing.T) {
	for _, way := range serveWays {
		t.Run(way.name, func(t *testing.T) { testSlowBody(t, way.serve) })
	}
}

func testSlowBody(t *testing.T, serve serveFunc) {
	s := New(Options{})
	before := worldOf(s)
	hs := NewHTTPServer(s)
	hs.ReadTimeout = 300 * time.Millisecond
	addr := startLoopback(t, hs, serve)

	conn := dialLoopback(t, addr)
	start := time.Now()
	// Promise 100 bytes of body, send 15, then stall.
	fmt.Fprintf(conn, "PUT /accounts/42 HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"balance\": 1", addr)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server waited %v for a body that never came", time.Since(start))
	}
	if !sameWorld(before, worldOf(s)) {
		t.Errorf("half a body changed the server state:\n%v", worldOf(s))
	}
	getStillWorks(t, addr)
}

func TestBodyOverOneMebibyteOverASocketIs413(t *testing.T) {
	s := New(Options{})
	before := worldOf(s)
	addr := startLoopback(t, NewHTTPServer(s), ServeWithTimeouts)
	c := &http.Client{Timeout: 10 * time.Second}
	big := `{"balance":1,"pad":"` + strings.Repeat("a", 1<<20) + `"}`

	for _, tc := range []struct {
		name    string
		chunked bool
	}{{"with Content-Length", false}, {"chunked", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(big)
			if tc.chunked {
				body = io.MultiReader(body) // hides the length: Transfer-Encoding: chunked
			}
			req, err := http.NewRequest(http.MethodPut, "http://"+addr+"/accounts/42", body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := c.Do(req)
			if err != nil {
				// The server may close before reading it all; it must still
				// have answered 413 first, which net/http's client reports
				// as an error only when the write failed before the answer.
				t.Fatalf("PUT of %d bytes: %v", len(big), err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("PUT of %d bytes: %s, want 413", len(big), resp.Status)
			}
			if msg := errorSentence(t, resp); !strings.Contains(msg, "MiB") && !strings.Contains(msg, "large") {
				t.Errorf("413 says %q; it should say the body is too large", msg)
			}
			if !sameWorld(before, worldOf(s)) {
				t.Errorf("an oversized body changed the server state")
			}
		})
	}
	getStillWorks(t, addr)
}

func TestHugeHeadersOverASocketAre431(t *testing.T) {
	s := New(Options{})
	before := worldOf(s)
	hs := NewHTTPServer(s)
	addr := startLoopback(t, hs, ServeWithTimeouts)

	conn := dialLoopback(t, addr)
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	// Twice the limit, in headers of 1 KiB each. The server stops reading
	// once the limit is passed, so the writing may block: write from
	// another goroutine and read the answer meanwhile.
	var req strings.Builder
	fmt.Fprintf(&req, "PUT /accounts/42 HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 15\r\n", addr)
	for i := range 2 * hs.MaxHeaderBytes / 1024 {
		fmt.Fprintf(&req, "X-Pad-%d: %s\r\n", i, strings.Repeat("p", 1000))
	}
	req.WriteString("\r\n{\"balance\":1} ")
	go io.WriteString(conn, req.String()) // a failed write is fine as long as the answer arrives
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to %d KiB of headers: %v", req.Len()/1024, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("huge headers: %s, want 431", resp.Status)
	}
	if s.LastSeq() != 0 || !sameWorld(before, worldOf(s)) {
		t.Errorf("a request with huge headers reached the sim (last seq %d)", s.LastSeq())
	}
	getStillWorks(t, addr)
}
