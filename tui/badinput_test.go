package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/session"
)

// Bad input to the full screen (issue 5 "Bad input, everywhere", issue 4
// "Quality"): request lines typed or pasted into the composer, the form,
// and terminals shrunk to nothing and back. Every case is driven with the
// messages Bubble Tea delivers (key presses, pastes, window sizes).

// badWorld is everything the server stores, for before/after comparisons.
func badWorld(d *driver) string {
	var b strings.Builder
	for _, p := range d.srv.Paths() {
		body, etag, _ := d.srv.Resource(p)
		fmt.Fprintf(&b, "%s %s %s\n", p, body, etag)
	}
	return b.String()
}

// badPassFirstStep sends the solution of put-replace's first step, so a test
// starts with a passed step and a changed server.
func badPassFirstStep(t *testing.T, d *driver) {
	t.Helper()
	d.keys("h", "s", "enter", "esc") // a hint first: the solution is offered after one
	if !d.m.status().Passed || logLen(d) != 1 {
		t.Fatalf("the solution did not pass the first step (passed %v, %d exchanges)", d.m.status().Passed, logLen(d))
	}
}

// badEnterLine puts line into the one-line composer — typed key by key, or
// pasted when it holds what a keyboard cannot type — and presses enter.
func badEnterLine(d *driver, line string, paste bool) {
	d.keys("e", "ctrl+l")
	if paste {
		d.send(tea.PasteMsg{Content: line})
	} else {
		d.typeLine(line)
	}
	d.keys("enter")
}

func TestBadRequestLinesAreExplainedInTheComposerAndChangeNothing(t *testing.T) {
	cases := []struct {
		name, line string
		paste      bool
		col        int    // the column the message points at
		phrase     string // what the message must say
	}{
		{"missing path", "GET", false, 4, "expected a path after GET"},
		{"path without /", "GET flights/AA123", false, 5, "try /flights/AA123"},
		{"unbalanced single quote", `PUT /flights/AA123 {"status":"x"} -H 'Prefer: return=minimal`, false, 38, "this ' is never closed"},
		{"unbalanced double quote", `PUT /flights/AA123 {"status":"x"} -H "Prefer: return=minimal`, false, 38, `this " is never closed`},
		{"malformed JSON, unfinished", `PUT /flights/AA123 {"status": "ontime"`, false, 39, "expected } to close the { at column 20"},
		{"malformed JSON, missing colon", `PUT /flights/AA123 {"status" "ontime"}`, false, 30, "a colon goes between a name and its value"},
		{"body on GET", `GET /flights/AA123 {"status":"x"}`, false, 20, "a GET request has no body"},
		{"body on HEAD", `HEAD /flights/AA123 {"status":"x"}`, false, 21, "a HEAD request has no body"},
		{"body on TRACE", `TRACE /flights/AA123 {"status":"x"}`, false, 22, "a TRACE request has no body"},
		{"header without colon", `PUT /flights/AA123 {"status":"x"} -H 'Prefer return=minimal'`, false, 60, "expected a colon after the header name"},
		{"x0", `PUT /flights/AA123 {"status":"x"} x0`, false, 36, "must be at least 1"},
		{"x-1", `PUT /flights/AA123 {"status":"x"} x-1`, false, 36, "must be at least 1"},
		{"x1000000", `PUT /flights/AA123 {"status":"x"} x1000000`, false, 36, "capped at 1000"},
		{"curl -T", `curl -T body.json http://localhost:8080/flights/AA123`, false, 6, "curl option -T is not supported here"},
		{"curl --upload-file", `curl --upload-file body.json http://localhost:8080/flights/AA123`, false, 6, "curl option --upload-file is not supported here"},
		{"curl -F", `curl -F status=late http://localhost:8080/flights/AA123`, false, 6, "curl option -F is not supported here"},
		{"curl --compressed", `curl --compressed http://localhost:8080/flights/AA123`, false, 6, "curl option --compressed is not supported here"},
		{"curl -o", `curl -o out.json http://localhost:8080/flights/AA123`, false, 6, "curl option -o is not supported here"},
	}
	// One learner meets every bad line in turn: the loop must go on.
	d := newDriver(t, 200, 60, testOpts{lesson: "put-replace"})
	badPassFirstStep(t, d)
	world, seq, step := badWorld(d), d.srv.LastSeq(), d.sess.StepIndex()

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			badEnterLine(d, tc.line, tc.paste)
			defer d.keys("esc")
			if d.srv.LastSeq() != seq || logLen(d) != 1 {
				t.Fatalf("a bad line was sent (last seq %d → %d)", seq, d.srv.LastSeq())
			}
			e := d.m.comp.err
			if e == nil {
				t.Fatalf("no error for %.60q; screen:\n%s", tc.line, d.screen())
			}
			if e.Col != tc.col || !strings.Contains(e.Msg, tc.phrase) {
				t.Errorf("error = column %d: %s\nwant column %d: …%s…", e.Col, e.Msg, tc.col, tc.phrase)
			}
			// The start of the message is on screen, pointing at the column.
			if want := fmt.Sprintf("column %d: %s", tc.col, e.Msg[:min(len(e.Msg), 12)]); !strings.Contains(d.screen(), want) {
				t.Errorf("screen does not show %q:\n%s", want, d.screen())
			}
			// The line stays, to be fixed rather than retyped.
			if got := d.m.comp.line.Value(); got != tc.line {
				t.Errorf("the composer holds %.60q, want the line as typed", got)
			}
			if got := badWorld(d); got != world {
				t.Errorf("server state changed:\n%s\nwant\n%s", got, world)
			}
			if d.sess.StepIndex() != step || !d.m.status().Passed {
				t.Errorf("step %d passed %v, want step %d still passed", d.sess.StepIndex(), d.m.status().Passed, step)
			}
		})
	}

	// After all that, a good line goes through.
	badEnterLine(d, "GET /flights/AA123", false)
	if logLen(d) != 2 || d.m.comp.err != nil {
		t.Fatalf("after the bad lines a good one was not sent: %d exchanges, error %v", logLen(d), d.m.comp.err)
	}
}

