package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/putpost/putpost/present"
	"github.com/putpost/putpost/session"
)

// presentFlags are `putpost present`'s flags.
type presentFlags struct {
	demo, record string
	list, notes  bool
}

// presentCommand is `putpost present`: the projector screen playing a demo,
// its speaker notes (--notes), or the list of built-in demos (--list).
func presentCommand(stdout io.Writer) *cobra.Command {
	var pf presentFlags
	c := &cobra.Command{
		Use:   "present",
		Short: "The projector screen, playing a demo a step at a time",
		Long: `A projector layout of one sandbox: the balance in big digits with its last
change, a chart that fills the height, the request and the response in large
lines, played from a demo script (a line-mode script whose # lines are
captions and #> lines speaker notes). Space sends the next line, ← goes back,
r restarts, a number and ⏎ jumps, ? shows the keys.
Docs: docs/PRESENTING.md.`,
		Example: `putpost present --list
putpost present --demo two-tellers
# in a second terminal: the speaker notes follow the presenter
putpost present --demo two-tellers --notes
putpost present --demo ./my-demo.txt --record class.cast`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return runPresent(c.Context(), pf, stdout)
		},
	}
	fs := c.Flags()
	fs.SortFlags = false
	fs.StringVar(&pf.demo, "demo", present.DefaultDemo, "a built-in demo (see --list) or a demo file")
	fs.BoolVar(&pf.list, "list", false, "list the built-in demos")
	fs.BoolVar(&pf.notes, "notes", false, "speaker notes that follow the presenter, for a second terminal")
	fs.StringVar(&pf.record, "record", "", "record the presenter's screen as an asciicast v2 file")
	_ = c.RegisterFlagCompletionFunc("demo", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return present.Builtin(), cobra.ShellCompDirectiveDefault
	})
	return c
}

func runPresent(ctx context.Context, pf presentFlags, stdout io.Writer) error {
	if pf.list {
		for _, name := range present.Builtin() {
			d, err := present.LoadDemo(name)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%-14s %s (%d steps)\n", name, d.Title, len(d.Steps))
		}
		return nil
	}
	if pf.notes && pf.record != "" {
		return usagef("present: --record records the presenter; use it without --notes")
	}
	demo, err := present.LoadDemo(pf.demo)
	if err != nil {
		return err
	}
	if !term.IsTerminal(os.Stdout.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return errors.New("present needs a terminal; to try a demo's requests without one, run putpost sandbox --plain < FILE")
	}
	if pf.notes {
		return present.RunNotes(ctx, demo, present.LinkFile())
	}
	o := present.Options{Demo: demo, Notes: true}
	if pf.record != "" {
		f, err := os.Create(pf.record)
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
