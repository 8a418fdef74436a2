package lessons

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// Engine walks one learner through the lessons against one simulated server:
// it knows the current lesson and step, evaluates the step's checks against
// the server, reveals hints, takes quiz answers and records progress. It knows
// nothing about screens; the full-screen and line-mode front ends both drive it.
//
// An Engine is not safe for concurrent use: call it from one goroutine (the
// front ends serialise calls through their event loop). The server it drives
// may receive requests from anywhere, for example curl on the loopback
// listener; Observe picks them up.
type Engine struct {
	lessons []*Lesson
	srv     *sim.Server
	prog    *Progress
	client  *sim.Client // replays passed steps when a lesson is resumed

	li, si  int          // current lesson and step; li is -1 without lessons
	cp      sim.Snapshot // state when the step began (after its setup), for ResetStep
	tally   *tally       // exchanges since the step began
	hints   int          // hints revealed in this step
	explain string       // the explanation with live values as they were when the step passed
	// explained keeps each step's explain as it was when the step last
	// passed in this process, by lesson ID and step index: going back to
	// the step, or resetting it, shows what happened then rather than
	// values the server has moved on from since.
	explained map[stepKey]string
	saveErr   error // a failed save not yet reported by Observe
}

type stepKey struct {
	lesson string
	step   int
}

// StepStatus is how the current step stands after Observe.
type StepStatus struct {
	Passed     bool          // the step is passed (now or earlier); it stays passed
	JustPassed bool          // this call is the one that saw it pass; offer Next
	Results    []CheckResult // one per check line of a task step, evaluated now; nil for a quiz
	SaveErr    error         // progress could not be saved (the tutorial goes on)
}

// Holds reports whether every check holds now (true for a step without
// checks): on a step passed before (an earlier visit, or before a reset),
// whether this visit's requests pass it again.
func (st StepStatus) Holds() bool {
	return !slices.ContainsFunc(st.Results, func(r CheckResult) bool { return !r.OK })
}

// Checklist is Results as a checklist shows them: the hidden outcomes not
// found yet are one line, "see what the server does", saying how many there
// are when there are several, rather than the same words once for each;
// while a shown check is not met either, it says what that one still asks
// for rather than to try the task another way.
func (st StepStatus) Checklist() []CheckResult {
	var out []CheckResult
	hidden, n := -1, 0
	left := "" // the first shown check not yet met: what the step still asks for
	for _, r := range st.Results {
		if left == "" && !r.OK && r.Desc != hiddenGoal {
			left = r.Detail
		}
	}
	for _, r := range st.Results {
		if !r.OK && r.Desc == hiddenGoal && strings.HasPrefix(r.Detail, hiddenNotSeen) && left != "" {
			// Halfway through the task: the rest of it may show it.
			r.Detail = "not seen yet; the step is not done: " + left
		}
		if !r.OK && r.Desc == hiddenGoal {
			n++
			if hidden >= 0 {
				continue
			}
			hidden = len(out)
		}
		out = append(out, r)
	}
	if n > 1 {
		out[hidden].Desc = fmt.Sprintf("%s (%d things to find out)", hiddenGoal, n)
	}
	return out
}

// NotYet says in one line why a task step has not passed, from its check
// results: how many hold and what the first missing one saw —
// `Not yet: 3 of 4 — gate is "a7", expected "b12"`, or the first that says
// to reset the step, since nothing else helps then. It is "" for a passed
// step and for a step without checks (a quiz). Every front end says this
// same line after a request that does not pass the step.
func (st StepStatus) NotYet() string {
	if st.Passed || len(st.Results) == 0 {
		return ""
	}
	ok, why := 0, ""
	for _, r := range st.Results {
		switch {
		case r.OK:
			ok++
		case strings.Contains(r.Detail, resetWords) && !strings.Contains(why, resetWords):
			// Only a reset lets the step pass now: nothing else is worth
			// saying first.
			why = r.Detail
		case why == "" && r.Detail != "":
			why = r.Detail
		case why == "":
			why = r.Desc
		}
	}
	if ok == len(st.Results) {
		return ""
	}
	return fmt.Sprintf("Not yet: %d of %d — %s", ok, len(st.Results), why)
}

