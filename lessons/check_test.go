package lessons

import (
	"net/http"
	"strings"
	"testing"

	"github.com/putpost/putpost/sim"
	"pgregory.net/rapid"
)

// fakeWorld is a World made of fixed events and state, so check results can
// be tested exactly without a server.
type fakeWorld struct {
	events    []sim.Event
	resources map[string]string
	members   map[string][]string
}

func (f *fakeWorld) EventsSince(seq uint64) []sim.Event {
	var out []sim.Event
	for _, e := range f.events {
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out
}

func (f *fakeWorld) Resource(path string) ([]byte, string, bool) {
	b, ok := f.resources[path]
	return []byte(b), `"x"`, ok
}

func (f *fakeWorld) Members(c string) []string { return f.members[c] }

func exchange(seq uint64, method, target string, status int, header ...string) sim.Event {
	h := http.Header{}
	for _, name := range header {
		h.Set(name, "x")
	}
	return sim.Event{Seq: seq, Source: sim.SourceComposer, Attempt: 1,
		Request:  sim.Message{Method: method, Target: target},
		Response: sim.Message{Status: status, Header: h}}
}

func compileTestCheck(t testing.TB, src string) *Check {
	t.Helper()
	p := &parser{file: "t"}
	var lines []numbered
	for i, l := range strings.Split(src, "\n") {
		lines = append(lines, numbered{n: i + 1, text: l})
	}
	c := p.compileCheck(1, lines)
	if len(p.probs) > 0 {
		t.Fatalf("compile %q: %v", src, p.probs)
	}
	return c
}

func sampleWorld() *fakeWorld {
	lost := exchange(6, "POST", "/payments", 201, "Location")
	lost.Fault = sim.FaultLostResponse
	retry := exchange(7, "POST", "/payments", 201, "Location", "Idempotent-Replayed")
	retry.Source, retry.Attempt, retry.Replayed = sim.SourceRetry, 2, true
	dropped := exchange(8, "DELETE", "/x", 0)
	dropped.Fault = sim.FaultDropped
	return &fakeWorld{
		events: []sim.Event{
			exchange(1, "GET", "/accounts/42", 200, "ETag"),
			exchange(2, "PUT", "/accounts/42", 200, "ETag"),
			exchange(3, "PUT", "/accounts/42?verbose=1", 200),
			{Seq: 4, Kind: sim.KindReset},
			exchange(5, "POST", "/customers", 201, "Location"),
			lost, retry, dropped,
		},
		resources: map[string]string{
			"/accounts/42":   `{"balance":88.00}`,
			"/flights/AA123": `{"gate":"a7","status":"delayed"}`,
		},
		members: map[string][]string{"/customers": {"/customers/1"}},
	}
}

func TestCheckResultsSayWhatIsStillMissing(t *testing.T) {
	w := sampleWorld()
	tests := []struct {
		check  string
		ok     bool
		desc   string
		detail string
	}{
		{"request PUT /accounts/42 >= 100", false, "at least 100 PUT requests to /accounts/42", "2 of 100 PUT requests to /accounts/42 so far"},
		{"request PUT /accounts/42", true, "a PUT request to /accounts/42", "2 PUT requests to /accounts/42"},
		{"request put /accounts/42 == 2", true, "exactly 2 PUT requests to /accounts/42", "2 PUT requests to /accounts/42"},
		{"request POST /customers/*", false, "a POST request to a member of /customers", "no POST request to a member of /customers yet"},
		{"request POST /payments == 1", false, "exactly 1 POST request to /payments", "2 POST requests to /payments, expected exactly 1; reset the step (type reset) to try again"},
		{"request DELETE /x", false, "a DELETE request to /x", "the network dropped your DELETE to /x before the server, so the server never saw it; type faults off, and send it again"},
		{"field /accounts/42 balance 100", false, "/accounts/42 balance is 100", "balance is 88.00, expected 100"},
		{"field /accounts/42 balance 88", true, "/accounts/42 balance is 88", "balance is 88.00"},
		{`field /accounts/42 owner "joe"`, false, `/accounts/42 owner is "joe"`, "/accounts/42 has no field owner"},
		{"field /accounts/7 balance 1", false, "/accounts/7 balance is 1", "/accounts/7 does not exist"},
		{`field /flights/AA123 status "ontime"`, false, `/flights/AA123 status is "ontime"`, `status is "delayed", expected "ontime"`},
		{"exists /flights/AA123", true, "/flights/AA123 exists", "/flights/AA123 exists"},
		{"exists /flights/AC789", false, "/flights/AC789 exists", "/flights/AC789 does not exist yet"},
		{"absent /flights/AA123", false, "/flights/AA123 does not exist", "/flights/AA123 still exists"},
		{"members /customers == 2", false, "/customers has 2 members", "/customers has 1 member, expected 2"},
		{"members /customers 1", true, "/customers has 1 member", "/customers has 1 member"},
		{"members /customers >= 3", false, "/customers has at least 3 members", "/customers has 1 member, expected at least 3"},
		{"status 201", true, "the last response is 201", "the last response was 201 Created"},
		{"status 200|204", false, "the last response is 200 or 204", "the last response was 201 Created, expected 200 or 204"},
		{"saw-status 412", false, "a response with status 412", "no 412 yet; responses so far: 200 ×3, 201 ×3"},
		{"saw-status 204|200", true, "a response with status 204 or 200", "got 200 OK"},
		{"header location", true, "a response carries the location header", "a response carried location"},
		{"header Allow", false, "a response carries the Allow header", "no response has carried Allow yet"},
		{"replayed", true, "a response is replayed for a repeated Idempotency-Key", "1 replayed response"},
		{"lost", true, "a response is lost on its way back", "1 lost response"},
		{"request PUT /accounts/42 answered 200 >= 2", true, "at least 2 PUT requests to /accounts/42 answered 200", "2 PUT requests to /accounts/42 answered 200"},
		{"request PUT /accounts/42 answered 201", false, "a PUT request to /accounts/42 answered 201", "the PUT requests to /accounts/42 were answered 200 ×2, not 201"},
		{"request GET /accounts/42 answered 201|204", false, "a GET request to /accounts/42 answered 201 or 204", "the GET to /accounts/42 was answered 200, not 201 or 204"},
		{"request POST /payments answered 201 == 2", true, "exactly 2 POST requests to /payments answered 201", "2 POST requests to /payments answered 201"},
		{"request DELETE /x answered 204", false, "a DELETE request to /x answered 204", "the network dropped your DELETE to /x before the server, so the server never saw it; type faults off, and send it again"},
		{"retried POST /payments", true, "the client retries a POST to /payments on its own and gets the answer", "the client retried a POST to /payments and got the answer"},
		{"retried POST /payments answered 404", false, "the client retries a POST to /payments on its own and gets 404",
			"the client's retry of the POST to /payments was answered 201, not 404"},
		{"retried PUT /accounts/42", false, "the client retries a PUT to /accounts/42 on its own and gets the answer",
			"no answer to the PUT to /accounts/42 was lost, so the client had nothing to retry; reset the step (type reset) to get this step's network back"},
		{"retried DELETE /x", false, "the client retries a DELETE to /x on its own and gets the answer",
			"the client did not retry the DELETE to /x: its retry policy does not resend a DELETE; reset the step (type reset) to get this step's retry policy back"},
		{"retried GET /accounts/42 == 2", false, "the client retries exactly 2 GETs to /accounts/42 on its own and gets the answers",
			"no answer to the GET to /accounts/42 was lost, so the client had nothing to retry; reset the step (type reset) to get this step's network back"},
		{"retried POST /payments == 0", false, "the client does not retry a POST to /payments on its own",
			"the client retried the POST to /payments on its own, so it heard an answer after all; reset the step (type reset) to get this step's retry policy back"},
		{"retried PUT /accounts/42 == 0", true, "the client does not retry a PUT to /accounts/42 on its own", "the client has not retried a PUT to /accounts/42"},
		{"any:\n  status 200\n  saw-status 201", true, "one of: the last response is 200; or a response with status 201", "got 201 Created"},
		{"any:\n  status 200\n  absent /flights/AA123", false, "one of: the last response is 200; or /flights/AA123 does not exist",
			"the last response was 201 Created, expected 200; or /flights/AA123 still exists"},
		{"any:\n  lost\n  all:\n    status 204\n    exists /x", true, "one of: a response is lost on its way back; or all of: the last response is 204; and /x exists", "1 lost response"},
	}
	for _, tt := range tests {
		c := compileTestCheck(t, tt.check)
		rs := c.Evaluate(w, 0)
		if len(rs) != 1 {
			t.Fatalf("%q: %d results", tt.check, len(rs))
		}
		r := rs[0]
		r.Detail = ForView(r.Detail, Line) // as line mode shows it
		if r.OK != tt.ok || r.Desc != tt.desc || r.Detail != tt.detail {
			t.Errorf("%q:\n got %v %q — %q\nwant %v %q — %q", tt.check, r.OK, r.Desc, r.Detail, tt.ok, tt.desc, tt.detail)
		}
	}
}

func TestChecksOnlyCountExchangesSinceTheStepBegan(t *testing.T) {
	w := sampleWorld()
	c := compileTestCheck(t, "request PUT /accounts/42\nstatus 201\nsaw-status 200")
	rs := c.Evaluate(w, 3)
	if rs[0].OK || rs[0].Detail != "no PUT request to /accounts/42 yet" {
		t.Errorf("request: %+v", rs[0])
	}
	if !rs[1].OK || rs[2].OK {
		t.Errorf("status: %+v %+v", rs[1], rs[2])
	}
	rs = c.Evaluate(w, 100)
	if rs[1].OK || rs[1].Detail != "no response yet since this step began" {
		t.Errorf("status with no events: %+v", rs[1])
	}
}

func TestAdministrativeEventsAreNotExchanges(t *testing.T) {
	w := &fakeWorld{events: []sim.Event{{Seq: 1, Kind: sim.KindUndo}, {Seq: 2, Kind: sim.KindRestore}, {Seq: 3, Kind: sim.KindReset}}}
	for _, src := range []string{"status 0|200", "saw-status 200", "request GET /"} {
		// status 0 is not even valid; check only the valid ones.
		if strings.Contains(src, " 0") {
			continue
		}
		if r := compileTestCheck(t, src).Evaluate(w, 0)[0]; r.OK {
			t.Errorf("%q passed on administrative events", src)
		}
	}
}

func TestFieldNumbersCompareByValue(t *testing.T) {
	tests := []struct {
		stored, want string
		equal        bool
	}{
		{"133.10", "133.1", true},
		{"100.00", "100", true},
		{"100", "1e2", true},
		{"0.1", "0.10000000000000001", false}, // exact decimals, not float64
		{"-0", "0", true},
		{`"100"`, "100", true}, // number or text is not what a lesson teaches
		{"100", `"100"`, true},
		{`"100x"`, "100", false},
		{"101", `"100"`, false},
		{`"true"`, "true", false},
		{`{"a":[1.50,"x"]}`, `{"a":[1.5,"x"]}`, true},
		{`[1,2]`, `[2,1]`, false},
		{"null", "null", true},
		{"true", "false", false},
	}
	for _, tt := range tests {
		w := &fakeWorld{resources: map[string]string{"/r": `{"v":` + tt.stored + `}`}}
		c := compileTestCheck(t, "field /r v "+tt.want)
		if r := c.Evaluate(w, 0)[0]; r.OK != tt.equal {
			t.Errorf("stored %s, want %s: OK = %v (%s)", tt.stored, tt.want, r.OK, r.Detail)
		}
	}
}

func TestRequestPathPatterns(t *testing.T) {
	tests := []struct {
		pattern, path string
		match         bool
	}{
		{"/customers/*", "/customers/1", true},
		{"/customers/*", "/customers/10", true},
		{"/customers/*", "/customers/", false},
		{"/customers/*", "/customers", false},
		{"/customers/*", "/customers/1/orders", false},
		{"/customers", "/customers", true},
		{"/customers", "/customers/", false},
	}
	for _, tt := range tests {
		if got := matchPath(tt.pattern, tt.path); got != tt.match {
			t.Errorf("matchPath(%q, %q) = %v", tt.pattern, tt.path, got)
		}
	}
	for target, want := range map[string]string{
		"/a?b=c": "/a", "/a#f": "/a", "http://localhost:8080/x/y?z": "/x/y", "http://h": "/", "/": "/",
	} {
		if got := targetPath(target); got != want {
			t.Errorf("targetPath(%q) = %q, want %q", target, got, want)
		}
	}
}

// A compiled check prints back as lesson-file text that compiles to the same
// check.
func TestCheckStringRoundTrips(t *testing.T) {
	methods := rapid.SampledFrom([]string{"GET", "PUT", "POST", "DELETE", "PATCH", "FROB"})
	paths := rapid.SampledFrom([]string{"/accounts/42", "/customers", "/flights/AC789", "/a-b_c.d~e"})
	var gen func(depth int) *rapid.Generator[*Check]
	gen = func(depth int) *rapid.Generator[*Check] {
		return rapid.Custom(func(t *rapid.T) *Check {
			kinds := []CheckKind{CheckRequest, CheckField, CheckExists, CheckAbsent, CheckMembers,
				CheckStatus, CheckSawStatus, CheckHeader, CheckReplayed, CheckLost, CheckRetried, CheckLast, CheckUnchanged, CheckChangedBy}
			if depth < 2 {
				kinds = append(kinds, CheckAny, CheckAll)
			}
			c := &Check{Kind: rapid.SampledFrom(kinds).Draw(t, "kind")}
			switch c.Kind {
			case CheckAny, CheckAll:
				c.Sub = rapid.SliceOfN(gen(depth+1), 1, 3).Draw(t, "sub")
			case CheckRequest, CheckRetried, CheckLast, CheckChangedBy:
				c.Method, c.Path = methods.Draw(t, "method"), paths.Draw(t, "path")
				if c.Kind != CheckChangedBy && rapid.Bool().Draw(t, "wild") {
					c.Path += "/*"
				}
				c.With = rapid.SampledFrom([]string{"", "If-Match", "Idempotency-Key"}).Draw(t, "with")
				c.ETag = c.With != "" && rapid.Bool().Draw(t, "etag")
				c.Stale = c.ETag && c.With == "If-Match" && c.Kind != CheckChangedBy && rapid.Bool().Draw(t, "stale")
				c.Star = c.With != "" && !c.ETag && rapid.Bool().Draw(t, "star")
				c.Cmp, c.N = ">=", 1
				if c.Kind != CheckLast && c.Kind != CheckChangedBy {
					c.Codes = rapid.SliceOfN(rapid.IntRange(100, 599), 0, 2).Draw(t, "answered")
					if len(c.Codes) == 0 {
						c.Codes = nil
					}
					c.Cmp = rapid.SampledFrom([]string{">=", "=="}).Draw(t, "cmp")
					c.N = rapid.IntRange(0, 1000).Draw(t, "n")
				}
			case CheckField:
				c.Path, c.Name = paths.Draw(t, "path"), rapid.SampledFrom([]string{"balance", "status", "x"}).Draw(t, "name")
				c.Path += rapid.SampledFrom([]string{"", newestMember, everyNewMember}).Draw(t, "member")
				c.Value = rapid.SampledFrom([]string{"100", "133.10", `"on time"`, `{"a": [1, 2]}`, "null"}).Draw(t, "value")
			case CheckExists, CheckAbsent, CheckUnchanged:
				c.Path = paths.Draw(t, "path")
			case CheckMembers:
				c.Path = paths.Draw(t, "path")
				c.Cmp = rapid.SampledFrom([]string{">=", "=="}).Draw(t, "cmp")
				c.N = rapid.IntRange(0, 1000).Draw(t, "n")
			case CheckStatus, CheckSawStatus:
				c.Codes = rapid.SliceOfN(rapid.IntRange(100, 599), 1, 3).Draw(t, "codes")
			case CheckHeader, CheckSent:
				c.Name = rapid.SampledFrom([]string{"Location", "ETag", "Idempotent-Replayed"}).Draw(t, "header")
			}
			return c
		})
	}
	rapid.Check(t, func(t *rapid.T) {
		root := &Check{Kind: CheckAll, Sub: rapid.SliceOfN(gen(0), 1, 4).Draw(t, "checks")}
		text := root.String()
		p := &parser{file: "t"}
		var lines []numbered
		for i, l := range strings.Split(text, "\n") {
			lines = append(lines, numbered{n: i + 1, text: l})
		}
		back := p.compileCheck(1, lines)
		if len(p.probs) > 0 {
			t.Fatalf("%s\ndoes not compile: %v", text, p.probs)
		}
		if again := back.String(); again != text {
			t.Fatalf("round trip:\n%s\nbecame\n%s", text, again)
		}
	})
}

func TestSentHeaderLooksAtRequestsNotResponses(t *testing.T) {
	put := exchange(1, "PUT", "/accounts/42", 200, "If-Match")
	put.Request.Header = http.Header{"Content-Type": {"application/json"}}
	w := &fakeWorld{events: []sim.Event{put}}
	c := compileTestCheck(t, "sent-header If-Match")
	if r := c.Evaluate(w, 0)[0]; r.OK || r.Detail != "no request has carried If-Match yet; add it with -H 'If-Match: …'" {
		t.Errorf("a response header counted as sent: %+v", r)
	}
	put.Request.Header.Set("If-Match", `"v1"`)
	w.events = []sim.Event{put}
	if r := c.Evaluate(w, 0)[0]; !r.OK || r.Desc != "a request carries the If-Match header" {
		t.Errorf("a request carrying If-Match did not count: %+v", r)
	}
}

func TestRequestCheckUsesAnBeforeAVowel(t *testing.T) {
	c := compileTestCheck(t, "request OPTIONS /accounts/42/interest")
	if r := c.Evaluate(&fakeWorld{}, 0)[0]; r.Desc != "an OPTIONS request to /accounts/42/interest" {
		t.Errorf("Desc = %q", r.Desc)
	}
}

// "The last request carried If-Match": an earlier PUT with the header does
// not make a later one without it count, and the other way round.
func TestLastRequestLooksOnlyAtTheNewestRequest(t *testing.T) {
	c := compileTestCheck(t, "last-request PUT /accounts/42 with If-Match")
	with := exchange(1, "PUT", "/accounts/42", 200)
	with.Request.Header = http.Header{"If-Match": {`"v1"`}}
	without := exchange(2, "PUT", "/accounts/42", 200)
	without.Request.Header = http.Header{"Content-Type": {"application/json"}}
	read := exchange(3, "GET", "/accounts/42", 200)

	for _, tc := range []struct {
		name   string
		events []sim.Event
		ok     bool
		detail string
	}{
		{"nothing sent", nil, false, "no request yet since this step began"},
		{"with, then without", []sim.Event{with, without}, false, "your last PUT /accounts/42 did not carry If-Match; add it with -H 'If-Match: …'"},
		{"without, then with", []sim.Event{without, with}, true, "your last request was PUT /accounts/42 with If-Match"},
		{"with, then a GET", []sim.Event{with, read}, false, "your last request was GET /accounts/42, expected PUT /accounts/42"},
	} {
		for i := range tc.events {
			tc.events[i].Seq = uint64(i + 1)
		}
		r := c.Evaluate(&fakeWorld{events: tc.events}, 0)[0]
		if r.OK != tc.ok || r.Detail != tc.detail || r.Desc != "your last request is PUT /accounts/42 with If-Match" {
			t.Errorf("%s: %+v", tc.name, r)
		}
	}
	if got := c.String(); got != "last-request PUT /accounts/42 with If-Match\n" && got != "last-request PUT /accounts/42 with If-Match" {
		t.Errorf("String() = %q", got)
	}
}

// "with If-Match etag": a value of entity tags counts, "*" does not, since
// it matches any version and so keeps no update from being lost.
func TestWithETagRefusesAStar(t *testing.T) {
	star := exchange(1, "PUT", "/accounts/42", 200)
	star.Request.Header = http.Header{"If-Match": {"*"}}
	tagged := exchange(2, "PUT", "/accounts/42", 200)
	tagged.Request.Header = http.Header{"If-Match": {`W/"a", "v1"`}}
	junk := exchange(1, "PUT", "/accounts/42", 400)
	junk.Request.Header = http.Header{"if-match": {"v1"}}
	last := compileTestCheck(t, "last-request PUT /accounts/42 with If-Match etag")
	req := compileTestCheck(t, "request PUT /accounts/42 with if-match: etag")
	for _, tc := range []struct {
		name       string
		events     []sim.Event
		ok         bool
		lastDetail string
		reqDetail  string
	}{
		{"a star", []sim.Event{star}, false,
			"your last PUT /accounts/42 carried If-Match as *, which matches any version and so guards nothing; send the ETag you read instead",
			"the PUT to /accounts/42 carried if-match as *, which matches any version and so guards nothing; send the ETag you read instead"},
		{"not a tag", []sim.Event{junk}, false,
			"your last PUT /accounts/42 carried If-Match without an ETag in it; send the ETag you read, quotes included",
			"the PUT to /accounts/42 carried if-match without an ETag in it; send the ETag you read, quotes included"},
		{"a star, then tags", []sim.Event{star, tagged}, true,
			"your last request was PUT /accounts/42 with an ETag in If-Match",
			"1 PUT request to /accounts/42 with an ETag in if-match"},
	} {
		for i := range tc.events {
			tc.events[i].Seq = uint64(i + 1)
		}
		w := &fakeWorld{events: tc.events}
		if r := last.Evaluate(w, 0)[0]; r.OK != tc.ok || r.Detail != tc.lastDetail || r.Desc != "your last request is PUT /accounts/42 with an ETag in If-Match" {
			t.Errorf("%s, last-request: %+v", tc.name, r)
		}
		if r := req.Evaluate(w, 0)[0]; r.OK != tc.ok || r.Detail != tc.reqDetail || r.Desc != "a PUT request to /accounts/42 with an ETag in if-match" {
			t.Errorf("%s, request: %+v", tc.name, r)
		}
	}
}

// "field /customers/* …" holds only when every member created since the
// step began has the field: a Bob before an Ann does not count as two Anns.
func TestFieldOfEveryNewMember(t *testing.T) {
	created := func(seq uint64, path string) sim.Event {
		ev := exchange(seq, "POST", "/customers", 201)
		ev.Changes = []sim.Change{{Path: path, After: []byte("{}")}}
		return ev
	}
	w := &fakeWorld{
		events: []sim.Event{created(1, "/customers/1"), created(2, "/customers/2"), created(3, "/customers/3")},
		resources: map[string]string{
			"/customers/1": `{"name":"Ann"}`, "/customers/2": `{"name":"Bob"}`, "/customers/3": `{"name":"Ann"}`,
		},
		members: map[string][]string{"/customers": {"/customers/1", "/customers/2", "/customers/3"}},
	}
	c := compileTestCheck(t, `field /customers/* name "Ann"`)
	if got := c.String(); got != `field /customers/* name "Ann"` {
		t.Errorf("String() = %q", got)
	}
	for _, tc := range []struct {
		since  uint64
		ok     bool
		detail string
	}{
		{0, false, `/customers/2, created in this step: name is "Bob", expected "Ann"; reset the step (type reset) to start over`},
		{2, true, `1 new member: name "Ann"`},
		{3, false, "no member of /customers created since this step began"},
	} {
		r := c.Evaluate(w, tc.since)[0]
		r.Detail = ForView(r.Detail, Line)
		if r.OK != tc.ok || r.Detail != tc.detail || r.Desc != `every new member of /customers has name "Ann"` {
			t.Errorf("since %d: %+v", tc.since, r)
		}
	}
}

// Text holding a number and a number compare as numbers, so when they differ
// it is the number that differs, not the kind: "age is "29", expected 30".
func TestANumberInTextDiffersByItsValue(t *testing.T) {
	w := &fakeWorld{resources: map[string]string{"/customers/1": `{"age":"29","name":"Joe"}`}}
	for check, want := range map[string]string{
		`field /customers/1 age 30`:       `age is "29", expected 30`,
		`field /customers/1 age "30"`:     `age is "29", expected "30"`,
		`field /customers/1 age true`:     `age is the text "29", expected the boolean true`,
		`field /customers/1 name 7`:       `name is the text "Joe", expected the number 7`,
		`field /customers/1 age "29 "`:    `age is "29"`,
		`field /customers/1 age "thirty"`: `age is "29", expected "thirty"`,
	} {
		if r := compileTestCheck(t, check).Evaluate(w, 0)[0]; r.Detail != want {
			t.Errorf("%s: %q, want %q", check, r.Detail, want)
		}
	}
}
