package lessons

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	xchg "github.com/putpost/putpost/exchange"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
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
	t := newTally(since, c)
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
	seen         uint64                  // newest event ingested
	undoable     int                     // the step's state-changing exchanges an undo has not taken back: an undo past them takes back what came before the step
	undidLast    map[string]bool         // paths an undo in the step changed after any request did
	undidMembers map[string]bool         // collections an undo in the step added a member to or removed one from
	reqs         map[*Check]*reqTally    // what each request and retried check counts
	changes      map[*Check]*changeTally // what each unchanged and changed-by check counts
	statuses     map[int]int             // status → responses
	statusSeq    []int                   // the statuses in the order they were first seen
	headers      map[string]bool         // response header names, lower case
	sent         map[string]bool         // request header names, lower case
	created      map[string]uint64       // resources created since the step began (and still there) → event
	createdBy    map[string]string       // those resources → "METHOD /path" of the request that created them, or the kind of event
	last         int                     // status of the newest response
	lastReq      string                  // "METHOD /path" of the newest request that reached the server
	lastHeader   map[string][]string     // that request's header
	lastStale    bool                    // that request was refused for naming an earlier ETag of its target
	lastWrote    bool                    // that request changed what is stored
	recent       []string                // "METHOD /path" of the newest requests that reached the server, oldest first; at most keepRecent
	location     string                  // the newest Location header
	replayed     int
	lost         int
	acted        bool     // an exchange the lesson did not send reached the server or the network
	retrying     bool     // the checks ask for a retry of the client's own (retried … with a count above 0)
	keyAsked     bool     // a request or retried check asks for an Idempotency-Key
	refusalAsked []string // "METHOD PATH" of the request checks that ask for a refusal (answered 400, …)
}

// The stages a request passes on its way to counting for a request or
// retried check; a check says what is missing by the first stage no request
// passed.
const (
	stageTarget   = iota // the method and path match, and the server answered
	stageHeader          // it carried the header the check names
	stageValue           // the header held entity tags, if the check asks for them
	stageRetry           // retried: the client resent it on its own and heard the answer
	stageAnswered        // it was answered with one of the check's codes
	stages
)

// reqTally is what one request or retried check has counted.
type reqTally struct {
	passed  [stages]int // requests that passed each stage
	failed  int         // requests to the target that lost their answer or never arrived: something to retry
	star    bool        // a request carried the header as "*" where entity tags were asked for
	starHit bool        // such a request changed what is stored
	miss    string      // why the newest request that failed stageValue did, for a stale check
	minimal int         // requests answered 204 because they asked for it (Prefer: return=minimal)
	unheard int         // heard: requests that would count but whose answer was lost
	answers map[int]int // the statuses of those that passed every stage before stageAnswered
	seq     []int       // those statuses in the order they were first seen

	lostEarlier bool   // retried: an earlier attempt of the newest request reached the server and lost its answer
	lostWork    bool   // retried: that attempt did the request's work (see didWork)
	cause       int    // retried: why the newest request to the target was not a retry counted, one of the causes below
	lostErr     string // retried: the error the newest lost attempt was answered with ("400 Bad Request; the server said: …"), see lostError
	keyless     bool   // retried: the newest request not retried was a POST or PATCH without an idempotency key, which no key-aware client resends
}

// Why the newest request to a retried check's target was not a retry it
// counts; the checklist says the newest, since the learner may have
// changed the network or the policy since an earlier one.
const (
	causeNone       = iota // no request yet, or the newest was counted
	causeNotRetried        // its answer was lost (or it was dropped), and the client did not resend it
	causeNotLost           // its answer reached the client: nothing to retry
	causeAfterDrop         // the client resent it after the network dropped it before the server
	causeIdle              // the client resent it, but the lost attempt did no work
)

// changeTally is what an unchanged or changed-by check has counted: the
// changes to its path since the step began.
type changeTally struct {
	by    int    // changes made by the requests a changed-by check names
	other int    // any other changes
	what  string // the newest other change: "a PUT without If-Match", "an undo"
}

// newTally starts counting after event since, for the checks in c (nil for
// none: live values need no request counts).
func newTally(since uint64, c *Check) *tally {
	t := &tally{seen: since, reqs: map[*Check]*reqTally{}, statuses: map[int]int{},
		headers: map[string]bool{}, sent: map[string]bool{}, created: map[string]uint64{}, createdBy: map[string]string{}}
	c.walk(func(c *Check) {
		switch c.Kind {
		case CheckRequest, CheckRetried:
			t.reqs[c] = &reqTally{answers: map[int]int{}}
			t.retrying = t.retrying || c.Kind == CheckRetried && (c.Cmp == ">=" || c.N > 0)
			t.keyAsked = t.keyAsked || strings.EqualFold(c.With, "Idempotency-Key")
			if slices.ContainsFunc(c.Codes, func(code int) bool { return code >= 400 }) {
				t.refusalAsked = append(t.refusalAsked, c.Method+" "+c.Path)
			}
		case CheckUnchanged, CheckChangedBy:
			if t.changes == nil {
				t.changes = map[*Check]*changeTally{}
			}
			t.changes[c] = &changeTally{}
		}
	})
	return t
}

// walk calls f for c and every check below it.
func (c *Check) walk(f func(*Check)) {
	if c == nil {
		return
	}
	f(c)
	for _, s := range c.Sub {
		s.walk(f)
	}
}

