// Package present is putpost's projector mode: one session drawn for a
// room — the watched value in block digits with its last change beside it,
// a chart that fills the height, the request being sent and the response in
// large plain lines — played from a demo script a step at a time, with
// speaker notes in a second terminal and an asciicast recording.
//
// The presenter is a view of a session.Session like the full screen and
// line mode: every request goes through the session, and what it draws comes
// from the session's updates and the server's state.
package present

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/putpost/putpost/chart"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
)

// saved is what the presenter needs to go back to a position: the server
// exactly as it was, the network, and what the screen showed.
type saved struct {
	cp     sim.Snapshot
	faults sim.FaultSettings
	retry  sim.RetryPolicy
	series chart.Series
	last   *sim.Event
	change string
	recent []sim.Event
}

// maxRecent is how many exchanges the wide screen lists.
const maxRecent = 60

// job is the step being played.
type job struct {
	step  int // index in the demo
	total int // requests to send (1 for a step that is not a request)
	sent  int
	skip  bool // send the rest at once
}

// Model is the presenter: a Bubble Tea model over one session and a demo.
type Model struct {
	ctx   context.Context
	sess  *session.Session
	watch *session.Watcher
	demo  *Demo
	hub   *Hub
	keys  KeyMap
	st    *Styles
	dark  bool
	mono  bool

	w, h    int
	pos     int     // steps done
	saved   []saved // saved[k]: the state after k steps
	job     *job
	target  int    // jumping forward to this position; -1: not jumping
	digits  string // a step number being typed
	help    bool
	msg     string // a notice under the request, such as an error
	unpaced bool   // tests: repeats send their batches without waiting

	frame string // the screen, drawn by Update

	series chart.Series
	seen   bool        // the first state has been read
	last   *sim.Event  // the newest exchange
	change string      // the watched value's last change
	recent []sim.Event // the newest exchanges, oldest first (wide screens list them)
}

// New returns a presenter of sess playing demo. sess should be a sandbox
// nobody else drives. hub, if not nil, tells speaker notes where the
// presenter is.
func New(ctx context.Context, sess *session.Session, demo *Demo, hub *Hub) Model {
	m := Model{
		ctx: ctx, sess: sess, demo: demo, hub: hub,
		watch: sess.Watch(), keys: DefaultKeyMap(), dark: true, target: -1,
	}
	m.st = NewStyles(m.dark, m.mono)
	if demo.Watched {
		m.series.Spec, m.series.Picked = demo.Watch, true
	}
	m.saved = []saved{{cp: sess.Checkpoint(), faults: sess.Faults(), retry: sess.Retry()}}
	return m
}

// Close stops following the session.
func (m Model) Close() { m.watch.Close() }

// Pos is how many steps of the demo are done.
func (m Model) Pos() int { return m.pos }

// Busy reports whether a step is being played.
func (m Model) Busy() bool { return m.job != nil }

// resultMsg is what a command did: the session's updates since the last
// one and the resources after it. Commands run one at a time, so the
// watcher is read by one goroutine at a time.
type resultMsg struct {
	kind   resultKind
	n      int          // requests sent (resultBatch)
	to     int          // the position restored (resultRestored)
	cp     sim.Snapshot // the server after the command
	faults sim.FaultSettings
	retry  sim.RetryPolicy
	err    string
	ups    []session.Update
	res    []chart.Resource
}

type resultKind int

const (
	resultStart resultKind = iota + 1
	resultBatch
	resultStep
	resultRestored
)

// tickMsg asks for the next batch of a repeat.
type tickMsg struct{ step int }

// result reads what a command left: run it inside the command.
func (m Model) result(kind resultKind) resultMsg {
	return resultMsg{
		kind: kind, cp: m.sess.Checkpoint(), faults: m.sess.Faults(), retry: m.sess.Retry(),
		ups: m.watch.Poll(), res: chart.Resources(m.sess.Server()),
	}
}

// Init reads the first state and asks the terminal for its background.
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, func() tea.Msg { return m.result(resultStart) })
}

