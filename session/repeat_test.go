package session

import (
	"context"
	"testing"
)

// A paced repeat is one action of the learner: "add interest three times"
// must not pass because three of a hundred POSTs had gone out when a batch
// ended, and the lesson must not then explain "three requests".
func TestARepeatIsJudgedWholeNotOnABatchInTheMiddle(t *testing.T) {
	s := tutorial(t, "idempotence")
	if _, err := s.Next(); err != nil { // step 2: exactly three interest POSTs
		t.Fatal(err)
	}
	rl := line(t, `POST /accounts/42/interest {"rate":0.10}`)
	ctx := context.Background()
	const total = 100
	for sent := 0; sent < total; {
		n := RepeatBatch(total, sent, false)
		r := s.SendBatch(ctx, rl, n, sent+n < total)
		sent += n
		if r.Step.Passed || s.Status().Passed {
			t.Fatalf("after %d of %d POSTs the step passed: it asks for exactly three", sent, total)
		}
		if sent < total && r.Observed {
			t.Fatalf("the step was judged after %d of %d POSTs, in the middle of the repeat", sent, total)
		}
	}
	if s.Status().Passed || s.StepPassed(1) {
		t.Fatal("a hundred POSTs passed a step that asks for three")
	}

	// The same step passes when the learner does send three, also paced.
	if err := s.Reset(ResetStep); err != nil {
		t.Fatal(err)
	}
	var last SendResult
	for sent := 0; sent < 3; sent++ {
		last = s.SendBatch(ctx, rl, 1, sent+1 < 3)
	}
	if !last.Observed || !last.Step.Passed {
		t.Fatalf("three paced POSTs did not pass the step: %+v", last.Step)
	}
}

// A repeat that stops early (the view quit, or a request could not be
// made) is judged on what it did send.
func TestARepeatCutShortIsJudgedOnWhatWasSent(t *testing.T) {
	s := tutorial(t, "idempotence")
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	rl := line(t, `POST /accounts/42/interest {"rate":0.10}`)
	s.SendBatch(context.Background(), rl, 3, true)
	if s.Status().Passed {
		t.Fatal("judged in the middle of a repeat")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := s.SendBatch(ctx, rl, 5, true) // nothing more is sent: the view has gone
	if !r.Observed || !r.Step.Passed {
		t.Fatalf("the three POSTs sent before the repeat stopped were not judged: observed %v, %+v", r.Observed, r.Step)
	}
}
