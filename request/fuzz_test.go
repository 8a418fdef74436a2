package request

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary lines to the parser: it must never
// panic, every error must be a *SyntaxError with a column inside the line,
// and every line it accepts must be a valid request whose String parses back
// to the same Line.
func FuzzParse(f *testing.F) {
	for _, seed := range requestLineSeeds {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, err := Parse(line)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T %v, want *SyntaxError", line, err, err)
			}
			if se.Col < 1 || se.Col > utf8.RuneCountInString(line)+1 {
				t.Fatalf("Parse(%q) error column %d outside the line: %v", line, se.Col, err)
			}
			if se.Msg == "" {
				t.Fatalf("Parse(%q) error with no message", line)
			}
			return
		}
		checkValidLine(t, line, r)
		again, err := Parse(r.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %#v\nbut its String %q does not parse: %v", line, r, r.String(), err)
		}
		if !reflect.DeepEqual(again, r) {
			t.Fatalf("Parse(%q) = %#v\nString %q parses to %#v", line, r, r.String(), again)
		}
	})
}

// checkValidLine asserts what every parsed request line guarantees.
func checkValidLine(t *testing.T, line string, r Line) {
	t.Helper()
	if r.Method == "" || badTchar(r.Method) >= 0 {
		t.Fatalf("Parse(%q): method %q is not a token", line, r.Method)
	}
	if !r.Curl && !strings.Contains(line, r.Method) { // methods are sent as typed
		t.Fatalf("Parse(%q): method %q is not the one typed", line, r.Method)
	}
	if !strings.HasPrefix(r.Target, "/") && (r.Target != "*" || r.Method != "OPTIONS") {
		t.Fatalf("Parse(%q): target %q does not start with /", line, r.Target)
	}
	if r.Repeat < 1 || r.Repeat > MaxRepeat {
		t.Fatalf("Parse(%q): repeat %d outside 1..%d", line, r.Repeat, MaxRepeat)
	}
	if r.Header == nil {
		t.Fatalf("Parse(%q): nil Header", line)
	}
	switch r.Method {
	case "GET", "HEAD", "TRACE":
		if r.Body != "" {
			t.Fatalf("Parse(%q): %s with body %q", line, r.Method, r.Body)
		}
	}
	if _, err := r.NewRequest(t.Context()); err != nil {
		t.Fatalf("Parse(%q) = %#v, but NewRequest fails: %v", line, r, err)
	}
}

// requestLineSeeds are lines good and bad, in both forms.
var requestLineSeeds = []string{
	``,
	`GET /flights`,
	`PUT /accounts/42 {"balance": 100}`,
	`POST /customers {"name":"Joe"} -H 'Idempotency-Key: "k1"' x3`,
	`DELETE /flights/AC789 x2`,
	`PATCH /accounts/42 {"balance":1} ×5`,
	`frob /customers`,
	`POST /customers -d '{"name": "Jo e"}' -H "X-A: it's"`,
	`PUT /x [1, {"a": [true, null, "}"]}, -2.5e3]`,
	`PUT /x "a \" string" x2`,
	`GET http://localhost:8080/flights?status=late#top`,
	`GET /caf%C3%A9?q=a%20b`,
	`curl -X PUT http://localhost:8080/accounts/42 -H 'Content-Type: application/json' -d '{"balance":100}'`,
	`curl -d 'a=1' -d 'b=2' localhost:8080/customers`,
	`curl --json '{"a":1}' https://example.com/x?y=1#frag`,
	`curl -sSi -XPOST /customers -H'Content-Type:' -d hello x4`,
	`curl -G -d 'q=a b' http://localhost/flights`,
	`curl -I /flights`,
	"curl -X POST \\\n  http://localhost:8080/payments \\\n  -H 'Idempotency-Key: \"k1\"' \\\n  --data-raw '{\"amount\":\n 5}'",
	`$ curl /flights`,
	`curl -A 'me/1' -H 'X-Empty;' "/a?b=\"c\"" x1000`,
	`GET accounts/42`,
	`GET`,
	`PUT /x {"a":`,
	`PUT /x {"a":[1}`,
	`PUT /x hello`,
	`GET /x {}`,
	`GET /x -H 'Accept'`,
	`GET /x x0`,
	`GET /x x-1`,
	`GET /x x1000000`,
	`curl -F a=b /x`,
	`PUT /x -H 'A: b`,
	"GET /x\x07",
	"GET /\xff",
	`PUT /x -d @file.json`,
	`PUT /x {} \`,
}