// Update handles keys, window sizes and results of the session's commands,
// then draws the frame once; View only returns it.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	nm, cmd := m.update(msg)
	next := nm.(Model)
	next.frame = next.render()
	return next, cmd
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
		m.st = NewStyles(m.dark, m.mono)
	case tea.ColorProfileMsg:
		m.mono = msg.Profile <= colorprofile.ASCII
		m.st = NewStyles(m.dark, m.mono)
	case tea.KeyPressMsg:
		return m.key(msg)
	case tickMsg:
		if m.job != nil && m.job.step == msg.step {
			return m, m.sendBatch()
		}
	case resultMsg:
		return m.apply(msg)
	}
	return m, nil
}

func (m Model) key(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, m.keys.Quit) {
		return m, tea.Quit
	}
	if key.Matches(k, m.keys.Help) {
		m.help = !m.help
		return m, nil
	}
	m.help = false
	if key.Matches(k, m.keys.Jump) {
		if len(m.digits) < 4 {
			m.digits += k.String()
		}
		return m, nil
	}
	if m.digits != "" && k.String() == "enter" {
		n, _ := strconv.Atoi(m.digits)
		m.digits = ""
		return m.jump(n)
	}
	m.digits = ""
	switch {
	case key.Matches(k, m.keys.Finish):
		if m.job != nil && !m.job.skip {
			m.job.skip = true
		}
		return m, nil
	case m.job != nil:
		// One step at a time: the keys below wait for the step to end.
		m.msg = "sending… x finishes the repeat now"
		return m, nil
	case key.Matches(k, m.keys.Next):
		if m.pos >= len(m.demo.Steps) {
			m.msg = "That was the last step: ← goes back, r restarts, q quits."
			return m, nil
		}
		return m.start(false)
	case key.Matches(k, m.keys.Back):
		if m.pos == 0 {
			m.msg = "This is the start of the demo."
			return m, nil
		}
		return m.restore(m.pos - 1)
	case key.Matches(k, m.keys.Restart):
		return m.restore(0)
	}
	return m, nil
}

// jump goes to the point just before step n (1-based): back by restoring,
// forward by playing the steps between at once.
func (m Model) jump(n int) (tea.Model, tea.Cmd) {
	if n < 1 || n > len(m.demo.Steps) {
		m.msg = fmt.Sprintf("There is no step %d: the demo has steps 1 to %d.", n, len(m.demo.Steps))
		return m, nil
	}
	if m.job != nil {
		m.msg = "sending… x finishes the repeat now"
		return m, nil
	}
	to := n - 1
	switch {
	case to < m.pos:
		return m.restore(to)
	case to > m.pos:
		m.target = to
		return m.start(true)
	}
	return m, nil
}

// start plays the next step.
func (m Model) start(skip bool) (tea.Model, tea.Cmd) {
	i := m.pos
	st := m.demo.Steps[i]
	m.msg = ""
	total := 1
	if st.Kind == StepRequest {
		total = st.Request.Repeat
	}
	m.job = &job{step: i, total: total, skip: skip}
	m.publish()
	if st.Kind == StepRequest {
		return m, m.sendBatch()
	}
	return m, func() tea.Msg { return m.runStep(st) }
}

// runStep plays a step that is not a request, inside a command.
func (m Model) runStep(st Step) resultMsg {
	var errText string
	switch st.Kind {
	case StepFaults:
		f, err := session.ParseFaults(st.Faults, m.sess.Faults())
		if err != nil {
			errText = err.Error()
			break
		}
		m.sess.SetFaults(f)
	case StepRetry:
		m.sess.SetRetry(st.Retry)
	case StepUndo:
		if _, err := m.sess.Undo(); err != nil {
			errText = "Nothing to undo."
		}
	case StepReset:
		if err := m.sess.Reset(session.ResetStep); err != nil {
			errText = err.Error()
		}
	}
	r := m.result(resultStep)
	r.err = errText
	return r
}

// sendBatch sends the next batch of the current request step.
func (m Model) sendBatch() tea.Cmd {
	j := *m.job
	rl := m.demo.Steps[j.step].Request
	n := session.RepeatBatch(j.total, j.sent, j.skip)
	ctx := m.ctx
	return func() tea.Msg {
		res := m.sess.SendBatch(ctx, rl, n, j.sent+n < j.total)
		r := m.result(resultBatch)
		r.n = n
		if res.Err != nil {
			r.err = res.Err.Error()
		}
		return r
	}
}

