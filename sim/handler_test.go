package sim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestEveryErrorBodyIsJSONWithAnErrorSentence(t *testing.T) {
	s := New(Options{})
	for _, w := range []struct{ method, target, body string }{
		{"FROB", "/customers", ""},
		{"DELETE", "/customers", ""},
		{"GET", "/nowhere", ""},
		{"PUT", "/flights/AC789", "{"},
	} {
		rec := sendTo(t, s, w.method, w.target, w.body)
		var e struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
			t.Errorf("%s %s: body %s is not {\"error\":...}", w.method, w.target, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s %s: Content-Type %q", w.method, w.target, ct)
		}
	}
}

func TestMalformedJSONIs400NamingLineAndColumn(t *testing.T) {
	s := New(Options{})
	cases := map[string]string{
		`{"status": "late",}`:      "line 1, column 19",
		"{\n  \"gate\": c17\n}":    "line 2, column 11",
		`{"status":"late"`:         "the JSON ends too early: an object is not closed",
		`{"status":"late"} extra`:  "line 1, column 19",
		`{"name":"Zoë", "x": tru}`: "line 1, column 24",
	}
	for body, want := range cases {
		w := sendTo(t, s, "PUT", "/flights/AC789", body)
		if w.Code != 400 || !strings.Contains(w.Body.String(), want) {
			t.Errorf("PUT %q: %d %s, want 400 mentioning %q", body, w.Code, w.Body, want)
		}
	}
	if got := storedAt(t, s, "/flights/AC789"); got != "(absent)" {
		t.Errorf("a bad body created %s", got)
	}
}

func TestNonJSONContentTypeIs415(t *testing.T) {
	s := New(Options{})
	for _, ct := range []string{"application/x-www-form-urlencoded", "text/plain", ""} {
		w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":1}`, "Content-Type: "+ct)
		if w.Code != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Type %q: %d, want 415", ct, w.Code)
		}
	}
	if w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":1}`, "Content-Type: application/json; charset=utf-8"); w.Code != 200 {
		t.Errorf("application/json with charset: %d %s", w.Code, w.Body)
	}
}

func TestBodyOverOneMebibyteIs413(t *testing.T) {
	s := New(Options{})
	big := `{"x":"` + strings.Repeat("a", 1<<20) + `"}`
	if w := sendTo(t, s, "PUT", "/flights/BIG", big); w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", w.Code)
	}
	justUnder := `{"x":"` + strings.Repeat("a", 1<<20-8) + `"}`
	if w := sendTo(t, s, "PUT", "/flights/BIG", justUnder); w.Code != http.StatusCreated {
		t.Fatalf("a body of exactly 1 MiB: status %d, want 201", w.Code)
	}
}

func TestBodyMustBeAJSONObject(t *testing.T) {
	s := New(Options{})
	for _, body := range []string{`[1,2]`, `"late"`, `42`, `null`} {
		if w := sendTo(t, s, "PUT", "/flights/AC789", body); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("PUT %s: %d, want 422", body, w.Code)
		}
	}
}

func TestEmptyBodyOnPutIs400(t *testing.T) {
	s := New(Options{})
	if w := sendTo(t, s, "PUT", "/flights/AC789", ""); w.Code != 400 || !strings.Contains(w.Body.String(), "complete new state") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

func TestCreatingPastTheResourceCapIs507AndChangesNothing(t *testing.T) {
	s := New(Options{Fixture: "empty", MaxResources: 3})
	for i := range 3 {
		if w := sendTo(t, s, "POST", "/customers", `{"n":1}`); w.Code != 201 {
			t.Fatalf("POST %d: %d", i, w.Code)
		}
	}
	before := worldOf(s)
	w := sendTo(t, s, "POST", "/customers", `{"n":1}`)
	if w.Code != http.StatusInsufficientStorage || !strings.Contains(w.Body.String(), "limit") {
		t.Fatalf("%d %s, want 507 with a clear message", w.Code, w.Body)
	}
	if w := sendTo(t, s, "PUT", "/flights/X", `{"n":1}`); w.Code != 507 {
		t.Fatalf("PUT create past the cap: %d", w.Code)
	}
	if !sameWorld(before, worldOf(s)) {
		t.Fatal("a refused create changed the state")
	}
	if w := sendTo(t, s, "PUT", "/customers/1", `{"n":2}`); w.Code != 200 {
		t.Fatalf("replacing at the cap: %d, want 200", w.Code)
	}
	if w := sendTo(t, s, "POST", "/customers", `{"n":1}`); w.Code != 507 {
		t.Fatalf("the counter moved on a refused create")
	}
	sendTo(t, s, "DELETE", "/customers/3", "")
	if w := sendTo(t, s, "POST", "/customers", `{"n":1}`); w.Header().Get("Location") != "/customers/4" {
		t.Fatalf("after a delete: %d %s", w.Code, w.Header().Get("Location"))
	}
}

func TestMethodNotAllowedListsAllow(t *testing.T) {
	s := New(Options{})
	tests := []struct{ method, target, allow string }{
		{"POST", "/flights", "GET, HEAD, OPTIONS, TRACE"},
		{"PUT", "/customers", "GET, HEAD, POST, OPTIONS, TRACE"},
		{"POST", "/accounts/42", "GET, HEAD, PUT, PATCH, DELETE, OPTIONS, TRACE"},
		{"GET", "/accounts/42/interest", "POST, OPTIONS, TRACE"},
		{"PUT", "/accounts/42/transactions/1", "GET, HEAD, OPTIONS, TRACE"},
		{"DELETE", "/", "GET, HEAD, OPTIONS, TRACE"},
	}
	for _, tt := range tests {
		w := sendTo(t, s, tt.method, tt.target, "")
		if w.Code != 405 || w.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d Allow %q, want 405 Allow %q", tt.method, tt.target, w.Code, w.Header().Get("Allow"), tt.allow)
		}
	}
}

