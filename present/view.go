package present

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/chart"
	"github.com/putpost/putpost/exchange"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// Smallest screen the presenter draws on.
const (
	minWidth  = 60
	minHeight = 20
)

// View draws the projector screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.Screen())
	v.AltScreen = true
	v.WindowTitle = "putpost present — " + termsafe.Cut(m.demo.Title, 80)
	return v
}

// Screen is the frame as text with styles, exactly w×h, as the last Update
// drew it.
func (m Model) Screen() string { return m.frame }

// render draws the frame.
func (m Model) render() string {
	w, h := m.w, m.h
	if w <= 0 || h <= 0 {
		return ""
	}
	if w < minWidth || h < minHeight {
		return fill([]string{fit(m.st.Bold.Render(fmt.Sprintf("The presenter needs at least %d×%d; this terminal is %d×%d.", minWidth, minHeight, w, h)), w), fit("Make the window larger, or q to quit.", w)}, w, h)
	}
	top := m.topLines(w)
	bottom := m.bottomLines(w)
	room := h - len(top) - len(bottom)
	var middle []string
	if m.help {
		middle = m.helpLines(w, room)
	} else {
		value := m.valueLines(w, room)
		rows := room - len(value)
		// A wide screen lists the newest exchanges beside the chart: the
		// room sees the ×100 go by, not only its sum.
		if lw := recentWidth(w); lw > 0 && rows >= 8 {
			chartW := w - lw - 2
			cl := m.chartLines(chartW, rows)
			rl := m.recentLines(lw, rows)
			for i := range cl {
				cl[i] = fit(cl[i], chartW) + "  " + rl[i]
			}
			middle = append(value, cl...)
		} else {
			middle = append(value, m.chartLines(w, rows)...)
		}
	}
	lines := append(append(top, middle...), bottom...)
	return fill(lines, w, h)
}

// topLines: the title bar with the position, then the caption.
func (m Model) topLines(w int) []string {
	st := m.st
	total := len(m.demo.Steps)
	pos := fmt.Sprintf("step %d/%d", min(m.pos+1, total), total)
	if m.pos >= total {
		pos = fmt.Sprintf("done %d/%d", total, total)
	}
	if m.digits != "" {
		pos = "go to step " + m.digits + "_ ⏎"
	}
	title := " " + termsafe.Cut(m.demo.Title, 200) + " "
	right := " " + pos
	for _, b := range m.keys.ShortHelp() {
		right += " · " + b.Help().Key + " " + b.Help().Desc
	}
	right += " "
	title = ansi.Truncate(title, max(0, w-ansi.StringWidth(right)), "…")
	gap := max(0, w-ansi.StringWidth(title)-ansi.StringWidth(right))
	bar := st.Title.Render(title) + strings.Repeat(" ", gap) + st.Bold.Render(right)
	lines := []string{fit(bar, w)}

	caps := m.captions()
	if len(caps) == 0 {
		return lines
	}
	var text []string
	for _, c := range caps {
		text = append(text, wrap(termsafe.Cut(c, 1000), w-2)...)
	}
	if len(text) > 3 {
		text = append(text[:2], ansi.Truncate(text[2], w-3, "")+"…")
	}
	for _, t := range text {
		lines = append(lines, fit(" "+st.Caption.Render(t), w))
	}
	return lines
}

// captions are the caption of the step about to be sent, or of the last
// one sent when that step has none: the room reads what is happening.
func (m Model) captions() []string {
	steps := m.demo.Steps
	i := m.pos
	if m.job != nil && m.job.step >= 0 {
		i = m.job.step
	}
	for j := min(i, len(steps)-1); j >= 0; j-- {
		if len(steps[j].Captions) > 0 {
			return steps[j].Captions
		}
	}
	return nil
}

// valueLines: the watched value in block digits, its change beside it.
// valueText is the watched value as the big digits draw it.
func valueText(m Model) string {
	if !m.series.Has {
		return "—"
	}
	return termsafe.Cut(chart.Short(m.series.CurText, m.series.Cur, 40), 40)
}

func (m Model) valueLines(w, room int) []string {
	st := m.st
	label := m.series.Spec.Label()
	change := m.change
	if change == "" {
		change = "now"
	}
	side := []string{st.Dim.Render(label), changeStyle(st, change).Render(change)}
	sideW := max(ansi.StringWidth(label), ansi.StringWidth(change)) + 3

	// The largest digits that fit and leave the chart most of the room:
	// with the change beside them, or else on the line above.
	digitsText := valueText(m)
	for _, beside := range []bool{true, false} {
		for _, scale := range []int{3, 2, 1, 0} {
			dh := bigHeight(scale)
			if !beside {
				dh++
			}
			if scale > 0 && dh > room/3 {
				continue
			}
			need := bigWidth(digitsText, scale) + 1
			if beside {
				need += sideW
			}
			if need > w {
				continue
			}
			big := bigText(digitsText, scale)
			var out []string
			at := max(0, len(big)-len(side)) // level with the digits' bottom
			if !beside {
				out = append(out, fit(" "+side[1]+"  "+side[0], w))
				at = len(big)
			}
			for i, row := range big {
				line := " " + st.Value.Render(row)
				if i >= at && i-at < len(side) {
					line += "   " + side[i-at]
				}
				out = append(out, fit(line, w))
			}
			return out
		}
	}
	// Too narrow even for half blocks: bold plain text.
	return []string{fit(" "+st.Value.Render(digitsText)+"   "+side[1]+"  "+side[0], w)}
}