func TestUnknownMethodIsSentAndTheServerSays501(t *testing.T) {
	d := newDriver(t, 200, 60, testOpts{sandbox: true})
	world := badWorld(d)
	badEnterLine(d, "FROB /accounts/42", false)
	if logLen(d) != 1 {
		t.Fatalf("%d exchanges, want the FROB sent once", logLen(d))
	}
	d.mustContain("FROB /accounts/42 → 501 Not Implemented")
	if badWorld(d) != world {
		t.Error("an unknown method changed the server state")
	}
}

// The composer cannot hold control characters or invalid UTF-8: a paste
// loses them before anything is sent, and what is sent is what is shown.
func TestPastedControlCharactersNeverReachTheServer(t *testing.T) {
	for _, pasted := range []string{
		"GET /flights/AA123\x1b[2J",
		"GET /flights/AA123\x07",
		"GET /flights/\x00AA123",
		"GET /flights/AA123\u0085",
		"GET /flights/AA123\xff\xfe",
	} {
		t.Run(fmt.Sprintf("%q", pasted), func(t *testing.T) {
			d := newDriver(t, 200, 60, testOpts{sandbox: true})
			world := badWorld(d)
			d.keys("e", "ctrl+l")
			d.send(tea.PasteMsg{Content: pasted})
			shown := d.m.comp.line.Value()
			for _, r := range shown {
				if unicode.IsControl(r) || r == unicode.ReplacementChar {
					t.Fatalf("the composer holds %q (%U)", shown, r)
				}
			}
			d.keys("enter")
			want, err := request.Parse(shown)
			if err != nil {
				// Refused: then nothing may have been sent.
				if d.srv.LastSeq() != 0 || d.m.comp.err == nil {
					t.Errorf("%q does not parse (%v) but %d exchanges were sent, error shown: %v", shown, err, d.srv.LastSeq(), d.m.comp.err)
				}
				return
			}
			evs := d.srv.EventsSince(0)
			if len(evs) != 1 {
				t.Fatalf("%d exchanges after one enter", len(evs))
			}
			if got := evs[0].Request; got.Method != want.Method || got.Target != want.Target {
				t.Errorf("sent %s %q, but the composer showed %q", got.Method, got.Target, shown)
			}
			if badWorld(d) != world {
				t.Error("a GET changed the server state")
			}
		})
	}
}

func TestFormBadInputIsExplainedAndNotSent(t *testing.T) {
	cases := []struct {
		name                       string
		method, path, header, body string
		repeat                     string
		field                      composerField // -1: the field is not checked (see docs/BADINPUT.md)
		phrase                     string
	}{
		{"path without /", "PUT", "flights/AA123", "", `{"status":"x"}`, "", fieldPath, "a path starts with /"},
		{"path with a space", "PUT", "/flights/AA 123", "", `{"status":"x"}`, "", fieldPath, "a path has no spaces"},
		{"header without colon", "PUT", "/flights/AA123", "Prefer return=minimal", `{"status":"x"}`, "", fieldHeaders, "write a header as Name: value"},
		{"malformed JSON", "PUT", "/flights/AA123", "", `{"status": "x"`, "", fieldBody, "not valid JSON"},
		{"body on HEAD", "HEAD", "/flights/AA123", "", `{"status":"x"}`, "", fieldBody, "HEAD sends no body here"},
		{"repeat over the cap", "PUT", "/flights/AA123", "", `{"status":"x"}`, "1000000", -1, "1000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, 200, 60, testOpts{lesson: "put-replace"})
			badPassFirstStep(t, d)
			world, seq := badWorld(d), d.srv.LastSeq()
			d.keys("ctrl+o", "ctrl+l") // the form, emptied; focus on the method (GET)
			for i := 0; d.m.comp.method != tc.method; i++ {
				if i > 20 {
					t.Fatalf("method %s not found with →", tc.method)
				}
				d.keys("right")
			}
			d.keys("tab") // path
			d.typeLine(tc.path)
			d.keys("tab") // headers
			d.typeLine(tc.header)
			d.keys("tab") // body
			d.typeLine(tc.body)
			d.keys("tab") // repeat
			d.typeLine(tc.repeat)
			d.keys("ctrl+s")

			if d.srv.LastSeq() != seq {
				t.Fatalf("the form sent a bad request")
			}
			e := d.m.comp.err
			if e == nil {
				t.Fatalf("no error; screen:\n%s", d.screen())
			}
			if !strings.Contains(e.Msg, tc.phrase) {
				t.Errorf("error %q, want it to say %q", e.Msg, tc.phrase)
			}
			if tc.field >= 0 && e.Field != tc.field {
				t.Errorf("the error is on the %s field, want %s", fieldNames[e.Field], fieldNames[tc.field])
			}
			d.mustContain("✗ ", "nothing sent")
			if badWorld(d) != world || !d.m.status().Passed {
				t.Error("a refused form changed the server or the step")
			}
		})
	}
}

