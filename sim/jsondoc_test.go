package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// slowCanonical is the general path readDoc takes: decode, then encode.
func slowCanonical(body []byte) ([]byte, bool) {
	v, err := decodeJSONValue(body)
	if err != nil {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	c, err := canonicalJSON(m)
	return c, err == nil
}

// drawJSONText draws JSON-like text: mostly valid, with whitespace, unsorted
// and duplicate names, escapes, odd numbers and some garbage.
func drawJSONText(t *rapid.T, depth int) string {
	ws := func() string { return rapid.SampledFrom([]string{"", "", "", " ", "\n", "\t ", "\r\n"}).Draw(t, "ws") }
	str := func() string {
		return `"` + rapid.SampledFrom([]string{"a", "b", "ab", "a!", "", "é", "x y", `\n`, `\u0041`, "\u2028", "<&>", "\x7f", `\"`, "B", "a\x01", "\xff"}).Draw(t, "s") + `"`
	}
	kind := rapid.IntRange(0, 9).Draw(t, "kind")
	if depth > 3 && kind < 4 {
		kind = 5
	}
	switch kind {
	case 0, 1, 2:
		n := rapid.IntRange(0, 4).Draw(t, "members")
		parts := make([]string, n)
		for i := range parts {
			parts[i] = ws() + str() + ws() + ":" + drawJSONText(t, depth+1) + ws()
		}
		return ws() + "{" + strings.Join(parts, ",") + ws() + "}" + ws()
	case 3:
		n := rapid.IntRange(0, 3).Draw(t, "elems")
		parts := make([]string, n)
		for i := range parts {
			parts[i] = drawJSONText(t, depth+1)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case 4, 5:
		return ws() + rapid.SampledFrom([]string{"0", "-0", "1", "80.00", "1e5", "1E+5", "-1.5e-3", "01", "1.", ".5", "-", "1e", "123456789012345678901234567890", "+1"}).Draw(t, "num") + ws()
	case 6:
		return str()
	case 7:
		return rapid.SampledFrom([]string{"true", "false", "null", "tru", "nul", "True"}).Draw(t, "lit")
	case 8:
		return rapid.SampledFrom([]string{"", "}", ",", ":", "{", "]"}).Draw(t, "junk")
	}
	return `{"balance":100}`
}

// The fast paths must give byte for byte what decoding and encoding gives:
// stored bytes and ETags depend on it.
func TestFastCanonicalJSONMatchesTheGeneralPath(t *testing.T) {
	check := func(t testHelper, body []byte) {
		slow, slowOK := slowCanonical(body)
		if isCanonicalObject(body) && (!slowOK || !bytes.Equal(slow, body)) {
			t.Fatalf("isCanonicalObject(%q) but the general path gives %q (%v)", body, slow, slowOK)
		}
		if fast, ok := canonicalObject(body); ok && (!slowOK || !bytes.Equal(slow, fast)) {
			t.Fatalf("canonicalObject(%q) = %q, the general path gives %q (%v)", body, fast, slow, slowOK)
		}
	}
	for _, s := range []string{
		`{"balance":80.00}`, `{"balance":100}`, `{"balance": 100}`, `{"name":"Joe","age":"29","city":"ajax"}`,
		`{"a":1,"a":2}`, `{"a!":1,"a":2}`, `{"b":{"d":1,"c":[1,{"z":0,"y":null}]},"a":true}`, ` {"x":"\u00e9"} `,
		`{"x":"<&>"}`, `{"x":1}x`, `{"x":01}`, `{}`, `[]`, `"s"`,
	} {
		check(t, []byte(s))
	}
	rapid.Check(t, func(t *rapid.T) {
		check(t, []byte(drawJSONText(t, 0)))
	})
	// The ETags lesson 11 relies on.
	if e := etagOf([]byte(`{"balance":80.00}`)); e != `"8370641f88bfaead"` {
		t.Fatalf("etag %s", e)
	}
	if e := etagOf([]byte(`{"balance":100}`)); e != `"219c78f0a3970b12"` {
		t.Fatalf("etag %s", e)
	}
}

func TestFastPathsAreTaken(t *testing.T) {
	if !isCanonicalObject([]byte(`{"balance":100}`)) {
		t.Error("canonical body not recognised")
	}
	if c, ok := canonicalObject([]byte(`{"name":"Joe","age":"29","city":"ajax"}`)); !ok || string(c) != `{"age":"29","city":"ajax","name":"Joe"}` {
		t.Errorf("%q %v", c, ok)
	}
}

func TestHTTPDateMatchesTimeFormat(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tm := time.Unix(rapid.Int64Range(-70000000000, 300000000000).Draw(t, "unix"), 0).In(time.FixedZone("x", 3600*rapid.IntRange(-12, 12).Draw(t, "zone")))
		if got, want := httpDate(tm), tm.UTC().Format(http.TimeFormat); got != want {
			t.Fatalf("httpDate(%v) = %q, want %q", tm, got, want)
		}
	})
}

func TestExplainJSONSaysWhatIsWrongInPlainWords(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{'balance': 100}`, `a JSON string needs double quotes, not single ones: {"balance": 100}`},
		{`{balance: 100}`, `a name in a JSON object needs double quotes: {"balance": 100}`},
		{`{"balance": 100,}`, `remove the last comma: {"balance": 100}`},
		{`{"balance" 100}`, "a colon goes between a name and its value"},
		{`{"balance": }`, "a value is missing here"},
		{`{"status": ontime}`, "text needs double quotes in JSON"},
		{`{"a": 1} x`, "there is more after the JSON value"},
		{`{"a": [1, 2}`, "] ends the list"},
		{`{"a": 1`, "the JSON ends too early: an object is not closed"},
		{`{"a": "b`, "the JSON ends too early: a string is not closed"},
		{`{“a”: 1}`, `straight double quotes`},
		{`{"a": 01}`, "object"},
		{`  `, "the body is empty"},
	} {
		_, msg, ok := ExplainJSON([]byte(tc.body))
		if ok || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: %q, want it to say %q", tc.body, msg, tc.want)
		}
		if strings.Contains(msg, "invalid character") || strings.Contains(msg, "looking for") {
			t.Errorf("%s: Go's decoder words leaked: %q", tc.body, msg)
		}
	}
	if _, _, ok := ExplainJSON([]byte(`{"a":1}`)); !ok {
		t.Error("valid JSON explained as broken")
	}
}

func FuzzExplainJSON(f *testing.F) {
	for _, s := range []string{`{'a':1}`, `{a:1}`, `{"a":1,}`, `[1,2`, `"x`, `{"a" 1}`, "\xff", "\ufeff{}", "{\"a\":\"\x1b\"}", " \ufeff", strings.Repeat("[", 10001)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		at, msg, ok := ExplainJSON(body)
		if ok != json.Valid(body) {
			t.Fatalf("ok = %v for %q", ok, body)
		}
		if !ok && (msg == "" || at < 0 || at > len(body)) {
			t.Fatalf("%q: at %d, %q", body, at, msg)
		}
	})
}
