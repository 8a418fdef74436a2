package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/putpost/putpost/termsafe"
)

func TestSummaryLines(t *testing.T) {
	s := New(Options{})
	c := s.Client(SourceComposer)
	do := func(method, target, body string, headers ...string) string {
		t.Helper()
		resp, err := c.Do(clientRequest(t, method, target, body, headers...))
		if err == nil {
			resp.Body.Close()
		}
		ev := s.EventsSince(s.LastSeq() - 1)
		return ev[0].Summary()
	}
	tests := []struct{ got, want string }{
		{do("PUT", "/accounts/42", `{"balance":100}`, "Prefer: return=minimal"), "204 No Content — /accounts/42 balance 80.00 → 100"},
		{do("PUT", "/accounts/42", `{"balance":100}`), "200 OK — /accounts/42 unchanged"},
		{do("GET", "/accounts/42", ""), "200 OK — no change"},
		{do("POST", "/accounts/42/interest", `{"rate":0.10}`), "201 Created — /accounts/42 balance 100 → 110.00; created /accounts/42/transactions/1"},
		{do("PATCH", "/flights/AA123", `{"gate":"b12","status":null}`, "Content-Type: application/merge-patch+json"), `200 OK — /flights/AA123 gate "a7" → "b12", status "delayed" → (none)`},
		{do("DELETE", "/flights/AA123", ""), "204 No Content — deleted /flights/AA123"},
		{do("POST", "/payments", `{"amount":5}`, `Idempotency-Key: "k"`), "201 Created — created /payments/1"},
		{do("POST", "/payments", `{"amount":5}`, `Idempotency-Key: "k"`), "201 Created, replayed — no change"},
	}
	c.SetFaults(FaultSettings{LoseResponses: true})
	tests = append(tests, struct{ got, want string }{do("POST", "/customers", `{"name":"Joe"}`), "201 Created, response lost — created /customers/1"})
	c.SetFaults(FaultSettings{DropRequests: true})
	tests = append(tests, struct{ got, want string }{do("POST", "/customers", `{"name":"Joe"}`), "request dropped before it reached the server — no change"})
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got  %q\nwant %q", tt.got, tt.want)
		}
	}
}

func TestSummaryShortensManyChanges(t *testing.T) {
	e := Event{Kind: KindReset, Changes: []Change{
		{Path: "/a/1", After: []byte(`{}`)}, {Path: "/a/2", After: []byte(`{}`)},
		{Path: "/a/3", After: []byte(`{}`)}, {Path: "/a/4", After: []byte(`{}`)},
	}}
	if got := e.Summary(); got != "reset — created /a/1; created /a/2; created /a/3; and 1 more" {
		t.Fatalf("%q", got)
	}
	e = Event{Kind: KindExchange, Response: Message{Status: 200}, Changes: []Change{
		{Path: "/a/1", Before: []byte(`{"a":1,"b":1,"c":1,"d":1,"e":1}`), After: []byte(`{"a":2,"b":2,"c":2,"d":2,"e":1}`)},
		{Path: "/a/2", Before: []byte(`{"a":1}`), After: []byte(`{"a":1}`)},
		{Path: "/a/3", Before: []byte(`{"a":1.0}`), After: []byte(`{"a":1}`)},
	}}
	if got, want := e.Summary(), "200 OK — /a/1 a 1 → 2, b 1 → 2, c 1 → 2, 1 more fields; /a/2 unchanged; /a/3 a 1.0, now written 1"; got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestFieldChanges(t *testing.T) {
	got := FieldChanges([]byte(`{"gate":"a7","status":"delayed","n":1}`), []byte(`{"status":"ontime","n":1.0,"crew":["a"]}`))
	want := []FieldChange{
		{Field: "crew", Before: "", After: `["a"]`},
		{Field: "gate", Before: `"a7"`, After: ""},
		{Field: "n", Before: "1", After: "1.0"},
		{Field: "status", Before: `"delayed"`, After: `"ontime"`},
	}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%+v, want %+v", got[i], want[i])
		}
	}
	if fc := FieldChanges(nil, []byte(`{"a":1}`)); len(fc) != 1 || fc[0].Before != "" {
		t.Fatalf("created: %+v", fc)
	}
	if fc := FieldChanges([]byte(`[1]`), []byte(`[2]`)); len(fc) != 1 || fc[0].Field != "" {
		t.Fatalf("not objects: %+v", fc)
	}
	if fc := FieldChanges([]byte(`{"a": 1}`), []byte(`{"a":1}`)); len(fc) != 0 {
		t.Fatalf("formatting is not a change: %+v", fc)
	}
}