func TestConnectAndLowercaseMethodsAre501(t *testing.T) {
	s := New(Options{})
	for _, m := range []string{"CONNECT", "get", "BREW"} {
		r := sendTo(t, s, m, "/customers", "")
		if r.Code != http.StatusNotImplemented {
			t.Errorf("%s: %d, want 501", m, r.Code)
		}
	}
}

func TestUnknownPathIs404WithAHint(t *testing.T) {
	s := New(Options{})
	for _, p := range []string{"/nowhere", "/flights/AA123/x", "/customers/", "/flights/a.b"} {
		w := sendTo(t, s, "GET", p, "")
		if w.Code != 404 {
			t.Errorf("GET %s: %d", p, w.Code)
		}
	}
	w := sendTo(t, s, "GET", "/nowhere", "")
	if !strings.Contains(w.Body.String(), "/customers") {
		t.Errorf("no hint: %s", w.Body)
	}
}

func TestGetReturnsStoredJSONWithStrongETag(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "GET", "/accounts/42", "")
	if w.Code != 200 || w.Body.String() != `{"balance":80.00}` {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	tag := w.Header().Get("ETag")
	if !strings.HasPrefix(tag, `"`) || tag != etagAt(t, s, "/accounts/42") {
		t.Fatalf("ETag %q", tag)
	}
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":81}`)
	if etagAt(t, s, "/accounts/42") == tag {
		t.Fatal("the ETag did not change with the content")
	}
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":80.00}`)
	if etagAt(t, s, "/accounts/42") != tag {
		t.Fatal("the same bytes got a different ETag")
	}
}

func TestHeadHasGetsHeadersAndNoBody(t *testing.T) {
	s := New(Options{})
	get := sendTo(t, s, "GET", "/flights/AA123", "")
	head := sendTo(t, s, "HEAD", "/flights/AA123", "")
	if head.Code != 200 || head.Body.Len() != 0 {
		t.Fatalf("HEAD: %d with %d body bytes", head.Code, head.Body.Len())
	}
	for _, h := range []string{"Content-Type", "Content-Length", "Etag"} {
		if head.Header().Get(h) != get.Header().Get(h) || head.Header().Get(h) == "" {
			t.Errorf("%s: HEAD %q, GET %q", h, head.Header().Get(h), get.Header().Get(h))
		}
	}
}

func TestOptionsAnswersAllow(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "OPTIONS", "/flights/AA123", "")
	if w.Code != 204 || w.Header().Get("Allow") != allowMember || w.Header().Get("Accept-Patch") != "application/merge-patch+json" {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
	w = sendTo(t, s, "OPTIONS", "/customers", "")
	if w.Header().Get("Allow") != "GET, HEAD, POST, OPTIONS, TRACE" {
		t.Fatalf("collection: %v", w.Header())
	}
}

func TestTraceEchoesRequestWithoutCredentials(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "TRACE", "/anything?x=1", "", "Authorization: Bearer secret", "Cookie: id=1", "Proxy-Authorization: Basic x", "X-Note: hello")
	body := w.Body.String()
	if w.Code != 200 || w.Header().Get("Content-Type") != "message/http" {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
	if !strings.HasPrefix(body, "TRACE /anything?x=1 HTTP/1.1\r\nHost: example.com\r\n") || !strings.Contains(body, "X-Note: hello\r\n") {
		t.Fatalf("echo %q", body)
	}
	for _, secret := range []string{"secret", "id=1", "Basic"} {
		if strings.Contains(body, secret) {
			t.Errorf("echo leaks %q: %q", secret, body)
		}
	}
}

