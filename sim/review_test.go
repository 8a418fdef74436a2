package sim

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serveOnLoopback serves s over a real 127.0.0.1 socket until the test ends.
func serveOnLoopback(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	hs := NewHTTPServer(s)
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Shutdown(context.Background()) })
	return ln.Addr().String()
}

func TestOptionsAsteriskOverASocketIsAnsweredByTheSim(t *testing.T) {
	s := New(Options{})
	addr := serveOnLoopback(t, s)
	conn := dialLoopback(t, addr)
	fmt.Fprintf(conn, "OPTIONS * HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Allow") != allowServer {
		t.Fatalf("OPTIONS *: %s, Allow %q; want 204 with Allow %q", resp.Status, resp.Header.Get("Allow"), allowServer)
	}
	evs := s.EventsSince(0)
	if len(evs) != 1 || evs[0].Request.Target != "*" || evs[0].Response.Status != http.StatusNoContent {
		t.Fatalf("events %+v", evs)
	}
}

func TestStatusTextUsesRFC9110Names(t *testing.T) {
	for code, want := range map[int]string{
		413: "Content Too Large",
		414: "URI Too Long",
		416: "Range Not Satisfiable",
		422: "Unprocessable Content",
		200: "OK",
		412: "Precondition Failed",
		999: "",
	} {
		if got := StatusText(code); got != want {
			t.Errorf("StatusText(%d) = %q, want %q", code, got, want)
		}
	}
	if got := (Message{Status: 422}).Wire(false); !strings.HasPrefix(got, "HTTP/1.1 422 Unprocessable Content\n") {
		t.Errorf("Wire: %q", got)
	}

	s := New(Options{})
	big := `{"x":"` + strings.Repeat("a", maxBody) + `"}`
	req := httptest.NewRequest("PUT", "http://putpost.local/flights/BIG", strings.NewReader(big))
	req.RequestURI = ""
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client(SourceComposer).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != "413 Content Too Large" {
		t.Errorf("client status %q", resp.Status)
	}
	if got := s.EventsSince(0)[0].Summary(); !strings.HasPrefix(got, "413 Content Too Large — ") {
		t.Errorf("summary %q", got)
	}
}

func TestTraceStripsHeadersLikelyToHoldCredentials(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "TRACE", "/", "",
		"Authorization: Bearer v01", "Proxy-Authorization: Basic v02", "Cookie: v03=1",
		"X-Auth-Token: v04", "X-Api-Key: v05", "X-Apikey: v06", "X-Session-Id: v07",
		"X-Client-Secret: v08", "X-Password: v09", "Set-Cookie: v10=1", "X-Access-Token: v11",
		"WWW-Authenticate: v12", "X-Note: kept")
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "X-Note: kept\r\n") {
		t.Fatalf("%d %q", w.Code, body)
	}
	for i := 1; i <= 12; i++ {
		if secret := fmt.Sprintf("v%02d", i); strings.Contains(body, secret) {
			t.Errorf("TRACE echoes %s: %q", secret, body)
		}
	}
	// The recorded request keeps every field: only the echo is stripped.
	if h := s.EventsSince(0)[0].Request.Header; h.Get("X-Api-Key") != "v05" {
		t.Errorf("recorded request lost a header: %v", h)
	}
}

func TestIfMatchWithAWeakTagSaysWeakTagsNeverMatch(t *testing.T) {
	s := New(Options{})
	etag := etagAt(t, s, "/accounts/42")
	w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`, "If-Match: W/"+etag)
	if w.Code != http.StatusPreconditionFailed {
		t.Fatalf("status %d, want 412", w.Code)
	}
	var e struct{ Error string }
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.Error, "has changed") || !strings.Contains(e.Error, "weak") || !strings.Contains(e.Error, "strong tag "+etag) {
		t.Fatalf("message %q", e.Error)
	}
	if got := storedAt(t, s, "/accounts/42"); got != `{"balance":80.00}` {
		t.Fatalf("changed: %s", got)
	}
}

// TestIfMatchSaysChangedOnlyForATagTheResourceHad: a 412 for the ETag of an
// earlier version says the resource has changed; a 412 for a tag it never
// had (a placeholder, a typo) says only that the tag is not the current one,
// and names the current one.
func TestIfMatchSaysChangedOnlyForATagTheResourceHad(t *testing.T) {
	s := New(Options{})
	old := etagAt(t, s, "/accounts/42")
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	cur := etagAt(t, s, "/accounts/42")
	for _, c := range []struct {
		tag  string
		want string
	}{
		{old, "/accounts/42 has changed, its ETag is now " + cur},
		{`"paste-the-etag-here"`, "the ETag you sent is not the current ETag of /accounts/42, which is " + cur},
		{`"paste-the-etag-here", "0000000000000000"`, "none of the ETags you sent is the current ETag of /accounts/42, which is " + cur},
	} {
		w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":50}`, "If-Match: "+c.tag)
		var e struct{ Error string }
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if w.Code != http.StatusPreconditionFailed || !strings.Contains(e.Error, c.want) {
			t.Errorf("If-Match: %s: %d %q, want 412 saying %q", c.tag, w.Code, e.Error, c.want)
		}
		if c.tag != old && strings.Contains(e.Error, "changed,") {
			t.Errorf("If-Match: %s: a tag the account never had is said to show a change: %q", c.tag, e.Error)
		}
	}
	if got := storedAt(t, s, "/accounts/42"); got != `{"balance":100}` {
		t.Fatalf("a failed If-Match changed the account: %s", got)
	}
}

