package tui

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/chart"
	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/session"
)

// lessonPane shows the current lesson and step: rendered Markdown, the task
// with its live checks, hints, the quiz, and the explanation once passed.
// Its lines are built in Update (buildLesson); View only slices them.
type lessonPane struct {
	w, h     int
	sc       scroller
	id       string   // lesson/step the lines are for; a change scrolls to the top
	hintAt   int      // line of the newest hint
	resultAt int      // line where the outcome (passed, answer) starts; -1 if none
	anchor   anchor   // what the scroll position follows when the text reflows
	taskAt   int      // line of the task heading; -1 without one
	summary  string   // one-line task state, pinned at the bottom while taskAt is out of view
	summaryC string   // the same for when the composer has the focus (where n types)
	notYet   []string // "Not yet: …" after a request that did not pass, up to notYetLines lines: pinned at the bottom always
	foot     []string // a quiz's choices: pinned under the prose, which scrolls alone
}

// View is the pane's lines; when the task is scrolled out of view its
// one-line summary takes the last row, so the check state is always on
// screen. inComposer picks the summary's wording for a focused composer.
func (l *lessonPane) View(inComposer bool) []string {
	vis := l.sc.Visible()
	if pinned := l.pinned(); len(pinned) > 0 {
		out := make([]string, l.h)
		copy(out, vis)
		copy(out[l.h-len(pinned):], pinned)
		return out
	}
	if l.taskAt < 0 || l.summary == "" || l.h < 3 {
		return vis
	}
	if l.taskAt >= l.sc.off && l.taskAt < l.sc.off+l.h {
		return vis
	}
	out := make([]string, l.h)
	copy(out, vis)
	out[l.h-1] = l.summary
	if inComposer && l.summaryC != "" {
		out[l.h-1] = l.summaryC
	}
	return out
}

// anchor is what the lesson pane keeps in view when its lines are rebuilt
// (new width, new check results): the outcome the learner was just shown,
// the newest hint, or simply where the learner scrolled to.
type anchor int

const (
	anchorNone anchor = iota
	anchorResult
	anchorHint
)

func (l *lessonPane) SetSize(w, h int) {
	l.w, l.h = w, h
	l.sc.SetHeight(h - len(l.pinned()))
}

// pinned are the lines kept at the bottom of the pane whatever the scroll
// position: a quiz's choices (the prose above them scrolls, never they),
// and "Not yet: …" after a request that did not pass the step.
func (l *lessonPane) pinned() []string {
	var out []string
	out = append(out, l.foot...)
	out = append(out, l.notYet...)
	if !l.canPin(len(out)) {
		return nil
	}
	return out
}

// canPin reports whether n pinned lines leave the prose a few lines to
// scroll in.
func (l *lessonPane) canPin(n int) bool { return n <= l.h-2 }

const sandboxText = `# Sandbox

The server holds every fixture: flights, customers, the bank account and
payments. There is no lesson and no check: try anything.

- Type a request in the composer (press **e**), for example
  ` + "`GET /accounts/42`" + ` or ` + "`POST /customers {\"name\":\"Joe\"} x3`" + `.
- Curl command lines work too: ` + "`curl -X PUT http://localhost/accounts/42 --json '{\"balance\":100}'`" + `.
- **f** switches faults on the network, **r** the client's retry policy.
- **u** undoes the newest change; **?** shows every key.`

// enterStep sets the screen up for the session's current step: the
// suggested request in the composer, what the step's network is.
func (m *Model) enterStep() {
	m.entered = m.stepID()
	m.notYet, m.tried = "", false // a new step starts untried
	m.plotForLesson()
	m.comp.Queue(nil)
	m.srv.SetNetwork(m.ss.sess.Faults(), m.ss.sess.Retry())
	m.updateCurl()
	st := m.ss.sess.Step()
	// A quiz, or a step not tried yet, lays the panes out differently (see
	// computeLayout): place them before the lesson is drawn for its pane.
	if m.relaidOut() {
		m.place(m.lay.W, m.lay.H)
	}
	if st == nil {
		return
	}
	// The last outcome belongs to the step before; it would read as if
	// the new suggestion had been sent.
	m.comp.SetStatus("", "")
	if st.Suggest != "" {
		m.comp.Fill(st.Suggest)
	} else {
		m.comp.DropScaffold()
		m.comp.ResetRepeat() // the count was for the last step's request
	}
	// The session puts each step on the network it asks for, or a normal
	// one; say so when the step asks.
	if st.Network != nil && m.flash == "" {
		m.flash = "this step sets the network: " + session.NetworkSummary(m.ss.sess.Faults(), m.ss.sess.Retry())
	}
}

