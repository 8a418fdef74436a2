// Package session is one learner's world: the simulated server, the
// in-process client with its network faults and retry policy, the lessons
// engine (or the sandbox), progress and undo. Every front end — the full
// screen, line mode, and whatever watches a learner from elsewhere — drives
// it with commands and learns what happened from their results and from one
// ordered stream of updates.
//
// A Session is safe for concurrent use: a view's goroutine may send commands
// while the --listen network listener feeds the same server, and any number
// of watchers may follow its updates. Commands run one at a time; reading
// state (Step, Status, Faults, …) never waits for a command that is sending.
package session

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/sim"
)

// Mode says what the learner is doing.
type Mode int

const (
	// Tutorial walks through lessons; the server follows each lesson's fixture.
	Tutorial Mode = iota
	// Sandbox is the server with every fixture and no lesson.
	Sandbox
)

// Options configure a Session. The zero value is a sandbox on a new server.
type Options struct {
	Mode     Mode
	Server   *sim.Server       // nil: a new server with every fixture
	Lessons  []*lessons.Lesson // the curriculum (Tutorial)
	Progress *lessons.Progress // nil: progress kept in memory only
	Lesson   string            // open this lesson first (Tutorial); "" resumes
	// Listen also serves the server over HTTP on this host:port (port 0
	// picks one), so curl in another terminal drives it; "" does not.
	// AllowRemote permits an address that is not loopback.
	Listen      string
	AllowRemote bool
	// SaveInBackground saves progress as Session.SaveInBackground does from
	// the start, so that the save New makes when it opens a lesson (two
	// syncs to disk for a file store) does not hold up the view that
	// follows. A full screen sets it; line mode, which reports a failed save
	// with the command that caused it, does not.
	SaveInBackground bool
	// Remote is set when the learner is not at this machine (a classroom
	// over SSH): a file they name would be written on the server, not
	// theirs, so Export refuses.
	Remote bool
}

// Session is one learner's world. Create it with New; Close it when done.
type Session struct {
	mode   Mode
	remote bool // Options.Remote
	srv    *sim.Server

	// run serialises commands and the catching up on outside events, and is
	// held while a command sends. mu guards the fields below and is only
	// held briefly, so views can read state while a slow request is on its
	// way.
	run sync.Mutex
	mu  sync.Mutex

	client  *sim.Client
	eng     *lessons.Engine
	feed    *sim.Feed
	status  lessons.StepStatus // of the current step, as last evaluated
	quiz    Quiz
	log     updateLog
	prog    *lessons.Progress // nil when kept in memory only
	httpSrv *http.Server
	addr    string // where httpSrv listens

	// holding: a paced repeat is under way, so the step is judged once it
	// ends, not on a batch in the middle (three of a hundred POSTs must not
	// pass "send it three times"). held: something changed meanwhile.
	holding, held bool

	done      chan struct{}
	pumpDone  chan struct{}
	closeOnce sync.Once
}

// ErrSandbox and the errors below are what commands refuse with; views turn
// them into their own words.
var (
	ErrSandbox       = errors.New("the sandbox has no lessons")
	ErrNoLessons     = errors.New("there are no lessons")
	ErrFirstStep     = errors.New("this is the first step of the lesson")
	ErrLastStep      = errors.New("this is the last step of the last lesson")
	ErrNotQuiz       = errors.New("this step is not a quiz")
	ErrNoHints       = errors.New("this step has no hints")
	ErrNoMoreHints   = errors.New("every hint of this step is shown")
	ErrNoSolution    = errors.New("this step has no solution to show")
	ErrNothingToUndo = errors.New("nothing to undo")
)

// LessonError is New's error when Options.Lesson cannot be opened (an
// unknown id, say); the learner's progress is as it was.
type LessonError struct{ Err error }

func (e *LessonError) Error() string { return e.Err.Error() }
func (e *LessonError) Unwrap() error { return e.Err }

// ChoiceError says a quiz answer is not one of the choices.
type ChoiceError struct{ Choices int }

func (e *ChoiceError) Error() string { return fmt.Sprintf("choose 1 to %d", e.Choices) }

// New starts a session. In Tutorial mode it opens opts.Lesson, or resumes
// where the progress says the learner was. An unknown lesson is an error and
// changes nothing.
func New(o Options) (*Session, error) {
	srv := o.Server
	if srv == nil {
		srv = sim.New(sim.Options{})
	}
	s := &Session{
		mode:     o.Mode,
		remote:   o.Remote,
		srv:      srv,
		client:   srv.Client(sim.SourceComposer),
		done:     make(chan struct{}),
		pumpDone: make(chan struct{}),
	}
	s.log.init()
	// Listen before the engine exists: a start that fails here must not
	// change where the learner left off.
	if o.Listen != "" {
		if err := s.listen(o.Listen, o.AllowRemote); err != nil {
			return nil, err
		}
	}
	var ls []*lessons.Lesson
	if o.Mode == Tutorial {
		ls = o.Lessons
	}
	s.prog = o.Progress
	if o.SaveInBackground {
		s.SaveInBackground()
	}
	s.eng = lessons.NewEngine(ls, srv, o.Progress)
	if o.Mode == Tutorial && o.Lesson != "" {
		if err := s.eng.Goto(o.Lesson); err != nil {
			s.stopListening()
			if s.prog != nil {
				_ = s.prog.Flush()
			}
			return nil, &LessonError{Err: err}
		}
	}
	// The feed starts after whatever set-up sent (a resumed lesson's
	// replayed steps): views begin from the state, not from its history.
	s.feed = srv.Feed(srv.LastSeq())
	// A background save that failed already may be reporting it
	// (saveFailed): the status is set under the lock, before that report.
	s.mu.Lock()
	s.enterStepLocked()
	s.mu.Unlock()
	go s.pump()
	return s, nil
}

