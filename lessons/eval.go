package lessons

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/putpost/putpost/sim"
)

// World is what checks look at: the exchanges since a step began and the
// current state. *sim.Server implements it.
type World interface {
	EventsSince(seq uint64) []sim.Event
	Resource(path string) (body []byte, etag string, ok bool)
	Members(collection string) []string
}

// CheckResult is how one check stands. Desc says what the check asks for, in
// plain words; Detail says what was seen — when OK is false, what is still
// missing ("2 of 100 PUT requests to /accounts/42 so far").
type CheckResult struct {
	Desc   string
	OK     bool
	Detail string
}

// Evaluate evaluates the check against the exchanges in w after event since
// and w's current state. A CheckAll gives one result per sub-check; any other
// check gives one result.
func (c *Check) Evaluate(w World, since uint64) []CheckResult {
	t := newTally(since)
	t.ingest(w)
	return c.results(w, t)
}

func (c *Check) results(w World, t *tally) []CheckResult {
	if c == nil {
		return nil
	}
	if c.Kind == CheckAll {
		out := make([]CheckResult, len(c.Sub))
		for i, s := range c.Sub {
			out[i] = s.eval(w, t)
		}
		return out
	}
	return []CheckResult{c.eval(w, t)}
}

// allOK reports whether every result holds (and there is at least one).
func allOK(rs []CheckResult) bool {
	for _, r := range rs {
		if !r.OK {
			return false
		}
	}
	return len(rs) > 0
}

// tally accumulates what checks need to know about the exchanges since a
// step began, so re-evaluating after each event only looks at new events.
type tally struct {
	seen     uint64          // newest event ingested
	requests map[string]int  // "METHOD /path" → exchanges that reached the server
	statuses map[int]int     // status → responses
	headers  map[string]bool // response header names, lower case
	sent     map[string]bool // request header names, lower case
	last     int             // status of the newest response
	replayed int
	lost     int
}

func newTally(since uint64) *tally {
	return &tally{seen: since, requests: map[string]int{}, statuses: map[int]int{}, headers: map[string]bool{}, sent: map[string]bool{}}
}

// ingest adds the events w has kept since the last call.
func (t *tally) ingest(w World) {
	for _, ev := range w.EventsSince(t.seen) {
		t.add(ev)
	}
}

func (t *tally) add(ev sim.Event) {
	if ev.Seq > t.seen {
		t.seen = ev.Seq
	}
	if ev.Kind != sim.KindExchange {
		return
	}
	if ev.Fault == sim.FaultLostResponse {
		t.lost++
	}
	if ev.Replayed {
		t.replayed++
	}
	if ev.Fault == sim.FaultDropped || ev.Response.Status == 0 {
		return // never reached the server
	}
	t.requests[strings.ToUpper(ev.Request.Method)+" "+targetPath(ev.Request.Target)]++
	t.statuses[ev.Response.Status]++
	t.last = ev.Response.Status
	for name := range ev.Response.Header {
		t.headers[strings.ToLower(name)] = true
	}
	for name := range ev.Request.Header {
		t.sent[strings.ToLower(name)] = true
	}
}

// targetPath is the path of a request target, without query or fragment.
func targetPath(target string) string {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		if u, err := url.Parse(target); err == nil {
			target = u.Path
			if target == "" {
				target = "/"
			}
		}
	}
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	return target
}

// matchPath reports whether path matches pattern; "/c/*" matches any one
// segment below /c.
func matchPath(pattern, path string) bool {
	prefix, ok := strings.CutSuffix(pattern, "*")
	if !ok {
		return pattern == path
	}
	rest, ok := strings.CutPrefix(path, prefix)
	return ok && rest != "" && !strings.Contains(rest, "/")
}

func (t *tally) count(method, pattern string) int {
	if !strings.HasSuffix(pattern, "*") {
		return t.requests[method+" "+pattern]
	}
	n := 0
	for k, v := range t.requests {
		m, p, _ := strings.Cut(k, " ")
		if m == method && matchPath(pattern, p) {
			n += v
		}
	}
	return n
}

