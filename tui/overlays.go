package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The boxes drawn over the panes handle their own keys here; the root opens
// and closes them and acts on what they ask for.

// helpBox is the box listing every key; its text can scroll.
type helpBox struct{ sc scroller }

// Update scrolls the box for the arrow keys and reports whether a key asks
// to close it. lines and height are the box's text and inner height.
func (h *helpBox) Update(msg tea.KeyPressMsg, k KeyMap, lines []string, height int) (close bool) {
	switch {
	case key.Matches(msg, k.Up):
		h.Scroll(-1, lines, height)
	case key.Matches(msg, k.Down):
		h.Scroll(+1, lines, height)
	case key.Matches(msg, k.Close, k.Help, k.Quit):
		return true
	}
	return false
}

// Scroll moves the text by n lines. The scroller learns the lines and the
// height first: without them it has nothing to scroll over.
func (h *helpBox) Scroll(n int, lines []string, height int) {
	h.sc.SetHeight(height)
	h.sc.SetLines(lines)
	h.sc.ScrollBy(n)
}

// contentsBox is the table of contents: which lesson is selected.
type contentsBox struct{ sel int }

// contentsOut is what a key in the contents asks of the root.
type contentsOut struct {
	Open  bool // open the selected lesson
	Close bool
	Help  bool // show the keys instead
}

// Update moves the selection over n lessons, or asks to open, close or
// show the keys.
func (c *contentsBox) Update(msg tea.KeyPressMsg, k KeyMap, n int) contentsOut {
	switch {
	case msg.String() == "enter":
		return contentsOut{Open: true}
	case key.Matches(msg, k.Up):
		c.Move(-1, n)
	case key.Matches(msg, k.Down):
		c.Move(+1, n)
	case key.Matches(msg, k.Top):
		c.sel = 0
	case key.Matches(msg, k.Bottom):
		c.sel = n - 1
	case key.Matches(msg, k.Close, k.Contents, k.Quit):
		return contentsOut{Close: true}
	case key.Matches(msg, k.Help):
		return contentsOut{Help: true}
	}
	return contentsOut{}
}

// Move moves the selection by d within n lessons.
func (c *contentsBox) Move(d, n int) { c.sel = min(max(0, c.sel+d), n-1) }

// Select selects lesson i.
func (c *contentsBox) Select(i int) { c.sel = i }

// Selected is the selected lesson's index.
func (c *contentsBox) Selected() int { return c.sel }

// resetBox offers what can be reset, and asks before forgetting progress.
type resetBox struct{ ask resetChoice }

// resetOut is what a key in the reset box asks of the root.
type resetOut struct {
	Do    resetChoice // reset this now
	Close bool
	Kept  bool // the learner said no: nothing was reset
}

// Update picks an option by its keys, or answers the confirmation.
func (r *resetBox) Update(msg tea.KeyPressMsg, opts []resetOption) resetOut {
	k := msg.String()
	if r.ask != resetNone {
		switch k {
		case "y", "Y": // not ⏎: forgetting progress takes a deliberate key
			c := r.ask
			r.ask = resetNone
			return resetOut{Do: c, Close: true}
		case "n", "N", "esc", "q", "R":
			r.ask = resetNone
			return resetOut{Close: true, Kept: true}
		}
		return resetOut{}
	}
	switch k {
	case "esc", "q", "R", "c":
		return resetOut{Close: true}
	}
	for _, o := range opts {
		for _, ok := range o.keys {
			if k == ok {
				return r.Pick(o.choice)
			}
		}
	}
	return resetOut{}
}

// Pick runs a choice that keeps progress at once and asks before one that
// forgets it.
func (r *resetBox) Pick(c resetChoice) resetOut {
	switch c {
	case resetLesson, resetAll:
		r.ask = c
		return resetOut{}
	}
	return resetOut{Do: c, Close: true}
}

// Asking is the choice waiting for a yes, or resetNone.
func (r *resetBox) Asking() resetChoice { return r.ask }

// Cancel forgets a question; it reports whether one was waiting.
func (r *resetBox) Cancel() bool {
	was := r.ask != resetNone
	r.ask = resetNone
	return was
}