func TestWirePrintsHTTP11(t *testing.T) {
	s := New(Options{})
	c := s.Client(SourceComposer)
	resp, _ := c.Do(clientRequest(t, "PUT", "/accounts/42?x=1", `{"balance":100}`))
	resp.Body.Close()
	e := s.EventsSince(0)[0]
	wantReq := "PUT /accounts/42?x=1 HTTP/1.1\nHost: putpost.local\nContent-Type: application/json\nContent-Length: 15\n\n{\"balance\":100}"
	if got := e.Request.Wire(true); got != wantReq {
		t.Errorf("request:\n%s\nwant:\n%s", got, wantReq)
	}
	wantResp := "HTTP/1.1 200 OK\nContent-Length: 15\nContent-Location: /accounts/42\nContent-Type: application/json\nDate: Thu, 01 Jan 2026 09:00:00 GMT\nETag: " + etagAt(t, s, "/accounts/42") + "\n\n{\"balance\":100}"
	if got := e.Response.Wire(false); got != wantResp {
		t.Errorf("response:\n%s\nwant:\n%s", got, wantResp)
	}
}

func TestWireEscapesTerminalControls(t *testing.T) {
	m := Message{Status: 200, Header: http.Header{"X": {"a\x1b[2Jb"}}, Body: []byte("line\n\x1b]0;pwned\x07\xff")}
	got := m.Wire(false)
	if strings.ContainsAny(got, "\x1b\x07") || !strings.Contains(got, `\x1b`) || !strings.Contains(got, `\xff`) || !strings.Contains(got, "line\n") {
		t.Fatalf("%q", got)
	}
}

// A tab in a body is shown as four spaces: raw, it would move a terminal's
// cursor past the box the wire view draws it in.
func TestWireShowsABodysTabsAsSpaces(t *testing.T) {
	m := Message{Status: 200, Body: []byte("{\n\t\"a\":1\n}")}
	if got := m.Wire(false); strings.Contains(got, "\t") || !strings.Contains(got, "\n    \"a\":1\n") {
		t.Fatalf("%q", got)
	}
}

// TestAChangeShowsNumbersAsStoredAndARewriteIsNoChangeOfValue: a summary
// shows values as the server stored them, so "80.00 → 100" agrees with the
// body {"balance":100} a GET returns; a number rewritten with its value
// unchanged (100 to 100.00) does not read as a change.
func TestAChangeShowsNumbersAsStoredAndARewriteIsNoChangeOfValue(t *testing.T) {
	for _, c := range []struct{ before, after, want string }{
		{`{"balance":80.00}`, `{"balance":100}`, "200 OK — /accounts/42 balance 80.00 → 100"},
		{`{"balance":100}`, `{"balance":100.00}`, "200 OK — /accounts/42 balance 100, now written 100.00"},
		{`{"balance":100.00}`, `{"balance":1e2}`, "200 OK — /accounts/42 balance 100.00, now written 1e2"},
		{`{"balance":55.555}`, `{"balance":"55.555"}`, `200 OK — /accounts/42 balance 55.555 → "55.555"`},
	} {
		e := Event{Kind: KindExchange, Response: Message{Status: http.StatusOK},
			Changes: []Change{{Path: "/accounts/42", Before: []byte(c.before), After: []byte(c.after)}}}
		if got := e.Summary(); got != c.want {
			t.Errorf("%s to %s:\ngot  %q\nwant %q", c.before, c.after, got, c.want)
		}
	}
}

