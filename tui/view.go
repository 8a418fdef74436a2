package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// View draws the screen from state computed in Update: it slices
// pre-rendered lines and draws borders, nothing more.
func (m *Model) View() tea.View {
	v := tea.NewView(m.screen())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "putpost"
	return v
}

// screen is the whole frame as text.
func (m *Model) screen() string {
	if !m.ready {
		return ""
	}
	if m.lay.TooSmall {
		return tooSmallText(m.lay.W, m.lay.H)
	}
	l := m.lay
	st := m.st
	fm := &m.ss.frames

	ltitle, lnote := m.lessonTitle()
	lessonBox := fm.box(boxLesson, st, l.Lesson, ltitle, lnote, m.lesson.View(m.focus == paneComposer), m.focus == paneLesson, true)

	cnote := "one line"
	if m.comp.IsForm() {
		cnote = "form"
	}
	if m.job != nil {
		cnote = m.comp.Running() // the count as shown, in step with the log (onSent)
	}
	compBox := fm.box(boxComposer, st, l.Composer, "Request", cnote, m.comp.View(), m.focus == paneComposer, false)

	stitle := "Server"
	if open, seq := m.srv.InWire(); open {
		stitle = "Wire view #" + strconv.FormatUint(seq, 10)
	}
	srvBox := fm.box(boxServer, st, l.Server, stitle, m.srv.NetworkNote(), m.srv.View(), m.focus == paneServer, true)

	body := fm.join(l.Side, lessonBox, compBox, srvBox, m.footer)
	if f, ok := m.overlayFrame(); ok {
		body = fm.over(body, fm.box(boxOverlay, st, f.r, f.title, f.note, f.lines, true, false), f.r)
	}
	return body
}

// overlayFrame is an open box (welcome, help, lessons, reset): where it is
// and the lines it shows. The screen draws it; a click finds its lines in it.
type overlayFrame struct {
	r           rect
	title, note string
	lines       []string      // the visible lines
	off         int           // index of the first visible line
	total       int           // lines in all, visible or not
	picks       []resetChoice // reset box: the option on each line
}

func (m *Model) overlayFrame() (overlayFrame, bool) {
	l := m.lay
	var f overlayFrame
	// window shows all through sc (scrolled to line show when it is not
	// negative) in the box's height.
	window := func(sc scroller, all []string, show int) {
		sc.SetHeight(f.r.H - 2)
		sc.SetLines(all)
		if show >= 0 {
			sc.Show(show)
		}
		f.lines, f.off, f.total = sc.Visible(), sc.off, len(all)
	}
	switch m.overlay {
	case overlayWelcome:
		r0 := overlayRect(l, 72, l.H)
		note := m.noticeLines(r0.W - 2)
		if len(note) > 0 {
			note = append(note, "")
		}
		f.r, f.title = overlayRect(l, 72, 17+len(note)), "Welcome to putpost"
		// The notice comes first, so a short terminal still shows it whole.
		f.lines = append(note, m.welcomeLines(f.r.W-2)...)
		f.total = len(f.lines)
	case overlayNotice:
		r0 := overlayRect(l, 72, l.H)
		lines := append(m.noticeLines(r0.W-2), "", " "+m.st.Muted.Render("Press any key to go on."))
		f.r, f.title = overlayRect(l, 72, len(lines)+2), "Notice"
		f.lines, f.total = lines, len(lines)
	case overlayCopied:
		r0 := overlayRect(l, 100, l.H)
		lines := m.copiedLines(r0.W - 2)
		f.r, f.title = overlayRect(l, 100, len(lines)+2), "Copied as curl"
		window(scroller{}, lines, -1)
	case overlayExport:
		lines := m.exportLines()
		f.r, f.title, f.note = overlayRect(l, 72, len(lines)+2), "Export requests", "esc cancel"
		f.lines, f.total = lines, len(lines)
	case overlayHelp:
		r, lines := m.helpBox()
		f.r, f.title, f.note = r, "Keys", "esc close"
		window(m.keysBox.sc, lines, -1)
	case overlayContents:
		f.r, f.title = overlayRect(l, 72, len(m.ss.sess.Lessons())+contentsHead+2), "Lessons"
		window(scroller{}, m.contentsLines(f.r.W-2), m.toc.Selected()+contentsHead)
	case overlayReset:
		r0 := overlayRect(l, 72, l.H)
		lines, picks := m.resetLines(r0.W - 2)
		f.r, f.title, f.note = overlayRect(l, 72, len(lines)+2), "Reset", "esc cancel"
		if m.reset.Asking() != resetNone {
			f.title = "Reset — are you sure?"
		}
		window(scroller{}, lines, -1)
		f.picks = picks
	default:
		return f, false
	}
	return f, true
}

