package sim

import (
	"net/http"
)

// NetworkHandler serves requests that arrive over real sockets (curl on the
// --listen port) across the same simulated network as the in-process
// client: faults is asked for the settings of each request. A dropped
// request is recorded and its connection closed before the server sees it;
// a lost response is committed by the server and then its connection is
// closed without an answer (curl says "Empty reply from server"); a delay
// holds the finished response back. Real clients bring their own retry
// policy, so none is applied here.
func (s *Server) NetworkHandler(faults func() FaultSettings) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var f FaultSettings
		if faults != nil {
			f = faults()
		}
		l := label{src: SourceNetwork, attempt: 1}
		switch {
		case f.DropRequests:
			l.fault = FaultDropped
			s.droppedFrom(r, l)
			hangUp(w)
			return
		case f.LoseResponses:
			l.fault = FaultLostResponse
			s.answer(r, l)
			hangUp(w)
			return
		case f.Delay > 0:
			l.fault = FaultDelayed
		}
		rep := s.answer(r, l)
		if wait(r.Context(), f.Delay) != nil {
			return // the client gave up waiting
		}
		rep.write(w)
	})
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
