package tui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

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
	InFlight bool // a batch is being sent
	Skip     bool // finish at once
	Started  time.Time
}

func (j *repeatJob) batch() int {
	return session.RepeatBatch(j.Total, j.Sent, j.Skip)
}

func (j *repeatJob) progress() string {
	if j.Total <= 1 {
		return "sending…"
	}
	return fmt.Sprintf("sending %d/%d · x finish now", j.Sent, j.Total)
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

// repeatTickMsg asks for the next batch of a job.
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
			out.NotYet = r.Step.NotYet()
		}
		if r.Err != nil {
			out.Err = r.Err.Error()
		}
		return out
	}
}

func repeatTickCmd(job int) tea.Cmd {
	return tea.Tick(session.RepeatTick, func(time.Time) tea.Msg { return repeatTickMsg{Job: job} })
}

// undoMsg reports the outcome of Undo, run in a tea.Cmd.
type undoMsg struct{ OK bool }

func undoCmd(sess *session.Session) tea.Cmd {
	return func() tea.Msg {
		_, err := sess.Undo()
		return undoMsg{OK: err == nil}
	}
}
