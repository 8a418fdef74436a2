package tui

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/chart"
	"github.com/putpost/putpost/exchange"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// maxLog is how many exchanges the server pane keeps for its log, and
// maxLogBytes about how many bytes they may hold (sim.Event.Size): 2,000
// requests with 60 KB targets and headers would be 240 MB. The sim keeps
// its own (longer) record; this is only what the screen can scroll.
//
// Within maxLogBytes the newest entries are kept whole; older ones keep
// their row and what their wire view shows of targets and headers, and the
// first slimBytes of each body (slimEvent), which the wire view says; only
// past maxSlimLogBytes for everything are the oldest rows dropped. 8 MiB
// whole holds every exchange of a lesson (bodies under a kilobyte) and at
// least the last 25 of 100 KB bodies (request, response and state change
// hold the body three times); slimmed, a row of a flood takes a few KB.
const (
	maxLog          = 2000
	maxLogBytes     = 8 << 20
	maxSlimLogBytes = 32 << 20
	slimBytes       = maxShownBody
)

// What the pane shows at most of a string from outside (a target, a path,
// a stored body): cut before it is measured, styled or wrapped.
const (
	maxShownTarget = 512
	maxShownBody   = 2 << 10
	maxShownField  = 60
)

// resourceState is one resource as the sim had it when a snapshot was taken.
type resourceState struct {
	Path string
	Body []byte
	ETag string
}

// serverSnap is what the server pane shows of the sim, read in a tea.Cmd
// (never in Update or View) right after new events arrived.
type serverSnap struct {
	Resources []resourceState
	Faults    sim.FaultSettings
	Retry     sim.RetryPolicy
}

func takeSnap(sess *session.Session) serverSnap { return takeSnapAfter(sess, nil) }

// takeSnapAfter is takeSnap that keeps the bodies of prev, an earlier
// snapshot, whose ETag has not changed: a batch copies only the bodies it
// changed, not all the stored JSON again.
func takeSnapAfter(sess *session.Session, prev []resourceState) serverSnap {
	var snap serverSnap
	srv := sess.Server()
	kept := make(map[string]int, len(prev))
	for i, r := range prev {
		kept[r.Path] = i
	}
	for _, p := range srv.Paths() {
		if i, found := kept[p]; found {
			if etag, ok := srv.ETag(p); ok && etag == prev[i].ETag {
				snap.Resources = append(snap.Resources, prev[i])
				continue
			}
		}
		body, etag, ok := srv.Resource(p)
		if !ok {
			continue
		}
		snap.Resources = append(snap.Resources, resourceState{Path: p, Body: body, ETag: etag})
	}
	snap.Faults = sess.Faults()
	snap.Retry = sess.Retry()
	return snap
}

// logEntry is one line of the log: an event, or a run of repeats of one
// request with the same outcome (first is the run's first event, ev its
// newest), with its line rendered for the current width, or "" while it
// has not been drawn: only the entries in the log's window are drawn
// (drawWindow), so a batch of two thousand events or a resize costs what
// is visible.
type logEntry struct {
	ev        sim.Event
	first     sim.Event
	n         int  // events in the run, at least 1
	closed    bool // a step began after it: no later repeat joins the run
	line      string
	size      int // the sizes (sim.Event.Size) of first and, in a run, ev
	firstSize int
	// slim says slimEvent made ev and first; cut is what it left out of
	// ev's bodies, in bytes (request, response, state changes).
	slim bool
	cut  [3]int
}

// serverPane shows the sim: resources with what the newest exchange did,
// a chart of one value over requests, and the log of exchanges. Selecting an
// entry opens its wire view.
type serverPane struct {
	st *Styles
	w  int // inner width
	h  int // inner height

	snap    serverSnap
	changed map[string]sim.Change // by path: what the newest exchange (or undo) did
	// lastChanged is changed as it was before a batch (Apply), kept
	// to compare with.
	lastChanged map[string]sim.Change
	res         []string // resource lines, rendered when state or size changes
	resAt       int      // first line of res about the newest change

	log       []logEntry
	newest    uint64 // the newest event's Seq (see Newest)
	logBytes  int    // the sizes of log's events
	slimmed   int    // log[:slimmed] are slimmed (slimEvent) as far as they go
	slimSize  int    // the sizes of the slimmed entries, within logBytes
	logEvents int    // the events in log, each of a run included
	sel       int    // selected log entry; -1: none (follow the newest)
	off       int    // first log entry shown when not following
	follow    bool   // keep the newest entry in view

	series       chart.Series
	chartLines   []string // drawn by rebuildChart
	chartRows    []chartRow
	chartRowsFor chartRowsFor

	wire     *scroller // non-nil: the wire view of wireSeq is open
	wireSeq  uint64
	wireText []string

	xLines    []string // the shown exchange (selected, else the newest), drawn by rebuildExchange
	xDrawn    []xLine  // its laid-out lines and how each was drawn
	xDrawnFor xDrawnFor

	// gen counts the changes to what View draws: every rebuild and every
	// move of the log's window adds one (touch). View draws its lines
	// again only for another gen, position or size.
	gen       uint64
	viewFor   serverViewFor
	viewLines []string
}

// serverViewFor is what the pane's View lines were drawn for.
type serverViewFor struct {
	gen      uint64
	sel, off int
	follow   bool
	w, h     int
	st       *Styles
}

