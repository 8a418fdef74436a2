package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/sim"
)

// eventsMsg carries the events that arrived since the last batch, oldest
// first, and the server state read right after them.
type eventsMsg struct {
	Events []sim.Event
	Snap   serverSnap
}

// waitEvents blocks (in its own goroutine, as every tea.Cmd) until the sim
// has events after seq, then collects them and the state after them. Update
// re-issues it after each batch, so exactly one waiter runs at a time.
func waitEvents(ss *session, seq uint64) tea.Cmd {
	return func() tea.Msg {
		for ss.srv.LastSeq() <= seq {
			select {
			case <-ss.done:
				return nil
			case <-ss.feed.Ready():
			}
		}
		evs := ss.srv.EventsSince(seq)
		return eventsMsg{Events: evs, Snap: takeSnap(ss.srv, ss.client)}
	}
}
