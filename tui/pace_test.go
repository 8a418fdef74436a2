package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

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

// While a batch's exchanges are kept for its result, the waiter for
// updates keeps the time: it says when they have waited long enough, and
// once they are shown (the usual case: the result came) it only waits for
// updates, with no message for the time.
func TestWaiterKeepsTheTimeForKeptUpdates(t *testing.T) {
	sess := newSession(t, session.Options{Mode: session.Sandbox})
	m := New(Options{Session: sess})
	t.Cleanup(m.Close)
	if msg := waitUpdates(m.ss, 4, time.Now(), make(chan struct{}))(); msg != (showEarlyMsg{4}) {
		t.Fatalf("with nothing new and the time up, the waiter made %#v, want showEarlyMsg{4}", msg)
	}
	gone := make(chan struct{})
	close(gone)
	got := make(chan tea.Msg, 1)
	go func() { got <- waitUpdates(m.ss, 4, time.Now(), gone)() }()
	rl, err := request.Parse(`PUT /accounts/7 {"balance":5}`)
	if err != nil {
		t.Fatal(err)
	}
	_ = sendBatch(context.Background(), sess, 1, rl, 1, false)()
	select {
	case msg := <-got:
		if _, ok := msg.(updatesMsg); !ok {
			t.Fatalf("with the kept updates shown, the waiter made %#v, want the new updates", msg)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter did not return the new updates")
	}

	d := startPutRepeat(t)
	msgs := d.batch()
	d.deliverUpdates()
	gone = d.m.earlyGone
	if gone == nil {
		t.Fatal("the batch's exchanges were not kept for its result")
	}
	_, cmd := d.m.Update(msgs[0])
	select {
	case <-gone:
	default:
		t.Fatal("the result showed the kept exchanges but the waiter still keeps their time")
	}
	d.hold(cmd)
	d.mustContain("sending 2/10", "×2")
}

// While a paced repeat runs, the checklist says the step judges it when it
// ends, rather than showing the counts from before it began; once it ends,
// the checklist shows the step's verdict on it.
func TestTheChecklistWaitsForTheRepeatToEnd(t *testing.T) {
	d := startPutRepeat(t)
	d.mustContain("— judged") // "once all 10 are sent", wrapped
	d.mustNotContain("0 of 100")
	// The line pinned when the task is out of view says the same.
	if got := ansi.Strip(d.m.lesson.summary); !strings.Contains(got, "judged once all 10 are sent") {
		t.Errorf("the pinned task line during the repeat reads %q", got)
	}
	d.tick()
	d.mustContain("sending 2/10", "— judged")
	finishJob(d)
	d.deliverUpdates()
	d.mustContain("sent ×10 → 200 OK", "10 of 100")
	d.mustNotContain("judged")
}

// The "Not yet" line a request left is not the verdict on the repeat that
// follows it: while the repeat runs, the line says it waits for it.
func TestTheNotYetLineWaitsForTheRepeatToEnd(t *testing.T) {
	d := startPutRepeat(t) // x10: not enough
	finishJob(d)
	d.deliverUpdates()
	d.mustContain("Not yet: 2 of 3 — 10 of 100")
	d.keys("ctrl+l")
	d.typeLine(`PUT /accounts/42 {"balance":100} x100`)
	d.keys("enter")
	d.mustContain("Not yet judged", "ctrl+x finish now")
	d.mustNotContain("10 of 100")
	finishJob(d)
	d.deliverUpdates()
	d.mustContain("✓ Step passed")
	d.mustNotContain("Not yet")
}

// The pinned "Not yet" line at 80×24 wraps, so the reason and what to do
// about it are on screen, with the full screen's keys for a reset of the
// step rather than line mode's command or the lesson markup.
func TestTheNotYetLineSaysTheWholeReasonAndTheResetKeys(t *testing.T) {
	d := newDriver(t, 80, 24, testOpts{builtin: true, lesson: "put-replace"})
	d.keys("n", "n")
	sendPut(d, `PATCH /flights/AA123 {"gate":"b12"}`)
	d.mustContain("a PATCH changed /flights/AA123 in this step; reset the", "step (R, then s) to start over")
	d.mustNotContain("{screen:", "type reset", "…")
}