// touch notes that something View draws has changed.
func (s *serverPane) touch() { s.gen++ }

func newServerPane(st *Styles) serverPane {
	return serverPane{st: st, sel: -1, follow: true, changed: map[string]sim.Change{}}
}

func (s *serverPane) SetSize(w, h int) {
	resized := w != s.w
	s.w, s.h = w, h
	if s.sel >= 0 && s.sel < len(s.log) {
		s.ensureVisible() // a smaller window keeps the selection in view
	}
	s.redraw(resized)
}

func (s *serverPane) SetStyles(st *Styles) {
	s.st = st
	s.redraw(true)
}

// redraw renders the pane's lines again after a change of size or style;
// the log's lines only when entries is set (they depend on the width and
// the styles, not the height).
func (s *serverPane) redraw(entries bool) {
	if entries {
		for i := range s.log {
			s.log[i].line = ""
		}
	}
	s.rebuildExchange()
	s.rebuildRes()
	s.rebuildChart()
	s.drawWindow()
	if s.wire != nil {
		s.openWire(s.wireSeq)
	}
}

// Apply takes in new events and the state read after them; skipped says
// older events were left out (a flood), so the chart resyncs with the state.
// steps are the places in evs where a step began (or the step was reset):
// the index of the first event of the new step, len(evs) when none came
// yet. A run of repeats never spans them, so each step's work reads as its
// own line (a reset or an undo is a line of its own and ends a run too).
func (s *serverPane) Apply(evs []sim.Event, steps []int, snap serverSnap, skipped bool) {
	first := len(s.snap.Resources) == 0 && len(s.log) == 0
	// The resources are drawn again only if they or what the newest change
	// did are not what they were: a PUT ×N stores the same state N times.
	sameRes := s.res != nil && sameResources(s.snap.Resources, snap.Resources)
	if sameRes {
		if s.lastChanged == nil {
			s.lastChanged = map[string]sim.Change{}
		}
		clear(s.lastChanged)
		maps.Copy(s.lastChanged, s.changed)
	}
	s.snap = snap
	for i, ev := range evs {
		for len(steps) > 0 && steps[0] <= i {
			s.endRun()
			steps = steps[1:]
		}
		// Highlight what the newest exchange (or undo) changed, and only
		// that: an exchange that changed nothing (a 404, a 405, a GET)
		// leaves no marks, so none reads as its doing. A reset or restore
		// replaces everything: nothing in particular to point at.
		clear(s.changed)
		if ev.Kind != sim.KindReset && ev.Kind != sim.KindRestore {
			for _, c := range ev.Changes {
				s.changed[c.Path] = c
			}
		}
		s.newest = max(s.newest, ev.Seq)
		size := ev.Size()
		if n := len(s.log); n > 0 && !s.log[n-1].closed && exchange.Repeats(s.log[n-1].ev, ev) {
			last := &s.log[n-1]
			s.logBytes -= last.size
			last.ev, last.n, last.line = ev, last.n+1, ""
			last.size = last.firstSize + size
			s.logBytes += last.size
			s.logEvents++
			continue
		}
		s.log = append(s.log, logEntry{ev: ev, first: ev, n: 1, size: size, firstSize: size})
		s.logBytes += size
		s.logEvents++
	}
	if len(steps) > 0 {
		s.endRun()
	}
	// Keep the newest maxLog entries, the newest whole within maxLogBytes
	// and the older ones slimmed, within maxSlimLogBytes (at least one).
	drop := 0
	forget := func() {
		e := s.log[drop]
		s.logBytes -= e.size
		s.logEvents -= e.n
		if e.slim {
			s.slimSize -= e.size
		}
		drop++
	}
	for len(s.log)-drop > maxLog {
		forget()
	}
	for i := max(drop, s.slimmed); i < len(s.log)-1 && s.logBytes-s.slimSize > maxLogBytes; i++ {
		e := &s.log[i]
		s.logBytes -= e.size
		e.ev, e.cut = slimEvent(e.ev)
		if e.n > 1 {
			e.first, _ = slimEvent(e.first)
		} else {
			e.first = e.ev // the same event: one slim copy, as size counts
		}
		e.slim = true
		e.firstSize = e.first.Size()
		e.size = e.ev.Size()
		if e.n > 1 {
			e.size += e.firstSize
		}
		s.logBytes += e.size
		s.slimSize += e.size
		s.slimmed = i + 1
	}
	for drop < len(s.log)-1 && s.logBytes > maxSlimLogBytes {
		forget()
	}
	s.slimmed = max(0, s.slimmed-drop)
	if drop > 0 {
		// The entries left go on in the same array: append moves them to a
		// new one when it fills, a copy per many batches rather than one per
		// batch. The dropped entries let go of their events' bodies now.
		clear(s.log[:drop])
		s.log = s.log[drop:]
		if s.sel >= 0 {
			s.sel = max(0, s.sel-drop)
		}
		s.off = max(0, s.off-drop)
	}
	s.series.Observe(evs, chartResources(snap), first, skipped)
	s.rebuildExchange()
	if !sameRes || !maps.EqualFunc(s.lastChanged, s.changed, sameChange) {
		s.rebuildRes()
	}
	s.rebuildChart()
	s.drawWindow()
}

