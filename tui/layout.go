package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Size limits of the full screen.
const (
	MinWidth       = 60  // narrower than this: "terminal too small"
	MinHeight      = 20  // shorter than this: "terminal too small"
	SideBySideFrom = 120 // from this width the server pane sits beside the lesson
)

// rect is a pane's place on the screen, borders included.
type rect struct{ X, Y, W, H int }

func (r rect) contains(x, y int) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// inner is the content size inside the border.
func (r rect) inner() (w, h int) { return max(0, r.W-2), max(0, r.H-2) }

// layout is computed once per window size (and when the composer changes
// between its one-line and form shapes); View only reads it.
type layout struct {
	W, H     int
	TooSmall bool
	Side     bool // lesson and composer on the left, server on the right

	Lesson, Composer, Server rect
	FooterY, FooterLines     int

	layoutFor // what the panes were placed for
}

// layoutFor is what, besides the window size, decides where the panes go.
type layoutFor struct {
	Form        bool // the composer is a form, not one line
	Listen      bool // a second footer line shows the --listen address
	ServerFocus bool // the server pane has the focus
	ErrRows     int  // lines of the composer's error to make room for
	Quiz        bool // a quiz step: the lesson pane gets the height
	// Reading: the step has no request of the learner's yet, so what there
	// is to see is the lesson; the server has no exchange of this step to
	// show. The lesson pane gets the height until the first request.
	Reading bool
}

// composer heights, borders included.
const (
	composerLineHeight = 4  // request line + a status line
	composerFormHeight = 11 // method/path, 2 header lines, 4 body lines, repeat, status
)

// computeLayout places the panes. ServerFocus matters only when stacked:
// the pane with the focus gets the larger share of the height, so the
// wire view or the log has room on a small terminal. ErrRows is how many
// lines the composer's error needs: the composer grows by all but one (the
// status line it replaces), as far as the height allows. On a quiz step
// (Quiz) the stacked lesson pane takes all the height but a few lines of
// the server: the question and every choice must be in view. While the
// learner reads a step (Reading) the stacked lesson pane takes all but a
// quarter of the height (at least a few lines of the server): once a
// request was sent, the split gives the exchange and the log their room.
func computeLayout(w, h int, f layoutFor) layout {
	l := layout{W: w, H: h, layoutFor: f}
	if w < MinWidth || h < MinHeight {
		l.TooSmall = true
		return l
	}
	l.FooterLines = 1
	if f.Listen {
		l.FooterLines = 2
	}
	avail := h - l.FooterLines
	l.FooterY = avail

	ch := composerLineHeight
	if f.Form {
		ch = composerFormHeight
	}
	ch += max(0, f.ErrRows-1)

	if w >= SideBySideFrom {
		l.Side = true
		left := w / 2
		ch = min(ch, avail-6)
		l.Lesson = rect{0, 0, left, avail - ch}
		l.Composer = rect{0, avail - ch, left, ch}
		l.Server = rect{left, 0, w - left, avail}
		return l
	}

	// Stacked: lesson, composer, server. The lesson gets a little more than
	// the server because it is what the learner reads first — unless the
	// server pane has the focus.
	ch = min(ch, avail/2)
	rest := avail - ch
	lh := rest * 11 / 20
	switch {
	case f.ServerFocus:
		lh = rest * 7 / 20
	case f.Quiz:
		lh = max(lh, rest-quizServerRows)
	case f.Reading:
		lh = max(lh, rest-max(readingServerRows, rest/4))
	}
	l.Lesson = rect{0, 0, w, lh}
	l.Composer = rect{0, lh, w, ch}
	l.Server = rect{0, lh + ch, w, rest - lh}
	return l
}

// quizServerRows is the stacked server pane's height, borders included,
// on a quiz step: the resources and the newest exchange stay in sight.
// readingServerRows is the least it has while the learner reads a step:
// a resource and what the step's set-up changed in it, the chart's line
// and the log's newest line.
const (
	quizServerRows    = 5
	readingServerRows = 6
)

