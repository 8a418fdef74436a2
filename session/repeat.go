package session

import "time"

// Pacing of repeated requests in views that animate them: one batch per
// tick, at most about RepeatTicks ticks, so ×100 takes about three seconds —
// slow enough to watch a chart and a log fill in — and ×1000 takes no longer.
// A batch changes the screen once (the log, the chart, the count sent), so
// the tick bounds the frame rate of the animation: 20 frames a second reads
// as motion, and a ×1000 costs the screen 60 frames, not one per request.
const (
	RepeatTick  = 50 * time.Millisecond
	RepeatTicks = 60
)

// RepeatBatch is how many requests of a paced repeat of total to send next,
// sent of them being done: all that are left when skip (the viewer asked to
// finish now).
func RepeatBatch(total, sent int, skip bool) int {
	if skip {
		return max(0, total-sent)
	}
	return max(0, min(total-sent, max(1, (total+RepeatTicks-1)/RepeatTicks)))
}