// plotForLesson points the chart at what a newly opened lesson plots.
func (m *Model) plotForLesson() {
	l := m.ss.sess.Lesson()
	id := ""
	if l != nil {
		id = l.ID
	}
	if id == m.plotted {
		return
	}
	m.plotted = id
	var want *chart.Spec
	if l != nil && l.Chart.Set() {
		want = &chart.Spec{Path: l.Chart.Path, Field: l.Chart.Field}
	}
	m.srv.PlotForLesson(want)
}

// refused says in the footer why a lesson command did nothing, and reports
// whether err was such a refusal.
func (m *Model) refused(err error, sandbox string) bool {
	switch {
	case errors.Is(err, session.ErrSandbox):
		m.flash = sandbox
	case errors.Is(err, session.ErrNoLessons):
		m.flash = "there are no lessons to work on"
	default:
		return false
	}
	return true
}

func (m *Model) next() tea.Cmd {
	moved, err := m.ss.sess.Next()
	switch {
	case m.refused(err, "the sandbox has no lessons; start putpost without 'sandbox' to follow them"):
		return nil
	case errors.Is(err, session.ErrLastStep):
		m.flash = "that was the last step of the last lesson — t lists every lesson"
		return nil
	case err != nil:
		m.flash = err.Error()
	}
	m.enterStep()
	m.networkNote(moved)
	return m.buildLesson(false)
}

// networkNote says when moving to a step switched the learner's network
// back to normal (a step that sets one says so in enterStep).
func (m *Model) networkNote(moved session.Moved) {
	if st := m.ss.sess.Step(); moved.Network && st != nil && st.Network == nil && m.flash == "" {
		m.flash = "this step runs on a normal network: " + session.NetworkSummary(m.ss.sess.Faults(), m.ss.sess.Retry())
	}
}

func (m *Model) prev() tea.Cmd {
	moved, err := m.ss.sess.Back()
	switch {
	case m.refused(err, "the sandbox has no lessons"):
		return nil
	case errors.Is(err, session.ErrFirstStep):
		m.flash = "this is the first step; t lists every lesson"
		return nil
	}
	m.enterStep()
	m.networkNote(moved)
	return m.buildLesson(false)
}

func (m *Model) hint() tea.Cmd {
	_, _, err := m.ss.sess.Hint()
	switch {
	case m.refused(err, "no hints in the sandbox"):
		return nil
	case errors.Is(err, session.ErrNoHints):
		m.flash = "this step has no hints"
		return nil
	case errors.Is(err, session.ErrNoMoreHints):
		m.flash = "no more hints — s fills in the solution"
		return nil
	}
	m.lesson.Follow(anchorHint)
	return m.buildLesson(false)
}

func (m *Model) solution() tea.Cmd {
	sol, err := m.ss.sess.Solution()
	switch {
	case m.refused(err, "no solutions in the sandbox"):
		return nil
	case errors.As(err, new(*session.NotYetError)):
		m.flash = err.Error()
		return nil
	case err == nil && sol.Choice >= 0:
		// A quiz: the session gives its right choice, as line mode says.
		c := m.ss.sess.Step().Quiz.Choices[sol.Choice]
		m.flash = fmt.Sprintf("the answer is %d: %s", sol.Choice+1, inlinePlain(c.Text))
		return nil
	case err != nil || len(sol.Requests) == 0:
		m.flash = "this step has no solution to fill in"
		return nil
	}
	// The request the step still needs: after the first of two is sent,
	// the second.
	m.comp.Fill(sol.Requests[sol.Next])
	m.comp.Queue(sol.Requests[sol.Next+1:])
	if sol.Next > 0 {
		m.comp.SetStatus(fmt.Sprintf("solution's request %d of %d filled in, as you sent the ones before — not sent: ⏎ sends it", sol.Next+1, len(sol.Requests)),
			fmt.Sprintf("solution's request %d of %d filled in, not sent", sol.Next+1, len(sol.Requests)))
	} else {
		m.comp.SetStatus("solution filled in — it is not sent: press ⏎ to send it", "solution filled in, not sent: ⏎ sends it")
	}
	m.setFocus(paneComposer, false)
	return nil
}

