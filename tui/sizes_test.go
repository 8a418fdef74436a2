package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/putpost/putpost/chart"
	"github.com/putpost/putpost/lessons"
)

// paneText is what a pane shows, its border and padding dropped and its
// lines joined with single spaces, for looking up wrapped text.
func paneText(d *driver, r rect) string {
	lines := strings.Split(d.screen(), "\n")
	var words []string
	for y := r.Y + 1; y < r.Y+r.H-1 && y < len(lines); y++ {
		row := []rune(lines[y])
		if r.X+r.W > len(row) {
			continue
		}
		words = append(words, strings.Fields(string(row[r.X+1:r.X+r.W-1]))...)
	}
	return strings.Join(words, " ")
}

// TestEveryQuizShowsAllItsChoicesAt80x24 walks every quiz of every built-in
// lesson on the smallest common terminal: every choice is on screen in
// full, without scrolling, and still is after a wrong answer.
func TestEveryQuizShowsAllItsChoicesAt80x24(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	quizzes := 0
	for _, l := range ls {
		d := newDriver(t, 80, 24, testOpts{builtin: true, lesson: l.ID})
		for i, st := range l.Steps {
			if i > 0 {
				d.keys("n")
			}
			if d.sess.StepIndex() != i {
				t.Fatalf("%s: n did not move to step %d", l.ID, i+1)
			}
			if st.Quiz == nil {
				continue
			}
			quizzes++
			check := func(when string) {
				t.Helper()
				shown := paneText(d, d.m.lay.Lesson)
				for j, c := range st.Quiz.Choices {
					want := strings.Join(strings.Fields(inlinePlain(c.Text)), " ")
					if !strings.Contains(shown, want) {
						t.Errorf("%s step %d (%s), %s: choice %d is not all on screen: %q\nscreen:\n%s", l.ID, i+1, st.Title, when, j+1, want, d.screen())
					}
				}
			}
			check("before answering")
			wrong := 0
			for j, c := range st.Quiz.Choices {
				if !c.Correct {
					wrong = j + 1
					break
				}
			}
			if wrong > 0 {
				d.keys(string(rune('0' + wrong)))
				check("after a wrong answer")
			}
		}
	}
	if quizzes < 10 {
		t.Fatalf("only %d quizzes walked", quizzes)
	}
}

// TestTheRepeatCountStaysWithItsRequest: ×10 chosen for one request is not
// carried into the next step's suggestion, and ctrl+l clears it with the
// line.
func TestTheRepeatCountStaysWithItsRequest(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "put-replace"})
	d.keys("e", "ctrl+r")
	if n := d.m.comp.effectiveRepeat(); n != 10 {
		t.Fatalf("ctrl+r gave ×%d, want ×10", n)
	}
	d.keys("ctrl+l")
	if n := d.m.comp.effectiveRepeat(); n != 1 {
		t.Errorf("ctrl+l left ×%d", n)
	}
	d.keys("ctrl+r", "esc", "n")
	if d.sess.StepIndex() != 1 {
		t.Fatalf("n did not move on (step %d)", d.sess.StepIndex()+1)
	}
	if n := d.m.comp.effectiveRepeat(); n != 1 {
		t.Errorf("the next step's suggestion inherited ×%d", n)
	}
	d.mustNotContain("×10 ⏎ send")
}

// TestALongRequestIsNeverCutWithoutAnEllipsis: lesson 10's request with its
// Idempotency-Key does not fit an 80-column composer; the line shows the
// method and the header, with "…" where it is cut.
func TestALongRequestIsNeverCutWithoutAnEllipsis(t *testing.T) {
	d := newDriver(t, 80, 24, testOpts{sandbox: true})
	long := `POST /payments {"amount":25.00,"to":"acme","note":"premium alerts for a year"} -H 'Idempotency-Key: "pay-0001"'`
	d.m.comp.Fill(long)
	s := d.screen()
	if !strings.Contains(s, "› POST /payments") || !strings.Contains(s, `Idempotency-Key: "pay-0001"'`) || !strings.Contains(s, "…") {
		t.Errorf("the long request is not shown with both ends and an ellipsis:\n%s", s)
	}
	// Typing: the end is in view, and "…" says the start runs on.
	d.keys("e", "end")
	row := ""
	for _, ln := range strings.Split(d.screen(), "\n") {
		if strings.Contains(ln, "pay-0001") {
			row = ln
		}
	}
	if !strings.Contains(row, "› …") {
		t.Errorf("while typing at the end, the cut start is not marked: %q", row)
	}
}

