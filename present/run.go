package present

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/session"
)

// Options is what the presenter runs on.
type Options struct {
	Session *session.Session // a sandbox the presenter drives; required
	Demo    *Demo            // required
	Notes   bool             // open the link speaker notes follow
	Record  io.Writer        // nil: no recording; else an asciicast v2 file
	Output  io.Writer        // nil: standard output
	Input   io.Reader        // nil: standard input
	Width   int              // the terminal's size, for the recording's header
	Height  int
	Options []tea.ProgramOption // more Bubble Tea options (tests)
	started func(*tea.Program)  // tests: called with the program before it runs
}

// Run presents the demo until q or ctx ends.
func Run(ctx context.Context, o Options) error {
	_, err := run(ctx, o)
	return err
}

// run is Run returning the last screen drawn (tests).
func run(ctx context.Context, o Options) (string, error) {
	if o.Session == nil || o.Demo == nil {
		return "", errors.New("present: a session and a demo are needed")
	}
	var hub *Hub
	if o.Notes {
		// Without a state folder there are no notes; the presentation
		// itself still works.
		if h, err := Listen(LinkFile()); err == nil {
			defer h.Close()
			hub = h
		}
	}
	m := New(ctx, o.Session, o.Demo, hub)
	defer m.Close()
	out := o.Output
	if out == nil {
		out = os.Stdout
	}
	var rec *Recorder
	if o.Record != nil {
		r, err := NewRecorder(out, o.Record, max(1, o.Width), max(1, o.Height), "putpost present — "+o.Demo.Title, nil)
		if err != nil {
			return "", fmt.Errorf("recording: %w", err)
		}
		rec, out = r, r
		// Bubble Tea puts the terminal in raw mode and reads its size only
		// through an output it can see is a terminal.
		if f, ok := o.Output.(*os.File); ok || o.Output == nil {
			if !ok {
				f = os.Stdout
			}
			out = ttyRecorder{Recorder: r, f: f}
		}
	}
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithOutput(out)}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	p := tea.NewProgram(root{m: m, rec: rec}, append(opts, o.Options...)...)
	if o.started != nil {
		o.started(p)
	}
	final, err := p.Run()
	screen := ""
	if r, ok := final.(root); ok {
		screen = r.m.Screen()
	}
	if err != nil && (errors.Is(err, tea.ErrInterrupted) || ctx.Err() != nil) {
		err = nil
	}
	if rec != nil && rec.Err() != nil && err == nil {
		err = fmt.Errorf("recording: %w", rec.Err())
	}
	return screen, err
}

// root records resizes in the recording and passes everything to Model.
type root struct {
	m   Model
	rec *Recorder
}

func (r root) Init() tea.Cmd { return r.m.Init() }

func (r root) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok && r.rec != nil && (ws.Width != r.m.w || ws.Height != r.m.h) && r.m.w != 0 {
		r.rec.Resize(ws.Width, ws.Height)
	}
	nm, cmd := r.m.Update(msg)
	r.m = nm.(Model)
	return r, cmd
}

func (r root) View() tea.View { return r.m.View() }

// ttyRecorder is a Recorder in front of a terminal that Bubble Tea can
// still treat as the terminal.
type ttyRecorder struct {
	*Recorder
	f *os.File
}

func (t ttyRecorder) Read(p []byte) (int, error) { return t.f.Read(p) }
func (t ttyRecorder) Close() error               { return nil }
func (t ttyRecorder) Fd() uintptr                { return t.f.Fd() }
