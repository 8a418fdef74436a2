package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/sim"
)

// This file holds the panes' own handling of the keys and the mouse. The
// root routes: it handles the keys that mean the same wherever the focus is
// (see Model.globalKey), then passes the rest to the focused pane's Update,
// and the wheel to the pane under the pointer.

// Update moves the lesson text for the keys that scroll it; it reports
// whether the key was the pane's. Scrolling by hand stops following the
// outcome or the newest hint.
func (l *lessonPane) Update(msg tea.KeyPressMsg, k KeyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		l.Scroll(-1)
	case key.Matches(msg, k.Down):
		l.Scroll(+1)
	case key.Matches(msg, k.PageUp):
		l.anchor = anchorNone
		l.sc.PageUp()
	case key.Matches(msg, k.PageDown):
		l.anchor = anchorNone
		l.sc.PageDown()
	case key.Matches(msg, k.Top):
		l.anchor = anchorNone
		l.sc.Top()
	case key.Matches(msg, k.Bottom):
		l.anchor = anchorNone
		l.sc.Bottom()
	default:
		return false
	}
	return true
}

// lessonContent is what the lesson pane shows for one step, laid out for its
// width: the lines, and where in them the task, the newest hint and the
// outcome start (-1: none), with the one-line task summaries.
type lessonContent struct {
	id                string // lesson and step the lines are for
	lines             []string
	taskAt            int
	hintAt            int
	resultAt          int
	summary, summaryC string   // see lessonPane
	notYet            []string // see lessonPane
	foot              []string // a quiz's choices, to pin (see lessonPane)
}

// SetContent shows c. New lines for another step start at the top; for the
// same step the pane keeps following what it followed, or jumps to the
// outcome when asked (a step just passed, a quiz just answered).
func (l *lessonPane) SetContent(c lessonContent, jumpToResult bool) {
	l.hintAt, l.taskAt, l.resultAt = c.hintAt, c.taskAt, c.resultAt
	l.summary, l.summaryC = c.summary, c.summaryC
	l.notYet, l.foot = c.notYet, c.foot
	l.sc.SetHeight(l.h - len(l.pinned()))
	l.sc.SetLines(c.lines)
	switch {
	case c.id != l.id:
		l.id = c.id
		l.anchor = anchorNone
		l.sc.Top()
	case jumpToResult && c.resultAt >= 0:
		l.anchor = anchorResult
	}
	switch l.anchor {
	case anchorResult:
		if l.resultAt >= 0 {
			l.sc.SetOffset(l.resultAt)
		}
	case anchorHint:
		l.sc.Show(l.hintAt)
	}
}

// Scroll moves the text by n lines (the wheel, the arrow keys).
func (l *lessonPane) Scroll(n int) {
	l.anchor = anchorNone
	l.sc.ScrollBy(n)
}

// Follow keeps a part of the text in view when it is rebuilt.
func (l *lessonPane) Follow(a anchor) { l.anchor = a }

// Restart forgets which step the lines were for: the next build starts at
// the top of the text.
func (l *lessonPane) Restart() { l.id = "" }

// Position says how far down the text is scrolled ("40%"), or "".
// It is labelled, so that it does not read as progress through the lesson,
// and left out at the top, where the cut text at the bottom says enough.
func (l *lessonPane) Position() string {
	if p := l.sc.Position(); p != "" && l.sc.off > 0 {
		return "scrolled " + p
	}
	return ""
}

// Width is the pane's inner width.
func (l *lessonPane) Width() int { return l.w }

// serverOut is what a key in the server pane asks of the root.
type serverOut struct {
	EmptyLog bool // the wire view was asked for before any exchange
}

// Update handles a key while the server pane has the focus: moving the log
// selection (or the open wire view) and opening the wire view of the
// selected exchange. It reports whether the key was the pane's.
func (s *serverPane) Update(msg tea.KeyPressMsg, k KeyMap) (bool, serverOut) {
	var out serverOut
	switch {
	case key.Matches(msg, k.Up):
		s.Move(-1)
	case key.Matches(msg, k.Down):
		s.Move(+1)
	case key.Matches(msg, k.PageUp):
		s.Page(-1)
	case key.Matches(msg, k.PageDown):
		s.Page(+1)
	case key.Matches(msg, k.Top):
		s.Home()
	case key.Matches(msg, k.Bottom):
		s.End()
	case key.Matches(msg, k.Send):
		out.EmptyLog = !s.OpenWire()
	default:
		return false, out
	}
	return true, out
}

// Back closes the wire view, or else lets go of the selection so the log
// follows the newest exchange again.
func (s *serverPane) Back() {
	switch {
	case s.wire != nil:
		s.CloseWire()
	default:
		s.Deselect()
	}
}

// SelectedSeq is the Seq of the selected log entry, or 0 when none is
// selected (the newest, to whoever asks).
func (s *serverPane) SelectedSeq() uint64 {
	if s.sel < 0 || s.sel >= len(s.log) {
		return 0
	}
	return s.log[s.sel].ev.Seq
}

// InWire reports whether the wire view is open, and of which exchange.
func (s *serverPane) InWire() (bool, uint64) { return s.wire != nil, s.wireSeq }

// SetNetwork shows the learner's network switch in the pane's title.
func (s *serverPane) SetNetwork(f sim.FaultSettings, r sim.RetryPolicy) {
	s.snap.Faults, s.snap.Retry = f, r
}

// FirstPath is the first resource the server holds, or "".
func (s *serverPane) FirstPath() string {
	if len(s.snap.Resources) == 0 {
		return ""
	}
	return s.snap.Resources[0].Path
}

// Queue holds the lines of a solution after the first, filled in one by
// one as each is sent.
func (c *composer) Queue(lines []string) { c.queued = lines }

// FillNext fills in the next queued line, if any.
func (c *composer) FillNext() {
	if len(c.queued) > 0 {
		c.Fill(c.queued[0])
		c.queued = c.queued[1:]
	}
}

// SetRunning shows a repeat's progress in place of the status ("" clears it).
func (c *composer) SetRunning(text string) { c.running = text }

// Running is the repeat's progress as shown, "" when none runs.
func (c *composer) Running() string { return c.running }

// IsForm reports whether the composer shows the form rather than the line.
func (c *composer) IsForm() bool { return c.form }

// Refuse shows why what the learner submitted was not sent.
func (c *composer) Refuse(msg string) { c.err = &composerError{Field: c.field, Msg: msg} }