// TestCtrlNMovesOnFromTheComposer: after s fills the solution in and the
// composer has the focus, n types, and ctrl+n still goes to the next step.
func TestCtrlNMovesOnFromTheComposer(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "put-replace"})
	d.keys("h", "s", "enter")
	finishJob(d)
	if !d.m.status().Passed {
		t.Fatal("the solution did not pass the step")
	}
	if d.m.focus != paneComposer {
		t.Fatal("the composer lost the focus")
	}
	d.mustContain("ctrl+n for the next step")
	d.keys("ctrl+n")
	if d.sess.StepIndex() != 1 {
		t.Errorf("ctrl+n in the composer did not move on (step %d)", d.sess.StepIndex()+1)
	}
}

// TestLesson5AlwaysOpensOnTheBalance: whatever the chart showed before —
// another lesson's value, or one the learner picked with c — lesson 5
// plots the balance of account 42, as its front matter says.
func TestLesson5AlwaysOpensOnTheBalance(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "post-create"})
	if d.m.srv.series.Spec != (chart.Spec{}) {
		t.Errorf("lesson 4 plots %+v, want the resource count", d.m.srv.series.Spec)
	}
	d.keys("c", "c")
	if err := d.sess.Goto("idempotence"); err != nil {
		t.Fatal(err)
	}
	d.m.enterStep()
	d.send(updatesMsg{Snap: takeSnap(d.sess)})
	if want := (chart.Spec{Path: "/accounts/42", Field: "balance"}); d.m.srv.series.Spec != want {
		t.Errorf("lesson 5 plots %+v, want %+v", d.m.srv.series.Spec, want)
	}
	d.mustContain("balance of /accounts/42 = 80.00")
}

// TestCyclingTheChartKeepsTheHistory: c to another value and back shows the
// balance's whole history again, rebuilt from the server's events.
func TestCyclingTheChartKeepsTheHistory(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, `PUT /accounts/42 {"balance":100} x3`)
	sendPut(d, `POST /accounts/42/interest {"rate":0.10} x3`)
	before := append([]float64(nil), d.m.srv.series.Values...)
	if len(before) != 7 {
		t.Fatalf("%d points before cycling, want the start and 6 requests", len(before))
	}
	for range len(chart.Choices(chartResources(d.m.srv.snap))) {
		d.keys("c")
		if d.m.srv.series.Spec == (chart.Spec{Path: "/accounts/42", Field: "balance"}) {
			break
		}
	}
	if d.m.srv.series.Spec != (chart.Spec{Path: "/accounts/42", Field: "balance"}) {
		t.Fatal("c never came back to the balance")
	}
	if got := d.m.srv.series.Values; !slices.Equal(got, before) {
		t.Errorf("after cycling back the series is %v, want %v", got, before)
	}
	d.mustContain("first 80.00 → last 133.10")
}

// TestTheLastExchangeShowsWhatTheLessonsAskFor: at every golden size, the
// header or the server's words a lesson step asks the learner to read are
// on screen after that step's request, with no key pressed.
func TestTheLastExchangeShowsWhatTheLessonsAskFor(t *testing.T) {
	for _, sc := range goldenScreens {
		var want []string
		switch sc.name {
		case "exchange_location":
			want = []string{"201 Created", "Location: /customers/1"}
		case "exchange_allow":
			want = []string{"Allow: GET, HEAD, PUT"}
		case "exchange_etag_412":
			want = []string{"412 Precondition Failed", `ETag: "`, "server says: If-Match failed"}
		case "not_yet":
			want = []string{`Not yet: 3 of 4 — gate is "a7", expected "b12"`}
		default:
			continue
		}
		for _, size := range goldenSizes {
			d := newDriver(t, size[0], size[1], sc.opts)
			sc.run(d)
			d.mustContain(want...)
		}
	}
}
