package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// pane is one of the three panes that can have the focus.
type pane int

const (
	paneLesson pane = iota
	paneComposer
	paneServer
	paneCount
)

// overlayKind is a box drawn over the panes.
type overlayKind int

const (
	overlayNone overlayKind = iota
	overlayWelcome
	overlayHelp
	overlayContents
	overlayReset
	overlayNotice // the start-up notice, when there is no welcome to hold it
	overlayCopied // the curl line y just copied
	overlayExport // the file prompt of E
)

// Model is the root of the full screen. It owns the layout and the focus;
// the lesson pane, composer and server pane are children it sizes and
// draws. It is used by pointer (about 54 KB: a copy per message cost two
// allocations of that size); copies share the learner's session and its
// watcher.
type Model struct {
	ss *shared
	// builtFor is the step status the lesson pane was last built from: a
	// status that says the same again (every batch of exchanges brings one)
	// needs no rebuild.
	builtFor lessons.StepStatus
	// builtRepeat, builtNotYet and builtTried are repeating(), notYet and
	// tried when the lesson pane was last built (see lessonStale).
	builtRepeat int
	builtNotYet string
	builtTried  bool
	keys        KeyMap
	st          *Styles
	md          *mdRenderer
	cache       *mdCache
	help        help.Model

	dark, mono bool
	fixedTheme bool // --theme chose: the terminal's answer does not change it
	profile    colorprofile.Profile

	lay   layout
	ready bool // a window size arrived

	focus   pane
	overlay overlayKind
	keysBox helpBox
	toc     contentsBox
	reset   resetBox
	export  exportBox
	copied  string // the curl line in the copy box
	entered string // the step enterStep last set the screen up for (see stepID)

	lesson lessonPane
	comp   composer
	srv    serverPane

	job     *repeatJob
	nextJob int
	// heldSeq, when not 0, is the exchange the log must show before the
	// request pane shows the repeat's count (heldRun): see onSent.
	heldSeq uint64
	heldRun string
	fresh   []sim.Event // onUpdates' buffer
	early   *updatesMsg // a batch's exchanges kept until its result (takeUpdates)
	earlyID int         // numbers each keeping of early
	// earlyGone, closed when early is shown, tells the waiter for updates
	// to stop keeping the time (earlyBy) for it.
	earlyGone chan struct{}
	earlyBy   time.Time

	flash     string
	notYet    string // the step's "Not yet: …" after a request that did not pass it
	tried     bool   // a request other than the lesson's set-up reached the server in this step
	plotted   string // the lesson whose chart value the server pane was pointed at
	notice    string // the start-up notice, shown in full until a key dismisses it
	noSave    bool   // progress is not being saved: the footer says so all session
	footer    string
	footerIn  footerFor // what footer was drawn from
	keysText  []byte    // refreshFooter's buffer for footerFor.keys
	curl      string    // ready-to-paste curl line for --listen
	curlAddr  string
	curlShort string // a GET of the same path, when the full line does not fit

	class *Classroom // nil outside a classroom
}

// New builds the full-screen model. It watches the session's updates; Run
// (or a test) ends the watch when the program ends.
func New(o Options) Model { return newModel(o, newShared(context.Background())) }

// newShared is the part of a screen its copies share, for requests sent
// under ctx.
func newShared(ctx context.Context) *shared {
	return &shared{ctx: ctx, done: make(chan struct{})}
}

