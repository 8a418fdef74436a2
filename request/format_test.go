package request

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// sameRequest reports whether a and b send the same request.
func sameRequest(a, b Line) bool { return a.Equal(b) }

var (
	genSegment = rapid.StringMatching(`[a-zA-Z0-9_.~-]{1,8}|\.\.|\.|%20|\[1\]|it's|caf%C3%A9`)
	genValue   = rapid.StringMatching(`|[!-~]|[!-~][ -~]{0,12}[!-~]`)
	genHeader  = rapid.SampledFrom([]string{"Idempotency-Key", "If-Match", "If-None-Match", "Accept", "X-Note", "Prefer", "Content-Type"})
)

// genTarget draws a path of a few segments and maybe a query.
func genTarget(t *rapid.T) string {
	segs := rapid.SliceOfN(genSegment, 1, 4).Draw(t, "segments")
	target := "/" + strings.Join(segs, "/")
	if rapid.Bool().Draw(t, "query") {
		target += "?" + rapid.StringMatching(`[a-z]{1,4}=[a-z0-9%]{0,4}(&[a-z]=[0-9])?`).Draw(t, "q")
	}
	return target
}

// genHeaders draws a few header fields with canonical names.
func genHeaders(t *rapid.T) http.Header {
	h := http.Header{}
	for range rapid.IntRange(0, 3).Draw(t, "headers") {
		name := genHeader.Draw(t, "name")
		h[name] = append(h[name], genValue.Draw(t, "value"))
	}
	return h
}

// genJSON draws a compact JSON body.
func genJSON(t *rapid.T) string {
	v := map[string]any{
		rapid.StringMatching(`[a-z]{1,6}`).Draw(t, "key"): rapid.OneOf(
			rapid.Just[any](nil), rapid.Map(rapid.IntRange(-5, 500), func(i int) any { return i }),
			rapid.Map(rapid.StringMatching(`[ -~]{0,10}`), func(s string) any { return s })).Draw(t, "value"),
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func noBody(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodTrace
}

func TestRequestLineFormRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := Line{
			Method: rapid.SampledFrom([]string{"GET", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "FROB"}).Draw(t, "method"),
			Target: genTarget(t),
			Header: genHeaders(t),
			Repeat: rapid.IntRange(1, MaxRepeat).Draw(t, "repeat"),
		}
		if !noBody(r.Method) && rapid.Bool().Draw(t, "body") {
			r.Body = genJSON(t)
			if _, ok := r.Header["Content-Type"]; !ok {
				r.Header["Content-Type"] = []string{r.defaultContentType()}
			}
		}
		got, err := Parse(r.String())
		if err != nil {
			t.Fatalf("%q does not parse: %v", r.String(), err)
		}
		if !sameRequest(got, r) || got.Repeat != r.Repeat || got.Curl {
			t.Fatalf("%q parses to %#v, want %#v", r.String(), got, r)
		}
	})
}

// genAnyLine draws a request any of the curl and .http forms can carry:
// methods as typed, and bodies that need not be JSON.
func genAnyLine(t *rapid.T) Line {
	r := Line{
		Method: rapid.SampledFrom([]string{"GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS", "FROB", "get", "M%X"}).Draw(t, "method"),
		Target: genTarget(t),
		Header: genHeaders(t),
		Repeat: 1,
		Curl:   true,
	}
	if r.Method == "OPTIONS" && rapid.IntRange(0, 4).Draw(t, "asterisk") == 0 {
		r.Target = "*"
	}
	if !noBody(r.Method) && rapid.Bool().Draw(t, "body") {
		r.Body = rapid.OneOf(rapid.Just(genJSON(t)), rapid.StringMatching(`[ -~]([ -~\n]{0,30}[!-~])?`)).Draw(t, "text")
	}
	if r.Body != "" {
		if _, ok := r.Header["Content-Type"]; !ok && rapid.Bool().Draw(t, "default type") {
			r.Header["Content-Type"] = []string{contentTypeForm} // what curl adds
		}
	}
	return r
}

func TestCurlCommandRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genAnyLine(t)
		base := rapid.SampledFrom([]string{DefaultBase, "http://localhost:9999/", "https://example.com"}).Draw(t, "base")
		cmd := r.CurlCommand(base)
		got, err := Parse(cmd)
		if err != nil {
			t.Fatalf("%q does not parse: %v", cmd, err)
		}
		if !sameRequest(got, r) || got.Repeat != 1 || !got.Curl {
			t.Fatalf("%q parses to %#v, want %#v", cmd, got, r)
		}
		// The canonical curl form of the language agrees.
		if again, err := Parse(got.String()); err != nil || !sameRequest(again, r) {
			t.Fatalf("String %q parses to %#v, %v", got.String(), again, err)
		}
		// So does the request-line form, when it can carry the request.
		if line, ok := r.RequestLine(); ok {
			if again, err := Parse(line); err != nil || !sameRequest(again, r) || again.Curl {
				t.Fatalf("RequestLine %q parses to %#v, %v", line, again, err)
			}
		}
	})
}

