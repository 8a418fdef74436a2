package lessons

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// PlayOptions tune Play. The zero value plays DefaultHistories random learner
// histories per step from seed 1.
type PlayOptions struct {
	Histories int    // random learner histories tried before each step
	Seed      uint64 // the same seed plays the same histories
}

// DefaultHistories is how many random learner histories Play tries before
// each step unless told otherwise.
const DefaultHistories = 16

// Play plays every step of every lesson against fresh simulated servers, as
// `putpost lint --play` does, and reports each way a pass mark could lie:
//
//   - the step's solution, sent after the previous steps' solutions, does not
//     pass it;
//   - after a random history of plausible learner requests (skipped steps,
//     extra POSTs, repeats, resets) the solution no longer passes, and the
//     step's setup does not make it pass;
//   - the step passes before the learner sends anything;
//   - a wrong answer passes: the solution with its method swapped, a header
//     removed, or a body field dropped or changed — unless the step's accept
//     block lists it as an equivalent answer;
//   - a check names a path no resource can have, or a check line never holds
//     in any play, so it refers to something that cannot happen.
//   - the explanation names a value (a status, a number, a stored text) that
//     the straight play showed but another passing play did not: a random
//     history, or a wrong answer followed by the solution (see claims.go).
//
// Problems carry the lesson file and the line of the step, solution line or
// check line concerned.
func Play(ls []*Lesson, o PlayOptions) Problems {
	if o.Histories <= 0 {
		o.Histories = DefaultHistories
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	var probs Problems
	for _, l := range ls {
		probs = append(probs, playLint(l, o)...)
	}
	return probs
}

// player plays one lesson for lint and collects its problems.
type player struct {
	l     *Lesson
	probs Problems
	held  map[*Check]bool // every predicate seen to hold in some play
	seen  map[string]bool // problems already reported, so repeats of one are one
	fails map[int]bool    // steps whose solution failed in the straight play

	claimed   map[int][]claim // per step: what its explanation says the straight play showed
	claimSeen map[string]bool // claims already reported
}

func newPlayer(l *Lesson) *player {
	return &player{l: l, held: map[*Check]bool{}, seen: map[string]bool{}, fails: map[int]bool{},
		claimed: map[int][]claim{}, claimSeen: map[string]bool{}}
}

func (p *player) report(line int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := strconv.Itoa(line) + msg
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	p.probs = append(p.probs, Problem{File: p.l.File, Line: line, Msg: msg})
}

// stepRef names a step in messages: its number and title.
func stepRef(i int, st *Step) string { return fmt.Sprintf("step %d %q", i+1, st.Title) }

// game is one fresh server, an engine over one lesson, and the learner's client.
type game struct {
	srv     *sim.Server
	eng     *Engine
	learner *sim.Client
}

func newGame(l *Lesson) *game {
	srv := sim.New(sim.Options{Fixture: l.Fixture})
	return &game{srv: srv, eng: NewEngine([]*Lesson{l}, srv, nil), learner: srv.Client(sim.SourceComposer)}
}

// begin sets the learner's network up as the front ends do when a step begins.
func (g *game) begin() {
	st := g.eng.Step()
	if st == nil || st.Network == nil {
		g.learner.SetFaults(sim.FaultSettings{})
		g.learner.SetRetry(sim.RetryNone)
		return
	}
	f := st.Network.Faults
	f.Delay = 0 // the play need not wait
	g.learner.SetFaults(f)
	if st.Network.Retry != "" {
		g.learner.SetRetry(st.Network.Retry)
	}
}

// sendSolution sends the current step's solution as the learner would,
// filling live values in just before each line is sent.
func (g *game) sendSolution() {
	st := g.eng.Step()
	for _, line := range st.Solution {
		g.eng.tally.ingest(g.srv)
		sendText(context.Background(), g.learner, resolveLive(line, g.srv, g.eng.tally))
	}
}

// holds evaluates the current step's checks without marking anything passed,
// and records in held every predicate that holds now.
func (g *game) holds(held map[*Check]bool) ([]CheckResult, bool) {
	st := g.eng.Step()
	g.eng.tally.ingest(g.srv)
	st.Check.walk(func(c *Check) {
		if c.Kind != CheckAll && c.Kind != CheckAny && c.evalShown(g.srv, g.eng.tally).OK {
			held[c] = true
		}
	})
	// Lint shows what each check really asks, hidden or not.
	rs := make([]CheckResult, len(st.Check.Sub))
	for i, c := range st.Check.Sub {
		rs[i] = c.evalShown(g.srv, g.eng.tally)
	}
	return rs, allOK(rs)
}

func failing(rs []CheckResult) string {
	var parts []string
	for _, r := range rs {
		if !r.OK {
			parts = append(parts, ForView(r.Desc+" — "+r.Detail, Line))
		}
	}
	return strings.Join(parts, "; ")
}

func playLint(l *Lesson, o PlayOptions) Problems {
	p := newPlayer(l)
	p.pathsExist()
	p.straight()
	for i, st := range l.Steps {
		if st.IsQuiz() || st.Check == nil || i == 0 || p.fails[i] {
			continue // before the first step there is no history to play
		}
		for h := range o.Histories {
			// One failing history says enough about a step.
			if !p.history(i, rand.New(rand.NewPCG(o.Seed, seedOf(l.ID, i, h)))) {
				break
			}
		}
	}
	p.neverHeld()
	slices.SortStableFunc(p.probs, func(a, b Problem) int { return a.Line - b.Line })
	return p.probs
}

func seedOf(id string, step, h int) uint64 {
	f := fnv.New64a()
	fmt.Fprintf(f, "%s#%d#%d", id, step, h)
	return f.Sum64()
}

// straight plays the lesson from its fixture, each step after the previous
// steps' solutions: (c) nothing sent must not pass, (d) mutated answers must
// not pass, (a) the solution must.
func (p *player) straight() {
	g := newGame(p.l)
	for i, st := range p.l.Steps {
		if st.IsQuiz() || st.Check == nil {
			g.eng.Next()
			continue
		}
		g.begin()
		if rs, ok := g.holds(p.held); ok {
			p.report(st.Line, "%s passes before the learner sends anything (%s); check what happens since the step began, such as \"request …\" or \"new-members …\"", stepRef(i, st), passing(rs))
		}
		wrong := map[int][]string{} // solution line → the wrong answers that passed
		type halfRight struct {
			what string
			saw  sight
		}
		var halves []halfRight // a wrong answer first, then the solution, passed
		for _, m := range p.mutations(g, st) {
			g.eng.ResetStep()
			start := g.srv.LastSeq()
			for _, rl := range m.lines {
				send(context.Background(), g.learner, rl)
			}
			if _, ok := g.holds(p.held); ok {
				if !st.accepts(m) {
					wrong[m.line] = append(wrong[m.line], m.what)
				}
				continue
			}
			sol := g.srv.LastSeq()
			g.sendSolution()
			if _, ok := g.holds(p.held); ok {
				halves = append(halves, halfRight{"first the solution " + m.what + ", then the solution", sightOf(g.srv, start, sol)})
			}
		}
		for k := range st.solutionAt {
			if len(wrong[k]) > 0 {
				p.report(st.solutionAt[k], "%s passes with wrong answers — this line %s; tighten its checks, or list what is equivalent in an accept block",
					stepRef(i, st), strings.Join(wrong[k], ", or "))
			}
		}
		p.acceptedAnswers(g, i, st)
		g.eng.ResetStep()
		start := g.srv.LastSeq()
		g.sendSolution()
		if rs, ok := g.holds(p.held); !ok {
			p.fails[i] = true
			p.report(st.Line, "%s: its solution does not pass it after the previous steps' solutions: %s", stepRef(i, st), failing(rs))
		} else {
			p.claimed[i] = st.claims(sightOf(g.srv, start, start))
			for _, h := range halves {
				p.compareClaims(i, st, h.saw, h.what)
			}
		}
		g.eng.Next()
	}
}

// acceptedAnswers plays each request line of the step's accept block as the
// learner's answer, in place of a one-line solution or of the solution line
// with the same target: an answer the lesson calls equally right must pass,
// and the checks it makes hold count as held (an any: alternative that only
// an accepted answer reaches is not "never held").
func (p *player) acceptedAnswers(g *game, i int, st *Step) {
	for _, a := range st.acceptRules {
		if a.kind != "line" {
			continue
		}
		g.eng.ResetStep()
		replaced := false
		for _, line := range st.Solution {
			g.eng.tally.ingest(g.srv)
			text := resolveLive(line, g.srv, g.eng.tally)
			rl, err := request.Parse(text)
			if err == nil && !replaced && (len(st.Solution) == 1 || rl.Target == a.line.Target) {
				send(context.Background(), g.learner, a.line)
				replaced = true
				continue
			}
			sendText(context.Background(), g.learner, text)
		}
		if rs, ok := g.holds(p.held); !ok {
			p.report(st.Line, "%s: the accepted answer %s does not pass it: %s; fix the accept block or the checks",
				stepRef(i, st), a.line.String(), failing(rs))
		}
	}
}

func passing(rs []CheckResult) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.Desc)
	}
	return strings.Join(parts, "; ")
}