// sameResources reports whether two snapshots hold the same resources.
func sameResources(a, b []resourceState) bool {
	return slices.EqualFunc(a, b, func(x, y resourceState) bool {
		return x.Path == y.Path && x.ETag == y.ETag && bytes.Equal(x.Body, y.Body)
	})
}

func sameChange(a, b sim.Change) bool {
	return a.Path == b.Path && bytes.Equal(a.Before, b.Before) && bytes.Equal(a.After, b.After) &&
		(a.Before == nil) == (b.Before == nil) && (a.After == nil) == (b.After == nil)
}

// Newest is the Seq of the newest event the pane has taken in (0: none),
// whether or not the log still holds it.
func (s *serverPane) Newest() uint64 { return s.newest }

// endRun keeps later repeats out of the newest log entry's run.
func (s *serverPane) endRun() {
	if n := len(s.log); n > 0 {
		s.log[n-1].closed = true
	}
}

// events counts the events the log holds, each of a run included.
func (s *serverPane) events() int { return s.logEvents }

// drawWindow draws the log entries in the window that are not drawn yet.
// Every change of the log, its window or the pane's size calls it; View
// draws a line itself only if one was missed.
func (s *serverPane) drawWindow() {
	s.touch()
	start := s.windowStart()
	for i := start; i < min(len(s.log), start+s.logHeight()); i++ {
		if s.log[i].line == "" {
			s.log[i].line = s.renderEntry(s.log[i])
		}
	}
}

// chartResources is what the chart reads of a snapshot.
func chartResources(snap serverSnap) []chart.Resource {
	out := make([]chart.Resource, len(snap.Resources))
	for i, r := range snap.Resources {
		out[i] = chart.Resource{Path: r.Path, Body: r.Body}
	}
	return out
}

// CycleChart plots the next choice; its history comes from the server
// (HistoryWanted).
func (s *serverPane) CycleChart() {
	res := chartResources(s.snap)
	s.series.Pick(chart.Next(s.series.Spec, res), res)
	s.rebuildChart()
}

// PlotForLesson plots what a lesson asks for (nil: the pane's default),
// dropping a value the learner picked with c in another lesson.
func (s *serverPane) PlotForLesson(want *chart.Spec) {
	s.series.Plot(want, chartResources(s.snap))
	s.rebuildChart()
}

// chartHistoryMsg carries a chart's series rebuilt from the server.
type chartHistoryMsg struct {
	spec   chart.Spec
	values []float64
	texts  []string
	reqs   int
}

// chartHistoryCmd rebuilds spec's series from the session's server, off
// the UI goroutine.
func chartHistoryCmd(sess *session.Session, spec chart.Spec) tea.Cmd {
	return func() tea.Msg {
		res := chartResources(takeSnap(sess))
		values, texts, reqs := chart.History(spec, sess.Server().EventsSince(0), res)
		return chartHistoryMsg{spec: spec, values: values, texts: texts, reqs: reqs}
	}
}

// SetHistory takes a rebuilt series, if it is still for the plotted value.
func (s *serverPane) SetHistory(msg chartHistoryMsg) {
	s.series.SetHistory(msg.spec, msg.values, msg.texts, msg.reqs)
	s.rebuildChart()
}

// HistoryWanted reports (once) that the series should be rebuilt from the
// server's events, and for which value.
func (s *serverPane) HistoryWanted() (chart.Spec, bool) {
	if !s.series.Stale {
		return chart.Spec{}, false
	}
	s.series.Stale = false
	return s.series.Spec, true
}

// --- selection and scrolling -------------------------------------------

func (s *serverPane) logHeight() int {
	if s.brief() {
		return 0
	}
	return max(1, s.h-s.resHeight()-s.chartHeight()-s.exchangeHeight()-s.detailHeight()-s.logHeadHeight())
}

// brief says the pane is too short for all its parts (a quiz at 80×24
// leaves it three lines). It shows the state and the shown exchange only:
// the newest log row would repeat the exchange's status line, and the
// chart would take a line. A log entry selected (the learner reading the
// log) shows the log.
func (s *serverPane) brief() bool {
	return s.h < briefBelow && s.sel < 0 && s.shown() != nil
}

// briefSplit shares a brief pane between the state and the exchange: an
// exchange that changed something leaves the state its lines first (the
// change is the news); one that changed nothing (a 405, a GET) comes first
// with its status, the headers that teach and the server's words.
func (s *serverPane) briefSplit() (res, x int) {
	x = len(s.xLines) // at most 4, unpadded (rebuildExchange)
	if e := s.shown(); e != nil && len(e.ev.Changes) > 0 {
		res = min(len(s.res), s.h)
		return res, min(x, s.h-res)
	}
	x = min(x, s.h)
	return min(len(s.res), s.h-x), x
}

// briefBelow is the pane height under which the pane is brief: from it up,
// the exchange gets as much room as a brief pane gives it.
const briefBelow = 7

// logHeadHeight is the log's heading: none in a short pane, where every
// line goes to the state, the exchange and the newest log entry.
func (s *serverPane) logHeadHeight() int {
	if s.h < 10 {
		return 0
	}
	return 1
}

// exchangeHeight is the room for the shown exchange: none before the first,
// then a fixed share of the pane, so that the log does not jump as
// different exchanges are shown.
func (s *serverPane) exchangeHeight() int {
	if s.shown() == nil {
		return 0
	}
	switch {
	case s.brief():
		_, x := s.briefSplit()
		return x
	case s.h < 10:
		return max(0, min(4, s.h-4))
	case s.h < 20:
		return 5
	default:
		return min(10, 4+s.h/8)
	}
}

