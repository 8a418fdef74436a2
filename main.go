// Command putpost is an interactive terminal tutorial on HTTP method
// semantics — PUT vs POST, idempotence, safety, retries and conditional
// requests — played against a simulated HTTP server that runs in the same
// process and shows every state change live.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"charm.land/fang/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
	"github.com/putpost/putpost/tui"
	"github.com/putpost/putpost/tui/plain"
)

func main() {
	ctx, stop := stopContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// Ctrl-C, SIGTERM or SIGHUP: a stop the learner asked for, not a failure.
		// Progress is saved after every passed step, so nothing is lost.
		err = nil
	}
	if err != nil {
		os.Exit(exitCode(err))
	}
}

// stopContext is signal.NotifyContext with the signals asked for on a
// goroutine of its own: the runtime starts a thread for signals and waits
// for it to take each one (0.2-0.7 ms on a busy machine), which the
// program's start need not wait for. Until that goroutine has run, a signal
// acts as it does while the program's packages initialise: it ends the
// process. stop cancels the context and stops listening.
func stopContext(parent context.Context, sigs ...os.Signal) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 1)
	listening := make(chan struct{})
	go func() {
		signal.Notify(ch, sigs...)
		close(listening)
		select {
		case <-ch:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		cancel()
		<-listening
		signal.Stop(ch)
	}
}

// errUsage marks a command line that could not be understood: exit 2.
var errUsage = errors.New("usage")

// errLint marks a lint run that found problems: exit 1 without a second message.
var errLint = errors.New("lint found problems")

// usageError is a command line mistake; it is errUsage.
type usageError struct{ err error }

func (e usageError) Error() string        { return e.err.Error() }
func (e usageError) Unwrap() error        { return e.err }
func (e usageError) Is(target error) bool { return target == errUsage }

// usagef makes a usageError from a message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// run is main without the process: tests call it with their own streams.
// The command line is cobra's, styled by fang, which adds --help and
// `help CMD`, --version, `completion SHELL` and a hidden `man` page.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	// The tutorial's first wait is for the built-in lessons: they are
	// parsed while cobra and fang set up and the progress file opens. Other
	// commands leave them unused, about a millisecond of another core's time.
	builtin := lessons.BuiltinMeanwhile(true)
	root := newRootCommand(stdin, stdout, stderr, builtin)
	quietOnStop(ctx, root)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return fang.Execute(ctx, root,
		fang.WithVersion(buildVersion()),
		fang.WithErrorHandler(errorHandler(ctx, stderr)),
	)
}

// quietOnStop makes every command end without an error when the learner
// stopped the program (Ctrl-C, SIGTERM, SIGHUP: ctx is done). fang asks the
// terminal for its background colour before it shows any error, and a
// terminal that has gone (a hang-up) or does not answer would keep the
// program from exiting; a stop the learner asked for is no error anyway.
func quietOnStop(ctx context.Context, c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(c *cobra.Command, args []string) error {
			err := run(c, args)
			if errors.Is(err, context.Canceled) && ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		quietOnStop(ctx, sub)
	}
}

// version is set at build time with -ldflags "-X main.version=v1.2.3"; when
// it is not, buildVersion asks the Go build information.
var version = ""

// buildVersion is what --version prints.
func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += " (modified)"
		}
	}
	return v + " " + runtime.Version()
}

// errorHandler prints an error once, with a pointer to --help for a command
// line mistake: in fang's style on a terminal, as plain lines otherwise. A
// lint run has already said what it found, and a stop the learner asked for
// (Ctrl-C, SIGTERM: ctx is done) is not an error.
func errorHandler(ctx context.Context, stderr io.Writer) fang.ErrorHandler {
	return func(w io.Writer, styles fang.Styles, err error) {
		if errors.Is(err, errLint) || errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return
		}
		usage := errors.Is(err, errUsage)
		if !isTerminal(stderr) {
			fmt.Fprintln(w, "putpost:", err)
			if usage {
				fmt.Fprintln(w, "Run putpost --help to see every command and flag.")
			}
			return
		}
		fmt.Fprintln(w, styles.ErrorHeader.String())
		fmt.Fprintln(w, styles.ErrorText.Render(err.Error()))
		fmt.Fprintln(w)
		if usage {
			fmt.Fprintln(w, styles.ErrorText.UnsetWidth().Render("Run putpost --help to see every command and flag."))
			fmt.Fprintln(w)
		}
	}
}