func changeStyle(st *Styles, change string) lipgloss.Style {
	switch {
	case strings.HasPrefix(change, "+"):
		return st.Up
	case strings.HasPrefix(change, "-"):
		return st.Down
	}
	return st.Same
}

// chartLines draws the watched value over the requests, filling rows.
func (m Model) chartLines(w, rows int) []string {
	st := m.st
	if rows <= 0 {
		return nil
	}
	s := m.series
	n := len(s.Values)
	if rows < 3 || n == 0 {
		line := ""
		if n > 0 {
			line = st.Chart.Render(chart.Sparkline(s.Values, w-2))
		}
		out := []string{fit(" "+line, w)}
		for len(out) < rows {
			out = append(out, "")
		}
		return out
	}
	plotRows := rows - 1 // the footer
	iLo, iHi := chart.Extremes(s.Values)
	short := func(i int) string { return termsafe.Cut(chart.Short(s.Texts[i], s.Values[i], 20), 20) }
	loText, hiText := short(iLo), short(iHi)
	flat := s.Values[iLo] == s.Values[iHi]
	lw := max(ansi.StringWidth(loText), ansi.StringWidth(hiText))
	pw := max(1, w-lw-3)
	plot := chart.PlotRows(stretch(chart.Resample(s.Values, pw), pw), s.Values[iLo], s.Values[iHi], plotRows)
	mid := chart.FlatRow(plotRows)
	out := make([]string, 0, rows)
	for r, p := range plot {
		lab, tick := "", "│"
		switch {
		case flat && r == mid, !flat && r == 0:
			lab, tick = hiText, "┤"
		case !flat && r == plotRows-1:
			lab, tick = loText, "┤"
		}
		axis := st.Dim.Render(strings.Repeat(" ", lw-ansi.StringWidth(lab))+lab) + st.Dim.Render(" "+tick)
		out = append(out, fit(axis+st.Chart.Render(p), w))
	}
	foot := fmt.Sprintf("first %s → last %s", short(0), short(n-1))
	if s.Reqs > 0 {
		foot += fmt.Sprintf(" · %d request", s.Reqs)
		if s.Reqs != 1 {
			foot += "s"
		}
	}
	out = append(out, fit(st.Dim.Render(strings.Repeat(" ", lw)+" └ "+foot), w))
	return out
}

// stretch widens a short series to steps of up to maxStep columns a value,
// so that a demo of five requests is a chart a room can see, not five
// columns at the left edge.
func stretch(values []float64, width int) []float64 {
	const maxStep = 6
	if len(values) == 0 {
		return values
	}
	k := min(maxStep, width/len(values))
	if k <= 1 {
		return values
	}
	out := make([]float64, 0, len(values)*k)
	for _, v := range values {
		for range k {
			out = append(out, v)
		}
	}
	return out
}

// recentWidth is the width of the list of exchanges beside the chart, 0
// when the screen is too narrow for one.
func recentWidth(w int) int {
	if w < 150 {
		return 0
	}
	return min(84, w*2/5)
}

// recentLines lists the newest exchanges, newest at the bottom, in rows
// lines of width w.
func (m Model) recentLines(w, rows int) []string {
	st := m.st
	out := []string{fit(st.Dim.Render("│ ")+st.Bold.Render("exchanges"), w)}
	evs := m.recent
	if n := rows - 1; len(evs) > n {
		evs = evs[len(evs)-n:]
	}
	for len(out)+len(evs) < rows {
		out = append(out, fit(st.Dim.Render("│"), w))
	}
	for _, ev := range evs {
		what := ev.Summary()
		if ch, ok := watchedChange(ev, m.series.Spec); ok {
			what = exchange.Status(ev) + " · " + ch
		}
		line := fmt.Sprintf("#%d %s  %s", ev.Seq, termsafe.Cut(exchange.Request(ev), 200), termsafe.Cut(what, 400))
		style := st.Text
		if ev.Response.Status >= 400 || ev.Fault != sim.FaultNone {
			style = st.Bad
		}
		out = append(out, fit(st.Dim.Render("│ ")+style.Render(ansi.Truncate(line, w-2, "…")), w))
	}
	return out
}

