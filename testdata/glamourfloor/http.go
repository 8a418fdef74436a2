//go:build http

package main

import "net/http"

func init() {
	linked = append(linked, func() {
		_ = http.ListenAndServe("127.0.0.1:0", http.NotFoundHandler())
		if r, err := http.Get("http://127.0.0.1:0/"); err == nil {
			r.Body.Close()
		}
	})
}
