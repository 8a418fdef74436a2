package sim

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Listen opens a TCP listener for serving a sim over real HTTP. Unless
// allowNonLoopback is set it accepts only loopback addresses (127.0.0.1,
// ::1, localhost), so that nobody else on the network can reach a learner's
// server by accident.
func Listen(addr string, allowNonLoopback bool) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %v; give host:port, such as 127.0.0.1:8080", addr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return nil, fmt.Errorf("listen address %q: the port must be a number from 0 to 65535, such as 127.0.0.1:8080 (0 picks a free one)", addr)
	}
	if !allowNonLoopback {
		if host == "localhost" {
			host = "127.0.0.1"
			addr = net.JoinHostPort(host, port)
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			what := host
			if host == "" {
				what = "an empty host (every network interface)"
			}
			return nil, fmt.Errorf("refusing to listen on %q: %s is %w, so other machines could reach this server; listen on 127.0.0.1:%s instead, or allow non-loopback addresses explicitly", addr, what, ErrNotLoopback, port)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("cannot listen on %s: the port is already in use; choose another port or stop the program using it", addr)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}

// ErrNotLoopback is wrapped by Listen's error for an address other machines
// could reach, so a command line can name its own flag for allowing it.
var ErrNotLoopback = errors.New("not a loopback address")

// NewHTTPServer wraps h in an http.Server with timeouts and a header limit,
// so that a slow or hostile client cannot hold connections open or send
// endless headers. OPTIONS * reaches h too (net/http would otherwise answer
// it itself, without an Allow header).
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:                      h,
		DisableGeneralOptionsHandler: true,
		ReadHeaderTimeout:            5 * time.Second,
		ReadTimeout:                  30 * time.Second,
		WriteTimeout:                 30 * time.Second,
		IdleTimeout:                  2 * time.Minute,
		MaxHeaderBytes:               64 << 10,
	}
}

// CheckHost wraps h so that, unless allowRemote is set, a request whose Host
// is neither the listening address (listenAddr) nor a loopback name
// (localhost, *.localhost, 127.0.0.1, ::1) gets 421 Misdirected Request
// and never reaches h. A web page cannot then drive a learner's server by
// giving its own name the address 127.0.0.1 (DNS rebinding): the browser
// still sends the page's name as the Host. A request without a Host
// (HTTP/1.0) is let through: no browser sends one.
func CheckHost(h http.Handler, listenAddr string, allowRemote bool) http.Handler {
	if allowRemote {
		return h
	}
	listenHost, _, _ := net.SplitHostPort(listenAddr)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "" || r.Host == listenAddr || hostAllowed(r.Host, listenHost) {
			h.ServeHTTP(w, r)
			return
		}
		rep := errorReply(http.StatusMisdirectedRequest, "this server answers requests for %s or localhost only, not for %s: a web page may be trying to reach it under another name; start putpost with --allow-remote to accept other names", listenAddr, quoteInput(r.Host))
		for k, vv := range rep.header {
			w.Header()[k] = vv
		}
		w.Header().Set("Connection", "close")
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.body)
	})
}

func hostAllowed(hostport, listenHost string) bool {
	host := hostport
	// Only a Host with a port goes through SplitHostPort: for one without
	// (most clients leave out the default port) it fails, and its error is
	// an allocation on every request.
	if strings.LastIndexByte(hostport, ':') > strings.LastIndexByte(hostport, ']') {
		if h, _, err := net.SplitHostPort(hostport); err == nil {
			host = h
		}
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || host == strings.ToLower(listenHost) {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
