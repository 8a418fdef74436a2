package classroom

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"

	"github.com/putpost/putpost/termsafe"
	"github.com/putpost/putpost/tui"
)

// learnerNotice greets every learner: the instructor can see them.
const learnerNotice = "You are in a classroom: the instructor sees your progress, your requests and your screen. " +
	"Press d when you are done with a step and ! when you would like help."

// serveLearner gives a learner the full-screen tutorial on their seat.
func (c *Classroom) serveLearner(s ssh.Session) {
	identity, name := identify(s)
	if strings.TrimSpace(name) == "" {
		// The roster would show a blank line the instructor cannot tell
		// from another, nor call by name.
		say(s, "Your user name is empty: connect with a name the instructor can call you by (ssh NAME@…).")
		_ = s.Exit(1)
		return
	}
	if s.PublicKey() == nil && len(name) > maxIdentityName {
		// Without a key the whole name is the identity, saved with the
		// record: a long one would make the classroom keep it for good.
		say(s, fmt.Sprintf("Your user name is %d bytes long; the classroom takes names up to %d bytes. Connect with a shorter one (ssh NAME@…), or with your SSH key.",
			len(name), maxIdentityName))
		_ = s.Exit(1)
		return
	}
	c.serveSeat(s, identity, name, learnerNotice, true)
}

// serveDemo gives the instructor a tutorial of their own, which watch
// shows to the room.
func (c *Classroom) serveDemo(s ssh.Session) {
	c.serveSeat(s, instructorsSeat, "instructor", "Your own tutorial: everyone who connects with watch follows this screen.", false)
}

// serveSeat runs the full screen on a seat's session.
func (c *Classroom) serveSeat(s ssh.Session, identity, name, notice string, signals bool) {
	cn := newConn()
	l, err := c.room.join(cn, identity, name)
	if errors.Is(err, errBusy) {
		say(s, fmt.Sprintf("%q is already connected. Connect with another name (ssh OTHERNAME@…), or with your SSH key.", termsafe.Cut(name, maxNameBytes)))
		_ = s.Exit(1)
		return
	}
	if err != nil {
		c.log.Printf("seat for %q: %v", termsafe.Cut(name, maxNameBytes), err)
		say(s, "Could not start your tutorial: "+err.Error())
		_ = s.Exit(1)
		return
	}
	defer c.room.leave(cn, l)
	c.room.mu.Lock()
	sess := l.sess
	c.room.mu.Unlock()

	var class *tui.Classroom
	if signals {
		class = &tui.Classroom{Signal: func(help bool) bool { return c.signal(l, help) }}
	}
	var prog *tui.Program
	c.run(s, cn, func(s ssh.Session) *tea.Program {
		prog = tui.NewProgram(s.Context(), tui.Options{Session: sess, Notice: notice, Classroom: class},
			c.programOptions(s, cn, l.mirror)...)
		p := prog.Program
		cn.setProgram(p, func(text string) { p.Send(tui.NoticeMsg{Text: text}) })
		pty, _, _ := s.Pty()
		w, h := capSize(pty.Window.Width, pty.Window.Height, c.cfg.MaxWidth, c.cfg.MaxHeight)
		l.mirror.attach(w, h, func() { go p.Send(tea.ClearScreen()) })
		return p
	})
	l.mirror.attach(0, 0, nil)
	if prog == nil {
		return
	}
	prog.Close()
	if err := prog.Crashed(); err != nil {
		var ce *tui.CrashError
		if errors.As(err, &ce) {
			c.log.Printf("learner %q: %v\n%s", termsafe.Cut(name, maxNameBytes), err, ce.Stack)
		}
		say(s, "", "putpost hit a bug and ended your session; your progress is saved. Connect again to go on.")
		_ = s.Exit(1)
	}
}

// serveWatch shows what the instructor shows, read-only: the presenter
// while it runs, else their own tutorial.
func (c *Classroom) serveWatch(s ssh.Session) {
	cn := newConn()
	c.room.addConn(cn)
	defer c.room.leave(cn, nil)
	seat := c.room.seat(instructorsSeat)
	m := newScreenView("the instructor's screen", "Waiting for the instructor to show something (present or demo).", true,
		c.stage, seat.mirror)
	defer m.close()
	c.run(s, cn, func(s ssh.Session) *tea.Program {
		p := tea.NewProgram(m, c.programOptions(s, cn, nil)...)
		cn.setProgram(p, func(text string) { p.Send(noticeMsg(text)) })
		return p
	})
}

// serveRoster gives the instructor the roster.
func (c *Classroom) serveRoster(s ssh.Session) {
	cn := newConn()
	c.room.addConn(cn)
	defer c.room.leave(cn, nil)
	r := newRoster(c)
	defer r.close()
	c.run(s, cn, func(s ssh.Session) *tea.Program {
		p := tea.NewProgram(r, c.programOptions(s, cn, nil)...)
		cn.setProgram(p, func(text string) { p.Send(noticeMsg(text)) })
		return p
	})
}
