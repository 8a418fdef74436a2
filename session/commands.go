package session

import (
	"context"
	"errors"
	"io"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// SendResult is how sending a request line went.
type SendResult struct {
	Sent int         // requests made (retries not counted)
	Lost int         // of those, how many got no response
	Last int         // status of the newest response, 0 if it got none
	Err  error       // a failure other than a lost response; sending stopped there
	Mine []sim.Event // the exchanges these requests made, retries included, in order
	// Step is the current step's status after the exchanges; Observed says
	// the checks were evaluated (a tutorial step with exchanges).
	Step     lessons.StepStatus
	Observed bool
}

// maxResponse bounds how much of a response body the client reads.
const maxResponse = 4 << 20

// Send sends rl times times (rl.Repeat is not looked at) through the
// learner's client, with its faults and retry policy, then evaluates the
// step's checks. A response that never arrived is not an error: its
// exchange says so. ctx ends the sending early.
func (s *Session) Send(ctx context.Context, rl request.Line, times int) SendResult {
	return s.SendBatch(ctx, rl, times, false)
}

// SendBatch is Send for one batch of a repeat that a view paces. While more
// batches follow, the step is not judged: a repeat is one action of the
// learner, and its checks see it whole once the last batch (more false) is
// sent, or sending stops early.
func (s *Session) SendBatch(ctx context.Context, rl request.Line, times int, more bool) SendResult {
	s.run.Lock()
	defer s.run.Unlock()
	s.mu.Lock()
	s.syncLocked(false) // what came from elsewhere first, so these stay together
	s.holding = true
	s.mu.Unlock()

	var r SendResult
	for range times {
		if ctx.Err() != nil {
			break
		}
		req, err := rl.NewRequest(ctx)
		if err != nil {
			r.Err = err
			break
		}
		r.Sent++
		resp, err := s.client.Do(req)
		if err != nil {
			if errors.Is(err, sim.ErrNoResponse) {
				r.Lost++
				r.Last = 0
				continue
			}
			r.Err = err
			break
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
		_ = resp.Body.Close()
		r.Last = resp.StatusCode
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.holding = more && r.Err == nil && ctx.Err() == nil
	evs, st, observed := s.syncLocked(true)
	if !s.holding && s.held && !observed && s.eng.Step() != nil {
		s.observeLocked(true)
		st, observed = s.status, true
	}
	if !s.holding {
		s.held = false
	}
	for _, ev := range evs {
		if ev.Kind == sim.KindExchange && !outside(ev) {
			r.Mine = append(r.Mine, ev)
		}
	}
	r.Step, r.Observed = st, observed
	return r
}

// Moved says where Next or Back went.
type Moved struct {
	Lesson bool // into the next lesson: the server is on its fixture
	// Network: entering the step changed the learner's faults or retry
	// policy (to what the step asks for, or back to a normal network).
	Network bool
}

// refuseLocked is the error for a command about the current step when there
// is none.
func (s *Session) refuseLocked() error {
	if s.mode == Sandbox {
		return ErrSandbox
	}
	if s.eng.Step() == nil {
		return ErrNoLessons
	}
	return nil
}

// Next moves to the next step, or at a lesson's last step to the next
// lesson. Steps need not be passed to move on.
func (s *Session) Next() (m Moved, err error) {
	s.command(func() {
		if err = s.refuseLocked(); err != nil {
			return
		}
		if s.eng.Next() {
			m.Network = s.enterStepLocked()
			return
		}
		nl := s.eng.NextLesson()
		if nl == nil {
			err = ErrLastStep
			return
		}
		m.Lesson = true
		m.Network, err = s.gotoLocked(nl.ID)
	})
	return m, err
}

// Back moves to the previous step of the lesson. The server keeps its state.
func (s *Session) Back() (m Moved, err error) {
	s.command(func() {
		if err = s.refuseLocked(); err != nil {
			return
		}
		if !s.eng.Back() {
			err = ErrFirstStep
			return
		}
		m.Network = s.enterStepLocked()
	})
	return m, err
}

// Goto opens a lesson by id, at its first unpassed step; the server goes
// back to the lesson's fixture and passed steps are replayed.
func (s *Session) Goto(lessonID string) (err error) {
	s.command(func() {
		if s.mode == Sandbox {
			err = ErrSandbox
			return
		}
		_, err = s.gotoLocked(lessonID)
	})
	return err
}

func (s *Session) gotoLocked(id string) (networkChanged bool, err error) {
	err = s.eng.Goto(id)
	return s.enterStepLocked(), err
}

// Hint reveals the next hint of the current step: its text, and its number.
func (s *Session) Hint() (hint string, n int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refuseLocked(); err != nil {
		return "", 0, err
	}
	h, ok := s.eng.NextHint()
	if !ok {
		if len(s.eng.Step().Hints) == 0 {
			return "", 0, ErrNoHints
		}
		return "", 0, ErrNoMoreHints
	}
	n = len(s.eng.HintsShown())
	s.log.add(Update{Kind: UpdateHint, Hint: n, ByCommand: true})
	return h, n, nil
}

// Solution is the current step's answer: the request lines that pass it, or
// for a quiz the right choice.
type Solution struct {
	Requests []string
	Choice   int // 0-based, a quiz's right choice; -1 for a task
	// Next is the index in Requests of the first request the step still
	// needs: the ones before it were the learner's newest requests in the
	// step (see lessons.Engine.SolutionNext). 0 for a quiz.
	Next int
}

// NotYetError says why a step's solution is not offered yet: the learner
// tries first (sends a request, or reveals a hint).
type NotYetError struct{ Why string }

func (e *NotYetError) Error() string { return e.Why }

// Solution returns the current step's solution, with live values filled in
// from the server as it is now. Nothing is sent. A task's solution is
// offered once the learner has tried (see NotYetError).
func (s *Session) Solution() (Solution, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refuseLocked(); err != nil {
		return Solution{}, err
	}
	st := s.eng.Step()
	if st.IsQuiz() {
		for i, c := range st.Quiz.Choices {
			if c.Correct {
				s.log.add(Update{Kind: UpdateSolution, ByCommand: true})
				return Solution{Choice: i}, nil
			}
		}
		return Solution{}, ErrNoSolution
	}
	if why := s.eng.SolutionNotYet(); why != "" {
		return Solution{}, &NotYetError{Why: why}
	}
	sol := s.eng.Solution()
	if len(sol) == 0 {
		return Solution{}, ErrNoSolution
	}
	s.log.add(Update{Kind: UpdateSolution, ByCommand: true})
	return Solution{Requests: sol, Choice: -1, Next: s.eng.SolutionNext(sol)}, nil
}

// Answer answers the current quiz with choice (0-based). A right answer
// passes the step and saves progress; the result's status says so.
func (s *Session) Answer(choice int) (q Quiz, st lessons.StepStatus, err error) {
	s.command(func() {
		if err = s.refuseLocked(); err != nil {
			return
		}
		step := s.eng.Step()
		if !step.IsQuiz() {
			err = ErrNotQuiz
			return
		}
		if choice < 0 || choice >= len(step.Quiz.Choices) {
			err = &ChoiceError{Choices: len(step.Quiz.Choices)}
			return
		}
		correct, why := s.eng.Answer(choice)
		s.quiz = Quiz{Picked: choice, Correct: correct, Why: why}
		before := s.status.Passed
		s.status = s.eng.Observe()
		if correct {
			s.status.Passed = true
			s.status.JustPassed = !before
		}
		s.log.add(Update{Kind: UpdateAnswer, Quiz: s.quiz, Status: s.status, ByCommand: true})
		q, st = s.quiz, s.status
	})
	return q, st, err
}

// Undo reverts the newest change to the server and returns the undo event.
func (s *Session) Undo() (ev sim.Event, err error) {
	s.command(func() {
		since := s.srv.LastSeq()
		if !s.srv.Undo() {
			err = ErrNothingToUndo
			return
		}
		for _, e := range s.srv.EventsSince(since) {
			if e.Kind == sim.KindUndo {
				ev = e
			}
		}
	})
	return ev, err
}

// Scope is what Reset resets.
type Scope int

const (
	// ResetStep puts the server back to how the step began; progress is
	// kept. In the sandbox it puts every fixture back to its start.
	ResetStep Scope = iota
	// ResetLesson forgets the lesson's progress and starts it again.
	ResetLesson
	// ResetAll forgets every lesson's progress and starts at the first.
	ResetAll
)

// Reset resets the step, the lesson or all progress. The server's event
// says what changed: "restore" for a step, "reset" for a lesson, all
// progress and the sandbox.
func (s *Session) Reset(scope Scope) (err error) {
	s.command(func() {
		if s.mode == Sandbox {
			if scope != ResetStep {
				err = ErrSandbox
				return
			}
			err = s.srv.Reset("")
			return
		}
		if err = s.refuseLocked(); err != nil {
			return
		}
		passed := s.status.Passed
		switch scope {
		case ResetStep:
			s.eng.ResetStep()
		case ResetLesson:
			s.eng.ResetLesson()
			passed = false
		case ResetAll:
			s.eng.ResetAll()
			passed = false
		}
		s.enterStepLocked()
		if passed && scope == ResetStep {
			s.status.Passed = true
		}
	})
	return err
}

// SetFaults sets what the learner's network does from now on.
func (s *Session) SetFaults(f sim.FaultSettings) {
	s.client.SetFaults(f)
	s.mu.Lock()
	s.log.add(Update{Kind: UpdateNetwork, ByCommand: true})
	s.mu.Unlock()
}

// SetRetry sets the learner's client's retry policy from now on.
func (s *Session) SetRetry(p sim.RetryPolicy) {
	s.client.SetRetry(p)
	s.mu.Lock()
	s.log.add(Update{Kind: UpdateNetwork, ByCommand: true})
	s.mu.Unlock()
}

// Checkpoint is the server's whole state now, ids and clock included, for
// Restore to put back later.
func (s *Session) Checkpoint() sim.Snapshot {
	s.run.Lock()
	defer s.run.Unlock()
	return s.srv.Checkpoint()
}

// Restore puts the server back to a checkpoint, exactly as it was then, and
// sets the network to f and p; the step's checks see the change.
func (s *Session) Restore(cp sim.Snapshot, f sim.FaultSettings, p sim.RetryPolicy) {
	s.command(func() {
		s.srv.Restore(cp)
		s.client.SetFaults(f)
		s.client.SetRetry(p)
		s.log.add(Update{Kind: UpdateNetwork, ByCommand: true})
	})
}