// take adds the events of evs that follow the last one added without a
// gap; ingest fetches whatever it leaves.
func (t *tally) take(evs []sim.Event) {
	for _, ev := range evs {
		if ev.Seq == t.seen+1 {
			t.add(ev)
		}
	}
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
	for _, ch := range ev.Changes {
		switch {
		case (ch.Before == nil) == (ch.After == nil) && bytes.Equal(ch.Before, ch.After):
		case ev.Kind == sim.KindUndo:
			if t.undidLast == nil {
				t.undidLast, t.undidMembers = map[string]bool{}, map[string]bool{}
			}
			t.undidLast[ch.Path] = true
			if (ch.Before == nil) != (ch.After == nil) {
				t.undidMembers[ch.Path[:max(strings.LastIndexByte(ch.Path, '/'), 0)]] = true
			}
		default:
			delete(t.undidLast, ch.Path)
		}
	}
	for _, ch := range ev.Changes { // undo, restore and reset change state too
		switch {
		case ch.After == nil:
			delete(t.created, ch.Path)
			delete(t.createdBy, ch.Path)
		case ch.Before == nil:
			t.created[ch.Path] = ev.Seq
			t.createdBy[ch.Path] = string(ev.Kind)
			if ev.Kind == sim.KindExchange {
				t.createdBy[ch.Path] = ev.Request.Method + " " + targetPath(ev.Request.Target)
			}
		}
	}
	early := false // an undo of a change made before the step began
	switch {
	case ev.Kind == sim.KindExchange && slices.ContainsFunc(ev.Changes, func(ch sim.Change) bool {
		// What the server keeps for undo: any change of the stored bytes.
		return (ch.Before == nil) != (ch.After == nil) || !bytes.Equal(ch.Before, ch.After)
	}):
		t.undoable++
	case ev.Kind == sim.KindUndo && t.undoable > 0:
		t.undoable--
	case ev.Kind == sim.KindUndo:
		early = true
	case ev.Kind == sim.KindReset || ev.Kind == sim.KindRestore:
		t.undoable = 0
		clear(t.undidMembers) // the state a reset or restore puts back is no undo's
	}
	for c, ct := range t.changes {
		ct.add(c, ev, early)
	}
	if ev.Kind != sim.KindExchange {
		return
	}
	if ev.Source != sim.SourceLesson {
		t.acted = true
	}
	if ev.Fault == sim.FaultLostResponse {
		t.lost++
	}
	if ev.Replayed {
		t.replayed++
	}
	path := targetPath(ev.Request.Target)
	for c, rt := range t.reqs {
		rt.add(c, ev, path)
	}
	if ev.Fault == sim.FaultDropped || ev.Response.Status == 0 {
		return // never reached the server
	}
	if t.statuses[ev.Response.Status]++; t.statuses[ev.Response.Status] == 1 {
		t.statusSeq = append(t.statusSeq, ev.Response.Status)
	}
	t.last = ev.Response.Status
	for name := range ev.Response.Header {
		t.headers[strings.ToLower(name)] = true
	}
	if loc := ev.Response.Header.Get("Location"); loc != "" {
		t.location = loc
	}
	key := ev.Request.Method + " " + path
	if len(t.recent) == keepRecent {
		t.recent = append(t.recent[:0], t.recent[1:]...)
	}
	t.recent = append(t.recent, key)
	t.lastReq, t.lastHeader, t.lastStale = key, ev.Request.Header, ev.Stale
	t.lastWrote = changes(ev, path)
	for name := range ev.Request.Header {
		t.sent[strings.ToLower(name)] = true
	}
}

// keepRecent is how many of the newest requests a tally keeps in order:
// enough for the solutions a step has (a few lines), at a cost per event
// that does not grow with the step.
const keepRecent = 16

// add counts ev, an exchange to path, for the request or retried check c.
func (rt *reqTally) add(c *Check, ev sim.Event, path string) {
	if ev.Request.Method != c.Method || !matchPath(c.Path, path) {
		return
	}
	reached := ev.Fault != sim.FaultDropped && ev.Response.Status != 0
	lost := ev.Fault == sim.FaultLostResponse
	if !reached || lost {
		rt.failed++
	}
	// A retry is one the server had done already, its answer lost: after
	// a drop, the server meets the request for the first time. A check
	// for retries (not "== 0") counts one only when the lost attempt did
	// the work: a replay, or a DELETE answered 404, lost nothing the
	// client had not heard before.
	resent := ev.Attempt >= 2 && reached && !lost
	heard := resent && rt.lostEarlier && (rt.lostWork || c.Cmp == "==" && c.N == 0)
	switch {
	case resent && !rt.lostEarlier:
		rt.cause = causeAfterDrop
	case resent && !heard:
		rt.cause = causeIdle
	case heard:
		rt.cause = causeNone
	case ev.Attempt < 2 && (!reached || lost):
		rt.cause = causeNotRetried
		_, key := headerValue(ev.Request.Header, "Idempotency-Key")
		_, xkey := headerValue(ev.Request.Header, "X-Idempotency-Key")
		rt.keyless = (c.Method == http.MethodPost || c.Method == http.MethodPatch) && !key && !xkey
	case ev.Attempt < 2:
		rt.cause = causeNotLost
	}
	if lost { // any lost attempt of the request may have been the one that did the work
		rt.lostWork = didWork(ev) || ev.Attempt >= 2 && rt.lostWork
		rt.lostErr = lostError(ev)
	}
	rt.lostEarlier = lost || ev.Attempt >= 2 && rt.lostEarlier
	if !reached {
		return
	}
	rt.passed[stageTarget]++
	if c.With != "" {
		v, ok := headerValue(ev.Request.Header, c.With)
		if !ok {
			return
		}
		rt.passed[stageHeader]++
		if c.ETag && !sim.HoldsETags(v) {
			if strings.TrimSpace(v) == "*" {
				rt.star = true
				rt.starHit = rt.starHit || changes(ev, path)
			}
			return
		}
		if c.Stale && !ev.Stale {
			rt.miss = staleMiss(ev, v, path)
			return
		}
		if c.Star && strings.TrimSpace(v) != "*" {
			rt.miss = fmt.Sprintf("%s as %s, not *: a list of tags matches only those versions, * any version there is", c.With, shownValue(v))
			return
		}
	} else {
		rt.passed[stageHeader]++
	}
	rt.passed[stageValue]++
	if c.Kind == CheckRetried && !heard {
		return
	}
	rt.passed[stageRetry]++
	if rt.answers[ev.Response.Status]++; rt.answers[ev.Response.Status] == 1 {
		rt.seq = append(rt.seq, ev.Response.Status)
	}
	if v, _ := headerValue(ev.Request.Header, "Prefer"); ev.Response.Status == 204 && strings.Contains(strings.ToLower(v), "return=minimal") {
		rt.minimal++
	}
	if len(c.Codes) > 0 && !slices.Contains(c.Codes, ev.Response.Status) {
		return
	}
	if c.Heard && lost {
		rt.unheard++
		return
	}
	rt.passed[stageAnswered]++
}

