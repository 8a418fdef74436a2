package plain

import (
	"strings"
	"testing"
)

// TestAnUndoIsJudged: line mode judges an undo as it judges a request, as
// the full screen does: what the undo did to the step is said at once, not
// only on the next request.
func TestAnUndoIsJudged(t *testing.T) {
	h := newHarness(t, true)
	out := h.run(t, "lesson idempotence\nPUT /accounts/42 {\"balance\":50}\nundo\n")
	_, undo, _ := strings.Cut(out, "> undo")
	if !strings.Contains(undo, "Undone: ") || !strings.Contains(undo, "Not yet") || !strings.Contains(undo, "an undo changed /accounts/42") {
		t.Errorf("the undo is not judged:\n%s", out)
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