// newModel is New with the shared part given.
func newModel(o Options, ss *shared) Model {
	ss.sess = o.Session
	if ss.sess == nil {
		ss.sess, _ = session.New(session.Options{Mode: session.Sandbox}) // a sandbox cannot fail to start
		ss.owned = true
	}
	ss.watch = ss.sess.Watch()

	m := Model{
		ss:      ss,
		keys:    DefaultKeyMap(),
		dark:    true,
		profile: colorprofile.TrueColor,
		cache:   newMDCache(),
		help:    help.New(),
	}
	switch o.Theme {
	case ThemeLight, ThemeDark:
		m.dark, m.fixedTheme = o.Theme == ThemeDark, true
	default:
		if dark, ok := darkFromColorFGBG(o.ColorFGBG); ok {
			m.dark = dark
		}
	}
	m.st = StylesFor(m.dark, m.profile)
	m.md = newMDRenderer(m.st)
	m.help.Styles = m.st.Help
	m.help.ShortSeparator = "  "
	m.comp = newComposer(m.st)
	m.srv = newServerPane(m.st)
	m.srv.Apply(nil, nil, ss.snapshot(), false)
	m.lesson = lessonPane{}
	m.notice = termsafe.Text(strings.TrimSpace(o.Notice)) // it names files and folders
	m.noSave = o.NotSaving
	if o.Classroom != nil {
		m.class = o.Classroom
		m.keys.Done.SetEnabled(true)
		m.keys.NeedHelp.SetEnabled(true)
		// The learner is not at this machine: a file E wrote would land on
		// the classroom's server (the session refuses it too).
		m.keys.Export.SetEnabled(false)
	}
	m.listen(ss.sess.Addr())
	switch {
	case o.Welcome:
		m.overlay = overlayWelcome // the welcome box shows the notice too
	case m.notice != "":
		m.overlay = overlayNotice
	}
	m.enterStep()
	m.refreshFooter()
	return m
}

// Close ends the watch of the session's updates. Run calls it; tests that build a Model
// with New call it when done.
func (m Model) Close() { m.ss.close() }

// Init asks the terminal for its background colour (the answer picks the
// light or dark theme; nothing waits for it) and starts listening for events.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.waitUpdates())
}

// Update handles one message. Anything slow runs in the commands it returns.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmds []tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		cmds = append(cmds, m.resize(msg.Width, msg.Height))

	case tea.BackgroundColorMsg:
		if dark := msg.IsDark(); dark != m.dark && !m.fixedTheme {
			m.dark = dark
			cmds = append(cmds, m.restyle())
		}

	case tea.ColorProfileMsg:
		if msg.Profile != m.profile {
			m.profile = msg.Profile
			m.mono = msg.Profile <= colorprofile.ASCII
			cmds = append(cmds, m.restyle())
		}

	case tea.KeyPressMsg:
		if m.tooSmall() {
			// The learner cannot see what a key would do: only quitting works.
			if msg.String() == "ctrl+c" || key.Matches(msg, m.keys.Quit) {
				cmds = append(cmds, tea.Quit)
			}
			break
		}
		cmds = append(cmds, m.handleKey(msg))

	case tea.PasteMsg:
		if m.overlay == overlayExport && !m.tooSmall() {
			cmds = append(cmds, m.exportKey(msg))
		} else if m.focus == paneComposer && m.overlay == overlayNone && !m.tooSmall() {
			cmd, _ := m.comp.Update(msg, m.keys)
			cmds = append(cmds, cmd)
		}

	case tea.MouseWheelMsg:
		if !m.tooSmall() {
			m.wheel(msg)
		}

	case tea.MouseClickMsg:
		if !m.tooSmall() {
			cmds = append(cmds, m.click(msg))
		}

	case renderedMsg:
		m.cache.put(msg)
		if msg.Key.Theme == m.md.theme {
			cmds = append(cmds, m.buildLesson(false))
		}

	case updatesMsg:
		cmds = append(cmds, m.takeUpdates(msg))

	case exportedMsg:
		m.onExported(msg)

	case sentMsg:
		cmds = append(cmds, m.showEarly(), m.onSent(msg))

	case showEarlyMsg:
		if msg.id == m.earlyID {
			cmds = append(cmds, m.showEarly())
		}
		// The waiter that sent it has ended.
		cmds = append(cmds, m.waitUpdates())

	case repeatTickMsg:
		if j := m.job; j != nil && j.ID == msg.Job && j.InFlight {
			j.InFlight = false // the wait ended without sending
			cmds = append(cmds, m.sendNext())
		}

	case chartHistoryMsg:
		m.srv.SetHistory(msg)

	case NoticeMsg:
		if m.overlay == overlayNone || m.overlay == overlayNotice {
			m.notice = msg.Text
			m.overlay = overlayNotice
		} else {
			m.flash = msg.Text
		}

	case undoMsg:
		if !msg.OK {
			m.flash = "nothing to undo: no request has changed the server since the start"
		} else {
			m.flash = "undone: the newest change was reverted"
		}
	}
	if spec, ok := m.srv.HistoryWanted(); ok {
		cmds = append(cmds, guard(chartHistoryCmd(m.ss.sess, spec)))
	}
	// A change of focus, of step, of the composer's shape or error, or the
	// step's first request moves the panes (see computeLayout).
	if m.relaidOut() {
		cmds = append(cmds, m.relayout())
	}
	m.comp.Refresh()
	m.refreshFooter()
	return m, tea.Batch(cmds...)
}

