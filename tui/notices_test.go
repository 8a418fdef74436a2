package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/session"
)

// Fixes for the bugs listed in docs/BADINPUT.md, each driven with the
// messages Bubble Tea delivers.

// rectText is the text inside r on the current screen (its border left
// out), the lines joined with spaces and runs of blanks made one.
func rectText(d *driver, r rect) string {
	lines := strings.Split(d.screen(), "\n")
	var parts []string
	for y := r.Y + 1; y < r.Y+r.H-1 && y < len(lines); y++ {
		parts = append(parts, ansi.Cut(lines[y], r.X+1, r.X+r.W-1))
	}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// overlayShows reports whether the open box shows all of text.
func overlayShows(d *driver, text string) bool {
	f, ok := d.m.overlayFrame()
	return ok && strings.Contains(noSpace(rectText(d, f.r)), noSpace(text))
}

// noSpace drops every blank, to compare text that may be wrapped inside a
// word (a long path).
func noSpace(s string) string { return strings.Join(strings.Fields(s), "") }

// Bug 1: the whole composer error is readable, wrapped inside the composer.
func TestComposerErrorIsShownWhole(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 20}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			d := newDriver(t, size[0], size[1], testOpts{sandbox: true})
			badEnterLine(d, `PUT /accounts/42 {"balance": 10`, false)
			e := d.m.comp.err
			if e == nil || d.srv.LastSeq() != 0 {
				t.Fatalf("error %v, %d exchanges: want the line refused", e, d.srv.LastSeq())
			}
			if !strings.Contains(e.Msg, "expected } to close the { at column 18") {
				t.Fatalf("error %q", e.Msg)
			}
			got := rectText(d, d.m.lay.Composer)
			want := "column 32: " + e.Msg + " — nothing sent"
			if !strings.Contains(got, strings.Join(strings.Fields(want), " ")) {
				t.Errorf("the composer shows %q\nwant all of %q; screen:\n%s", got, want, d.screen())
			}
			if msg := badFrameFits(d, size[0], size[1]); msg != "" {
				t.Errorf("the frame overflows: %s", msg)
			}
			checkFrame(t, d)
			// Fixing the line takes the error away and the composer back to
			// its height.
			d.keys("backspace", "0", "}", "enter")
			if d.m.comp.err != nil || logLen(d) != 1 {
				t.Fatalf("the fixed line was not sent: %v", d.m.comp.err)
			}
			if d.m.lay.Composer.H != composerLineHeight {
				t.Errorf("composer height %d after the error went, want %d", d.m.lay.Composer.H, composerLineHeight)
			}
		})
	}
}

// Bug 2: errors the form's final parse finds name the field they are about.
func TestFormErrorsNameTheirField(t *testing.T) {
	cases := []struct {
		name                       string
		method, path, header, body string
		repeat                     string
		field                      composerField
		phrase                     string
	}{
		{"bad escape in the path", "GET", "/a%zz", "", "", "", fieldPath, "column 3: expected two hex digits after %"},
		{"repeat over the cap", "PUT", "/flights/AA123", "", `{"status":"x"}`, "1000000", fieldRepeat, "at most ×1000"},
		{"forbidden header", "PUT", "/flights/AA123", "Content-Length: 5", `{"status":"x"}`, "", fieldHeaders, "line 1: Content-Length"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, 120, 40, testOpts{sandbox: true})
			d.keys("ctrl+o", "ctrl+l")
			for i := 0; d.m.comp.method != tc.method; i++ {
				if i > 20 {
					t.Fatalf("method %s not found with →", tc.method)
				}
				d.keys("right")
			}
			d.keys("tab")
			d.typeLine(tc.path)
			d.keys("tab")
			d.typeLine(tc.header)
			d.keys("tab")
			d.typeLine(tc.body)
			d.keys("tab")
			d.typeLine(tc.repeat)
			d.keys("ctrl+s")
			if d.srv.LastSeq() != 0 {
				t.Fatal("the form sent a bad request")
			}
			e := d.m.comp.err
			if e == nil {
				t.Fatalf("no error; screen:\n%s", d.screen())
			}
			if e.Field != tc.field || !strings.Contains(e.Msg, tc.phrase) {
				t.Errorf("error on %s: %q\nwant on %s: …%s…", fieldNames[e.Field], e.Msg, fieldNames[tc.field], tc.phrase)
			}
			d.mustContain("✗ "+fieldNames[tc.field]+": ", "nothing sent")
			d.mustNotContain("✗ method")
			checkFrame(t, d)
		})
	}
}

const corruptNotice = "The progress file was corrupt (not valid JSON); moved it to /home/learner/.local/state/putpost/progress.json.corrupt-20261127T083844Z and started fresh."

func noticeDriver(t *testing.T, w, h int, notice string, welcome bool) *driver {
	t.Helper()
	sess := newSession(t, session.Options{Mode: session.Tutorial, Lessons: testLessons(t)})
	return startDriver(t, w, h, sess, Options{Notice: notice, NotSaving: strings.Contains(notice, "not be saved"), Welcome: welcome}, "")
}

