package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"pgregory.net/rapid"
)

// A request as the property tests generate it.
type genRequest struct {
	method, target, body string
	headers              []string
}

func (g genRequest) String() string {
	return fmt.Sprintf("%s %s %s %v", g.method, g.target, g.body, g.headers)
}

var (
	genMembers = []string{"/flights/AA123", "/flights/AC789", "/accounts/42", "/accounts/7", "/customers/1", "/customers/2", "/payments/1"}
	genTargets = append([]string{"/", "/flights", "/customers", "/payments", "/accounts", "/accounts/42/transactions", "/accounts/42/interest", "/nowhere", "/flights/a.b"}, genMembers...)
)

func genObject() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		obj := map[string]any{}
		for range rapid.IntRange(0, 4).Draw(t, "fields") {
			key := rapid.StringMatching(`[a-z]{1,6}`).Draw(t, "key")
			obj[key] = rapid.OneOf(
				rapid.Map(rapid.IntRange(-1000, 1000), func(i int) any { return i }),
				rapid.Map(rapid.StringMatching(`[a-zA-Z0-9 ]{0,8}`), func(s string) any { return s }),
				rapid.Map(rapid.Bool(), func(b bool) any { return b }),
			).Draw(t, "value")
		}
		b, _ := json.Marshal(obj)
		return string(b)
	})
}

// genIdempotent draws a request whose method is idempotent (RFC 9110 §9.2.2).
func genIdempotent() *rapid.Generator[genRequest] {
	return rapid.Custom(func(t *rapid.T) genRequest {
		method := rapid.SampledFrom([]string{"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "PUT", "DELETE"}).Draw(t, "method")
		r := genRequest{method: method, target: rapid.SampledFrom(genTargets).Draw(t, "target")}
		if method == "PUT" {
			r.target = rapid.SampledFrom(genMembers).Draw(t, "member")
			r.body = genObject().Draw(t, "body")
		}
		return r
	})
}

func genSafe() *rapid.Generator[genRequest] {
	return rapid.Custom(func(t *rapid.T) genRequest {
		r := genRequest{
			method: rapid.SampledFrom([]string{"GET", "HEAD", "OPTIONS", "TRACE"}).Draw(t, "method"),
			target: rapid.SampledFrom(genTargets).Draw(t, "target"),
		}
		for range rapid.IntRange(0, 2).Draw(t, "headers") {
			name := rapid.SampledFrom([]string{"If-Match", "If-None-Match", "Idempotency-Key", "Prefer", "Authorization"}).Draw(t, "name")
			r.headers = append(r.headers, name+": "+rapid.SampledFrom([]string{"*", `"x"`, "junk", `W/"y"`, "return=minimal"}).Draw(t, "value"))
		}
		return r
	})
}

// genWrite draws a state-changing request against the fixture's resources.
func genWrite() *rapid.Generator[genRequest] {
	return rapid.Custom(func(t *rapid.T) genRequest {
		switch rapid.IntRange(0, 4).Draw(t, "kind") {
		case 0:
			return genRequest{method: "PUT", target: rapid.SampledFrom(genMembers).Draw(t, "target"), body: genObject().Draw(t, "body")}
		case 1:
			return genRequest{method: "PATCH", target: rapid.SampledFrom(genMembers).Draw(t, "target"), body: genObject().Draw(t, "body")}
		case 2:
			return genRequest{method: "DELETE", target: rapid.SampledFrom(genMembers).Draw(t, "target")}
		case 3:
			return genRequest{method: "POST", target: rapid.SampledFrom([]string{"/customers", "/payments"}).Draw(t, "target"), body: genObject().Draw(t, "body")}
		default:
			return genRequest{method: "POST", target: "/accounts/42/interest", body: fmt.Sprintf(`{"rate":0.%02d}`, rapid.IntRange(1, 99).Draw(t, "rate"))}
		}
	})
}

func (g genRequest) sendTo(t *rapid.T, s *Server, extra ...string) (int, string, http.Header) {
	w := sendTo(t, s, g.method, g.target, g.body, append(append([]string(nil), g.headers...), extra...)...)
	return w.Code, w.Body.String(), w.Header()
}

func TestPropertyIdempotentRequestsRepeatedNTimesLeaveTheStateOfOnce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		fixture := rapid.SampledFrom(Fixtures()).Draw(t, "fixture")
		reqs := rapid.SliceOfN(genIdempotent(), 1, 12).Draw(t, "requests")
		n := rapid.IntRange(2, 5).Draw(t, "n")
		once, many := New(Options{Fixture: fixture}), New(Options{Fixture: fixture})
		for _, r := range reqs {
			want, _, _ := r.sendTo(t, once)
			for i := range n {
				got, _, _ := r.sendTo(t, many)
				if i == 0 && got != want {
					t.Fatalf("%v: first of %d answered %d, once answered %d", r, n, got, want)
				}
			}
			if !sameWorld(worldOf(once), worldOf(many)) {
				t.Fatalf("after %v ×%d: %v, once: %v", r, n, worldOf(many), worldOf(once))
			}
		}
	})
}

