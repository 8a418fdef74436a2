package tui

import (
	"time"

	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"net"
	"os"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
)

func TestLayoutSideBySideFrom120Columns(t *testing.T) {
	for _, tc := range []struct {
		w, h      int
		side, bad bool
	}{
		{59, 40, false, true},
		{60, 19, false, true},
		{60, 20, false, false},
		{119, 40, false, false},
		{120, 40, true, false},
		{300, 90, true, false},
	} {
		l := computeLayout(tc.w, tc.h, layoutFor{})
		if l.TooSmall != tc.bad || (!l.TooSmall && l.Side != tc.side) {
			t.Errorf("%d×%d: too small %v side %v, want %v %v", tc.w, tc.h, l.TooSmall, l.Side, tc.bad, tc.side)
		}
		if l.TooSmall {
			continue
		}
		// The panes tile the screen above the footer.
		area := l.Lesson.W*l.Lesson.H + l.Composer.W*l.Composer.H + l.Server.W*l.Server.H
		if area != tc.w*l.FooterY {
			t.Errorf("%d×%d: panes cover %d cells, want %d", tc.w, tc.h, area, tc.w*l.FooterY)
		}
	}
}

func TestEveryFrameFillsTheTerminal(t *testing.T) {
	for _, size := range [][2]int{{60, 20}, {80, 24}, {100, 30}, {119, 35}, {120, 40}, {160, 50}, {200, 60}} {
		d := newDriver(t, size[0], size[1], testOpts{lesson: "put-replace"})
		checkFrame(t, d)
		d.keys("ctrl+o")
		checkFrame(t, d)
		d.keys("esc", "?")
		checkFrame(t, d)
		d.keys("esc", "t")
		checkFrame(t, d)
	}
}