// history plays a random learner history up to step i, then the step's
// solution, which must pass; and the step must not pass before it is sent.
// It reports whether all was well.
func (p *player) history(i int, r chooser) bool {
	g := newGame(p.l)
	desc := playHistory(g, p.l, i, r)
	st := p.l.Steps[i]
	g.begin()
	start := g.srv.LastSeq()
	if rs, ok := g.holds(p.held); ok {
		p.report(st.Line, "%s passes before the learner sends anything, after this history: %s (%s)", stepRef(i, st), desc, passing(rs))
		return false
	}
	g.sendSolution()
	if rs, ok := g.holds(p.held); !ok {
		p.report(st.Line, "%s: its solution does not pass after this history: %s — %s; give the step a setup block, or checks about what happens since it began", stepRef(i, st), desc, failing(rs))
		return false
	}
	p.compareClaims(i, st, sightOf(g.srv, start, start), "after this history: "+desc+", then the solution")
	return true
}

// chooser picks a number in [0, n); *rand.Rand and property tests provide one.
type chooser interface{ IntN(n int) int }

// playHistory walks a learner through steps 0 … i-1 of l at random —
// skipping, solving, repeating, adding stray requests, resetting — and
// leaves the engine at step i. It returns a short description.
func playHistory(g *game, l *Lesson, i int, r chooser) string {
	pool := requestPool(l)
	var desc []string
	for j := 0; j < i; j++ {
		st := l.Steps[j]
		g.begin()
		var did []string
		for range r.IntN(4) {
			switch k := r.IntN(6); {
			case k <= 1 && len(st.Solution) > 0:
				g.sendSolution()
				did = append(did, "its solution")
			case k == 2 && len(pool) > 0:
				rl := pool[r.IntN(len(pool))]
				send(context.Background(), g.learner, rl)
				did = append(did, rl.String())
			case k == 3:
				g.eng.ResetStep()
				did = append(did, "reset step")
			case k == 4 && len(pool) > 0:
				rl := pool[r.IntN(len(pool))]
				rl.Repeat = 2 + r.IntN(3)
				send(context.Background(), g.learner, rl)
				did = append(did, rl.String())
			default:
				if st.IsQuiz() {
					g.eng.Answer(r.IntN(len(st.Quiz.Choices)))
					did = append(did, "answered the quiz")
				}
			}
		}
		if len(did) == 0 {
			did = append(did, "skipped")
		}
		desc = append(desc, fmt.Sprintf("step %d: %s", j+1, strings.Join(did, ", ")))
		g.eng.Next()
	}
	if len(desc) == 0 {
		return "nothing sent"
	}
	return strings.Join(desc, "; ")
}