// Bug 3: the start-up notice is shown whole until dismissed.
func TestStartNoticeIsShownWholeUntilDismissed(t *testing.T) {
	for _, welcome := range []bool{false, true} {
		t.Run(map[bool]string{false: "own box", true: "in the welcome"}[welcome], func(t *testing.T) {
			d := noticeDriver(t, 80, 24, corruptNotice, welcome)
			f, ok := d.m.overlayFrame()
			if !ok {
				t.Fatalf("no box at start:\n%s", d.screen())
			}
			if got := rectText(d, f.r); !strings.Contains(noSpace(got), noSpace(corruptNotice)) {
				t.Fatalf("the box shows %q\nwant the whole notice; screen:\n%s", got, d.screen())
			}
			checkFrame(t, d)
			// A resize does not dismiss it; the first key does, and acts no
			// further.
			d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
			if !overlayShows(d, corruptNotice) {
				t.Fatalf("a resize lost the notice:\n%s", d.screen())
			}
			step := d.sess.StepIndex()
			d.keys("n")
			if d.m.overlay != overlayNone || d.sess.StepIndex() != step {
				t.Fatalf("the first key did not just close the box (overlay %d, step %d)", d.m.overlay, d.sess.StepIndex())
			}
			d.mustNotContain("corrupt", "not saved")
		})
	}
}

// Bug 3: "progress will not be saved" stays said for the whole session.
func TestProgressNotSavedStaysSaid(t *testing.T) {
	notice := "Cannot write to /home/learner/.local/state/putpost (not a directory): the tutorial runs, but progress will not be saved."
	d := noticeDriver(t, 80, 24, notice, false)
	if !overlayShows(d, notice) {
		t.Fatalf("the notice is not shown whole:\n%s", d.screen())
	}
	d.keys("down", "n", "e")
	d.typeLine("GET /flights/AA123")
	d.keys("enter", "esc", "tab")
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.mustContain("progress not saved")
	checkFrame(t, d)
}

// Bug 5: below the minimum size, keys, pastes and the mouse do nothing
// but quit.
func TestKeysDoNothingWhileTooSmall(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {59, 19}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			d := newDriver(t, 120, 40, testOpts{lesson: "put-replace"})
			badPassFirstStep(t, d)
			world, seq, step, focus := badWorld(d), d.srv.LastSeq(), d.sess.StepIndex(), d.m.focus
			line := d.m.comp.line.Value()

			d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			d.keys("u", "n", "p", "tab", "e")
			d.typeLine("DELETE /flights/AA123")
			d.keys("enter", "ctrl+s")
			d.send(tea.PasteMsg{Content: "DELETE /flights/AA123"})
			d.keys("enter")
			d.send(tea.MouseClickMsg{X: 0, Y: 0, Button: tea.MouseLeft}, tea.MouseWheelMsg{X: 0, Y: 0, Button: tea.MouseWheelDown})
			if d.quit {
				t.Fatal("a key quit")
			}
			if d.srv.LastSeq() != seq || badWorld(d) != world {
				t.Errorf("the server changed while the window was too small (seq %d → %d)", seq, d.srv.LastSeq())
			}
			if d.sess.StepIndex() != step || d.m.focus != focus || d.m.comp.line.Value() != line || d.m.overlay != overlayNone {
				t.Errorf("step %d focus %d line %q overlay %d; want step %d focus %d line %q, no box",
					d.sess.StepIndex(), d.m.focus, d.m.comp.line.Value(), d.m.overlay, step, focus, line)
			}
			d.keys("q")
			if !d.quit {
				t.Error("q did not quit while too small")
			}
		})
	}
}

// Bug 9: the composer holds at most the parser's limit; a cut paste is
// said in place and is not sent unseen.
func TestLongPasteIsCutToTheParserLimit(t *testing.T) {
	huge := "GET /" + strings.Repeat("a", 2<<20)
	d := newDriver(t, 80, 24, testOpts{sandbox: true})
	d.keys("e", "ctrl+l")
	d.send(tea.PasteMsg{Content: huge})
	if n := len(d.m.comp.line.Value()); n > maxInputBytes {
		t.Fatalf("the composer holds %d bytes, want at most %d", n, maxInputBytes)
	}
	got := rectText(d, d.m.lay.Composer)
	if !strings.Contains(got, "the paste was cut") || !strings.Contains(got, "64 KiB") || !strings.Contains(got, "check the end before sending") {
		t.Errorf("the composer does not say the paste was cut: %q", got)
	}
	checkFrame(t, d)
	d.keys("enter")
	if d.srv.LastSeq() != 0 {
		t.Fatal("a cut paste was sent at the first enter")
	}
	d.mustContain("send again")
	d.keys("enter")
	if d.srv.LastSeq() != 1 {
		t.Fatalf("%d exchanges after the second enter, want the line as shown sent", d.srv.LastSeq())
	}
	// Typing more changes nothing: the line is full.
	d.keys("x")
	if n := len(d.m.comp.line.Value()); n > maxInputBytes {
		t.Errorf("typing took the composer to %d bytes", n)
	}

	// The form's fields are capped too.
	d.keys("ctrl+l", "ctrl+o", "tab", "tab", "tab") // body
	if d.m.comp.field != fieldBody {
		t.Fatalf("focus on %s, want body", fieldNames[d.m.comp.field])
	}
	d.send(tea.PasteMsg{Content: `{"a":"` + strings.Repeat("é", 1<<20) + `"}`})
	body := d.m.comp.body.Value()
	if len(body) > maxInputBytes || !strings.HasPrefix(body, `{"a":"é`) || strings.ContainsRune(body, '\uFFFD') {
		t.Errorf("the body holds %d bytes (%.20q…), want at most %d, cut between characters", len(body), body, maxInputBytes)
	}
	d.mustContain("the paste was cut")
	checkFrame(t, d)
}
