package request

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"pgregory.net/rapid"
)

// lineHeader builds a header from name, value pairs (names already canonical).
func lineHeader(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h[kv[i]] = append(h[kv[i]], kv[i+1])
	}
	return h
}

type goodLine struct {
	name string
	line string
	want Line
}

// checkGoodLines parses each line, compares it with the expected request,
// and checks that its String parses back to the same request.
func checkGoodLines(t *testing.T, cases []goodLine) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.line)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.line, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Parse(%q)\n got %#v\nwant %#v", tc.line, got, tc.want)
			}
			again, err := Parse(got.String())
			if err != nil {
				t.Fatalf("String() = %q does not parse: %v", got.String(), err)
			}
			if !reflect.DeepEqual(again, got) {
				t.Fatalf("String() = %q parses to %#v, want %#v", got.String(), again, got)
			}
		})
	}
}

type badLine struct {
	name   string
	line   string
	col    int
	phrase string // a key phrase of the message
}

// checkBadLines asserts each line fails with a *SyntaxError at the expected
// column whose message contains the key phrase.
func checkBadLines(t *testing.T, cases []badLine) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse(tc.line)
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want an error", tc.line, r)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", tc.line, err)
			}
			if se.Col != tc.col || !strings.Contains(se.Msg, tc.phrase) {
				t.Fatalf("Parse(%q)\n got %v\nwant column %d: …%s…", shortLine(tc.line), err, tc.col, tc.phrase)
			}
		})
	}
}