// refreshFooter renders the footer for the current focus: the short help,
// or a message that replaces it until the next key. Update calls it after
// every message; a footer whose inputs (footerFor) are what they were is
// kept as drawn.
func (m *Model) refreshFooter() {
	if !m.ready || m.lay.TooSmall {
		return
	}
	in := footerFor{w: m.lay.W, st: m.st, noSave: m.noSave, flash: m.flash,
		curl: m.curl, curlShort: m.curlShort, faults: m.ss.sess.Faults(), retry: m.ss.sess.Retry()}
	if m.flash == "" {
		m.keysText = appendKeyHelp(m.keysText[:0], m.shortHelp())
		in.keys = m.keysText
	}
	if m.footer != "" && in.same(&m.footerIn) {
		return
	}
	in.keys = append(m.footerIn.keys[:0], in.keys...) // keysText is reused
	m.footerIn = in
	w := m.lay.W
	// Progress that is not being saved stays said, at the start of the
	// footer, for the whole session.
	mark := ""
	if m.noSave {
		mark = m.st.Error.Render(" ⚠ progress not saved ")
	}
	rest := w - ansi.StringWidth(mark)
	var line string
	if m.flash != "" {
		// A flash may quote an error that names a file or a server's words.
		line = m.st.Notice.Render(ansi.Truncate(" "+termsafe.Cut(m.flash, 4*w), max(1, rest), "…"))
	} else {
		m.help.SetWidth(rest - 1)
		line = " " + m.help.ShortHelpView(m.shortHelp())
	}
	footer := fitLine(mark+line, w)
	if m.curl != "" {
		// Only a whole command line can be pasted: fall back to a plain GET
		// of the same resource when the full one does not fit.
		label, cmd := " from another terminal: ", m.curl
		if ansi.StringWidth(label+cmd) > w {
			label = " try: "
		}
		if ansi.StringWidth(label+cmd) > w {
			cmd = m.curlShort
		}
		// The learner's network reaches curl too: say what it will see.
		note := ""
		switch f := in.faults; {
		case f.DropRequests:
			note = "  (the network drops it: curl gets no reply"
		case f.LoseResponses:
			note = "  (the network loses the answer: curl prints \"Empty reply from server\""
		}
		if note != "" {
			if in.retry != sim.RetryNone {
				note += "; sent again, it is the retry " + string(in.retry) + " allows or not"
			}
			note += ")"
		}
		if ansi.StringWidth(label+cmd+note) > w {
			note = ""
		}
		footer += "\n" + fitLine(m.st.Muted.Render(label)+m.st.Text.Render(cmd)+m.st.Faint.Render(note), w)
	}
	m.footer = footer
}

// footerFor is everything the footer is drawn from: refreshFooter draws it
// again only when one of these changed. keys is the short help's keys and
// descriptions as text (appendKeyHelp), which stands for the focus, the
// open box, the running repeat and whatever else picks them.
type footerFor struct {
	w               int
	st              *Styles
	noSave          bool
	flash           string
	keys            []byte
	curl, curlShort string
	faults          sim.FaultSettings
	retry           sim.RetryPolicy
}

func (a *footerFor) same(b *footerFor) bool {
	return a.w == b.w && a.st == b.st && a.noSave == b.noSave && a.flash == b.flash &&
		a.curl == b.curl && a.curlShort == b.curlShort && a.faults == b.faults && a.retry == b.retry &&
		string(a.keys) == string(b.keys)
}

// appendKeyHelp appends what the help shows of each enabled binding.
func appendKeyHelp(dst []byte, bs []key.Binding) []byte {
	for _, b := range bs {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		dst = append(dst, h.Key...)
		dst = append(dst, 0)
		dst = append(dst, h.Desc...)
		dst = append(dst, 1)
	}
	return dst
}