// NewEngine starts an engine over the lessons, in the lesson the learner was
// in (progress.Current()) or else the first one, at its first unfinished step
// (see Goto). progress may be nil to keep progress in memory only.
func NewEngine(ls []*Lesson, srv *sim.Server, progress *Progress) *Engine {
	if progress == nil {
		progress = &Progress{}
	}
	e := &Engine{lessons: ls, srv: srv, prog: progress, li: -1, tally: newTally(0, nil)}
	if len(ls) == 0 {
		return e
	}
	e.enterLesson(max(e.index(progress.Current()), 0))
	return e
}

// index is the position of the lesson with this id, or -1.
func (e *Engine) index(lessonID string) int {
	return slices.IndexFunc(e.lessons, func(l *Lesson) bool { return l.ID == lessonID })
}

// Lessons returns the lessons the engine runs, in order.
func (e *Engine) Lessons() []*Lesson { return e.lessons }

// Lesson is the current lesson (nil when there are no lessons).
func (e *Engine) Lesson() *Lesson {
	if e.li < 0 {
		return nil
	}
	return e.lessons[e.li]
}

// StepIndex is the 0-based index of the current step in the current lesson.
func (e *Engine) StepIndex() int { return e.si }

// Step is the current step (nil when there are no lessons).
func (e *Engine) Step() *Step {
	l := e.Lesson()
	if l == nil || e.si >= len(l.Steps) {
		return nil
	}
	return l.Steps[e.si]
}

// Goto enters a lesson: the server is reset to the lesson's fixture and the
// learner starts at their first unfinished step (the first step when all are
// passed). The solutions of the passed steps before it are sent again, as
// SourceLesson requests, so the server is in the state that step expects.
func (e *Engine) Goto(lessonID string) error {
	i := e.index(lessonID)
	if i < 0 {
		ids := make([]string, len(e.lessons))
		for j, l := range e.lessons {
			ids[j] = l.ID
		}
		return fmt.Errorf("no lesson %q%s", lessonID, didYouMean(lessonID, ids))
	}
	return e.enterLesson(i)
}

func (e *Engine) enterLesson(i int) error {
	e.li = i
	l := e.lessons[i]
	if err := e.prog.SetCurrent(l.ID); err != nil {
		e.saveErr = err
	}
	if err := e.srv.Reset(l.Fixture); err != nil {
		e.si = 0
		e.enterStep()
		return fmt.Errorf("lesson %s: %w", l.ID, err)
	}
	first := 0
	for first < len(l.Steps) && e.prog.Passed(l.ID, first) {
		first++
	}
	if first == len(l.Steps) {
		first = 0 // all done: start again from the top
	}
	for _, st := range l.Steps[:first] {
		e.replay(st)
	}
	e.si = first
	e.enterStep()
	return nil
}

// replay runs a passed step's setup and sends its solution, to rebuild the
// state it left.
func (e *Engine) replay(st *Step) {
	e.setup(st)
	if len(st.Solution) == 0 {
		return
	}
	var n Network
	if st.Network != nil {
		n = *st.Network
	}
	n.Faults.Delay = 0 // catch up at once
	if n.Retry == "" {
		n.Retry = sim.RetryNone
	}
	c := e.lessonClient()
	c.SetFaults(n.Faults)
	c.SetRetry(n.Retry)
	t := newTally(e.srv.LastSeq(), nil)
	for _, line := range st.Solution {
		t.ingest(e.srv)
		sendText(context.Background(), c, resolveLive(line, e.srv, t))
	}
}

// lessonClient is the client the lesson sends with: its requests show in the
// log as sent by the lesson.
func (e *Engine) lessonClient() *sim.Client {
	if e.client == nil {
		e.client = e.srv.Client(sim.SourceLesson)
	}
	return e.client
}