func (m *Model) answer(choice int) tea.Cmd {
	q, st, err := m.ss.sess.Answer(choice)
	var ce *session.ChoiceError
	switch {
	case m.refused(err, ""):
		return nil
	case errors.Is(err, session.ErrNotQuiz):
		m.flash = "number keys answer quiz steps; this step is a task"
		return nil
	case errors.As(err, &ce):
		m.flash = ce.Error()
		return nil
	case err != nil:
		m.flash = err.Error()
		return nil
	case q.Correct:
		m.flash = "✓ right — n for the next " + m.nextWord()
		if st.SaveErr != nil {
			m.noSave = true
			m.flash = "✓ right — but progress could not be saved: " + st.SaveErr.Error()
		}
	default:
		m.flash = "not quite — read why, then try another answer"
	}
	return m.buildLesson(st.JustPassed || !q.Correct)
}

// stepID names the session's current step ("put-replace#2"), or "sandbox".
func (m *Model) stepID() string {
	if l := m.ss.sess.Lesson(); l != nil {
		return l.ID + "#" + strconv.Itoa(m.ss.sess.StepIndex())
	}
	return "sandbox"
}

// --- building the pane ----------------------------------------------------

// buildLesson lays out the lesson pane's lines for the current step.
// Markdown comes from the cache; what is missing is rendered in commands and
// shown as plain wrapped text until it arrives. jumpToResult scrolls to the
// outcome (a step just passed, a quiz just answered).
func (m *Model) buildLesson(jumpToResult bool) tea.Cmd {
	w := m.lesson.Width()
	if w <= 0 {
		return nil
	}
	c := lessonContent{taskAt: -1, resultAt: -1}
	var (
		lines []string
		cmds  []tea.Cmd
	)
	theme := m.md.theme
	md := func(k mdKey, src string) {
		src = lessons.ForView(src, lessons.Screen) // the words meant for the full screen
		if strings.TrimSpace(src) == "" {
			return
		}
		k.Width, k.Theme = w, theme
		out, ok, cmd := m.cache.get(m.md, k, src)
		if cmd != nil {
			cmds = append(cmds, guard(cmd))
		}
		if !ok {
			out = m.st.Muted.Render(ansi.Wordwrap(src, w, " "))
		}
		lines = append(lines, strings.Split(out, "\n")...)
	}
	text := func(st func(...string) string, s string, indent int) {
		s = lessons.ForView(s, lessons.Screen)
		pad := strings.Repeat(" ", indent)
		for _, ln := range strings.Split(ansi.Wrap(s, max(1, w-indent), " "), "\n") {
			lines = append(lines, pad+st(ln))
		}
	}
	blank := func() { lines = append(lines, "") }

	eng := m.ss.sess
	lesson, step, idx := eng.Lesson(), eng.Step(), eng.StepIndex()
	c.id = m.stepID()
	m.builtFor, m.builtRepeat, m.builtNotYet, m.builtTried = m.status(), m.repeating(), m.notYet, m.tried
	c.summary = m.taskSummary(w, false)
	c.summaryC = m.taskSummary(w, true)
	switch notYet := m.notYet; {
	case notYet != "" && m.builtRepeat > 0:
		// The verdict on the request before the repeat is not the step's
		// verdict on the repeat.
		notYet = fmt.Sprintf("Not yet judged: the step judges the ×%d once all are sent", m.builtRepeat)
		fallthrough
	case notYet != "":
		c.notYet = notYetLines(notYet, w, m.st)
	}
	var foot []string

	switch {
	case lesson == nil || step == nil:
		md(mdKey{Part: "sandbox"}, sandboxText)
	default:
		if idx == 0 && lesson.Intro != "" {
			md(mdKey{Lesson: lesson.ID, Step: -1, Part: "intro"}, "# "+lesson.Title+"\n\n"+lesson.Intro)
			blank()
		}
		kind := "Step"
		if step.Quiz != nil {
			kind = "Quiz"
		}
		head := fmt.Sprintf("## %s %d/%d: %s\n\n%s", kind, idx+1, len(lesson.Steps), step.Title, step.Text)
		md(mdKey{Lesson: lesson.ID, Step: idx, Part: "text"}, head)
		blank()

		c.taskAt = len(lines)
		if step.Quiz != nil {
			c.resultAt = m.quizLines(step, &lines, &foot, md, text)
		} else {
			lines = append(lines, m.st.Bold.Render("▶ Your task"))
			for _, r := range m.status().Checklist() {
				if r.OK {
					text(m.st.OK.Render, "✓ "+r.Desc, 2)
				} else {
					line := "○ " + r.Desc
					switch {
					case m.builtRepeat > 0:
						line += fmt.Sprintf(" — judged once all %d are sent", m.builtRepeat)
					case r.Detail != "":
						line += " — " + r.Detail
					}
					text(m.st.Pending.Render, line, 2)
				}
			}
			switch {
			case m.status().Passed || step.Suggest == "" || m.builtTried:
				// Once the learner has sent something, the composer no
				// longer holds what the lesson put there.
			case step.IsScaffold():
				text(m.st.Faint.Render, "The composer holds the start of a request: press e, type the method in front, then ⏎.", 2)
			default:
				text(m.st.Faint.Render, "The composer holds a suggested request: edit it, or press e then ⏎ to send it.", 2)
			}
		}

		if hs := eng.HintsShown(); len(hs) > 0 {
			blank()
			for i, h := range hs {
				lines = append(lines, m.st.Info.Render(fmt.Sprintf("Hint %d/%d", i+1, len(step.Hints))))
				md(mdKey{Lesson: lesson.ID, Step: idx, Part: "hint" + strconv.Itoa(i) + "\x00" + h}, h) // live values: the text is part of the key
			}
			c.hintAt = len(lines) - 1
		} else if !m.status().Passed && len(step.Hints) > 0 {
			text(m.st.Faint.Render, fmt.Sprintf("Stuck? h shows a hint (%d); after a try or a hint, s fills in the solution.", len(step.Hints)), 2)
		}

		if m.status().Passed && step.Quiz == nil {
			blank()
			c.resultAt = len(lines)
			head := "✓ Step passed"
			if !m.status().Holds() {
				// Passed on an earlier visit, or before a reset: the
				// checks above are this visit's.
				head = "✓ Step passed before · the checks above start again"
			}
			lines = append(lines, m.st.OK.Render(head))
			// The explanation may hold live values: the text is part of the key.
			explain := eng.Explain()
			md(mdKey{Lesson: lesson.ID, Step: idx, Part: "explain\x00" + explain}, explain)
		}
		if m.status().Passed {
			blank()
			lines = append(lines, m.nextLine(lesson, idx))
		}
	}

	// A quiz's choices are pinned under the prose when they leave it a few
	// lines; else they stay in the text and scroll with it.
	for i, ln := range foot {
		foot[i] = fitLine(ln, w)
	}
	pinned := len(foot) + len(c.notYet)
	if m.lesson.canPin(pinned) {
		c.foot = foot
	} else if len(foot) > 0 {
		lines = slices.Insert(lines, c.taskAt, foot...)
		if c.resultAt >= c.taskAt {
			c.resultAt += len(foot)
		}
	}
	// A last empty line for the task summary to cover when it is pinned
	// at the bottom (see View), so that it never hides the end.
	if c.taskAt >= 0 {
		lines = append(lines, "")
	}
	// Fit every line to the pane now, so that View draws them as they are.
	for i, ln := range lines {
		if ln != "" {
			lines[i] = fitLine(ln, w)
		}
	}
	c.lines = lines
	m.lesson.SetContent(c, jumpToResult)
	return tea.Batch(cmds...)
}

