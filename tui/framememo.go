package tui

import (
	"slices"
	"strings"
)

// frameMemo keeps the last frame and the boxes it was made of, so that a
// View with the same inputs as the last one costs comparisons, not drawing.
// Bubble Tea asks for a View after every message (about three per batch of
// a repeat) and most of them change one pane or none; the boxes whose
// title, note, lines and focus did not change are reused as they were, and
// a frame whose parts did not change is returned whole. It lives in shared:
// every copy of the Model draws through it, and only the event loop does.
type frameMemo struct {
	boxes [boxSlots]boxMemo

	side              bool
	lesson, comp, srv string
	footer            string
	body              string // the panes and the footer, before any overlay
	overBase, overBox string
	overRect          rect
	overlaid          string // body with the overlay box placed over it

	help struct { // the help box's lines (see Model.helpBox)
		w     int
		st    *Styles
		lines []string
	}
}

// The boxes a frame is made of, each remembered on its own.
const (
	boxLesson = iota
	boxComposer
	boxServer
	boxOverlay
	boxSlots
)

// boxMemo is one box's inputs and the text drawn from them.
type boxMemo struct {
	ok           bool
	st           *Styles
	r            rect
	title, right string
	body         []string
	focused      bool
	fitted       bool
	out          string
	edgesFor     edgesFor
	edges        boxEdges // the border drawn for edgesFor
}

// box is Styles.drawBox through the memo of slot: the same inputs as last
// time give the same text without drawing it again.
func (fm *frameMemo) box(slot int, st *Styles, r rect, title, right string, body []string, focused, fitted bool) string {
	b := &fm.boxes[slot]
	if b.ok && b.st == st && b.r == r && b.title == title && b.right == right &&
		b.focused == focused && b.fitted == fitted && slices.Equal(b.body, body) {
		return b.out
	}
	out := ""
	if r.W >= 2 && r.H >= 2 {
		// A box drawn again is most often the same border around new lines.
		if ef := (edgesFor{st: st, w: r.W, title: title, right: right, focused: focused}); ef != b.edgesFor {
			b.edgesFor, b.edges = ef, st.boxEdges(r.W, title, right, focused)
		}
		out = r.frame(b.edges, body, fitted)
	}
	// The body may be a window on a pane's own lines, which the pane
	// changes later: keep a copy of what was drawn.
	*b = boxMemo{ok: true, st: st, r: r, title: title, right: right, body: append(b.body[:0], body...),
		focused: focused, fitted: fitted, out: out, edgesFor: b.edgesFor, edges: b.edges}
	return out
}

// edgesFor is what a box's border was drawn for.
type edgesFor struct {
	st           *Styles
	w            int
	title, right string
	focused      bool
}

// join is the panes and the footer as one block: side by side (lesson and
// request on the left, server on the right) or stacked.
func (fm *frameMemo) join(side bool, lesson, comp, srv, footer string) string {
	if fm.body != "" && side == fm.side && lesson == fm.lesson && comp == fm.comp && srv == fm.srv && footer == fm.footer {
		return fm.body
	}
	// One copy into a buffer of the frame's size: a frame is about 40 KB
	// in colour, and every batch of a repeat makes a new one.
	var sb strings.Builder
	sb.Grow(len(lesson) + len(comp) + len(srv) + len(footer) + 4)
	if side {
		// The lesson and the request stacked on the left, the server on
		// the right, line by line.
		ls, cs, rs := lineIter{s: lesson}, lineIter{s: comp}, lineIter{s: srv}
		for i := 0; ; i++ {
			l, ok := ls.next()
			if !ok {
				l, ok = cs.next()
			}
			r, rok := rs.next()
			if !ok && !rok {
				break
			}
			if i > 0 {
				sb.WriteByte('\n')
			}
			sb.WriteString(l)
			sb.WriteString(r)
		}
	} else {
		sb.WriteString(lesson)
		sb.WriteByte('\n')
		sb.WriteString(comp)
		sb.WriteByte('\n')
		sb.WriteString(srv)
	}
	sb.WriteByte('\n')
	sb.WriteString(footer)
	body := sb.String()
	fm.side, fm.lesson, fm.comp, fm.srv, fm.footer, fm.body = side, lesson, comp, srv, footer, body
	return body
}

// lineIter gives the lines of s one by one, as strings.Split(s, "\n")
// would, without making the slice.
type lineIter struct {
	s    string
	done bool
}

func (it *lineIter) next() (string, bool) {
	if it.done {
		return "", false
	}
	i := strings.IndexByte(it.s, '\n')
	if i < 0 {
		it.done = true
		return it.s, true
	}
	line := it.s[:i]
	it.s = it.s[i+1:]
	return line, true
}

// over is placeOver through the memo.
func (fm *frameMemo) over(base, box string, r rect) string {
	if fm.overlaid != "" && base == fm.overBase && box == fm.overBox && r == fm.overRect {
		return fm.overlaid
	}
	fm.overBase, fm.overBox, fm.overRect = base, box, r
	fm.overlaid = placeOver(base, box, r)
	return fm.overlaid
}