// --- layout and theme -----------------------------------------------------

func (m *Model) resize(w, h int) tea.Cmd {
	if !m.place(w, h) {
		return nil
	}
	return m.buildLesson(false)
}

// place computes the layout and gives each pane its size; it reports
// whether the terminal is big enough to draw them.
func (m *Model) place(w, h int) bool {
	m.ready = true
	m.lay = computeLayout(w, h, m.layoutWanted(w))
	if m.lay.TooSmall {
		return false
	}
	lw, lh := m.lay.Lesson.inner()
	m.lesson.SetSize(lw, lh)
	cw, ch := m.lay.Composer.inner()
	m.comp.SetSize(cw, ch)
	sw, sh := m.lay.Server.inner()
	m.srv.SetSize(sw, sh)
	m.help.SetWidth(w)
	return true
}

// layoutWanted is what the panes should be placed for now, at width w.
// What only changes a stacked layout is left out side by side, so that it
// does not lay the panes out again for nothing.
func (m *Model) layoutWanted(w int) layoutFor {
	st := m.ss.sess.Step()
	stacked := w < SideBySideFrom
	return layoutFor{
		Form:        m.comp.IsForm(),
		Listen:      m.curl != "",
		ServerFocus: stacked && m.focus == paneServer,
		ErrRows:     m.comp.ErrorRows(),
		Quiz:        stacked && st != nil && st.IsQuiz(),
		Reading:     stacked && st != nil && !m.tried,
	}
}

// relaidOut reports whether the panes must be placed again: what they were
// placed for changed (the focus, the step, the composer's shape or error).
func (m *Model) relaidOut() bool {
	return m.ready && !m.lay.TooSmall && m.layoutWanted(m.lay.W) != m.lay.layoutFor
}

func (m *Model) relayout() tea.Cmd {
	if !m.ready {
		return nil
	}
	return m.resize(m.lay.W, m.lay.H)
}

func (m *Model) restyle() tea.Cmd {
	m.st = StylesFor(m.dark, m.profile)
	m.md = newMDRenderer(m.st)
	m.help.Styles = m.st.Help
	m.comp.SetStyles(m.st)
	m.srv.SetStyles(m.st)
	return m.buildLesson(false)
}

// --- keys ------------------------------------------------------------------

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	m.flash = ""

	switch m.overlay {
	case overlayWelcome, overlayNotice:
		m.overlay = overlayNone
		m.notice = ""
		return nil
	case overlayCopied:
		m.overlay = overlayNone
		return nil
	case overlayExport:
		return m.exportKey(msg)
	case overlayHelp:
		r, lines := m.helpBox()
		if m.keysBox.Update(msg, k, lines, r.H-2) {
			m.overlay = overlayNone
		}
		return nil
	case overlayContents:
		return m.contentsKey(msg)
	case overlayReset:
		return m.resetKey(msg)
	}

	if m.focus == paneComposer {
		// Keys that never type act first; everything else edits.
		if !typesText(msg) {
			switch {
			case key.Matches(msg, k.Help):
				m.openHelp()
				return nil
			case key.Matches(msg, k.Skip):
				return m.skip()
			case key.Matches(msg, k.Undo):
				return guard(undoCmd(m.ss.sess))
			case key.Matches(msg, k.NextStep):
				return m.next()
			}
		}
		wasForm := m.comp.IsForm()
		cmd, out := m.comp.Update(msg, k)
		var cmds []tea.Cmd
		cmds = append(cmds, cmd)
		if m.comp.IsForm() != wasForm {
			cmds = append(cmds, m.relayout())
		}
		switch {
		case out.Send != nil:
			cmds = append(cmds, m.startSend(*out.Send, out.Text))
		case out.Leave:
			m.setFocus(paneLesson, false)
		case out.Tab != 0:
			m.cycleFocus(out.Tab)
		}
		return tea.Batch(cmds...)
	}

	if cmd, ok := m.globalKey(msg); ok {
		return cmd
	}
	switch m.focus {
	case paneServer:
		if ok, out := m.srv.Update(msg, k); ok {
			if out.EmptyLog {
				m.flash = "nothing in the log yet: send a request first"
			}
			return nil
		}
	case paneLesson:
		if m.lesson.Update(msg, k) {
			return nil
		}
		if key.Matches(msg, k.Send) { // ⏎ goes on once the step passed
			if m.status().Passed {
				return m.next()
			}
			m.setFocus(paneComposer, false)
		}
	}
	return nil
}

