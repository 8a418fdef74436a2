package sim

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

// testHelper is what the helpers need from *testing.T, *testing.B and *rapid.T.
type testHelper interface {
	Helper()
	Fatalf(format string, args ...any)
}

// send runs one request through the handler, as a request line would: a JSON
// body gets Content-Type application/json (merge-patch+json for PATCH) unless
// a header says otherwise. Headers are "Name: value".
func sendTo(t testHelper, s *Server, method, target, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if body == "" {
		r.Body = http.NoBody
	}
	if body != "" {
		ct := "application/json"
		if method == http.MethodPatch {
			ct = "application/merge-patch+json"
		}
		r.Header.Set("Content-Type", ct)
	}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			t.Fatalf("bad header %q", h)
		}
		r.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// world is the whole visible state: every stored path and its JSON.
func worldOf(s *Server) map[string]string {
	out := map[string]string{}
	for _, p := range s.Paths() {
		b, _, _ := s.Resource(p)
		out[p] = string(b)
	}
	return out
}

func sameWorld(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func storedAt(t testHelper, s *Server, path string) string {
	t.Helper()
	b, _, ok := s.Resource(path)
	if !ok {
		return "(absent)"
	}
	return string(b)
}

func etagAt(t testHelper, s *Server, path string) string {
	t.Helper()
	_, e, ok := s.Resource(path)
	if !ok {
		t.Fatalf("%s is absent", path)
	}
	return e
}
