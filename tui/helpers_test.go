package tui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
)

// press turns a key name as Bubble Tea prints it ("ctrl+c", "shift+tab",
// "G", "space") into the key press a terminal would produce.
func press(s string) tea.KeyPressMsg {
	named := map[string]rune{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"tab": tea.KeyTab, "esc": tea.KeyEscape, "enter": tea.KeyEnter,
		"backspace": tea.KeyBackspace, "delete": tea.KeyDelete, "f1": tea.KeyF1,
	}
	if s == "space" {
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	if s == "shift+tab" {
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	}
	if code, ok := named[s]; ok {
		return tea.KeyPressMsg{Code: code}
	}
	if rest, ok := strings.CutPrefix(s, "ctrl+"); ok {
		return tea.KeyPressMsg{Code: []rune(rest)[0], Mod: tea.ModCtrl}
	}
	r := []rune(s)
	if len(r) != 1 {
		panic("press: unknown key " + s)
	}
	msg := tea.KeyPressMsg{Code: r[0], Text: s}
	if r[0] >= 'A' && r[0] <= 'Z' {
		msg.Code = r[0] + ('a' - 'A')
		msg.ShiftedCode = r[0]
		msg.Mod = tea.ModShift
	}
	return msg
}

// typeText turns a string into the key presses that type it.
func typeText(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		if r == ' ' {
			out = append(out, press("space"))
			continue
		}
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// driver runs a Model the way Bubble Tea does, in the test's goroutine:
// each message goes through Update, and the commands it returns run until
// they produce messages, which go through Update in turn. The sim's event
// feed is pumped explicitly (the Model's waiting command is not started).
type driver struct {
	t    testing.TB
	m    Model
	srv  *sim.Server
	sess *session.Session
	quit bool // a command returned tea.Quit
	// clipboard is what the program last asked the terminal to put on the
	// clipboard (tea.SetClipboard, OSC 52).
	clipboard string

	ticks []pacedMsg // repeats' next batches held back: tests step a repeat by hand

	viewEach bool // ask for a View after every message, as Bubble Tea does
}

// testLessons are the screen tests' own lessons (testdata/lessons), so that
// the goldens do not change whenever the curriculum is edited.
func testLessons(t testing.TB) []*lessons.Lesson {
	t.Helper()
	ls, err := lessons.LoadDir("testdata/lessons")
	if err != nil {
		t.Fatalf("test lessons: %v", err)
	}
	return ls
}

type testOpts struct {
	sandbox bool
	welcome bool
	listen  string
	lessons []*lessons.Lesson
	builtin bool   // the real curriculum instead of testdata/lessons
	lesson  string // lesson id to start in
}

func newDriver(t testing.TB, w, h int, o testOpts) *driver {
	t.Helper()
	so := session.Options{Mode: session.Sandbox, Lesson: o.lesson}
	if !o.sandbox {
		ls := o.lessons
		switch {
		case ls == nil && o.builtin:
			var err error
			if ls, err = lessons.Builtin(); err != nil {
				t.Fatalf("built-in lessons: %v", err)
			}
		case ls == nil:
			ls = testLessons(t)
		}
		so.Mode, so.Lessons = session.Tutorial, ls
	}
	return startDriver(t, w, h, newSession(t, so), Options{Welcome: o.welcome}, o.listen)
}

// newSession starts a session that ends with the test.
func newSession(t testing.TB, o session.Options) *session.Session {
	t.Helper()
	s, err := session.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// startDriver builds the Model over sess, pumped by hand, at w×h. listen
// stands in for the session's listen address in the footer.
func startDriver(t testing.TB, w, h int, sess *session.Session, o Options, listen string) *driver {
	t.Helper()
	o.Session = sess
	m := New(o)
	m.ss.manual = true
	m.ss.pace = func(job int, wake <-chan struct{}, send tea.Cmd) tea.Cmd {
		return func() tea.Msg { return pacedMsg{job: job, wake: wake, send: send} }
	}
	if listen != "" {
		m.listen(listen)
	}
	t.Cleanup(m.Close)
	d := &driver{t: t, m: m, srv: sess.Server(), sess: sess}
	d.send(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

// send delivers msgs and everything they lead to.
func (d *driver) send(msgs ...tea.Msg) {
	d.t.Helper()
	for _, msg := range msgs {
		d.step(msg)
	}
}

func (d *driver) step(msg tea.Msg) {
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		msg := queue[0]
		queue = queue[1:]
		// A repeat's next batch waits for the test (tick).
		if p, ok := msg.(pacedMsg); ok {
			d.ticks = append(d.ticks, p)
			continue
		}
		_, cmd := d.m.Update(msg)
		if d.viewEach {
			_ = d.m.View()
		}
		queue = append(queue, d.run(cmd)...)
		queue = append(queue, d.woken()...)
		if ups := d.m.ss.watch.Poll(); len(ups) > 0 {
			ups, skipped := newestEvents(ups, maxLog)
			queue = append(queue, updatesMsg{Updates: ups, Skipped: skipped, Snap: takeSnap(d.sess)})
		}
	}
}

// run executes a command and returns the messages it produced.
func (d *driver) run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(5 * time.Second):
		d.t.Fatalf("a command did not return within 5s")
	}
	switch msg := msg.(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, d.run(c)...)
		}
		return out
	case tea.QuitMsg:
		d.quit = true
		return nil
	case crashMsg:
		d.t.Fatalf("command panicked: %v\n%s", msg.Value, msg.Stack)
	}
	if fmt.Sprintf("%T", msg) == "tea.setClipboardMsg" { // unexported in Bubble Tea
		d.clipboard = fmt.Sprint(msg)
		return nil
	}
	return []tea.Msg{msg}
}