func TestResizeNeverLosesState(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /flights/AA123 {"status":"ontime","gate":"b12"}`)
	d.keys("enter")
	d.keys("ctrl+l")
	d.typeLine(`GET /flights`)
	d.keys("tab") // focus on the server pane
	d.keys("up")

	for _, size := range [][2]int{{40, 10}, {80, 24}, {200, 60}, {120, 40}} {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	}
	if got := d.m.comp.line.Value(); got != "GET /flights" {
		t.Errorf("composer holds %q after resizing", got)
	}
	if d.m.focus != paneServer || d.m.srv.sel != 0 {
		t.Errorf("focus %d selection %d after resizing", d.m.focus, d.m.srv.sel)
	}
	if !d.m.status().Passed || logLen(d) != 1 {
		t.Errorf("passed %v, %d log entries after resizing", d.m.status().Passed, logLen(d))
	}
	d.mustContain("✓ Step passed", "#1")
}

func TestTooSmallSaysSoAndRecovers(t *testing.T) {
	d := newDriver(t, 59, 30, testOpts{lesson: "put-replace"})
	d.mustContain("terminal too small (need 60×20, have 59×30)")
	d.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	d.mustContain("Request", "Server")
}

func TestMouseWheelScrollsThePaneUnderThePointer(t *testing.T) {
	d := newDriver(t, 80, 24, testOpts{lesson: "put-replace"})
	r := d.m.lay.Lesson
	d.send(tea.MouseWheelMsg{X: r.X + 3, Y: r.Y + 2, Button: tea.MouseWheelDown})
	if d.m.lesson.sc.off != 3 {
		t.Errorf("lesson offset %d after a wheel step, want 3", d.m.lesson.sc.off)
	}
	if d.m.focus != paneLesson {
		t.Error("the wheel moved the focus")
	}
}

func TestClickFocusesAPane(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	for _, tc := range []struct {
		r    rect
		want pane
	}{{d.m.lay.Server, paneServer}, {d.m.lay.Composer, paneComposer}, {d.m.lay.Lesson, paneLesson}} {
		d.send(tea.MouseClickMsg{X: tc.r.X + 2, Y: tc.r.Y + 1, Button: tea.MouseLeft})
		if d.m.focus != tc.want {
			t.Errorf("click in %+v focused %d, want %d", tc.r, d.m.focus, tc.want)
		}
	}
}

func TestClickOnALogEntrySelectsIt(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, `GET /accounts/42`)
	sendPut(d, `PUT /accounts/42 {"balance": 100} x3`)
	// Find the row of the first entry on screen.
	lines := strings.Split(d.screen(), "\n")
	for y, ln := range lines {
		if strings.Contains(ln, "#1 ") {
			d.send(tea.MouseClickMsg{X: d.m.lay.Server.X + 3, Y: y, Button: tea.MouseLeft})
			break
		}
	}
	if d.m.srv.sel != 0 {
		t.Fatalf("selection %d after clicking the first entry", d.m.srv.sel)
	}
	d.keys("enter")
	d.mustContain("Wire view #1")
}

func TestStatusClassesDifferByTextNotOnlyColour(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, "GET /accounts/42")
	sendPut(d, "GET /nowhere")
	sendPut(d, "POST /flights")
	sendPut(d, "FROB /accounts/42")
	d.mustContain("200 OK", "404 Not Found", "405 Method Not Allowed", "501 Not Implemented")
}

func TestLostResponseAndRetryAreMarkedInTheLog(t *testing.T) {
	d := newDriver(t, 160, 50, testOpts{sandbox: true})
	d.keys("f") // lose responses
	d.keys("r") // retry idempotent requests (RFC 9110)
	sendPut(d, `PUT /accounts/42 {"balance": 100}`)
	d.mustContain("✗ lost", "retry 2")
	d.mustContain("faults lose responses · retry rfc9110")
}

func TestNoticeShowsOnceAtStart(t *testing.T) {
	sess := newSession(t, session.Options{Mode: session.Sandbox})
	m := New(Options{Session: sess, Notice: "progress will not be saved: disk full"})
	m.ss.manual = true
	t.Cleanup(m.Close)
	d := &driver{t: t, m: m, srv: sess.Server(), sess: sess}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.mustContain("progress will not be saved: disk full")
	d.keys("down")
	d.mustNotContain("progress will not be saved")
}

func TestHintsComeOneAtATime(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	d.keys("n", "n") // step 3 has two hints
	d.keys("h")
	d.mustContain("Hint 1/2")
	d.mustNotContain("Hint 2/2")
	d.keys("h")
	d.mustContain("Hint 2/2")
	d.keys("h")
	d.mustContain("no more hints")
}

func TestSolutionFillsButNeverSends(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	before := d.srv.LastSeq()
	d.keys("h", "s")
	if logLen(d) != 0 || d.srv.LastSeq() != before {
		t.Fatal("the solution was sent")
	}
	d.mustContain("solution filled in")
	d.keys("enter")
	if !d.m.status().Passed {
		t.Fatal("sending the filled-in solution did not pass the step")
	}
}

func TestWrongQuizAnswerExplainsWhy(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	toQuiz(d)
	d.keys("1")
	d.mustContain("Every HTTP request has a target")
	if d.m.status().Passed {
		t.Error("a wrong answer passed the quiz")
	}
}

func TestNextAtTheEndOfALessonOpensTheNextLesson(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	toQuiz(d)
	d.keys("2")
	if want := "n for the next lesson"; !strings.Contains(d.m.flash, want) {
		t.Errorf("a right answer on a lesson's last step says %q, want %q", d.m.flash, want)
	}
	d.keys("n")
	if got := d.sess.Lesson().ID; got != "lost-responses" {
		t.Fatalf("in %s after the last step of put-replace, want the next lesson", got)
	}
	d.mustContain("3/3 When responses get lost")
}

func TestContentsJumpsToALesson(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{})
	d.keys("t", "down", "down", "enter")
	if d.m.overlay != overlayNone {
		t.Fatal("contents still open")
	}
	if got := d.sess.Lesson().ID; got != d.sess.Lessons()[2].ID {
		t.Errorf("in lesson %s, want the third", got)
	}
}

func TestStepNetworkIsAppliedAndLifted(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "lost-responses"})
	if f := d.m.ss.sess.Faults(); !f.LoseResponses {
		t.Fatalf("the step's network block did not switch faults on: %+v", f)
	}
	d.mustContain("faults lose responses")
	d.keys("e", "enter", "esc")
	d.mustContain("✗ lost", "✓ Step passed")
	d.keys("n") // a step without a network block: a normal network
	if f := d.m.ss.sess.Faults(); f.LoseResponses || f.DropRequests {
		t.Errorf("faults still on in a step without a network block: %+v", f)
	}
	d.mustContain("faults off")
}

func TestGuardTurnsACommandPanicIntoACrashMessage(t *testing.T) {
	msg := guard(func() tea.Msg { panic("boom") })()
	c, ok := msg.(crashMsg)
	if !ok || c.Value != "boom" || len(c.Stack) == 0 {
		t.Fatalf("guard returned %#v", msg)
	}
}

func TestPanicInUpdateQuitsAndWritesACrashReport(t *testing.T) {
	m := New(Options{})
	t.Cleanup(m.Close)
	m.st = nil // any styled redraw now panics
	g := guarded{m: &m}
	_, cmd := g.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if cmd == nil {
		t.Fatal("no command after a panic")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("a panic in Update did not quit")
	}
	c := m.ss.crashed()
	if c == nil {
		t.Fatal("no crash recorded")
	}
	err := writeCrash(c, m.ss)
	path := crashPath(t, err)
	data, rerr := os.ReadFile(path)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if !strings.Contains(string(data), "panic:") || !strings.Contains(string(data), "goroutine") {
		t.Errorf("crash report lacks the panic and stack:\n%s", data)
	}
}

func TestRunReturnsAnErrorNamingTheCrashReport(t *testing.T) {
	// A check broken after loading panics when a request is judged, in
	// the command that sends it.
	ls := testLessons(t)
	sess := newSession(t, session.Options{Mode: session.Tutorial, Lessons: ls})
	ls[0].Steps[0].Check = &lessons.Check{Kind: lessons.CheckAll, Sub: []*lessons.Check{nil}}
	keys := "e\x0cGET /accounts/42\r" // e, ctrl+l, the request, enter
	err := run(context.Background(), Options{Session: sess}, []tea.ProgramOption{
		tea.WithInput(strings.NewReader(keys)), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30),
	})
	crashPath(t, err)
}

func crashPath(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	i := strings.Index(msg, os.TempDir())
	if i < 0 {
		t.Fatalf("error does not name a file in %s: %v", os.TempDir(), err)
	}
	path := strings.Fields(msg[i:])[0]
	t.Cleanup(func() { _ = os.Remove(path) })
	if _, serr := os.Stat(path); serr != nil {
		t.Fatalf("crash report %s: %v", path, serr)
	}
	return path
}

func TestRunRefusesWithoutATerminal(t *testing.T) {
	// go test's standard output is not a terminal.
	err := Run(context.Background(), Options{})
	if !errors.Is(err, ErrNotTerminal) {
		t.Fatalf("Run without a terminal returned %v", err)
	}
}

func TestWaitUpdatesCatchesUpOnEverythingSentMeanwhile(t *testing.T) {
	sess := newSession(t, session.Options{Mode: session.Sandbox})
	m := New(Options{Session: sess})
	t.Cleanup(m.Close)
	// Far more exchanges than anyone reads while they happen.
	rl, err := request.Parse(`PUT /accounts/42 {"balance": 100}`)
	if err != nil {
		t.Fatal(err)
	}
	for range 768 {
		msg := sendBatch(context.Background(), sess, 1, rl, 1, false)()
		if sm := msg.(sentMsg); sm.Status != 200 {
			t.Fatalf("status %d", sm.Status)
		}
	}
	var got []sim.Event
	for len(got) < 768 {
		um, ok := waitUpdates(m.ss, 0, time.Time{}, nil)().(updatesMsg)
		if !ok {
			t.Fatal("waitUpdates returned no updates")
		}
		for _, u := range um.Updates {
			if u.Kind == session.UpdateEvent {
				got = append(got, u.Event)
			}
		}
	}
	if len(got) != 768 || got[len(got)-1].Seq != sess.Server().LastSeq() {
		t.Fatalf("caught up with %d events, want 768 up to seq %d", len(got), sess.Server().LastSeq())
	}
}

func TestPasteGoesIntoTheComposer(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	d.keys("e", "ctrl+l")
	d.send(tea.PasteMsg{Content: `PUT /accounts/42 {"balance": 100}`})
	d.keys("enter")
	if logLen(d) != 1 {
		t.Fatalf("%d exchanges after pasting and sending", logLen(d))
	}
}

func TestBackgroundReportPicksTheTheme(t *testing.T) {
	m := New(Options{})
	t.Cleanup(m.Close)
	nm, _ := m.Update(tea.BackgroundColorMsg{Color: color.White})
	if got := nm.(*Model); got.dark || got.md.theme != "light" {
		t.Errorf("white background: dark %v, markdown theme %q", got.dark, got.md.theme)
	}
	nm, _ = nm.Update(tea.BackgroundColorMsg{Color: color.Black})
	if got := nm.(*Model); !got.dark || got.md.theme != "dark" {
		t.Errorf("black background: dark %v, markdown theme %q", got.dark, got.md.theme)
	}
	nm, _ = nm.Update(tea.ColorProfileMsg{Profile: colorprofile.NoTTY})
	if got := nm.(*Model); !got.mono || got.md.theme != "mono" {
		t.Errorf("no colours: mono %v, markdown theme %q", got.mono, got.md.theme)
	}
}

func TestFormSendsWhatItShows(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	d.keys("ctrl+o") // the form, focus on the method
	d.typeLine("po") // picks POST by prefix
	if d.m.comp.method != "POST" {
		t.Fatalf("method %q after typing po", d.m.comp.method)
	}
	d.keys("tab")
	d.typeLine("/customers")
	d.keys("tab", "tab")
	d.typeLine(`{"name":"Joe"}`)
	d.keys("tab")
	d.typeLine("3") // repeat ×3, typed
	d.keys("enter")
	finishJob(d)
	if logLen(d) != 3 {
		t.Fatalf("%d exchanges, want 3", logLen(d))
	}
	for _, e := range d.m.srv.log {
		if e.ev.Request.Method != "POST" || e.ev.Request.Target != "/customers" || e.ev.Response.Status != 201 {
			t.Errorf("sent %s %s → %d", e.ev.Request.Method, e.ev.Request.Target, e.ev.Response.Status)
		}
	}
	if n := len(d.srv.Members("/customers")); n != 3 {
		t.Errorf("%d customers, want 3", n)
	}
}

func TestRepeatIsPacedAndKeepsTheScreenResponsive(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	d.keys("e", "ctrl+l")
	d.typeLine(`POST /accounts/42/interest {"rate": 0.10} x100`)
	d.keys("enter", "esc")
	// ×100 goes in batches of b, one per tick.
	b := session.RepeatBatch(100, 0, false)
	if logLen(d) != b || d.m.job == nil {
		t.Fatalf("%d sent at once; a repeat must go at a readable pace", logLen(d))
	}
	// While it runs the learner scrolls and reads.
	d.keys("down", "down", "tab", "tab", "up")
	if d.m.job == nil {
		t.Fatal("a key stopped the repeat")
	}
	d.tick()
	d.tick()
	if logLen(d) != 3*b {
		t.Fatalf("%d sent after two ticks, want %d", logLen(d), 3*b)
	}
	d.mustContain(fmt.Sprintf("sending %d/100", 3*b))
	finishJob(d)
	if logLen(d) != 100 {
		t.Fatalf("%d sent, want 100", logLen(d))
	}
	// Compounding interest draws a rising chart.
	vals := d.m.srv.series.Values
	if len(vals) < 100 || vals[len(vals)-1] <= vals[len(vals)-50] {
		t.Errorf("chart values do not rise: %v", vals[max(0, len(vals)-5):])
	}
}

func TestSolutionIsOfferedOnlyAfterAnAttemptOrAHint(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	scaffold := d.m.comp.line.Value()
	d.keys("s")
	d.mustContain("try the step first")
	if got := d.m.comp.line.Value(); got != scaffold {
		t.Fatalf("s before any attempt changed the composer to %q", got)
	}
	sendPut(d, `POST /flights/AA123 {"status":"ontime","gate":"b12"}`) // an attempt, wrong
	d.keys("s")
	if got := d.m.comp.line.Value(); got != `PUT /flights/AA123 {"status":"ontime","gate":"b12"}` {
		t.Errorf("after an attempt, s filled in %q", got)
	}
}

// With Options.Open, the screen opens its session as it starts, draws
// it, and closes it when it ends.
func TestTheScreenOpensItsSessionWhenItStartsAndClosesIt(t *testing.T) {
	var sess *session.Session
	opens := 0
	open := func(o *Options) error {
		opens++
		var err error
		sess, err = session.New(session.Options{Mode: session.Sandbox, Listen: "127.0.0.1:0"})
		o.Session, o.Notice = sess, "opened as the screen started"
		return err
	}
	var out bytes.Buffer
	err := run(context.Background(), Options{Open: open}, []tea.ProgramOption{
		tea.WithInput(strings.NewReader("\x03")), tea.WithOutput(&out), tea.WithWindowSize(100, 30),
	})
	if err != nil {
		t.Fatal(err)
	}
	if opens != 1 {
		t.Fatalf("the session was opened %d times", opens)
	}
	if !strings.Contains(out.String(), "Server") || !strings.Contains(out.String(), sess.Addr()) ||
		!strings.Contains(out.String(), "opened as the screen started") {
		t.Errorf("the screen did not draw the session it opened, or its notice:\n%q", out.String())
	}
	if conn, err := net.Dial("tcp", sess.Addr()); err == nil {
		_ = conn.Close()
		t.Error("the session still listens after the screen ended")
	}
}

// When Options.Open fails, Run returns its error and nothing is drawn.
func TestASessionThatCannotOpenEndsTheScreenBeforeItDraws(t *testing.T) {
	refused := errors.New("no session today")
	var out bytes.Buffer
	err := run(context.Background(), Options{Open: func(*Options) error { return refused }}, []tea.ProgramOption{
		tea.WithInput(strings.NewReader("")), tea.WithOutput(&out), tea.WithWindowSize(100, 30),
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Run returned %v, want the session's error", err)
	}
	if strings.Contains(out.String(), "Server") || strings.Contains(out.String(), "crash") {
		t.Errorf("something was drawn:\n%q", out.String())
	}
}

// A panic while the screen opens its session leaves a crash report, as
// one anywhere else does.
func TestAPanicWhileOpeningTheSessionLeavesACrashReport(t *testing.T) {
	err := run(context.Background(), Options{Open: func(*Options) error { panic("broken lessons") }}, []tea.ProgramOption{
		tea.WithInput(strings.NewReader("")), tea.WithOutput(io.Discard), tea.WithWindowSize(100, 30),
	})
	crashPath(t, err)
}

// The footer says how many choices a quiz has, and s gives the right one,
// as line mode's solution command does.
func TestSolutionOnAQuizNamesItsChoices(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	toQuiz(d)
	d.mustContain(fmt.Sprintf("1-%d answer", len(d.sess.Step().Quiz.Choices)))
	d.keys("s")
	if !strings.HasPrefix(d.m.flash, "the answer is 2: ") {
		t.Errorf("s on a quiz says %q, want its right choice, 2", d.m.flash)
	}
}
