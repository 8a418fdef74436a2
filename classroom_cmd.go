package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/putpost/putpost/classroom"
	"github.com/putpost/putpost/sim"
)

// classroomFlags are the flags of `putpost classroom` and its export.
type classroomFlags struct {
	listen, dir, lessonsDir, teacherKeys, out string
	allowRemote, onlyLessons                  bool
	maxSessions                               int
	idle, maxSession                          time.Duration
}

const classroomUsage = `Usage:
  putpost classroom [flags]             serve the tutorial over SSH to a room
  putpost classroom export [flags]      write every learner's progress as CSV and JSON

Flags:
  --listen ADDR        SSH address (default 127.0.0.1:2222)
  --allow-remote       let --listen bind an address that is not loopback (a classroom needs it)
  --dir DIR            the classroom's state folder: host key and progress
                       (default: $XDG_STATE_HOME/putpost/classroom)
  --teacher-keys FILE  the instructor's keys, authorized_keys format
                       (without it, teach needs the token printed at start)
  --lessons DIR        add a folder of lesson files to the built-in ones
  --only-lessons       with --lessons: use only that folder
  --max-sessions N     sessions at once (default 200)
  --idle D             disconnect after D without a key press (default 30m)
  --max-session D      the longest a connection may last (default 8h)
  --out DIR            export: where the files go (default: the current folder)

See docs/CLASSROOM.md for running a workshop.
`

func parseClassroomFlags(name string, args []string, stderr io.Writer) (classroomFlags, error) {
	var f classroomFlags
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, classroomUsage) }
	fs.StringVar(&f.listen, "listen", "127.0.0.1:2222", "")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "")
	fs.StringVar(&f.dir, "dir", classroom.DefaultDir(), "")
	fs.StringVar(&f.teacherKeys, "teacher-keys", "", "")
	fs.StringVar(&f.lessonsDir, "lessons", "", "")
	fs.BoolVar(&f.onlyLessons, "only-lessons", false, "")
	fs.IntVar(&f.maxSessions, "max-sessions", classroom.DefaultMaxSessions, "")
	fs.DurationVar(&f.idle, "idle", classroom.DefaultIdle, "")
	fs.DurationVar(&f.maxSession, "max-session", classroom.DefaultMaxSession, "")
	fs.StringVar(&f.out, "out", ".", "")
	if err := fs.Parse(args); err != nil {
		return f, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "putpost %s: unexpected argument %q\n\n%s", name, fs.Arg(0), classroomUsage)
		return f, errUsage
	}
	if f.onlyLessons && f.lessonsDir == "" {
		fmt.Fprintln(stderr, "putpost: --only-lessons needs --lessons DIR (the folder whose lessons to use)")
		return f, errUsage
	}
	if f.dir == "" {
		return f, errors.New("no state folder for the classroom: set XDG_STATE_HOME or HOME, or pass --dir")
	}
	return f, nil
}

// runClassroom is `putpost classroom` and `putpost classroom export`.
func runClassroom(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "export" {
		return runClassroomExport(args[1:], stdout, stderr)
	}
	f, err := parseClassroomFlags("classroom", args, stderr)
	if err != nil {
		return err
	}
	ls, err := loadCurriculum(tutorialFlags{lessonsDir: f.lessonsDir, onlyLessons: f.onlyLessons})
	if err != nil {
		return err
	}
	c, err := classroom.New(classroom.Config{
		Listen: f.listen, AllowRemote: f.allowRemote, Dir: f.dir, Lessons: ls,
		TeacherKeys: f.teacherKeys, MaxSessions: f.maxSessions, Idle: f.idle, MaxSession: f.maxSession,
		Log: stderr,
	})
	if errors.Is(err, sim.ErrNotLoopback) {
		return fmt.Errorf("%w (add --allow-remote to do that)", err)
	}
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, c.Welcome())
	done := make(chan error, 1)
	go func() { done <- c.Serve() }()
	select {
	case err := <-done:
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.Shutdown(sctx)
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "closing the classroom: telling everyone and saving progress…")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Shutdown(sctx); err != nil {
		fmt.Fprintln(stderr, "some connections did not end in time:", err)
	}
	<-done
	fmt.Fprintln(stdout, "closed")
	return nil
}

func runClassroomExport(args []string, stdout, stderr io.Writer) error {
	f, err := parseClassroomFlags("classroom export", args, stderr)
	if err != nil {
		return err
	}
	ls, err := loadCurriculum(tutorialFlags{lessonsDir: f.lessonsDir, onlyLessons: f.onlyLessons})
	if err != nil {
		return err
	}
	if _, err := os.Stat(f.dir); err != nil {
		return fmt.Errorf("--dir %s: no classroom there (%w)", f.dir, err)
	}
	csvPath, jsonPath, err := classroom.Export(f.dir, f.out, ls, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\nwrote %s\n", csvPath, jsonPath)
	return nil
}