// requestPool is what a learner plausibly sends in a lesson: every request
// line of its solutions and setups (live values as samples), and a POST of
// each again.
func requestPool(l *Lesson) []request.Line {
	var pool []request.Line
	for _, st := range l.Steps {
		for i, rl := range st.solution {
			if !hasLive(st.Solution[i]) {
				rl.Repeat = 1
				pool = append(pool, rl)
			}
		}
		for _, line := range st.Setup {
			if rl, err := request.Parse(line); err == nil {
				pool = append(pool, rl)
			}
		}
	}
	return pool
}

// mutation is a wrong answer: the solution with one line changed.
type mutation struct {
	lines []request.Line
	line  int    // which line changed
	what  string // what changed, in words
	kind  string // "method", "header", "field"
	name  string // the method put in, the header removed, or the field changed
	body  bool   // the change is to the body
}

// curlBodyType is the Content-Type curl -d gives a body unless told
// otherwise, as the request-line parser knows it.
var curlBodyType = func() string {
	rl, _ := request.Parse("curl -d x http://localhost/")
	return rl.Header.Get("Content-Type")
}()

// methodSwaps are the methods a wrong answer plausibly uses instead.
var methodSwaps = map[string][]string{
	"PUT":     {"POST", "PATCH"},
	"POST":    {"PUT"},
	"PATCH":   {"PUT", "POST"},
	"DELETE":  {"GET", "POST"},
	"GET":     {"HEAD"},
	"HEAD":    {"GET"},
	"OPTIONS": {"GET"},
	"TRACE":   {"GET"},
}

