// Package tui is putpost's full-screen front end: the lesson, a request
// composer and the live server side by side, built with Bubble Tea.
//
// Everything the learner does goes through the same objects as every other
// front end: requests are sent with the sim's in-process client, the screen
// learns about exchanges (its own, and curl's over --listen) from the sim's
// event feed, and the lessons engine judges the steps. Line mode lives in
// tui/plain.
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/putpost/putpost/session"
)

// Options is what the full screen runs on.
type Options struct {
	// Session is the learner's session the screen drives and shows; nil
	// starts a sandbox of its own. Its listen address, if any, puts a
	// ready-to-paste curl line in the footer.
	Session *session.Session
	// Open, when Session is nil, fills in Session, and what opening it
	// tells (Notice, NotSaving, Welcome), once the program has started: on
	// its event loop, before anything is drawn (see NewProgram). Run
	// returns its error. The full screen opens this way while the
	// built-in lessons are still being parsed.
	Open   func(*Options) error
	Notice string // shown once on start (e.g. progress will not be saved)
	// NotSaving keeps "progress not saved" in the footer all session: the
	// progress file's folder cannot be written.
	NotSaving bool
	// Welcome shows the one-screen welcome that says how to move around
	// (first run).
	Welcome bool
	// Theme is ThemeLight or ThemeDark for terminals that do not answer the
	// background query (detached tmux, screen, some SSH links), or
	// ThemeAuto (""): ask the terminal, starting from ColorFGBG's guess.
	Theme Theme
	// ColorFGBG is the COLORFGBG environment variable ("15;0"), which some
	// terminals set: the first guess at the background before the answer.
	ColorFGBG string
	// Classroom is set when the screen is served in a classroom: it enables
	// the learner's done and need-help signals.
	Classroom *Classroom
}

// Theme picks the light or dark palette.
type Theme string

// The themes.
const (
	ThemeAuto  Theme = ""
	ThemeLight Theme = "light"
	ThemeDark  Theme = "dark"
)

// ParseTheme reads --theme: light, dark or auto.
func ParseTheme(s string) (Theme, error) {
	switch t := Theme(strings.ToLower(strings.TrimSpace(s))); t {
	case ThemeLight, ThemeDark:
		return t, nil
	case "auto", "":
		return ThemeAuto, nil
	}
	return "", fmt.Errorf("unknown theme %q: choose light, dark or auto", s)
}

// darkFromColorFGBG reads COLORFGBG ("fg;bg" or "fg;default;bg", colours
// 0–15): whether the background is dark, and whether the value said.
func darkFromColorFGBG(v string) (dark, ok bool) {
	fields := strings.Split(strings.TrimSpace(v), ";")
	if len(fields) < 2 {
		return false, false
	}
	bg, err := strconv.Atoi(fields[len(fields)-1])
	if err != nil || bg < 0 || bg > 15 {
		return false, false
	}
	// 7 (light grey) and 9–15 (the bright colours but 8) are light.
	return !(bg == 7 || bg >= 9), true
}

// ErrNotTerminal is returned by Run when standard input or output is not a
// terminal; the caller should use line mode instead.
var ErrNotTerminal = errors.New("the full screen needs a terminal; use line mode (--plain) instead")

// shared is the state every copy of the Model shares: the learner's
// session, the watcher of its updates and the crash record. Only the event
// loop touches it, except where noted.
type shared struct {
	ctx         context.Context
	cancelSends context.CancelFunc // ends ctx with the program; nil in tests
	sess        *session.Session
	watch       *session.Watcher
	owned       bool // the Model started sess and closes it

	manual bool // tests feed updates themselves; no waiting command
	// pace waits for a repeat's next batch's turn and sends it (paceBatch);
	// tests replace it to step batch by batch. nil: paceBatch.
	pace func(job int, wake <-chan struct{}, send tea.Cmd) tea.Cmd
	done chan struct{}
	once sync.Once

	logf func(format string, args ...any) // debug log (PUTPOST_DEBUG_LOG); nil when off

	frames frameMemo // the last frame and its boxes (see frameMemo)

	snapMu   sync.Mutex
	lastSnap []resourceState // the resources of the newest snapshot (see snapshot)

	mu      sync.Mutex // guards crash and program
	crash   *crashInfo
	program *tea.Program // set by run; nil in tests that drive the Model directly

	// openErr is Options.Open's error: the Model was never built.
	openErr error
}