// watchedChange says what an exchange did to the watched value:
// "100.00 → 110.00", or "" and false when it did not touch it.
func watchedChange(ev sim.Event, spec chart.Spec) (string, bool) {
	if spec.Field == "" {
		return "", false
	}
	for _, c := range ev.Changes {
		if c.Path != spec.Path {
			continue
		}
		_, before, okB := chart.NumberField(c.Before, spec.Field)
		_, after, okA := chart.NumberField(c.After, spec.Field)
		if okB && okA {
			b, sep, a := sim.FieldChange{Field: spec.Field, Before: before, After: after}.Display()
			return b + sep + a, true
		}
	}
	return "", false
}

// bottomLines: the request being sent (or the last one), the last
// response with its key headers and body, what comes next, and the keys.
func (m Model) bottomLines(w int) []string {
	st := m.st
	var lines []string

	// The request.
	var req string
	switch {
	case m.job != nil && m.job.step >= 0:
		s := m.demo.Steps[m.job.step]
		req = "→ " + termsafe.Cut(s.Text, 400)
		if m.job.total > 1 {
			req += fmt.Sprintf("   sending %d/%d · x finish", m.job.sent, m.job.total)
		}
	case m.last != nil:
		req = "→ " + termsafe.Cut(exchange.Request(*m.last), 400)
		if attempt, ok := exchange.Retried(*m.last); ok {
			req += fmt.Sprintf("   (retry, attempt %d)", attempt)
		}
	default:
		req = "→ nothing sent yet"
	}
	lines = append(lines, fit(" "+st.Request.Render(ansi.Truncate(req, w-2, "…")), w))

	// The response.
	resp, body := "← no response yet", ""
	if ev := m.last; ev != nil {
		resp = "← " + exchange.Status(*ev)
		for _, hd := range exchange.Headers(*ev) {
			resp += "   " + hd.Name + ": " + termsafe.Cut(hd.Value, 200)
		}
		body = termsafe.CutBytes(ev.Response.Body, 600)
	}
	style := st.Response
	if m.last != nil && (m.last.Response.Status >= 400 || m.last.Fault != sim.FaultNone) {
		style = st.Bad
	}
	if ev := m.last; ev != nil && ev.Response.Status > 0 && m.h >= 40 {
		// A tall screen has room for the status code in block digits, the
		// status line, headers and body beside it.
		big := bigText(strconv.Itoa(ev.Response.Status), 0)
		side := []string{style.Render(resp), st.Text.Render(body), ""}
		if attempt, ok := exchange.Retried(*ev); ok {
			side[2] = st.Dim.Render(fmt.Sprintf("after a retry (attempt %d)", attempt))
		}
		for i, row := range big {
			room := max(0, w-ansi.StringWidth(row)-5)
			lines = append(lines, fit(" "+style.Render(row)+"   "+ansi.Truncate(side[i], room, "…"), w))
		}
	} else {
		lines = append(lines, fit(" "+style.Render(ansi.Truncate(resp, w-2, "…")), w))
		lines = append(lines, fit("   "+st.Text.Render(ansi.Truncate(body, w-4, "…")), w))
	}

	// What comes next, or a notice.
	next := ""
	switch {
	case m.msg != "":
		next = st.Bad.Render(ansi.Truncate(m.msg, w-2, "…"))
	case m.pos < len(m.demo.Steps):
		next = st.Next.Render(ansi.Truncate(fmt.Sprintf("next %d ▸ %s", m.pos+1, termsafe.Cut(m.demo.Steps[m.pos].Text, 400)), w-2, "…"))
	default:
		next = st.Next.Render("end of the demo · ← back · r restart")
	}
	lines = append(lines, fit(" "+next, w))

	return lines
}

// helpLines is the ? screen: every key with what it does.
func (m Model) helpLines(w, rows int) []string {
	st := m.st
	out := []string{"", fit(" "+st.Caption.Render("Keys"), w), ""}
	for _, b := range m.keys.FullHelp()[0] {
		out = append(out, fit(fmt.Sprintf("   %s  %s", st.Key.Render(fmt.Sprintf("%-8s", b.Help().Key)), st.Text.Render(b.Help().Desc)), w))
	}
	out = append(out, "", fit("   "+st.Dim.Render("Any other key closes this."), w))
	for len(out) < rows {
		out = append(out, "")
	}
	return out[:max(0, rows)]
}

// fit cuts or pads a styled line to exactly w columns.
func fit(s string, w int) string {
	s = ansi.Truncate(s, w, "")
	if pad := w - ansi.StringWidth(s); pad > 0 {
		s += strings.Repeat(" ", pad)
	}
	return s
}

// fill makes exactly h lines of width w.
func fill(lines []string, w, h int) string {
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fit(l, w)
	}
	return strings.Join(lines, "\n")
}

// wrap breaks plain text into lines of at most w columns at spaces.
func wrap(s string, w int) []string {
	if w < 10 {
		w = 10
	}
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= w:
			line += " " + word
		default:
			out = append(out, line)
			line = word
		}
	}
	if line != "" {
		out = append(out, line)
	}
	for i, l := range out {
		out[i] = ansi.Truncate(l, w, "…")
	}
	return out
}