// shown is the log entry whose exchange the pane shows: the selected one,
// else the newest exchange; nil when there is none.
func (s *serverPane) shown() *logEntry {
	if s.sel >= 0 && s.sel < len(s.log) && s.log[s.sel].ev.Kind == sim.KindExchange {
		return &s.log[s.sel]
	}
	for i := len(s.log) - 1; i >= 0; i-- {
		if s.log[i].ev.Kind == sim.KindExchange {
			return &s.log[i]
		}
	}
	return nil
}

// xLine is a line of the shown exchange as laid out and as drawn.
type xLine struct {
	exchange.Line
	drawn string
}

// xDrawnFor is what every line of the shown exchange was drawn for.
type xDrawnFor struct {
	w    int
	st   *Styles
	code int // the status code, which picks the status line's colour
}

// rebuildExchange draws the shown exchange: a heading when there is room,
// then the request and status, the headers that teach and the body or the
// server's words, cut with "…" (w shows all of it).
func (s *serverPane) rebuildExchange() {
	s.touch()
	s.xLines = s.xLines[:0]
	e := s.shown()
	var h int
	if s.brief() {
		h = min(4, s.h) // briefSplit cuts it to the room left
	} else {
		h = s.exchangeHeight()
	}
	if e == nil || h == 0 || s.w <= 0 {
		return
	}
	x := exchange.Describe(e.ev)
	var first *exchange.Description
	if e.n > 1 {
		f := exchange.Describe(e.first)
		first = &f
	}
	if h >= 5 {
		// A selected row without an exchange (an undo, a reset) leaves
		// the newest exchange shown, which is not the selection.
		what, after := "last exchange", ""
		if s.sel >= 0 && s.sel < len(s.log) && e == &s.log[s.sel] {
			what = "selected"
		} else if last := &s.log[len(s.log)-1]; last != e {
			// An undo, reset or restore came after it: the state above is
			// not what this exchange left.
			after = fmt.Sprintf(" · before the %s #%d", last.ev.Kind, last.ev.Seq)
		}
		seq := fmt.Sprintf("#%d", x.Seq)
		if e.n > 1 {
			seq = fmt.Sprintf("#%d–%d", e.first.Seq, x.Seq)
		}
		head := s.st.Muted.Render("── "+what+" · "+seq+" · "+x.From+after) + s.st.Faint.Render(" · w: all of it")
		s.xLines = append(s.xLines, fitLine(head, s.w))
		h--
	}
	// The exchange shown changes with every batch of a repeat, most of its
	// lines do not: a line laid out as last time is kept as it was drawn.
	memo := s.xDrawn
	if s.xDrawnFor != (xDrawnFor{w: s.w, st: s.st, code: x.Code}) {
		memo = nil
	}
	s.xDrawnFor = xDrawnFor{w: s.w, st: s.st, code: x.Code}
	s.xDrawn = s.xDrawn[:0:0]
	for i, l := range x.Lines(s.w, h, first, e.n) {
		if i < len(memo) && memo[i].Line == l {
			s.xDrawn = append(s.xDrawn, memo[i])
			s.xLines = append(s.xLines, memo[i].drawn)
			continue
		}
		var drawn string
		switch l.Kind {
		case exchange.LineStatus:
			drawn = fitLine(s.st.statusStyle(x.Code).Render(l.Text), s.w)
		case exchange.LineFirst:
			drawn = fitLine(s.st.Muted.Render(l.Text), s.w)
		case exchange.LineHeader:
			name, value, _ := strings.Cut(l.Text, ": ")
			drawn = fitLine(s.st.Bold.Render(name+":")+" "+s.st.Text.Render(value), s.w)
		case exchange.LineError:
			drawn = fitLine(s.st.Fail.Render(l.Text), s.w)
		default:
			drawn = fitLine(s.st.Text.Render(l.Text), s.w)
		}
		s.xDrawn = append(s.xDrawn, xLine{Line: l, drawn: drawn})
		s.xLines = append(s.xLines, drawn)
	}
	if s.brief() {
		return
	}
	for len(s.xLines) < s.exchangeHeight() {
		s.xLines = append(s.xLines, "")
	}
}

func (s *serverPane) detailHeight() int {
	if s.sel >= 0 && s.h >= 14 {
		return 1
	}
	return 0
}

// Move moves the log selection (down > 0 moves to newer entries).
func (s *serverPane) Move(n int) {
	if s.wire != nil {
		s.wire.ScrollBy(n)
		return
	}
	if len(s.log) == 0 {
		return
	}
	if s.sel < 0 {
		// The first move selects the newest entry; down goes no further.
		s.sel = len(s.log) - 1
		if n > 0 {
			n = 0
		}
	}
	s.sel = min(max(0, s.sel+n), len(s.log)-1)
	s.follow = s.sel == len(s.log)-1
	s.ensureVisible()
	s.rebuildExchange()
	s.drawWindow()
}

func (s *serverPane) Page(dir int) {
	if s.wire != nil {
		if dir > 0 {
			s.wire.PageDown()
		} else {
			s.wire.PageUp()
		}
		return
	}
	s.Move(dir * max(1, s.logHeight()-1))
}