func (ss *shared) close() {
	ss.once.Do(func() {
		if ss.cancelSends != nil {
			ss.cancelSends()
		}
		close(ss.done)
		// Without a session or a watch when Options.Open failed or panicked.
		if ss.watch != nil {
			ss.watch.Close()
		}
		if ss.owned && ss.sess != nil {
			ss.sess.Close()
		}
	})
}

type crashInfo struct {
	Value any
	Stack []byte
	Where string
}

func (ss *shared) recordCrash(v any, stack []byte, where string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.crash == nil {
		ss.crash = &crashInfo{Value: v, Stack: stack, Where: where}
	}
}

func (ss *shared) crashed() *crashInfo {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.crash
}

// crashMsg reports a panic caught in a tea.Cmd.
type crashMsg struct {
	Value any
	Stack []byte
}

// guard runs cmd with a recover, so a panic in a command ends the program
// through our crash report instead of Bubble Tea's stack dump.
func guard(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = crashMsg{Value: r, Stack: debug.Stack()}
			}
		}()
		return cmd()
	}
}

// Run runs the full screen until the learner quits, the context ends, or
// something breaks. Quitting returns nil; the caller saves progress. A panic
// restores the terminal, writes a crash report and returns an error naming
// the report's path.
func Run(ctx context.Context, o Options) (err error) {
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return ErrNotTerminal
	}
	// Bubble Tea's renderer measures every cell it draws with go-runewidth,
	// whose table of widths (2.2 MB) is filled the first time a character
	// past U+02FF is measured: about a millisecond inside the first frame,
	// whose borders are such characters. Filled here, on a goroutine of its
	// own, it is ready while the renderer waits for its first tick.
	go func() { _ = ansi.WcWidth.StringWidth("│") }()
	// Lip Gloss detected this terminal's colour profile when the program
	// started, from the same stdout and environment Bubble Tea would ask
	// again: reading the terminfo file again, and inside tmux running
	// `tmux info`, before the first frame.
	return run(ctx, o, []tea.ProgramOption{tea.WithColorProfile(lipgloss.Writer.Profile)})
}

// run is Run without the terminal check, with extra program options (tests).
func run(ctx context.Context, o Options, opts []tea.ProgramOption) (err error) {
	var ss *shared
	defer func() {
		if r := recover(); r != nil {
			err = writeCrash(&crashInfo{Value: r, Stack: debug.Stack(), Where: "start"}, ss)
		}
	}()
	// Debug logging goes to a file, never to the screen.
	var logf func(string, ...any)
	if path := os.Getenv("PUTPOST_DEBUG_LOG"); path != "" {
		logger := log.New(io.Discard, "putpost ", log.LstdFlags|log.Lmicroseconds)
		f, err := tea.LogToFileWith(path, "putpost", logger)
		if err != nil {
			return fmt.Errorf("PUTPOST_DEBUG_LOG: %w", err)
		}
		defer func() { _ = f.Close() }()
		logf = logger.Printf
	}
	prog := NewProgram(ctx, o, opts...)
	ss = prog.ss
	ss.logf = logf
	defer ss.close()
	p := prog.Program
	_, runErr := p.Run()
	if c := ss.crashed(); c != nil {
		return writeCrash(c, ss)
	}
	if ss.openErr != nil {
		return ss.openErr
	}
	switch {
	case runErr == nil:
		return nil
	case errors.Is(runErr, tea.ErrProgramKilled) && ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(runErr, tea.ErrInterrupted):
		return nil
	default:
		return fmt.Errorf("full screen: %w", runErr)
	}
}

