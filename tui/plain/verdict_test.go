package plain

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/session"
)

// undoLesson is a step an undo can pass: the PUT moves the gate, and the
// undo puts it back.
const undoLesson = `---
id: take-it-back
title: Take it back
summary: Undo a PUT.
fixture: flights
---
A lesson for line mode's tests.

## Step: Move the gate, then undo it
Send a PUT that moves the gate, then type undo.

` + "```check\nrequest PUT /flights/AA123\nfield /flights/AA123 gate \"a7\"\n```\n\n```solution\nPUT /flights/AA123 {\"status\":\"delayed\",\"gate\":\"b12\"}\n```\n\n```explain\nThe undo put gate a7 back.\n```\n"

// TestAnUndoThatPassesTheStepSaysSo: line mode judges an undo as it judges
// a request, as the full screen does: the pass and its explanation are
// printed, not only on the next request as "already passed".
func TestAnUndoThatPassesTheStepSaysSo(t *testing.T) {
	file := filepath.Join(t.TempDir(), "take-it-back.md")
	if err := os.WriteFile(file, []byte(undoLesson), 0o644); err != nil {
		t.Fatal(err)
	}
	ls, err := lessons.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := lessons.OpenProgress(filepath.Join(t.TempDir(), "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{sess: newSession(t, session.Options{Mode: session.Tutorial, Lessons: ls, Progress: p})}
	out := h.run(t, "PUT /flights/AA123 {\"status\":\"delayed\",\"gate\":\"b12\"}\nundo\n")
	_, undo, _ := strings.Cut(out, "> undo")
	if !strings.Contains(undo, "✓ step passed") || !strings.Contains(undo, "The undo put gate a7 back.") {
		t.Errorf("the undo that passed the step does not say so:\n%s", out)
	}
}

// TestAResetStepIsJudgedAgain: after a reset of a step that passed, its
// checks start over, as the reset says: the right request passes it again
// with its explanation, and a wrong one is told what is missing.
func TestAResetStepIsJudgedAgain(t *testing.T) {
	const right = `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`
	h := newHarness(t, true)
	out := h.run(t, "lesson put-replace\n"+right+"\nreset\n"+right+"\nreset\nPATCH /flights/AA123 {\"gate\":\"b12\"}\n")
	parts := strings.Split(out, "> reset")
	if len(parts) != 3 {
		t.Fatalf("want two resets in the transcript:\n%s", out)
	}
	if again := parts[1]; strings.Contains(again, "already passed") || !strings.Contains(again, "✓ step passed") || !strings.Contains(again, "replaced by exactly the") {
		t.Errorf("the right request after a reset is not judged again:\n%s", again)
	}
	if wrong := parts[2]; strings.Contains(wrong, "already passed") || !strings.Contains(wrong, "its checks start again") || !strings.Contains(wrong, "✗ ") {
		t.Errorf("a wrong request after a reset is not told what is missing:\n%s", wrong)
	}
}
