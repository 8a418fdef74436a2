package lessons

import (
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// BenchmarkLoadBuiltin loads, parses and validates every built-in lesson.
func BenchmarkLoadBuiltin(b *testing.B) {
	for b.Loop() {
		if _, err := Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkObserve is the work after each event: one request reaches the
// server, then the engine re-evaluates the current step's checks (a lesson
// step with a count, a field and a status check, 100 requests into a step).
func BenchmarkObserve(b *testing.B) {
	l, err := Parse("bench.md", []byte("---\nid: b\ntitle: B\nfixture: bank\n---\n## Step: S\nDo.\n"+
		"```check\nrequest PUT /accounts/42 >= 1000000\nfield /accounts/42 balance 100\nany:\n  status 200\n  status 204\n```\n"+
		"```solution\nPUT /accounts/42 {\"balance\":100}\n```\n"))
	if err != nil {
		b.Fatal(err)
	}
	srv := sim.New(sim.Options{})
	e := NewEngine([]*Lesson{l}, srv, nil)
	c := srv.Client(sim.SourceComposer)
	rl, err := request.Parse(`PUT /accounts/42 {"balance":100}`)
	if err != nil {
		b.Fatal(err)
	}
	rl.Repeat = 100
	sendLines(c, []request.Line{rl})
	e.Observe()
	rl.Repeat = 1
	b.Run("request+observe", func(b *testing.B) {
		for b.Loop() {
			sendLines(c, []request.Line{rl})
			if s := e.Observe(); s.Passed {
				b.Fatal("passed")
			}
		}
	})
	b.Run("observe", func(b *testing.B) {
		for b.Loop() {
			if s := e.Observe(); s.Passed {
				b.Fatal("passed")
			}
		}
	})
}
