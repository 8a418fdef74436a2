package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/session"
)

// updatesMsg carries the session's updates since the last batch, oldest
// first, and the server state read right after them.
type updatesMsg struct {
	Updates []session.Update
	Snap    serverSnap
}

// waitUpdates blocks (in its own goroutine, as every tea.Cmd) until the
// session has updates, then collects them and the state after them. Update
// re-issues it after each batch, so exactly one waiter reads the watcher.
func waitUpdates(ss *shared) tea.Cmd {
	return func() tea.Msg {
		for {
			if ups := ss.watch.Poll(); len(ups) > 0 {
				return updatesMsg{Updates: ups, Snap: takeSnap(ss.sess)}
			}
			select {
			case <-ss.done:
				return nil
			case <-ss.watch.Ready():
			}
		}
	}
}
