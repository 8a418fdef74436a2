package sim

import (
	"net/http"
	"strings"
	"testing"
)

// The server's 400 names the real cause of what it refuses, never a
// neighbouring one: the nesting limit, a byte order mark, which control
// character, and which character of an Idempotency-Key.
func TestJSONAndKeyErrorsNameTheRealCause(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"too deep", strings.Repeat("[", 10001) + strings.Repeat("]", 10001), "nests more than 10000 levels deep here ({…} and […] inside one another), the most this server reads: nest less (line 1, column 10001)"},
		{"a BOM at the start", "\ufeff" + `{"balance":1}`, "the body starts with a byte order mark (U+FEFF, the bytes EF BB BF), which JSON sent over a network must not have (RFC 8259 §8.1)"},
		{"ESC in a string", "{\"balance\":1,\"note\":\"a\x1b[31mb\"}", `a JSON string cannot hold the control character ESC (U+001B) as it is: write it as \u001b, or delete it (line 1, column 23)`},
		{"NUL in a string", "{\"note\":\"\x00\"}", "the control character NUL (U+0000)"},
		{"a line break still says so", "{\"note\":\"a\nb\"}", `cannot hold a line break or tab as it is: write \n or \t`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := sendTo(t, New(Options{}), "PUT", "/accounts/42", tc.body)
			if w.Code != http.StatusBadRequest || !strings.Contains(errorSentence(t, w.Result()), tc.want) {
				t.Fatalf("%d %s\nwant 400 saying %s", w.Code, w.Body, tc.want)
			}
		})
	}
	for _, tc := range []struct{ key, want string }{
		{"\"k\u00e9y\"", "character 2 inside the quotes is é (U+00E9)"},
		{"\"ab\u202ec\"", "character 3 inside the quotes is U+202E"},
		{"\"a\x1bb\"", "character 2 inside the quotes is ESC (U+001B)"},
		{"\"ab\xff\"", "character 3 inside the quotes is the byte 0xff, which is not UTF-8 text"},
	} {
		w := sendTo(t, New(Options{}), "POST", "/payments", `{"amount":1}`, "Idempotency-Key: "+tc.key)
		if w.Code != http.StatusBadRequest || !strings.Contains(errorSentence(t, w.Result()), tc.want) {
			t.Errorf("key %q: %d %s\nwant 400 saying %s", tc.key, w.Code, w.Body, tc.want)
		}
	}
}
