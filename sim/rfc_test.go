package sim

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestIfMatchOnSomethingMissingAnswers404ExceptForPUT(t *testing.T) {
	s := New(Options{})
	for _, m := range []string{"GET", "HEAD", "DELETE", "PATCH"} {
		body := ""
		if m == "PATCH" {
			body = `{"gate":"b1"}`
		}
		if w := sendTo(t, s, m, "/flights/XX1", body, `If-Match: "abc"`); w.Code != http.StatusNotFound {
			t.Errorf("%s of a missing flight with If-Match: %d, want 404 (RFC 9110 §13.2.1)", m, w.Code)
		}
	}
	if w := sendTo(t, s, "PUT", "/flights/XX1", `{"gate":"b1"}`, `If-Match: "abc"`); w.Code != http.StatusPreconditionFailed {
		t.Errorf("PUT to create with a failing If-Match: %d, want 412", w.Code)
	}
	if _, _, ok := s.Resource("/flights/XX1"); ok {
		t.Error("a failed precondition created the flight")
	}
}

func TestLowerCaseMethodsAreNotTheirUpperCaseNames(t *testing.T) {
	s := New(Options{})
	// The request language sends "put" as typed (request.TestParseAcceptsTheRequestForm).
	req, err := http.NewRequestWithContext(context.Background(), "put", "http://putpost.local/accounts/42", strings.NewReader(`{"balance":1}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.Client(SourceComposer).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	body := string(b)
	if resp.StatusCode != http.StatusNotImplemented || !strings.Contains(body, `is not PUT: method names are case-sensitive`) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	if b, _, _ := s.Resource("/accounts/42"); strings.Contains(string(b), `"balance":1}`) {
		t.Error("put changed the account")
	}
}

func TestTraceOfTheAsteriskIs400(t *testing.T) {
	s := New(Options{})
	r, _ := http.NewRequest("TRACE", "http://putpost.local/", nil)
	r.URL.Path, r.URL.Opaque, r.RequestURI = "", "*", "*"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest {
		t.Errorf("TRACE *: %d, want 400", w.Code)
	}
}

func TestBodiesThatAreNotUTF8AreRefused(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "PUT", "/flights/XX2", "{\"gate\":\"b\xff1\"}")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "not valid UTF-8") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
	if _, _, ok := s.Resource("/flights/XX2"); ok {
		t.Error("a body with invalid UTF-8 was stored")
	}
}

func TestAnUndecodedContentEncodingIs415WithAcceptEncoding(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "PUT", "/flights/XX3", `{"gate":"b1"}`, "Content-Encoding: gzip")
	if w.Code != http.StatusUnsupportedMediaType || w.Header().Get("Accept-Encoding") != "identity" {
		t.Errorf("%d %v %s", w.Code, w.Header(), w.Body)
	}
	if w := sendTo(t, s, "PUT", "/flights/XX3", `{"gate":"b1"}`, "Content-Encoding: identity"); w.Code != http.StatusCreated {
		t.Errorf("identity coding: %d", w.Code)
	}
}

func TestPutAndPatchNameWhatTheirBodyIs(t *testing.T) {
	s := New(Options{})
	for _, tc := range []struct{ method, body string }{{"PUT", `{"gate":"c1"}`}, {"PUT", `{"gate":"c2"}`}, {"PATCH", `{"gate":"c3"}`}} {
		w := sendTo(t, s, tc.method, "/flights/XX4", tc.body)
		if w.Header().Get("Content-Location") != "/flights/XX4" {
			t.Errorf("%s %d: Content-Location %q", tc.method, w.Code, w.Header().Get("Content-Location"))
		}
	}
}

func TestANonObjectMergePatchIsDescribedCorrectly(t *testing.T) {
	s := New(Options{})
	w := sendTo(t, s, "PATCH", "/flights/AA123", `["gate"]`)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "RFC 7396 makes an array replace the whole resource") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

func TestIdempotencyKeyIsAStructuredFieldString(t *testing.T) {
	for _, tc := range []struct {
		in, key, err string
	}{
		{`"k1"`, "k1", ""},
		{` "k1" `, "k1", ""},
		{`"a\"b\\c"`, `a"b\c`, ""},
		{`"k1";exp=1;note="x;y"`, "k1", ""},
		{`"k1";flag`, "k1", ""},
		{`k1`, "", "is a token, not a string"},
		{`42`, "", "is a number, not a string"},
		{`"k1`, "", "never closed"},
		{`"a\nb"`, "", "may only escape"},
		{"\"caf\xc3\xa9\"", "", "printable ASCII"},
		{`"k1" x`, "", "after the string"},
		{`"k1";Bad=1`, "", "lower-case letter"},
		{`"k1";a=`, "", "no value"},
	} {
		key, err := ParseSFString(tc.in)
		switch {
		case tc.err == "" && (err != nil || key != tc.key):
			t.Errorf("ParseSFString(%q) = %q, %v; want %q", tc.in, key, err, tc.key)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseSFString(%q) = %q, %v; want an error saying %q", tc.in, key, err, tc.err)
		}
	}
	s := New(Options{})
	w := sendTo(t, s, "POST", "/payments", `{"amount":1}`, "Idempotency-Key: k1")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Header().Get("Link"), `rel="describedby"`) {
		t.Errorf("a token key: %d %v", w.Code, w.Header())
	}
	sendTo(t, s, "POST", "/payments", `{"amount":1}`, `Idempotency-Key: "k1"`)
	w = sendTo(t, s, "POST", "/payments", `{"amount":1}`, `Idempotency-Key: "k1";unknown=2`)
	if w.Header().Get("Idempotent-Replayed") != "true" {
		t.Errorf("the same key with a parameter was not replayed: %d %v", w.Code, w.Header())
	}
	w = sendTo(t, s, "POST", "/payments", `{"amount":2}`, `Idempotency-Key: "k1"`)
	if w.Code != http.StatusUnprocessableEntity || w.Header().Get("Link") == "" {
		t.Errorf("a reused key: %d %v", w.Code, w.Header())
	}
}

