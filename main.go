// Command putpost is an interactive terminal tutorial on HTTP method
// semantics — PUT vs POST, idempotence, safety, retries and conditional
// requests — played against a simulated HTTP server that runs in the same
// process and shows every state change live.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/tui"
	"github.com/putpost/putpost/tui/plain"
)

const usage = `putpost — learn HTTP PUT vs POST by doing it

Usage:
  putpost [flags]              start the tutorial where you left off
  putpost sandbox [flags]      the server with every fixture and no lesson
  putpost lessons [flags]      list lessons with your progress
  putpost lint DIR...          check lesson files; prints file:line: problem
  putpost serve [flags]        serve a fresh simulated server over HTTP
  putpost classroom [flags]    serve the tutorial over SSH to a room (putpost classroom --help)
  putpost help                 this text

Flags (tutorial and sandbox):
  --lesson ID          jump to a lesson
  --lessons DIR        add a folder of lesson files to the built-in ones
  --only-lessons       with --lessons: use only that folder
  --plain              line mode: plain text on stdout, commands on stdin
                       (automatic when stdin or stdout is not a terminal,
                       or when TERM=dumb)
  --listen ADDR        also serve your simulated server on ADDR (e.g. 127.0.0.1:8080)
  --allow-remote       let --listen bind an address that is not loopback
  --progress FILE      where progress is saved (default: $XDG_STATE_HOME/putpost/progress.json)
  -v                   line mode: print every request of a repeat
  --color              line mode: use colour

Flags (serve):
  --listen ADDR        address to serve on (default 127.0.0.1:8080)
  --allow-remote       allow an address that is not loopback
  --fixture NAME       starting state: all, bank, flights, customers, payments, empty

Docs: README.md, docs/LESSONS.md (writing your own lessons).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil && errors.Is(err, context.Canceled) && ctx.Err() != nil {
		// Ctrl-C or SIGTERM: a stop the learner asked for, not a failure.
		// Progress is saved after every passed step, so nothing is lost.
		err = nil
	}
	if err != nil {
		if !errors.Is(err, errUsage) && !errors.Is(err, errLint) {
			fmt.Fprintln(os.Stderr, "putpost:", err)
		}
		os.Exit(exitCode(err))
	}
}

// errUsage marks errors whose message has already been printed with the usage.
var errUsage = errors.New("usage")

// errLint marks a lint run that found problems: exit 1 without a second message.
var errLint = errors.New("lint found problems")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// run is main without the process: tests call it with their own streams.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, args := splitCommand(args)
	switch cmd {
	case "", "sandbox":
		return runTutorial(ctx, cmd == "sandbox", args, stdin, stdout, stderr)
	case "lessons":
		return runLessons(args, stdout, stderr)
	case "lint":
		return runLint(args, stdout, stderr)
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "classroom":
		return runClassroom(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "putpost: unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}

// valueFlags are the flags that take a separate value ("--lesson ID").
var valueFlags = map[string]bool{"lesson": true, "lessons": true, "listen": true, "progress": true, "fixture": true,
	"dir": true, "teacher-keys": true, "max-sessions": true, "idle": true, "max-session": true, "out": true}

// splitCommand finds the subcommand wherever it stands among the flags, so
// that "putpost --plain sandbox" and "putpost sandbox --plain" agree. It
// returns the command ("" for the tutorial) and the other arguments in order.
func splitCommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return "", args
		}
		if !strings.HasPrefix(a, "-") {
			rest := append(append([]string{}, args[:i]...), args[i+1:]...)
			return a, rest
		}
		name := strings.TrimLeft(a, "-")
		if valueFlags[name] { // "--lesson=ID" carries its value: name is then "lesson=ID"
			i++ // skip the flag's value
		}
	}
	return "", args
}

// tutorialFlags are the flags shared by the tutorial, the sandbox and `lessons`.
type tutorialFlags struct {
	lesson, lessonsDir, listen, progress string
	onlyLessons, plain, allowRemote      bool
	verbose, color                       bool
}

func parseTutorialFlags(name string, args []string, stderr io.Writer) (tutorialFlags, error) {
	var f tutorialFlags
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "Run putpost help to see every command and flag.") }
	fs.StringVar(&f.lesson, "lesson", "", "jump to a lesson")
	fs.StringVar(&f.lessonsDir, "lessons", "", "add a folder of lesson files")
	fs.BoolVar(&f.onlyLessons, "only-lessons", false, "use only the --lessons folder")
	fs.BoolVar(&f.plain, "plain", false, "line mode")
	fs.StringVar(&f.listen, "listen", "", "serve the simulated server on this address")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow a non-loopback --listen address")
	fs.StringVar(&f.progress, "progress", "", "progress file")
	fs.BoolVar(&f.verbose, "v", false, "line mode: every request of a repeat")
	fs.BoolVar(&f.color, "color", false, "line mode: colour")
	if err := fs.Parse(args); err != nil {
		return f, errUsage // the flag package has said what is wrong (or shown fs.Usage for -h)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "putpost %s: unexpected argument %q\n\n%s", name, fs.Arg(0), usage)
		return f, errUsage
	}
	if f.onlyLessons && f.lessonsDir == "" {
		fmt.Fprintln(stderr, "putpost: --only-lessons needs --lessons DIR (the folder whose lessons to use)")
		return f, errUsage
	}
	return f, nil
}

// loadCurriculum returns the built-in lessons, plus or instead of a host's folder.
func loadCurriculum(f tutorialFlags) ([]*lessons.Lesson, error) {
	builtin, err := lessons.Builtin()
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

func runTutorial(ctx context.Context, sandbox bool, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	name := "tutorial"
	if sandbox {
		name = "sandbox"
	}
	f, err := parseTutorialFlags(name, args, stderr)
	if err != nil {
		return err
	}
	if sandbox && f.lesson != "" {
		return errors.New("--lesson has no meaning in the sandbox; leave it out or drop `sandbox`")
	}
	o := session.Options{Mode: session.Sandbox, Listen: f.listen, AllowRemote: f.allowRemote}
	var progress *lessons.Progress
	var notice string
	if !sandbox {
		ls, err := loadCurriculum(f)
		if err != nil {
			return err
		}
		if progress, notice, err = openProgress(f); err != nil {
			return err
		}
		o.Mode, o.Lessons, o.Progress, o.Lesson = session.Tutorial, ls, progress, f.lesson
	}
	sess, err := session.New(o)
	switch {
	case errors.Is(err, sim.ErrNotLoopback):
		return fmt.Errorf("%w (add --allow-remote to do that)", err)
	case err != nil && f.lesson != "" && progress != nil:
		return fmt.Errorf("--lesson: %w (putpost lessons lists them)", err)
	case err != nil:
		return err
	}
	defer sess.Close()

	// A dumb terminal cannot draw the full screen; line mode works everywhere.
	interactive := !f.plain && isTerminal(stdin) && isTerminal(stdout) && os.Getenv("TERM") != "dumb"
	if !interactive {
		return plain.Run(ctx, plain.Options{
			In: stdin, Out: stdout, Session: sess,
			Notice: notice, Verbose: f.verbose, Color: f.color,
			Echo: !isTerminal(stdin),
		})
	}
	return tui.Run(ctx, tui.Options{
		Session: sess, Notice: notice,
		Welcome:   progress != nil && progress.FirstRun(),
		NotSaving: progress != nil && !progress.Saving(),
	})
}

// isTerminal reports whether v is a file that is a terminal device.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// listen is sim.Listen with this command line's flag named in its refusal.
func listen(addr string, allowRemote bool) (net.Listener, error) {
	ln, err := sim.Listen(addr, allowRemote)
	if errors.Is(err, sim.ErrNotLoopback) {
		return nil, fmt.Errorf("%w (add --allow-remote to do that)", err)
	}
	return ln, err
}

func runLessons(args []string, stdout, stderr io.Writer) error {
	f, err := parseTutorialFlags("lessons", args, stderr)
	if err != nil {
		return err
	}
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
		fmt.Fprintf(stdout, "%s %2d. %-22s %-52s %2d/%-2d %3d%%\n", mark, i+1, lp.ID, lp.Title, lp.Done, lp.Total, lp.Percent)
	}
	return nil
}

func runLint(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "putpost lint: name at least one folder of lesson files\n\n%s", usage)
		return errUsage
	}
	found := 0
	for _, dir := range args {
		for _, p := range lessons.Lint(dir) {
			fmt.Fprintln(stdout, p.String())
			found++
		}
	}
	if found > 0 {
		fmt.Fprintf(stderr, "%d problem(s)\n", found)
		return errLint
	}
	fmt.Fprintln(stdout, "no problems")
	return nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "Run putpost help to see every command and flag.") }
	addr := fs.String("listen", "127.0.0.1:8080", "address to serve on")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback address")
	fixture := fs.String("fixture", "all", "starting state")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if !slices.Contains(sim.Fixtures(), *fixture) {
		return fmt.Errorf("unknown fixture %q; choose one of: %s", *fixture, strings.Join(sim.Fixtures(), ", "))
	}
	srv := sim.New(sim.Options{Fixture: *fixture})
	ln, err := listen(*addr, *allowRemote)
	if err != nil {
		return err
	}
	return serve(ctx, srv, ln, stdout)
}

// serve runs srv on ln, printing one line per exchange, until ctx ends.
func serve(ctx context.Context, srv *sim.Server, ln net.Listener, stdout io.Writer) error {
	feed := srv.Feed(srv.LastSeq())
	defer feed.Close()
	hs := sim.NewHTTPServer(srv)
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	try := "/"
	if paths := srv.Paths(); len(paths) > 0 {
		try = paths[0]
	}
	fmt.Fprintf(stdout, "serving a simulated server on http://%s — try: curl -i http://%s%s   (Ctrl-C stops)\n", ln.Addr(), ln.Addr(), try)
	// Under load, one write per exchange would cost more than the exchange:
	// buffer, and flush whenever no more events are waiting.
	out := bufio.NewWriter(stdout)
	for {
		select {
		case <-feed.Ready():
			b := feed.Poll()
			if b.Missed > 0 {
				fmt.Fprintf(out, "(%d exchanges came and went faster than they could be printed)\n", b.Missed)
			}
			for _, e := range b.Events {
				if e.Kind == sim.KindExchange {
					fmt.Fprintf(out, "#%d %s %s %s\n", e.Seq, e.Request.Method, e.Request.Target, e.Summary())
				}
			}
			if len(feed.Ready()) == 0 {
				out.Flush()
			}
		case err := <-done:
			out.Flush()
			return err
		case <-ctx.Done():
			out.Flush()
			sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if err := hs.Shutdown(sctx); err != nil {
				return err
			}
			if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			fmt.Fprintln(stdout, "stopped")
			return nil
		}
	}
}