// globalKey handles the keys that mean the same whichever pane has the
// focus (the composer has its own say first: there, letters type). It
// reports whether the key was one of them.
func (m *Model) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit, true
	case key.Matches(msg, k.Help):
		m.openHelp()
	case key.Matches(msg, k.FocusNext):
		m.cycleFocus(+1)
	case key.Matches(msg, k.FocusPrev):
		m.cycleFocus(-1)
	case key.Matches(msg, k.Close):
		m.srv.Back()
	case key.Matches(msg, k.Edit):
		m.setFocus(paneComposer, false)
	case key.Matches(msg, k.SendAlways):
		out := m.comp.Submit()
		if out.Send != nil {
			return m.startSend(*out.Send, out.Text), true
		}
		m.setFocus(paneComposer, false)
	case key.Matches(msg, k.Next), key.Matches(msg, k.NextStep):
		return m.next(), true
	case key.Matches(msg, k.Prev):
		return m.prev(), true
	case key.Matches(msg, k.Hint):
		return m.hint(), true
	case key.Matches(msg, k.Solution):
		return m.solution(), true
	case key.Matches(msg, k.Contents):
		m.openContents()
	case key.Matches(msg, k.Reset):
		m.openReset()
	case key.Matches(msg, k.Answer):
		return m.answer(int(msg.Code - '1')), true
	case key.Matches(msg, k.Wire):
		m.openWire()
	case key.Matches(msg, k.Copy):
		return m.copyExchange(), true
	case key.Matches(msg, k.Export):
		m.openExport()
	case key.Matches(msg, k.Undo):
		return guard(undoCmd(m.ss.sess)), true
	case key.Matches(msg, k.Faults):
		m.cycleFaults()
	case key.Matches(msg, k.Retry):
		m.cycleRetry()
	case key.Matches(msg, k.Chart):
		m.srv.CycleChart()
	case key.Matches(msg, k.Skip):
		return m.skip(), true
	case key.Matches(msg, k.Repeat):
		m.comp.CycleRepeat()
	case key.Matches(msg, k.Form):
		m.comp.ToggleForm()
		m.setFocus(paneComposer, false)
		return m.relayout(), true
	case key.Matches(msg, k.Clear):
		m.comp.Clear()
	case key.Matches(msg, k.Theme):
		m.dark = !m.dark
		m.fixedTheme = true // the learner's choice: a late answer from the terminal does not undo it
		return m.restyle(), true
	case key.Matches(msg, k.Done):
		m.signal(false)
	case key.Matches(msg, k.NeedHelp):
		m.signal(true)
	default:
		return nil, false
	}
	return nil, true
}

// tooSmall: the window is below the minimum size and shows only that.
func (m *Model) tooSmall() bool { return m.ready && m.lay.TooSmall }

func (m *Model) setFocus(p pane, backwards bool) {
	m.focus = p
	if p == paneComposer {
		m.comp.Focus(backwards)
	} else {
		m.comp.Blur()
	}
	// Stacked panes share the height by focus: Update places them again.
}

func (m *Model) cycleFocus(dir int) {
	p := (m.focus + pane(dir) + paneCount) % paneCount
	m.setFocus(p, dir < 0)
}

// inWire reports whether the server pane shows the wire view.
func (m *Model) inWire() bool {
	open, _ := m.srv.InWire()
	return open
}

