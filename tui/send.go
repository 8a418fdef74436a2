package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// Pacing of repeated requests: one batch per tick, at most about 100 ticks,
// so ×100 takes about three seconds — slow enough to watch the chart and log
// fill in — and ×1000 takes no longer.
const (
	repeatTick  = 30 * time.Millisecond
	repeatTicks = 100
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
	if j.Skip {
		return j.Total - j.Sent
	}
	return min(j.Total-j.Sent, max(1, (j.Total+repeatTicks-1)/repeatTicks))
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
}

// repeatTickMsg asks for the next batch of a job.
type repeatTickMsg struct{ Job int }

// sendBatch sends n copies of the request through the in-process client, in
// a tea.Cmd: the network may be slowed by a fault, and Update must never wait.
func sendBatch(ctx context.Context, c *sim.Client, job int, rl request.Line, n int) tea.Cmd {
	return func() tea.Msg {
		out := sentMsg{Job: job, N: n}
		for range n {
			if ctx.Err() != nil {
				break
			}
			req, err := rl.NewRequest(ctx)
			if err != nil {
				out.Err = err.Error()
				break
			}
			resp, err := c.Do(req)
			if err != nil {
				if errors.Is(err, sim.ErrNoResponse) {
					out.Lost++
					out.Status = 0
				} else {
					out.Err = err.Error()
				}
				continue
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<20))
			_ = resp.Body.Close()
			out.Status = resp.StatusCode
		}
		return out
	}
}

func repeatTickCmd(job int) tea.Cmd {
	return tea.Tick(repeatTick, func(time.Time) tea.Msg { return repeatTickMsg{Job: job} })
}

// undoMsg reports the outcome of Undo, run in a tea.Cmd.
type undoMsg struct{ OK bool }

func undoCmd(srv *sim.Server) tea.Cmd {
	return func() tea.Msg { return undoMsg{OK: srv.Undo()} }
}