func TestDateIsTheWallClockOnlyForSocketsWhenAsked(t *testing.T) {
	sim := "Thu, 01 Jan 2026 09:00:00 GMT"
	s := New(Options{WallClockDate: true})
	if d := sendTo(t, s, "GET", "/flights/AA123", "").Header().Get("Date"); d == sim || d == "" {
		t.Errorf("a request over the network got the sim clock's Date %q", d)
	}
	req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://putpost.local/flights/AA123", nil)
	resp, err := s.Client(SourceComposer).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if d := resp.Header.Get("Date"); d != "Thu, 01 Jan 2026 09:00:01 GMT" {
		t.Errorf("an in-process request got Date %q, want the sim clock", d)
	}
	if d := sendTo(t, New(Options{}), "GET", "/flights/AA123", "").Header().Get("Date"); d != sim {
		t.Errorf("without WallClockDate, Date %q, want the sim clock", d)
	}
}

func FuzzParseSFString(f *testing.F) {
	for _, s := range []string{`"k1"`, `k1`, `"a\"b"`, `"k";a=1;b="x"`, `"`, `"\`, `42`, `"k";`, "\"k\u00e9y\"", "\"a\xffb\"", "\"\u202e\x1b\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		key, err := ParseSFString(in)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		for i := 0; i < len(key); i++ {
			if key[i] < 0x20 || key[i] > 0x7e {
				t.Fatalf("ParseSFString(%q) = %q holds byte 0x%02x", in, key, key[i])
			}
		}
		// Quoting the key again gives a value that reads back the same.
		quoted := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(key) + `"`
		if again, err := ParseSFString(quoted); err != nil || again != key {
			t.Fatalf("ParseSFString(%q) = %q, but %q reads back as %q, %v", in, key, quoted, again, err)
		}
	})
}

// HoldsETags tells lessons whether an If-Match names versions: a list of
// entity tags does, "*" (any version) and what is no entity tag do not.
func TestHoldsETagsNamesVersionsNotAStar(t *testing.T) {
	for v, want := range map[string]bool{
		`"a1b2"`: true, `W/"a1b2"`: true, `"a", W/"b"`: true, `"a,b"`: true,
		"*": false, " * ": false, "a1b2": false, `"open`: false, "": false, ", ,": false,
	} {
		if got := HoldsETags(v); got != want {
			t.Errorf("HoldsETags(%q) = %v, want %v", v, got, want)
		}
	}
}