// tutorialFlags are the flags shared by the tutorial, the sandbox and `lessons`.
type tutorialFlags struct {
	lesson, lessonsDir, listen, progress string
	theme                                string
	onlyLessons, plain, allowRemote      bool
	verbose, color                       bool
}

// addTutorialFlags declares the tutorial's flags on fs, bound to f.
func addTutorialFlags(c *cobra.Command, f *tutorialFlags) {
	fs := c.Flags()
	fs.SortFlags = false
	fs.StringVar(&f.lesson, "lesson", "", "jump to the lesson with this ID (putpost lessons lists them)")
	fs.StringVar(&f.lessonsDir, "lessons", "", "add this folder of lesson files to the built-in ones")
	fs.BoolVar(&f.onlyLessons, "only-lessons", false, "with --lessons: use only that folder")
	fs.BoolVar(&f.plain, "plain", false, "line mode: plain text on stdout, commands on stdin (automatic when not on a terminal, or with TERM=dumb)")
	fs.StringVar(&f.listen, "listen", "", "also serve your simulated server on this address, e.g. 127.0.0.1:8080")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "let --listen bind an address that is not loopback")
	fs.StringVar(&f.progress, "progress", "", "the file progress is saved in (default $XDG_STATE_HOME/putpost/progress.json)")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "line mode: print every request of a repeat")
	fs.BoolVar(&f.color, "color", false, "line mode: use colour")
	fs.StringVar(&f.theme, "theme", "auto", "the palette: light, dark, or auto (ask the terminal, which detached tmux and screen do not answer)")
	_ = c.RegisterFlagCompletionFunc("lesson", completeLessonIDs)
	_ = c.MarkFlagDirname("lessons")
	_ = c.MarkFlagFilename("progress", "json")
}

// hideFlags leaves flags out of a command's help.
func hideFlags(c *cobra.Command, names ...string) {
	for _, n := range names {
		_ = c.Flags().MarkHidden(n)
	}
}

// completeLessonIDs offers the built-in lessons' ids to shell completion.
func completeLessonIDs(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	ls, err := lessons.Builtin()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	ids := make([]string, len(ls))
	for i, l := range ls {
		ids[i] = l.ID + "\t" + l.Title
	}
	return ids, cobra.ShellCompDirectiveNoFileComp
}

// check refuses flag combinations that make no sense.
func (f tutorialFlags) check() error {
	if f.onlyLessons && f.lessonsDir == "" {
		return usagef("--only-lessons needs --lessons DIR (the folder whose lessons to use)")
	}
	if _, err := tui.ParseTheme(f.theme); err != nil {
		return usagef("%v (--theme)", err)
	}
	return nil
}

// noArgs refuses arguments where a command takes none, naming the first.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s: unexpected argument %q", c.Name(), args[0])
	}
	return nil
}

