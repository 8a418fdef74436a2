package sim

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// closings makes hs report each connection it closes, for a test that must
// see the server hang up without reading from the socket (which would let
// a stalled server go on).
func closings(hs *http.Server) <-chan struct{} {
	closed := make(chan struct{}, 16)
	hs.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateClosed {
			closed <- struct{}{}
		}
	}
	return closed
}

// waitClosed fails the test unless the server closes a connection within
// ten seconds (many times the limits these tests set).
func waitClosed(t *testing.T, closed <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatalf("the server still holds %s after 10 s", what)
	}
}

// getOn sends GET /accounts/42 on c and reads the answer.
func getOn(t *testing.T, c net.Conn, r *bufio.Reader) {
	t.Helper()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, "GET /accounts/42 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatalf("GET on a kept-alive connection: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != `{"balance":80.00}` {
		t.Fatalf("GET /accounts/42 = %s %s", resp.Status, body)
	}
	c.SetDeadline(time.Time{})
}

func TestAnAnswerNeverReadIsCutOffByWriteTimeout(t *testing.T) {
	for _, way := range serveWays {
		t.Run(way.name, func(t *testing.T) {
			s := New(Options{})
			// About 900 KB to answer per GET: thirty of them fill every
			// buffer between the server and a client that reads nothing.
			big := `{"balance":1,"pad":"` + strings.Repeat("a", 900<<10) + `"}`
			if w := sendTo(t, s, http.MethodPut, "/accounts/99", big); w.Code != http.StatusCreated {
				t.Fatalf("PUT of a big account: %d", w.Code)
			}
			hs := NewHTTPServer(s)
			hs.WriteTimeout = 300 * time.Millisecond
			closed := closings(hs)
			addr := startLoopback(t, hs, way.serve)
			conn := dialLoopback(t, addr)
			get := "GET /accounts/99 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
			if _, err := io.WriteString(conn, strings.Repeat(get, 30)); err != nil {
				t.Fatal(err)
			}
			waitClosed(t, closed, "a client that never reads its answers")
			getStillWorks(t, addr)
		})
	}
}

func TestAnIdleKeptAliveConnectionIsClosedAfterIdleTimeout(t *testing.T) {
	for _, way := range serveWays {
		t.Run(way.name, func(t *testing.T) {
			hs := NewHTTPServer(New(Options{}))
			const idle = 300 * time.Millisecond
			hs.IdleTimeout = idle
			closed := closings(hs)
			addr := startLoopback(t, hs, way.serve)
			conn := dialLoopback(t, addr)
			getOn(t, conn, bufio.NewReader(conn))
			answered := time.Now()
			waitClosed(t, closed, "an idle kept-alive connection")
			if waited := time.Since(answered); waited < idle {
				t.Errorf("an idle connection was closed %v after its answer, before IdleTimeout %v", waited, idle)
			}
		})
	}
}

func TestAKeptAliveConnectionMayIdleLongerThanHeadersMayTake(t *testing.T) {
	for _, way := range serveWays {
		t.Run(way.name, func(t *testing.T) {
			hs := NewHTTPServer(New(Options{}))
			const headers = 300 * time.Millisecond
			hs.ReadHeaderTimeout = headers // IdleTimeout stays at minutes
			closed := closings(hs)
			addr := startLoopback(t, hs, way.serve)
			conn := dialLoopback(t, addr)
			r := bufio.NewReader(conn)
			getOn(t, conn, r)
			// Idle for longer than headers may take: the connection stays.
			time.Sleep(3 * headers)
			getOn(t, conn, r)
			// The next request's headers trickle in and never end: the
			// header limit counts from their first byte.
			if _, err := io.WriteString(conn, "GET /accounts/42 HTTP/1.1\r\n"); err != nil {
				t.Fatal(err)
			}
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Millisecond):
						if _, err := fmt.Fprintf(conn, "X-%d: x\r\n", i); err != nil {
							return
						}
					}
				}
			}()
			waitClosed(t, closed, "a client that trickles its headers after an idle pause")
		})
	}
}

func TestTheSweeperRunsOnlyWhileConnectionsAreOpen(t *testing.T) {
	g := newConnGuard(200*time.Millisecond, 0, 0, 0)
	sweeping := func() (bool, int) {
		g.mu.Lock()
		defer g.mu.Unlock()
		return g.sweeping, len(g.conns)
	}
	hs := NewHTTPServer(New(Options{}))
	addr := startLoopback(t, hs, g.serve)
	if on, n := sweeping(); on || n != 0 {
		t.Fatalf("before any connection: sweeping %v with %d connections", on, n)
	}
	conn := dialLoopback(t, addr)
	getOn(t, conn, bufio.NewReader(conn))
	if on, n := sweeping(); !on || n != 1 {
		t.Fatalf("with one connection open: sweeping %v with %d connections", on, n)
	}
	conn.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		on, n := sweeping()
		if !on && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s after the only connection closed: sweeping %v with %d connections", on, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A new connection starts it again.
	conn = dialLoopback(t, addr)
	getOn(t, conn, bufio.NewReader(conn))
	if on, n := sweeping(); !on || n != 1 {
		t.Fatalf("with a new connection open: sweeping %v with %d connections", on, n)
	}
}