// quizLines draws the choices and the answer given; it returns the line
// where the answer's outcome starts (-1 before any answer).
func (m *Model) quizLines(step *lessons.Step, prose, lines *[]string, md func(mdKey, string), text func(func(...string) string, string, int)) int {
	q := step.Quiz
	if q.Question != "" && !strings.Contains(step.Title, q.Question) {
		text(m.st.Bold.Render, q.Question, 0)
	}
	*lines = append(*lines, m.st.Bold.Render(fmt.Sprintf("▶ Answer with 1–%d", len(q.Choices))))
	at := -1
	// The choices go to lines, pinned when they fit; the question, why a
	// pick is wrong, and the explanation once answered go to the prose,
	// which scrolls to the newest of them.
	for i, c := range q.Choices {
		mark := fmt.Sprintf("%d. ", i+1)
		st := m.st.Text.Render
		switch {
		case m.quiz().Picked == i && m.quiz().Correct:
			mark, st = "✓ "+mark, m.st.OK.Render
		case m.quiz().Picked == i:
			mark, st = "✗ "+mark, m.st.Fail.Render
		case m.quiz().Picked < 0 && m.status().Passed && c.Correct:
			mark, st = "✓ "+mark, m.st.OK.Render
		default:
			mark = "  " + mark
		}
		// Wrapped choices hang under their text, not under the number.
		pad := strings.Repeat(" ", 2+ansi.StringWidth(mark))
		for j, ln := range strings.Split(ansi.Wrap(inlinePlain(c.Text), max(1, m.lesson.Width()-len(pad)), " "), "\n") {
			if j == 0 {
				*lines = append(*lines, "  "+st(mark+ln))
			} else {
				*lines = append(*lines, pad+st(ln))
			}
		}
	}
	if q := m.quiz(); q.Picked >= 0 && !q.Correct && q.Why != "" && q.Why != step.Explain {
		at = len(*prose)
		*prose = append(*prose, m.st.Fail.Render(fmt.Sprintf("✗ %d is not it:", q.Picked+1)))
		text(m.st.Muted.Render, inlinePlain(q.Why), 2)
	}
	if m.status().Passed {
		*prose = append(*prose, "")
		at = len(*prose)
		*prose = append(*prose, m.st.OK.Render("✓ Answered"))
		md(mdKey{Lesson: m.ss.sess.Lesson().ID, Step: m.ss.sess.StepIndex(), Part: "explain"}, step.Explain)
	}
	return at
}