// newRootCommand builds the command line: the tutorial itself and its
// subcommands, reading stdin and writing stdout and stderr.
//
// builtin, when not nil, returns the built-in lessons the tutorial plays,
// parsed from before the command line was read (lessons.BuiltinMeanwhile);
// without it the tutorial starts parsing them itself.
func newRootCommand(stdin io.Reader, stdout, stderr io.Writer, builtin func() ([]*lessons.Lesson, error)) *cobra.Command {
	var tf tutorialFlags
	root := &cobra.Command{
		Use:   "putpost",
		Short: "Learn HTTP PUT vs POST by doing it",
		Long: `Learn HTTP method semantics — PUT vs POST, idempotence, safety, retries and
conditional requests — by sending requests to a simulated HTTP server that runs
in this program and shows every state change live.

With no command, the tutorial starts where you left off.
Docs: README.md; docs/LESSONS.md for writing your own lessons; docs/PRESENTING.md
for presenting to a room.`,
		Example: `# the tutorial, where you left off
putpost
# one lesson, in line mode
putpost --lesson put-replace --plain
# no lesson; curl can reach the same server
putpost sandbox --listen 127.0.0.1:8080`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			msg := fmt.Sprintf("unknown command %q", args[0])
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				msg += fmt.Sprintf("; did you mean %q?", s[0])
			}
			return usagef("%s", msg)
		},
		RunE: func(c *cobra.Command, _ []string) error {
			if err := tf.check(); err != nil {
				return err
			}
			return runTutorial(c.Context(), false, tf, builtin, stdin, stdout, stderr)
		},
	}
	addTutorialFlags(root, &tf)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })

	var sf tutorialFlags
	sandbox := &cobra.Command{
		Use:   "sandbox",
		Short: "The server with every fixture and no lesson",
		Args:  noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := sf.check(); err != nil {
				return err
			}
			return runTutorial(c.Context(), true, sf, nil, stdin, stdout, stderr)
		},
	}
	addTutorialFlags(sandbox, &sf)
	hideFlags(sandbox, "lesson") // accepted only to say it has no meaning here

	var lf tutorialFlags
	lessonsCmd := &cobra.Command{
		Use:   "lessons",
		Short: "List the lessons with your progress",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := lf.check(); err != nil {
				return err
			}
			return runLessons(lf, stdout, stderr)
		},
	}
	addTutorialFlags(lessonsCmd, &lf)
	// Accepted, as they always were, but they change nothing in a listing.
	hideFlags(lessonsCmd, "lesson", "plain", "listen", "allow-remote", "verbose", "color")

	var play bool
	lint := &cobra.Command{
		Use:   "lint DIR|FILE.md...",
		Short: "Check lesson files; prints file:line: problem",
		Long: `Check the lesson files in each folder (or each lesson file) and print
every problem as file:line: what is wrong. Exits 1 when there are problems.
With --play, also play every step against fresh simulated servers: its
solution after the previous ones and after random learner histories, nothing
sent, and wrong answers (methods swapped, headers and body fields removed or
changed), and report each pass mark that could lie (docs/LESSONS.md).`,
		Example: "putpost lint ./my-lessons\nputpost lint --play ./my-lessons/03-put.md",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("lint: name at least one folder or file of lessons")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			return runLint(args, play, stdout, stderr)
		},
	}
	lint.Flags().BoolVar(&play, "play", false, "also play every step against fresh servers")

	var so serveFlags
	serveCmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve a fresh simulated server over HTTP",
		Long: `Serve a fresh simulated server over HTTP, printing one line per exchange,
until Ctrl-C. Drive it with curl or any HTTP client.`,
		Example: `putpost serve
putpost serve --listen 127.0.0.1:9000 --fixture bank
curl -i http://127.0.0.1:8080/accounts/42`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return runServe(c.Context(), so, stdout)
		},
	}
	fs := serveCmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&so.addr, "listen", "127.0.0.1:8080", "the address to serve on")
	fs.BoolVar(&so.allowRemote, "allow-remote", false, "allow an address that is not loopback")
	fs.StringVar(&so.fixture, "fixture", "all", "the starting state: "+strings.Join(sim.Fixtures(), ", "))
	_ = serveCmd.RegisterFlagCompletionFunc("fixture", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return sim.Fixtures(), cobra.ShellCompDirectiveNoFileComp
	})

	root.AddCommand(sandbox, lessonsCmd, lint, serveCmd, presentCommand(stdout), newClassroomCommand(stdout, stderr))
	root.SetHelpCommand(helpCommand(root))
	return root
}

