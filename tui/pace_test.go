package tui

import (
	"context"
	"testing"
	"time"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
)

// exchanges counts the exchanges sess's server has seen.
func exchanges(sess *session.Session) int {
	n := 0
	for _, e := range sess.Server().EventsSince(0) {
		if e.Kind == sim.KindExchange {
			n++
		}
	}
	return n
}

// A repeat's next batch waits for its turn and is sent by the same
// command: its result is the command's one message.
func TestPacedBatchIsSentWhenItsTurnComes(t *testing.T) {
	sess := newSession(t, session.Options{Mode: session.Sandbox})
	rl, err := request.Parse(`PUT /accounts/7 {"balance":5}`)
	if err != nil {
		t.Fatal(err)
	}
	send := sendBatch(context.Background(), sess, 3, rl, 4, true)
	msg := paceBatch(context.Background(), time.Millisecond, 3, make(chan struct{}), send)()
	sm, ok := msg.(sentMsg)
	if !ok {
		t.Fatalf("the paced batch made %T, want its result", msg)
	}
	if sm.Job != 3 || sm.N != 4 || sm.Status != 200 {
		t.Fatalf("result %+v, want job 3, 4 sent, 200", sm)
	}
	if n := exchanges(sess); n != 4 {
		t.Fatalf("the server saw %d events, want 4", n)
	}
}

// Woken (x) or ended with the program, the wait sends nothing and says so.
func TestPacedBatchWokenSendsNothing(t *testing.T) {
	sess := newSession(t, session.Options{Mode: session.Sandbox})
	rl, err := request.Parse(`PUT /accounts/7 {"balance":5}`)
	if err != nil {
		t.Fatal(err)
	}
	send := sendBatch(context.Background(), sess, 3, rl, 4, true)
	wake := make(chan struct{})
	close(wake)
	if msg := paceBatch(context.Background(), time.Hour, 3, wake, send)(); msg != (repeatTickMsg{Job: 3}) {
		t.Fatalf("woken, the wait made %#v, want repeatTickMsg{3}", msg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if msg := paceBatch(ctx, time.Hour, 3, make(chan struct{}), send)(); msg != (repeatTickMsg{Job: 3}) {
		t.Fatalf("with the program ended, the wait made %#v, want repeatTickMsg{3}", msg)
	}
	if n := exchanges(sess); n != 0 {
		t.Fatalf("the server saw %d events, want none", n)
	}
}

// x while the next batch waits for its turn sends the rest at once, in one
// batch, and the batch that waited is not sent as well.
func TestFinishNowWakesTheWaitingBatch(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /accounts/42 {"balance":100} x10`)
	d.keys("enter")
	d.tick() // the second batch's turn: 2 sent, the third waits
	if len(d.ticks) != 1 {
		t.Fatalf("%d batches wait for their turn, want 1", len(d.ticks))
	}
	d.mustContain("sending 2/10")
	d.keys("esc", "ctrl+x")
	if d.m.job != nil {
		t.Fatalf("the repeat is still running after x: %+v", *d.m.job)
	}
	if len(d.ticks) != 0 {
		t.Fatalf("%d batches still wait after x", len(d.ticks))
	}
	d.mustContain("sent PUT /accounts/42 ×10 → 200 OK")
	if n := exchanges(d.sess); n != 10 {
		t.Fatalf("the server saw %d events, want 10", n)
	}
}

// The wait for a batch's kept exchanges ends without a message when they
// are shown before it is over, so the result's frame is the batch's only
// one; otherwise it says to show them.
func TestWaitForKeptUpdatesEndsWithThem(t *testing.T) {
	gone := make(chan struct{})
	close(gone)
	if msg := waitEarly(4, gone)(); msg != nil {
		t.Fatalf("with the updates shown, the wait made %#v, want no message", msg)
	}
	if msg := waitEarly(4, make(chan struct{}))(); msg != (showEarlyMsg{4}) {
		t.Fatalf("the wait made %#v, want showEarlyMsg{4}", msg)
	}

	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "idempotence"})
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /accounts/42 {"balance":100} x10`)
	d.keys("enter")
	msgs := d.batch()
	_, _ = d.m.Update(updatesMsg{Updates: d.m.ss.watch.Poll(), Snap: takeSnap(d.sess)})
	gone = d.m.earlyGone
	if gone == nil {
		t.Fatal("the batch's exchanges were not kept for its result")
	}
	_, cmd := d.m.Update(msgs[0])
	select {
	case <-gone:
	default:
		t.Fatal("the result showed the kept exchanges but their wait goes on")
	}
	d.hold(cmd)
	d.mustContain("sending 2/10", "×2")
}