// badFrameFits reports how the current frame overflows a w×h terminal.
func badFrameFits(d *driver, w, h int) string {
	lines := strings.Split(d.m.View().Content, "\n")
	if len(lines) > max(h, 1) {
		return fmt.Sprintf("%d lines for %d rows", len(lines), h)
	}
	for i, ln := range lines {
		if lw := ansi.StringWidth(ln); lw > max(w, 1) && w > 0 {
			return fmt.Sprintf("line %d is %d cells wide for %d columns", i, lw, w)
		}
	}
	return ""
}

func TestOneByOneAndBackKeepsEverything(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
	badPassFirstStep(t, d)
	d.keys("e", "ctrl+l")
	d.typeLine("GET /flights")
	d.keys("esc", "tab", "tab") // composer keeps its text; focus on the server pane
	d.keys("up")
	type snapshot struct {
		line        string
		focus       pane
		sel, log    int
		lesson      string
		step        int
		passed      bool
		world       string
		lastSeq     uint64
		overlayOpen bool
	}
	take := func() snapshot {
		return snapshot{d.m.comp.line.Value(), d.m.focus, d.m.srv.sel, logLen(d), d.sess.Lesson().ID, d.sess.StepIndex(),
			d.m.status().Passed, badWorld(d), d.srv.LastSeq(), d.m.overlay != overlayNone}
	}
	before := take()
	if before.line != "GET /flights" || before.focus != paneServer {
		t.Fatalf("setup: composer %q focus %d", before.line, before.focus)
	}

	for _, size := range [][2]int{{1, 1}, {0, 0}, {2, 1}, {1, 40}, {200, 1}, {2, 2}, {10, 3}, {59, 19}} {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		if msg := badFrameFits(d, size[0], size[1]); msg != "" {
			t.Errorf("at %d×%d the frame overflows: %s", size[0], size[1], msg)
		}
		if size[0] >= 10 && size[1] >= 3 && !strings.Contains(strings.Join(strings.Fields(d.screen()), " "), "terminal too small") {
			t.Errorf("at %d×%d the screen does not say it is too small:\n%s", size[0], size[1], d.screen())
		}
	}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	if got := take(); got != before {
		t.Errorf("after 1×1 and back:\n got %+v\nwant %+v", got, before)
	}
	checkFrame(t, d)
	d.mustContain("✓ Step passed", "GET /flights")
	d.mustNotContain("too small")

	// The quit key still works in a tiny window.
	d.send(tea.WindowSizeMsg{Width: 1, Height: 1})
	d.keys("ctrl+c")
	if !d.quit {
		t.Error("ctrl+c at 1×1 did not quit")
	}
}

// The state folder stops being writable while the learner works: the step
// still passes and stays passed for the session, and the screen says both
// that it passed and that progress could not be saved.
func TestSaveFailureMidSessionKeepsTheStepPassed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	p, notice, err := lessons.OpenProgress(filepath.Join(dir, "progress.json"))
	if err != nil || notice != "" {
		t.Fatalf("progress: %q %v", notice, err)
	}
	sess := newSession(t, session.Options{Mode: session.Tutorial, Lessons: testLessons(t), Progress: p, Lesson: "put-replace"})
	d := startDriver(t, 200, 60, sess, Options{}, "")

	// A file where the folder was: fails for root too.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	d.keys("h", "s", "enter") // a hint, then the solution, sent
	d.mustContain("✓ Step passed")
	d.mustContain("✓ step passed — but progress could not be saved: ", "not a directory")
	if d.m.status().SaveErr == nil {
		t.Error("the engine did not report the failed save to the screen")
	}
	if !p.Passed("put-replace", 0) {
		t.Error("the step is forgotten because it could not be saved")
	}
	// The flash goes at the next key; the footer keeps saying it.
	d.keys("esc", "down")
	d.mustNotContain("could not be saved")
	d.mustContain("progress not saved")
}