func (s *serverPane) Home() {
	if s.wire != nil {
		s.wire.Top()
		return
	}
	if len(s.log) > 0 {
		s.sel = 0
		s.follow = false
		s.ensureVisible()
	}
	s.rebuildExchange()
	s.drawWindow()
}

func (s *serverPane) End() {
	if s.wire != nil {
		s.wire.Bottom()
		return
	}
	if len(s.log) > 0 {
		s.sel = len(s.log) - 1
	}
	s.follow = true
	s.rebuildExchange()
	s.drawWindow()
}

// Deselect drops the log selection, if any, and follows the newest entry.
func (s *serverPane) Deselect() {
	if s.sel >= 0 {
		s.sel, s.follow = -1, true
		s.rebuildExchange()
		s.drawWindow()
	}
}

// Scroll moves the log window without moving the selection (mouse wheel).
func (s *serverPane) Scroll(n int) {
	if s.wire != nil {
		s.wire.ScrollBy(n)
		return
	}
	h := s.logHeight()
	start := s.windowStart()
	s.off = min(max(0, start+n), max(0, len(s.log)-h))
	s.follow = s.off >= len(s.log)-h
	s.drawWindow()
}

func (s *serverPane) ensureVisible() {
	h := s.logHeight()
	start := s.windowStart()
	if s.sel < start {
		s.off = s.sel
	} else if s.sel >= start+h {
		s.off = s.sel - h + 1
	} else {
		s.off = start
	}
	s.follow = s.sel == len(s.log)-1
}

func (s *serverPane) windowStart() int {
	h := s.logHeight()
	if s.follow {
		return max(0, len(s.log)-h)
	}
	return min(max(0, s.off), max(0, len(s.log)-h))
}

// ClickLog selects the entry on row y of the pane's inner area, if any.
func (s *serverPane) ClickLog(y int) {
	if s.wire != nil {
		return
	}
	top := s.resHeight() + s.exchangeHeight() + s.chartHeight() + s.logHeadHeight()
	i := s.windowStart() + (y - top)
	if y >= top && i >= 0 && i < len(s.log) && y < top+s.logHeight() {
		s.sel = i
		s.follow = i == len(s.log)-1
		s.off = s.windowStart()
		s.rebuildExchange()
	}
	s.drawWindow()
}

// slimEvent is ev as an old log entry keeps it: its own copy of what the
// wire view and the log show — targets and header values up to their 2 KB,
// the first slimBytes of each body and state change — so that the sim's
// copy of the whole event can go; cut counts the body bytes left out of
// the request, the response and the changes.
func slimEvent(ev sim.Event) (sim.Event, [3]int) {
	var cut [3]int
	str := func(v string) string { return strings.Clone(v[:cutAt(v, slimBytes)]) }
	body := func(b []byte, n *int) []byte {
		if b == nil {
			return nil
		}
		k := cutAt(string(b), slimBytes)
		*n += len(b) - k
		return bytes.Clone(b[:k])
	}
	msg := func(m sim.Message, n *int) sim.Message {
		out := sim.Message{Method: str(m.Method), Target: str(m.Target), Status: m.Status, Body: body(m.Body, n)}
		if m.Header != nil {
			out.Header = make(http.Header, len(m.Header))
			for k, vs := range m.Header {
				c := make([]string, len(vs))
				for i, v := range vs {
					c[i] = str(v)
				}
				out.Header[strings.Clone(k)] = c
			}
		}
		return out
	}
	ev.Remote = strings.Clone(ev.Remote)
	req := msg(ev.Request, &cut[0])
	if cut[0] > 0 && req.Header.Get("Content-Length") == "" && req.Header.Get("Transfer-Encoding") == "" {
		// The wire view works the length out from the body: keep the
		// length that was sent.
		if req.Header == nil {
			req.Header = http.Header{}
		}
		req.Header["Content-Length"] = []string{strconv.Itoa(len(ev.Request.Body))}
	}
	ev.Request = req
	ev.Response = msg(ev.Response, &cut[1])
	if ev.Changes != nil {
		changes := make([]sim.Change, len(ev.Changes))
		for i, c := range ev.Changes {
			changes[i] = sim.Change{Path: str(c.Path), Before: body(c.Before, &cut[2]), After: body(c.After, &cut[2])}
		}
		ev.Changes = changes
	}
	return ev, cut
}

// cutAt is where to cut s to keep more than n bytes' worth of it shown:
// n+1 bytes (so that what shows it still ends in "…"), at a character's
// start.
func cutAt(s string, n int) int {
	if len(s) <= n+1 {
		return len(s)
	}
	k := n + 1
	for k > 0 && !utf8.RuneStart(s[k]) {
		k--
	}
	return k
}

// --- wire view ---------------------------------------------------------

// OpenWire opens the wire view of the selected entry (the newest if none).
func (s *serverPane) OpenWire() bool {
	if len(s.log) == 0 {
		return false
	}
	i := s.sel
	if i < 0 {
		i = len(s.log) - 1
		// Admin events have no wire; pick the newest exchange.
		for j := len(s.log) - 1; j >= 0; j-- {
			if s.log[j].ev.Kind == sim.KindExchange {
				i = j
				break
			}
		}
	}
	return s.openWire(s.log[i].ev.Seq)
}