// mutations lists the wrong answers for a step: every line of its solution
// (live values filled in as the learner would see them now) with the method
// swapped, one header removed, or one top-level body field dropped or changed.
func (p *player) mutations(g *game, st *Step) []mutation {
	g.eng.tally.ingest(g.srv)
	var sol []request.Line
	for _, line := range st.Solution {
		rl, err := request.Parse(resolveLive(line, g.srv, g.eng.tally))
		if err != nil {
			return nil
		}
		sol = append(sol, rl)
	}
	var out []mutation
	add := func(k int, rl request.Line, m mutation) {
		m.lines = slices.Clone(sol)
		m.lines[k] = rl
		m.line = k
		out = append(out, m)
	}
	for k, rl := range sol {
		swaps := methodSwaps[rl.Method]
		if swaps == nil {
			swaps = []string{"GET"}
		}
		for _, m := range swaps {
			w := rl
			w.Method = m
			w.Header = rl.Header.Clone()
			if m == "GET" || m == "HEAD" {
				w.Body = ""
				w.Header.Del("Content-Type")
			}
			add(k, w, mutation{what: m + " in place of " + rl.Method, kind: "method", name: m})
		}
		for _, name := range slices.Sorted(maps.Keys(rl.Header)) {
			w := rl
			w.Header = rl.Header.Clone()
			w.Header.Del(name)
			if rl.Curl && name == "Content-Type" && rl.Body != "" {
				w.Header.Set(name, curlBodyType) // curl -d without -H labels the body
			}
			// The line as the learner would type it without the header: a
			// Content-Type the line implies comes back, and one that cannot
			// be left out is no mutation.
			w, err := request.Parse(w.String())
			if err != nil || w.String() == rl.String() {
				continue
			}
			add(k, w, mutation{what: "without the " + name + " header", kind: "header", name: name})
		}
		for _, f := range bodyMutations(rl.Body) {
			w := rl
			w.Body = f.body
			add(k, w, mutation{what: f.what, kind: "field", name: f.field, body: true})
		}
	}
	return out
}

type bodyMutation struct{ body, field, what string }

// bodyMutations drops and changes each top-level field of a JSON object body.
func bodyMutations(body string) []bodyMutation {
	var obj map[string]json.RawMessage
	if body == "" || json.Unmarshal([]byte(body), &obj) != nil {
		return nil
	}
	var out []bodyMutation
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range obj {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		drop := make(map[string]json.RawMessage, len(obj))
		for kk, v := range obj {
			if kk != k {
				drop[kk] = v
			}
		}
		out = append(out, bodyMutation{body: marshal(drop), field: k, what: "without the field " + k})
		if v, ok := changed(obj[k]); ok {
			ch := make(map[string]json.RawMessage, len(obj))
			for kk, vv := range obj {
				ch[kk] = vv
			}
			ch[k] = v
			out = append(out, bodyMutation{body: marshal(ch), field: k, what: fmt.Sprintf("with %s changed to %s", k, v)})
		}
	}
	return out
}

func marshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// changed is a different value of the same kind: text gets a suffix, a
// number grows by one, a boolean flips.
func changed(raw json.RawMessage) (json.RawMessage, bool) {
	v, err := decodeJSON(raw)
	if err != nil {
		return nil, false
	}
	switch v := v.(type) {
	case string:
		return json.RawMessage(strconv.Quote(v + "x")), true
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return nil, false
		}
		return json.RawMessage(strconv.FormatFloat(f+1, 'f', -1, 64)), true
	case bool:
		return json.RawMessage(strconv.FormatBool(!v)), true
	}
	return nil, false
}

