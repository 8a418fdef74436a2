package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/session"
)

// resetChoice is what the reset box (R) can reset.
type resetChoice int

const (
	resetNone   resetChoice = iota
	resetStep               // the server back to where the step began; progress kept
	resetLesson             // the lesson's progress forgotten, back to step 1 on its fixture
	resetAll                // every lesson's progress forgotten, back to lesson 1
	resetServer             // sandbox: every fixture as at the start
)

// resetOption is one line of the reset box: the keys that pick it, a name
// and what it does.
type resetOption struct {
	choice resetChoice
	keys   []string // a letter and a number
	name   string
	what   string
}

// resetOptions lists what R offers here: the step, the lesson and all
// progress in a lesson; the server in the sandbox.
func (m *Model) resetOptions() []resetOption {
	eng := m.ss.sess
	if eng.Lesson() == nil {
		return []resetOption{{resetServer, []string{"s", "1"}, "the server", "every fixture back to its starting state"}}
	}
	done, total := eng.Done(eng.Lesson().ID)
	passed := 0
	for _, l := range eng.Lessons() {
		d, _ := eng.Done(l.ID)
		passed += d
	}
	return []resetOption{
		{resetStep, []string{"s", "1"}, "this step", "the server goes back to how this step began; your progress is kept"},
		{resetLesson, []string{"l", "2"}, "this lesson", fmt.Sprintf("forget this lesson's progress (%d/%d steps) and start it again from step 1", done, total)},
		{resetAll, []string{"a", "3"}, "all progress", fmt.Sprintf("forget the progress of every lesson (%s passed) and start again at lesson 1", plural(passed, "step"))},
	}
}

// openReset opens the reset box. A running repeat must finish first: it
// would go on sending into the state the reset just restored.
func (m *Model) openReset() {
	if m.job != nil {
		m.flash = "a repeat is running: press x to finish it, then R to reset"
		return
	}
	m.overlay = overlayReset
	m.reset = resetBox{}
}

// resetKey hands a key to the open reset box and acts on its answer.
func (m *Model) resetKey(msg tea.KeyPressMsg) tea.Cmd {
	return m.actOnReset(m.reset.Update(msg, m.resetOptions()))
}

// actOnReset closes the box, resets, or says nothing was, as the box asks.
func (m *Model) actOnReset(out resetOut) tea.Cmd {
	if out.Close {
		m.overlay = overlayNone
	}
	if out.Kept {
		m.flash = "nothing was reset"
	}
	if out.Do != resetNone {
		return m.doReset(out.Do)
	}
	return nil
}

// doReset resets and says what happened. The engine's calls are quick and
// in memory (the sim, and one small progress file), like Goto.
func (m *Model) doReset(c resetChoice) tea.Cmd {
	sess := m.ss.sess
	switch c {
	case resetServer:
		if err := sess.Reset(session.ResetStep); err != nil {
			m.flash = "reset failed: " + err.Error()
			return nil
		}
		m.flash = "⟲ server reset: every fixture is back to its starting state"
		return nil
	case resetStep:
		_ = sess.Reset(session.ResetStep)
		m.flash = "⟲ step reset: the server and the network are back to how this step began"
	case resetLesson:
		_ = sess.Reset(session.ResetLesson)
		m.flash = "⟲ lesson reset: its progress is forgotten; you are at step 1 on a fresh server"
	case resetAll:
		_ = sess.Reset(session.ResetAll)
		m.flash = "⟲ all progress reset: you are at the start of lesson 1"
	default:
		return nil
	}
	flash := m.flash
	// A step reset keeps the request the learner was working on: the
	// suggestion would replace it with the step's starting point.
	mine := ""
	if c == resetStep && m.tried {
		mine = m.comp.Value()
	}
	m.lesson.Restart() // back to the top of the step's text
	m.enterStep()
	if mine != "" {
		m.comp.Fill(mine)
	}
	if c == resetStep && m.status().Passed {
		flash += " (the step stays passed)"
	}
	if m.status().SaveErr != nil {
		flash = "progress not saved: " + m.status().SaveErr.Error()
	}
	m.flash = flash
	return m.buildLesson(false)
}

// resetLines draws the reset box for an inner width w. picks gives, line by
// line, the option a click on that line chooses (resetNone for the others).
func (m *Model) resetLines(w int) (lines []string, picks []resetChoice) {
	st := m.st
	wrap := func(s string, width int) []string {
		return strings.Split(ansi.Wrap(s, max(10, width), " "), "\n")
	}
	if ask := m.reset.Asking(); ask != resetNone {
		eng := m.ss.sess
		q := "Forget the progress of every lesson and start again at lesson 1? This cannot be undone."
		if ask == resetLesson {
			l := eng.Lesson()
			done, total := eng.Done(l.ID)
			q = fmt.Sprintf("Forget your progress in “%s” (%d/%d steps passed) and start it again from step 1? The server goes back to the lesson's starting state.", l.Title, done, total)
		}
		lines = append(lines, "")
		for _, ln := range wrap(q, w-2) {
			lines = append(lines, " "+st.Bold.Render(ln))
		}
		lines = append(lines, "",
			" "+st.Key.Render("y")+" "+st.Text.Render("yes, reset")+"     "+st.Key.Render("n / esc")+" "+st.Text.Render("no, keep everything"))
		return lines, make([]resetChoice, len(lines))
	}
	lines = append(lines, st.Muted.Render(" Press a letter or number; nothing happens until you do."), "")
	picks = make([]resetChoice, len(lines))
	opts := m.resetOptions()
	nameW := 0
	for _, o := range opts {
		nameW = max(nameW, ansi.StringWidth(o.name))
	}
	indent := 1 + 3 + 2 + nameW + 2 // " s/1  name  "
	for _, o := range opts {
		desc := wrap(o.what, w-indent-1)
		for len(picks) < len(lines)+len(desc) {
			picks = append(picks, o.choice)
		}
		lines = append(lines, " "+st.Key.Render(o.keys[0]+"/"+o.keys[1])+"  "+st.Bold.Render(fitLine(o.name, nameW))+"  "+st.Muted.Render(desc[0]))
		for _, ln := range desc[1:] {
			lines = append(lines, strings.Repeat(" ", indent)+st.Muted.Render(ln))
		}
	}
	lines = append(lines, " "+st.Key.Render("esc")+"  "+st.Text.Render("cancel"))
	for len(picks) < len(lines) {
		picks = append(picks, resetNone)
	}
	if len(opts) > 1 {
		lines = append(lines, "")
		for _, ln := range wrap("Resetting the lesson or all progress asks first.", w-2) {
			lines = append(lines, " "+st.Faint.Render(ln))
		}
	}
	return lines, picks
}