// didWork reports whether the server carried out ev's request itself: it
// answered with success, not with a replay of an earlier answer.
func didWork(ev sim.Event) bool {
	return ev.Response.Status >= 200 && ev.Response.Status < 300 && !ev.Replayed
}

// lostError is how a lost answer that refused the request is told: its
// status and what the server said. It is "" for a success, and for a
// DELETE answered 404, which an earlier request explains: it did the work.
func lostError(ev sim.Event) string {
	st := ev.Response.Status
	if st < 400 || ev.Request.Method == http.MethodDelete && st == http.StatusNotFound {
		return ""
	}
	if said := xchg.ServerError(ev); said != "" {
		return statusText(st) + "; the server said: " + said
	}
	return statusText(st)
}

// shownValue is a header value as the checklist shows it: what a terminal
// would act on escaped, and cut short when long.
func shownValue(v string) string { return termsafe.Cut(strings.TrimSpace(v), 40) }

// changes reports whether ev changed what is stored at path. A rewrite to
// the same JSON, numbers compared by value ({"balance":100.00} and
// {"balance":100}), is no change.
func changes(ev sim.Event, path string) bool {
	for _, ch := range ev.Changes {
		if ch.Path == path && ((ch.Before == nil) != (ch.After == nil) || !sameState(ch.Before, ch.After)) {
			return true
		}
	}
	return false
}

// sameState reports whether two stored bodies are the same bytes, or the
// same JSON with numbers compared by value.
func sameState(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	x, errx := decodeJSONValue(a)
	y, erry := decodeJSONValue(b)
	return errx == nil && erry == nil && jsonEqual(x, y)
}

// addHeader says how to add header name to a request: with the value the
// lessons teach for it where there is one, else "…" for the learner's own.
func addHeader(name string) string {
	v := "…"
	if strings.EqualFold(name, "Prefer") {
		v = "return=minimal" // the only preference the lessons ask for
	}
	return fmt.Sprintf("add it with -H '%s: %s'", name, v)
}

// preconditionMiss says why a condition v, sent to path, failed: a weak
// tag never matches If-Match; another names a version path no longer has.
func preconditionMiss(v, path string) string {
	if strings.Contains(v, "W/") {
		return "its weak tag (W/…) never matches If-Match, whatever the version; send the strong ETag, without W/"
	}
	return fmt.Sprintf("its tag is not the current version's; GET %s again for the current ETag, and send that", path)
}

// staleMiss says why an If-Match value v of entity tags, sent with ev to
// path, did not name an earlier version of path (ev is not Stale).
func staleMiss(ev sim.Event, v, path string) string {
	switch {
	case ev.Response.Status != 412:
		return fmt.Sprintf("an ETag that matched, so it was answered %s; send the ETag of a version before the current one", statusText(ev.Response.Status))
	case strings.Contains(v, "W/"):
		return "a weak tag (W/…), which If-Match never matches, whatever the version: the 412 says nothing about a change; send a strong ETag, without W/"
	}
	if ev.Response.Header.Get("ETag") == "" { // the server names the current ETag when there is one
		return fmt.Sprintf("a tag while there was nothing at %s, so the 412 says nothing about a change", path)
	}
	return fmt.Sprintf("a tag %s never had, so the 412 says nothing about a change; send the ETag you read of an earlier version", path)
}

// add counts ev for the unchanged or changed-by check c; early says ev is
// an undo of a change made before the step began.
func (ct *changeTally) add(c *Check, ev sim.Event, early bool) {
	if !changes(ev, c.Path) {
		return
	}
	if ev.Kind != sim.KindExchange {
		ct.other++
		ct.what = "an " + string(ev.Kind)
		if ev.Kind == sim.KindReset || ev.Kind == sim.KindRestore {
			ct.what = "a " + string(ev.Kind)
		}
		if early {
			ct.what = earlyUndo
		}
		return
	}
	v, carried := headerValue(ev.Request.Header, c.With)
	switch {
	case c.Kind == CheckChangedBy && ev.Request.Method == c.Method && targetPath(ev.Request.Target) == c.Path &&
		(c.With == "" || carried && (!c.ETag || sim.HoldsETags(v)) && (!c.Star || strings.TrimSpace(v) == "*")):
		ct.by++
	default:
		ct.other++
		ct.what = article(ev.Request.Method) + " " + ev.Request.Method
		switch {
		case c.Kind != CheckChangedBy || ev.Request.Method != c.Method || c.With == "":
		case carried && strings.TrimSpace(v) == "*":
			ct.what += " with " + c.With + ": *, which matches any version,"
		default:
			ct.what += " without" + strings.TrimPrefix(c.withWords(), " with")
		}
		if p := targetPath(ev.Request.Target); p != c.Path {
			ct.what += " to " + p
		}
	}
}

