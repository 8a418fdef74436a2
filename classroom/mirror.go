package classroom

import (
	"io"
	"sync"

	"github.com/charmbracelet/x/vt"
)

// mirror keeps a copy of a program's screen while someone looks at it (the
// instructor's peek, the room's watch). It is fed everything the program
// writes to its terminal; with nobody looking it costs nothing but a lock.
type mirror struct {
	mu      sync.Mutex
	em      *vt.SafeEmulator
	viewers map[chan struct{}]struct{}
	w, h    int
	repaint func() // asks the program to draw its whole screen again
}

func newMirror() *mirror { return &mirror{viewers: map[chan struct{}]struct{}{}, w: 80, h: 24} }

// Write feeds the program's output to the copy, if anyone looks.
func (m *mirror) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.em == nil {
		return len(p), nil
	}
	_, _ = m.em.Write(p)
	m.signalLocked()
	return len(p), nil
}

// attach sets the program whose screen this is: its size and how to ask it
// for a full redraw. A program that ends detaches with attach(0, 0, nil).
func (m *mirror) attach(w, h int, repaint func()) {
	m.mu.Lock()
	m.w, m.h, m.repaint = w, h, repaint
	if m.em != nil {
		m.em.Resize(max(w, 1), max(h, 1))
	}
	m.signalLocked()
	m.mu.Unlock()
	if repaint != nil && m.watched() {
		repaint()
	}
}

// signalLocked tells every viewer the screen may have changed (the caller
// holds mu).
func (m *mirror) signalLocked() {
	for ch := range m.viewers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// resize follows the program's window.
func (m *mirror) resize(w, h int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.w, m.h = w, h
	if m.em != nil {
		m.em.Resize(max(w, 1), max(h, 1))
	}
}

func (m *mirror) watched() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.viewers) > 0
}

// view starts looking: ch (buffered) is signalled when the screen may have
// changed or a program attached or detached. Several mirrors may signal the
// same channel. Call the returned function to stop.
func (m *mirror) view(ch chan struct{}) func() {
	m.mu.Lock()
	m.viewers[ch] = struct{}{}
	start := m.em == nil
	if start {
		em := vt.NewSafeEmulator(max(m.w, 1), max(m.h, 1))
		// The emulator answers a program's queries on its own pipe;
		// nobody here wants the answers, but someone must read them.
		go func() { _, _ = io.Copy(io.Discard, em) }()
		m.em = em
	}
	repaint := m.repaint
	m.mu.Unlock()
	if start && repaint != nil {
		repaint()
	}
	select {
	case ch <- struct{}{}:
	default:
	}
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		delete(m.viewers, ch)
		if len(m.viewers) == 0 && m.em != nil {
			// Ends the reader of the answers. (Emulator.Close would
			// race with that reader on the emulator's own flag.)
			if pw, ok := m.em.InputPipe().(*io.PipeWriter); ok {
				_ = pw.Close()
			}
			m.em = nil
		}
	}
}

// screen is the copy as lines with their colours, and whether the program
// is running.
func (m *mirror) screen() (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.em == nil {
		return "", false
	}
	return m.em.Render(), m.repaint != nil
}
