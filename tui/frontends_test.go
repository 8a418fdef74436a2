package tui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/tui/plain"
)

// scriptStep is one thing a learner does, in words both front ends take:
// a request line, a quiz answer (1-based), or moving to the next step.
type scriptStep struct {
	send   string
	answer int
	next   bool
}

// stepScript is what passes the current step of sess: the right answer of a
// quiz, or the solution's requests as the session gives them (live values
// filled in from its server), then next unless it is the lesson's last step.
func stepScript(t *testing.T, sess *session.Session) []scriptStep {
	t.Helper()
	sol, err := sess.Solution()
	if err != nil {
		t.Fatalf("step %d: %v", sess.StepIndex()+1, err)
	}
	var out []scriptStep
	if sol.Choice >= 0 {
		out = append(out, scriptStep{answer: sol.Choice + 1})
	}
	for _, line := range sol.Requests {
		out = append(out, scriptStep{send: line})
	}
	if sess.StepIndex() < len(sess.Lesson().Steps)-1 {
		out = append(out, scriptStep{next: true})
	}
	return out
}

// learnerSession starts a session in lesson id with a progress file of its own.
func learnerSession(t *testing.T, ls []*lessons.Lesson, id string) (*session.Session, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "progress.json")
	p, _, err := lessons.OpenProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	return newSession(t, session.Options{Mode: session.Tutorial, Lessons: ls, Progress: p, Lesson: id}), path
}

// playLineMode types the script into line mode.
func playLineMode(t *testing.T, sess *session.Session, script []scriptStep) {
	t.Helper()
	var in strings.Builder
	for _, s := range script {
		switch {
		case s.next:
			in.WriteString("next\n")
		case s.answer > 0:
			fmt.Fprintf(&in, "answer %d\n", s.answer)
		default:
			in.WriteString(s.send + "\n")
		}
	}
	playLineModeWords(t, sess, in.String())
}

// playFullScreen presses the keys for the script in the full screen.
func playFullScreen(d *driver, script []scriptStep) {
	for _, s := range script {
		switch {
		case s.next:
			d.keys("n")
		case s.answer > 0:
			d.keys(strconv.Itoa(s.answer))
		default:
			sendPut(d, s.send)
		}
	}
}

// sessionRecord is what must come out the same: the server's state, the
// learner's progress (in memory and on disk), and the log of exchanges.
func sessionRecord(t *testing.T, sess *session.Session, progressPath string) string {
	t.Helper()
	var b strings.Builder
	srv := sess.Server()
	for _, p := range srv.Paths() {
		body, etag, _ := srv.Resource(p)
		fmt.Fprintf(&b, "state %s %s %s\n", p, body, etag)
	}
	for _, l := range sess.Lessons() {
		done, total := sess.Done(l.ID)
		fmt.Fprintf(&b, "progress %s %d/%d\n", l.ID, done, total)
	}
	fmt.Fprintf(&b, "at %s step %d, passed %v\n", sess.Lesson().ID, sess.StepIndex(), sess.Status().Passed)
	data, err := os.ReadFile(progressPath)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "file %s\n", data)
	for _, ev := range srv.EventsSince(0) {
		fmt.Fprintf(&b, "log #%d %s %s %s %s %d %s %s\n", ev.Seq, ev.Kind, ev.Source, ev.Request.Method, ev.Request.Target, ev.Response.Status, ev.Fault, ev.Request.Body)
	}
	return b.String()
}

// TestBothFrontEndsMakeTheSameSession plays every built-in lesson's
// solutions through line mode and through the full screen's keys, each on
// its own session, and compares what the sessions hold afterwards.
func TestBothFrontEndsMakeTheSameSession(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		t.Run(l.ID, func(t *testing.T) {
			line, linePath := learnerSession(t, ls, l.ID)
			full, fullPath := learnerSession(t, ls, l.ID)
			d := startDriver(t, 200, 60, full, Options{}, "")
			// Step by step: the line-mode session says what passes the
			// step; both front ends are given the same.
			for range l.Steps {
				// A task's solution is offered once the learner tried:
				// both ask for a hint first.
				if _, err := line.Solution(); errors.As(err, new(*session.NotYetError)) {
					playLineModeWords(t, line, "hint\n")
					d.keys("h")
				}
				script := stepScript(t, line)
				playLineMode(t, line, script)
				playFullScreen(d, script)
			}

			a, b := sessionRecord(t, line, linePath), sessionRecord(t, full, fullPath)
			if a != b {
				t.Fatalf("the sessions differ\nline mode:\n%s\nfull screen:\n%s", a, b)
			}
			if done, total := line.Done(l.ID); done != total {
				t.Errorf("the solutions passed %d of %d steps:\n%s", done, total, a)
			}
		})
	}
}