func (s *serverPane) CloseWire() { s.wire = nil }

func (s *serverPane) openWire(seq uint64) bool {
	var ev *sim.Event
	var cut [3]int
	for i := range s.log {
		if s.log[i].ev.Seq == seq {
			ev, cut = &s.log[i].ev, s.log[i].cut
		}
	}
	if ev == nil {
		s.wire = nil
		return false
	}
	keep := 0
	if s.wire != nil && s.wireSeq == seq {
		keep = s.wire.off
	}
	s.wireSeq = seq
	s.wireText = s.wireLines(*ev, cut)
	s.wire = &scroller{}
	s.wire.SetHeight(s.h)
	s.wire.SetLines(s.wireText)
	s.wire.SetOffset(keep)
	return true
}

func (s *serverPane) wireLines(ev sim.Event, cut [3]int) []string {
	w := max(10, s.w)
	var out []string
	add := func(st func(...string) string, text string) {
		for _, ln := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			ln = strings.TrimRight(ln, "\r")
			for _, piece := range strings.Split(ansi.Hardwrap(ln, w, true), "\n") {
				if st != nil {
					piece = st(piece)
				}
				out = append(out, piece)
			}
		}
	}
	addWrapped := func(st func(...string) string, text string) {
		for _, ln := range strings.Split(ansi.Wrap(text, w, " "), "\n") {
			out = append(out, st(strings.TrimRight(ln, " ")))
		}
	}
	head := fmt.Sprintf("#%d %s", ev.Seq, exchange.Sender(ev))
	if ev.Attempt > 1 {
		head += fmt.Sprintf(" · attempt %d", ev.Attempt)
	}
	add(s.st.Bold.Render, head)
	if cut != [3]int{} {
		addWrapped(s.st.Muted.Render, fmt.Sprintf("The screen keeps the first %s of each body of older exchanges; here it left out %s of the request's body, %s of the response's and %s of the state changes.",
			sizeText(slimBytes), sizeText(cut[0]), sizeText(cut[1]), sizeText(cut[2])))
	}
	if ev.Kind != sim.KindExchange {
		add(nil, adminText(ev))
	} else {
		out = append(out, "")
		add(s.st.Method.Render, "→ request")
		add(nil, ev.Request.Wire(true))
		out = append(out, "")
		switch {
		case ev.Fault == sim.FaultDropped || ev.Response.Status == 0:
			add(s.st.StatusNone.Render, "← no response: the request never reached the server")
		default:
			label := "← response"
			if ev.Fault == sim.FaultLostResponse {
				label += " (lost on the way back: the client never saw it)"
			}
			add(s.st.statusStyle(ev.Response.Status).Render, label)
			add(nil, ev.Response.Wire(false))
		}
	}
	out = append(out, "")
	add(s.st.Bold.Render, "state changes")
	if len(ev.Changes) == 0 {
		add(s.st.Muted.Render, "  none: the server state did not change")
	}
	for _, c := range ev.Changes {
		out = append(out, s.changeLines(c, "  ")...)
	}
	out = append(out, "", s.st.Faint.Render("esc back to the log · ↑/↓ scroll"))
	for i, ln := range out {
		if ln != "" {
			out[i] = fitLine(ln, s.w)
		}
	}
	return out
}

// changeLines describes one resource change, field by field.
func (s *serverPane) changeLines(c sim.Change, indent string) []string {
	switch {
	case c.Before == nil && c.After == nil:
		return nil
	case c.Before == nil:
		return []string{indent + s.st.Changed.Render("+ "+shownPath(c.Path)+" created ") + s.st.After.Render(shownBody(c.After))}
	case c.After == nil:
		return []string{indent + s.st.Changed.Render("− "+shownPath(c.Path)+" deleted ") + s.st.Before.Render(shownBody(c.Before))}
	}
	lines := []string{indent + s.st.Changed.Render("● "+shownPath(c.Path))}
	fcs := sim.FieldChanges(c.Before, c.After)
	if len(fcs) == 0 {
		lines = append(lines, indent+"    "+s.st.Muted.Render("same content"))
	}
	for _, fc := range fcs {
		lines = append(lines, indent+"    "+s.fieldChange(fc))
	}
	return lines
}

func (s *serverPane) fieldChange(fc sim.FieldChange) string {
	before, sep, after := fc.Display()
	return s.st.Bold.Render(termsafe.Cut(fc.Field, maxShownField)) + " " + s.st.Before.Render(before) + s.st.Muted.Render(sep) + s.st.After.Render(after)
}

// --- rendering -----------------------------------------------------------

func adminText(ev sim.Event) string {
	switch ev.Kind {
	case sim.KindUndo:
		return "↶ undo: the newest change was reverted"
	case sim.KindReset:
		return "⟲ reset: fresh fixture loaded"
	case sim.KindRestore:
		return "⟲ restore: back to the state the step began with"
	default:
		return string(ev.Kind)
	}
}

