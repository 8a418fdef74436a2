// Command nethttp is the ceiling the serve benchmarks compare putpost with:
// a Go net/http handler that reads the request body and answers a fixed
// small JSON body (201 for POST), with no state, no events and no output.
// Usage: nethttp 127.0.0.1:PORT
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: nethttp 127.0.0.1:PORT")
		os.Exit(2)
	}
	body := []byte(`{"balance":100}`)
	handler := func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
		}
		_, _ = w.Write(body)
	}
	if err := http.ListenAndServe(os.Args[1], http.HandlerFunc(handler)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
