package tui

import (
	"github.com/putpost/putpost/session"
	"os"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/chart"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// TestPressHelperMatchesBubbleTea guards the test helper: the key press it
// builds must print as the name it was built from, or the keymap tests below
// would test nothing.
func TestPressHelperMatchesBubbleTea(t *testing.T) {
	for _, b := range DefaultKeyMap().all() {
		for _, k := range b.Keys() {
			if got := press(k).String(); got != k {
				t.Errorf("press(%q).String() = %q", k, got)
			}
		}
	}
}

// keyCase is one key of the keymap in a situation where it must do
// something a learner can see.
type keyCase struct {
	small   bool // run at 80×24, where the lesson text is longer than its pane
	sandbox bool
	setup   func(d *driver)
	check   func(t *testing.T, d *driver)
}

// sendPut sends a request from the composer and leaves the focus on the
// lesson pane.
func sendPut(d *driver, line string) {
	d.keys("e", "ctrl+l")
	d.typeLine(line)
	d.keys("enter")
	finishJob(d)
	d.keys("esc")
}

// startPutRepeat opens lesson "idempotence" at 120×40 and starts
// PUT /accounts/42 {"balance":100} x10: its first batch is on its way.
func startPutRepeat(t *testing.T) *driver {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "idempotence"})
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /accounts/42 {"balance":100} x10`)
	d.keys("enter")
	return d
}

// deliverUpdates hands the model the session's updates that are waiting,
// as the waiter for updates does.
func (d *driver) deliverUpdates() {
	_, _ = d.m.Update(updatesMsg{Updates: d.m.ss.watch.Poll(), Snap: takeSnap(d.sess)})
}

// finishJob lets a running repeat go on, tick by tick, to its end.
func finishJob(d *driver) {
	for d.m.job != nil && d.tick() {
	}
}

func logLen(d *driver) int { return d.m.srv.events() }

// TestEveryKeyDoesWhatItsHelpSays presses each key of the keymap, as a real
// tea.KeyPressMsg, and checks its visible effect.
func TestEveryKeyDoesWhatItsHelpSays(t *testing.T) {
	k := DefaultKeyMap()
	scrolled := func(d *driver) { d.m.lesson.sc.SetOffset(5) }
	cases := map[string]keyCase{
		// Moving around.
		"up": {small: true, setup: scrolled, check: func(t *testing.T, d *driver) {
			if d.m.lesson.sc.off != 4 {
				t.Errorf("lesson offset %d, want 4", d.m.lesson.sc.off)
			}
		}},
		"down": {small: true, setup: scrolled, check: func(t *testing.T, d *driver) {
			if d.m.lesson.sc.off != 6 {
				t.Errorf("lesson offset %d, want 6", d.m.lesson.sc.off)
			}
		}},
		"pgup": {small: true, setup: func(d *driver) { d.m.lesson.sc.Bottom() }, check: func(t *testing.T, d *driver) {
			if d.m.lesson.sc.off != max(0, d.m.lesson.sc.maxOff()-(d.m.lesson.sc.h-1)) {
				t.Errorf("lesson offset %d after page up from %d", d.m.lesson.sc.off, d.m.lesson.sc.maxOff())
			}
		}},
		"pgdown": {small: true, check: func(t *testing.T, d *driver) {
			if d.m.lesson.sc.off != d.m.lesson.sc.h-1 {
				t.Errorf("lesson offset %d after page down, want %d", d.m.lesson.sc.off, d.m.lesson.sc.h-1)
			}
		}},
		"home": {small: true, setup: scrolled, check: func(t *testing.T, d *driver) {
			if d.m.lesson.sc.off != 0 {
				t.Errorf("lesson offset %d, want 0", d.m.lesson.sc.off)
			}
		}},
		"end": {small: true, check: func(t *testing.T, d *driver) {
			if d.m.lesson.sc.off != d.m.lesson.sc.maxOff() || d.m.lesson.sc.off == 0 {
				t.Errorf("lesson offset %d, want the bottom %d", d.m.lesson.sc.off, d.m.lesson.sc.maxOff())
			}
		}},
		"tab": {check: func(t *testing.T, d *driver) {
			if d.m.focus != paneComposer {
				t.Errorf("focus %d, want the composer", d.m.focus)
			}
		}},
		"shift+tab": {check: func(t *testing.T, d *driver) {
			if d.m.focus != paneServer {
				t.Errorf("focus %d, want the server pane", d.m.focus)
			}
		}},
		"esc": {setup: func(d *driver) {
			sendPut(d, "GET /flights/AA123")
			d.keys("tab", "tab", "w")
		}, check: func(t *testing.T, d *driver) {
			if d.m.srv.wire != nil {
				t.Error("esc left the wire view open")
			}
		}},

		// Lesson.
		"n": {check: func(t *testing.T, d *driver) {
			if d.sess.StepIndex() != 1 {
				t.Errorf("step %d after next, want 2", d.sess.StepIndex()+1)
			}
			d.mustContain("Step 2/4")
		}},
		"ctrl+n": {setup: func(d *driver) { d.keys("e") }, check: func(t *testing.T, d *driver) {
			if d.sess.StepIndex() != 1 {
				t.Errorf("step %d after ctrl+n in the composer, want 2", d.sess.StepIndex()+1)
			}
		}},
		"p": {setup: func(d *driver) { d.keys("n") }, check: func(t *testing.T, d *driver) {
			if d.sess.StepIndex() != 0 {
				t.Errorf("step %d after back, want 1", d.sess.StepIndex()+1)
			}
		}},
		"h": {check: func(t *testing.T, d *driver) {
			if len(d.sess.HintsShown()) != 1 {
				t.Errorf("%d hints shown, want 1", len(d.sess.HintsShown()))
			}
			d.mustContain("Hint 1/1")
		}},
		"s": {setup: func(d *driver) { d.keys("e", "ctrl+l", "esc", "h") }, check: func(t *testing.T, d *driver) {
			if got := d.m.comp.line.Value(); got != `PUT /flights/AA123 {"status":"ontime","gate":"b12"}` {
				t.Errorf("composer holds %q after s", got)
			}
			if logLen(d) != 0 {
				t.Error("the solution was sent; it must only fill the composer")
			}
			if d.m.focus != paneComposer {
				t.Error("s should put the focus in the composer")
			}
		}},
		"t": {check: func(t *testing.T, d *driver) {
			if d.m.overlay != overlayContents {
				t.Error("t did not open the lessons")
			}
			d.mustContain("Look around the server")
		}},
		"R": {setup: func(d *driver) { sendPut(d, `PUT /flights/AA123 {"status":"ontime"}`) }, check: func(t *testing.T, d *driver) {
			if d.m.overlay != overlayReset {
				t.Fatal("R did not open the reset box")
			}
			d.mustContain("this step", "this lesson", "all progress", "cancel")
			// Nothing happens until a choice is made.
			if body, _, _ := d.srv.Resource("/flights/AA123"); strings.Contains(string(body), "delayed") {
				t.Errorf("R alone reset the server: %s", body)
			}
		}},
		"1": {setup: toQuiz, check: func(t *testing.T, d *driver) {
			if d.m.quiz().Picked != 0 || d.m.quiz().Correct {
				t.Errorf("quiz state %+v after 1, want a wrong answer 0", d.m.quiz())
			}
			d.mustContain("✗ 1.")
		}},
		"2": {setup: toQuiz, check: func(t *testing.T, d *driver) {
			if !d.m.quiz().Correct || !d.m.status().Passed {
				t.Errorf("quiz state %+v after 2, want correct", d.m.quiz())
			}
			d.mustContain("✓ 2.", "✓ Answered")
		}},

		// Composer.
		"e": {check: func(t *testing.T, d *driver) {
			if d.m.focus != paneComposer {
				t.Error("e did not focus the composer")
			}
		}},
		"enter": {setup: func(d *driver) { d.keys("e") }, check: func(t *testing.T, d *driver) {
			if logLen(d) != 1 {
				t.Fatalf("%d events after enter in the composer, want 1", logLen(d))
			}
		}},
		"ctrl+s": {check: func(t *testing.T, d *driver) {
			if logLen(d) != 1 {
				t.Errorf("%d events after ctrl+s, want 1", logLen(d))
			}
		}},
		"ctrl+r": {check: func(t *testing.T, d *driver) {
			if d.m.comp.repeat != 10 {
				t.Errorf("repeat ×%d after ctrl+r, want ×10", d.m.comp.repeat)
			}
		}},
		"ctrl+o": {check: func(t *testing.T, d *driver) {
			if !d.m.comp.form || d.m.comp.method != "PUT" || d.m.comp.path.Value() != "/flights/AA123" {
				t.Errorf("form %v method %q path %q", d.m.comp.form, d.m.comp.method, d.m.comp.path.Value())
			}
			d.mustContain("method", "headers", "body", "repeat")
		}},
		"ctrl+l": {check: func(t *testing.T, d *driver) {
			if d.m.comp.line.Value() != "" {
				t.Errorf("composer still holds %q", d.m.comp.line.Value())
			}
		}},

		// Server.
		"w": {setup: func(d *driver) { sendPut(d, `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`) }, check: func(t *testing.T, d *driver) {
			if d.m.srv.wire == nil {
				t.Fatal("w did not open the wire view")
			}
			d.mustContain("PUT /flights/AA123 HTTP/1.1", "HTTP/1.1 200 OK", "status")
		}},
		"y": {setup: func(d *driver) { sendPut(d, `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`) }, check: func(t *testing.T, d *driver) {
			r, err := request.Parse(d.clipboard)
			if err != nil || r.Method != "PUT" || r.Target != "/flights/AA123" || r.Body != `{"status":"ontime","gate":"b12"}` {
				t.Fatalf("the clipboard holds %q (%+v, %v)", d.clipboard, r, err)
			}
			d.mustContain("Copied as curl", "curl -i -X PUT")
			d.keys("down")
			if d.m.overlay != overlayNone {
				t.Error("a key did not close the copy box")
			}
		}},
		"E": {setup: func(d *driver) {
			sendPut(d, `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`)
			d.t.Chdir(d.t.TempDir())
		}, check: func(t *testing.T, d *driver) {
			d.mustContain("Export requests", "putpost-session.sh")
			d.keys("enter")
			d.mustContain("exported 1 request to putpost-session.sh")
			data, err := os.ReadFile("putpost-session.sh")
			if err != nil || !strings.Contains(string(data), "/flights/AA123") {
				t.Fatalf("the script: %v\n%s", err, data)
			}
		}},
		"u": {setup: func(d *driver) { sendPut(d, `PUT /flights/AA123 {"status":"ontime"}`) }, check: func(t *testing.T, d *driver) {
			body, _, _ := d.srv.Resource("/flights/AA123")
			if !strings.Contains(string(body), "delayed") {
				t.Errorf("after undo the flight is %s", body)
			}
		}},
		"f": {check: func(t *testing.T, d *driver) {
			if !d.m.ss.sess.Faults().LoseResponses {
				t.Errorf("faults %+v after f", d.m.ss.sess.Faults())
			}
			d.mustContain("faults lose responses")
		}},
		"r": {check: func(t *testing.T, d *driver) {
			if d.m.ss.sess.Retry() != sim.RetryRFC9110 {
				t.Errorf("retry %q after r", d.m.ss.sess.Retry())
			}
			d.mustContain("retry rfc9110")
		}},
		"c": {sandbox: true, check: func(t *testing.T, d *driver) {
			// The sandbox charts the balance first; c moves on.
			if d.m.srv.series.Spec == (chart.Spec{Path: "/accounts/42", Field: "balance"}) {
				t.Errorf("chart still %+v after c", d.m.srv.series.Spec)
			}
		}},
		"x": {setup: func(d *driver) {
			d.keys("e", "ctrl+l")
			d.typeLine(`PUT /flights/AA123 {"status":"ontime"} x100`)
			d.keys("enter", "esc")
			d.tick()
			// The first batch and one after a tick.
			if d.m.job == nil || logLen(d) != 2*session.RepeatBatch(100, 0, false) {
				d.t.Fatalf("×100 is not running at its pace: %d sent", logLen(d))
			}
		}, check: func(t *testing.T, d *driver) {
			if d.m.job != nil {
				t.Fatalf("job still running: %+v", d.m.job)
			}
			if logLen(d) != 100 {
				t.Errorf("%d events after finishing ×100, want 100", logLen(d))
			}
		}},

		// Program.
		"L": {check: func(t *testing.T, d *driver) {
			if d.m.dark {
				t.Error("L did not switch the dark theme to the light one")
			}
		}},
		"?": {check: func(t *testing.T, d *driver) {
			if d.m.overlay != overlayHelp {
				t.Error("? did not open the help")
			}
			d.mustContain("finish repeat", "retry policy")
		}},
		"q": {check: func(t *testing.T, d *driver) {
			if !d.quit {
				t.Error("q did not quit")
			}
		}},
	}
	// Aliases act like the key they stand for.
	alias := map[string]string{
		"k": "up", "j": "down", "ctrl+u": "pgup", "ctrl+d": "pgdown", "space": "pgdown",
		"g": "home", "G": "end", "right": "n", "left": "p", "i": "e",
		"ctrl+z": "u", "ctrl+x": "x", "f1": "?", "ctrl+c": "q", "ctrl+j": "enter",
		"3": "1", "4": "1",
	}
	outOfRange := []string{"5", "6", "7", "8", "9"}

	for _, b := range k.all() {
		for _, name := range b.Keys() {
			t.Run(name, func(t *testing.T) {
				c, ok := cases[name]
				if a, isAlias := alias[name]; isAlias {
					c, ok = cases[a], true
				}
				if slices.Contains(outOfRange, name) {
					d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
					toQuiz(d)
					d.keys(name)
					if d.m.quiz().Picked != -1 || !strings.Contains(d.screen(), "choose 1 to 4") {
						t.Errorf("%s on a 4-choice quiz: quiz %+v, screen:\n%s", name, d.m.quiz(), d.screen())
					}
					return
				}
				if !ok {
					t.Fatalf("no test for key %q (%s)", name, b.Help().Desc)
				}
				if name == "3" || name == "4" {
					// Wrong answers, like 1.
					d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
					toQuiz(d)
					d.keys(name)
					if d.m.quiz().Picked != int(name[0]-'1') || d.m.quiz().Correct {
						t.Errorf("quiz %+v after %s", d.m.quiz(), name)
					}
					return
				}
				w, h := 120, 40
				if c.small {
					w, h = 80, 24
				}
				o := testOpts{lesson: "put-replace"}
				if c.sandbox {
					o = testOpts{sandbox: true}
				}
				d := newDriver(t, w, h, o)
				if c.setup != nil {
					c.setup(d)
				}
				d.keys(name)
				c.check(t, d)
			})
		}
	}
}

// toQuiz moves to put-replace's quiz step.
func toQuiz(d *driver) {
	for d.sess.Step().Quiz == nil {
		d.keys("n")
	}
}

func TestComposerKeepsLettersWhileTyping(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	d.keys("e", "ctrl+l")
	d.typeLine("qhsntufrcx?")
	if got := d.m.comp.line.Value(); got != "qhsntufrcx?" {
		t.Errorf("composer holds %q; letters must type, not act", got)
	}
	if d.quit || d.m.overlay != overlayNone || d.sess.StepIndex() != 0 {
		t.Error("a letter typed in the composer acted as a command")
	}
}

func TestInvalidRequestIsExplainedAndNotSent(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	before := d.srv.LastSeq()
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /flights/AA123 {"status":`)
	d.keys("enter")
	if logLen(d) != 0 || d.srv.LastSeq() != before {
		t.Fatal("an invalid request was sent")
	}
	if d.m.comp.err == nil {
		t.Fatal("no error shown for an invalid request")
	}
	d.mustContain("nothing sent")
}

func TestFormRefusesBodyOnGet(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	d.keys("ctrl+o") // form, focus on the method
	for d.m.comp.method != "GET" {
		d.keys("right")
	}
	d.keys("ctrl+s")
	if logLen(d) != 0 {
		t.Fatal("a GET with a body was sent")
	}
	if d.m.comp.err == nil || d.m.comp.err.Field != fieldBody {
		t.Fatalf("error %+v, want one about the body", d.m.comp.err)
	}
	d.mustContain("body:", "nothing sent")
}

func TestQuitReturnsTeaQuit(t *testing.T) {
	d := newDriver(t, 80, 24, testOpts{})
	_, cmd := d.m.Update(press("q"))
	if cmd == nil {
		t.Fatal("q returned no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not return tea.Quit")
	}
}

func TestDownScrollsTheHelpOnAShortScreen(t *testing.T) {
	d := newDriver(t, 80, 20, testOpts{})
	d.keys("?")
	before := d.screen()
	d.keys("down", "down", "down")
	if d.screen() == before {
		t.Fatalf("↓ did not scroll the help:\n%s", before)
	}
}
