package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/chart"
)

// The server pane's chart: the value package chart follows, drawn to fit
// the pane — a sparkline beside the value when the pane is short, a plot
// with an axis when there is room.

// chartRows is how many rows of plot a server pane of inner height h gets:
// 0 means the one-line form, a short sparkline beside the value. The plot
// grows with the height, so that a tall pane shows the shape large.
func chartRows(h int) int {
	switch {
	case h < 10:
		return 0
	case h < 20:
		return 1
	case h < 40:
		return (h - 14) / 3
	default: // a big monitor: the shape is what the eye reads
		return (h - 14) / 2
	}
}

// chartHeight is the chart's height in lines: the header and the plot,
// and below a plot of two rows or more, the axis with the first and last
// values.
func (s *serverPane) chartHeight() int {
	if s.brief() {
		return 0
	}
	switch r := chartRows(s.h); r {
	case 0:
		return 1
	case 1:
		return 2
	default:
		return r + 2
	}
}

// chartRow is one row of the plot as drawn: its axis label and tick, its
// blocks, and the line drawn from them.
type chartRow struct {
	lab, tick, blocks string
	line              string
}

// chartRowsFor is what every row of the plot was drawn for.
type chartRowsFor struct {
	w, lw int
	st    *Styles
}

// rebuildChart draws the chart's lines for the current series and size.
// Update calls it whenever either changes; View only copies the lines.
func (s *serverPane) rebuildChart() {
	s.touch()
	w := s.w
	if w <= 0 {
		s.chartLines = nil
		return
	}
	st := s.st
	label := s.series.Spec.Label()
	// Values too long for a third of the width are given short.
	short := func(text string, v float64) string { return chart.Short(text, v, w/3) }
	cur := "—"
	if s.series.Has {
		cur = short(s.series.CurText, s.series.Cur)
	}
	n := len(s.series.Values)
	first, last := "", ""
	if n > 0 {
		first, last = short(s.series.First(), s.series.Values[0]), short(s.series.Last(), s.series.Values[n-1])
	}
	rows := chartRows(s.h)

	// A value beyond float64's range is there but cannot be drawn: the
	// line stops at the last value that could be, and the chart says why.
	const tooLarge = "too large to plot"
	if rows == 0 {
		note := label + " = " + cur
		if s.series.TooLarge() {
			note += " (" + tooLarge + ")"
		}
		if n > 1 && first != last {
			note += " (first " + first + ")"
		}
		sw := min(n, max(0, w-ansi.StringWidth(note)-2), max(8, w/2))
		s.chartLines = []string{fitLine(st.Chart.Render(chart.Sparkline(s.series.Values, sw))+"  "+st.Muted.Render(note), w)}
		return
	}

	// Header: what is plotted and its value now; the key to change it when
	// there is room.
	head := st.Muted.Render("── "+label+" = ") + st.Bold.Render(cur)
	more := []string{}
	if s.series.TooLarge() {
		more = append(more, tooLarge)
	}
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
		lines = append(lines, fitLine(st.Chart.Render(chart.Sparkline(s.series.Values, w)), w))
		s.chartLines = lines
		return
	}

	// A plot with a y axis labelled with the largest and smallest values
	// (one label half-way up for a series that never changed).
	iLo, iHi := chart.Extremes(s.series.Values)
	loText, hiText := "", ""
	if n > 0 {
		loText, hiText = s.series.Texts[iLo], s.series.Texts[iHi]
	}
	flat := n > 0 && s.series.Values[iLo] == s.series.Values[iHi]
	if n > 0 {
		loText, hiText = short(loText, s.series.Values[iLo]), short(hiText, s.series.Values[iHi])
	}
	lw := max(ansi.StringWidth(loText), ansi.StringWidth(hiText))
	if lw > w/3 {
		lw = 0 // too narrow for labels: the header and footer carry the values
	}
	pw := max(1, w-lw-2)
	cols := chart.Resample(s.series.Values, pw)
	var lo, hi float64
	if n > 0 {
		lo, hi = s.series.Values[iLo], s.series.Values[iHi]
	}
	plot := chart.PlotRows(cols, lo, hi, rows)
	mid := chart.FlatRow(rows)
	// Most batches of a repeat leave the plot as it was (a flat line, a
	// curve squeezed into the same columns): a row drawn from the same
	// label and blocks as last time is kept as it was drawn.
	memo := s.chartRows
	if s.chartRowsFor != (chartRowsFor{w: w, lw: lw, st: st}) {
		memo = nil
	}
	s.chartRowsFor = chartRowsFor{w: w, lw: lw, st: st}
	s.chartRows = s.chartRows[:0:0]
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
		row := chartRow{lab: lab, tick: tick, blocks: p}
		if r < len(memo) && memo[r].lab == lab && memo[r].tick == tick && memo[r].blocks == p {
			row.line = memo[r].line
		} else {
			axis := ""
			if lw > 0 {
				axis = st.Muted.Render(strings.Repeat(" ", lw-ansi.StringWidth(lab))+lab) + st.Faint.Render(" "+tick)
			} else {
				axis = st.Faint.Render(" " + tick)
			}
			row.line = fitLine(axis+st.Chart.Render(p), w)
		}
		s.chartRows = append(s.chartRows, row)
		lines = append(lines, row.line)
	}

	// Footer: the first and the last value, and over how many requests.
	var foot string
	switch {
	case n == 0:
		foot = "nothing to plot"
	case s.series.Reqs == 0:
		foot = "now " + last + " · the chart grows as you send requests"
	default:
		foot = "first " + first + " → last " + last + " · " + plural(s.series.Reqs, "request")
	}
	lines = append(lines, fitLine(st.Faint.Render(strings.Repeat(" ", lw)+" └ "+foot), w))
	s.chartLines = lines
}