func (m *Model) openWire() {
	if m.srv.OpenWire() {
		m.setFocus(paneServer, false)
	} else {
		m.flash = "nothing in the log yet: send a request first"
	}
}

func (m *Model) openHelp() {
	m.overlay = overlayHelp
	m.keysBox = helpBox{}
}

// scrollHelp scrolls the help box (the mouse wheel).
func (m *Model) scrollHelp(n int) {
	r, lines := m.helpBox()
	m.keysBox.Scroll(n, lines, r.H-2)
}

// --- mouse -------------------------------------------------------------------

func (m *Model) paneAt(x, y int) (pane, bool) {
	switch {
	case m.lay.Lesson.contains(x, y):
		return paneLesson, true
	case m.lay.Composer.contains(x, y):
		return paneComposer, true
	case m.lay.Server.contains(x, y):
		return paneServer, true
	}
	return 0, false
}

func (m *Model) wheel(msg tea.MouseWheelMsg) {
	mouse := msg.Mouse()
	n := 0
	switch mouse.Button {
	case tea.MouseWheelUp:
		n = -3
	case tea.MouseWheelDown:
		n = 3
	default:
		return
	}
	switch m.overlay {
	case overlayHelp:
		m.scrollHelp(n)
		return
	case overlayContents:
		m.moveContents(n / 3)
		return
	case overlayWelcome, overlayNotice, overlayReset:
		return
	}
	p, ok := m.paneAt(mouse.X, mouse.Y)
	if !ok {
		return
	}
	switch p {
	case paneLesson:
		m.lesson.Scroll(n)
	case paneServer:
		m.srv.Scroll(n)
	}
}

func (m *Model) click(msg tea.MouseClickMsg) tea.Cmd {
	mouse := msg.Mouse()
	if mouse.Button != tea.MouseLeft {
		return nil
	}
	if m.overlay != overlayNone {
		return m.clickOverlay(mouse.X, mouse.Y)
	}
	p, ok := m.paneAt(mouse.X, mouse.Y)
	if !ok {
		return nil
	}
	// The row inside the pane, before a change of focus moves the pane.
	row := mouse.Y - m.lay.Server.Y - 1
	// Side by side the pane stays put, so the click also selects; stacked,
	// focusing it resizes it and the row under the pointer changes.
	if p == paneServer && (m.focus == paneServer || m.lay.Side) {
		m.srv.ClickLog(row)
	}
	m.setFocus(p, false)
	return nil
}

// clickOverlay handles a click while a box is open: a click outside closes
// it; inside, a lesson in the contents opens and a reset option is chosen.
func (m *Model) clickOverlay(x, y int) tea.Cmd {
	f, ok := m.overlayFrame()
	if !ok {
		return nil
	}
	if m.overlay == overlayWelcome || m.overlay == overlayNotice || !f.r.contains(x, y) {
		if m.overlay == overlayReset && m.reset.Cancel() {
			m.flash = "nothing was reset"
		}
		if m.overlay == overlayWelcome || m.overlay == overlayNotice {
			m.notice = ""
		}
		m.overlay = overlayNone
		return nil
	}
	i := f.off + y - f.r.Y - 1 // line under the pointer; the border is row 0
	if y == f.r.Y || y == f.r.Y+f.r.H-1 || i < 0 || i >= f.total {
		return nil
	}
	switch m.overlay {
	case overlayContents:
		if l := i - contentsHead; l >= 0 && l < len(m.ss.sess.Lessons()) {
			m.toc.Select(l)
			return m.openSelected()
		}
	case overlayReset:
		if m.reset.Asking() == resetNone && i < len(f.picks) && f.picks[i] != resetNone {
			return m.actOnReset(m.reset.Pick(f.picks[i]))
		}
	}
	return nil
}

// --- network switch ------------------------------------------------------------

// faultCycle is what f steps through.
var faultCycle = []sim.FaultSettings{
	{},
	{LoseResponses: true},
	{DropRequests: true},
}

