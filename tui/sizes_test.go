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

// TestReadingGivesTheLessonTheRoom: at 80×24 the lesson pane has the
// height while the learner reads a step; the first request gives the
// server its share back, so the exchange and "Not yet" are in view; the
// next step is read in the tall pane again.
func TestReadingGivesTheLessonTheRoom(t *testing.T) {
	d := newDriver(t, 80, 24, testOpts{builtin: true, lesson: "put-replace"})
	reading := d.m.lay
	lesson := paneText(d, reading.Lesson)
	// Step 1's first point, below the fold of an even split.
	if want := "You name the resource itself."; !strings.Contains(lesson, want) {
		t.Errorf("reading at 80×24, the lesson pane does not show %q:\n%s", want, d.screen())
	}

	// Typing a request keeps the tall pane: the task is still what is read.
	d.keys("e")
	if d.m.lay.Lesson != reading.Lesson {
		t.Errorf("editing before the first request moved the lesson pane: %+v, was %+v", d.m.lay.Lesson, reading.Lesson)
	}
	d.keys("esc")

	sendPut(d, `PUT /flights/AA123 {"status":"ontime","gate":"a7"}`)
	sent := d.m.lay
	if sent.Lesson.H >= reading.Lesson.H || sent.Server.H <= reading.Server.H {
		t.Errorf("after the first request the lesson pane kept %d rows and the server %d (reading: %d, %d)", sent.Lesson.H, sent.Server.H, reading.Lesson.H, reading.Server.H)
	}
	d.mustContain(`Not yet: 3 of 4 — gate is "a7", expected "b12"`, "PUT /flights/AA123 → 200 OK")
	if s := paneText(d, sent.Server); !strings.Contains(s, `{"gate":"a7","status":"ontime"}`) {
		t.Errorf("the server pane does not show the stored flight after the PUT:\n%s", d.screen())
	}

	// The lesson pane with the focus does not take the room back: the
	// exchange stays in view while the learner reads on.
	d.keys("tab", "tab", "tab")
	if d.m.focus != paneLesson || d.m.lay.Lesson != sent.Lesson {
		t.Errorf("focus %v, lesson pane %+v: the exchange lost its room after the first request", d.m.focus, d.m.lay.Lesson)
	}

	d.keys("n")
	if d.sess.StepIndex() != 1 || d.m.lay.Lesson != reading.Lesson {
		t.Errorf("step %d: the new step is read in a pane of %d rows, want %d", d.sess.StepIndex()+1, d.m.lay.Lesson.H, reading.Lesson.H)
	}

	// The server pane with the focus gets the height, read or not.
	d.keys("tab", "tab")
	if d.m.focus != paneServer || d.m.lay.Server.H <= sent.Server.H {
		t.Errorf("focus %v: the server pane has %d rows, want more than %d", d.m.focus, d.m.lay.Server.H, sent.Server.H)
	}
}

// TestReadingLeavesSideBySideAlone: side by side the lesson has its
// column whatever was sent; nothing moves.
func TestReadingLeavesSideBySideAlone(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "put-replace"})
	before := d.m.lay
	sendPut(d, `PUT /flights/AA123 {"status":"ontime","gate":"a7"}`)
	if d.m.lay.Lesson != before.Lesson || d.m.lay.Server != before.Server {
		t.Errorf("side by side, the first request moved the panes: %+v → %+v", before, d.m.lay)
	}
}

// TestReadingKeepsTheStepsStartingStateInView: while the learner reads a
// step at 80×24, the small server pane still shows what the step's set-up
// did to the state the step talks about.
func TestReadingKeepsTheStepsStartingStateInView(t *testing.T) {
	d := newDriver(t, 80, 24, testOpts{builtin: true, lesson: "idempotence"})
	d.keys("n") // "The lesson set the balance to $100.00 again."
	if s := paneText(d, d.m.lay.Server); !strings.Contains(s, `/accounts/42 {"balance":100}`) || !strings.Contains(s, "balance 80.00 → 100") {
		t.Errorf("reading step 2, the server pane does not show the balance the lesson set:\n%s", d.screen())
	}
	if s := paneText(d, d.m.lay.Lesson); !strings.Contains(s, "members new in /accounts/42/transactions, expected 3") {
		t.Errorf("reading step 2, its task is not all in view:\n%s", d.screen())
	}
}

