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
func NewProgram(ctx context.Context, o Options, opts ...tea.ProgramOption) *Program {
	// Progress is saved off the program's event loop from here on.
	o.Session.SaveInBackground()
	m := New(o)
	// Requests in flight end with the program, however it ends: a repeat
	// on a slow network must not hold the session after the screen is gone.
	sendCtx, cancelSends := context.WithCancel(ctx)
	m.ss.ctx = sendCtx
	m.ss.cancelSends = cancelSends
	opts = append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)
	// Our own recovery keeps the crash; Bubble Tea's would only print a
	// stack trace over the learner's terminal.
	p := tea.NewProgram(guarded{m: &m}, opts...)
	m.ss.mu.Lock()
	m.ss.program = p
	m.ss.mu.Unlock()
	return &Program{Program: p, ss: m.ss}
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
