package tui

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/charmbracelet/x/vt"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
)

// flow runs the whole program with teatest and reads what it draws through
// a terminal emulator, so the tests look at the screen a learner would see.
type flow struct {
	t   *testing.T
	tm  *teatest.TestModel
	emu *vt.Emulator
	mu  sync.Mutex
	srv *sim.Server
}

func startFlow(t *testing.T, w, h int, o Options) *flow {
	t.Helper()
	if o.Session == nil {
		o.Session = newSession(t, session.Options{Mode: session.Sandbox})
	}
	m := New(o)
	t.Cleanup(m.Close)
	tm := teatest.NewTestModel(t, &m,
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)),
	)
	emu := vt.NewEmulator(w, h)
	// The emulator answers terminal queries on its input pipe; nobody
	// reads it here, so drain it or its writes would block. (Closing the
	// emulator while this reads is a data race inside vt, so it stays open
	// until the test binary ends.)
	go func() { _, _ = io.Copy(io.Discard, emu) }()
	return &flow{t: t, tm: tm, emu: emu, srv: o.Session.Server()}
}

// screen feeds what the program wrote so far into the emulator and returns
// the emulator's screen.
func (f *flow) screen() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	buf, _ := io.ReadAll(f.tm.Output())
	// Without a terminal on its input, Bubble Tea relies on the tty's
	// ONLCR (newline → CR LF); the emulator has no line discipline, so do
	// that translation here.
	buf = bytes.ReplaceAll(buf, []byte("\n"), []byte("\r\n"))
	_, _ = f.emu.Write(buf)
	return f.emu.String()
}

