package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/putpost/putpost/sim"
)

// The serve benchmarks measure `putpost serve` (the simulated server over
// real loopback HTTP, printing its line per exchange) against a net/http
// handler that does nothing, the ceiling of any Go HTTP server here. Both
// are driven the same way: serveConns keep-alive connections writing raw
// requests and reading raw responses, so the client's own cost stays small
// and equal on both sides. Compare the two ns/op in one run:
//
//	go test -run '^$' -bench 'Serve(GET|PUT|CeilingGET|CeilingPUT)$' -count 5 .
//
// docs/bench/ceiling.sh measures the same with wrk and the server on its
// own core.
const serveConns = 16

var (
	benchGET = "GET /accounts/42 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
	benchPUT = "PUT /accounts/42 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"balance\":100}"
)

func BenchmarkServeGET(b *testing.B) { benchServe(b, benchGET) }
func BenchmarkServePUT(b *testing.B) { benchServe(b, benchPUT) }

func BenchmarkServeCeilingGET(b *testing.B) { benchCeiling(b, benchGET) }
func BenchmarkServeCeilingPUT(b *testing.B) { benchCeiling(b, benchPUT) }

// benchServe runs serve, as `putpost serve --fixture bank` does, with its
// lines going to io.Discard.
func benchServe(b *testing.B, request string) {
	srv := sim.New(sim.Options{Fixture: "bank", WallClockDate: true})
	ln, err := sim.Listen("127.0.0.1:0", false)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, io.Discard, false) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	}()
	drive(b, ln.Addr().String(), request)
}

// benchCeiling serves a handler that reads the body and answers a fixed
// small JSON body, with net/http's default settings, as docs/bench/nethttp
// does (no timeouts: net/http then moves no deadlines per request).
func benchCeiling(b *testing.B, request string) {
	ln, err := sim.Listen("127.0.0.1:0", false)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"balance":100}`)
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	drive(b, ln.Addr().String(), request)
}

// drive sends b.N copies of request over serveConns connections and checks
// every answer is 200.
func drive(b *testing.B, addr, request string) {
	conns := make([]net.Conn, serveConns)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	// Warm each connection up with one exchange.
	for _, c := range conns {
		if err := exchange(c, bufio.NewReader(c), request); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var wg sync.WaitGroup
	errs := make(chan error, serveConns)
	for i, c := range conns {
		n := b.N / serveConns
		if i < b.N%serveConns {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := bufio.NewReader(c)
			for range n {
				if err := exchange(c, r, request); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// exchange writes one request and reads one response with a Content-Length
// body; anything but 200 is an error.
func exchange(c net.Conn, r *bufio.Reader, request string) error {
	if _, err := io.WriteString(c, request); err != nil {
		return err
	}
	status, length := 0, -1
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		switch {
		case status == 0:
			if len(line) < 12 {
				return fmt.Errorf("bad status line %q", line)
			}
			status, _ = strconv.Atoi(string(line[9:12]))
		case len(line) > 16 && bytes.EqualFold(line[:15], []byte("Content-Length:")):
			length, _ = strconv.Atoi(string(bytes.TrimSpace(line[15:])))
		}
	}
	if status != http.StatusOK || length < 0 {
		return fmt.Errorf("answer %d with length %d", status, length)
	}
	_, err := r.Discard(length)
	return err
}