// shortHelp is the footer's keys for where the focus is.
func (m *Model) shortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.overlay == overlayWelcome:
		return []key.Binding{footKeys.anyStart, footKeys.ctrlCQuit}
	case m.overlay == overlayNotice:
		return []key.Binding{footKeys.anyGoOn, footKeys.ctrlCQuit}
	case m.overlay == overlayContents:
		return []key.Binding{footKeys.upDownChoose, footKeys.enterOpen, footKeys.escClose}
	case m.overlay == overlayReset && m.reset.Asking() != resetNone:
		return []key.Binding{footKeys.yesReset, footKeys.noReset}
	case m.overlay == overlayReset && m.ss.sess.Mode() == session.Sandbox:
		return []key.Binding{footKeys.resetServer, footKeys.escCancel}
	case m.overlay == overlayReset:
		return []key.Binding{footKeys.slaChoose, footKeys.escCancel}
	case m.overlay != overlayNone:
		return []key.Binding{footKeys.escClose, footKeys.upDownScroll}
	case m.focus == paneComposer:
		b := []key.Binding{k.Send, footKeys.escLeave, footKeys.ctrlRRepeat, footKeys.ctrlOForm, k.FocusNext}
		if m.job != nil {
			b = append([]key.Binding{footKeys.ctrlXFinish}, b...)
		}
		return append(b, footKeys.f1Help, footKeys.ctrlCQuit)
	case m.focus == paneServer && m.inWire():
		return []key.Binding{footKeys.upDownScroll, footKeys.escBackToLog, k.Undo, k.FocusNext, k.Help, k.Quit}
	case m.focus == paneServer:
		// c (chart) is left out to fit 80 columns; the chart's header names it.
		b := []key.Binding{footKeys.upDownSelect, footKeys.enterWire, short(k.Undo, "u", "undo"), k.Faults, short(k.Retry, "r", "retry"), k.FocusNext, short(k.Help, "?", "help"), short(k.Quit, "q", "quit")}
		if m.job != nil {
			b = append([]key.Binding{k.Skip}, b...)
		}
		return b
	case m.ss.sess.Mode() == session.Sandbox:
		b := []key.Binding{short(k.Edit, "e", "edit"), k.FocusNext, short(k.Undo, "u", "undo"), k.Faults, short(k.Retry, "r", "retry"), short(k.Help, "?", "help"), short(k.Quit, "q", "quit")}
		if m.job != nil {
			b = append([]key.Binding{k.Skip}, b...)
		}
		return b
	default:
		b := m.keys.ShortHelp()
		if m.job != nil {
			b = append([]key.Binding{k.Skip}, b...)
		}
		if st := m.ss.sess.Step(); st != nil && st.Quiz != nil {
			b = append([]key.Binding{short(k.Answer, "1-"+strconv.Itoa(min(9, len(st.Quiz.Choices))), "answer")}, b...)
		}
		return b
	}
}

// footKeys are the footer's own labels for keys (shortHelp), made once:
// the footer is drawn after every message.
var footKeys = struct {
	anyStart, anyGoOn, ctrlCQuit, f1Help                           key.Binding
	upDownChoose, upDownScroll, upDownSelect, enterOpen, enterWire key.Binding
	escClose, escCancel, escLeave, escBackToLog                    key.Binding
	yesReset, noReset, resetServer, slaChoose                      key.Binding
	ctrlRRepeat, ctrlOForm, ctrlXFinish                            key.Binding
}{
	anyStart:     bind("any key", "start"),
	ctrlCQuit:    bind("ctrl+c", "quit"),
	anyGoOn:      bind("any key", "go on"),
	upDownChoose: bind("↑/↓", "choose"),
	enterOpen:    bind("⏎", "open"),
	escClose:     bind("esc", "close"),
	yesReset:     bind("y", "yes, reset"),
	noReset:      bind("n/esc", "no"),
	resetServer:  bind("s", "reset the server"),
	escCancel:    bind("esc", "cancel"),
	slaChoose:    bind("s/l/a", "choose"),
	upDownScroll: bind("↑/↓", "scroll"),
	escLeave:     bind("esc", "leave"),
	ctrlRRepeat:  bind("ctrl+r", "×N"),
	ctrlOForm:    bind("ctrl+o", "form"),
	ctrlXFinish:  bind("ctrl+x", "finish repeat"),
	f1Help:       bind("f1", "help"),
	escBackToLog: bind("esc", "back to the log"),
	upDownSelect: bind("↑/↓", "select"),
	enterWire:    bind("⏎", "wire view"),
}

func bind(keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys), key.WithHelp(keys, desc))
}