// eval evaluates one check.
func (c *Check) eval(w World, t *tally) CheckResult {
	switch c.Kind {
	case CheckAll, CheckAny:
		return c.evalGroup(w, t)
	case CheckRequest:
		return c.evalRequest(t)
	case CheckField:
		return c.evalField(w)
	case CheckExists, CheckAbsent:
		_, _, ok := w.Resource(c.Path)
		if c.Kind == CheckExists {
			r := CheckResult{Desc: c.Path + " exists", OK: ok, Detail: c.Path + " exists"}
			if !ok {
				r.Detail = c.Path + " does not exist yet"
			}
			return r
		}
		r := CheckResult{Desc: c.Path + " does not exist", OK: !ok, Detail: c.Path + " is gone"}
		if ok {
			r.Detail = c.Path + " still exists"
		}
		return r
	case CheckMembers:
		n := len(w.Members(c.Path))
		ok := n == c.N
		want := fmt.Sprintf("%s has %s", c.Path, plural(c.N, "member"))
		if c.Cmp == ">=" {
			ok = n >= c.N
			want = fmt.Sprintf("%s has at least %s", c.Path, plural(c.N, "member"))
		}
		r := CheckResult{Desc: want, OK: ok, Detail: fmt.Sprintf("%s has %s", c.Path, plural(n, "member"))}
		if !ok {
			r.Detail += fmt.Sprintf(", expected %s%d", map[string]string{">=": "at least ", "==": ""}[c.Cmp], c.N)
		}
		return r
	case CheckStatus:
		r := CheckResult{Desc: "the last response is " + codeList(c.Codes, "or")}
		switch {
		case t.last == 0:
			r.Detail = "no response yet since this step began"
		case slices.Contains(c.Codes, t.last):
			r.OK = true
			r.Detail = "the last response was " + statusText(t.last)
		default:
			r.Detail = fmt.Sprintf("the last response was %s, expected %s", statusText(t.last), codeList(c.Codes, "or"))
		}
		return r
	case CheckSawStatus:
		r := CheckResult{Desc: "a response with status " + codeList(c.Codes, "or")}
		for _, code := range c.Codes {
			if t.statuses[code] > 0 {
				r.OK = true
				r.Detail = "got " + statusText(code)
				return r
			}
		}
		if len(t.statuses) == 0 {
			r.Detail = "no response yet since this step began"
		} else {
			r.Detail = fmt.Sprintf("no %s yet; responses so far: %s", codeList(c.Codes, "or"), t.statusSummary())
		}
		return r
	case CheckHeader:
		r := CheckResult{Desc: "a response carries the " + c.Name + " header", OK: t.headers[strings.ToLower(c.Name)]}
		if r.OK {
			r.Detail = "a response carried " + c.Name
		} else {
			r.Detail = "no response has carried " + c.Name + " yet"
		}
		return r
	case CheckSent:
		r := CheckResult{Desc: "a request carries the " + c.Name + " header", OK: t.sent[strings.ToLower(c.Name)]}
		if r.OK {
			r.Detail = "a request carried " + c.Name
		} else {
			r.Detail = "no request has carried " + c.Name + " yet; add it with -H '" + c.Name + ": …'"
		}
		return r
	case CheckReplayed:
		r := CheckResult{Desc: "a response is replayed for a repeated Idempotency-Key", OK: t.replayed > 0}
		if r.OK {
			r.Detail = plural(t.replayed, "replayed response")
		} else {
			r.Detail = "no replayed response yet; send the same request with the same Idempotency-Key again"
		}
		return r
	case CheckLost:
		r := CheckResult{Desc: "a response is lost on its way back", OK: t.lost > 0}
		if r.OK {
			r.Detail = plural(t.lost, "lost response")
		} else {
			r.Detail = "no response has been lost yet; the network must be set to lose responses"
		}
		return r
	}
	return CheckResult{Desc: string(c.Kind), Detail: "unknown check"}
}

func (c *Check) evalGroup(w World, t *tally) CheckResult {
	rs := make([]CheckResult, len(c.Sub))
	descs := make([]string, len(c.Sub))
	for i, s := range c.Sub {
		rs[i] = s.eval(w, t)
		descs[i] = rs[i].Desc
	}
	if c.Kind == CheckAny {
		r := CheckResult{Desc: "one of: " + strings.Join(descs, "; or ")}
		var missing []string
		for _, s := range rs {
			if s.OK {
				r.OK, r.Detail = true, s.Detail
				return r
			}
			missing = append(missing, s.Detail)
		}
		r.Detail = strings.Join(missing, "; or ")
		return r
	}
	r := CheckResult{Desc: "all of: " + strings.Join(descs, "; and "), OK: allOK(rs)}
	var details []string
	for _, s := range rs {
		if !s.OK || r.OK {
			details = append(details, s.Detail)
		}
	}
	r.Detail = strings.Join(details, "; ")
	return r
}

