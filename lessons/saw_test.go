package lessons

import (
	"reflect"
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// Events a caller hands the engine (Saw) count once, as if Observe had read
// them from the server: given again, out of order, with a gap or from
// before the step began, the step's checks say the same as an engine that
// read everything itself.
func TestEventsSeenCountAsRead(t *testing.T) {
	src := "---\nid: s\ntitle: S\nfixture: bank\n---\n## Step: S\nDo.\n" +
		"```check\nrequest PUT /accounts/42 >= 5\nfield /accounts/42 balance 100\nstatus 200\n```\n" +
		"```solution\nPUT /accounts/42 {\"balance\":100} x5\n```\n"
	l, err := Parse("saw.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	srvA, srvB := sim.New(sim.Options{}), sim.New(sim.Options{})
	a, b := NewEngine([]*Lesson{l}, srvA, nil), NewEngine([]*Lesson{l}, srvB, nil)
	rl, err := request.Parse(`PUT /accounts/42 {"balance":100}`)
	if err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 4; round++ {
		sendLines(srvA.Client(sim.SourceComposer), []request.Line{rl})
		sendLines(srvB.Client(sim.SourceComposer), []request.Line{rl})
		evs := srvA.EventsSince(0)
		switch round {
		case 1: // all of them, twice
			a.Saw(evs)
			a.Saw(evs)
		case 2: // with a gap: the newest alone
			a.Saw(evs[len(evs)-1:])
		case 3: // newest first
			a.Saw([]sim.Event{evs[len(evs)-1], evs[len(evs)-2]})
		}
		got, want := a.Observe(), b.Observe()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: with the events seen the step says\n%+v\nread by itself\n%+v", round, got, want)
		}
		if got.Passed {
			t.Fatalf("round %d: passed after %d of 5 requests", round, round)
		}
	}
	sendLines(srvA.Client(sim.SourceComposer), []request.Line{rl})
	a.Saw(srvA.EventsSince(0))
	if s := a.Observe(); !s.Passed {
		t.Fatalf("not passed after 5 requests: %+v", s)
	}
}