// TestTheSolutionGoesOnFromTheRequestTheStepStillNeedsInBoth: in a step
// whose solution is two requests, once the first is sent, s fills in the
// second and line mode's solution command says the second comes next.
func TestTheSolutionGoesOnFromTheRequestTheStepStillNeedsInBoth(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var id string
	step := -1
	for _, l := range ls {
		for i, st := range l.Steps {
			if step < 0 && len(st.Solution) == 2 && st.Solution[0] != st.Solution[1] && len(st.Setup) == 0 {
				id, step = l.ID, i
			}
		}
	}
	if step < 0 {
		t.Fatal("no built-in step has a solution of two different requests without setup requests: the test needs one")
	}
	line, _ := learnerSession(t, ls, id)
	full, _ := learnerSession(t, ls, id)
	d := startDriver(t, 200, 60, full, Options{}, "")
	playLineModeWords(t, line, strings.Repeat("next\n", step))
	for range step {
		d.keys("n")
	}
	sol, err := line.Solution()
	if errors.As(err, new(*session.NotYetError)) {
		playLineModeWords(t, line, "hint\n")
		sol, err = line.Solution()
	}
	if err != nil || len(sol.Requests) != 2 {
		t.Fatalf("%s step %d: solution %q, %v", id, step+1, sol.Requests, err)
	}
	playLineModeWords(t, line, sol.Requests[0]+"\n")
	sendPut(d, sol.Requests[0])
	out := playLineModeWords(t, line, "solution\n")
	if want := "next is request 2: " + sol.Requests[1]; !strings.Contains(out, want) {
		t.Errorf("line mode's solution, after the first request, does not say %q:\n%s", want, out)
	}
	d.keys("s")
	if got := d.m.comp.Value(); got != sol.Requests[1] {
		t.Errorf("s after the first request filled in %q, want the second, %q", got, sol.Requests[1])
	}
	d.mustContain("solution's request 2 of 2 filled in")
}

// The two divergences the front ends used to have are the session's now,
// so each front end shows the same outcome.

// TestFaultsThenNextRunsTheNextStepOnItsOwnNetwork: faults switched on in
// a step are off in the next step, which asks for no network, in both.
func TestFaultsThenNextRunsTheNextStepOnItsOwnNetwork(t *testing.T) {
	ls := testLessons(t)
	line, _ := learnerSession(t, ls, "put-replace")
	out := playLineModeWords(t, line, "faults on\nretry browser\nnext\n")
	if !strings.Contains(out, "This step runs on a normal network: the network delivers every message") {
		t.Errorf("line mode does not say the network is back to normal:\n%s", out)
	}
	full, _ := learnerSession(t, ls, "put-replace")
	d := startDriver(t, 120, 40, full, Options{}, "")
	d.keys("f", "r", "r", "r", "n")
	d.mustContain("this step runs on a normal network: faults off · retry none")
	for name, s := range map[string]*session.Session{"line mode": line, "full screen": full} {
		if s.StepIndex() != 1 || s.Faults() != (sim.FaultSettings{}) || s.Retry() != sim.RetryNone {
			t.Errorf("%s: step %d, faults %+v, retry %s; want step 2 on a normal network", name, s.StepIndex()+1, s.Faults(), s.Retry())
		}
	}
}

// TestSandboxResetIsAResetEventInBoth: resetting the sandbox puts every
// fixture back with a "reset" event, whichever front end asked.
func TestSandboxResetIsAResetEventInBoth(t *testing.T) {
	line := newSession(t, session.Options{Mode: session.Sandbox})
	playLineModeWords(t, line, "DELETE /flights/AA123\nreset\n")
	full := newSession(t, session.Options{Mode: session.Sandbox})
	d := startDriver(t, 120, 40, full, Options{}, "")
	sendPut(d, "DELETE /flights/AA123")
	d.keys("R", "s")
	for name, s := range map[string]*session.Session{"line mode": line, "full screen": full} {
		evs := s.Server().EventsSince(0)
		if last := evs[len(evs)-1]; last.Kind != sim.KindReset {
			t.Errorf("%s: the sandbox reset is a %q event, want reset", name, last.Kind)
		}
		if _, _, ok := s.Server().Resource("/flights/AA123"); !ok {
			t.Errorf("%s: the deleted flight is not back", name)
		}
	}
}

func playLineModeWords(t *testing.T, sess *session.Session, input string) string {
	t.Helper()
	var out bytes.Buffer
	if err := plain.Run(context.Background(), plain.Options{In: strings.NewReader(input), Out: &out, Session: sess}); err != nil {
		t.Fatalf("line mode: %v\n%s", err, out.String())
	}
	return out.String()
}

// TestTwoViewsOfOneSession: line mode drives a session that the full
// screen shows; the screen follows the step and the exchanges without a key.
func TestTwoViewsOfOneSession(t *testing.T) {
	sess, _ := learnerSession(t, testLessons(t), "put-replace")
	d := startDriver(t, 120, 40, sess, Options{}, "")
	d.mustContain("Step 1/4")
	playLineModeWords(t, sess, "PUT /flights/AA123 {\"status\":\"ontime\",\"gate\":\"b12\"}\nnext\n")
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40}) // any message: the driver then reads the updates
	d.mustContain("Step 2/4", "PUT     /flights/AA123")
	if got, want := d.m.comp.line.Value(), d.sess.Step().Suggest; got != want {
		t.Errorf("the composer holds %q, want step 2's suggestion %q", got, want)
	}
	if !d.sess.StepPassed(0) {
		t.Error("the first step is not passed")
	}
}

// TestASetupIsShownAsSentByTheLesson: entering a step whose setup sends a
// request shows it in both front ends, as the lesson's.
func TestASetupIsShownAsSentByTheLesson(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	line, _ := learnerSession(t, ls, "put-create")
	if out := playLineModeWords(t, line, "next\n"); !strings.Contains(out, "From the lesson: PUT /flights/AC789") {
		t.Errorf("line mode does not say what the setup sent:\n%s", out)
	}
	full, _ := learnerSession(t, ls, "put-create")
	d := startDriver(t, 200, 60, full, Options{}, "")
	d.keys("n")
	d.mustContain("lesson PUT     /flights/AC789")
}