// helpCommand is `putpost help [command]`: like cobra's own, but a command
// that does not exist is an error (exit 2), not the top-level help.
func helpCommand(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		ValidArgsFunction: func(_ *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() && strings.HasPrefix(c.Name(), prefix) {
					names = append(names, c.Name()+"\t"+c.Short)
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(_ *cobra.Command, args []string) error {
			target, rest, err := root.Find(args)
			if err != nil {
				return usageError{err}
			}
			if len(rest) > 0 {
				return root.Args(root, rest) // names the unknown command
			}
			// As cobra's help does: a command that is not run has not
			// declared its --help and --version yet.
			target.InitDefaultHelpFlag()
			target.InitDefaultVersionFlag()
			return target.Help()
		},
	}
}

// loadCurriculum returns the built-in lessons, plus or instead of a host's folder.
func loadCurriculum(f tutorialFlags) ([]*lessons.Lesson, error) {
	return combineCurriculum(f, lessons.Builtin)
}

// collectAfterFirstFrame keeps the garbage collector from running until
// the full screen's first frame has been drawn, then collects and returns
// the memory start-up left unused to the system; restored is closed then.
// Package initialisation (Glamour's chroma) leaves a heap of a few
// megabytes, and the first frame allocates about as much again (the lessons
// parsed, Markdown rendered, the renderer's buffers): at the default target
// the collector ran in the middle of it, and a collection under way when
// Bubble Tea draws its first frame held that frame up by a few milliseconds
// (docs/BENCHMARKS.md, issue 14). The target is raised rather than turned
// off: turning it off waits for a collection under way to finish (2-3 ms).
//
// The heap is capped meanwhile (startUpHeapLimit, or a lower GOMEMLIMIT).
// After firstFrameWithin, whatever happened, the collector's target is back
// and its memory limit is limitAfter, or GOMEMLIMIT when that is lower
// (math.MaxInt64 for none but GOMEMLIMIT's).
func collectAfterFirstFrame(limitAfter int64) (restored <-chan struct{}) {
	percent := debug.SetGCPercent(startUpGCPercent)
	if percent < 0 || percent > startUpGCPercent {
		debug.SetGCPercent(percent) // GOGC=off or higher: already enough
	}
	limit := debug.SetMemoryLimit(-1) // reads it
	debug.SetMemoryLimit(min(limit, startUpHeapLimit))
	done := make(chan struct{})
	time.AfterFunc(firstFrameWithin, func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(min(limit, limitAfter))
		debug.FreeOSMemory()
		close(done)
	})
	return done
}

// oneProcessorAfterFirstFrame leaves the full screen one processor
// (GOMAXPROCS 1) from firstFrameWithin on, unless the GOMAXPROCS variable
// says otherwise. One learner's screen and server never have two things
// worth doing at once, and with a second processor the Go scheduler keeps a
// thread spinning in search of work each time a goroutine wakes (the
// renderer's tick, a batch of a repeat, its updates): about 15 % of the
// process's CPU while a ×1000 animates (docs/BENCHMARKS.md, issue 14).
// Start-up keeps every processor: the lessons are parsed beside the rest.
// It returns a channel closed once the setting is made (at once when the
// variable is set).
func oneProcessorAfterFirstFrame() (set <-chan struct{}) {
	done := make(chan struct{})
	if os.Getenv("GOMAXPROCS") != "" {
		close(done)
		return done
	}
	time.AfterFunc(firstFrameWithin, func() {
		runtime.GOMAXPROCS(1)
		close(done)
	})
	return done
}

// firstFrameWithin is how long the full screen takes to draw its first
// frame with room to spare (about 50 ms on a laptop); startUpHeapLimit is
// the heap past which the collector runs anyway before then, and
// startUpGCPercent a target (a hundred times the live heap) that leaves
// that limit to decide.
const (
	firstFrameWithin = 300 * time.Millisecond
	startUpHeapLimit = 64 << 20
	startUpGCPercent = 10000
)

// combineCurriculum is loadCurriculum with the built-in lessons from builtin.
func combineCurriculum(f tutorialFlags, builtinLessons func() ([]*lessons.Lesson, error)) ([]*lessons.Lesson, error) {
	builtin, err := builtinLessons()
	if err != nil {
		return nil, fmt.Errorf("built-in lessons: %w", err)
	}
	if f.lessonsDir == "" {
		return builtin, nil
	}
	extra, err := lessons.LoadDir(f.lessonsDir)
	if err != nil {
		return nil, fmt.Errorf("--lessons %s:\n%w", f.lessonsDir, err)
	}
	return lessons.Combine(builtin, extra, f.onlyLessons)
}

