package lessons

import (
	"context"
	"fmt"
	"io"
	"slices"

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
	cp      sim.Snapshot // state when the step began, for ResetStep
	tally   *tally       // exchanges since the step began
	hints   int          // hints revealed in this step
	saveErr error        // a failed save not yet reported by Observe
}

// StepStatus is how the current step stands after Observe.
type StepStatus struct {
	Passed     bool          // the step is passed (now or earlier); it stays passed
	JustPassed bool          // this call is the one that saw it pass; offer Next
	Results    []CheckResult // one per check line of a task step, evaluated now; nil for a quiz
	SaveErr    error         // progress could not be saved (the tutorial goes on)
}

// NewEngine starts an engine over the lessons, in the lesson the learner was
// in (progress.Current()) or else the first one, at its first unfinished step
// (see Goto). progress may be nil to keep progress in memory only.
func NewEngine(ls []*Lesson, srv *sim.Server, progress *Progress) *Engine {
	if progress == nil {
		progress = &Progress{}
	}
	e := &Engine{lessons: ls, srv: srv, prog: progress, li: -1, tally: newTally(0)}
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

// replay sends a passed step's solution to rebuild the state it left.
func (e *Engine) replay(st *Step) {
	if len(st.solution) == 0 {
		return
	}
	if e.client == nil {
		e.client = e.srv.Client(sim.SourceLesson)
	}
	var n Network
	if st.Network != nil {
		n = *st.Network
	}
	n.Faults.Delay = 0 // catch up at once
	if n.Retry == "" {
		n.Retry = sim.RetryNone
	}
	e.client.SetFaults(n.Faults)
	e.client.SetRetry(n.Retry)
	for _, rl := range st.solution {
		send(context.Background(), e.client, rl)
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

// enterStep records where the current step begins.
func (e *Engine) enterStep() {
	e.cp = e.srv.Checkpoint()
	e.tally = newTally(e.srv.LastSeq())
	e.hints = 0
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

// NextHint reveals the next hint of the current step; ok is false when every
// hint is shown already.
func (e *Engine) NextHint() (hint string, ok bool) {
	st := e.Step()
	if st == nil || e.hints >= len(st.Hints) {
		return "", false
	}
	e.hints++
	return st.Hints[e.hints-1], true
}

// HintsShown lists the hints revealed in the current step, in order.
func (e *Engine) HintsShown() []string {
	st := e.Step()
	if st == nil {
		return nil
	}
	return slices.Clone(st.Hints[:e.hints])
}

// Solution is the current step's solution: request lines, in order (nil for
// a quiz).
func (e *Engine) Solution() []string {
	st := e.Step()
	if st == nil {
		return nil
	}
	return slices.Clone(st.Solution)
}

// ResetStep puts the server back in the state the current step began with
// and starts its checks afresh. Progress is unchanged.
func (e *Engine) ResetStep() {
	if e.Lesson() == nil {
		return
	}
	e.srv.Restore(e.cp)
	e.tally = newTally(e.srv.LastSeq())
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
	e.enterLesson(e.li)
}

// ResetAll forgets all progress and starts the first lesson.
func (e *Engine) ResetAll() {
	if err := e.prog.ClearAll(); err != nil {
		e.saveErr = err
	}
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