func TestPatchMergesAndNullRemoves(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "PATCH", "/flights/AA123", `{"gate":"b12","status":null,"crew":{"pilot":"Ann"}}`)
	if w.Code != 200 || w.Body.String() != `{"crew":{"pilot":"Ann"},"gate":"b12"}` {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if w.Header().Get("ETag") != etagAt(t, s, "/flights/AA123") {
		t.Errorf("ETag %q is not the patched resource's", w.Header().Get("ETag"))
	}
	sendTo(t, s, "PATCH", "/flights/AA123", `{"crew":{"copilot":"Bo"}}`)
	if got := storedAt(t, s, "/flights/AA123"); got != `{"crew":{"copilot":"Bo","pilot":"Ann"},"gate":"b12"}` {
		t.Fatalf("nested merge: %s", got)
	}
}

func TestPatchWithPlainJSONIs415WithAcceptPatch(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "PATCH", "/flights/AA123", `{"gate":"b12"}`, "Content-Type: application/json")
	if w.Code != 415 || w.Header().Get("Accept-Patch") != "application/merge-patch+json" {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
	if w := sendTo(t, s, "PATCH", "/flights/NOPE", `{"gate":"b12"}`); w.Code != 404 {
		t.Fatalf("PATCH absent: %d", w.Code)
	}
}

func TestPreferReturnMinimalGives204OnReplace(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`, "Prefer: return=minimal")
	if w.Code != 204 || w.Body.Len() != 0 || w.Header().Get("Preference-Applied") != "return=minimal" {
		t.Fatalf("%d %v %q", w.Code, w.Header(), w.Body)
	}
	w = sendTo(t, s, "PUT", "/flights/NEW", `{"status":"ontime"}`, "Prefer: return=minimal")
	if w.Code != 201 || w.Body.Len() != 0 {
		t.Fatalf("create: %d %q", w.Code, w.Body)
	}
}

func TestPutSendsETagOnlyWhenStoredUnchanged(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	if w.Header().Get("ETag") != etagAt(t, s, "/accounts/42") {
		t.Errorf("canonical body: ETag %q", w.Header().Get("ETag"))
	}
	w = sendTo(t, s, "PUT", "/accounts/42", `{"balance": 100}`)
	if w.Header().Get("ETag") != "" {
		t.Errorf("reformatted body stored: ETag %q sent anyway (RFC 9110 §9.3.4)", w.Header().Get("ETag"))
	}
}

func TestPartialPutWithContentRangeIs400(t *testing.T) {
	s := New(Options{})
	if w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":1}`, "Content-Range: bytes 0-5/20"); w.Code != 400 {
		t.Fatalf("%d", w.Code)
	}
}

func TestIfMatchCurrentETagOrStarSucceeds(t *testing.T) {
	s := New(Options{})
	tag := etagAt(t, s, "/accounts/42")
	if w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":90}`, "If-Match: "+tag); w.Code != 200 {
		t.Fatalf("current ETag: %d %s", w.Code, w.Body)
	}
	if w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":91}`, "If-Match: "+tag); w.Code != 412 {
		t.Fatalf("old ETag: %d", w.Code)
	}
	if w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":92}`, "If-Match: *"); w.Code != 200 {
		t.Fatalf("If-Match *: %d", w.Code)
	}
	if w := sendTo(t, s, "PUT", "/accounts/7", `{"balance":1}`, "If-Match: *"); w.Code != 412 {
		t.Fatalf("If-Match * on absent: %d", w.Code)
	}
	weak := "W/" + etagAt(t, s, "/accounts/42")
	if w := sendTo(t, s, "DELETE", "/accounts/42", "", "If-Match: "+weak); w.Code != 412 {
		t.Fatalf("If-Match compares strongly; weak tag got %d", w.Code)
	}
	if w := sendTo(t, s, "PUT", "/accounts/42", `{"balance":1}`, "If-Match: abc"); w.Code != 400 || !strings.Contains(w.Body.String(), "quoted") {
		t.Fatalf("unquoted tag: %d %s", w.Code, w.Body)
	}
}

func TestIfNoneMatchOnGetIs304(t *testing.T) {
	s := New(Options{})
	tag := etagAt(t, s, "/flights/AA123")
	w := sendTo(t, s, "GET", "/flights/AA123", "", "If-None-Match: W/"+tag)
	if w.Code != 304 || w.Body.Len() != 0 || w.Header().Get("ETag") != tag {
		t.Fatalf("%d %v", w.Code, w.Header())
	}
}

