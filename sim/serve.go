package sim

import (
	"fmt"
	"net"
	"net/http"
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
			return nil, fmt.Errorf("refusing to listen on %q: %s is not a loopback address, so other machines could reach this server; listen on 127.0.0.1:%s instead, or allow non-loopback addresses explicitly", addr, what, port)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s (%w); choose another port or stop the program using it", addr, err)
	}
	return ln, nil
}

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