// inlinePlain drops the backticks of inline code spans in a quiz choice or
// its reason, which are drawn as plain text rather than through the
// Markdown renderer.
func inlinePlain(s string) string {
	return strings.ReplaceAll(s, "`", "")
}

// nextWord is what n moves on to from the current step: "step", or
// "lesson" from the last step of a lesson.
func (m *Model) nextWord() string {
	l, i := m.ss.sess.Lesson(), m.ss.sess.StepIndex()
	if l != nil && i+1 >= len(l.Steps) {
		return "lesson"
	}
	return "step"
}

func (m *Model) nextLine(lesson *lessons.Lesson, idx int) string {
	eng := m.ss.sess
	switch {
	case idx+1 < len(lesson.Steps):
		return m.st.Key.Render("n") + m.st.Muted.Render(" → next step: "+lesson.Steps[idx+1].Title)
	case eng.NextLesson() != nil:
		return m.st.Key.Render("n") + m.st.Muted.Render(" → next lesson: "+eng.NextLesson().Title)
	default:
		return m.st.OK.Render("That was the last lesson. t lists them all.")
	}
}

// lessonTitle is the lesson pane's title and right-hand note.
func (m *Model) lessonTitle() (string, string) {
	eng := m.ss.sess
	if eng.Lesson() == nil {
		return "Sandbox", m.lesson.Position()
	}
	ls := eng.Lessons()
	l := eng.Lesson()
	n := 0
	for i, x := range ls {
		if x == l {
			n = i + 1
		}
	}
	title := fmt.Sprintf("%d/%d %s", n, len(ls), l.Title)
	note := fmt.Sprintf("step %d/%d", eng.StepIndex()+1, len(l.Steps))
	if m.status().Passed {
		note += " ✓"
	}
	if p := m.lesson.Position(); p != "" {
		note += " · " + p
	}
	return title, note
}

// --- contents ---------------------------------------------------------------

func (m *Model) openContents() {
	eng := m.ss.sess
	if len(eng.Lessons()) == 0 {
		m.flash = "the sandbox has no lessons"
		return
	}
	m.overlay = overlayContents
	m.toc.Select(max(0, eng.LessonIndex()))
}

func (m *Model) moveContents(n int) { m.toc.Move(n, len(m.ss.sess.Lessons())) }

func (m *Model) contentsKey(msg tea.KeyPressMsg) tea.Cmd {
	out := m.toc.Update(msg, m.keys, len(m.ss.sess.Lessons()))
	switch {
	case out.Open:
		return m.openSelected()
	case out.Close:
		m.overlay = overlayNone
	case out.Help:
		m.openHelp()
	}
	return nil
}

// openSelected closes the contents and goes to the lesson selected there
// (staying where one is when it is the current lesson).
func (m *Model) openSelected() tea.Cmd {
	l := m.ss.sess.Lessons()[m.toc.Selected()]
	m.overlay = overlayNone
	if l == m.ss.sess.Lesson() {
		return nil
	}
	if err := m.ss.sess.Goto(l.ID); err != nil {
		m.flash = err.Error()
	}
	m.enterStep()
	return m.buildLesson(false)
}

// contentsHead is how many lines come before the first lesson in the
// contents.
const contentsHead = 2