// noticeLines is the start-up notice wrapped to w cells, whole: a path in
// it is what the learner needs to find the old file.
func (m *Model) noticeLines(w int) []string {
	if m.notice == "" {
		return nil
	}
	var out []string
	for _, ln := range strings.Split(ansi.Wrap(m.notice, max(1, w-2), " "), "\n") {
		out = append(out, " "+m.st.Notice.Render(strings.TrimRight(ln, " ")))
	}
	return out
}

func (m *Model) welcomeLines(w int) []string {
	st := m.st
	quitDesc := "quit — your progress is saved"
	if m.noSave {
		quitDesc = "quit (progress is not being saved)"
	}
	row := func(k, desc string) string {
		return st.Key.Render(fitLine(k, 16)) + " " + st.Text.Render(desc)
	}
	lines := []string{
		st.Bold.Render("Learn HTTP PUT vs POST by sending requests to a live"),
		st.Bold.Render("server that runs inside this program."),
		"",
		row("tab / shift+tab", "move between lesson, request and server"),
		row("e", "write a request; ⏎ sends it, esc leaves the editor"),
		row("h / s", "a hint / the solution (filled in, you send it)"),
		row("n / p", "next / previous step"),
		row("t", "all lessons, with your progress"),
		row("↑↓ j k pgup pgdn", "scroll; the mouse wheel scrolls, a click focuses"),
		row("u", "undo the newest change on the server"),
		row("R", "reset this step, this lesson or all progress"),
		row("?", "every key"),
		row("q", quitDesc),
		"",
		st.Muted.Render("Press any key to start."),
	}
	for i, ln := range lines {
		lines[i] = " " + ansi.Truncate(ln, max(1, w-1), "…")
	}
	return lines
}

// helpBox is where the help box goes and all its lines. The lines are laid
// out once per width and theme (the keymap is fixed when the Model is
// made): the box is drawn, scrolled and clicked with the same ones.
func (m *Model) helpBox() (rect, []string) {
	w := overlayRect(m.lay, 100, m.lay.H).W - 2
	c := &m.ss.frames.help
	if c.lines == nil || c.w != w || c.st != m.st {
		c.w, c.st, c.lines = w, m.st, m.helpLines(w)
	}
	return overlayRect(m.lay, 100, len(c.lines)+2), c.lines
}

// helpLines lays the full keymap out in as many columns as fit in w.
func (m *Model) helpLines(w int) []string {
	st := m.st
	var cols [][]string
	for _, group := range m.keys.FullHelp() {
		kw := 0
		for _, b := range group {
			kw = max(kw, ansi.StringWidth(b.Help().Key))
		}
		var col []string
		for _, b := range group {
			h := b.Help()
			col = append(col, st.Key.Render(fitLine(h.Key, kw))+" "+st.KeyDesc.Render(h.Desc))
		}
		cols = append(cols, col)
	}
	colW := make([]int, len(cols))
	for i, col := range cols {
		for _, ln := range col {
			colW[i] = max(colW[i], ansi.StringWidth(ln))
		}
	}
	// Greedily fill rows of columns.
	var lines []string
	for i := 0; i < len(cols); {
		used, j := 1, i
		for j < len(cols) && (j == i || used+colW[j]+3 <= w) {
			used += colW[j] + 3
			j++
		}
		rows := 0
		for _, col := range cols[i:j] {
			rows = max(rows, len(col))
		}
		lines = append(lines, "")
		for r := range rows {
			line := " "
			for c := i; c < j; c++ {
				cell := ""
				if r < len(cols[c]) {
					cell = cols[c][r]
				}
				line += fitLine(cell, colW[c]) + "   "
			}
			lines = append(lines, line)
		}
		i = j
	}
	notes := []string{
		"",
		"In the request editor letters type; ctrl keys, f1, tab and esc still work.",
		"Request line: METHOD /path [JSON body] [-H 'Name: value'] [xN], for example",
		`  PUT /accounts/42 {"balance": 100}     POST /customers {"name":"Joe"} x3`,
		"Curl command lines work too: curl -X PUT http://localhost/accounts/42 --json '{…}'",
		"Mouse: the wheel scrolls the pane under the pointer; a click focuses a pane, selects a log entry, or opens a lesson in the list (t).",
	}
	for _, n := range notes {
		for _, ln := range strings.Split(ansi.Wrap(n, max(10, w-2), " "), "\n") {
			lines = append(lines, " "+st.Muted.Render(ln))
		}
	}
	return lines
}