// guarded wraps the Model so that a panic in Update or View ends the program
// cleanly (Bubble Tea restores the terminal on the way out) and leaves a
// crash record for Run. When build is set, Init builds the Model first
// (Options.Open); if that fails, nothing is drawn and the program quits.
type guarded struct {
	m     *Model
	build func() error
}

func (g guarded) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			g.m.ss.recordCrash(r, debug.Stack(), "start")
			cmd = tea.Quit
		}
	}()
	if g.build != nil {
		if err := g.build(); err != nil {
			g.m.ss.openErr = err
			return tea.Quit
		}
	}
	return g.m.Init()
}

func (g guarded) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	if g.m.ss.crashed() != nil || g.m.ss.openErr != nil {
		return g, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			g.m.ss.recordCrash(r, debug.Stack(), fmt.Sprintf("update %T", msg))
			// Bubble Tea draws the model it gets back once more: a nil one
			// would panic again, in its own hands.
			model, cmd = g, tea.Quit
		}
	}()
	if c, ok := msg.(crashMsg); ok {
		g.m.ss.recordCrash(c.Value, c.Stack, "command")
		return g, tea.Quit
	}
	if g.m.ss.logf != nil {
		switch msg := msg.(type) {
		case tea.KeyPressMsg:
			g.m.ss.logf("key %q", msg.String())
		case updatesMsg:
			g.m.ss.logf("updates: %d", len(msg.Updates))
		case tea.WindowSizeMsg:
			g.m.ss.logf("size %d×%d", msg.Width, msg.Height)
		default:
			// Types only: some messages carry the environment.
			g.m.ss.logf("%T", msg)
		}
	}
	_, cmd = g.m.Update(msg)
	return g, cmd
}

func (g guarded) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			g.m.ss.recordCrash(r, debug.Stack(), "view")
			v = tea.NewView("putpost crashed while drawing the screen.")
			// View cannot return a command; ask the program to stop.
			g.m.ss.mu.Lock()
			p := g.m.ss.program
			g.m.ss.mu.Unlock()
			if p != nil {
				go p.Quit()
			}
		}
	}()
	if g.m.ss.crashed() != nil {
		return tea.NewView("putpost crashed.")
	}
	if g.m.ss.openErr != nil {
		return tea.View{}
	}
	return g.m.View()
}

// writeCrash saves a crash report in the temporary directory and returns an
// error that says where it is and what to do with it.
func writeCrash(c *crashInfo, ss *shared) error {
	var b strings.Builder
	fmt.Fprintf(&b, "putpost crash report\n\ntime: %s\n", time.Now().UTC().Format(time.RFC3339))
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(&b, "version: %s\n", bi.Main.Version)
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "where: %s\n", c.Where)
	if ss != nil && ss.sess != nil {
		if l := ss.sess.Lesson(); l != nil {
			fmt.Fprintf(&b, "lesson: %s step %d\n", l.ID, ss.sess.StepIndex()+1)
		}
	}
	fmt.Fprintf(&b, "\npanic: %v\n\n%s", c.Value, c.Stack)

	f, err := os.CreateTemp("", "putpost-crash-*.txt")
	if err != nil {
		return fmt.Errorf("putpost crashed (%v) and could not write a crash report: %w", c.Value, err)
	}
	_, werr := f.WriteString(b.String())
	cerr := f.Close()
	if werr != nil || cerr != nil {
		return fmt.Errorf("putpost crashed (%v); the crash report at %s may be incomplete", c.Value, f.Name())
	}
	return fmt.Errorf("putpost crashed: %v\nA crash report is in %s — please attach it to an issue at the project's issue tracker", c.Value, f.Name())
}