// tooSmallText is the whole screen when the terminal is below the minimum.
func tooSmallText(w, h int) string {
	msg := fmt.Sprintf("terminal too small (need %d×%d, have %d×%d)", MinWidth, MinHeight, w, h)
	if w <= 0 || h <= 0 {
		return msg
	}
	lines := make([]string, 0, h)
	wrapped := strings.Split(ansi.Wrap(msg, max(1, w), " "), "\n")
	top := max(0, (h-len(wrapped))/2)
	for range top {
		lines = append(lines, "")
	}
	for _, ln := range wrapped {
		pad := max(0, (w-ansi.StringWidth(ln))/2)
		lines = append(lines, strings.Repeat(" ", pad)+ln)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	return strings.Join(lines, "\n")
}

// fitLine cuts or pads a (styled) line to exactly w cells.
func fitLine(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	if sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

// border runes: light for panes without focus, heavy for the focused one,
// so focus shows without colour.
type borderRunes struct{ tl, tr, bl, br, h, v string }

var (
	lightBorder = borderRunes{"┌", "┐", "└", "┘", "─", "│"}
	heavyBorder = borderRunes{"┏", "┓", "┗", "┛", "━", "┃"}
)

// drawBox draws a pane: a titled border around body lines, exactly r.W×r.H.
// right is an optional note drawn at the right end of the top border.
// Lines are cut or padded to the inner width, unless fitted says they
// already have it (built that way in Update), which saves measuring every
// line on every frame. The screen draws through frameMemo.box.
func (s *Styles) drawBox(r rect, title, right string, body []string, focused, fitted bool) string {
	if r.W < 2 || r.H < 2 {
		return ""
	}
	return r.frame(s.boxEdges(r.W, title, right, focused), body, fitted)
}

// boxEdges is a box's border drawn for a width: the top line with the
// title and the note, the left and right side, the bottom line.
type boxEdges struct{ top, side, bottom string }

func (s *Styles) boxEdges(w int, title, right string, focused bool) boxEdges {
	b := lightBorder
	bs, ts := s.Border, s.PaneTitle
	if focused {
		b = heavyBorder
		bs, ts = s.BorderFocused, s.PaneTitleFocused
	}
	iw := w - 2

	var sb strings.Builder
	// Top border: ┌ title ───── right ┐
	// The note on the right (position, mode, network) is short and says
	// something the title does not; the title gives way first.
	rightText := ""
	if right != "" && iw >= 24 {
		// Half the width, or all that a short title leaves.
		room := max(iw/2, iw-ansi.StringWidth(title)-6)
		rightText = " " + ansi.Truncate(right, room, "…") + " "
	}
	titleText := ""
	if title != "" {
		room := iw - 1 - ansi.StringWidth(rightText) - 3
		if room < 4 {
			rightText = ""
			room = iw - 3
		}
		titleText = " " + ansi.Truncate(title, max(1, room), "…") + " "
	}
	fill := max(0, iw-ansi.StringWidth(titleText)-ansi.StringWidth(rightText)-1)
	sb.WriteString(bs.Render(b.tl + b.h))
	if titleText != "" {
		sb.WriteString(ts.Render(titleText))
	}
	if fill > 0 {
		sb.WriteString(bs.Render(strings.Repeat(b.h, fill)))
	}
	if rightText != "" {
		sb.WriteString(s.Muted.Render(rightText))
	}
	// The first ─ after ┌ already took one cell; pad if title was cut.
	used := 1 + ansi.StringWidth(titleText) + fill + ansi.StringWidth(rightText)
	if used < iw {
		sb.WriteString(bs.Render(strings.Repeat(b.h, iw-used)))
	}
	sb.WriteString(bs.Render(b.tr))
	return boxEdges{top: sb.String(), side: bs.Render(b.v), bottom: bs.Render(b.bl + strings.Repeat(b.h, iw) + b.br)}
}

// frame puts body lines inside the edges, r.W×r.H.
func (r rect) frame(e boxEdges, body []string, fitted bool) string {
	iw, ih := r.inner()
	var sb strings.Builder
	sb.Grow(len(e.top) + len(e.bottom) + ih*(2*len(e.side)+iw+1) + 1)
	sb.WriteString(e.top)
	sb.WriteByte('\n')
	for i := range ih {
		sb.WriteString(e.side)
		switch {
		case i >= len(body) || body[i] == "":
			for range iw {
				sb.WriteByte(' ')
			}
		case fitted:
			sb.WriteString(body[i])
		default:
			sb.WriteString(fitLine(body[i], iw))
		}
		sb.WriteString(e.side)
		sb.WriteByte('\n')
	}
	sb.WriteString(e.bottom)
	return sb.String()
}

// overlayRect is where a centred box goes over the screen (help, contents,
// welcome).
func overlayRect(l layout, wantW, wantH int) rect {
	w := min(wantW, l.W-4)
	h := min(wantH, l.H-2)
	return rect{X: (l.W - w) / 2, Y: max(0, (l.H-h)/2-1), W: w, H: h}
}

// placeOver puts the box lines of top over the screen lines of base at r.
func placeOver(base string, top string, r rect) string {
	bl := strings.Split(base, "\n")
	tl := strings.Split(top, "\n")
	for i, t := range tl {
		y := r.Y + i
		if y < 0 || y >= len(bl) {
			continue
		}
		line := bl[y]
		left := ansi.Cut(line, 0, r.X)
		if w := ansi.StringWidth(left); w < r.X {
			left += strings.Repeat(" ", r.X-w)
		}
		right := ansi.Cut(line, r.X+r.W, ansi.StringWidth(line))
		// Reset after the cut so a style open in the base line does not
		// leak into the overlay.
		bl[y] = left + ansi.ResetStyle + t + ansi.ResetStyle + right
	}
	return strings.Join(bl, "\n")
}