// SaveInBackground makes the commands that change progress return without
// waiting for it to reach the disk (a file store syncs twice, from
// milliseconds to half a second): a goroutine saves it, a failed save is
// published as an UpdateStatus whose status carries the error, and Close
// waits for the last save. A full screen calls it, so that its event loop
// never waits on the disk; line mode, which waits on its input anyway,
// saves within the command and reports a failure with it.
func (s *Session) SaveInBackground() {
	if s.prog != nil {
		s.prog.SaveInBackground(s.saveFailed)
	}
}

// saveFailed tells the views that progress could not be saved: the status
// they have, with the error, as the status a failed save in a command would
// have given.
func (s *Session) saveFailed(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status.SaveErr = err
	st := s.status
	st.JustPassed = false
	s.log.add(Update{Kind: UpdateStatus, Status: st})
}

// Close stops following the server and the listener, if any. Watchers see
// the end of the stream. Closing twice is fine.
func (s *Session) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		<-s.pumpDone
		s.feed.Close()
		s.mu.Lock()
		s.log.close()
		s.mu.Unlock()
		s.stopListening()
		if s.prog != nil {
			_ = s.prog.Flush() // a failed save was reported when it happened
		}
	})
}

// Addr is where another program reaches the session's server: the
// address it listens on (Options.Listen with the port resolved, and a
// loopback host for one that listens on every interface), or "".
func (s *Session) Addr() string { return s.addr }

func (s *Session) listen(addr string, allowRemote bool) error {
	ln, err := sim.Listen(addr, allowRemote)
	if err != nil {
		return err
	}
	// The learner's network applies to curl too: the faults the learner
	// (or the step) set are read for each request that arrives. Requests
	// for another host name are refused (DNS rebinding) unless remote
	// addresses are allowed.
	s.httpSrv = sim.NewHTTPServer(sim.CheckHost(s.srv.NetworkHandler(s.network), ln.Addr().String(), allowRemote))
	s.addr = ln.Addr().String()
	// ":8080" listens on every interface; curl needs a host to talk to.
	if host, port, err := net.SplitHostPort(s.addr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		s.addr = net.JoinHostPort("127.0.0.1", port)
	}
	// Its timeouts are kept by one sweeper, as serve's are, rather than by
	// socket deadlines moved on every request.
	go func() { _ = sim.ServeWithTimeouts(s.httpSrv, ln) }()
	return nil
}

// network is what the learner's network does now, for the listener.
func (s *Session) network() (sim.FaultSettings, sim.RetryPolicy) {
	return s.client.Faults(), s.client.Retry()
}

func (s *Session) stopListening() {
	if s.httpSrv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.httpSrv.Shutdown(ctx)
}

// pump catches up on events nobody's command caused — curl over --listen,
// anything else sharing the server — as they arrive.
func (s *Session) pump() {
	defer close(s.pumpDone)
	for {
		select {
		case <-s.done:
			return
		case <-s.feed.Ready():
		}
		s.run.Lock()
		s.mu.Lock()
		s.syncLocked(false)
		s.mu.Unlock()
		s.run.Unlock()
	}
}

// syncLocked reads the server's new events into the update stream and, when
// the server changed (the lesson's own requests aside), evaluates the step's
// checks: they look at the state as well as the exchanges. byCommand says a command
// is running: its own events and the status they lead to are its results.
// The caller holds run and mu.
func (s *Session) syncLocked(byCommand bool) (evs []sim.Event, status lessons.StepStatus, observed bool) {
	changed := false
	for {
		b := s.feed.Poll()
		if b.Missed > 0 {
			s.log.add(Update{Kind: UpdateMissed, Missed: b.Missed})
			changed = true
		}
		for _, ev := range b.Events {
			s.log.add(Update{Kind: UpdateEvent, Event: ev, ByCommand: byCommand && !outside(ev)})
			if ev.Kind != sim.KindExchange || ev.Source != sim.SourceLesson {
				changed = true
			}
		}
		evs = append(evs, b.Events...)
		// The step counts them now, as they come, rather than reading
		// them all again when a repeat is judged whole at its end.
		s.eng.Saw(b.Events)
		if len(b.Events) < sim.FeedBatch {
			break
		}
	}
	if changed && s.eng.Step() != nil {
		if s.holding {
			s.held = true
		} else {
			s.observeLocked(byCommand)
			observed = true
		}
	}
	return evs, s.status, observed
}