// headerValue is the header field name of h, in any case, its lines joined
// by commas; ok is false when h has no such field.
func headerValue(h map[string][]string, name string) (string, bool) {
	var vs []string
	found := false
	for k, v := range h {
		if strings.EqualFold(k, name) {
			vs, found = append(vs, v...), true
		}
	}
	return strings.Join(vs, ", "), found
}

// newMembers lists the members of collection created since the step began
// that are still there, oldest first.
func (t *tally) newMembers(w World, collection string) []string {
	var out []string
	for _, m := range w.Members(collection) {
		if _, ok := t.created[m]; ok {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(t.created[a], t.created[b]) })
	return out
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

// resetStep is what a check's detail says to do when only a reset of the
// step helps, with how in each front end (see ForView).
const resetStep = resetWords + " {screen:(R, then s)|line:(type reset)}"

// resetWords begins resetStep, in every front end's words.
const resetWords = "reset the step"

// hiddenGoal is what the checklist shows for a hidden check that does not
// hold yet: the learner is to find the outcome out, not read it here.
const hiddenGoal = "see what the server does"

// hiddenTryAnotherWay is a hidden check's detail once the learner has sent
// requests that did not show it (see StepStatus.Checklist for a step with
// more to send).
const hiddenTryAnotherWay = hiddenNotSeen + ", and try the step's task another way ({screen:h|line:hint} gives a hint)"

// hiddenNotSeen begins hiddenTryAnotherWay, in every front end's words.
const hiddenNotSeen = "not seen yet; read what the server said to your requests"

// eval evaluates one check. A hidden check that does not hold says only that
// there is something to find out.
func (c *Check) eval(w World, t *tally) CheckResult {
	r := c.notByUndo(c.evalShown(w, t), t)
	if c.Hidden && !r.OK {
		hidden := CheckResult{Desc: hiddenGoal, Detail: "send your request and read the answer"}
		switch {
		case strings.Contains(r.Detail, resetStep):
			// Only a reset can make it hold now: say so, and what was
			// seen, not what it is after.
			seen, _, _ := strings.Cut(r.Detail, ", expected")
			seen, _, _ = strings.Cut(seen, "; ")
			hidden.Detail = "what your requests did in this step (" + seen + ") can no longer show it; " + resetStep + " to start over"
		case c.Kind == CheckStatus && t.last != 0:
			// The learner saw this status; saying so gives nothing away.
			hidden.Detail = fmt.Sprintf("the last response was %s, not yet what this step is after; read what the server said, and the step's text again ({screen:h|line:hint} gives a hint)", statusText(t.last))
		case t.acted:
			hidden.Detail = hiddenTryAnotherWay
		}
		return hidden
	}
	return r
}

// notByUndo is r, a state check's result, failed when an undo in the step
// made the state it looks at: an undo does not erase what the step's
// requests did, and the explanation speaks of what they made. A members
// check failed after an undo of a member says so too: no request can make
// it hold before a reset.
func (c *Check) notByUndo(r CheckResult, t *tally) CheckResult {
	switch c.Kind {
	case CheckField, CheckExists, CheckAbsent:
		if r.OK && t.undidLast[c.Path] {
			r.OK = false
			r.Detail = fmt.Sprintf("an undo changed %s last, not one of your requests, and an undo does not erase what happened in this step; %s to start over cleanly", c.Path, resetStep)
		}
	case CheckNew, CheckMembers:
		// Failed or not, it cannot hold again before a reset: say so.
		if t.undidMembers[c.Path] {
			undo := fmt.Sprintf("an undo added or removed a member of %s in this step, and an undo does not erase what happened in it; %s to start over cleanly", c.Path, resetStep)
			if !r.OK {
				undo = r.Detail + "; " + undo
			}
			r.OK, r.Detail = false, undo
		}
	}
	return r
}

func (c *Check) evalShown(w World, t *tally) CheckResult {
	switch c.Kind {
	case CheckAll, CheckAny:
		return c.evalGroup(w, t)
	case CheckRequest, CheckRetried:
		return c.evalRequest(t)
	case CheckLast:
		return c.evalLast(t)
	case CheckUnchanged, CheckChangedBy:
		return c.evalChanges(t)
	case CheckField:
		return c.evalField(w, t)
	case CheckNew:
		return c.evalNew(w, t)
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
			r.Detail = fmt.Sprintf("no %s yet; responses so far: %s", codeList(c.Codes, "or"), statusSummary(t.statuses, t.statusSeq))
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
			r.Detail = "no request has carried " + c.Name + " yet; " + addHeader(c.Name)
		}
		return r
	case CheckReplayed:
		r := CheckResult{Desc: "a response is replayed for a repeated Idempotency-Key", OK: t.replayed > 0}
		if r.OK {
			r.Detail = plural(t.replayed, "replayed response")
		} else if t.retrying {
			// The step asks for the client's own retry; a resend by hand
			// is not what it is after.
			r.Detail = "no replayed response yet; the client's retry of a request with an Idempotency-Key gets one"
		} else {
			r.Detail = "no replayed response yet; send the same request with the same Idempotency-Key again"
		}
		return r
	case CheckLost:
		r := CheckResult{Desc: "a response is lost on its way back", OK: t.lost > 0}
		switch {
		case r.OK:
			r.Detail = plural(t.lost, "lost response")
		case t.retrying && t.acted:
			// Requests reached the server and their answers were heard: the
			// work is done, and sending it again would only meet a replay
			// (or a 404) for the client to retry. Only a fresh start helps.
			r.Detail = "no response has been lost yet, though your requests reached the server (were the faults off?), so what they did is done and heard; " + resetStep + " to get its network back, and send the request again"
		default:
			r.Detail = "no response has been lost yet; send the request while the network loses responses, as this step sets it ({screen:if you changed it, press f until the server pane shows faults lose responses|line:if you changed it, type faults on})"
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
			if !slices.Contains(missing, s.Detail) { // two ways missed for one reason say it once
				missing = append(missing, s.Detail)
			}
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

// target names what a request or retried check counts: "/accounts/42 with
// If-Match", "a member of /customers".
func (c *Check) target() string {
	target := c.Path
	if strings.HasSuffix(target, "/*") {
		target = "a member of " + strings.TrimSuffix(target, "/*")
	}
	return target + c.withWords()
}

// withWords is " with If-Match", " with an ETag in If-Match", or nothing.
func (c *Check) withWords() string {
	switch {
	case c.With == "":
		return ""
	case c.Stale:
		return " with an earlier ETag in " + c.With
	case c.Star:
		return " with " + c.With + ": *"
	case c.ETag:
		return " with an ETag in " + c.With
	}
	return " with " + c.With
}

func (c *Check) evalRequest(t *tally) CheckResult {
	rt := t.reqs[c]
	if rt == nil {
		rt = &reqTally{} // not counted for: see newTally
	}
	n := rt.passed[stageAnswered]
	target := c.target()
	noun := c.Method + " request"
	answered := ""
	if len(c.Codes) > 0 {
		answered = " answered " + codeList(c.Codes, "or")
	}
	if c.Heard {
		answered += " whose answer reached the client"
	}
	var r CheckResult
	switch {
	case c.Kind == CheckRetried && c.Cmp == "==" && c.N == 0:
		r.Desc = fmt.Sprintf("the client does not retry %s %s to %s on its own", article(c.Method), c.Method, target)
	case c.Kind == CheckRetried && c.Cmp == "==":
		r.Desc = fmt.Sprintf("the client retries exactly %s to %s on its own", plural(c.N, c.Method), target)
	case c.Kind == CheckRetried && c.N == 1:
		r.Desc = fmt.Sprintf("the client retries %s %s to %s on its own", article(c.Method), c.Method, target)
	case c.Kind == CheckRetried:
		r.Desc = fmt.Sprintf("the client retries at least %s to %s on its own", plural(c.N, c.Method), target)
	case c.Cmp == "==" && c.N == 0:
		r.Desc = fmt.Sprintf("no %s to %s%s", noun, target, answered)
	case c.Cmp == "==":
		r.Desc = fmt.Sprintf("exactly %s to %s%s", plural(c.N, noun), target, answered)
	case c.N == 1:
		r.Desc = fmt.Sprintf("%s %s to %s%s", article(c.Method), noun, target, answered)
	default:
		r.Desc = fmt.Sprintf("at least %s to %s%s", plural(c.N, noun), target, answered)
	}
	if c.Kind == CheckRetried && c.N > 0 {
		switch {
		case answered == "" && c.N == 1:
			answered = " and gets the answer"
		case answered == "":
			answered = " and gets the answers"
		default:
			answered = " and gets" + strings.TrimPrefix(answered, " answered")
		}
		r.Desc += answered
	}
	r.OK = n == c.N || c.Cmp == ">=" && n >= c.N
	what := fmt.Sprintf("the %s to %s", c.Method, strings.TrimSuffix(target, c.withWords()))
	switch {
	case c.Kind == CheckRetried && c.Cmp == "==" && c.N == 0 && r.OK:
		r.Detail = fmt.Sprintf("the client has not retried %s %s to %s", article(c.Method), c.Method, target)
	case c.Kind == CheckRetried && c.Cmp == "==" && c.N == 0:
		r.Detail = fmt.Sprintf("the client retried %s on its own, so it heard an answer after all; "+resetStep+" to get this step's retry policy back", what)
	case r.OK && c.Kind == CheckRetried && n == 1:
		r.Detail = fmt.Sprintf("the client retried %s %s to %s and got the answer", article(c.Method), c.Method, target)
	case r.OK && c.Kind == CheckRetried:
		r.Detail = fmt.Sprintf("the client retried %s to %s and got the answers", plural(n, c.Method), target)
	case r.OK:
		r.Detail = fmt.Sprintf("%s to %s%s", plural(n, noun), target, answered)
	case c.Cmp == "==" && n > c.N && c.Heard:
		r.Detail = fmt.Sprintf("%s to %s%s, expected %s; "+resetStep+" to get this step's network back", plural(n, noun), target, answered, map[bool]string{true: "none", false: "exactly " + strconv.Itoa(c.N)}[c.N == 0])
	case c.Cmp == "==" && n > c.N:
		r.Detail = fmt.Sprintf("%s to %s%s, expected exactly %d; "+resetStep+" to try again", plural(n, noun), target, answered, c.N)
	case rt.passed[stageTarget] == 0 && c.Kind != CheckRetried && rt.failed > 0:
		// None reached the server: the network dropped every one.
		r.Detail = fmt.Sprintf("the network dropped your %s to %s before the server, so the server never saw it; {screen:press f until the server pane shows faults off|line:type faults off}, and send it again", c.Method, strings.TrimSuffix(target, c.withWords()))
	case rt.passed[stageTarget] == 0 && (c.Kind != CheckRetried || rt.failed == 0):
		r.Detail = fmt.Sprintf("no %s request to %s yet", c.Method, strings.TrimSuffix(target, c.withWords()))
	case rt.passed[stageHeader] == 0 && rt.passed[stageTarget] > 0:
		r.Detail = fmt.Sprintf("%s did not carry %s; %s", what, c.With, addHeader(c.With))
	case rt.passed[stageValue] == 0 && rt.miss != "":
		r.Detail = fmt.Sprintf("%s carried %s", what, rt.miss)
	case rt.passed[stageValue] == 0 && rt.passed[stageTarget] > 0:
		r.Detail = fmt.Sprintf("%s carried %s %s", what, c.With, noETag(rt.star, rt.starHit))
	case c.Kind == CheckRetried && rt.passed[stageRetry] == 0 && rt.cause == causeAfterDrop:
		r.Detail = fmt.Sprintf("the client retried %s after the network dropped it before the server, so the server did it once and no answer was lost; "+resetStep+" to get this step's network back", what)
	case c.Kind == CheckRetried && rt.passed[stageRetry] == 0 && rt.cause == causeIdle && !rt.lostWork && rt.lostErr != "":
		r.Detail = fmt.Sprintf("the client retried %s, but the attempt whose answer was lost did nothing: its answer was an error, %s; fix the request and send it again", what, rt.lostErr)
	case c.Kind == CheckRetried && rt.passed[stageRetry] == 0 && rt.cause == causeIdle:
		r.Detail = fmt.Sprintf("the client retried %s, but the attempt whose answer was lost did nothing new (a replay, or an error): an earlier request had done the work; "+resetStep+" to start over", what)
	case c.Kind == CheckRetried && rt.passed[stageRetry] == 0 && (rt.failed == 0 || rt.cause == causeNotLost):
		r.Detail = fmt.Sprintf("no answer to %s was lost, so the client had nothing to retry; "+resetStep+" to get this step's network back", what)
	case c.Kind == CheckRetried && rt.passed[stageRetry] == 0 && rt.cause == causeNotRetried && rt.keyless && t.keyAsked:
		// The step asks for the key: its policy resends the request given
		// one (Go's does), whatever it does without.
		r.Detail = fmt.Sprintf("the client did not retry %s: it carried no Idempotency-Key, and a client that retries %s %s at all does so only with one; %s", what, article(c.Method), c.Method, addHeader("Idempotency-Key"))
	case c.Kind == CheckRetried && rt.passed[stageRetry] == 0:
		r.Detail = fmt.Sprintf("the client did not retry %s: its retry policy does not resend %s %s; "+resetStep+" to get this step's retry policy back", what, article(c.Method), c.Method)
	case n == 0 && len(c.Codes) > 0 && !c.Heard:
		subject, verb, retries := what, "was", "retry"
		if rt.passed[stageRetry] > 1 {
			subject, verb, retries = fmt.Sprintf("the %s requests to %s", c.Method, strings.TrimSuffix(target, c.withWords())), "were", "retries"
		}
		if c.Kind == CheckRetried {
			subject = "the client's " + retries + " of " + what
		}
		r.Detail = fmt.Sprintf("%s %s answered %s, not %s", subject, verb, statusSummary(rt.answers, rt.seq), codeList(c.Codes, "or"))
		if rt.minimal > 0 && !slices.Contains(c.Codes, 204) && (slices.Contains(c.Codes, 200) || slices.Contains(c.Codes, 201)) {
			// The 204 was asked for: the way to the code sought is to stop asking.
			r.Detail += fmt.Sprintf("; Prefer: return=minimal asks for 204, so send the %s without it", c.Method)
		}
	case c.Heard && rt.unheard > 0:
		// Faults are on: the learner cannot read what the step is about.
		r.Detail = fmt.Sprintf("the network lost the answer to %s on its way back, so the client never read it; "+resetStep+" to get this step's network back, and send it again", what)
	case n == 0 && c.N == 1:
		r.Detail = fmt.Sprintf("no %s request to %s%s yet", c.Method, target, answered)
	default:
		r.Detail = fmt.Sprintf("%d of %d %s requests to %s%s so far", n, c.N, c.Method, target, answered)
		switch {
		case len(c.Codes) == 0 && slices.Contains(t.refusalAsked, c.Method+" "+c.Path):
			// The refusals are the step's point: what is left is the
			// step's next request, not a fix of the refused one.
			r.Detail += "; send the next one the step's text asks for"
		case len(c.Codes) == 0:
			r.Detail += rt.refused()
		}
	}
	return r
}

// refused says how many of the requests a check counted the server refused
// (answered 4xx or 5xx), which changed nothing: "; 2 of them were refused
// (422 ×2), which changes nothing: read what the server said". It is ""
// when none were.
func (rt *reqTally) refused() string {
	n, all, codes := 0, 0, []int(nil)
	for _, code := range rt.seq {
		all += rt.answers[code]
		if code >= 400 {
			n += rt.answers[code]
			codes = append(codes, code)
		}
	}
	them := fmt.Sprintf("%d of them were", n)
	switch {
	case n == 0:
		return ""
	case all == 1:
		them = "it was"
	case n == 1:
		them = "1 of them was"
	}
	return fmt.Sprintf("; %s refused (%s), which changes nothing: read what the server said", them, statusSummary(rt.answers, codes))
}

// noETag says what is wrong with a header that was to hold entity tags;
// went says the "*" request changed what is stored.
func noETag(star, went bool) string {
	switch {
	case star && went:
		// The ETag read before that change is stale now: sending it would
		// only get 412.
		return "as *, which matches any version and so guards nothing: the change went through unguarded; " + resetStep + ", then send the ETag you read"
	case star:
		return "as *, which matches any version and so guards nothing; send the ETag you read instead"
	}
	return "without an ETag in it; send the ETag you read, quotes included"
}

// evalLast: the newest request of the step was METHOD PATH, carrying the
// header (with entity tags, if asked) if the check names one; earlier
// requests do not count.
func (c *Check) evalLast(t *tally) CheckResult {
	want := c.Method + " " + c.Path
	r := CheckResult{Desc: "your last request is " + want + c.withWords()}
	m, p, _ := strings.Cut(t.lastReq, " ")
	same := m == c.Method && (p == c.Path || strings.HasSuffix(c.Path, "*") && matchPath(c.Path, p))
	v, carried := headerValue(t.lastHeader, c.With)
	switch {
	case t.lastReq == "":
		r.Detail = "no request yet since this step began"
	case !same:
		r.Detail = fmt.Sprintf("your last request was %s, expected %s", t.lastReq, want)
	case c.With != "" && !carried:
		r.Detail = fmt.Sprintf("your last %s did not carry %s; %s", want, c.With, addHeader(c.With))
	case c.ETag && !sim.HoldsETags(v):
		r.Detail = fmt.Sprintf("your last %s carried %s %s", want, c.With, noETag(strings.TrimSpace(v) == "*", t.lastWrote))
	case c.Star && strings.TrimSpace(v) != "*":
		r.Detail = fmt.Sprintf("your last %s carried %s as %s, not *", want, c.With, shownValue(v))
	case c.Stale && !t.lastStale:
		r.Detail = fmt.Sprintf("your last %s carried an ETag that was not an earlier version's; send the ETag you read before the current version", want)
	default:
		r.OK = true
		r.Detail = "your last request was " + r.Desc[len("your last request is "):]
	}
	return r
}

// earlyUndo marks, in a changeTally, an undo that took back a change made
// before the step began (otherDetail tells it).
const earlyUndo = "an undo in this step took back a change made before it began (the step's setup, or an earlier step's)"

// otherDetail says what changed path besides the requests a check counts,
// and that only a reset of the step undoes it: an undo is told as a change
// of its own, since it does not erase what the step's requests did.
func (ct *changeTally) otherDetail(path string) string {
	if ct.what == earlyUndo {
		return fmt.Sprintf("an undo in this step took back a change to %s made before it began (the step's setup, or an earlier step's), so it is not as the step found it; %s to start over cleanly", path, resetStep)
	}
	if ct.what == "an "+string(sim.KindUndo) {
		return fmt.Sprintf("an undo changed %s in this step, and an undo does not erase what happened in it; %s to start over cleanly", path, resetStep)
	}
	return fmt.Sprintf("%s changed %s in this step; %s to start over", ct.what, path, resetStep)
}

// evalChanges: unchanged PATH holds while nothing changed PATH since the
// step began; changed-by METHOD PATH … once something did, and only such
// requests.
func (c *Check) evalChanges(t *tally) CheckResult {
	ct := t.changes[c]
	if ct == nil {
		ct = &changeTally{} // not counted for: see newTally
	}
	if c.Kind == CheckUnchanged {
		r := CheckResult{Desc: c.Path + " stays as the step found it", OK: ct.other == 0,
			Detail: "nothing has changed " + c.Path + " in this step"}
		if !r.OK {
			r.Detail = ct.otherDetail(c.Path)
		}
		return r
	}
	by := fmt.Sprintf("%s %s%s", article(c.Method), c.Method, c.withWords())
	r := CheckResult{Desc: fmt.Sprintf("%s is changed by %s, and nothing else", c.Path, by),
		OK: ct.other == 0 && (ct.by == c.N || c.Cmp != "==" && ct.by >= max(c.N, 1))}
	switch {
	case c.Cmp == "==" && c.N == 1:
		r.Desc = fmt.Sprintf("%s is changed once, by %s, and nothing else", c.Path, by)
	case c.Cmp == "==":
		r.Desc = fmt.Sprintf("%s is changed %d times, by %s requests, and nothing else", c.Path, c.N, c.Method+c.withWords())
	}
	switch {
	case ct.other > 0:
		r.Detail = ct.otherDetail(c.Path)
	case c.Cmp == "==" && ct.by > c.N:
		r.Detail = fmt.Sprintf("%s requests changed %s %d times in this step, expected %s; "+resetStep+" to start over", c.Method, c.Path, ct.by, map[bool]string{true: "once", false: strconv.Itoa(c.N) + " times"}[c.N == 1])
	case ct.by < c.N && ct.by > 0:
		r.Detail = fmt.Sprintf("%s requests changed %s %d of %d times so far", c.Method, c.Path, ct.by, c.N)
	case ct.by == 0 && t.last == http.StatusPreconditionFailed && t.lastReq == c.Method+" "+c.Path && c.With != "":
		// The newest request was the right one, refused for its condition.
		v, _ := headerValue(t.lastHeader, c.With)
		r.Detail = fmt.Sprintf("nothing has changed %s in this step yet: your last %s was refused with 412, since %s", c.Path, c.Method, preconditionMiss(v, c.Path))
	case ct.by == 0:
		r.Detail = fmt.Sprintf("nothing has changed %s in this step yet", c.Path)
	default:
		r.Detail = fmt.Sprintf("%s changed %s", by, c.Path)
	}
	return r
}

func (c *Check) evalNew(w World, t *tally) CheckResult {
	n := len(t.newMembers(w, c.Path))
	ok := n == c.N
	want := fmt.Sprintf("%s new in %s since this step began", plural(c.N, "member"), c.Path)
	if c.N == 0 {
		want = fmt.Sprintf("no new member in %s since this step began", c.Path)
	}
	if c.Cmp == ">=" {
		ok = n >= c.N
		want = fmt.Sprintf("at least %s new in %s since this step began", plural(c.N, "member"), c.Path)
	}
	if c.Method != "" {
		want += ", each by a " + c.Method + " to " + c.Path
	}
	r := CheckResult{Desc: want, OK: ok, Detail: fmt.Sprintf("%s new in %s", plural(n, "member"), c.Path)}
	if c.Method != "" {
		// A member the learner made some other way (a PUT to a made-up
		// URL) is not what the step's explanation speaks of.
		for _, m := range t.newMembers(w, c.Path) {
			if by := t.createdBy[m]; by != c.Method+" "+c.Path {
				what := map[bool]string{true: "an ", false: "a "}[by == string(sim.KindUndo)] + by
				if method, _, ok := strings.Cut(by, " "); ok {
					what = article(method) + " " + method + " to " + m
				}
				r.OK = false
				r.Detail = fmt.Sprintf("%s was created by %s, not by %s %s to %s; %s to start over", m, what, article(c.Method), c.Method, c.Path, resetStep)
				return r
			}
		}
	}
	if !ok {
		r.Detail += fmt.Sprintf(", expected %s%d", map[string]string{">=": "at least ", "==": ""}[c.Cmp], c.N)
		if c.Cmp == "==" && n > c.N {
			r.Detail += "; " + resetStep + " to try again"
		}
	}
	return r
}

func (c *Check) evalField(w World, t *tally) CheckResult {
	if base, ok := strings.CutSuffix(c.Path, everyNewMember); ok {
		// Every member created since the step began; the first one that
		// differs says how.
		r := CheckResult{Desc: fmt.Sprintf("every new member of %s has %s %s", base, c.Name, c.Value)}
		ms := t.newMembers(w, base)
		if len(ms) == 0 {
			r.Detail = "no member of " + base + " created since this step began"
			return r
		}
		for _, m := range ms {
			if ok, detail := c.fieldOf(w, m); !ok {
				r.Detail = m + ", created in this step: " + detail + "; " + resetStep + " to start over"
				return r
			}
		}
		r.OK = true
		r.Detail = fmt.Sprintf("%s: %s %s", plural(len(ms), "new member"), c.Name, c.Value)
		return r
	}
	path := c.Path
	r := CheckResult{Desc: fmt.Sprintf("%s %s is %s", path, c.Name, c.Value)}
	if base, ok := strings.CutSuffix(path, newestMember); ok {
		r.Desc = fmt.Sprintf("the new member of %s has %s %s", base, c.Name, c.Value)
		ms := t.newMembers(w, base)
		if len(ms) == 0 {
			r.Detail = "no member of " + base + " created since this step began"
			return r
		}
		path = ms[len(ms)-1]
	}
	r.OK, r.Detail = c.fieldOf(w, path)
	return r
}

// fieldOf compares the field of the resource at path with the check's value,
// and says what it found.
func (c *Check) fieldOf(w World, path string) (bool, string) {
	body, _, ok := w.Resource(path)
	if !ok {
		return false, path + " does not exist"
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return false, path + " is not a JSON object"
	}
	raw, ok := fields[c.Name]
	if !ok {
		return false, fmt.Sprintf("%s has no field %s", path, c.Name)
	}
	got, err := decodeJSON(raw)
	if err != nil {
		return false, fmt.Sprintf("%s is not valid JSON", c.Name)
	}
	shown := compactJSON(raw)
	switch {
	case looseEqual(got, c.want):
		return true, fmt.Sprintf("%s is %s", c.Name, shown)
	case jsonKind(got) != jsonKind(c.want) && !(numeric(got) && numeric(c.want)):
		return false, fmt.Sprintf("%s is %s %s, expected %s %s", c.Name, jsonKind(got), shown, jsonKind(c.want), c.Value)
	}
	// Text holding a number and a number compare as numbers: their kind is
	// not what differs.
	return false, fmt.Sprintf("%s is %s, expected %s", c.Name, shown, c.Value)
}

// numeric reports whether v is a number, or text holding one ("30"), which
// looseEqual compares as a number.
func numeric(v any) bool {
	switch v := v.(type) {
	case json.Number:
		return true
	case string:
		_, ok := new(big.Rat).SetString(strings.TrimSpace(v))
		return ok
	}
	return false
}

// looseEqual is jsonEqual, except that a number and a string holding the
// same number are equal: a lesson that asks for age 30 accepts "30" and 30,
// since JSON's number-or-text choice is not what it teaches.
func looseEqual(a, b any) bool {
	if jsonEqual(a, b) {
		return true
	}
	if s, ok := a.(string); ok {
		a = json.Number(strings.TrimSpace(s))
	}
	if s, ok := b.(string); ok {
		b = json.Number(strings.TrimSpace(s))
	}
	_, na := a.(json.Number)
	_, nb := b.(json.Number)
	return na && nb && jsonEqual(a, b)
}

// jsonKind names the kind of a decoded JSON value, for messages that say
// exactly what differs.
func jsonKind(v any) string {
	switch v.(type) {
	case json.Number:
		return "the number"
	case string:
		return "the text"
	case bool:
		return "the boolean"
	case nil:
		return "null:"
	case []any:
		return "the list"
	default:
		return "the object"
	}
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

// statusSummary lists counted statuses in the order codes lists them, the
// order they were first seen: "201, 200 ×3".
func statusSummary(statuses map[int]int, codes []int) string {
	parts := make([]string, len(codes))
	for i, code := range codes {
		parts[i] = strconv.Itoa(code)
		if n := statuses[code]; n > 1 {
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