func (f *flow) waitFor(what string, timeout time.Duration) {
	f.t.Helper()
	deadline := time.Now().Add(timeout)
	var s string
	for time.Now().Before(deadline) {
		s = f.screen()
		if strings.Contains(s, what) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	f.t.Fatalf("screen never showed %q within %s; last screen:\n%s", what, timeout, s)
}

func (f *flow) keys(names ...string) {
	for _, n := range names {
		f.tm.Send(press(n))
	}
}

func (f *flow) typeLine(s string) {
	for _, msg := range typeText(s) {
		f.tm.Send(msg)
	}
}

func (f *flow) quit() Model {
	f.t.Helper()
	f.keys("ctrl+c")
	m := f.tm.FinalModel(f.t, teatest.WithFinalTimeout(5*time.Second))
	return *m.(*Model)
}

func builtinSession(t *testing.T) *session.Session {
	t.Helper()
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return newSession(t, session.Options{Mode: session.Tutorial, Lessons: ls})
}

// TestFlowFirstRunCompletesPutReplaceByTyping: a first run shows the
// welcome; the learner opens put-replace from the contents, types the
// request of every step (the lesson's own solutions, so the test follows
// the curriculum as it is edited), answers its quiz and moves on to the
// next lesson.
func TestFlowFirstRunCompletesPutReplaceByTyping(t *testing.T) {
	eng := builtinSession(t)
	ls := eng.Lessons()
	idx := slices.IndexFunc(ls, func(l *lessons.Lesson) bool { return l.ID == "put-replace" })
	if idx < 0 || idx+1 >= len(ls) {
		t.Fatal("the curriculum has no put-replace lesson with a lesson after it")
	}
	f := startFlow(t, 120, 40, Options{Session: eng, Welcome: true})

	f.waitFor("Welcome to putpost", 3*time.Second)
	f.keys("enter")
	f.waitFor(fmt.Sprintf("1/%d ", len(ls)), 3*time.Second)

	f.keys("t")
	f.waitFor("Lessons", 3*time.Second)
	for range idx {
		f.keys("down")
	}
	f.keys("enter")
	steps := ls[idx].Steps
	for i, st := range steps {
		kind := "Step"
		if st.Quiz != nil {
			kind = "Quiz"
		}
		f.waitFor(fmt.Sprintf("%s %d/%d", kind, i+1, len(steps)), 3*time.Second)
		if st.Quiz != nil {
			right := slices.IndexFunc(st.Quiz.Choices, func(c lessons.Choice) bool { return c.Correct })
			f.keys(strconv.Itoa(right + 1))
			f.waitFor("✓ Answered", 3*time.Second)
			f.keys("n")
			continue
		}
		for _, line := range st.Solution {
			f.keys("e", "ctrl+l")
			f.typeLine(line)
			f.keys("enter")
		}
		f.waitFor("✓ Step passed", 5*time.Second)
		f.keys("esc", "n")
	}
	f.waitFor(fmt.Sprintf("%d/%d ", idx+2, len(ls)), 3*time.Second)

	m := f.quit()
	if got := m.ss.sess.Lesson().ID; got != ls[idx+1].ID {
		t.Fatalf("in %s after the last step, want %s", got, ls[idx+1].ID)
	}
	if done, total := eng.Done("put-replace"); done != total {
		t.Errorf("put-replace %d/%d done, want all", done, total)
	}
}

// TestFlowRepeatHundredThenFinish: ×100 runs at a readable pace; the finish
// key sends the rest at once.
func TestFlowRepeatHundredThenFinish(t *testing.T) {
	f := startFlow(t, 120, 40, Options{})
	f.keys("e", "ctrl+l")
	f.typeLine(`PUT /accounts/42 {"balance": 100} x100`)
	f.keys("enter")
	f.waitFor("sending ", 3*time.Second)
	started := time.Now()
	f.keys("ctrl+x")
	f.waitFor("sent PUT /accounts/42 ×100 → 200 OK", 5*time.Second)
	if d := time.Since(started); d > 2500*time.Millisecond {
		t.Errorf("finishing took %s; the paced run alone takes 3s", d)
	}
	m := f.quit()
	if n := m.srv.events(); n != 100 {
		t.Errorf("%d exchanges in the log, want 100", n)
	}
	body, _, _ := f.srv.Resource("/accounts/42")
	if !strings.Contains(string(body), "100") {
		t.Errorf("balance is %s after PUT ×100", body)
	}
}

// TestFlowUndoRestoresTheBalance: undo reverts the newest change.
func TestFlowUndoRestoresTheBalance(t *testing.T) {
	f := startFlow(t, 120, 40, Options{})
	f.keys("e", "ctrl+l")
	f.typeLine(`PUT /accounts/42 {"balance": 100}`)
	f.keys("enter")
	f.waitFor("sent PUT /accounts/42 → 200 OK", 3*time.Second)
	f.keys("esc", "u")
	f.waitFor("↶ undo", 3*time.Second)
	f.quit()
	body, _, _ := f.srv.Resource("/accounts/42")
	if !strings.Contains(string(body), "80") {
		t.Errorf("balance is %s after undo, want 80.00", body)
	}
}

// TestFlowCurlOverListenAdvancesTheStep: a request from outside (what curl
// does against --listen) shows up in the log and passes the step.
func TestFlowCurlOverListenAdvancesTheStep(t *testing.T) {
	sess := newSession(t, session.Options{Mode: session.Tutorial, Lessons: testLessons(t), Lesson: "put-replace", Listen: "127.0.0.1:0"})
	f := startFlow(t, 120, 40, Options{Session: sess})
	url := "http://" + sess.Addr()
	f.waitFor("Step 1/4", 3*time.Second)

	req, err := http.NewRequest(http.MethodPut, url+"/flights/AA123", strings.NewReader(`{"status":"ontime","gate":"b12"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "curl/8.5.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()

	f.waitFor("curl   PUT", 3*time.Second)        // the log names the client
	f.waitFor("· curl 127.0.0.1:", 3*time.Second) // and the exchange its address
	f.waitFor("✓ Step passed", 3*time.Second)
	f.quit()
}
