package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/putpost/putpost/classroom"
	"github.com/putpost/putpost/present"
	"github.com/putpost/putpost/sim"
)

// classroomFlags are the flags of `putpost classroom` and its export.
type classroomFlags struct {
	listen, dir, lessonsDir, teacherKeys, out, demosDir string
	allowRemote, onlyLessons                            bool
	maxSessions                                         int
	idle, maxSession                                    time.Duration
}

// newClassroomCommand is `putpost classroom` and its `export`.
func newClassroomCommand(stdout, stderr io.Writer) *cobra.Command {
	var f classroomFlags
	cmd := &cobra.Command{
		Use:   "classroom",
		Short: "Serve the tutorial over SSH to a room of learners",
		Long: `Serve the tutorial over SSH: every learner who connects gets the full
screen with their own simulated server and their own saved progress; the
instructor connects with teach for a live roster of the room, with demo for a
tutorial of their own, and with present [DEMO] for the projector screen; the
room follows what the instructor shows with watch.

Learners are known by their SSH key, or by their user name when they have
none. Progress lives in the state folder (--dir) and survives a restart.
See docs/CLASSROOM.md for running a workshop end to end.`,
		Example: `# a room on this machine's network (share the printed command)
putpost classroom --listen 0.0.0.0:2222 --allow-remote --teacher-keys ~/.ssh/id_ed25519.pub
# learners
ssh -p 2222 ada@192.0.2.10
# after the workshop
putpost classroom export`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := f.check(); err != nil {
				return err
			}
			return runClassroom(c.Context(), f, stdout, stderr)
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&f.listen, "listen", "127.0.0.1:2222", "the SSH address to listen on")
	fs.BoolVar(&f.allowRemote, "allow-remote", false, "allow an address that is not loopback (a room needs it)")
	fs.StringVar(&f.teacherKeys, "teacher-keys", "", "the instructor's keys, authorized_keys format (else teach needs the token printed at start)")
	fs.StringVar(&f.demosDir, "demos", "", "a folder of demo files (NAME.txt) the presenter can play, beside the built-in ones")
	fs.IntVar(&f.maxSessions, "max-sessions", classroom.DefaultMaxSessions, "sessions at once, learners and instructor")
	fs.DurationVar(&f.idle, "idle", classroom.DefaultIdle, "disconnect after this long without a key press")
	fs.DurationVar(&f.maxSession, "max-session", classroom.DefaultMaxSession, "the longest a connection may last")
	addClassroomFolderFlags(cmd, &f)

	var ef classroomFlags
	export := &cobra.Command{
		Use:   "export",
		Short: "Write every learner's progress as CSV and JSON",
		Long: `Write every learner's progress in the classroom's state folder as a CSV
and a JSON file into the current folder (or --out). It reads what the
classroom saved, so it works while the classroom runs and after it stopped.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			if err := ef.check(); err != nil {
				return err
			}
			return runClassroomExport(ef, stdout)
		},
	}
	addClassroomFolderFlags(export, &ef)
	export.Flags().StringVar(&ef.out, "out", ".", "the folder the files go to")
	cmd.AddCommand(export)
	return cmd
}

// addClassroomFolderFlags declares the flags the classroom and its export share.
func addClassroomFolderFlags(cmd *cobra.Command, f *classroomFlags) {
	fs := cmd.Flags()
	fs.StringVar(&f.dir, "dir", classroom.DefaultDir(), "the classroom's state folder: host key and every learner's progress")
	fs.StringVar(&f.lessonsDir, "lessons", "", "add a folder of lesson files to the built-in ones")
	fs.BoolVar(&f.onlyLessons, "only-lessons", false, "with --lessons: use only that folder")
}

func (f classroomFlags) check() error {
	if f.onlyLessons && f.lessonsDir == "" {
		return usagef("--only-lessons needs --lessons DIR (the folder whose lessons to use)")
	}
	if f.dir == "" {
		return usagef("no state folder for the classroom: set XDG_STATE_HOME or HOME, or pass --dir")
	}
	return nil
}

// runClassroom is `putpost classroom` and `putpost classroom export`.
func runClassroom(ctx context.Context, f classroomFlags, stdout, stderr io.Writer) error {
	ls, err := loadCurriculum(tutorialFlags{lessonsDir: f.lessonsDir, onlyLessons: f.onlyLessons})
	if err != nil {
		return err
	}
	var demos []*present.Demo
	if f.demosDir != "" {
		if demos, err = present.LoadDemoDir(f.demosDir); err != nil {
			return fmt.Errorf("--demos: %w", err)
		}
	}
	c, err := classroom.New(classroom.Config{
		Listen: f.listen, AllowRemote: f.allowRemote, Dir: f.dir, Lessons: ls, Demos: demos,
		TeacherKeys: f.teacherKeys, MaxSessions: f.maxSessions, Idle: f.idle, MaxSession: f.maxSession,
		Log: stderr,
	})
	if errors.Is(err, sim.ErrNotLoopback) {
		return fmt.Errorf("%w (add --allow-remote to do that)", err)
	}
	if err != nil {
		return err
	}
	// The instructor's terminal may go before the room does: with
	// `putpost classroom | tee log`, Ctrl-C ends tee first. A write to a
	// closed pipe then fails instead of killing the process (Go's default
	// for stdout and stderr), so every learner still hears that the room
	// closes and gets their terminal back.
	signal.Ignore(syscall.SIGPIPE)
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

func runClassroomExport(f classroomFlags, stdout io.Writer) error {
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
