package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

func newTest(t *testing.T, o Options) *Session {
	t.Helper()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func tutorial(t *testing.T, lesson string) *Session {
	t.Helper()
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return newTest(t, Options{Mode: Tutorial, Lessons: ls, Lesson: lesson})
}

func line(t *testing.T, s string) request.Line {
	t.Helper()
	rl, err := request.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return rl
}

func TestSendRepeatsAndReportsItsOwnExchanges(t *testing.T) {
	s := newTest(t, Options{})
	r := s.Send(context.Background(), line(t, `POST /accounts/42/interest {"rate":0.10}`), 3)
	if r.Sent != 3 || r.Lost != 0 || r.Last != 201 || r.Err != nil || len(r.Mine) != 3 {
		t.Fatalf("sent %d, lost %d, last %d, err %v, %d exchanges", r.Sent, r.Lost, r.Last, r.Err, len(r.Mine))
	}
	body, _, _ := s.Server().Resource("/accounts/42")
	if !strings.Contains(string(body), "106.48") {
		t.Errorf("three interest POSTs on 80.00 left %s", body)
	}
}

func TestLostResponsesAndRetriesFollowTheNetworkSwitch(t *testing.T) {
	s := newTest(t, Options{})
	s.SetFaults(sim.FaultSettings{LoseResponses: true})
	r := s.Send(context.Background(), line(t, `PUT /accounts/42 {"balance":1}`), 1)
	if r.Lost != 1 || len(r.Mine) != 1 || r.Mine[0].Fault != sim.FaultLostResponse {
		t.Fatalf("no retry policy: %+v", r)
	}
	s.SetRetry(sim.RetryRFC9110)
	r = s.Send(context.Background(), line(t, `PUT /accounts/42 {"balance":1}`), 1)
	if r.Lost != 0 || r.Last != 200 || len(r.Mine) != 2 || r.Mine[1].Source != sim.SourceRetry {
		t.Fatalf("with rfc9110 the PUT is retried: %+v", r)
	}
}

func TestSandboxRefusesLessonCommands(t *testing.T) {
	s := newTest(t, Options{Mode: Sandbox})
	_, err := s.Next()
	_, _, herr := s.Hint()
	_, serr := s.Solution()
	_, _, aerr := s.Answer(0)
	for name, err := range map[string]error{"next": err, "back": back(s), "hint": herr, "solution": serr, "answer": aerr, "goto": s.Goto("put-replace"), "reset lesson": s.Reset(ResetLesson)} {
		if !errors.Is(err, ErrSandbox) {
			t.Errorf("%s in the sandbox: %v, want ErrSandbox", name, err)
		}
	}
	if s.Step() != nil || s.Lesson() != nil {
		t.Error("the sandbox has a step")
	}
}

func TestTheSolutionPassesTheStepAndTheStatusSaysSoOnce(t *testing.T) {
	s := tutorial(t, "put-replace")
	if _, err := s.Solution(); !errors.As(err, new(*NotYetError)) {
		t.Fatalf("the solution before trying the step: %v", err)
	}
	if _, _, err := s.Hint(); err != nil {
		t.Fatal(err)
	}
	sol, err := s.Solution()
	if err != nil || len(sol.Requests) == 0 {
		t.Fatalf("solution %+v %v", sol, err)
	}
	r := s.Send(context.Background(), line(t, sol.Requests[0]), 1)
	if !r.Observed || !r.Step.JustPassed {
		t.Fatalf("the solution did not pass the step: %+v", r.Step)
	}
	r = s.Send(context.Background(), line(t, "GET /flights/AA123"), 1)
	if !r.Step.Passed || r.Step.JustPassed {
		t.Fatalf("after passing: %+v", r.Step)
	}
	if done, _ := s.Done("put-replace"); done != 1 {
		t.Errorf("%d steps done", done)
	}
}

func TestNextAtTheEndOfALessonOpensTheNextAndAtTheVeryEndRefuses(t *testing.T) {
	s := tutorial(t, "")
	ls := s.Lessons()
	if err := s.Goto(ls[len(ls)-2].ID); err != nil {
		t.Fatal(err)
	}
	for range len(s.Lesson().Steps) - 1 {
		if m, err := s.Next(); err != nil || m.Lesson {
			t.Fatalf("next inside the lesson: %+v %v", m, err)
		}
	}
	if m, err := s.Next(); err != nil || !m.Lesson || s.Lesson() != ls[len(ls)-1] {
		t.Fatalf("next at the last step: %+v %v, in %s", m, err, s.Lesson().ID)
	}
	for range len(s.Lesson().Steps) - 1 {
		if _, err := s.Next(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Next(); !errors.Is(err, ErrLastStep) {
		t.Fatalf("next at the very end: %v", err)
	}
	if err := s.Goto("no-such-lesson"); err == nil {
		t.Error("an unknown lesson opened")
	}
}

func TestQuizAnswersPassOnlyWhenRight(t *testing.T) {
	s := tutorial(t, "put-replace")
	for s.Step() != nil && !s.Step().IsQuiz() {
		if _, err := s.Next(); err != nil {
			t.Fatal(err)
		}
	}
	st := s.Step()
	if _, _, err := s.Answer(len(st.Quiz.Choices)); !errors.As(err, new(*ChoiceError)) {
		t.Fatalf("an answer out of range: %v", err)
	}
	sol, _ := s.Solution()
	wrong := (sol.Choice + 1) % len(st.Quiz.Choices)
	if q, status, err := s.Answer(wrong); err != nil || q.Correct || status.Passed {
		t.Fatalf("wrong answer: %+v %+v %v", q, status, err)
	}
	if q, status, err := s.Answer(sol.Choice); err != nil || !q.Correct || !status.JustPassed || !s.Status().Passed {
		t.Fatalf("right answer: %+v %+v %v", q, status, err)
	}
}

func TestUndoAndResetStep(t *testing.T) {
	s := tutorial(t, "put-replace")
	if _, err := s.Undo(); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("undo at the start: %v", err)
	}
	s.Send(context.Background(), line(t, `DELETE /flights/AA123`), 1)
	ev, err := s.Undo()
	if err != nil || ev.Kind != sim.KindUndo {
		t.Fatalf("undo: %+v %v", ev, err)
	}
	s.Send(context.Background(), line(t, `DELETE /flights/AA123`), 1)
	if err := s.Reset(ResetStep); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := s.Server().Resource("/flights/AA123"); !ok {
		t.Error("a step reset did not bring the flight back")
	}
}

// TestWatchersSeeEveryUpdateOnceInOrder: a view sends while the listener
// feeds the same server from another goroutine; two watchers each see every
// event exactly once, in order, and the same updates.
func TestWatchersSeeEveryUpdateOnceInOrder(t *testing.T) {
	s := newTest(t, Options{Listen: "127.0.0.1:0"})
	a, b := s.Watch(), s.Watch()
	defer a.Close()
	defer b.Close()
	const each = 60
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range each {
			s.Send(context.Background(), line(t, fmt.Sprintf(`PUT /accounts/42 {"balance":%d}`, i)), 1)
		}
	}()
	go func() {
		defer wg.Done()
		for i := range each {
			req, _ := http.NewRequest(http.MethodPut, "http://"+s.Addr()+"/accounts/7", strings.NewReader(fmt.Sprintf(`{"balance":%d}`, i)))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}
	}()
	wg.Wait()
	read := func(w *Watcher) []Update {
		var got []Update
		events := 0
		for events < 2*each {
			ups, err := w.Next(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range ups {
				if u.Kind == UpdateEvent {
					events++
				}
			}
			got = append(got, ups...)
		}
		return got
	}
	ua, ub := read(a), read(b)
	if len(ua) != len(ub) {
		t.Fatalf("the watchers saw %d and %d updates", len(ua), len(ub))
	}
	var seq uint64
	for i := range ua {
		if ua[i].Seq != ub[i].Seq || ua[i].Kind != ub[i].Kind {
			t.Fatalf("update %d differs: %+v / %+v", i, ua[i], ub[i])
		}
		if ua[i].Kind == UpdateEvent {
			if ua[i].Event.Seq != seq+1 {
				t.Fatalf("event %d after %d", ua[i].Event.Seq, seq)
			}
			seq = ua[i].Event.Seq
			fromNet := ua[i].Event.Source == sim.SourceNetwork
			if ua[i].ByCommand == fromNet {
				t.Errorf("event #%d from %s marked by command %v", seq, ua[i].Event.Source, ua[i].ByCommand)
			}
		}
	}
}

func TestAWatcherFarBehindIsToldWhatItMissed(t *testing.T) {
	s := newTest(t, Options{})
	w := s.Watch()
	defer w.Close()
	start := w.seq
	s.Send(context.Background(), line(t, `GET /accounts/42`), maxUpdates+10)
	ups := w.Poll()
	if len(ups) == 0 || ups[0].Kind != UpdateMissed || ups[0].Missed == 0 {
		t.Fatalf("first update %+v", ups[0])
	}
	if got := uint64(len(ups)-1) + ups[0].Missed; got != s.log.seq-start {
		t.Errorf("kept %d + missed %d ≠ %d updates", len(ups)-1, ups[0].Missed, s.log.seq-start)
	}
	if again := w.Poll(); len(again) != 0 {
		t.Errorf("a second read repeats %d updates", len(again))
	}
}

func TestCloseEndsWatchersAndTheListener(t *testing.T) {
	s, err := New(Options{Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	w := s.Watch()
	addr := s.Addr()
	s.Close()
	s.Close()
	if _, err := w.Next(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("Next after Close: %v", err)
	}
	if resp, err := http.Get("http://" + addr + "/"); err == nil {
		resp.Body.Close()
		t.Error("the listener still answers after Close")
	}
}

func TestAListenAddressThatIsNotLoopbackIsRefused(t *testing.T) {
	if _, err := New(Options{Listen: "0.0.0.0:0"}); !errors.Is(err, sim.ErrNotLoopback) {
		t.Fatalf("New with 0.0.0.0: %v", err)
	}
}

func back(s *Session) error {
	_, err := s.Back()
	return err
}

func TestNextSaysWhenItPutTheNetworkBack(t *testing.T) {
	s := tutorial(t, "put-replace")
	s.SetFaults(sim.FaultSettings{LoseResponses: true})
	m, err := s.Next()
	if err != nil || !m.Network || s.Faults() != (sim.FaultSettings{}) {
		t.Fatalf("next with faults on: %+v %v, faults %+v", m, err, s.Faults())
	}
	if m, _ := s.Back(); m.Network {
		t.Error("back on a normal network says the network changed")
	}
}

func TestUndoReevaluatesTheStepsChecks(t *testing.T) {
	s := tutorial(t, "put-replace")
	w := s.Watch()
	defer w.Close()
	s.Hint()
	sol, _ := s.Solution()
	s.Send(context.Background(), line(t, sol.Requests[0]), 1)
	w.Poll()
	if _, err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	var status *Update
	for _, u := range w.Poll() {
		if u.Kind == UpdateStatus {
			status = &u
		}
	}
	if status == nil {
		t.Fatal("no status after an undo")
	}
	if !status.Status.Passed {
		t.Error("a passed step stopped being passed after an undo")
	}
}

func TestTheUpdateLogIsBoundedByBytes(t *testing.T) {
	var l updateLog
	l.init()
	body, target := make([]byte, 1<<20), "/"+strings.Repeat("t", 1<<20)
	for i := range 100 {
		ev := sim.Event{Request: sim.Message{Body: body}}
		if i%2 == 1 { // a long target weighs as much as a body
			ev = sim.Event{Request: sim.Message{Target: target}}
		}
		l.add(Update{Kind: UpdateEvent, Event: ev})
	}
	if l.bytes > maxUpdateBytes || len(l.buf)-l.start > maxUpdateBytes>>20 {
		t.Fatalf("%d updates of 1 MiB kept, %d bytes", len(l.buf)-l.start, l.bytes)
	}
	ups, missed := l.since(0)
	if missed+uint64(len(ups)) != 100 || ups[len(ups)-1].Seq != 100 {
		t.Fatalf("kept %d, missed %d", len(ups), missed)
	}
}

func TestHintsAndSolutionsShownAreUpdatesWatchersSee(t *testing.T) {
	s := tutorial(t, "put-replace")
	w := s.Watch()
	defer w.Close()
	if _, n, err := s.Hint(); err != nil || n != 1 {
		t.Fatalf("hint %d %v", n, err)
	}
	if _, err := s.Solution(); err != nil {
		t.Fatal(err)
	}
	var kinds []UpdateKind
	for _, u := range w.Poll() {
		kinds = append(kinds, u.Kind)
		if u.Kind == UpdateHint && u.Hint != 1 {
			t.Errorf("hint update numbered %d, want 1", u.Hint)
		}
	}
	if !slices.Equal(kinds, []UpdateKind{UpdateHint, UpdateSolution}) {
		t.Errorf("updates %v, want a hint then a solution", kinds)
	}
}

func TestAnUnknownLessonIsALessonErrorAndAPortInUseIsNot(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var le *LessonError
	if _, err := New(Options{Mode: Tutorial, Lessons: ls, Lesson: "put-replce"}); !errors.As(err, &le) || !strings.Contains(err.Error(), "put-replace") {
		t.Errorf("an unknown lesson: %v", err)
	}
	busy := newTest(t, Options{Listen: "127.0.0.1:0"})
	if _, err := New(Options{Mode: Tutorial, Lessons: ls, Lesson: "put-replace", Listen: busy.Addr()}); err == nil || errors.As(err, &le) {
		t.Errorf("a port in use with --lesson: %v", err)
	}
}

// downStore is a progress store that can no longer be written.
type downStore struct{}

func (downStore) Load() (lessons.ProgressState, error) { return lessons.ProgressState{}, nil }
func (downStore) Update(func(*lessons.ProgressState)) (lessons.ProgressState, error) {
	return lessons.ProgressState{}, errors.New("the disk is full")
}

// Saving in the background, a pass returns before its save, and the failed
// save reaches every watcher as a status that carries the error, the step
// still passed.
func TestABackgroundSaveThatFailsIsPublished(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	p, err := lessons.NewProgress(downStore{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{Mode: Tutorial, Lessons: ls, Lesson: "put-replace", Progress: p})
	if err == nil {
		t.Cleanup(s.Close)
	}
	// Opening the lesson saved in the command, and failed there.
	if err != nil || s.Status().SaveErr == nil {
		t.Fatalf("opening with a store that is down: %v, status %+v", err, s.Status())
	}
	s.SaveInBackground()
	w := s.Watch()
	defer w.Close()
	if _, _, err := s.Hint(); err != nil {
		t.Fatal(err)
	}
	sol, err := s.Solution()
	if err != nil {
		t.Fatal(err)
	}
	r := s.Send(context.Background(), line(t, sol.Requests[0]), 1)
	if !r.Step.JustPassed {
		t.Fatalf("the solution did not pass the step: %+v", r.Step)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		ups, err := w.Next(ctx)
		if err != nil {
			t.Fatalf("no update said the save failed: %v", err)
		}
		for _, u := range ups {
			if u.Kind == UpdateStatus && u.Status.SaveErr != nil {
				if !strings.Contains(u.Status.SaveErr.Error(), "the disk is full") || !u.Status.Passed || u.Status.JustPassed {
					t.Errorf("the failure's status: %+v", u.Status)
				}
				if done, _ := s.Done("put-replace"); done != 1 {
					t.Errorf("%d steps done after the failed save, want 1", done)
				}
				return
			}
		}
	}
}

// gatedStore keeps progress in memory and makes every save wait until the
// test opens the gate: a disk that is slow to sync.
type gatedStore struct {
	gate  chan struct{}
	mu    sync.Mutex
	saved lessons.ProgressState
}

func (g *gatedStore) Load() (lessons.ProgressState, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.saved, nil
}

func (g *gatedStore) Update(change func(*lessons.ProgressState)) (lessons.ProgressState, error) {
	<-g.gate
	g.mu.Lock()
	defer g.mu.Unlock()
	change(&g.saved)
	return g.saved, nil
}

// With SaveInBackground, opening a session does not wait for the save of
// the lesson it opens: a screen can draw while the disk syncs, and Close
// waits for the save, which keeps where the learner is.
func TestOpeningSavesInTheBackgroundWhenAsked(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	store := &gatedStore{gate: make(chan struct{})}
	p, err := lessons.NewProgress(store)
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan *Session, 1)
	go func() {
		s, err := New(Options{Mode: Tutorial, Lessons: ls, Lesson: "put-replace", Progress: p, SaveInBackground: true})
		if err != nil {
			t.Error(err)
		}
		opened <- s
	}()
	var s *Session
	select {
	case s = <-opened:
	case <-time.After(10 * time.Second):
		close(store.gate)
		t.Fatal("New waited for the progress store")
	}
	if s == nil {
		close(store.gate)
		return
	}
	if got := s.Lesson().ID; got != "put-replace" || p.Current() != "put-replace" {
		t.Errorf("opened lesson %q, progress says %q; want put-replace", got, p.Current())
	}
	if saved, _ := store.Load(); saved.Current != "" {
		t.Errorf("the store was written before the gate opened: %+v", saved)
	}
	close(store.gate)
	s.Close()
	if saved, _ := store.Load(); saved.Current != "put-replace" {
		t.Errorf("after Close the store holds %+v, want the current lesson put-replace", saved)
	}
}