// restore puts the server and the screen back to position to.
func (m Model) restore(to int) (tea.Model, tea.Cmd) {
	s := m.saved[to]
	m.msg = ""
	m.job = &job{step: -1}
	return m, func() tea.Msg {
		m.sess.Restore(s.cp, s.faults, s.retry)
		r := m.result(resultRestored)
		r.to = to
		return r
	}
}

// apply takes in a command's result.
func (m Model) apply(r resultMsg) (tea.Model, tea.Cmd) {
	m.observe(r.ups, r.res)
	if r.err != "" {
		m.msg = r.err
	}
	switch r.kind {
	case resultStart:
		m.saved[0].series = m.series.Clone()
		m.publish()
		return m, nil
	case resultRestored:
		s := m.saved[r.to]
		m.pos, m.job, m.target = r.to, nil, -1
		m.saved = m.saved[:r.to+1]
		m.series, m.last, m.change, m.recent = s.series.Clone(), s.last, s.change, slices.Clone(s.recent)
		m.publish()
		return m, nil
	case resultBatch:
		if m.job == nil {
			return m, nil
		}
		m.job.sent += r.n
		if m.job.sent < m.job.total && r.err == "" && m.ctx.Err() == nil {
			if m.job.skip {
				return m, m.sendBatch()
			}
			step := m.job.step
			if m.unpaced {
				return m, func() tea.Msg { return tickMsg{step: step} }
			}
			return m, tea.Tick(session.RepeatTick, func(time.Time) tea.Msg { return tickMsg{step: step} })
		}
	}
	if m.job == nil {
		return m, nil
	}
	// The step is done.
	m.job = nil
	m.pos++
	m.saved = append(m.saved[:m.pos], saved{
		cp: r.cp, faults: r.faults, retry: r.retry,
		series: m.series.Clone(), last: m.last, change: m.change, recent: slices.Clone(m.recent),
	})
	if m.target > m.pos && r.err == "" {
		return m.start(true)
	}
	m.target = -1
	m.publish()
	return m, nil
}

// observe follows the session's updates: the newest exchange and the
// watched value.
func (m *Model) observe(ups []session.Update, res []chart.Resource) {
	var evs []sim.Event
	for _, u := range ups {
		if u.Kind == session.UpdateEvent {
			evs = append(evs, u.Event)
		}
	}
	before := len(m.series.Values)
	m.series.Observe(evs, res, !m.seen, false)
	m.seen = true
	for i := range evs {
		ev := evs[i]
		switch ev.Kind {
		case sim.KindExchange:
			m.last = &ev
			m.recent = append(m.recent, ev)
			if len(m.recent) > 2*maxRecent {
				m.recent = slices.Clone(m.recent[len(m.recent)-maxRecent:])
			}
		case sim.KindReset:
			m.last, m.recent = nil, nil
		}
	}
	if n := len(m.series.Values); n >= 2 && (n != before || len(evs) > 0) {
		m.change = describeChange(m.series.Values[n-2], m.series.Values[n-1], m.series.Texts[n-2], m.series.Texts[n-1])
	} else if n < 2 {
		m.change = ""
	}
}

// describeChange says how the watched value moved: "+20.00 ×1.25",
// "−30.00 ×0.70", "unchanged".
func describeChange(prev, cur float64, prevText, curText string) string {
	if prev == cur {
		return "unchanged"
	}
	dec := max(decimals(prevText), decimals(curText))
	s := strconv.FormatFloat(math.Abs(cur-prev), 'f', dec, 64)
	if cur > prev {
		s = "+" + s
	} else {
		s = "-" + s
	}
	if prev > 0 && cur > 0 {
		s += " ×" + strconv.FormatFloat(cur/prev, 'f', 2, 64)
	}
	return s
}

// decimals counts the digits after the point in a number as written.
func decimals(text string) int {
	if i := strings.IndexByte(text, '.'); i >= 0 {
		n := 0
		for _, c := range text[i+1:] {
			if c < '0' || c > '9' {
				break
			}
			n++
		}
		return n
	}
	return 0
}

// publish tells speaker notes where the presenter is.
func (m Model) publish() {
	if m.hub == nil {
		return
	}
	m.hub.Publish(Position{Demo: m.demo.Name, Hash: m.demo.Hash, Pos: m.pos, Total: len(m.demo.Steps), Sending: m.job != nil && m.job.step >= 0})
}
