package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/sim"
)

// eventsMsg carries the events that arrived since the last batch, oldest
// first, and the server state read right after them.
type eventsMsg struct {
	Events  []sim.Event
	Skipped uint64 // events after the last batch left out: older than the newest maxLog
	Snap    serverSnap
}

// subscribeBuffer is the subscription's channel size. The sim drops events
// for a subscriber whose buffer is full; waitEvents catches up with
// EventsSince, so the size only sets how often that happens.
const subscribeBuffer = 256

// waitEvents blocks (in its own goroutine, as every tea.Cmd) until the sim
// reports an event, then collects the newest events after seq — including
// events whose notifications were dropped — and the state after them. Update
// re-issues it after each batch, so exactly one waiter runs at a time.
func waitEvents(ss *session, seq uint64) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-ss.done:
			return nil
		case _, ok := <-ss.events:
			if !ok {
				return nil
			}
		}
		// Drain notifications already queued: EventsSince below covers them.
	drain:
		for {
			select {
			case _, ok := <-ss.events:
				if !ok {
					break drain
				}
			default:
				break drain
			}
		}
		// The screen shows at most maxLog of them: a flood of ten thousand
		// costs a frame no more than that.
		evs, skipped := ss.srv.NewestEventsSince(seq, maxLog)
		return eventsMsg{Events: evs, Skipped: skipped, Snap: takeSnap(ss.srv, ss.client)}
	}
}
