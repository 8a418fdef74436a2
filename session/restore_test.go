package session

import (
	"context"
	"testing"

	"github.com/putpost/putpost/sim"
)

// TestRestorePutsTheServerAndTheNetworkBackExactly: after a checkpoint,
// sends and a change of network, Restore gives back the same resources and
// the same next id, and the network as asked; watchers see the restore.
func TestRestorePutsTheServerAndTheNetworkBackExactly(t *testing.T) {
	s := newTest(t, Options{})
	cp := s.Checkpoint()
	before, _, _ := s.Server().Resource("/accounts/42")
	s.Send(context.Background(), line(t, `POST /payments {"amount":5}`), 2)
	s.SetFaults(sim.FaultSettings{LoseResponses: true})
	w := s.Watch()
	defer w.Close()

	s.Restore(cp, sim.FaultSettings{}, sim.RetryRFC9110)
	if s.Faults() != (sim.FaultSettings{}) || s.Retry() != sim.RetryRFC9110 {
		t.Errorf("network after restore: %+v, %s", s.Faults(), s.Retry())
	}
	if _, _, ok := s.Server().Resource("/payments/1"); ok {
		t.Error("/payments/1 is still there after the restore")
	}
	if after, _, _ := s.Server().Resource("/accounts/42"); string(after) != string(before) {
		t.Errorf("balance %s, want %s", after, before)
	}
	r := s.Send(context.Background(), line(t, `POST /payments {"amount":5}`), 1)
	if len(r.Mine) != 1 || r.Mine[0].Response.Header.Get("Location") != "/payments/1" {
		t.Errorf("the first payment after the restore is not /payments/1 again: %+v", r.Mine)
	}
	sawRestore := false
	for _, u := range w.Poll() {
		if u.Kind == UpdateEvent && u.Event.Kind == sim.KindRestore {
			sawRestore = true
		}
	}
	if !sawRestore {
		t.Error("the watcher did not see the restore")
	}
}

func TestParseFaultsWords(t *testing.T) {
	delay := sim.FaultSettings{Delay: 5}
	for _, c := range []struct {
		word string
		want sim.FaultSettings
	}{
		{"on", sim.FaultSettings{LoseResponses: true, Delay: 5}},
		{"LOSE", sim.FaultSettings{LoseResponses: true, Delay: 5}},
		{"drop", sim.FaultSettings{DropRequests: true, Delay: 5}},
		{"off", sim.FaultSettings{}},
	} {
		got, err := ParseFaults(c.word, delay)
		if err != nil || got != c.want {
			t.Errorf("ParseFaults(%q) = %+v, %v; want %+v", c.word, got, err, c.want)
		}
	}
	if got, err := ParseFaults("sometimes", delay); err == nil || got != delay {
		t.Errorf("ParseFaults(sometimes) = %+v, %v; want an error and no change", got, err)
	}
}

func TestRepeatBatchSendsEverythingInAtMostRepeatTicks(t *testing.T) {
	for _, total := range []int{1, 3, 100, 101, 1000, 9999} {
		ticks, sent := 0, 0
		for sent < total {
			n := RepeatBatch(total, sent, false)
			if n <= 0 {
				t.Fatalf("total %d: batch of %d after %d", total, n, sent)
			}
			sent += n
			ticks++
		}
		if sent != total || ticks > RepeatTicks {
			t.Errorf("total %d: sent %d in %d ticks", total, sent, ticks)
		}
	}
	if n := RepeatBatch(100, 40, true); n != 60 {
		t.Errorf("skip after 40 of 100: %d, want 60", n)
	}
}