// outside reports whether an event came from outside the learner's own
// client: the network listener, or the lesson itself.
func outside(ev sim.Event) bool {
	return ev.Source == sim.SourceNetwork || ev.Source == sim.SourceLesson
}

// observeLocked evaluates the current step and publishes its status.
func (s *Session) observeLocked(byCommand bool) {
	before := s.status
	st := s.eng.Observe()
	if before.Passed && !st.Passed { // a quiz answered right stays passed
		st.Passed = true
	}
	s.status = st
	s.log.add(Update{Kind: UpdateStatus, Status: st, ByCommand: byCommand})
}

// enterStepLocked sets the session up for the engine's current step: the
// network it asks for (or a normal one), fresh quiz state and status. It
// reports whether that changed the learner's network.
func (s *Session) enterStepLocked() (networkChanged bool) {
	s.quiz = Quiz{Picked: -1}
	s.holding, s.held = false, false
	n := NetworkFor(s.eng.Step())
	networkChanged = s.client.Faults() != n.Faults || s.client.Retry() != n.Retry
	s.client.SetFaults(n.Faults)
	s.client.SetRetry(n.Retry)
	s.status = s.eng.Observe()
	s.log.add(Update{Kind: UpdateStep, Status: s.status, ByCommand: true})
	return networkChanged
}

// NetworkFor is the network a step runs on: what its network block asks
// for, else a normal one (no faults, no retries). Every step starts on its
// own network, so a switch flipped in one step never leaks into the next.
func NetworkFor(st *lessons.Step) lessons.Network {
	n := lessons.Network{Retry: sim.RetryNone}
	if st != nil && st.Network != nil {
		n.Faults = st.Network.Faults
		if st.Network.Retry != "" {
			n.Retry = st.Network.Retry
		}
	}
	return n
}

// Sync reads what arrived on the server since the session last looked into
// the update stream now, rather than when the session's own goroutine gets
// to it (tests, and views that want to be sure before they draw).
func (s *Session) Sync() {
	s.run.Lock()
	defer s.run.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncLocked(false)
}

// command runs f as a command: alone, with the state locked, and catching up
// on the events it caused.
func (s *Session) command(f func()) {
	s.run.Lock()
	defer s.run.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncLocked(false) // what came from elsewhere first, in its own right
	f()
	s.syncLocked(true)
}

// --- state -----------------------------------------------------------------

// Mode says whether this is a tutorial or the sandbox.
func (s *Session) Mode() Mode { return s.mode }

// Server is the learner's simulated server, for reading its state (and for
// tests). Requests should go through Send so that the session sees them.
func (s *Session) Server() *sim.Server { return s.srv }

// Lessons is the curriculum (nil in the sandbox).
func (s *Session) Lessons() []*lessons.Lesson {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng.Lessons()
}

// Lesson is the current lesson, or nil (sandbox, or no lessons).
func (s *Session) Lesson() *lessons.Lesson {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng.Lesson()
}

// LessonIndex is the current lesson's position in Lessons, or -1.
func (s *Session) LessonIndex() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.eng.Lesson()
	for i, x := range s.eng.Lessons() {
		if x == l {
			return i
		}
	}
	return -1
}

// Step is the current step, or nil.
func (s *Session) Step() *lessons.Step {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng.Step()
}

// StepIndex is the current step's position in its lesson.
func (s *Session) StepIndex() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng.StepIndex()
}

// NextLesson is the lesson after the current one, or nil.
func (s *Session) NextLesson() *lessons.Lesson {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng.NextLesson()
}

// Status is how the current step stood at the last evaluation.
func (s *Session) Status() lessons.StepStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// StepPassed reports whether step i (0-based) of the current lesson is passed.
func (s *Session) StepPassed(i int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng.StepPassed(i)
}

// Done counts a lesson's passed steps and its steps.
func (s *Session) Done(lessonID string) (done, total int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng.Done(lessonID)
}

// Explain is the current step's explanation with its live values filled
// in: as they were when the step passed, or from the server as it is now.
func (s *Session) Explain() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng.Explain()
}

// HintsShown lists the hints revealed in the current step.
func (s *Session) HintsShown() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.eng.HintsShown()
}

// Quiz is the learner's latest answer on the current quiz step.
type Quiz struct {
	Picked  int // 0-based; -1 when not answered yet
	Correct bool
	Why     string
}

// Quiz returns the latest answer on the current step.
func (s *Session) Quiz() Quiz {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quiz
}

// Faults is what the learner's network does now.
func (s *Session) Faults() sim.FaultSettings { return s.client.Faults() }

// Retry is the learner's client's retry policy now.
func (s *Session) Retry() sim.RetryPolicy { return s.client.Retry() }

// Exchanges returns the kept HTTP exchanges, oldest first.
func (s *Session) Exchanges() []sim.Event {
	var out []sim.Event
	for _, ev := range s.srv.EventsSince(0) {
		if ev.Kind == sim.KindExchange {
			out = append(out, ev)
		}
	}
	return out
}