// statusText is the code and reason, so the class reads without colour.
func statusText(code int) string {
	if code == 0 {
		return "no response"
	}
	if t := sim.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

func (s *serverPane) marks(ev sim.Event) string {
	var m []string
	if ev.Replayed {
		m = append(m, "↻ replayed")
	}
	if ev.Attempt > 1 {
		m = append(m, "retry "+strconv.Itoa(ev.Attempt))
	}
	switch ev.Fault {
	case sim.FaultLostResponse:
		m = append(m, "✗ lost")
	case sim.FaultDropped:
		m = append(m, "✗ dropped")
	case sim.FaultDelayed:
		m = append(m, "delayed")
	}
	return strings.Join(m, " ")
}

// senderCells is the width of the log's sender column: "lesson", "curl",
// "Go"; the exchange's heading above the log has the full tag with the
// client's address.
const senderCells = 6

// renderEntry draws one log line, one cell narrower than the pane: the
// first column is the selection marker.
func (s *serverPane) renderEntry(e logEntry) string {
	ev := e.ev
	w := max(1, s.w-1)
	seq := s.st.Faint.Render(fmt.Sprintf("#%-4d", e.first.Seq))
	if ev.Kind != sim.KindExchange {
		return fitLine(seq+" "+s.st.Info.Render(adminText(ev)), w)
	}
	times := ""
	if e.n > 1 {
		times = " " + s.st.Bold.Render(fmt.Sprintf("×%d", e.n))
	}
	src := s.st.Muted.Render(fitLine(exchange.ShortSender(ev, senderCells), senderCells))
	method := s.st.Method.Render(fmt.Sprintf("%-7s", termsafe.Cut(ev.Request.Method, 16)))
	status := statusText(ev.Response.Status)
	if ev.Fault == sim.FaultDropped {
		status = "no response"
	}
	right := s.st.statusStyle(ev.Response.Status).Render(status) + times
	if mk := s.marks(ev); mk != "" {
		right += " " + s.st.Mark.Render(mk)
	}
	left := seq + " " + src + " " + method + " "
	if w < 48 {
		left = seq + " " + method + " "
	}
	room := w - ansi.StringWidth(left) - ansi.StringWidth(right) - 1
	if room < 6 {
		// Narrow: drop the reason phrase, keep the code.
		right = s.st.statusStyle(ev.Response.Status).Render(strconv.Itoa(ev.Response.Status)) + times
		if mk := s.marks(ev); mk != "" {
			right += " " + s.st.Mark.Render(mk)
		}
		room = w - ansi.StringWidth(left) - ansi.StringWidth(right) - 1
	}
	path := shownPath(ev.Request.Target)
	if ansi.StringWidth(path) > room {
		path = ansi.Truncate(path, max(1, room), "…")
	}
	gap := max(1, w-ansi.StringWidth(left)-ansi.StringWidth(path)-ansi.StringWidth(right))
	return fitLine(left+s.st.Path.Render(path)+strings.Repeat(" ", gap)+right, w)
}

// rebuildRes draws the resources: path, stored JSON, ETag; what the newest
// change did goes under the resource it touched.
func (s *serverPane) rebuildRes() {
	s.touch()
	var out []string
	at := -1
	seen := map[string]bool{}
	res := s.snap.Resources
	for i := 0; i < len(res); {
		// Members of one collection beyond a few fold into one line, so a
		// hundred customers do not push everything else out of the pane;
		// members the newest change touched stay listed.
		parent := parentPath(res[i].Path)
		j := i
		for j < len(res) && parentPath(res[j].Path) == parent {
			j++
		}
		if j-i > groupAbove {
			out = append(out, "  "+s.st.Path.Render(shownPath(parent)+"/…")+"  "+s.st.Muted.Render(fmt.Sprintf("%d members", j-i)))
		}
		for _, r := range res[i:j] {
			seen[r.Path] = true
			_, changed := s.changed[r.Path]
			if j-i > groupAbove && !changed {
				continue
			}
			if changed && at < 0 {
				at = len(out)
			}
			out = append(out, s.resourceLines(r)...)
		}
		i = j
	}
	for _, path := range slices.Sorted(maps.Keys(s.changed)) {
		c := s.changed[path]
		if !seen[path] && c.Before != nil && c.After == nil {
			if at < 0 {
				at = len(out)
			}
			out = append(out, s.st.Changed.Render("− ")+s.st.Before.Render(shownPath(path))+"  "+s.st.Changed.Render("deleted"))
		}
	}
	if len(out) == 0 {
		out = append(out, s.st.Muted.Render("  no resources stored"))
	}
	for i, ln := range out {
		out[i] = fitLine(ln, s.w)
	}
	s.res, s.resAt = out, max(0, at)
}

// groupAbove is how many members of a collection are listed one by one.
const groupAbove = 3

func parentPath(p string) string {
	if i := strings.LastIndexByte(p, '/'); i > 0 {
		return p[:i]
	}
	return ""
}

// resourceLines draws one resource and, when the newest change touched it,
// each changed field as before → after.
func (s *serverPane) resourceLines(r resourceState) []string {
	c, changed := s.changed[r.Path]
	mark := "  "
	pst := s.st.Path
	if changed {
		mark = s.st.Changed.Render("● ")
		pst = s.st.Changed
	}
	line := mark + pst.Render(shownPath(r.Path)) + "  " + s.st.Text.Render(shownBody(r.Body))
	if r.ETag != "" && s.w >= 50 {
		line += "  " + s.st.Faint.Render(r.ETag)
	}
	out := []string{line}
	if changed {
		fcs := sim.FieldChanges(c.Before, c.After)
		switch {
		case c.Before == nil:
			out = append(out, "    "+s.st.After.Render("created"))
		case len(fcs) == 0:
			// A PUT of the state it already had: idempotence, visibly.
			out = append(out, "    "+s.st.Muted.Render("unchanged: the same state as before"))
		}
		if c.Before != nil {
			for _, fc := range fcs {
				out = append(out, "    "+s.fieldChange(fc))
			}
		}
	}
	return out
}

// resHeight shares the pane between resources and the log: resources get
// what they need as long as a few log lines stay visible.
func (s *serverPane) resHeight() int {
	if s.brief() {
		res, _ := s.briefSplit()
		return res
	}
	// The log wants a line per entry, up to half the pane; resources get
	// the rest, and at least a few lines.
	logWant := min(max(1, len(s.log)), max(1, s.h/2))
	room := s.h - s.chartHeight() - s.exchangeHeight() - s.logHeadHeight() - s.detailHeight() - logWant
	return max(1, min(len(s.res), max(room, min(3, s.h/3))))
}

// View draws the pane's inner lines. They are kept until the pane
// changes (touch), the selection or the window moves, or the size or the
// styles change; the caller must not change them.
func (s *serverPane) View() []string {
	if s.wire != nil {
		return s.wire.Visible()
	}
	key := serverViewFor{gen: s.gen, sel: s.sel, off: s.off, follow: s.follow, w: s.w, h: s.h, st: s.st}
	if s.viewLines != nil && key == s.viewFor {
		return s.viewLines
	}
	s.viewFor, s.viewLines = key, s.drawView()
	return s.viewLines
}

// drawView draws the pane's inner lines for View.
func (s *serverPane) drawView() []string {
	lines := make([]string, 0, s.h)

	// Resources, windowed around the newest change when they do not fit.
	res := s.res
	rh := s.resHeight()
	if rh <= 0 {
		res = nil // a brief pane whose exchange took every line
	} else if len(res) > rh && rh == 1 {
		// One line: the newest change's, rather than only a note that
		// lines are missing.
		res = res[min(s.resAt, len(res)-1):][:1]
	} else if len(res) > rh {
		// Show the newest change and what follows it; say how much is cut.
		start := min(s.resAt, len(res)-(rh-1))
		win := append(res[start:start+rh-1:start+rh-1], fitLine(s.st.Faint.Render(fmt.Sprintf("  … %s (%s in all)", plural(len(res)-(rh-1), "more line"), plural(len(s.snap.Resources), "resource"))), s.w))
		res = win
	}
	lines = append(lines, res...)

	// The exchange the learner is reading: the newest, or the selected one.
	xl := s.xLines
	if n := s.exchangeHeight(); len(xl) > n {
		xl = xl[:n] // a brief pane's share (briefSplit)
	}
	lines = append(lines, xl...)

	// Chart.
	if !s.brief() {
		lines = append(lines, s.chartLines...)
	}

	// Log.
	count := len(s.log)
	lh := s.logHeight()
	if s.logHeadHeight() > 0 {
		lines = append(lines, fitLine(s.st.Muted.Render("── log · "+s.logCount()+logHint(s.sel)), s.w))
	}
	if count == 0 {
		lines = append(lines, fitLine(s.st.Faint.Render("  nothing sent yet: type a request in the composer"), s.w))
	}
	start := s.windowStart()
	for i := start; i < min(count, start+lh); i++ {
		line := s.log[i].line
		if line == "" {
			line = s.renderEntry(s.log[i])
		}
		if i == s.sel {
			// Reverse video, and a marker for terminals without it.
			lines = append(lines, s.st.Selected.Render(fitLine("▸"+ansi.Strip(line), s.w)))
			continue
		}
		lines = append(lines, " "+line)
	}
	for len(lines) < s.h-s.detailHeight() {
		lines = append(lines, "")
	}
	if s.detailHeight() > 0 && s.sel >= 0 && s.sel < count {
		ev := s.log[s.sel].ev
		sum := ev.Summary()
		if sum == "" {
			sum = statusText(ev.Response.Status)
		}
		lines = append(lines, fitLine(s.st.Info.Render("⏎ wire view: ")+s.st.Text.Render(termsafe.Cut(sum, maxShownBody)), s.w))
	}
	return lines
}

// shownPath and shownBody are a path (or request target) and a stored body
// as the pane shows them: escaped (termsafe) and cut, so that what a client
// sent can neither drive the terminal nor cost more than a screen's worth.
func shownPath(p string) string { return termsafe.Cut(p, maxShownTarget) }

func shownBody(b []byte) string { return termsafe.CutBytes(b, maxShownBody) }

// logCount says how many events the log holds and their numbers, which
// need not start at #1: the oldest go when the log is full.
func (s *serverPane) logCount() string {
	n := s.events()
	if n == 0 {
		return "0 events"
	}
	first, last := s.log[0].first.Seq, s.log[len(s.log)-1].ev.Seq
	if first == last {
		return fmt.Sprintf("1 event · #%d", first)
	}
	return fmt.Sprintf("%s · #%d–%d", plural(n, "event"), first, last)
}

func logHint(sel int) string {
	if sel >= 0 {
		return " · ⏎ wire view"
	}
	return ""
}

// NetworkNote is the pane title's right-hand note: the network switch.
func (s *serverPane) NetworkNote() string {
	return session.NetworkSummary(s.snap.Faults, s.snap.Retry)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
