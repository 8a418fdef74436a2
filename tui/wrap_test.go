package tui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/lessons"
)

// TestWrappingKeepsTokensWholeAndDropsNothing renders text full of hyphened
// names at every width from 30 to 100 columns: no line is wider than the
// pane, no word is lost, and --json, If-None-Match, §15.5.13 and header
// names are never split across lines.
func TestWrappingKeepsTokensWholeAndDropsNothing(t *testing.T) {
	st := NewStyles(true, true)
	r := newMDRenderer(st)
	md := "Send it with `curl --json '{}'` and `If-None-Match: *`; the server answers " +
		"**422** (RFC 9110 §15.5.13 says so) and marks a replay with Idempotent-Replayed: true. " +
		"Content-Location and Accept-Patch are headers too; a 4-digit x-request-id is not.\n\n" +
		"1. The same key with a *different* body is a client bug: **422**. The same key again: 409.\n" +
		"3. A client sends If-Match: <the ETag it read> with its PUT (§13.1.1). If the resource has changed since, the server does nothing and answers 412 Precondition Failed (§15.5.13).\n" +
		"2. Keys expire.\n\n- a list item with If-Match\n- another"
	tokens := []string{"--json", "If-None-Match:", "§15.5.13", "Idempotent-Replayed:", "Content-Location", "Accept-Patch", "**422**", "x-request-id"}
	for w := 30; w <= 100; w++ {
		out, err := r.Render(md, w)
		if err != nil {
			t.Fatal(err)
		}
		plain := ansi.Strip(out)
		for _, ln := range strings.Split(plain, "\n") {
			if ansi.StringWidth(ln) > w {
				t.Errorf("width %d: a line of %d cells: %q", w, ansi.StringWidth(ln), ln)
			}
		}
		joined := " " + strings.Join(strings.Fields(plain), " ") + " "
		for _, tok := range tokens {
			tok = strings.ReplaceAll(tok, "**", "")
			if !strings.Contains(joined, tok) {
				t.Errorf("width %d: %q was split or lost:\n%s", w, tok, plain)
			}
		}
		if strings.Contains(plain, "\uE000") {
			t.Errorf("width %d: a held hyphen leaked into the output", w)
		}
	}
}

// TestLessonTextKeepsEveryTokenWholeAtEachSize renders the first step of
// every built-in lesson at 80×24, 120×40 and 200×60: every section sign
// reference (§15.5.13), hyphened name (If-None-Match) and option (--json)
// of the text is on screen whole, and lesson 10's "client bug: 422" (once
// cut to "42…" at exactly 120 columns) is all there.
func TestLessonTextKeepsEveryTokenWholeAtEachSize(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	tokens := regexp.MustCompile(`§\d+(\.\d+)*|[A-Za-z]+(-[A-Za-z]+)+|--[a-z]+`)
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		for _, l := range ls {
			d := newDriver(t, size[0], size[1], testOpts{builtin: true, lesson: l.ID})
			// In colour, as a learner's terminal draws it: code spans lose
			// their backticks, so the lines wrap elsewhere than in mono.
			d.send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
			shown := " " + strings.Join(strings.Fields(ansi.Strip(strings.Join(d.m.lesson.sc.lines, " "))), " ") + " "
			src := lessons.ForView(l.Intro+"\n"+l.Steps[0].Text, lessons.Screen)
			for _, tok := range tokens.FindAllString(src, -1) {
				if !strings.Contains(shown, tok) {
					t.Errorf("%dx%d %s: %q is split or lost", size[0], size[1], l.ID, tok)
				}
			}
			if l.ID == "idempotency-keys" && !strings.Contains(shown, "client bug: 422") {
				t.Errorf("%dx%d: lesson 10 lost text: %s", size[0], size[1], shown)
			}
		}
	}
}