func (m *Model) cycleFaults() {
	cur := m.ss.sess.Faults()
	next := faultCycle[0]
	for i, f := range faultCycle {
		if f.LoseResponses == cur.LoseResponses && f.DropRequests == cur.DropRequests {
			next = faultCycle[(i+1)%len(faultCycle)]
			break
		}
	}
	next.Delay = cur.Delay
	m.ss.sess.SetFaults(next)
	m.srv.SetNetwork(m.ss.sess.Faults(), m.ss.sess.Retry())
	m.flash = "faults on: " + session.DescribeFaults(next)
	if next == (sim.FaultSettings{Delay: next.Delay}) {
		m.flash = "faults off: " + session.DescribeFaults(next)
	}
}

func (m *Model) cycleRetry() {
	cur := m.ss.sess.Retry()
	cycle := session.RetryPolicies
	next := cycle[0]
	for i, r := range cycle {
		if r == cur {
			next = cycle[(i+1)%len(cycle)]
			break
		}
	}
	m.ss.sess.SetRetry(next)
	m.srv.SetNetwork(m.ss.sess.Faults(), m.ss.sess.Retry())
	m.flash = fmt.Sprintf("retry policy %s: %s", next, session.RetryMeaning(next))
}

// --- sending -------------------------------------------------------------------

func (m *Model) startSend(rl request.Line, text string) tea.Cmd {
	if m.job != nil {
		m.comp.Refuse("a repeat is still running; press ctrl+x to finish it first")
		return nil
	}
	m.nextJob++
	m.job = &repeatJob{ID: m.nextJob, Line: rl, Text: text, Total: max(1, rl.Repeat)}
	m.comp.SetStatus("", "")
	m.comp.FillNext()
	return tea.Batch(m.sendNext(), m.refreshLesson())
}

// repeating is how many requests the repeat under way sends, 0 when none
// is. The step judges a repeat whole, when its last request is answered,
// so until then the checklist says so instead of showing what held before
// the repeat began ("0 of 100" while the log counts past 600).
func (m *Model) repeating() int {
	if m.job == nil || m.job.Total <= 1 {
		return 0
	}
	return m.job.Total
}

// refreshLesson rebuilds the lesson pane if it is stale.
func (m *Model) refreshLesson() tea.Cmd {
	if !m.lessonStale(m.status()) {
		return nil
	}
	return m.buildLesson(false)
}

// lessonStale reports whether the lesson pane was built from another
// step status than st, another repeat under way, another "Not yet", or
// before the learner's first request of the step.
func (m *Model) lessonStale(st lessons.StepStatus) bool {
	return !sameStatus(st, m.builtFor) || m.builtRepeat != m.repeating() || m.builtNotYet != m.notYet || m.builtTried != m.tried
}

func (m *Model) sendNext() tea.Cmd {
	j := m.job
	n := j.batch()
	if n <= 0 {
		return nil
	}
	j.InFlight = true
	m.heldSeq = 0
	m.comp.SetRunning(j.progress())
	return guard(m.batchCmd(j, n))
}

// batchCmd sends the job's next n requests.
func (m *Model) batchCmd(j *repeatJob, n int) tea.Cmd {
	return sendBatch(m.ss.ctx, m.ss.sess, j.ID, j.Line, n, j.Sent+n < j.Total)
}

// paceNext sends the job's next batch when its turn comes (see paceBatch):
// it is on its way from now, so its exchanges wait for its result.
func (m *Model) paceNext() tea.Cmd {
	j := m.job
	j.InFlight = true
	j.wake = make(chan struct{})
	send := m.batchCmd(j, j.batch())
	if m.ss.pace != nil {
		return guard(m.ss.pace(j.ID, j.wake, send))
	}
	return guard(paceBatch(m.ss.ctx, session.RepeatTick, j.ID, j.wake, send))
}

