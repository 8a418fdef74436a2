package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RetryPolicy names how a Client retries a request that got no response.
type RetryPolicy string

// The retry policies (RFC 9110 §9.2.2 and what real clients do).
const (
	RetryNone    RetryPolicy = "none"    // never retry
	RetryRFC9110 RetryPolicy = "rfc9110" // retry idempotent methods: GET, HEAD, OPTIONS, TRACE, PUT, DELETE
	RetryGo      RetryPolicy = "go"      // Go's net/http: GET, HEAD, OPTIONS, TRACE, or any request with an Idempotency-Key or X-Idempotency-Key
	RetryBrowser RetryPolicy = "browser" // any method when no response arrived, POST included
)

var retryPolicies = []RetryPolicy{RetryNone, RetryRFC9110, RetryGo, RetryBrowser}

// ParseRetryPolicy reads a policy name (case-insensitive).
func ParseRetryPolicy(s string) (RetryPolicy, error) {
	p := RetryPolicy(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(retryPolicies, p) {
		return p, nil
	}
	return "", fmt.Errorf("unknown retry policy %s: choose none, rfc9110, go or browser", quoteInput(s))
}

// retries says whether the policy re-sends req after it got no response.
func (p RetryPolicy) retries(req *http.Request) bool {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	switch p {
	case RetryRFC9110:
		return idempotentMethod(method)
	case RetryGo:
		if safeMethod(method) {
			return true
		}
		_, key := req.Header["Idempotency-Key"]
		_, xkey := req.Header["X-Idempotency-Key"]
		return key || xkey
	case RetryBrowser:
		return true
	}
	return false
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || m == http.MethodTrace
}

func idempotentMethod(m string) bool {
	return safeMethod(m) || m == http.MethodPut || m == http.MethodDelete
}

// FaultSettings say what the simulated network does. Faults hit the first
// attempt of each request only; retries get through.
type FaultSettings struct {
	LoseResponses bool          // the server handles the first attempt, then its response is lost
	DropRequests  bool          // the first attempt never reaches the server (wins over LoseResponses)
	Delay         time.Duration // every response that arrives arrives this much later (wall clock)
}

// ErrNoResponse is wrapped by the error a Client returns when no response
// came back: the request was dropped or its response lost, and the retry
// policy did not (or could not) try again.
var ErrNoResponse = errors.New("no response")

// Client sends requests to its Server in-process, through ServeHTTP, with no
// sockets, across a simulated network with faults and a retry policy. It
// implements http.RoundTripper and is safe for concurrent use.
type Client struct {
	srv *Server
	src Source

	mu     sync.Mutex
	faults FaultSettings
	retry  RetryPolicy
}

// Client returns a client whose requests are labelled src (retries are
// labelled SourceRetry). It starts with no faults and RetryNone.
func (s *Server) Client(src Source) *Client {
	return &Client{srv: s, src: src, retry: RetryNone}
}

// SetFaults sets what the network does to the following requests.
func (c *Client) SetFaults(f FaultSettings) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f.Delay = max(f.Delay, 0)
	c.faults = f
}

// Faults returns the current fault settings.
func (c *Client) Faults() FaultSettings {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.faults
}

// SetRetry sets the retry policy; a name ParseRetryPolicy rejects means none.
func (c *Client) SetRetry(p RetryPolicy) {
	if !slices.Contains(retryPolicies, p) {
		p = RetryNone
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.retry = p
}

// Retry returns the retry policy.
func (c *Client) Retry() RetryPolicy {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.retry
}

// Do sends req like RoundTrip; it follows no redirects and keeps no cookies.
func (c *Client) Do(req *http.Request) (*http.Response, error) { return c.RoundTrip(req) }

// RoundTrip sends req through the simulated network. Each attempt is an
// event; a retry is attempt 2 with Source SourceRetry, so a lost response
// followed by a retried POST shows up as a duplicate. When no response comes
// back the error wraps ErrNoResponse.
func (c *Client) RoundTrip(req *http.Request) (*http.Response, error) {
	if c == nil || c.srv == nil {
		return nil, errors.New("sim: this Client has no server; get one from Server.Client")
	}
	if req == nil || req.URL == nil {
		return nil, errors.New("sim: a request needs a URL")
	}
	body, err := readRequestBody(req)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	f, policy := c.faults, c.retry
	c.mu.Unlock()

	for attempt := 1; ; attempt++ {
		if err := req.Context().Err(); err != nil {
			return nil, err
		}
		l := label{src: c.src, attempt: attempt}
		if attempt > 1 {
			l.src = SourceRetry
		}
		switch {
		case attempt == 1 && f.DropRequests:
			l.fault = FaultDropped
		case attempt == 1 && f.LoseResponses:
			l.fault = FaultLostResponse
		case f.Delay > 0:
			l.fault = FaultDelayed
		}
		if l.fault == FaultDropped {
			c.srv.dropped(req, body, l)
		} else {
			resp := c.send(req, body, l)
			if l.fault != FaultLostResponse {
				if err := wait(req.Context(), f.Delay); err != nil {
					resp.Body.Close()
					return nil, err
				}
				return resp, nil
			}
		}
		if attempt == 1 && policy.retries(req) {
			continue
		}
		what := "the response was lost after the server handled the request"
		if l.fault == FaultDropped {
			what = "the request was dropped before it reached the server"
		}
		return nil, fmt.Errorf("%s %s: %w: %s, and the retry policy %q does not retry it", methodOf(req), req.URL.RequestURI(), ErrNoResponse, what, policy)
	}
}

func methodOf(req *http.Request) string {
	if req.Method == "" {
		return http.MethodGet
	}
	return req.Method
}

func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// readRequestBody buffers the body so that a retry can send it again. More
// than maxBody+1 bytes is not kept: one byte over is enough for the server to
// answer 413.
func readRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	body, over, err := readLimited(req.Body, req.ContentLength)
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	if over {
		body = body[:maxBody+1] // readLimited read (and kept) the extra byte
	}
	return body, nil
}

