package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// FuzzHandler sends arbitrary methods, paths, headers and bodies, twice each,
// to a fresh server: nothing panics, no 5xx but 501 and 507, every response
// is well formed, and the store only ever holds JSON objects.
func FuzzHandler(f *testing.F) {
	f.Add("PUT", "/flights/AC789", "Content-Type: application/json", []byte(`{"status":"late"}`))
	f.Add("POST", "/payments", "Content-Type: application/json\nIdempotency-Key: \"k1\"", []byte(`{"amount":1}`))
	f.Add("PATCH", "/flights/AA123", "Content-Type: application/merge-patch+json", []byte(`{"gate":null}`))
	f.Add("POST", "/accounts/42/interest", "Content-Type: application/json", []byte(`{"rate":1e400}`))
	f.Add("PUT", "/accounts/42", "Content-Type: application/json\nIf-Match: W/\"x\", \"y", []byte(`{"balance":-1e-400}`))
	f.Add("GET", "/accounts/42", "If-None-Match: *", []byte(nil))
	f.Add("TRACE", "*", "Cookie: a", []byte(nil))
	f.Add("FROB", "/", "", []byte("x"))
	f.Add("DELETE", "/customers/../x", "Prefer: return=minimal", []byte(nil))
	f.Fuzz(func(t *testing.T, method, path, headers string, body []byte) {
		s := New(Options{MaxResources: 5})
		for range 2 {
			r := &http.Request{
				Method:     method,
				URL:        &url.URL{Path: path},
				Header:     http.Header{},
				Body:       http.NoBody,
				Host:       "putpost.local",
				RequestURI: path,
			}
			if body != nil {
				r.Body = fuzzBody{bytes.NewReader(body)}
			}
			for line := range strings.SplitSeq(headers, "\n") {
				if k, v, ok := strings.Cut(line, ":"); ok {
					r.Header[http.CanonicalHeaderKey(strings.TrimSpace(k))] = append(r.Header[http.CanonicalHeaderKey(strings.TrimSpace(k))], strings.TrimSpace(v))
				}
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			checkFuzzResponse(t, method, w)
		}
		for _, p := range s.Paths() {
			b, tag, _ := s.Resource(p)
			// Numbers are kept as written (10e700 is valid JSON), so decode
			// them as json.Number rather than float64.
			var obj map[string]any
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.UseNumber()
			if err := dec.Decode(&obj); err != nil || obj == nil || tag != etagOf(b) {
				t.Fatalf("%s holds %q (ETag %s)", p, b, tag)
			}
		}
		for _, e := range s.EventsSince(0) {
			_ = e.Summary()
			_ = e.Request.Wire(true)
			_ = e.Response.Wire(false)
		}
	})
}

type fuzzBody struct{ *bytes.Reader }

func (fuzzBody) Close() error { return nil }

func checkFuzzResponse(t *testing.T, method string, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 && w.Code != http.StatusNotImplemented && w.Code != http.StatusInsufficientStorage {
		t.Fatalf("%s answered %d: %s", method, w.Code, w.Body)
	}
	if w.Code < 200 || http.StatusText(w.Code) == "" {
		t.Fatalf("status %d", w.Code)
	}
	if w.Code == http.StatusMethodNotAllowed && w.Header().Get("Allow") == "" {
		t.Fatal("405 without Allow")
	}
	if method == http.MethodHead && w.Body.Len() != 0 {
		t.Fatal("HEAD with a body")
	}
	if cl := w.Header().Get("Content-Length"); cl != "" && method != http.MethodHead && cl != strconv.Itoa(w.Body.Len()) {
		t.Fatalf("Content-Length %s for %d bytes", cl, w.Body.Len())
	}
	if w.Code >= 400 && !json.Valid(w.Body.Bytes()) {
		t.Fatalf("error body is not JSON: %q", w.Body)
	}
}
