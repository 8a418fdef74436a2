package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/putpost/putpost/present"
	"github.com/putpost/putpost/session"
)

// defaultDemo is played by `putpost present` without --demo.
const defaultDemo = "put-vs-post"

// runPresent is `putpost present`: the projector screen playing a demo, its
// speaker notes (--notes), or the list of built-in demos (--list).
func runPresent(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("present", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "Run putpost help to see every command and flag.") }
	demoName := fs.String("demo", defaultDemo, "a built-in demo's name or a demo file")
	list := fs.Bool("list", false, "list the built-in demos")
	notes := fs.Bool("notes", false, "show speaker notes that follow the presenter")
	record := fs.String("record", "", "record the screen as an asciicast v2 file")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "putpost present: unexpected argument %q\n\n%s", fs.Arg(0), usage)
		return errUsage
	}
	if *list {
		for _, name := range present.Builtin() {
			d, err := present.LoadDemo(name)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%-14s %s (%d steps)\n", name, d.Title, len(d.Steps))
		}
		return nil
	}
	demo, err := present.LoadDemo(*demoName)
	if err != nil {
		return err
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return errors.New("present needs a terminal; to try a demo's requests without one, run putpost sandbox --plain < FILE")
	}
	if *notes {
		if *record != "" {
			return errors.New("--record records the presenter; use it without --notes")
		}
		return present.RunNotes(ctx, demo, present.LinkFile())
	}
	o := present.Options{Demo: demo, Notes: true}
	if *record != "" {
		f, err := os.Create(*record)
		if err != nil {
			return fmt.Errorf("--record: %w", err)
		}
		defer func() { _ = f.Close() }()
		o.Record = f
		o.Width, o.Height, _ = term.GetSize(os.Stdout.Fd())
	}
	sess, err := session.New(session.Options{Mode: session.Sandbox})
	if err != nil {
		return err
	}
	defer sess.Close()
	o.Session = sess
	return present.Run(ctx, o)
}