// TestATypedRepeatCountDoesNotLeakIntoTheNextStep: "x100" typed at the end
// of the line belongs to that request; a next step without a suggestion of
// its own starts at ×1, keeping the rest of what was typed.
func TestATypedRepeatCountDoesNotLeakIntoTheNextStep(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	lesson, step := "", -1
	for _, l := range ls {
		for i, st := range l.Steps {
			if i > 0 && st.Suggest == "" && st.Quiz == nil && step < 0 {
				lesson, step = l.ID, i
			}
		}
	}
	if step < 0 {
		t.Skip("every built-in step after the first has a suggestion")
	}
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: lesson})
	for d.sess.StepIndex() < step-1 {
		d.keys("n")
	}
	d.keys("e", "ctrl+l")
	d.typeLine(`POST /accounts/42/interest {"rate":0.10} x100`)
	if n := d.m.comp.effectiveRepeat(); n != 100 {
		t.Fatalf("x100 typed gave ×%d", n)
	}
	d.keys("esc", "n")
	if d.sess.StepIndex() != step {
		t.Fatalf("n did not move on to step %d (at %d)", step+1, d.sess.StepIndex()+1)
	}
	if n := d.m.comp.effectiveRepeat(); n != 1 {
		t.Errorf("the next step inherited ×%d from the line typed before", n)
	}
	if v := d.m.comp.Value(); v != `POST /accounts/42/interest {"rate":0.10}` {
		t.Errorf("the line is %q, want the request without its count", v)
	}
}

// TestTheServerPaneShowsARewrittenNumberAsNoChangeOfValue: the pane shows
// values as stored, so the PUT of 100 reads "80.00 → 100", and the PUT of
// 100.00 that follows, the same number written another way, does not read
// as a change of value.
func TestTheServerPaneShowsARewrittenNumberAsNoChangeOfValue(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, `PUT /accounts/42 {"balance":100}`)
	if s := paneText(d, d.m.lay.Server); !strings.Contains(s, "balance 80.00 → 100") || strings.Contains(s, "→ 100.00") {
		t.Errorf("the server pane does not show the balance as stored:\n%s", s)
	}
	sendPut(d, `PUT /accounts/42 {"balance":100.00}`)
	if s := paneText(d, d.m.lay.Server); !strings.Contains(s, "balance 100, now written 100.00") || strings.Contains(s, "100 → 100.00") {
		t.Errorf("the server pane shows an equal value as a change:\n%s", s)
	}
}

// TestAShortServerPaneShowsTheExchangeFirst: at 80×24 a quiz leaves the
// server pane three lines. After DELETE /customers they show the 405, its
// Allow header and the server's words, not the log row that repeats the
// status and a chart line.
func TestAShortServerPaneShowsTheExchangeFirst(t *testing.T) {
	d := newDriver(t, 80, 24, testOpts{builtin: true, lesson: "post-create"})
	d.keys("n", "n", "n", "n")
	if d.m.ss.sess.Step().Quiz == nil {
		t.Fatal("step 5 of post-create is not a quiz")
	}
	sendPut(d, `DELETE /customers`)
	if h := d.m.lay.Server.H - 2; h > 4 {
		t.Fatalf("the server pane has %d lines; the test wants a short one", h)
	}
	s := paneText(d, d.m.lay.Server)
	for _, want := range []string{"DELETE /customers → 405 Method Not Allowed", "Allow: GET, HEAD, POST, OPTIONS, TRACE", "server says:"} {
		if !strings.Contains(s, want) {
			t.Errorf("the short server pane lacks %q:\n%s", want, s)
		}
	}
}

// TestAnInvalidTypedCountShowsAsUnknown: a count typed at the end of the
// line that the request language refuses (x0, x99999999, xabc, a lone x)
// is not ×1: the badge says ×? and the status line why, at 120 columns
// (the composer is narrow: the short reason) and at 260 (the parser's own);
// a valid count shows again once it is typed.
func TestAnInvalidTypedCountShowsAsUnknown(t *testing.T) {
	for _, tc := range []struct{ line, short, long string }{
		{`GET /accounts/42 x0`, "x0 is not a repeat count: x1 to x1000", "x0 would send nothing"},
		{`GET /accounts/42 x99999999`, "x99999999 is not a repeat count: x1 to x1000", "the repeat count is capped at 1000"},
		{`GET /accounts/42 xabc`, "xabc is not a repeat count: x1 to x1000", "a GET request has no body here"},
		{`PUT /accounts/42 {"balance":1} x`, "x is not a repeat count: x1 to x1000", "expected a number after x"},
	} {
		for _, w := range []int{120, 260} {
			d := newDriver(t, w, 40, testOpts{sandbox: true})
			d.keys("e", "ctrl+l")
			d.typeLine(tc.line)
			want := tc.short
			if w == 260 {
				want = tc.long
			}
			d.mustContain("×? ⏎ send", want)
			d.mustNotContain("×1 ⏎ send")
			d.keys("ctrl+l")
			d.typeLine(tc.line[:strings.LastIndexByte(tc.line, ' ')] + " x7")
			d.mustContain("×7 ⏎ send")
			d.mustNotContain("×?", want)
		}
	}
}
