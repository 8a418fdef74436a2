package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// find returns the screen cell where text first appears.
func (d *driver) find(text string) (x, y int) {
	d.t.Helper()
	for y, ln := range strings.Split(d.screen(), "\n") {
		if i := strings.Index(ln, text); i >= 0 {
			return ansi.StringWidth(ln[:i]), y
		}
	}
	d.t.Fatalf("screen does not show %q:\n%s", text, d.screen())
	return 0, 0
}

func (d *driver) clickAt(x, y int) {
	d.t.Helper()
	d.send(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
}

func flightBody(d *driver) string {
	body, _, _ := d.srv.Resource("/flights/AA123")
	return string(body)
}

// passFirstStep passes put-replace's first step with its solution.
func passFirstStep(d *driver) {
	d.t.Helper()
	sendPut(d, `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`)
	if !d.m.status().Passed {
		d.t.Fatalf("the solution did not pass the step:\n%s", d.screen())
	}
}

func TestResetStepPutsTheServerBackAndKeepsProgress(t *testing.T) {
	for _, k := range []string{"s", "1"} {
		t.Run(k, func(t *testing.T) {
			d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
			passFirstStep(d)
			d.keys("R", k)
			if d.m.overlay != overlayNone {
				t.Fatal("resetting a step asked for confirmation; it loses no progress")
			}
			if !strings.Contains(flightBody(d), "delayed") {
				t.Errorf("flight after a step reset: %s", flightBody(d))
			}
			if done, _ := d.sess.Done("put-replace"); done != 1 || !d.m.status().Passed {
				t.Errorf("a step reset lost progress: %d done, passed %v", done, d.m.status().Passed)
			}
			d.mustContain("step reset", "the step stays passed", "restore")
		})
	}
}

func TestResetLessonAsksFirst(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	passFirstStep(d)
	d.keys("n")

	// No: nothing changes.
	d.keys("R", "l")
	if d.m.overlay != overlayReset || d.m.reset.Asking() != resetLesson {
		t.Fatalf("l did not ask to confirm (overlay %d, ask %d)", d.m.overlay, d.m.reset.Asking())
	}
	d.mustContain("Forget your progress in", "(1/4", "y yes, reset", "n / esc")
	if done, _ := d.sess.Done("put-replace"); done != 1 {
		t.Fatalf("asking already reset the lesson: %d done", done)
	}
	d.keys("n")
	if d.m.overlay != overlayNone || d.sess.StepIndex() != 1 || !strings.Contains(flightBody(d), "ontime") {
		t.Fatalf("n did not cancel: overlay %d, step %d, flight %s", d.m.overlay, d.sess.StepIndex()+1, flightBody(d))
	}
	d.mustContain("nothing was reset")

	// Yes, picked by number this time.
	d.keys("R", "2", "y")
	if done, _ := d.sess.Done("put-replace"); done != 0 {
		t.Errorf("%d steps still done after a lesson reset", done)
	}
	if d.sess.StepIndex() != 0 || !strings.Contains(flightBody(d), "delayed") {
		t.Errorf("after a lesson reset: step %d, flight %s", d.sess.StepIndex()+1, flightBody(d))
	}
	d.mustContain("lesson reset", "Step 1/4")
}

func TestResetAllForgetsEveryLesson(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	passFirstStep(d)
	d.keys("R", "a")
	d.mustContain("every lesson", "cannot be undone")
	d.keys("esc")
	if done, _ := d.sess.Done("put-replace"); done != 1 || d.m.overlay != overlayNone {
		t.Fatalf("esc did not cancel: %d done, overlay %d", done, d.m.overlay)
	}
	d.keys("R", "3", "enter")
	if done, _ := d.sess.Done("put-replace"); done != 1 || d.m.overlay != overlayReset {
		t.Fatalf("⏎ answered the confirmation (%d done, overlay %d); only y may", done, d.m.overlay)
	}
	d.keys("y")
	if done, _ := d.sess.Done("put-replace"); done != 0 {
		t.Errorf("%d steps of put-replace still done after resetting everything", done)
	}
	if got := d.sess.Lesson().ID; got != "look-around" {
		t.Errorf("in %s after resetting everything, want the first lesson", got)
	}
	d.mustContain("all progress reset", "1/3 Look around the server")
}

func TestResetBoxCancels(t *testing.T) {
	for _, k := range []string{"esc", "q", "R"} {
		d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
		passFirstStep(d)
		d.keys("R", k)
		if d.m.overlay != overlayNone || d.quit || !strings.Contains(flightBody(d), "ontime") {
			t.Errorf("%s in the reset box: overlay %d, quit %v, flight %s", k, d.m.overlay, d.quit, flightBody(d))
		}
	}
}

func TestResetWaitsForARunningRepeat(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /flights/AA123 {"status":"ontime"} x100`)
	d.keys("enter", "esc", "R")
	if d.m.overlay != overlayNone {
		t.Fatal("the reset box opened while a repeat was running")
	}
	d.mustContain("press x to finish it")
}

func TestResetInTheSandboxResetsTheServer(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, `PUT /accounts/42 {"balance": 100}`)
	d.keys("R")
	d.mustContain("the server", "every fixture back to its starting state")
	d.mustNotContain("all progress")
	d.keys("s")
	if body, _, _ := d.srv.Resource("/accounts/42"); !strings.Contains(string(body), "80") {
		t.Errorf("balance after a sandbox reset: %s", body)
	}
	d.mustContain("server reset")
}

func TestClickOnAResetOptionChoosesIt(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	passFirstStep(d)
	d.keys("R")
	d.clickAt(d.find("this lesson"))
	if d.m.reset.Asking() != resetLesson {
		t.Fatalf("clicking “this lesson” did not ask to confirm: ask %d", d.m.reset.Asking())
	}
	// A click outside the box cancels.
	d.clickAt(0, 0)
	if d.m.overlay != overlayNone {
		t.Fatal("a click outside did not close the box")
	}
	if done, _ := d.sess.Done("put-replace"); done != 1 {
		t.Errorf("a cancelled reset forgot progress: %d done", done)
	}
	d.keys("R")
	d.clickAt(d.find("this step"))
	if d.m.overlay != overlayNone || !strings.Contains(flightBody(d), "delayed") {
		t.Errorf("clicking “this step” did not reset it: flight %s", flightBody(d))
	}
}

func TestClickOnALessonOpensIt(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		d := newDriver(t, size[0], size[1], testOpts{lesson: "put-replace"})
		d.keys("t")
		d.clickAt(d.find("When responses get lost"))
		if d.m.overlay != overlayNone {
			t.Fatalf("%v: the lessons stayed open after a click on one", size)
		}
		if got := d.sess.Lesson().ID; got != "lost-responses" {
			t.Errorf("%v: in %s after clicking “When responses get lost”", size, got)
		}
	}
}

func TestClickInsideTheLessonsOffALessonDoesNothing(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	d.keys("t")
	d.clickAt(d.find("choose"))
	if d.m.overlay != overlayContents || d.sess.Lesson().ID != "put-replace" {
		t.Errorf("a click on the header: overlay %d, lesson %s", d.m.overlay, d.sess.Lesson().ID)
	}
}

func TestClickOutsideClosesTheHelp(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	d.keys("?")
	d.clickAt(d.find("finish repeat"))
	if d.m.overlay != overlayHelp {
		t.Fatal("a click inside the help closed it")
	}
	d.clickAt(0, d.m.lay.H-2)
	if d.m.overlay != overlayNone {
		t.Fatal("a click outside the help left it open")
	}
	if d.m.focus != paneLesson {
		t.Error("the click that closed the help also moved the focus")
	}
}

// Resetting a passed step keeps it passed, says its checks start again,
// and keeps the explanation as it read when the step passed, not with the
// values the reset put back.
func TestAResetPassedStepKeepsTheExplanationOfItsPass(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "idempotence"})
	sendPut(d, `PUT /accounts/42 {"balance":100} x100`)
	if !d.m.status().Passed {
		t.Fatal("the step did not pass")
	}
	explained := d.sess.Explain()
	if !strings.Contains(explained, "100") {
		t.Fatalf("explanation after the pass: %q", explained)
	}
	d.keys("R", "s")
	d.mustContain("the network are back")
	if pane := ansi.Strip(strings.Join(d.m.lesson.sc.lines, "\n")); !strings.Contains(pane, "Step passed before · the checks above start again") {
		t.Errorf("the lesson pane does not say the checks start again:\n%s", pane)
	}
	if got := d.sess.Explain(); got != explained {
		t.Errorf("after the reset the explanation reads %q, want it as it was when the step passed, %q", got, explained)
	}
}

// TestResetStepKeepsTheRequestTheLearnerWrote: after a try, a step reset
// puts the server back and leaves the learner's own request in the
// composer, not the step's suggestion; before any try, the suggestion is
// filled in as on arrival.
func TestResetStepKeepsTheRequestTheLearnerWrote(t *testing.T) {
	const mine = `PUT /flights/AA123 {"status":"ontime","gate":"b13"}`
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "put-replace"})
	suggested := d.m.comp.Value()
	sendPut(d, mine)
	d.keys("R", "s")
	if got := d.m.comp.Value(); got != mine {
		t.Errorf("after a step reset the composer holds %q, want the learner's %q", got, mine)
	}
	d = newDriver(t, 120, 40, testOpts{builtin: true, lesson: "put-replace"})
	d.keys("R", "s")
	if got := d.m.comp.Value(); got != suggested {
		t.Errorf("an untried step's reset fills %q, want the suggestion %q", got, suggested)
	}
}
