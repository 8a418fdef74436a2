package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/session"
)

// updatesMsg carries the session's updates since the last batch, oldest
// first, and the server state read right after them. Skipped counts the
// older events left out of a batch (a flood): the screen shows at most the
// newest maxLog.
type updatesMsg struct {
	Updates []session.Update
	Skipped uint64
	Snap    serverSnap
	noWait  bool // the waiting command for the next updates is running already
}

// waitUpdates blocks (in its own goroutine, as every tea.Cmd) until the
// session has updates, then collects them and the state after them. Update
// re-issues it after each batch, so exactly one waiter reads the watcher.
//
// While a batch's exchanges are kept for its result (see takeUpdates), the
// waiter also keeps the time: if the kept updates are still kept at by, it
// ends with showEarlyMsg{id}; once they are shown (gone), it only waits
// for updates. One goroutine and no message more per batch, where a timer
// of its own would be both.
func waitUpdates(ss *shared, id int, by time.Time, gone <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		var late <-chan time.Time
		if !by.IsZero() {
			t := time.NewTimer(time.Until(by))
			defer t.Stop()
			late = t.C
		}
		for {
			if ups := ss.watch.Poll(); len(ups) > 0 {
				ups, skipped := newestEvents(ups, maxLog)
				return updatesMsg{Updates: ups, Skipped: skipped, Snap: ss.snapshot()}
			}
			select {
			case <-ss.done:
				return nil
			case <-ss.watch.Ready():
			case <-gone:
				gone, late = nil, nil
			case <-late:
				select {
				case <-gone: // shown as the time came: nothing to say
					gone, late = nil, nil
				default:
					return showEarlyMsg{id}
				}
			}
		}
	}
}

// newestEvents keeps every update but the events older than the newest n
// (and what the session says it missed), and counts what it left out: a
// flood of ten thousand costs a frame no more than n.
func newestEvents(ups []session.Update, n int) ([]session.Update, uint64) {
	events, missed := 0, false
	for _, u := range ups {
		switch u.Kind {
		case session.UpdateEvent:
			events++
		case session.UpdateMissed:
			missed = true
		}
	}
	if events <= n && !missed {
		return ups, 0 // nothing to leave out: the batch as it came
	}
	var skipped uint64
	out := ups[:0:0]
	for _, u := range ups {
		switch {
		case u.Kind == session.UpdateMissed:
			skipped += u.Missed
		case u.Kind == session.UpdateEvent && events > n:
			events--
			skipped++
		default:
			out = append(out, u)
		}
	}
	return out, skipped
}

// snapshot is takeSnap for the waiting command: the bodies the newest
// snapshot holds are kept when their ETag has not changed, so a batch
// copies only what it changed and two snapshots share the rest.
func (ss *shared) snapshot() serverSnap {
	ss.snapMu.Lock()
	defer ss.snapMu.Unlock()
	snap := takeSnapAfter(ss.sess, ss.lastSnap)
	ss.lastSnap = snap.Resources
	return snap
}
