package lessons

import (
	"strings"
	"testing"
)

// TestARefusedInterestPostDoesNotSpoilTheThreeTimesStep: a learner who first
// sends the rate as text gets a 422 that changes nothing; the three POSTs
// that follow add interest three times, and that is what the step asks.
func TestARefusedInterestPostDoesNotSpoilTheThreeTimesStep(t *testing.T) {
	e, c := learnerAt(t, "idempotence", 1, nil)
	put(t, c, `POST /accounts/42/interest {"rate":"0.10"}`)
	if s := e.Observe(); s.Passed {
		t.Fatal("a refused POST passed the step")
	}
	put(t, c, `POST /accounts/42/interest {"rate":0.10} x3`)
	if s := e.Observe(); !s.Passed {
		t.Errorf("three interest POSTs after a refused one do not pass:%s", resultsText(s))
	}
	e, c = learnerAt(t, "idempotence", 1, nil)
	put(t, c, `POST /accounts/42/interest {"rate":0.10} x4`)
	if s := e.Observe(); s.Passed {
		t.Error("four interest POSTs pass a step that asks for three")
	}
}

// TestTheHundredPutsExplanationNamesTheStoredBalance: the check takes the
// text "100" for the number 100, so the explanation must say what the
// server stores rather than claim the number 100.00.
func TestTheHundredPutsExplanationNamesTheStoredBalance(t *testing.T) {
	e, c := learnerAt(t, "idempotence", 0, nil)
	put(t, c, `PUT /accounts/42 {"balance":"100"} x100`)
	if s := e.Observe(); !s.Passed {
		t.Fatalf("the step did not pass:%s", resultsText(s))
	}
	ex := e.Explain()
	if strings.Contains(ex, "100.00") || !strings.Contains(ex, `"100"`) {
		t.Errorf("the explanation does not name the stored text \"100\":\n%s", ex)
	}
}