// TestAFailedIfMatchComparesTheTagsUndoKeeps: an undo step keeps the ETag
// each resource had before it, and a 412 compares those rather than hashing
// the bodies kept: with the kept body swapped for another, the tag kept
// still shows a change and the other body's tag does not.
func TestAFailedIfMatchComparesTheTagsUndoKeeps(t *testing.T) {
	s := New(Options{})
	old := etagAt(t, s, "/accounts/42")
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	u := s.st.undo[len(s.st.undo)-1]
	up := unpacker{b: u.changes}
	if p, _, tag := up.string(), up.bytes(), up.string(); p != "/accounts/42" || tag != old {
		t.Fatalf("the undo step keeps %s with tag %s, want /accounts/42 with %s", p, tag, old)
	}
	other := []byte(`{"balance":1}`)
	tx := txn{changes: []Change{{Path: "/accounts/42", Before: other}}, tags: []string{old}}
	s.st.undo[len(s.st.undo)-1] = newUndoEntry(u.seq, &tx)
	for _, c := range []struct {
		tag     string
		changed bool
	}{{old, true}, {etagOf(other), false}} {
		w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":50}`, "If-Match: "+c.tag)
		if got := strings.Contains(w.Body.String(), "has changed"); w.Code != http.StatusPreconditionFailed || got != c.changed {
			t.Errorf("If-Match: %s: %d %s; want 412, saying it has changed: %v", c.tag, w.Code, w.Body, c.changed)
		}
	}
}

// TestAStaleIfMatchMarksItsEvent: the event of a 412 for an earlier
// version's ETag says so (Stale), kept and unpacked; a tag the resource never
// had, its current tag written weak, the current tag, and a target with
// nothing at it leave Stale false. Lessons ask for it to tell a teller's
// stale tag from a made-up one.
func TestAStaleIfMatchMarksItsEvent(t *testing.T) {
	s := New(Options{})
	old := etagAt(t, s, "/accounts/42")
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	cur := etagAt(t, s, "/accounts/42")
	for _, c := range []struct {
		path, tag string
		status    int
		stale     bool
	}{
		{"/accounts/42", old, 412, true},
		{"/accounts/42", `"paste-the-etag-here"`, 412, false},
		{"/accounts/42", "W/" + cur, 412, false},
		{"/accounts/42", "W/" + old, 412, false},
		{"/accounts/7", old, 412, false},
		{"/accounts/42", cur, 200, false},
	} {
		since := s.LastSeq()
		w := sendTo(t, s, "PUT", c.path, `{"balance":100}`, "If-Match: "+c.tag)
		evs := s.EventsSince(since)
		if w.Code != c.status || len(evs) != 1 || evs[0].Stale != c.stale {
			t.Errorf("If-Match: %s to %s: %d, events %+v; want %d with Stale %v", c.tag, c.path, w.Code, evs, c.status, c.stale)
		}
	}
}

// unreadable fails the test when the server reads it.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("the body was read although Content-Length is over the cap")
	return 0, io.EOF
}

func TestContentLengthOverTheCapIs413WithoutReading(t *testing.T) {
	s := New(Options{})
	r := httptest.NewRequest("PUT", "/flights/BIG", nil)
	r.Body = io.NopCloser(unreadable{t})
	r.ContentLength = maxBody + 1
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", w.Code)
	}
	// TRACE still refuses the body it did not read.
	r = httptest.NewRequest("TRACE", "/", nil)
	r.Body = io.NopCloser(unreadable{t})
	r.ContentLength = maxBody + 1
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("TRACE: status %d, want 400", w.Code)
	}
	// A chunked body (no Content-Length) is still caught by the read limit.
	big := `{"x":"` + strings.Repeat("a", maxBody) + `"}`
	r = httptest.NewRequest("PUT", "/flights/BIG", nil)
	r.Body = io.NopCloser(strings.NewReader(big))
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/json")
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked: status %d, want 413", w.Code)
	}
	if _, _, ok := s.Resource("/flights/BIG"); ok {
		t.Fatal("stored")
	}
}

// TestATrailingSlashGets404NamingTheURLWithoutIt: /flights/AA123/ is another
// URL than /flights/AA123, so the server does not serve it; its 404 names the
// URL the client probably meant, and nothing changes.
func TestATrailingSlashGets404NamingTheURLWithoutIt(t *testing.T) {
	for _, c := range []struct{ method, target, body, meant string }{
		{"GET", "/flights/AA123/", "", "/flights/AA123"},
		{"DELETE", "/customers/", "", "/customers"},
		{"POST", "/flights/", `{"status":"ontime"}`, "/flights"},
		{"PUT", "/accounts/42//", `{"balance":1}`, "/accounts/42"},
	} {
		s := New(Options{})
		before := worldOf(s)
		w := sendTo(t, s, c.method, c.target, c.body)
		var e struct{ Error string }
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if w.Code != http.StatusNotFound || !strings.Contains(e.Error, "did you mean "+c.meant+"?") {
			t.Errorf("%s %s: %d %q, want 404 suggesting %s", c.method, c.target, w.Code, e.Error, c.meant)
		}
		if after := worldOf(s); !maps.Equal(after, before) {
			t.Errorf("%s %s changed the state: %v → %v", c.method, c.target, before, after)
		}
	}
	// A path that is wrong without the slash too gets the list of collections.
	s := New(Options{})
	if w := sendTo(t, s, "GET", "/planes/", ""); w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "did you mean") || !strings.Contains(w.Body.String(), "/customers") {
		t.Errorf("GET /planes/: %d %s", w.Code, w.Body)
	}
}
