package tui

import (
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The chart plots one value (the balance by default) after every exchange,
// so that PUT ×100 draws a flat line and POST interest ×100 a curve. It is
// scaled from the smallest to the largest value plotted; a series that never
// changes is drawn half-way up, so that "flat" is visible and not mistaken
// for an empty chart. When there are more values than columns, the whole
// history is squeezed into the width (the first and the last value always
// keep their column), so the flat part and the curve stay side by side.

// sparkBlocks are the eighths of a cell, from one eighth to a full block.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// chartRows is how many rows of plot a server pane of inner height h gets:
// 0 means the one-line form, a short sparkline beside the value. The plot
// grows with the height, so that a projector's tall pane shows the shape
// large.
func chartRows(h int) int {
	switch {
	case h < 10:
		return 0
	case h < 20:
		return 1
	case h < 40:
		return (h - 14) / 3
	default: // a projector or a big monitor: the shape is what the room reads
		return (h - 14) / 2
	}
}

// chartHeight is the chart's height in lines: the header and the plot,
// and below a plot of two rows or more, the axis with the first and last
// values.
func (s *serverPane) chartHeight() int {
	switch r := chartRows(s.h); r {
	case 0:
		return 1
	case 1:
		return 2
	default:
		return r + 2
	}
}

// resample picks width values from values, evenly spread over the whole
// series, keeping the first and the last. Fewer values than columns are
// returned as they are.
func resample(values []float64, width int) []float64 {
	n := len(values)
	if width <= 0 || n == 0 {
		return nil
	}
	if n <= width {
		return values
	}
	if width == 1 {
		return values[n-1:]
	}
	idx := make([]int, width)
	for i := range idx {
		idx[i] = int(math.Round(float64(i) * float64(n-1) / float64(width-1)))
	}
	// The extremes keep a column (the nearest one), so that the tallest
	// bar reaches the top and the lowest the bottom, as the labels say.
	iLo, iHi := extremes(values)
	for _, keep := range []int{iLo, iHi} {
		if keep == 0 || keep == n-1 || width < 3 {
			continue // the first and the last values always have a column
		}
		col := int(math.Round(float64(keep) * float64(width-1) / float64(n-1)))
		idx[min(max(col, 1), width-2)] = keep
	}
	out := make([]float64, width)
	for i, j := range idx {
		out[i] = values[j]
	}
	return out
}

// plotRows draws values as a line rows cells high, top row first, scaled so
// that lo is the lowest eighth of a cell and hi the top one; lo == hi draws
// every column half-way up. Each column is drawn from its value down to the
// previous column's, so a jump stays connected and a flat run is a line.
func plotRows(values []float64, lo, hi float64, rows int) []string {
	if rows <= 0 {
		return nil
	}
	total := rows * 8
	levels := make([]int, len(values)) // in eighths, 1..total
	for i, v := range values {
		lv := flatLevel(rows)
		if hi > lo {
			lv = 1 + int(math.Round((v-lo)/(hi-lo)*float64(total-1)))
		}
		levels[i] = min(max(lv, 1), total)
	}
	grid := make([][]rune, rows)
	for r := range grid {
		grid[r] = []rune(strings.Repeat(" ", len(levels)))
	}
	for i, lv := range levels {
		from := lv
		if i > 0 {
			from = min(from, levels[i-1])
		}
		top := (lv - 1) / 8      // the row (from the bottom) the value ends in
		bottom := (from - 1) / 8 // the lowest row the column reaches
		for rb := bottom; rb <= top; rb++ {
			fill := 8
			if rb == top {
				fill = lv - top*8
			}
			grid[rows-1-rb][i] = sparkBlocks[fill-1]
		}
	}
	out := make([]string, rows)
	for r, row := range grid {
		out[r] = string(row)
	}
	return out
}

// flatLevel is where a series that never changed is drawn, in eighths from
// the bottom: half-way up the middle row, or just above the middle when the
// number of rows is even, so that it reads as a line in the middle.
func flatLevel(rows int) int {
	if rows%2 == 1 {
		return rows/2*8 + 4
	}
	return rows/2*8 + 1
}

// sparkline is a one-row plot of the whole series squeezed into width.
func sparkline(values []float64, width int) string {
	cols := resample(values, width)
	if len(cols) == 0 {
		return ""
	}
	lo, hi := minMax(values)
	return plotRows(cols, lo, hi, 1)[0]
}

// minMax returns the smallest and largest values (0, 0 for none).
func minMax(values []float64) (lo, hi float64) {
	i, j := extremes(values)
	if i < 0 {
		return 0, 0
	}
	return values[i], values[j]
}

// extremes returns the indexes of the smallest and largest values, -1 for
// an empty series.
func extremes(values []float64) (lo, hi int) {
	if len(values) == 0 {
		return -1, -1
	}
	for i, v := range values {
		if v < values[lo] {
			lo = i
		}
		if v > values[hi] {
			hi = i
		}
	}
	return lo, hi
}

// rebuildChart draws the chart's lines for the current series and size.
// Update calls it whenever either changes; View only copies the lines.
func (s *serverPane) rebuildChart() {
	w := s.w
	if w <= 0 {
		s.chartLines = nil
		return
	}
	st := s.st
	label := s.chart.label()
	cur := "—"
	if s.has {
		cur = s.curText
	}
	n := len(s.values)
	first, last := "", ""
	if n > 0 {
		first, last = s.texts[0], s.texts[n-1]
	}
	rows := chartRows(s.h)

	if rows == 0 {
		note := label + " = " + cur
		if n > 1 && first != last {
			note += " (first " + first + ")"
		}
		sw := min(n, max(0, w-ansi.StringWidth(note)-2), max(8, w/2))
		s.chartLines = []string{fitLine(st.Chart.Render(sparkline(s.values, sw))+"  "+st.Muted.Render(note), w)}
		return
	}

	// Header: what is plotted and its value now; the key to change it when
	// there is room.
	head := st.Muted.Render("── "+label+" = ") + st.Bold.Render(cur)
	more := []string{}
	if rows == 1 && n > 1 {
		more = append(more, "first "+first+" → last "+last)
	}
	more = append(more, "c: plot another value")
	for _, m := range more {
		piece := st.Faint.Render(" · " + m)
		if ansi.StringWidth(head)+ansi.StringWidth(piece) <= w {
			head += piece
		}
	}
	lines := []string{fitLine(head, w)}

	if rows == 1 {
		lines = append(lines, fitLine(st.Chart.Render(sparkline(s.values, w)), w))
		s.chartLines = lines
		return
	}

	// A plot with a y axis labelled with the largest and smallest values
	// (one label half-way up for a series that never changed).
	iLo, iHi := extremes(s.values)
	loText, hiText := "", ""
	if n > 0 {
		loText, hiText = s.texts[iLo], s.texts[iHi]
	}
	flat := n > 0 && s.values[iLo] == s.values[iHi]
	lw := max(ansi.StringWidth(loText), ansi.StringWidth(hiText))
	if lw > w/3 {
		lw = 0 // too narrow for labels: the header and footer carry the values
	}
	pw := max(1, w-lw-2)
	cols := resample(s.values, pw)
	var lo, hi float64
	if n > 0 {
		lo, hi = s.values[iLo], s.values[iHi]
	}
	plot := plotRows(cols, lo, hi, rows)
	mid := rows - 1 - (flatLevel(rows)-1)/8 // the row a flat series is drawn in
	for r, p := range plot {
		lab, tick := "", "│"
		switch {
		case lw == 0:
		case flat && r == mid:
			lab, tick = hiText, "┤"
		case !flat && r == 0:
			lab, tick = hiText, "┤"
		case !flat && r == rows-1:
			lab, tick = loText, "┤"
		}
		axis := ""
		if lw > 0 {
			axis = st.Muted.Render(strings.Repeat(" ", lw-ansi.StringWidth(lab))+lab) + st.Faint.Render(" "+tick)
		} else {
			axis = st.Faint.Render(" " + tick)
		}
		lines = append(lines, fitLine(axis+st.Chart.Render(p), w))
	}

	// Footer: the first and the last value, and over how many requests.
	var foot string
	switch {
	case n == 0:
		foot = "nothing to plot"
	case s.reqs == 0:
		foot = "now " + last + " · the chart grows as you send requests"
	default:
		foot = "first " + first + " → last " + last + " · " + plural(s.reqs, "request")
	}
	lines = append(lines, fitLine(st.Faint.Render(strings.Repeat(" ", lw)+" └ "+foot), w))
	s.chartLines = lines
}
