package tui

import "strconv"

// scroller is a window of h lines over a longer list of pre-rendered lines.
// Cheaper than a viewport: View slices, it never re-styles.
type scroller struct {
	lines []string
	off   int
	h     int
}

func (s *scroller) SetLines(lines []string) {
	s.lines = lines
	s.clamp()
}

func (s *scroller) SetHeight(h int) {
	s.h = max(0, h)
	s.clamp()
}

func (s *scroller) maxOff() int { return max(0, len(s.lines)-s.h) }

func (s *scroller) clamp() { s.off = min(max(0, s.off), s.maxOff()) }

func (s *scroller) ScrollBy(n int) { s.off += n; s.clamp() }
func (s *scroller) PageDown()      { s.ScrollBy(max(1, s.h-1)) }
func (s *scroller) PageUp()        { s.ScrollBy(-max(1, s.h-1)) }
func (s *scroller) Top()           { s.off = 0 }
func (s *scroller) Bottom()        { s.off = s.maxOff() }
func (s *scroller) SetOffset(n int) {
	s.off = n
	s.clamp()
}

// Show scrolls just enough for line i to be visible.
func (s *scroller) Show(i int) {
	if i < s.off {
		s.off = i
	} else if i >= s.off+s.h {
		s.off = i - s.h + 1
	}
	s.clamp()
}

func (s scroller) Visible() []string {
	end := min(len(s.lines), s.off+s.h)
	if s.off >= end {
		return nil
	}
	return s.lines[s.off:end]
}

// Position describes the scroll position for a pane title ("42%"), empty
// when everything fits.
func (s scroller) Position() string {
	if len(s.lines) <= s.h || s.h == 0 {
		return ""
	}
	pct := 100
	if m := s.maxOff(); m > 0 {
		pct = s.off * 100 / m
	}
	return strconv.Itoa(pct) + "%"
}