func TestCollectionsListMembersInNaturalOrder(t *testing.T) {
	s := New(Options{})
	for range 11 {
		sendTo(t, s, "POST", "/customers", `{"n":1}`)
	}
	w := sendTo(t, s, "GET", "/customers", "")
	var got struct{ Items []string }
	json.Unmarshal(w.Body.Bytes(), &got)
	if len(got.Items) != 11 || got.Items[1] != "/customers/2" || got.Items[10] != "/customers/11" {
		t.Fatalf("%s", w.Body)
	}
	if w := sendTo(t, s, "GET", "/", ""); w.Body.String() != `{"items":["/accounts","/customers","/flights","/payments"]}` {
		t.Fatalf("index: %s", w.Body)
	}
	if w := sendTo(t, s, "GET", "/payments", ""); w.Body.String() != `{"items":[]}` {
		t.Fatalf("empty collection: %s", w.Body)
	}
	if m := s.Members("/accounts"); len(m) != 1 || m[0] != "/accounts/42" {
		t.Fatalf("Members(/accounts) = %v", m)
	}
}

func TestPostSkipsIdsTakenByPut(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "PUT", "/customers/1", `{"name":"Ann"}`)
	if w := sendTo(t, s, "POST", "/customers", `{"name":"Bo"}`); w.Header().Get("Location") != "/customers/2" {
		t.Fatalf("Location %q", w.Header().Get("Location"))
	}
}

func TestResponsesCarryTheSimClockAsDate(t *testing.T) {
	s := New(Options{})
	a := sendTo(t, s, "GET", "/", "").Header().Get("Date")
	b := sendTo(t, s, "GET", "/", "").Header().Get("Date")
	if a != "Thu, 01 Jan 2026 09:00:00 GMT" || b != "Thu, 01 Jan 2026 09:00:01 GMT" {
		t.Fatalf("Date %q then %q", a, b)
	}
}

func TestFixturesSeedTheContract(t *testing.T) {
	want := map[string]map[string]string{
		"all":       {"/accounts/42": `{"balance":80.00}`, "/flights/AA123": `{"gate":"a7","status":"delayed"}`},
		"bank":      {"/accounts/42": `{"balance":80.00}`},
		"flights":   {"/flights/AA123": `{"gate":"a7","status":"delayed"}`},
		"customers": {},
		"payments":  {},
		"empty":     {},
	}
	if got := strings.Join(Fixtures(), ","); got != "all,bank,customers,empty,flights,payments" {
		t.Fatalf("Fixtures() = %s", got)
	}
	for name, w := range want {
		if got := worldOf(New(Options{Fixture: name})); !sameWorld(got, w) {
			t.Errorf("%s: %v", name, got)
		}
	}
	if got := worldOf(New(Options{Fixture: "bogus"})); !sameWorld(got, want["all"]) {
		t.Errorf("an unknown fixture does not give all: %v", got)
	}
}

func TestAsteriskTargetIsForOptionsOnly(t *testing.T) {
	s := New(Options{})
	r := httptest.NewRequest("OPTIONS", "http://putpost.local/", nil)
	r.URL.Path, r.RequestURI = "*", "*"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 204 || !strings.Contains(w.Header().Get("Allow"), "PATCH") {
		t.Fatalf("OPTIONS *: %d %v", w.Code, w.Header())
	}
	r = httptest.NewRequest("GET", "http://putpost.local/", nil)
	r.URL.Path = "*"
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 400 {
		t.Fatalf("GET *: %d", w.Code)
	}
}

// The event records the request's Host once, as the server received it, in
// Request.Header, although the handler does not copy the request's header
// to add it; a stale Host in the header map gives way to the request's.
func TestEventRecordsHostWithoutTouchingTheRequest(t *testing.T) {
	s := New(Options{Fixture: "bank"})
	for _, method := range []string{http.MethodGet, http.MethodTrace} {
		r := httptest.NewRequest(method, "/accounts/42", nil)
		r.Host = "api.example:8080"
		r.Header.Set("Host", "stale.example")
		r.Header.Set("Accept", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		e := s.EventsSince(s.LastSeq() - 1)[0]
		if got := e.Request.Header.Values("Host"); len(got) != 1 || got[0] != "api.example:8080" {
			t.Errorf("%s: event's Host = %q, want the request's api.example:8080 once", method, got)
		}
		if got := e.Request.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s: event's Accept = %q", method, got)
		}
		if got := r.Header.Get("Host"); got != "stale.example" || len(r.Header) != 2 {
			t.Errorf("%s: the request's own header was changed: %v", method, r.Header)
		}
		if method == http.MethodTrace {
			body := w.Body.String()
			if !strings.Contains(body, "Host: api.example:8080\r\n") || strings.Contains(body, "stale.example") {
				t.Errorf("TRACE echoed %q, want the request's Host once", body)
			}
		}
	}
}