// setup puts the server in the state the step starts from: its setup
// fixture, then its setup requests, on a normal network.
func (e *Engine) setup(st *Step) {
	if st.SetupFixture != "" {
		e.srv.Reset(st.SetupFixture) // checked when the lesson was loaded
	}
	if len(st.Setup) == 0 {
		return
	}
	c := e.lessonClient()
	c.SetFaults(sim.FaultSettings{})
	c.SetRetry(sim.RetryNone)
	t := newTally(e.srv.LastSeq(), nil)
	for _, line := range st.Setup {
		t.ingest(e.srv)
		rl, err := request.Parse(resolveLive(line, e.srv, t))
		if err != nil || needless(e.srv, rl) {
			continue
		}
		send(context.Background(), c, rl)
	}
}

// needless reports whether a setup request has nothing to do on the server
// as it is: a create-only request (If-None-Match: *) whose target exists, a
// DELETE whose target is gone, a PUT of exactly what is stored, or a POST
// whose Idempotency-Key the server holds already. Setups use them to make a state hold "whatever came
// before"; sent anyway, the server would refuse them (412, 404, 422 for a
// key the learner used with another body) or replay them without changing
// anything, and the log would show a failure that the learner did not
// cause — on every visit after they had done the work themselves.
func needless(w liveWorld, rl request.Line) bool {
	_, _, exists := w.Resource(targetPath(rl.Target))
	if rl.Method == http.MethodPost && w.KeyHeld(rl.Header) {
		return true
	}
	switch {
	case strings.TrimSpace(rl.Header.Get("If-None-Match")) == "*":
		return exists
	case rl.Method == http.MethodDelete:
		return !exists
	case rl.Method == http.MethodPut && exists && rl.Header.Get("If-Match") == "":
		return storedAlready(w, targetPath(rl.Target), rl.Body)
	}
	return false
}

// storedAlready reports whether body, as JSON, is what is stored at path:
// the same fields and values, numbers written the same ("80.00" is not
// "80", which the server would store as sent).
func storedAlready(w World, path, body string) bool {
	stored, _, ok := w.Resource(path)
	if !ok {
		return false
	}
	a, err := decodeJSONValue(stored)
	if err != nil {
		return false
	}
	b, err := decodeJSONValue([]byte(body))
	return err == nil && reflect.DeepEqual(a, b)
}

// sendText parses a request line and sends it; a line that does not parse
// (a live value that could not be filled in) is not sent.
func sendText(ctx context.Context, c *sim.Client, line string) {
	if rl, err := request.Parse(line); err == nil {
		send(ctx, c, rl)
	}
}