func TestPropertyNPostsCreateNMembers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := New(Options{Fixture: "all"})
		coll := rapid.SampledFrom([]string{"/customers", "/payments"}).Draw(t, "collection")
		body := genObject().Draw(t, "body")
		n := rapid.IntRange(1, 30).Draw(t, "n")
		seen := map[string]bool{}
		for range n {
			code, _, h := genRequest{method: "POST", target: coll, body: body}.sendTo(t, s)
			if code != 201 || seen[h.Get("Location")] {
				t.Fatalf("POST answered %d at %q", code, h.Get("Location"))
			}
			seen[h.Get("Location")] = true
		}
		if got := len(s.Members(coll)); got != n {
			t.Fatalf("%d POSTs made %d members", n, got)
		}
	})
}

func TestPropertySafeMethodsNeverChangeState(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := New(Options{})
		for _, w := range rapid.SliceOfN(genWrite(), 0, 6).Draw(t, "setup") {
			w.sendTo(t, s)
		}
		before, seq := worldOf(s), s.LastSeq()
		for _, r := range rapid.SliceOfN(genSafe(), 1, 10).Draw(t, "safe") {
			r.sendTo(t, s)
		}
		if !sameWorld(before, worldOf(s)) {
			t.Fatalf("state changed: %v → %v", before, worldOf(s))
		}
		for _, e := range s.EventsSince(seq) {
			if len(e.Changes) != 0 {
				t.Fatalf("%s %s changed %v", e.Request.Method, e.Request.Target, e.Changes)
			}
		}
	})
}

func TestPropertyFailedPreconditionNeverChangesState(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := New(Options{})
		for _, w := range rapid.SliceOfN(genWrite(), 0, 6).Draw(t, "setup") {
			w.sendTo(t, s)
		}
		r := genWrite().Draw(t, "write")
		tag := `"` + rapid.StringMatching(`[0-9a-f]{16}`).Draw(t, "tag") + `"`
		if _, current, ok := s.Resource(r.target); ok && current == tag {
			t.Skip("drew the current tag")
		}
		before := worldOf(s)
		_, _, existed := s.Resource(r.target)
		code, _, _ := r.sendTo(t, s, "If-Match: "+tag)
		// §13.2.1: PATCH or DELETE of nothing answers 404 before any precondition.
		missing := !existed && (r.method == "PATCH" || r.method == "DELETE")
		if code != http.StatusPreconditionFailed && !(missing && code == http.StatusNotFound) {
			t.Fatalf("%v with a wrong If-Match answered %d", r, code)
		}
		if r.method == "PUT" {
			if _, _, exists := s.Resource(r.target); exists {
				if code, _, _ := (genRequest{method: "PUT", target: r.target, body: r.body}).sendTo(t, s, "If-None-Match: *"); code != 412 {
					t.Fatalf("If-None-Match: * on an existing resource answered %d", code)
				}
			}
		}
		if !sameWorld(before, worldOf(s)) {
			t.Fatalf("a failed precondition changed the state: %v → %v", before, worldOf(s))
		}
	})
}

func TestPropertyIdempotencyReplaysAreByteIdentical(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := New(Options{})
		r := genWrite().Filter(func(g genRequest) bool { return g.method == "POST" }).Draw(t, "post")
		key := `"` + rapid.StringMatching(`[a-zA-Z0-9-]{1,36}`).Draw(t, "key") + `"`
		n := rapid.IntRange(2, 6).Draw(t, "n")
		code, body, h := r.sendTo(t, s, "Idempotency-Key: "+key)
		after := worldOf(s)
		for range n - 1 {
			c, b, rh := r.sendTo(t, s, "Idempotency-Key: "+key)
			if c != code || b != body || rh.Get("Location") != h.Get("Location") || rh.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("replay %d %q %v, first %d %q %v", c, b, rh, code, body, h)
			}
		}
		if !sameWorld(after, worldOf(s)) {
			t.Fatal("a replay changed the state")
		}
	})
}
