package tui

import (
	"strings"
	"testing"

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

// TestLesson10At120ColumnsKeepsTheStatusCode is the case a learner met:
// at exactly 120 columns lesson 10 showed "client bug: 42…".
func TestLesson10At120ColumnsKeepsTheStatusCode(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "idempotency-keys"})
	var all []string
	for range 40 {
		all = append(all, d.m.lesson.sc.Visible()...)
		d.m.lesson.sc.ScrollBy(1)
	}
	text := strings.Join(strings.Fields(ansi.Strip(strings.Join(all, " "))), " ")
	if !strings.Contains(text, "client bug: 422") {
		t.Errorf("lesson 10 lost text at 120 columns:\n%s", text)
	}
	if _, err := lessons.Builtin(); err != nil {
		t.Fatal(err)
	}
}