func shortLine(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

func TestParseAcceptsTheRequestForm(t *testing.T) {
	json := lineHeader("Content-Type", "application/json")
	checkGoodLines(t, []goodLine{
		{"put with a body", `PUT /accounts/42 {"balance": 100}`,
			Line{Method: "PUT", Target: "/accounts/42", Header: json, Body: `{"balance": 100}`, Repeat: 1}},
		{"post with an idempotency key, three times", `POST /customers {"name":"Joe"} -H 'Idempotency-Key: "k1"' x3`,
			Line{Method: "POST", Target: "/customers", Header: lineHeader("Content-Type", "application/json", "Idempotency-Key", `"k1"`), Body: `{"name":"Joe"}`, Repeat: 3}},
		{"get", `GET /flights`,
			Line{Method: "GET", Target: "/flights", Header: http.Header{}, Repeat: 1}},
		{"delete twice", `DELETE /flights/AC789 x2`,
			Line{Method: "DELETE", Target: "/flights/AC789", Header: http.Header{}, Repeat: 2}},
		{"an unknown method is kept as typed", `frob /customers`,
			Line{Method: "frob", Target: "/customers", Header: http.Header{}, Repeat: 1}},
		{"methods are case-sensitive: put is not PUT", `put /accounts/42 {"balance":100}`,
			Line{Method: "put", Target: "/accounts/42", Header: json, Body: `{"balance":100}`, Repeat: 1}},
		{"patch defaults to merge patch", `PATCH /flights/AA123 {"gate":"b2"}`,
			Line{Method: "PATCH", Target: "/flights/AA123", Header: lineHeader("Content-Type", "application/merge-patch+json"), Body: `{"gate":"b2"}`, Repeat: 1}},
		{"a header sets the content type", `PATCH /flights/AA123 {"gate":"b2"} -H 'content-type: application/json'`,
			Line{Method: "PATCH", Target: "/flights/AA123", Header: json, Body: `{"gate":"b2"}`, Repeat: 1}},
		{"body with -d", `POST /customers -d '{"name":"Joe"}'`,
			Line{Method: "POST", Target: "/customers", Header: json, Body: `{"name":"Joe"}`, Repeat: 1}},
		{"body with --data in double quotes", `POST /customers --data " {\"name\": \"Joe\"} "`,
			Line{Method: "POST", Target: "/customers", Header: json, Body: `{"name": "Joe"}`, Repeat: 1}},
		{"body after a header", `PUT /accounts/42 -H "If-Match: \"v1\"" {"balance":100}`,
			Line{Method: "PUT", Target: "/accounts/42", Header: lineHeader("Content-Type", "application/json", "If-Match", `"v1"`), Body: `{"balance":100}`, Repeat: 1}},
		{"multiplication sign repeat", `PUT /flights/AC789 {"status":"late","gate":"c17"} ×2`,
			Line{Method: "PUT", Target: "/flights/AC789", Header: json, Body: `{"status":"late","gate":"c17"}`, Repeat: 2}},
		{"capital X repeat with leading zeros", `GET /flights X007`,
			Line{Method: "GET", Target: "/flights", Header: http.Header{}, Repeat: 7}},
		{"the largest repeat", `GET /flights x1000`,
			Line{Method: "GET", Target: "/flights", Header: http.Header{}, Repeat: 1000}},
		{"brackets and quotes inside JSON strings", `PUT /x [1, {"a": "}] \" {"}, null] x2`,
			Line{Method: "PUT", Target: "/x", Header: json, Body: `[1, {"a": "}] \" {"}, null]`, Repeat: 2}},
		{"a JSON string body", `PUT /x "just a string"`,
			Line{Method: "PUT", Target: "/x", Header: json, Body: `"just a string"`, Repeat: 1}},
		{"a negative number body", `PUT /x -2.5e3`,
			Line{Method: "PUT", Target: "/x", Header: json, Body: `-2.5e3`, Repeat: 1}},
		{"a literal body", `PUT /x true`,
			Line{Method: "PUT", Target: "/x", Header: json, Body: `true`, Repeat: 1}},
		{"delete may carry a body", `DELETE /x {"reason":"dup"}`,
			Line{Method: "DELETE", Target: "/x", Header: json, Body: `{"reason":"dup"}`, Repeat: 1}},
		{"repeated and empty headers", `GET /flights -H 'Accept: application/json' --header 'x-trace: 1' -H 'Accept: text/plain' -H 'X-Empty:'`,
			Line{Method: "GET", Target: "/flights", Header: lineHeader("Accept", "application/json", "X-Trace", "1", "Accept", "text/plain", "X-Empty", ""), Repeat: 1}},
		{"a URL keeps its path and query", `GET http://localhost:8080/flights?status=late#top`,
			Line{Method: "GET", Target: "/flights?status=late", Header: http.Header{}, Repeat: 1}},
		{"host and port without scheme", `GET localhost:8080/flights`,
			Line{Method: "GET", Target: "/flights", Header: http.Header{}, Repeat: 1}},
		{"a URL with no path", `OPTIONS https://example.com`,
			Line{Method: "OPTIONS", Target: "/", Header: http.Header{}, Repeat: 1}},
		{"non-ASCII path is escaped", "GET /café",
			Line{Method: "GET", Target: "/caf%C3%A9", Header: http.Header{}, Repeat: 1}},
		{"quoted target with a space", `GET '/search?q=a b'`,
			Line{Method: "GET", Target: "/search?q=a%20b", Header: http.Header{}, Repeat: 1}},
		{"escapes are kept as typed", `GET /a%2Fb?x=%41`,
			Line{Method: "GET", Target: "/a%2Fb?x=%41", Header: http.Header{}, Repeat: 1}},
		{"blanks around and between", "  HEAD\t /flights  ",
			Line{Method: "HEAD", Target: "/flights", Header: http.Header{}, Repeat: 1}},
		{"a no-break space separates words", "TRACE\u00a0/flights",
			Line{Method: "TRACE", Target: "/flights", Header: http.Header{}, Repeat: 1}},
		{"a trailing line break", "GET /flights\r\n",
			Line{Method: "GET", Target: "/flights", Header: http.Header{}, Repeat: 1}},
		{"options with attached values", `POST /customers -H'Idempotency-Key: "k1"' -d'{}'`,
			Line{Method: "POST", Target: "/customers", Header: lineHeader("Content-Type", "application/json", "Idempotency-Key", `"k1"`), Body: `{}`, Repeat: 1}},
		{"a continued line", "PUT /accounts/42 \\\n  {\"balance\":100} \\\r\n  x2",
			Line{Method: "PUT", Target: "/accounts/42", Header: json, Body: `{"balance":100}`, Repeat: 2}},
	})
}

func TestParseRejectsBadInput(t *testing.T) {
	checkBadLines(t, []badLine{
		{"empty line", "", 1, "the line is empty"},
		{"only blanks", "   \t", 1, "the line is empty"},
		{"method that is not a token", "GE(T /x", 3, `"(" cannot be part of a method name`},
		{"non-ASCII method", "PÜT /x", 2, `"Ü" cannot be part of a method name`},
		{"no space after the method", "get/flights", 4, "expected a space between the method and the path: GET /flights"},
		{"path with no method", "/accounts/42", 1, "expected a method before the path, like GET /accounts/42"},
		{"curl options without curl", "-X PUT /x", 1, "start the line with curl"},
		{"missing path", "GET", 4, "expected a path after GET"},
		{"missing path after blanks", "DELETE  ", 9, "expected a path after DELETE"},
		{"path without slash", "GET accounts/42", 5, "try /accounts/42"},
		{"empty quoted path", "GET ''", 5, "expected a path"},
		{"fragment only", "GET #top", 5, "expected a path"},
		{"other URL scheme", "GET ftp://host/x", 5, "only http:// and https://"},
		{"credentials in the URL", "GET http://me:pw@host/x", 12, "user names and passwords"},
		{"bad percent escape", "GET /a%zz", 7, "two hex digits after %"},
		{"unbalanced single quote", "PUT /x -H 'A: b", 11, "this ' is never closed"},
		{"unbalanced double quote", `PUT /x -H "A: b`, 11, `this " is never closed`},
		{"typographic quotes", "PUT /x -H ‘A: b’", 11, "typographic quote"},
		{"unclosed object", `PUT /x {"a":`, 13, "expected } to close the { at column 8"},
		{"unclosed array", `PUT /x [1, 2`, 13, "expected ] to close the [ at column 8"},
		{"unclosed JSON string", `PUT /x {"a":"b`, 15, `the JSON string that starts at column 13 is not closed`},
		{"unclosed string body", `PUT /x "abc`, 12, `the JSON string that starts at column 8 is not closed`},
		{"mismatched brackets", `PUT /x {"a":[1}`, 15, "a comma goes between two values, and ] ends the list"},
		{"missing colon in JSON", `PUT /x {"a" 1}`, 13, `a colon goes between a name and its value, like "balance": 100`},
		{"trailing comma", `PUT /x {"a":1,}`, 15, `a comma needs another field after it: remove the last comma: {"a":1}`},
		{"bare word body", `PUT /x hello`, 8, "text needs double quotes in JSON"},
		{"single-quoted JSON", `PUT /x {'a':1}`, 9, `a JSON string needs double quotes, not single ones: {"a":1}`},
		{"typographic quotes in JSON", `PUT /x {“a”:1}`, 9, `JSON needs straight double quotes ", not typographic ones: {"a":1}`},
		{"junk after a JSON value", `PUT /x {"a":1}x`, 15, "there is more after the JSON value"},
		{"malformed JSON in -d", `PUT /x -d '{"a":}'`, 17, "a value is missing here: after a colon comes a value"},
		{"unfinished JSON in -d", `PUT /x -d '{"a":1'`, 18, "expected } to close the { at column 12"},
		{"empty -d", `PUT /x -d ''`, 12, "the body is empty"},
		{"body read from a file", `PUT /x -d @body.json`, 11, "reading a body from a file"},
		{"two bodies", `PUT /x {} -d '{}'`, 11, "already has a body"},
		{"text after the body", `PUT /accounts/42 {"balance": 100} {"x":1}`, 35, `{"x":1} is not understood after the body: a body is one JSON value`},
		{"body on GET", `GET /x {}`, 8, "a GET request has no body"},
		{"body on HEAD with -d", `HEAD /x -d '{}'`, 9, "a HEAD request has no body"},
		{"body on TRACE", `TRACE /x 1`, 10, "a TRACE request has no body"},
		{"header without colon", `GET /x -H 'Accept'`, 18, "expected a colon after the header name"},
		{"header name with a space", `GET /x -H 'Bad Name: v'`, 15, "a header name cannot contain a space"},
		{"header with no name", `GET /x -H ': v'`, 12, "expected a header name before the colon"},
		{"header name with a bad character", `GET /x -H 'X(: v'`, 13, `"(" cannot be part of a header name`},
		{"backslash-newline inside double quotes", "GET /x -H \"A: b\\\nc\"", 17, "breaks onto a new line"},
		{"content length is computed", `PUT /x {} -H 'Content-Length: 9'`, 15, "Content-Length is worked out from the body"},
		{"missing header after -H", `GET /x -H`, 10, `expected a header after -H, like -H 'Idempotency-Key: "k1"'`},
		{"other options need curl", `GET /x -F a=b`, 8, "-F is not understood in a request line"},
		{"other options with attached values", `GET /x -Fa=b`, 8, "-F is not understood in a request line"},
		{"long text after the body is clipped", `PUT /x {} abcdefghijklmnopqrstuvwxyz`, 11, "abcdefghijklmnopqrst… is not understood after the body"},
		{"a number that ends too early", `PUT /x -d '1.'`, 14, "the JSON body ends too early"},
		{"repeat zero", `GET /x x0`, 9, "must be at least 1"},
		{"repeat negative", `GET /x x-1`, 9, "must be at least 1"},
		{"repeat over the cap", `GET /x x1000000`, 9, "capped at 1000"},
		{"repeat just over the cap", `GET /x ×1001`, 9, "capped at 1000"},
		{"repeat that overflows", `GET /x x99999999999999999999999999`, 9, "capped at 1000"},
		{"repeat without a number", `GET /x x`, 9, "expected a number after x"},
		{"repeat not whole", `GET /x x3.5`, 10, "whole number"},
		{"repeat not last", `GET /x x3 -H 'A: b'`, 8, "goes at the end of the line"},
		{"invalid UTF-8", "GET /caf\xe9", 9, "not valid UTF-8"},
		{"control character", "GET /x\x07", 7, "control character BEL (U+0007)"},
		{"escape sequence from an arrow key", "GET /x\x1b[A", 7, "control character ESC (U+001B)"},
		{"NUL", "GET\x00 /x", 4, "control character NUL (U+0000)"},
		{"C1 control character", "GET /x\u0085", 7, "control character U+0085"},
		{"DEL", "GET /x\x7f", 7, "control character DEL (U+007F)"},
		{"a line break", "GET /x\n-H 'A: b'", 7, "breaks onto a new line"},
		{"a line break inside quotes", "GET /x -H 'A:\nb'", 14, "breaks onto a new line"},
		{"a line break inside JSON", "PUT /x {\"a\":\n1}", 13, "breaks onto a new line"},
		{"a trailing backslash", `PUT /x {} \`, 11, "the line ends with \\"},
		{"a pipe", `GET /x | jq .`, 8, "shell pipes"},
		{"a very long line", `PUT /x "` + strings.Repeat("a", 70000) + `"`, 65537, "longer than 64 KiB"},
		{"a version copied from the wire", "OPTIONS /flights/AA123 HTTP/1.1", 24, "leave out HTTP/1.1"},
		{"a version before the body", `HEAD /flights/AA123  http/1.0 -H 'A: b'`, 22, "leave out http/1.0: type the request line without its version, like HEAD /flights/AA123"},
	})
}

func TestParseHeaderValueLineBreak(t *testing.T) {
	// In curl form quoted text may span lines; a header value still may not.
	_, err := Parse("curl -H 'A: b\nc' /x")
	var se *SyntaxError
	if !errors.As(err, &se) || se.Col != 14 || !strings.Contains(se.Msg, "cannot contain a line break") {
		t.Fatalf("got %v, want column 14: a header value cannot contain a line break", err)
	}
}

func TestSyntaxErrorNamesTheColumn(t *testing.T) {
	err := error(&SyntaxError{Col: 12, Msg: "expected a path"})
	if got, want := err.Error(), "column 12: expected a path"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

func TestColumnsCountRunesNotBytes(t *testing.T) {
	// "ü" and "×" are two bytes each; the repeat that is not last is the
	// 8th character but starts at byte 9.
	_, err := Parse(`GET /ü ×3 x`)
	var se *SyntaxError
	if !errors.As(err, &se) || se.Col != 8 {
		t.Fatalf("got %v, want column 8 (the repeat that is not last)", err)
	}
}

func TestNewRequestBuildsTheRequest(t *testing.T) {
	r, err := Parse(`POST /customers?x=1 {"name":"Joe"} -H 'Idempotency-Key: "k1"' -H 'Host: example.com'`)
	if err != nil {
		t.Fatal(err)
	}
	req, err := r.NewRequest(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if req.Method != "POST" || req.URL.String() != "http://putpost.local/customers?x=1" || req.URL.RequestURI() != "/customers?x=1" {
		t.Errorf("method %s URL %s, want POST http://putpost.local/customers?x=1", req.Method, req.URL)
	}
	if req.Host != "example.com" || req.Header.Get("Host") != "" {
		t.Errorf("Host %q, header Host %q; want the Host header moved to req.Host", req.Host, req.Header.Get("Host"))
	}
	if got := req.Header.Get("Idempotency-Key"); got != `"k1"` {
		t.Errorf("Idempotency-Key %q", got)
	}
	if got := req.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
	if req.ContentLength != int64(len(`{"name":"Joe"}`)) {
		t.Errorf("ContentLength %d", req.ContentLength)
	}
	body, _ := io.ReadAll(req.Body)
	if string(body) != `{"name":"Joe"}` {
		t.Errorf("body %q", body)
	}
	// The request owns its header: changing it leaves the line alone.
	req.Header.Set("Idempotency-Key", "changed")
	if r.Header.Get("Idempotency-Key") != `"k1"` {
		t.Error("NewRequest shares its header with the Line")
	}
}

func TestNewRequestWithoutBodyHasNoBody(t *testing.T) {
	r, err := Parse(`GET //double/slash`)
	if err != nil {
		t.Fatal(err)
	}
	req, err := r.NewRequest(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if req.Body != nil || req.ContentLength != 0 {
		t.Errorf("body %v length %d, want none", req.Body, req.ContentLength)
	}
	if req.URL.Host != "putpost.local" || req.URL.Path != "//double/slash" {
		t.Errorf("host %q path %q: a path starting // must not become a host", req.URL.Host, req.URL.Path)
	}
}

func TestNewRequestRefusesAnInvalidLine(t *testing.T) {
	for _, r := range []Line{
		{},
		{Method: "G T", Target: "/x"},
		{Method: "GET", Target: "x"},
	} {
		if _, err := r.NewRequest(t.Context()); err == nil {
			t.Errorf("NewRequest(%#v) succeeded, want an error", r)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for _, bc := range []struct{ name, line string }{
		{"get", `GET /flights`},
		{"put", `PUT /accounts/42 {"balance": 100}`},
		{"post-header-repeat", `POST /customers {"name":"Joe","age":"29","city":"ajax"} -H 'Idempotency-Key: "k1"' x3`},
		{"curl", `curl -X PUT http://localhost:8080/accounts/42 -H 'Content-Type: application/json' -d '{"balance":100}'`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(bc.line); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A generated request: the line typed in one of many equivalent ways, and
// the Line it must parse to.
type generatedLine struct {
	line string
	want Line
}

// TestParsedLinesRoundTrip is the property behind String: any request a
// person could type parses to the request they meant, and its String parses
// back to an equal Line.
func TestParsedLinesRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var g generatedLine
		if rapid.Bool().Draw(t, "curl") {
			g = drawCurlLine(t)
		} else {
			g = drawRequestFormLine(t)
		}
		got, err := Parse(g.line)
		if err != nil {
			t.Fatalf("Parse(%q): %v", g.line, err)
		}
		if !reflect.DeepEqual(got, g.want) {
			t.Fatalf("Parse(%q)\n got %#v\nwant %#v", g.line, got, g.want)
		}
		s := got.String()
		again, err := Parse(s)
		if err != nil {
			t.Fatalf("String() = %q does not parse: %v", s, err)
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("String() = %q parses to %#v, want %#v", s, again, got)
		}
		if again.String() != s {
			t.Fatalf("String is not stable: %q then %q", s, again.String())
		}
	})
}

const tokenChars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// drawToken draws an HTTP token that starts with a letter.
func drawToken(t *rapid.T, label string) string {
	first := rapid.StringMatching(`[A-Za-z]`).Draw(t, label+"-first")
	rest := rapid.SliceOfN(rapid.SampledFrom([]byte(tokenChars)), 0, 8).Draw(t, label)
	return first + string(rest)
}

// drawMethod draws a method as typed and as parsed.
func drawMethod(t *rapid.T) (typed, want string) {
	typed = rapid.OneOf(
		rapid.SampledFrom([]string{"GET", "put", "Post", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "frob"}),
		rapid.Custom(func(t *rapid.T) string { return drawToken(t, "method") }),
	).Draw(t, "method")
	if l := strings.ToLower(typed); l == "curl" || l == "curl.exe" {
		typed = "M" + typed
	}
	return typed, typed // method names are case-sensitive: sent as typed
}

// drawTarget draws a path and query that are sent exactly as typed.
func drawTarget(t *rapid.T) string {
	segment := rapid.OneOf(
		rapid.StringMatching(`[A-Za-z0-9._~!$&'()*+,;=:@-]{0,6}`),
		rapid.StringMatching(`%[0-9A-F]{2}`),
	)
	segs := rapid.SliceOfN(segment, 1, 4).Draw(t, "segments")
	target := "/" + strings.Join(segs, "/")
	if rapid.Bool().Draw(t, "query") {
		target += "?" + rapid.StringMatching(`[A-Za-z0-9=&%/?:@!$'()*+,;._~-]{0,12}`).Draw(t, "q")
	}
	return target
}

// drawPrintable draws printable text with no line breaks or control characters.
func drawPrintable(t *rapid.T, label string, max int) string {
	r := rapid.RuneFrom([]rune(" \"'\\$`{}[]:,-x×é\u00a0"), unicode.L, unicode.N, unicode.P, unicode.S)
	return string(rapid.SliceOfN(r, 0, max).Draw(t, label))
}

// drawJSONValue draws a value for encoding/json.
func drawJSONValue(t *rapid.T, depth int) any {
	kinds := 7
	if depth > 2 {
		kinds = 4
	}
	switch rapid.IntRange(0, kinds-1).Draw(t, "kind") {
	case 0:
		return nil
	case 1:
		return rapid.Bool().Draw(t, "bool")
	case 2:
		return float64(rapid.IntRange(-1e6, 1e6).Draw(t, "cents")) / 100
	case 3:
		return drawPrintable(t, "string", 8)
	case 4, 5:
		n := rapid.IntRange(0, 3).Draw(t, "len")
		a := make([]any, n)
		for i := range a {
			a[i] = drawJSONValue(t, depth+1)
		}
		return a
	default:
		n := rapid.IntRange(0, 3).Draw(t, "len")
		m := map[string]any{}
		for range n {
			m[drawPrintable(t, "key", 5)] = drawJSONValue(t, depth+1)
		}
		return m
	}
}

// drawJSON draws a JSON text, compact or spaced out.
func drawJSON(t *rapid.T) string {
	b, err := json.Marshal(drawJSONValue(t, 0))
	if err != nil {
		t.Fatal(err)
	}
	if rapid.Bool().Draw(t, "spaced") {
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", " "); err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(out.Bytes(), []byte("\n"), []byte(" "))
	}
	return string(b)
}

// quoteShellWord writes s as one shell word, in a randomly chosen style.
func quoteShellWord(t *rapid.T, s string) string {
	style := rapid.IntRange(0, 2).Draw(t, "quote")
	if style == 2 && (s == "" || strings.ContainsAny(s, "\r\n")) {
		style = 0
	}
	switch style {
	case 0:
		return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'"
	case 1:
		r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "`", "\\`")
		return `"` + r.Replace(s) + `"`
	}
	var b strings.Builder
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// drawBlank draws what separates two words.
func drawBlank(t *rapid.T) string {
	return rapid.SampledFrom([]string{" ", " ", "  ", "\t", " \\\n  ", "\u00a0"}).Draw(t, "blank")
}

// genOption is one generated option: its text and what it does to the
// request, applied in the order the options end up on the line.
type genOption struct {
	text  string
	apply func(r *Line)
}

// drawHeaders draws -H options.
func drawHeaders(t *rapid.T, curl bool) []genOption {
	var opts []genOption
	for range rapid.IntRange(0, 3).Draw(t, "headers") {
		name := rapid.OneOf(
			rapid.SampledFrom([]string{"Idempotency-Key", "if-match", "Content-Type", "accept", "Prefer"}),
			rapid.Custom(func(t *rapid.T) string { return drawToken(t, "name") }),
		).Draw(t, "name")
		if ck := http.CanonicalHeaderKey(name); ck == "Content-Length" || ck == "Transfer-Encoding" {
			name = "X-" + name
		}
		value := strings.Trim(drawPrintable(t, "value", 10), " \t\u00a0")
		field := name + ":" + rapid.SampledFrom([]string{"", " ", "  "}).Draw(t, "space") + value
		if curl && value == "" {
			field = name + ";"
		}
		key := http.CanonicalHeaderKey(name)
		opts = append(opts, genOption{
			text:  rapid.SampledFrom([]string{"-H", "--header"}).Draw(t, "opt") + drawBlank(t) + quoteShellWord(t, field),
			apply: func(r *Line) { r.Header[key] = append(r.Header[key], value) },
		})
	}
	return opts
}

// applyOptions shuffles options, applies them in their new order and returns
// their text.
func applyOptions(t *rapid.T, r *Line, opts []genOption) []string {
	var words []string
	for _, o := range rapid.Permutation(opts).Draw(t, "order") {
		o.apply(r)
		words = append(words, o.text)
	}
	return words
}

// drawRepeat draws a repeat count and how it is typed ("" for none).
func drawRepeat(t *rapid.T) (int, string) {
	n := rapid.IntRange(1, MaxRepeat).Draw(t, "repeat")
	if n == 1 && rapid.Bool().Draw(t, "no repeat") {
		return 1, ""
	}
	x := rapid.SampledFrom([]string{"x", "X", "×"}).Draw(t, "x")
	return n, x + rapid.SampledFrom([]string{"", "0", "00"}).Draw(t, "zeros") + strconv.Itoa(n)
}

func drawRequestFormLine(t *rapid.T) generatedLine {
	typed, method := drawMethod(t)
	target := drawTarget(t)
	want := Line{Method: method, Target: target, Header: http.Header{}, Repeat: 1}
	words := []string{typed}
	if rapid.Bool().Draw(t, "URL") {
		words = append(words, "http://localhost:8080"+target)
	} else {
		words = append(words, target)
	}
	var opts []genOption
	hasBody := method != "GET" && method != "HEAD" && method != "TRACE" && rapid.Bool().Draw(t, "body")
	if hasBody {
		want.Body = drawJSON(t)
		if rapid.Bool().Draw(t, "-d") {
			opts = append(opts, genOption{rapid.SampledFrom([]string{"-d", "--data", "--data-raw"}).Draw(t, "opt") + drawBlank(t) + quoteShellWord(t, want.Body), func(*Line) {}})
		} else {
			words = append(words, want.Body)
		}
	}
	opts = append(opts, drawHeaders(t, false)...)
	words = append(words, applyOptions(t, &want, opts)...)
	var x string
	want.Repeat, x = drawRepeat(t)
	if x != "" {
		words = append(words, x)
	}
	if _, ok := want.Header["Content-Type"]; hasBody && !ok {
		want.Header["Content-Type"] = []string{want.defaultContentType()}
	}
	return generatedLine{joinWords(t, words), want}
}

func drawCurlLine(t *rapid.T) generatedLine {
	want := Line{Header: http.Header{}, Repeat: 1, Curl: true}
	var opts []genOption
	noop := func(*Line) {}
	explicit := rapid.Bool().Draw(t, "-X")
	if explicit {
		typed, _ := drawMethod(t)
		want.Method = typed // curl sends -X exactly as typed
		opts = append(opts, genOption{rapid.SampledFrom([]string{"-X ", "-X", "--request "}).Draw(t, "opt") + quoteShellWord(t, typed), noop})
	}
	want.Target = drawTarget(t)
	origin := rapid.SampledFrom([]string{"", "http://localhost:8080", "https://example.com:443"}).Draw(t, "origin")
	opts = append(opts, genOption{quoteShellWord(t, origin+want.Target), noop})
	hasData := rapid.Bool().Draw(t, "data")
	if !explicit {
		want.Method = "GET"
		if hasData {
			want.Method = "POST"
		}
	}
	if m := want.Method; m == "GET" || m == "HEAD" || m == "TRACE" {
		hasData = false
	}
	if hasData {
		parts := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) string {
			if rapid.Bool().Draw(t, "json") {
				return drawJSON(t)
			}
			return drawPrintable(t, "data", 12) + rapid.SampledFrom([]string{"", "\n", "\r\n"}).Draw(t, "nl") + drawPrintable(t, "more", 4)
		}), 1, 3).Draw(t, "parts")
		first := true
		for _, part := range parts {
			opt := rapid.SampledFrom([]string{"-d", "--data", "--data-binary", "--data-raw"}).Draw(t, "opt")
			if strings.HasPrefix(part, "@") {
				opt = "--data-raw"
			}
			opts = append(opts, genOption{opt + drawBlank(t) + quoteShellWord(t, part), func(r *Line) {
				if !first {
					r.Body += "&"
				}
				r.Body += part
				first = false
			}})
		}
	}
	opts = append(opts, drawHeaders(t, true)...)
	if rapid.Bool().Draw(t, "flags") {
		opts = append(opts, genOption{rapid.SampledFrom([]string{"-s", "-sS", "-i", "-v", "--silent", "--fail"}).Draw(t, "flag"), noop})
	}
	words := append([]string{"curl"}, applyOptions(t, &want, opts)...)
	var x string
	want.Repeat, x = drawRepeat(t)
	if x != "" {
		words = append(words, x)
	}
	if _, ok := want.Header["Content-Type"]; hasData && !ok {
		want.Header["Content-Type"] = []string{contentTypeForm}
	}
	return generatedLine{joinWords(t, words), want}
}

func joinWords(t *rapid.T, words []string) string {
	var b strings.Builder
	b.WriteString(rapid.SampledFrom([]string{"", " "}).Draw(t, "lead"))
	for i, w := range words {
		if i > 0 {
			b.WriteString(drawBlank(t))
		}
		b.WriteString(w)
	}
	return b.String()
}