func (m *Model) onSent(msg sentMsg) tea.Cmd {
	j := m.job
	if j == nil || j.ID != msg.Job {
		return nil
	}
	j.InFlight = false
	j.wake = nil
	j.Sent += msg.N
	j.Lost += msg.Lost
	j.Last = msg.Status
	j.Done = max(j.Done, msg.Seq)
	if msg.Err != "" {
		j.LastErr = msg.Err
	}
	if j.Sent < j.Total && msg.Err == "" {
		if j.Skip {
			return m.sendNext()
		}
		// The count and the batch's exchanges in the log change the
		// screen together, in one frame: the exchanges come in the
		// session's updates just after this message, and until they do
		// the count stays where the log is.
		if msg.Seq > m.srv.Newest() {
			m.heldSeq, m.heldRun = msg.Seq, j.progress()
		} else {
			m.comp.SetRunning(j.progress())
		}
		return m.paceNext()
	}
	m.job = nil
	m.heldSeq = 0
	m.comp.SetRunning("")
	long, short := sentSummary(j)
	if msg.NotYet != "" {
		// A 200 to a half-right request must not read as a pass.
		long += " · not yet: the lesson says why"
		short += " · not yet"
	}
	m.comp.SetStatus(long, short)
	return m.refreshLesson()
}

// sentSummary says how a send went, in full and without the request (which
// the composer shows just above).
func sentSummary(j *repeatJob) (long, short string) {
	what := fmt.Sprintf("%s %s", termsafe.Cut(j.Line.Method, 16), shownPath(j.Line.Target))
	times := ""
	if j.Total > 1 {
		times = fmt.Sprintf(" ×%d", j.Sent)
		what += times
	}
	switch {
	case j.LastErr != "":
		return "stopped: " + j.LastErr, ""
	case j.Lost > 0 && j.Lost == j.Sent:
		return what + ": no response came back — the server may still have acted; look at the log",
			"✗ no response came back — the server may still have acted"
	case j.Lost > 0:
		return fmt.Sprintf("%s: %d without a response, last %s", what, j.Lost, statusText(j.Last)),
			fmt.Sprintf("sent%s: %d without a response, last %s", times, j.Lost, statusText(j.Last))
	default:
		return "sent " + what + " → " + statusText(j.Last), "sent" + times + " → " + statusText(j.Last)
	}
}

func (m *Model) skip() tea.Cmd {
	j := m.job
	if j == nil {
		m.flash = "nothing is repeating"
		return nil
	}
	j.Skip = true
	if !j.InFlight {
		return m.sendNext()
	}
	if j.wake != nil {
		// The next batch may still be waiting for its turn: wake it, and
		// the rest goes at once (repeatTickMsg). Already sent, its result
		// sends the rest (onSent).
		close(j.wake)
		j.wake = nil
	}
	return nil
}

// --- updates -------------------------------------------------------------------

// takeUpdates shows the session's updates, except a batch's own exchanges
// that come before the batch's result (sentMsg): those wait for it, so
// that the log and the repeat's count move together, in one frame, in
// whichever order the two arrive (see also onSent). The result is on its
// way when the exchanges are in the session; should it not come within
// earlyWait (another command's updates, caught while a slow batch is on
// the network), they are shown anyway.
func (m *Model) takeUpdates(msg updatesMsg) tea.Cmd {
	if j := m.job; j != nil && j.InFlight && (m.early != nil || byCommand(msg.Updates, j.Done)) {
		if m.early != nil {
			m.early.Updates = append(m.early.Updates, msg.Updates...)
			m.early.Skipped += msg.Skipped
			m.early.Snap = msg.Snap
			return m.waitUpdates()
		}
		m.early = &msg
		m.earlyID++
		m.earlyGone = make(chan struct{})
		m.earlyBy = time.Now().Add(earlyWait)
		return m.waitUpdates()
	}
	return tea.Batch(m.showEarly(), m.onUpdates(msg))
}

// earlyWait is the longest a batch's exchanges wait for its result.
const earlyWait = 100 * time.Millisecond

// showEarlyMsg shows updates kept back since takeUpdates numbered them id,
// if they are still kept.
type showEarlyMsg struct{ id int }

// showEarly shows the updates takeUpdates kept back, if any.
func (m *Model) showEarly() tea.Cmd {
	if m.early == nil {
		return nil
	}
	msg := *m.early
	m.early = nil
	close(m.earlyGone)
	m.earlyGone = nil
	// Its waiting command was started when it was kept back.
	msg.noWait = true
	return m.onUpdates(msg)
}