// contentsLines draws the table of contents: every lesson with done/total.
func (m *Model) contentsLines(w int) []string {
	eng := m.ss.sess
	ls := eng.Lessons()
	out := []string{m.st.Muted.Render("↑/↓ choose · ⏎ or a click opens · esc close"), ""}
	for i, l := range ls {
		done, total := eng.Done(l.ID)
		mark := "  "
		switch {
		case total > 0 && done == total:
			mark = "✓ "
		case done > 0:
			mark = "◐ "
		}
		cur := " "
		if l == eng.Lesson() {
			cur = "▶"
		}
		left := fmt.Sprintf("%s%s%2d. %s", cur, mark, i+1, l.Title)
		right := fmt.Sprintf(" %d/%d", done, total)
		left = ansi.Truncate(left, max(1, w-ansi.StringWidth(right)), "…")
		line := left + strings.Repeat(" ", max(0, w-ansi.StringWidth(left)-ansi.StringWidth(right))) + right
		switch {
		case i == m.toc.Selected():
			line = m.st.Selected.Render(line)
		case total > 0 && done == total:
			line = m.st.OK.Render(line)
		}
		out = append(out, line)
	}
	return out
}

// --- --listen -------------------------------------------------------------

// listen puts a curl line for the server at addr (see Session.Addr) in the
// footer; "" leaves it out.
func (m *Model) listen(addr string) {
	m.curlAddr = addr
	m.updateCurl()
}

// updateCurl builds the footer's ready-to-paste curl line: the current
// step's suggested request, or a plain GET.
func (m *Model) updateCurl() {
	if m.curlAddr == "" {
		m.curl = ""
		return
	}
	rl := request.Line{Method: "GET", Target: "/accounts/42"}
	if st := m.ss.sess.Step(); st != nil && st.Suggest != "" {
		if p, err := request.Parse(st.Suggest); err == nil {
			rl = p
		}
	} else if p := m.srv.FirstPath(); p != "" {
		rl.Target = p
	}
	m.curl = rl.CurlCommand("http://" + m.curlAddr)
	m.curlShort = request.Line{Method: "GET", Target: rl.Target}.CurlCommand("http://" + m.curlAddr)
}

// taskSummary is the step's state in one line: checks done, the first one
// still pending, or how to go on.
func (m *Model) taskSummary(w int, inComposer bool) string {
	eng := m.ss.sess
	if eng.Step() == nil {
		return ""
	}
	st := eng.Step()
	var line string
	switch {
	case m.status().Passed:
		next := " — n for the next " + m.nextWord()
		if inComposer {
			next = " — ctrl+n for the next " + m.nextWord()
		}
		passed := "✓ passed"
		if !m.status().Holds() {
			passed = "✓ passed before"
		}
		line = m.st.OK.Render(passed) + m.st.Muted.Render(next)
	case st.Quiz != nil:
		line = m.st.Bold.Render("▶ quiz") + m.st.Muted.Render(fmt.Sprintf(" — answer with 1–%d (↓ to see the choices)", len(st.Quiz.Choices)))
	default:
		ok := 0
		pending := ""
		for _, r := range m.status().Results {
			if r.OK {
				ok++
			} else if pending == "" {
				pending = r.Desc
			}
		}
		line = m.st.Bold.Render(fmt.Sprintf("▶ task %d/%d", ok, len(m.status().Results)))
		switch {
		case m.builtRepeat > 0:
			line = m.st.Bold.Render("▶ task") + m.st.Pending.Render(fmt.Sprintf(" — judged once all %d are sent", m.builtRepeat))
		case pending != "":
			line += m.st.Pending.Render(" ○ " + pending)
		}
	}
	return fitLine(m.st.Selected.Render(" ")+" "+line, w)
}

// maxNotYet is how many lines the pinned "Not yet: …" may take: enough for
// the reason and what to do about it at 80 columns, which one line cut.
const maxNotYet = 3

// notYetLines lays "Not yet: …" out for the pinned rows of a pane w wide:
// after a marker, wrapped at spaces, at most maxNotYet lines, the last cut.
func notYetLines(text string, w int, st *Styles) []string {
	lines := wrapLines(text, max(1, w-2), "  ", st.Pending)
	lines[0] = st.Selected.Render(" ") + " " + strings.TrimPrefix(lines[0], "  ")
	if len(lines) > maxNotYet {
		lines = lines[:maxNotYet]
		lines[maxNotYet-1] += "…"
	}
	for i := range lines {
		lines[i] = fitLine(lines[i], w)
	}
	return lines
}
