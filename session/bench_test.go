package session

import (
	"context"
	"testing"

	"github.com/putpost/putpost/request"
)

// BenchmarkSendPUT is one PUT through a session, as a view sends it: the
// client, the server, the feed, the update log and a watcher reading it.
// Compare sim's BenchmarkInProcessPUT for the server alone.
func BenchmarkSendPUT(b *testing.B) {
	s, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	w := s.Watch()
	defer w.Close()
	go func() {
		for {
			if _, err := w.Next(context.Background()); err != nil {
				return
			}
		}
	}()
	rl, err := request.Parse(`PUT /accounts/42 {"balance": 100}`)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if r := s.Send(ctx, rl, 1); r.Last != 200 {
			b.Fatalf("status %d", r.Last)
		}
	}
}