// openProgress opens the --progress file, or the default one.
func openProgress(f tutorialFlags) (*lessons.Progress, string, error) {
	path := f.progress
	if path == "" {
		path = lessons.DefaultProgressPath()
	}
	return lessons.OpenProgress(path)
}

// runTutorial runs the tutorial, or the sandbox; builtin, when not nil,
// returns the built-in lessons already being parsed.
func runTutorial(ctx context.Context, sandbox bool, f tutorialFlags, builtin func() ([]*lessons.Lesson, error), stdin io.Reader, stdout, stderr io.Writer) error {
	if sandbox && f.lesson != "" {
		return errors.New("--lesson has no meaning in the sandbox; leave it out or drop `sandbox`")
	}
	// A dumb terminal cannot draw the full screen; line mode works everywhere.
	interactive := !f.plain && isTerminal(stdin) && isTerminal(stdout) && os.Getenv("TERM") != "dumb"
	if interactive {
		// Over --listen strangers can fill every byte budget of the sim
		// and the screen at once; the soft limit serve has makes the
		// collector work harder there instead of letting the heap double.
		limit := int64(math.MaxInt64)
		if f.listen != "" {
			limit = serveMemoryLimit
		}
		collectAfterFirstFrame(limit)
		oneProcessorAfterFirstFrame()
	}
	if !sandbox && builtin == nil {
		builtin = lessons.BuiltinMeanwhile(true)
	}
	o := session.Options{
		Mode: session.Sandbox, Listen: f.listen, AllowRemote: f.allowRemote,
		// Requests over --listen carry the wall clock in Date; the
		// learner's own requests keep the deterministic sim clock.
		Server: sim.New(sim.Options{WallClockDate: true}),
	}
	// The full screen's first frame does not wait for the disk; line mode
	// saves within each command, which reports a failed save.
	o.SaveInBackground = interactive
	// A host's folder of lessons is checked before progress is opened (a
	// folder with problems stops the program, progress untouched); the
	// built-in lessons cannot have problems, so without a folder progress
	// opens while they are parsed.
	if !sandbox && f.lessonsDir != "" {
		ls, err := combineCurriculum(f, builtin)
		if err != nil {
			return err
		}
		o.Lessons = ls
	}
	// open opens progress (in the tutorial) and the session, and says what
	// the screen shows of them.
	open := func(screen *tui.Options) error {
		if !sandbox {
			progress, notice, err := openProgress(f)
			if err != nil {
				return err
			}
			if o.Lessons == nil {
				if o.Lessons, err = combineCurriculum(f, builtin); err != nil {
					return err
				}
			}
			o.Mode, o.Progress, o.Lesson = session.Tutorial, progress, f.lesson
			screen.Notice, screen.Welcome, screen.NotSaving = notice, progress.FirstRun(), !progress.Saving()
		}
		sess, err := session.New(o)
		var lessonErr *session.LessonError
		switch {
		case errors.Is(err, sim.ErrNotLoopback):
			return fmt.Errorf("%w (add --allow-remote to do that)", err)
		case errors.As(err, &lessonErr):
			return fmt.Errorf("%w (--lesson; putpost lessons lists them)", err)
		case err != nil:
			return err
		}
		screen.Session = sess
		return nil
	}

	theme, _ := tui.ParseTheme(f.theme) // checked with the other flags
	screen := tui.Options{Theme: theme, ColorFGBG: os.Getenv("COLORFGBG")}
	if interactive && f.lesson == "" && f.listen == "" {
		// Nothing the learner typed can keep this session from opening, so
		// the full screen opens it once Bubble Tea has started: the
		// built-in lessons' parse no longer delays the first frame. A
		// --lesson or --listen that fails says so before the screen opens.
		screen.Open = open
		return tui.Run(ctx, screen)
	}
	if err := open(&screen); err != nil {
		return err
	}
	defer screen.Session.Close()
	if !interactive {
		// At a terminal (--plain, or TERM=dumb) line mode prompts, since
		// the terminal shows what is typed, and wraps at spaces to its
		// width; piped, it echoes the input and leaves lines whole.
		atTerminal := isTerminal(stdin) && isTerminal(stdout)
		var width func() int
		if atTerminal {
			width = terminalWidth(stdout)
		}
		return plain.Run(ctx, plain.Options{
			In: stdin, Out: stdout, Session: screen.Session,
			Notice: screen.Notice, Verbose: f.verbose, Color: f.color,
			Echo: !isTerminal(stdin), Prompt: atTerminal, Width: width,
			Clipboard: isTerminal(stdout),
		})
	}
	return tui.Run(ctx, screen)
}

