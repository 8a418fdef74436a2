package tui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"
)

// Classroom connects the full screen to the classroom that serves it over
// SSH. The learner's done and need-help keys work only when it is set.
type Classroom struct {
	// Signal raises or lowers the learner's "done" (help false) or "need
	// help" (help true) signal and reports whether it is now raised.
	Signal func(help bool) bool
}

// NoticeMsg shows Text in a box over the screen until the learner presses
// a key: a message from the instructor, a warning before an idle
// disconnection, the classroom closing.
type NoticeMsg struct{ Text string }

// Program is the full screen as a Bubble Tea program on someone else's
// terminal (an SSH session): the caller gives the input, output,
// environment and window options, and runs it. Close it after it ran.
type Program struct {
	*tea.Program
	ss *shared
}

// NewProgram builds the full screen for o.Session with the given program
// options. It reads nothing of this process's own terminal or environment:
// whoever serves it passes the session's. Requests in flight end with ctx.
//
// With o.Open instead of o.Session, the screen is built in the program's
// Init: Bubble Tea has then set up the terminal and started the clock of
// its first frame, which opening the session (the lessons' parse) no
// longer delays. Init blocks the event loop while it waits, which is
// before anything is drawn or any key is handled.
func NewProgram(ctx context.Context, o Options, opts ...tea.ProgramOption) *Program {
	// Requests in flight end with the program, however it ends: a repeat
	// on a slow network must not hold the session after the screen is gone.
	sendCtx, cancelSends := context.WithCancel(ctx)
	ss := newShared(sendCtx)
	ss.cancelSends = cancelSends
	g := guarded{m: &Model{ss: ss}}
	build := func() error {
		if o.Session == nil && o.Open != nil {
			if err := o.Open(&o); err != nil {
				return err
			}
			ss.sess, ss.owned = o.Session, true
		}
		// Progress is saved off the program's event loop from here on.
		o.Session.SaveInBackground()
		*g.m = newModel(o, ss)
		return nil
	}
	if o.Session == nil && o.Open != nil {
		g.build = build
	} else {
		_ = build() // cannot fail with a session
	}
	opts = append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)
	// Our own recovery keeps the crash; Bubble Tea's would only print a
	// stack trace over the learner's terminal.
	p := tea.NewProgram(g, opts...)
	ss.mu.Lock()
	ss.program = p
	ss.mu.Unlock()
	return &Program{Program: p, ss: ss}
}

// Crashed returns, after the program ran, what went wrong when it ended on
// a panic (the panic value, where, and the stack), or nil.
func (p *Program) Crashed() error {
	c := p.ss.crashed()
	if c == nil {
		return nil
	}
	return &CrashError{Value: c.Value, Where: c.Where, Stack: c.Stack}
}

// CrashError is a panic caught in the full screen.
type CrashError struct {
	Value any
	Where string
	Stack []byte
}

func (e *CrashError) Error() string { return fmt.Sprintf("panic in %s: %v", e.Where, e.Value) }

// Close stops following the session's updates.
func (p *Program) Close() { p.ss.close() }

// signal handles the classroom's done and need-help keys.
func (m *Model) signal(help bool) {
	if m.class == nil || m.class.Signal == nil {
		return
	}
	on := m.class.Signal(help)
	switch {
	case help && on:
		m.flash = "✋ the instructor sees that you would like help (! again to take it back)"
	case help:
		m.flash = "help request taken back"
	case on:
		m.flash = "✓ the instructor sees that you are done (d again to take it back)"
	default:
		m.flash = "done signal taken back"
	}
}