func TestHTTPFileRoundTrips(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lines := rapid.SliceOfN(rapid.Custom(genAnyLine), 0, 4).Draw(t, "requests")
		for i := range lines {
			if HTTPProblem(lines[i]) != "" {
				lines[i] = Line{Method: "GET", Target: "/accounts/42", Header: http.Header{}, Repeat: 1, Curl: true}
			}
			lines[i].Repeat = rapid.IntRange(1, 3).Draw(t, "repeat")
		}
		var b strings.Builder
		if err := WriteHTTP(&b, lines, "", "exported for a test\nsecond line"); err != nil {
			t.Fatal(err)
		}
		got, err := ParseHTTP(b.String())
		if err != nil {
			t.Fatalf("the file does not parse: %v\n%s", err, b.String())
		}
		var want []Line
		for _, r := range lines {
			for range r.Repeat {
				want = append(want, r)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%d requests read back, want %d:\n%s", len(got), len(want), b.String())
		}
		for i := range got {
			if !sameRequest(got[i], want[i]) || got[i].Repeat != 1 {
				t.Fatalf("request %d reads back as %#v, want %#v:\n%s", i+1, got[i], want[i], b.String())
			}
		}
	})
}

func TestHTTPFileIsWhatTheClientsRead(t *testing.T) {
	r, err := Parse(`PUT /accounts/42 {"balance": 100} -H 'Idempotency-Key: "k1"'`)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteHTTP(&b, []Line{r, {Method: "GET", Target: "/accounts/42", Header: http.Header{}, Repeat: 1}}, "http://localhost:9000/"); err != nil {
		t.Fatal(err)
	}
	want := `@base = http://localhost:9000

### 1
PUT {{base}}/accounts/42
Content-Type: application/json
Idempotency-Key: "k1"

{"balance": 100}

### 2
GET {{base}}/accounts/42
`
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteHTTPRefusesWhatTheFormatCannotCarry(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    Line
		why  string
	}{
		{"asterisk", Line{Method: "OPTIONS", Target: "*"}, "OPTIONS *"},
		{"variable in body", Line{Method: "POST", Target: "/x", Body: `{"a":"{{b}}"}`}, "variable"},
		{"separator in body", Line{Method: "POST", Target: "/x", Body: "a\n### b"}, "###"},
		{"file include", Line{Method: "POST", Target: "/x", Body: "< body.json"}, "file"},
		{"trailing newline", Line{Method: "POST", Target: "/x", Body: "a\n"}, "blank line"},
		{"variable in header", Line{Method: "GET", Target: "/x", Header: http.Header{"X-A": {"{{b}}"}}}, "X-A header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			err := WriteHTTP(&b, []Line{{Method: "GET", Target: "/ok"}, tc.r}, "")
			if err == nil || !strings.Contains(err.Error(), tc.why) || !strings.Contains(err.Error(), "request 2") || !strings.Contains(err.Error(), ".sh") {
				t.Fatalf("error %v, want one naming request 2, %q and .sh", err, tc.why)
			}
			if b.Len() != 0 {
				t.Fatalf("wrote %q after an error", b.String())
			}
		})
	}
}

func TestParseHTTPReadsWhatPeopleWrite(t *testing.T) {
	text := "# a file written by hand\r\n" +
		"@host = localhost:8080\n" +
		"@base = http://{{host}}\n" +
		"\n" +
		"### create Joe\n" +
		"POST {{base}}/customers HTTP/1.1\n" +
		"// a comment between headers\n" +
		"content-type: application/json\n" +
		"Idempotency-Key:   \"k1\"  \n" +
		"\n" +
		"{\n  \"name\": \"Joe\"\n}\n" +
		"\n\n" +
		"###\n" +
		"DELETE http://example.com/flights/AC789\n"
	got, err := ParseHTTP(text)
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{Method: "POST", Target: "/customers", Header: http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {`"k1"`}}, Body: "{\n  \"name\": \"Joe\"\n}", Repeat: 1, Curl: true},
		{Method: "DELETE", Target: "/flights/AC789", Header: http.Header{}, Repeat: 1, Curl: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v\nwant %#v", got, want)
	}
}