// accepts reports whether the step's accept block lists the mutation as an
// equivalent answer.
func (st *Step) accepts(m mutation) bool {
	for _, a := range st.acceptRules {
		switch {
		case a.kind == "body" && m.body,
			a.kind == m.kind && strings.EqualFold(a.name, m.name):
			return true
		case a.kind == "line":
			got := m.lines[m.line]
			got.Repeat = 1
			want := a.line
			want.Repeat = 1
			if got.String() == want.String() || sameRequest(got, want) {
				return true
			}
		}
	}
	return false
}

// sameRequest compares two request lines by method, target, headers and
// JSON body value (key order and spacing do not matter).
func sameRequest(a, b request.Line) bool {
	if a.Method != b.Method || a.Target != b.Target || len(a.Header) != len(b.Header) {
		return false
	}
	for k, v := range a.Header {
		if !slices.Equal(v, b.Header[k]) {
			return false
		}
	}
	if a.Body == b.Body {
		return true
	}
	x, errA := decodeJSON([]byte(a.Body))
	y, errB := decodeJSON([]byte(b.Body))
	return errA == nil && errB == nil && jsonEqual(x, y)
}

// pathsExist reports check paths that no resource in the simulated world can
// have (a typo such as /fligths/AA123).
func (p *player) pathsExist() {
	for i, st := range p.l.Steps {
		st.Check.walk(func(c *Check) {
			if c.Path == "" {
				return
			}
			path := strings.TrimSuffix(strings.TrimSuffix(c.Path, "/*"), newestMember)
			if !sim.Routable(path) {
				p.report(c.Line, "%s: no resource can exist at %s, so this check can never mean anything; is the path misspelt?", stepRef(i, st), path)
			}
		})
	}
}

// neverHeld reports check lines that held in no play at all.
func (p *player) neverHeld() {
	for i, st := range p.l.Steps {
		st.Check.walk(func(c *Check) {
			if c.Kind == CheckAll || c.Kind == CheckAny || p.held[c] || p.fails[i] {
				return // a failing solution is reported already
			}
			p.report(c.Line, "%s: the check %q never held in any play (solutions, learner histories, wrong answers); does it refer to something that can happen?", stepRef(i, st), c.predicate())
		})
	}
}

// Warnings lists what lint points out without refusing the lessons: a quiz
// whose right choice is strictly the longest (learners learn to pick the
// longest answer), and, from the second lesson on, a request block that
// prefills the exact answer (learners should think first).
func Warnings(ls []*Lesson) Problems { return warningsFrom(ls, 0) }

// warningsFrom is Warnings for lessons that come first+1, first+2, … in
// teaching order.
func warningsFrom(ls []*Lesson, first int) Problems {
	var ws Problems
	for li, l := range ls {
		li += first
		for i, st := range l.Steps {
			if st.Quiz != nil && rightIsLongest(st.Quiz) {
				ws = append(ws, Problem{File: l.File, Line: st.Line, Msg: fmt.Sprintf("warning: quiz %d %q: the right choice is the longest one; learners learn to pick the longest answer, so make another choice as long", i+1, st.Title)})
			}
			if li > 0 && st.Suggest != "" && prefillsAnswer(st) {
				ws = append(ws, Problem{File: l.File, Line: st.Line, Msg: fmt.Sprintf("warning: %s: the request block prefills the exact answer; from the second lesson on, let the learner think first (leave it out, or give a scaffold such as the path without the method)", stepRef(i, st))})
			}
		}
	}
	return ws
}

func rightIsLongest(q *Quiz) bool {
	right, longestWrong := 0, 0
	for _, c := range q.Choices {
		n := len([]rune(c.Text))
		if c.Correct {
			right = n
		} else {
			longestWrong = max(longestWrong, n)
		}
	}
	return right > longestWrong
}

func prefillsAnswer(st *Step) bool {
	s, err := request.Parse(st.Suggest)
	if err != nil {
		return false
	}
	s.Repeat = 1
	for _, rl := range st.solution {
		rl.Repeat = 1
		if sameRequest(s, rl) {
			return true
		}
	}
	return false
}
