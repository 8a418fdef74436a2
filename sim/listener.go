package sim

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
)

// NetworkHandler serves requests that arrive over real sockets (curl on the
// --listen port) across the same simulated network as the in-process
// client; settings is asked for the faults and retry policy of each
// request. A dropped request is recorded and its connection closed before
// the server sees it; a lost response is committed by the server and then
// its connection is closed without an answer (curl says "Empty reply from
// server"); a delay holds the finished response back.
//
// As for the in-process client, faults hit a request's first attempt only.
// A real client retries by sending the same request again, so the same
// request from the same client right after its answer was lost or dropped
// is its second attempt — when the retry policy would retry it (rfc9110: a
// PUT, not a POST), it gets through, and the retry is visible in the log.
func (s *Server) NetworkHandler(settings func() (FaultSettings, RetryPolicy)) http.Handler {
	// A failed request is remembered with the network it failed on: a
	// step that sets another network starts afresh.
	type failure struct {
		request string
		faults  FaultSettings
		policy  RetryPolicy
	}
	var (
		mu     sync.Mutex
		failed = map[string]failure{} // client host → the request whose answer it did not get
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var (
			f      FaultSettings
			policy = RetryNone
		)
		if settings != nil {
			f, policy = settings()
		}
		key, host := "", remoteHost(r.RemoteAddr)
		if r.ContentLength <= maxBody {
			body, _, err := readLimited(r.Body, r.ContentLength)
			if err == nil { // the server reads the same bytes, and finds any error itself
				key = r.Method + "\x00" + r.URL.RequestURI() + "\x00" + r.Header.Get("User-Agent") + "\x00" + string(body)
			}
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
		}
		l := label{src: SourceNetwork, attempt: 1}
		mu.Lock()
		if key != "" && failed[host] == (failure{key, f, policy}) && policy.retries(r) {
			l.attempt = 2
		}
		delete(failed, host)
		mu.Unlock()
		fail := func() {
			if key == "" {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if len(failed) >= maxFailedClients {
				clear(failed)
			}
			failed[host] = failure{key, f, policy}
		}
		switch {
		case l.attempt == 1 && f.DropRequests:
			l.fault = FaultDropped
			s.droppedFrom(r, l)
			fail()
			hangUp(w)
			return
		case l.attempt == 1 && f.LoseResponses:
			l.fault = FaultLostResponse
			s.answer(r, l, nil) // never written: the connection is closed
			fail()
			hangUp(w)
			return
		case f.Delay > 0:
			l.fault = FaultDelayed
		}
		rep := s.answer(r, l, w.Header())
		if wait(r.Context(), f.Delay) != nil {
			return // the client gave up waiting
		}
		rep.write(w)
	})
}

// maxFailedClients bounds how many clients' failed requests are remembered.
const maxFailedClients = 256

// remoteHost is the host of a "host:port" remote address.
func remoteHost(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

// droppedFrom records a request from a socket that the network dropped:
// what the client sent, which the server never saw.
func (s *Server) droppedFrom(r *http.Request, l label) {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody && r.ContentLength <= maxBody {
		body, _, _ = readLimited(r.Body, r.ContentLength)
	}
	target := r.RequestURI
	if target == "" && r.URL != nil {
		target = r.URL.RequestURI()
	}
	msg := requestMessage(r.Method, target, r.Host, r.Header, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emit(Event{Time: s.st.clock, Source: l.src, Remote: r.RemoteAddr, Attempt: l.attempt, Fault: l.fault, Request: msg})
	s.st.clock = s.st.clock.Add(tick)
}

// hangUp closes the connection without writing a response, as a network
// that lost the answer would leave the client.
func hangUp(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	conn, _, err := rc.Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): this sentinel makes net/http abort the
		// stream without an answer and without logging.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