func TestServeWithTimeoutsTakesTheServersTimeoutsOver(t *testing.T) {
	hs := NewHTTPServer(New(Options{}))
	g := newConnGuard(hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout)
	if g.tick != time.Second {
		t.Errorf("tick %v for NewHTTPServer's timeouts, want 1s", g.tick)
	}
	want := [phases]int64{phaseHeaders: 5, phaseActive: 30, phaseIdle: 120}
	if g.limit != want {
		t.Errorf("limits in ticks %v, want %v", g.limit, want)
	}
	ln, err := Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	ln.Close() // Serve returns at once; the timeouts are taken over first
	_ = ServeWithTimeouts(hs, ln)
	if hs.ReadHeaderTimeout != 0 || hs.ReadTimeout != 0 || hs.WriteTimeout != 0 || hs.IdleTimeout != 0 {
		t.Errorf("net/http would still set deadlines: %+v", hs)
	}
}

// A reply made in the ResponseWriter's own header map (the common answers)
// and one copied there (errors, replays, 304) both reach the client exactly
// as the event records them.
func TestTheEventRecordsTheHeaderTheClientGets(t *testing.T) {
	// ServeHTTP on any ResponseWriter, and as Serve serves it, where a short
	// answer's Content-Length is left to net/http.
	for _, h := range []struct {
		name    string
		handler func(*Server) http.Handler
	}{
		{"ServeHTTP", func(s *Server) http.Handler { return s }},
		{"as Serve serves", func(s *Server) http.Handler { return netHTTPServed{s} }},
	} {
		t.Run(h.name, func(t *testing.T) { eventRecordsWhatTheClientGets(t, h.handler) })
	}
}

func eventRecordsWhatTheClientGets(t *testing.T, handler func(*Server) http.Handler) {
	s := New(Options{})
	hs := NewHTTPServer(handler(s))
	addr := startLoopback(t, hs, ServeWithTimeouts)
	c := &http.Client{Timeout: 5 * time.Second}
	send := func(method, path, body string, headers ...string) http.Header {
		t.Helper()
		req := clientRequest(t, method, path, body, headers...)
		req.URL.Host, req.Host = addr, addr
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.Header
	}
	got := []http.Header{
		send("GET", "/accounts/42", ""),
		send("PUT", "/accounts/42", `{"balance":90}`),
		send("PUT", "/accounts/43", `{"balance":1}`),
		send("HEAD", "/accounts/42", ""),
		send("GET", "/accounts/42", "", `If-None-Match: "nothing"`),
		send("GET", "/nowhere", ""),
		send("POST", "/payments", `{"amount":1}`, `Idempotency-Key: "k1"`),
		send("POST", "/payments", `{"amount":1}`, `Idempotency-Key: "k1"`),
		send("DELETE", "/accounts/43", ""),
		send("PUT", "/accounts/44", `{"note":"`+strings.Repeat("x", 3000)+`"}`),
		send("GET", "/accounts/44", ""),
		send("PUT", "/accounts/45", `{"note":"`+strings.Repeat("x", 1006)+`"}`), // 1,017 bytes: net/http's
	}
	// A GET whose tag matches: 304, no body, the tag and no Content-Length.
	got = append(got, send("GET", "/accounts/44", "", "If-None-Match: "+got[10].Get("Etag")))
	evs := s.EventsSince(0)
	if len(evs) != len(got) {
		t.Fatalf("%d events for %d requests", len(evs), len(got))
	}
	if last := evs[len(evs)-1]; last.Response.Status != http.StatusNotModified {
		t.Errorf("the conditional GET got %d, want 304", last.Response.Status)
	}
	if evs[7].Response.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("the second POST was not a replay: %v", evs[7].Response.Header)
	}
	for i, e := range evs {
		want := e.Response.Header
		if want.Get("Content-Length") == "" && e.Response.Status != http.StatusNoContent && e.Response.Status != http.StatusNotModified {
			t.Errorf("%s %s: the event has no Content-Length", e.Request.Method, e.Request.Target)
		}
		for k, vv := range want {
			if strings.Join(got[i][k], ",") != strings.Join(vv, ",") {
				t.Errorf("%s %s: the client got %s: %q, the event says %q", e.Request.Method, e.Request.Target, k, got[i][k], vv)
			}
		}
		for k := range got[i] {
			if _, ok := want[k]; !ok {
				t.Errorf("%s %s: the client got %s: %q, which the event does not have", e.Request.Method, e.Request.Target, k, got[i][k])
			}
		}
	}
}