// byCommand reports whether ups hold exchanges a command of this screen
// made (a batch of a repeat) after the exchange numbered done: those of a
// batch whose result has not come.
func byCommand(ups []session.Update, done uint64) bool {
	for _, u := range ups {
		if u.Kind == session.UpdateEvent && u.ByCommand && u.Event.Seq > done {
			return true
		}
	}
	return false
}

// onUpdates shows what happened in the session: new events go to the server
// pane; a step's status, evaluated after exchanges, to the lesson pane.
func (m *Model) onUpdates(msg updatesMsg) tea.Cmd {
	// The batch's events go to the server pane, which copies what it
	// keeps: the slice is reused from batch to batch.
	fresh := m.fresh[:0]
	defer func() {
		clear(fresh) // hold no event's bodies until the next batch
		m.fresh = fresh[:0]
	}()
	var steps []int // where in fresh a step began
	var cmds []tea.Cmd
	for _, u := range msg.Updates {
		switch u.Kind {
		case session.UpdateEvent:
			fresh = append(fresh, u.Event)
			if u.Event.Kind == sim.KindExchange && u.Event.Source != sim.SourceLesson {
				m.tried = true
			}
		case session.UpdateStatus:
			cmds = append(cmds, m.observed(u.Status))
		case session.UpdateStep:
			m.notYet, m.tried = "", false // a new step, or the step reset, starts untried
			steps = append(steps, len(fresh))
			// This screen's own moves were shown when it made them;
			// another view of the session may have moved the learner.
			if m.stepID() != m.entered {
				m.enterStep()
				cmds = append(cmds, m.buildLesson(false))
			}
		case session.UpdateAnswer:
			cmds = append(cmds, m.buildLesson(false))
		}
	}
	// The network switch may have changed since the snapshot was read.
	msg.Snap.Faults, msg.Snap.Retry = m.ss.sess.Faults(), m.ss.sess.Retry()
	m.srv.Apply(fresh, steps, msg.Snap, msg.Skipped > 0)
	if m.heldSeq != 0 && m.srv.Newest() >= m.heldSeq {
		m.heldSeq = 0
		m.comp.SetRunning(m.heldRun)
	}
	if !msg.noWait {
		cmds = append(cmds, m.waitUpdates())
	}
	return tea.Batch(cmds...)
}

func (m *Model) waitUpdates() tea.Cmd {
	if m.ss.manual {
		return nil
	}
	if m.early != nil {
		return guard(waitUpdates(m.ss, m.earlyID, m.earlyBy, m.earlyGone))
	}
	return guard(waitUpdates(m.ss, 0, time.Time{}, nil))
}

// status is how the current step stands, as the session last evaluated it.
func (m *Model) status() lessons.StepStatus {
	return m.ss.sess.Status().ForView(lessons.Screen) // the words meant for the full screen
}

// quiz is the learner's latest answer on the current quiz step.
func (m *Model) quiz() session.Quiz { return m.ss.sess.Quiz() }

// observed shows a step's status the session evaluated after exchanges.
func (m *Model) observed(st lessons.StepStatus) tea.Cmd {
	m.notYet = st.ForView(lessons.Screen).NotYet()
	if st.JustPassed {
		m.flash = "✓ step passed — n for the next " + m.nextWord()
		// In the composer n types. The focus stays there (the learner may
		// be typing already, and letters would act as commands), so say
		// how to get out.
		if m.focus == paneComposer {
			m.flash = "✓ step passed — ctrl+n for the next " + m.nextWord()
		}
	}
	// The engine reports a failed save once, in the same status as the
	// pass that tried it: say both.
	if err := st.SaveErr; err != nil {
		m.noSave = true
		if st.JustPassed {
			m.flash = "✓ step passed — but progress could not be saved: " + err.Error()
		} else {
			m.flash = "progress could not be saved: " + err.Error()
		}
	}
	if !st.JustPassed && st.SaveErr == nil && !m.lessonStale(st) {
		return nil
	}
	return m.buildLesson(st.JustPassed)
}

// sameStatus reports whether two statuses show the same in the lesson pane.
func sameStatus(a, b lessons.StepStatus) bool {
	return a.Passed == b.Passed && slices.Equal(a.Results, b.Results)
}