// send sends a request line Repeat times and drains the responses. Failures
// (a lost response, say) are part of the lesson, not errors.
func send(ctx context.Context, c *sim.Client, rl request.Line) {
	for range max(rl.Repeat, 1) {
		req, err := rl.NewRequest(ctx)
		if err != nil {
			return
		}
		resp, err := c.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
}

// enterStep runs the current step's setup and records where the step begins.
func (e *Engine) enterStep() {
	if st := e.Step(); st != nil {
		e.setup(st)
	}
	e.cp = e.srv.Checkpoint()
	e.restart()
	e.hints = 0
}

// restart starts the step's checks afresh from the newest event.
func (e *Engine) restart() {
	var c *Check
	if st := e.Step(); st != nil {
		c = st.Check
	}
	e.tally = newTally(e.srv.LastSeq(), c)
	e.explain = ""
}

// Next moves to the next step of the lesson; false at the last step. Steps may
// be skipped: a step need not be passed to move on.
func (e *Engine) Next() bool {
	l := e.Lesson()
	if l == nil || e.si+1 >= len(l.Steps) {
		return false
	}
	e.si++
	e.enterStep()
	return true
}

// Back moves to the previous step; false at the first. The server keeps its
// state; the step's checks look at exchanges from now on.
func (e *Engine) Back() bool {
	if e.Lesson() == nil || e.si == 0 {
		return false
	}
	e.si--
	e.enterStep()
	return true
}

// NextLesson is the lesson after the current one, or nil.
func (e *Engine) NextLesson() *Lesson {
	if e.li < 0 || e.li+1 >= len(e.lessons) {
		return nil
	}
	return e.lessons[e.li+1]
}

// Saw counts evs, the newest events of the engine's server as a caller
// has just read them (oldest first), for the current step, so that the next
// Observe need not read them from the server again. Events that do not
// follow the last one counted are left for Observe to read.
func (e *Engine) Saw(evs []sim.Event) {
	e.tally.take(evs)
}

// Observe evaluates the current step's checks against the exchanges since the
// step began and the server's current state. Call it after every event. When
// the checks first all hold, the step is marked passed and progress is saved
// at once; a passed step stays passed whatever happens afterwards.
func (e *Engine) Observe() StepStatus {
	st := e.Step()
	if st == nil {
		return StepStatus{}
	}
	l := e.Lesson()
	s := StepStatus{Passed: e.prog.Passed(l.ID, e.si), SaveErr: e.saveErr}
	e.saveErr = nil
	if st.Check == nil {
		return s
	}
	e.tally.ingest(e.srv)
	s.Results = st.Check.results(e.srv, e.tally)
	if allOK(s.Results) && e.explain == "" {
		e.explain = resolveLive(st.Explain, e.srv, e.tally)
		if e.explained == nil {
			e.explained = map[stepKey]string{}
		}
		e.explained[stepKey{l.ID, e.si}] = e.explain
	}
	if !s.Passed && allOK(s.Results) {
		s.Passed, s.JustPassed = true, true
		if err := e.prog.MarkPassed(l.ID, e.si); err != nil {
			s.SaveErr = err
		}
	}
	return s
}

// StepPassed reports whether step i (0-based) of the current lesson is passed.
func (e *Engine) StepPassed(i int) bool {
	l := e.Lesson()
	return l != nil && e.prog.Passed(l.ID, i)
}

// Answer answers the current quiz with choice i (0-based). It says whether the
// choice is right and why: the choice's explanation, or for a right choice
// without one, the step's explanation. A right answer passes the step and
// saves progress.
func (e *Engine) Answer(choice int) (correct bool, why string) {
	st := e.Step()
	if st == nil || st.Quiz == nil {
		return false, "this step is not a quiz"
	}
	if choice < 0 || choice >= len(st.Quiz.Choices) {
		return false, fmt.Sprintf("there is no choice %d; choose 1 to %d", choice+1, len(st.Quiz.Choices))
	}
	c := st.Quiz.Choices[choice]
	if !c.Correct {
		return false, c.Why
	}
	if err := e.prog.MarkPassed(e.Lesson().ID, e.si); err != nil {
		e.saveErr = err
	}
	if c.Why != "" {
		return true, c.Why
	}
	return true, st.Explain
}

// NextHint reveals the next hint of the current step, its live values filled
// in; ok is false when every hint is shown already.
func (e *Engine) NextHint() (hint string, ok bool) {
	st := e.Step()
	if st == nil || e.hints >= len(st.Hints) {
		return "", false
	}
	e.hints++
	e.tally.ingest(e.srv)
	return resolveLive(st.Hints[e.hints-1], e.srv, e.tally), true
}

// HintsShown lists the hints revealed in the current step, in order, with
// their live values as the server is now.
func (e *Engine) HintsShown() []string {
	st := e.Step()
	if st == nil {
		return nil
	}
	e.tally.ingest(e.srv)
	out := make([]string, e.hints)
	for i, h := range st.Hints[:e.hints] {
		out[i] = resolveLive(h, e.srv, e.tally)
	}
	return out
}

// Solution is the current step's solution: request lines, in order (nil for
// a quiz), with live values filled in from the learner's server as it is now.
func (e *Engine) Solution() []string {
	st := e.Step()
	if st == nil {
		return nil
	}
	e.tally.ingest(e.srv)
	out := make([]string, len(st.Solution))
	for i, line := range st.Solution {
		out[i] = resolveLive(line, e.srv, e.tally)
	}
	return out
}

// SolutionNext is the index in resolved, the lines Solution just returned,
// of the first line the step still needs: after the learner's newest
// requests in this step were those of the solution's first lines (method and
// path, in order, each as often as its count), the line after them. It is 0
// when they were not, when the whole solution was sent and the step still
// waits (the solution from the start again), and when the step is passed.
// It reads the exchanges Solution took in and changes nothing.
func (e *Engine) SolutionNext(resolved []string) int {
	if e.Step() == nil || len(resolved) < 2 || e.StepPassed(e.si) {
		return 0
	}
	recent := e.tally.recent
	// want is the requests the solution's lines make, one by one; ends[i]
	// how many of them its lines up to i make. Lines are read only while
	// they make no more requests than the tally holds.
	var want []string
	var ends []int
	for _, line := range resolved[:len(resolved)-1] {
		if len(want) > len(recent) {
			break
		}
		rl, err := request.Parse(line)
		if err != nil {
			return 0
		}
		for range max(rl.Repeat, 1) {
			want = append(want, rl.Method+" "+targetPath(rl.Target))
		}
		ends = append(ends, len(want))
	}
	for k := len(ends); k > 0; k-- {
		if n := ends[k-1]; n <= len(recent) && slices.Equal(recent[len(recent)-n:], want[:n]) {
			return k
		}
	}
	return 0
}

// SolutionNotYet says why the solution is not offered yet, or "" when it is.
// The learner thinks first: the solution is offered once they have sent a
// request in this step, revealed a hint, or passed it.
func (e *Engine) SolutionNotYet() string {
	st := e.Step()
	if st == nil || st.IsQuiz() || e.hints > 0 || e.StepPassed(e.si) {
		return ""
	}
	e.tally.ingest(e.srv)
	if e.tally.acted {
		return ""
	}
	return "try the step first: the solution is offered after you send a request or reveal a hint"
}

// Explain is the current step's explanation with its live values filled in:
// as they were when the step passed (on this visit, or the last one in this
// process that passed it), or from the server as it is now.
func (e *Engine) Explain() string {
	st := e.Step()
	if st == nil {
		return ""
	}
	if e.explain != "" {
		return e.explain
	}
	if text, ok := e.explained[stepKey{e.Lesson().ID, e.si}]; ok {
		return text
	}
	e.tally.ingest(e.srv)
	return resolveLive(st.Explain, e.srv, e.tally)
}

// ResetStep puts the server back in the state the current step began with
// and starts its checks afresh. Progress is unchanged.
func (e *Engine) ResetStep() {
	if e.Lesson() == nil {
		return
	}
	e.srv.Restore(e.cp)
	e.restart()
}

// ResetLesson forgets the current lesson's progress and starts it again from
// its fixture.
func (e *Engine) ResetLesson() {
	l := e.Lesson()
	if l == nil {
		return
	}
	if err := e.prog.ClearLesson(l.ID); err != nil {
		e.saveErr = err
	}
	for k := range e.explained {
		if k.lesson == l.ID {
			delete(e.explained, k)
		}
	}
	e.enterLesson(e.li)
}

// ResetAll forgets all progress and starts the first lesson.
func (e *Engine) ResetAll() {
	if err := e.prog.ClearAll(); err != nil {
		e.saveErr = err
	}
	clear(e.explained)
	if len(e.lessons) > 0 {
		e.enterLesson(0)
	}
}

// Done counts the passed steps of a lesson and its steps (0, 0 for an unknown id).
func (e *Engine) Done(lessonID string) (done, total int) {
	i := e.index(lessonID)
	if i < 0 {
		return 0, 0
	}
	l := e.lessons[i]
	return doneSteps(l, e.prog), len(l.Steps)
}