// fieldChangesByMaps is FieldChanges as it was first written, decoding both
// objects into maps: the reference the scanner must agree with.
func fieldChangesByMaps(before, after []byte) []FieldChange {
	fields := func(body []byte) (map[string]string, bool) {
		if len(bytes.TrimSpace(body)) == 0 {
			return map[string]string{}, true
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
			return nil, false
		}
		out := make(map[string]string, len(raw))
		for k, v := range raw {
			var buf bytes.Buffer
			if json.Compact(&buf, v) != nil {
				out[k] = string(v)
			} else {
				out[k] = buf.String()
			}
		}
		return out, true
	}
	compact := func(v []byte) string {
		var buf bytes.Buffer
		if json.Compact(&buf, v) != nil {
			return string(v)
		}
		return buf.String()
	}
	b, bok := fields(before)
	a, aok := fields(after)
	if !bok || !aok {
		bs, as := compact(before), compact(after)
		if bs == as {
			return nil
		}
		return []FieldChange{{Before: bs, After: as}}
	}
	var names []string
	for k := range b {
		names = append(names, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var out []FieldChange
	for _, k := range names {
		if b[k] != a[k] {
			out = append(out, FieldChange{Field: k, Before: b[k], After: a[k]})
		}
	}
	return out
}

func TestFieldChangesAgreesWithDecoding(t *testing.T) {
	cases := [][2]string{
		{`{"a":1,"a":2}`, `{"a":2}`},
		{`{"b":1,"a":[1, 2],"c":{"x" : "y z"}}`, `{ "a":[1,2], "c":{"x":"y  z"} }`},
		{`{"\u0061":1,"é":"\u00e9"}`, `{"a":1,"\u00e9":"é"}`},
		{"{\"\xff\":1}", `{"x":1}`},
		{`{"s":"a,}]\"b"}`, `{"s":"a,}]\"c","t":true,"n":null}`},
		{`null`, `{}`},
		{`[1]`, `[2]`},
		{`{"a":1}`, `{"a":`},
		{"  ", `{"a":-1.5e3}`},
		{``, ``},
	}
	for _, c := range cases {
		got := FieldChanges([]byte(c[0]), []byte(c[1]))
		want := fieldChangesByMaps([]byte(c[0]), []byte(c[1]))
		if !slices.Equal(got, want) {
			t.Errorf("FieldChanges(%s, %s) = %q, want %q", c[0], c[1], got, want)
		}
	}
}

func FuzzFieldChanges(f *testing.F) {
	f.Add([]byte(`{"balance":80.00}`), []byte(`{"balance":100}`))
	f.Add([]byte(`{"a":1,"a":2,"b":[1, {"c":"}"}]}`), []byte(`{"b":[1,{"c":"}"}],"d":"\u00e9"}`))
	f.Add([]byte(`[1]`), []byte(`null`))
	f.Fuzz(func(t *testing.T, before, after []byte) {
		got := FieldChanges(before, after)
		want := fieldChangesByMaps(before, after)
		if !slices.Equal(got, want) {
			t.Fatalf("FieldChanges(%q, %q) = %q, want %q", before, after, got, want)
		}
	})
}

func BenchmarkFieldChanges(b *testing.B) {
	before, after := []byte(`{"balance":80.00,"owner":"Ada"}`), []byte(`{"balance":100,"owner":"Ada"}`)
	b.ReportAllocs()
	for b.Loop() {
		FieldChanges(before, after)
	}
}

// ExchangeLine's exact text: sequence number, method, target and summary,
// the summary cut at maxShownSummary bytes with an ellipsis and escaped.
func TestExchangeLineText(t *testing.T) {
	put := Event{Seq: 12, Kind: KindExchange, Request: Message{Method: "PUT", Target: "/accounts/42"},
		Response: Message{Status: 200},
		Changes:  []Change{{Path: "/accounts/42", Before: []byte(`{"balance":80}`), After: []byte(`{"balance":100}`)}}}
	if got, want := ExchangeLine(put), "#12 PUT /accounts/42 200 OK — /accounts/42 balance 80 → 100"; got != want {
		t.Errorf("line = %q, want %q", got, want)
	}
	get := Event{Seq: 7, Kind: KindExchange, Request: Message{Method: "GET", Target: "/accounts/42"}, Response: Message{Status: 304}}
	if got, want := ExchangeLine(get), "#7 GET /accounts/42 304 Not Modified — no change"; got != want {
		t.Errorf("line = %q, want %q", got, want)
	}
	long := put
	long.Changes = []Change{{Path: "/notes/" + strings.Repeat("\x1bn", 200), After: []byte(`{"a":1}`)}}
	line := ExchangeLine(long)
	sum := strings.TrimPrefix(line, "#12 PUT /accounts/42 ")
	if want := termsafe.Cut(long.Summary(), maxShownSummary); sum != want || !strings.HasSuffix(sum, termsafe.Ellipsis) || strings.Contains(sum, "\x1b") {
		t.Errorf("long summary shown as %q, want %q (cut and escaped)", sum, want)
	}
}