// isTerminal reports whether v is a file that is a terminal device.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// terminalWidth asks a terminal v for its width in columns each time it is
// called (the window may be resized); nil when v is not a terminal.
func terminalWidth(v any) func() int {
	f, ok := v.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil
	}
	return func() int {
		w, _, err := term.GetSize(f.Fd())
		if err != nil {
			return 0
		}
		return w
	}
}

// listen is sim.Listen with this command line's flag named in its refusal.
func listen(addr string, allowRemote bool) (net.Listener, error) {
	ln, err := sim.Listen(addr, allowRemote)
	if errors.Is(err, sim.ErrNotLoopback) {
		return nil, fmt.Errorf("%w (add --allow-remote to do that)", err)
	}
	return ln, err
}

func runLessons(f tutorialFlags, stdout, stderr io.Writer) error {
	ls, err := loadCurriculum(f)
	if err != nil {
		return err
	}
	progress, notice, err := openProgress(f)
	if err != nil {
		return err
	}
	if notice != "" {
		fmt.Fprintln(stderr, notice)
	}
	for i, lp := range lessons.Overview(ls, progress) {
		mark := " "
		if lp.Current {
			mark = "▶"
		}
		fmt.Fprintf(stdout, "%s %2d. %-22s %-52s %2d/%-2d %3d%%\n", mark, i+1, termsafe.Cut(lp.ID, 64), termsafe.Cut(lp.Title, 120), lp.Done, lp.Total, lp.Percent)
	}
	return nil
}

// runLint checks lesson folders and files; with play, it also plays every
// step against fresh servers (lessons.Play).
func runLint(paths []string, play bool, stdout, stderr io.Writer) error {
	probs, warnings := lessons.LintPaths(paths, play, lessons.PlayOptions{})
	for _, p := range append(probs, warnings...) {
		fmt.Fprintln(stdout, p.String())
	}
	if len(probs) > 0 {
		fmt.Fprintf(stderr, "%d problem(s)\n", len(probs))
		return errLint
	}
	if len(warnings) == 0 {
		fmt.Fprintln(stdout, "no problems")
	}
	return nil
}

// serveFlags are the flags of `putpost serve`.
type serveFlags struct {
	addr, fixture string
	allowRemote   bool
}

func runServe(ctx context.Context, f serveFlags, stdout io.Writer) error {
	if !slices.Contains(sim.Fixtures(), f.fixture) {
		return fmt.Errorf("unknown fixture %q; choose one of: %s", f.fixture, strings.Join(sim.Fixtures(), ", "))
	}
	srv := sim.New(sim.Options{Fixture: f.fixture, WallClockDate: true})
	ln, err := listen(f.addr, f.allowRemote)
	if err != nil {
		return err
	}
	// serve's live heap is small in ordinary use, so the default target
	// collects every few thousand requests: a higher one saves 10–15 % of
	// the CPU per request (docs/BENCHMARKS.md) for a few megabytes. Under a
	// flood of large requests the live heap grows towards its byte budgets,
	// and 400 % of that would be hundreds of megabytes: the soft memory
	// limit makes the collector work harder there instead.
	defer debug.SetGCPercent(debug.SetGCPercent(serveGCPercent))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(serveMemoryLimit))
	return srv.Serve(ctx, ln, stdout, f.allowRemote)
}

// serveGCPercent is the garbage collector's target while serving, and
// serveMemoryLimit the heap size past which it collects more often anyway.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 160 << 20
)