// send runs one attempt through the server, as ServeHTTP would run it for
// the request a server receives, without copying the request or its body.
func (c *Client) send(req *http.Request, body []byte, l label) *http.Response {
	x := new(exchange)
	c.srv.start(x, methodOf(req), targetPath("", req.URL), req.Header)
	defer c.srv.done(x)
	x.body, x.over = body[:min(len(body), maxBody)], len(body) > maxBody
	if len(x.body) == 0 {
		x.body = nil
	}
	x.record(x.method, req.URL.RequestURI(), hostOf(req))
	return clientResponse(c.srv.serve(x, l, ""), req)
}

// hostOf is the Host a server receives for a client request.
func hostOf(req *http.Request) string {
	if req.Host != "" {
		return req.Host
	}
	return req.URL.Host
}

// dropped records an attempt that never reached the server.
func (s *Server) dropped(req *http.Request, body []byte, l label) {
	msg := requestMessage(methodOf(req), req.URL.RequestURI(), hostOf(req), req.Header, body[:min(len(body), maxBody)])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emit(Event{Time: s.st.clock, Source: l.src, Attempt: l.attempt, Fault: l.fault, Request: msg})
	s.st.clock = s.st.clock.Add(tick)
}

// responseBody is a response body in memory.
type responseBody struct{ bytes.Reader }

func (*responseBody) Close() error { return nil }

// statusLines caches "200 OK" and the like for Response.Status.
var statusLines = func() map[int]string {
	m := make(map[int]string)
	for code := 100; code < 600; code++ {
		if t := StatusText(code); t != "" {
			m[code] = strconv.Itoa(code) + " " + t
		}
	}
	return m
}()

func statusLine(code int) string {
	if l, ok := statusLines[code]; ok {
		return l
	}
	return strconv.Itoa(code) + " " + StatusText(code)
}

// clientResponse is what the client gets for a finished reply: its own
// header map, and the body, which nobody modifies, shared.
func clientResponse(rep reply, req *http.Request) *http.Response {
	length := int64(len(rep.body))
	if cl := rep.header["Content-Length"]; len(cl) > 0 { // keys are canonical
		if n, err := strconv.ParseInt(cl[0], 10, 64); err == nil {
			length = n
		}
	}
	both := &struct { // one allocation for the response and its body
		resp http.Response
		body responseBody
	}{}
	both.body.Reset(rep.body)
	both.resp = http.Response{
		Status:        statusLine(rep.status),
		StatusCode:    rep.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        cloneHeader(rep.header),
		Body:          &both.body,
		ContentLength: length,
		Request:       req,
	}
	return &both.resp
}

// cloneHeader is http.Header.Clone in one pass over the map: most fields
// have one value, so the shared backing array rarely grows.
func cloneHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	return cloneHeaderWith(h, "", "")
}

// cloneHeaderWith copies h as cloneHeader does (a nil h gives an empty
// header) and, when value is not empty, sets the field name to value.
func cloneHeaderWith(h http.Header, name, value string) http.Header {
	n := len(h)
	if value != "" {
		n++
	}
	m := make(http.Header, n)
	vals := make([]string, 0, n) // one backing array for the values, as Header.Clone does
	for k, vv := range h {
		if vv == nil {
			m[k] = nil
			continue
		}
		vals = append(vals, vv...) // a grown array leaves earlier slices on the old one, which is fine
		m[k] = vals[len(vals)-len(vv) : len(vals) : len(vals)]
	}
	if value != "" {
		vals = append(vals, value)
		m[name] = vals[len(vals)-1 : len(vals) : len(vals)]
	}
	return m
}