// deadlineConn counts the deadlines that reach the socket.
type deadlineConn struct {
	net.Conn
	read, write []time.Time
}

func (c *deadlineConn) SetReadDeadline(t time.Time) error {
	c.read = append(c.read, t)
	return nil
}

func (c *deadlineConn) SetWriteDeadline(t time.Time) error {
	c.write = append(c.write, t)
	return nil
}

func (c *deadlineConn) SetDeadline(t time.Time) error {
	c.SetReadDeadline(t)
	return c.SetWriteDeadline(t)
}

func TestAGuardedConnClearsOnlyDeadlinesThatAreSet(t *testing.T) {
	inner := &deadlineConn{}
	c := &guardedConn{Conn: inner}
	never, soon := time.Time{}, time.Now().Add(time.Minute)
	c.SetReadDeadline(never) // none set: nothing to clear
	c.SetWriteDeadline(never)
	c.SetDeadline(never)
	if len(inner.read)+len(inner.write) != 0 {
		t.Fatalf("clearing deadlines never set reached the socket: read %v, write %v", inner.read, inner.write)
	}
	c.SetReadDeadline(soon)
	c.SetReadDeadline(never)
	c.SetReadDeadline(never) // cleared already
	if want := []time.Time{soon, never}; !slices.Equal(inner.read, want) {
		t.Errorf("read deadlines on the socket %v, want %v", inner.read, want)
	}
	c.SetDeadline(soon)
	c.SetWriteDeadline(never)
	c.SetDeadline(never) // only the read deadline is left to clear
	if want := []time.Time{soon, never, soon, never}; !slices.Equal(inner.read, want) {
		t.Errorf("read deadlines on the socket %v, want %v", inner.read, want)
	}
	if want := []time.Time{soon, never}; !slices.Equal(inner.write, want) {
		t.Errorf("write deadlines on the socket %v, want %v", inner.write, want)
	}
}

// A handler's own deadlines (set with http.ResponseController) are cleared
// by net/http after its answer, as without ServeWithTimeouts: the next
// request on the connection, sent after they passed, is answered.
func TestDeadlinesAHandlerSetsAreClearedForTheNextRequest(t *testing.T) {
	for _, way := range serveWays {
		t.Run(way.name, func(t *testing.T) {
			s := New(Options{})
			hs := NewHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rc := http.NewResponseController(w)
				soon := time.Now().Add(50 * time.Millisecond)
				if err := rc.SetReadDeadline(soon); err != nil {
					t.Error(err)
				}
				if err := rc.SetWriteDeadline(soon); err != nil {
					t.Error(err)
				}
				s.ServeHTTP(w, r)
			}))
			addr := startLoopback(t, hs, way.serve)
			conn := dialLoopback(t, addr)
			r := bufio.NewReader(conn)
			getOn(t, conn, r)
			time.Sleep(200 * time.Millisecond) // past both deadlines
			getOn(t, conn, r)
		})
	}
}

// Served as Serve serves it, the handler closes a body it has read to its
// end (which spares net/http reading it again): the connection stays open
// for the next request, with a plain body, a chunked one, and one sent
// after 100 Continue.
func TestAConnectionStaysOpenAfterTheBodiesOfPUTs(t *testing.T) {
	s := New(Options{})
	addr := startLoopback(t, NewHTTPServer(netHTTPServed{s}), ServeWithTimeouts)
	conn := dialLoopback(t, addr)
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)
	put := func(head, body string) {
		t.Helper()
		if _, err := io.WriteString(conn, "PUT /accounts/42 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"+head+"\r\n"); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(head, "100-continue") {
			line, err := r.ReadString('\n')
			if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
				t.Fatalf("before the body: %q, %v; want 100 Continue", line, err)
			}
			if _, err := r.ReadString('\n'); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := io.WriteString(conn, body); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Close {
			t.Fatalf("PUT with %q: %s %s, closing %v", head, resp.Status, got, resp.Close)
		}
	}
	put("Content-Length: 15\r\n", `{"balance":100}`)
	put("Transfer-Encoding: chunked\r\n", "f\r\n{\"balance\":100}\r\n0\r\n\r\n")
	put("Content-Length: 17\r\nExpect: 100-continue\r\n", `{"balance":80.00}`)
	getOn(t, conn, r)
	if n := len(s.EventsSince(0)); n != 4 {
		t.Errorf("%d events for 4 requests", n)
	}
}
