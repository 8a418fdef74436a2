package tui

import (
	"testing"

	"github.com/putpost/putpost/lessons"
)

// TestAStepWithoutASuggestionDropsTheLastStepsUnsentScaffold: lesson 3's
// first step fills the composer with "/flights/AC789", a start of a request
// for that step. A learner who moves on to the POST step, which suggests
// nothing, must not find it there: e puts the cursor in front of it, and a
// whole request typed there is glued to it.
func TestAStepWithoutASuggestionDropsTheLastStepsUnsentScaffold(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	sess, _ := learnerSession(t, ls, "put-create")
	d := startDriver(t, 120, 40, sess, Options{}, "")
	if v := d.m.comp.Value(); v != "/flights/AC789" {
		t.Fatalf("step 1's composer holds %q", v)
	}
	d.keys("n", "n", "n")
	if v := d.m.comp.Value(); v != "" {
		t.Errorf("the POST step's composer holds %q, an unsent scaffold of step 1", v)
	}
	// A request the learner wrote is theirs, and stays.
	d.keys("p", "e")
	d.typeLine("POST /flights {}")
	d.keys("esc", "n")
	if v := d.m.comp.Value(); v != "POST /flights {}" {
		t.Errorf("the learner's own request was dropped: the composer holds %q", v)
	}
}