// pacedMsg is a repeat's next batch waiting for its turn (paceBatch), held
// for the test to release.
type pacedMsg struct {
	job  int
	wake <-chan struct{}
	send tea.Cmd
}

// woken ends the waits that the Model woke, as paceBatch does at once: a
// repeatTickMsg each, the batch not sent.
func (d *driver) woken() []tea.Msg {
	var out []tea.Msg
	kept := d.ticks[:0]
	for _, p := range d.ticks {
		select {
		case <-p.wake:
			out = append(out, repeatTickMsg{Job: p.job})
		default:
			kept = append(kept, p)
		}
	}
	d.ticks = kept
	return out
}

// batch ends the oldest held wait as its turn would: the batch is sent,
// and its result returned, not yet given to the Model.
func (d *driver) batch() []tea.Msg {
	d.t.Helper()
	if len(d.ticks) == 0 {
		d.t.Fatal("no batch is waiting for its turn")
	}
	p := d.ticks[0]
	d.ticks = d.ticks[1:]
	return d.run(p.send)
}

// hold runs cmd, whose messages must all be batches waiting for their turn,
// and holds them.
func (d *driver) hold(cmd tea.Cmd) {
	d.t.Helper()
	for _, msg := range d.run(cmd) {
		p, ok := msg.(pacedMsg)
		if !ok {
			d.t.Fatalf("the command made %T, want the next batch waiting for its turn", msg)
		}
		d.ticks = append(d.ticks, p)
	}
}

// tick lets the oldest held batch go and steps its result; false when none
// is held.
func (d *driver) tick() bool {
	if len(d.ticks) == 0 {
		return false
	}
	for _, msg := range d.batch() {
		d.step(msg)
	}
	return true
}

func (d *driver) keys(names ...string) {
	d.t.Helper()
	for _, n := range names {
		d.send(press(n))
	}
}

func (d *driver) typeLine(s string) {
	d.t.Helper()
	d.send(typeText(s)...)
}

// screen is the current frame as plain text (no escape sequences).
func (d *driver) screen() string {
	return ansi.Strip(d.m.View().Content)
}

// ascii is the current frame downsampled to the ASCII colour profile: no
// colours, attributes (bold, reverse) kept. Goldens use it.
func (d *driver) ascii() []byte {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ASCII}
	_, _ = w.WriteString(d.m.View().Content)
	return b.Bytes()
}

func (d *driver) mustContain(subs ...string) {
	d.t.Helper()
	s := d.screen()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			d.t.Fatalf("screen does not contain %q:\n%s", sub, s)
		}
	}
}

func (d *driver) mustNotContain(subs ...string) {
	d.t.Helper()
	s := d.screen()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			d.t.Fatalf("screen contains %q:\n%s", sub, s)
		}
	}
}
