package tui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/session"
)

// repeatJob is a request being sent N times.
type repeatJob struct {
	ID       int
	Line     request.Line
	Text     string
	Total    int
	Sent     int
	Lost     int // attempts that got no response
	Last     int // newest status code
	LastErr  string
	InFlight bool // a batch is being sent, or waits for its turn (wake)
	Skip     bool // finish at once
	// wake, while the next batch waits for its turn, ends the wait at
	// once, without sending: Update then sends what is left (x).
	wake chan struct{}
	// Done is the newest exchange of the job's batches whose result has
	// come; the exchanges after it are the batch on its way.
	Done    uint64
	Started time.Time
}

func (j *repeatJob) batch() int {
	return session.RepeatBatch(j.Total, j.Sent, j.Skip)
}

func (j *repeatJob) progress() string {
	if j.Total <= 1 {
		return "sending…"
	}
	return fmt.Sprintf("sending %d/%d · ctrl+x finish now", j.Sent, j.Total)
}

// sentMsg reports a batch of sends done.
type sentMsg struct {
	Job    int
	N      int
	Lost   int
	Status int    // newest status code, 0 if none came back
	Err    string // newest failure that is not a lost response
	NotYet string // the step's "Not yet: …" after this batch, "" when it passed or was not judged
	// Seq is the newest of the batch's exchanges, 0 if it made none: the
	// log shows them when the session's updates bring them, just after.
	Seq uint64
}

// repeatTickMsg says the wait before a job's next batch ended early,
// without sending it (x, or the program ending): Update decides what to send.
type repeatTickMsg struct{ Job int }

// sendBatch sends n copies of the request through the session, in a
// tea.Cmd: the network may be slowed by a fault, and Update must never wait.
func sendBatch(ctx context.Context, sess *session.Session, job int, rl request.Line, n int, more bool) tea.Cmd {
	return func() tea.Msg {
		r := sess.SendBatch(ctx, rl, n, more)
		out := sentMsg{Job: job, N: n, Lost: r.Lost, Status: r.Last}
		if len(r.Mine) > 0 {
			out.Seq = r.Mine[len(r.Mine)-1].Seq
		}
		if r.Observed {
			out.NotYet = r.Step.ForView(lessons.Screen).NotYet()
		}
		if r.Err != nil {
			out.Err = r.Err.Error()
		}
		return out
	}
}

// paceBatch waits for the next batch's turn, then sends it, in one
// command: one goroutine, one message and one frame per batch. wake or
// ctx ends the wait without sending (repeatTickMsg).
func paceBatch(ctx context.Context, wait time.Duration, job int, wake <-chan struct{}, send tea.Cmd) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
			return send()
		case <-wake:
		case <-ctx.Done():
		}
		return repeatTickMsg{Job: job}
	}
}

// undoMsg reports the outcome of Undo, run in a tea.Cmd.
type undoMsg struct{ OK bool }

func undoCmd(sess *session.Session) tea.Cmd {
	return func() tea.Msg {
		_, err := sess.Undo()
		return undoMsg{OK: err == nil}
	}
}