func (c *Check) evalRequest(t *tally) CheckResult {
	n := t.count(c.Method, c.Path)
	target := c.Path
	if strings.HasSuffix(target, "/*") {
		target = "a member of " + strings.TrimSuffix(target, "/*")
	}
	var r CheckResult
	switch {
	case c.Cmp == "==":
		r.Desc = fmt.Sprintf("exactly %s to %s", plural(c.N, c.Method+" request"), target)
		r.OK = n == c.N
	case c.N == 1:
		r.Desc = fmt.Sprintf("%s %s request to %s", article(c.Method), c.Method, target)
		r.OK = n >= 1
	default:
		r.Desc = fmt.Sprintf("at least %s to %s", plural(c.N, c.Method+" request"), target)
		r.OK = n >= c.N
	}
	switch {
	case r.OK:
		r.Detail = fmt.Sprintf("%s to %s", plural(n, c.Method+" request"), target)
	case c.Cmp == "==" && n > c.N:
		r.Detail = fmt.Sprintf("%s to %s, expected exactly %d; reset the step to try again", plural(n, c.Method+" request"), target, c.N)
	case n == 0 && c.N == 1:
		r.Detail = fmt.Sprintf("no %s request to %s yet", c.Method, target)
	default:
		r.Detail = fmt.Sprintf("%d of %d %s requests to %s so far", n, c.N, c.Method, target)
	}
	return r
}

func (c *Check) evalField(w World) CheckResult {
	r := CheckResult{Desc: fmt.Sprintf("%s %s is %s", c.Path, c.Name, c.Value)}
	body, _, ok := w.Resource(c.Path)
	if !ok {
		r.Detail = c.Path + " does not exist"
		return r
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		r.Detail = c.Path + " is not a JSON object"
		return r
	}
	raw, ok := fields[c.Name]
	if !ok {
		r.Detail = fmt.Sprintf("%s has no field %s", c.Path, c.Name)
		return r
	}
	got, err := decodeJSON(raw)
	if err != nil {
		r.Detail = fmt.Sprintf("%s is not valid JSON", c.Name)
		return r
	}
	shown := compactJSON(raw)
	r.OK = jsonEqual(got, c.want)
	if r.OK {
		r.Detail = fmt.Sprintf("%s is %s", c.Name, shown)
	} else {
		r.Detail = fmt.Sprintf("%s is %s, expected %s", c.Name, shown, c.Value)
	}
	return r
}

// jsonEqual compares decoded JSON values; numbers compare by exact value, so
// 133.1 equals 133.10 and 1e2 equals 100.
func jsonEqual(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		b, ok := b.(json.Number)
		if !ok {
			return false
		}
		x, okx := new(big.Rat).SetString(string(a))
		y, oky := new(big.Rat).SetString(string(b))
		return okx && oky && x.Cmp(y) == 0
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !jsonEqual(a[i], b[i]) {
				return false
			}
		}
		return true
	default: // string, bool, nil
		return a == b
	}
}

func compactJSON(raw []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	s := b.String()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func (t *tally) statusSummary() string {
	codes := make([]int, 0, len(t.statuses))
	for code := range t.statuses {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	parts := make([]string, len(codes))
	for i, code := range codes {
		parts[i] = strconv.Itoa(code)
		if n := t.statuses[code]; n > 1 {
			parts[i] += fmt.Sprintf(" ×%d", n)
		}
	}
	return strings.Join(parts, ", ")
}

func statusText(code int) string {
	if s := sim.StatusText(code); s != "" {
		return fmt.Sprintf("%d %s", code, s)
	}
	return strconv.Itoa(code)
}

func codeList(codes []int, conj string) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = strconv.Itoa(c)
	}
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " " + conj + " " + parts[len(parts)-1]
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// article is "an" before a method read with a vowel sound (OPTIONS), else "a".
func article(method string) string {
	if method != "" && strings.ContainsRune("AEIOU", rune(method[0])) {
		return "an"
	}
	return "a"
}