func TestParseHTTPErrorsNameLineAndColumn(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line, col  int
		msg        string
	}{
		{"undefined variable", "GET {{base}}/x\n", 1, 5, "{{base}} is not defined"},
		{"unclosed variable", "@base = http://h\nGET {{base/x\n", 2, 5, "never closed"},
		{"space in URL", "@b = http://h\nGET {{b}}/a b\n", 2, 13, "a URL has no spaces"},
		{"bad method", "G(T /x\n", 1, 2, `"(" cannot be part of a method`},
		{"no URL", "###\nGET\n", 2, 1, "expected a method and a URL"},
		{"bad path", "GET accounts\n", 1, 5, "expected a path starting with /"},
		{"header without colon", "GET /x\nAccept json\n", 2, 12, "expected a header like Name: value"},
		{"bad header name", "GET /x\nX Note: a\n", 2, 2, "cannot be part of a header name"},
		{"content length", "PUT /x\nContent-Length: 3\n\nabc\n", 2, 1, "worked out from the body"},
		{"body on GET", "GET /x\nAccept: a\n\n{}\n", 4, 1, "a GET request has no body"},
		{"file include", "POST /x\n\n< ./body.json\n", 3, 1, "from a file"},
		{"response handler", "POST /x\n\n{}\n> {% client.test() %}\n", 4, 1, "response handlers"},
		{"control character", "GET /x\nX-A: a\x01b\n", 2, 7, "control character"},
		{"bad variable", "@a b = 1\n", 1, 3, "cannot be part of a variable name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseHTTP(tc.text)
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line != tc.line || se.Col != tc.col || !strings.Contains(se.Msg, tc.msg) {
				t.Fatalf("error %v (%#v), want line %d, column %d: …%s…", err, se, tc.line, tc.col, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "line ") {
				t.Fatalf("error %q does not start with the line", err)
			}
		})
	}
}

func TestRequestLineSaysWhenTheFormCannotCarryTheRequest(t *testing.T) {
	for _, tc := range []struct {
		in   Line
		want string
		ok   bool
	}{
		{Line{Method: "PUT", Target: "/a", Header: http.Header{"Content-Type": {"application/json"}}, Body: `{"b":1}`, Repeat: 2, Curl: true}, `PUT /a {"b":1} x2`, true},
		{Line{Method: "POST", Target: "/a", Header: http.Header{"Content-Type": {"text/plain"}}, Body: `{}`, Curl: true}, `POST /a {} -H 'Content-Type: text/plain'`, true},
		{Line{Method: "POST", Target: "/a", Body: `{}`, Curl: true}, "", false},                                                                  // the form adds a Content-Type
		{Line{Method: "POST", Target: "/a", Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: "a=1"}, "", false}, // not JSON
		{Line{Method: "get", Target: "/a"}, "get /a", true},                                                                                      // sent as typed in both forms
	} {
		got, ok := tc.in.RequestLine()
		if got != tc.want || ok != tc.ok {
			t.Errorf("%#v: got %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCurlCommandCopesWithWhatCurlWouldRewrite(t *testing.T) {
	for _, tc := range []struct {
		line, want string
	}{
		{`HEAD /accounts/42`, `curl -i -I http://127.0.0.1:8080/accounts/42`},
		{`OPTIONS *`, `curl -i -X OPTIONS --request-target '*' http://127.0.0.1:8080/`},
		{`GET /a/../b`, `curl -i --path-as-is http://127.0.0.1:8080/a/../b`},
		{`GET /flights/[1]`, `curl -i -g 'http://127.0.0.1:8080/flights/[1]'`},
		{`curl -d 'a b' /x -H 'Content-Type:'`, `curl -i -X POST http://127.0.0.1:8080/x -H 'Content-Type:' --data-raw 'a b'`},
		{`PUT /accounts/42 {"balance": 100}`, `curl -i -X PUT http://127.0.0.1:8080/accounts/42 -H 'Content-Type: application/json' --data-raw '{"balance": 100}'`},
	} {
		r, err := Parse(tc.line)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.CurlCommand(DefaultBase + "/"); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.line, got, tc.want)
		}
	}
}

// FuzzParseHTTP: any text either parses into valid requests that write back
// to a file reading the same, or fails with a line and a column inside it.
func FuzzParseHTTP(f *testing.F) {
	f.Add("@base = http://127.0.0.1:8080\n\n### 1\nPUT {{base}}/accounts/42\nContent-Type: application/json\n\n{\"balance\": 100}\n")
	f.Add("GET /x HTTP/1.1\nAccept: */*\n###\nPOST http://h/y\n\na\n\n")
	f.Add("@a = {{b}}\n")
	f.Add("OPTIONS *\n")
	f.Fuzz(func(t *testing.T, text string) {
		lines, err := ParseHTTP(text)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Msg == "" {
				t.Fatalf("ParseHTTP(%q): error %T %v, want *SyntaxError", text, err, err)
			}
			rows := strings.Split(text, "\n")
			if se.Line < 1 || se.Line > len(rows) || se.Col < 1 || se.Col > utf8.RuneCountInString(rows[se.Line-1])+1 {
				t.Fatalf("ParseHTTP(%q): error outside the text: %v", text, err)
			}
			return
		}
		for _, r := range lines {
			checkValidLine(t, text, r)
		}
		var b strings.Builder
		if err := WriteHTTP(&b, lines, ""); err != nil {
			return // a request the format reads but cannot write exactly
		}
		again, err := ParseHTTP(b.String())
		if err != nil || len(again) != len(lines) {
			t.Fatalf("ParseHTTP(%q) = %#v, written as\n%s\nreads back as %#v, %v", text, lines, b.String(), again, err)
		}
		for i := range lines {
			if !sameRequest(again[i], lines[i]) {
				t.Fatalf("request %d of %q changes on writing: %#v → %#v", i+1, text, lines[i], again[i])
			}
		}
	})
}
