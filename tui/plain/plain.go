// Package plain is putpost's line mode: the whole tutorial as plain lines of
// text, for screen readers, pipes, logs and scripted tests.
//
// Line mode never moves the cursor, never draws boxes and prints no escape
// sequences unless colour is asked for. It prints one idea per line in
// reading order: the lesson text (Markdown made readable), the current step's
// task and suggested request, and after each request one line with the status
// and what changed, then what the step's checks say. It reads request lines,
// curl command lines and command words from its input, one per line.
//
// The same input gives the same transcript: the simulated server's clock and
// ids are deterministic and line mode prints no wall-clock times, so
// `putpost --plain < script` can serve as a golden test.
package plain

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/putpost/putpost/session"
)

// Options configure a line-mode run. Only Session is required.
type Options struct {
	In      io.Reader        // lines to read; nil reads nothing
	Out     io.Writer        // where the transcript goes; nil discards it
	Session *session.Session // the learner's session this view drives
	Notice  string           // printed once at start (e.g. progress will not be saved)
	Verbose bool             // print every exchange of a repeated request, not a summary
	Color   bool             // colour the output with ANSI escapes (only when asked)
	Echo    bool             // print each input line after "> ", so a piped script reads as a transcript
	// Prompt prints "> " when line mode waits for a line: for a learner at
	// a terminal, which shows what they type after it (Echo is for input
	// the terminal does not show).
	Prompt bool
	// Width, when set, gives the terminal's width in columns now; lines are
	// wrapped at spaces to fit it instead of being cut mid-word by the
	// terminal. A word longer than a line (a JSON body) is left whole.
	// Nil, or 0 from it, leaves lines as they are, as a transcript wants.
	Width func() int
	// Clipboard lets copy put its curl line on the terminal's clipboard
	// with an OSC 52 sequence; set it only when Out is a terminal.
	Clipboard bool
}

// MaxLine is the longest input line line mode accepts, in bytes. Longer lines
// are reported and skipped whole; nothing of them is sent.
const MaxLine = 1 << 20

// Run plays a line-mode session until the input ends or the learner types
// quit; both return nil. It returns ctx's error when ctx is cancelled and the
// first error writing to Out or reading from In.
//
// One goroutine — the caller's — owns the engine and the output. Another reads
// In; because a blocked Read cannot be interrupted, that reader may outlive Run
// until In delivers its next line or ends.
func Run(ctx context.Context, o Options) error {
	if o.Session == nil {
		return errors.New("plain: Options.Session is nil")
	}
	if o.In == nil {
		o.In = bytes.NewReader(nil)
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	s := newView(ctx, o)
	defer s.watch.Close()
	done := make(chan struct{})
	defer close(done)
	lines := make(chan inputLine)
	go readLines(o.In, lines, done)

	s.out.measure()
	s.start()
	for !s.quit && s.out.err == nil {
		if o.Prompt {
			s.out.prompt()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.watch.Ready():
			s.out.measure()
			s.catchUp()
		case in, ok := <-lines:
			s.out.measure()
			if !ok {
				s.endOfInput()
				return s.out.err
			}
			if in.err != nil {
				return fmt.Errorf("reading input: %w", in.err)
			}
			// The terminal showed the line and its Enter: the cursor
			// is at the start of a new line, after the prompt.
			s.out.prompted = false
			s.catchUp()
			s.handle(in)
			s.catchUp()
		}
	}
	return s.out.err
}

// inputLine is one line of input without its line ending. tooLong is the
// line's length in bytes when it exceeded MaxLine (text is then empty).
type inputLine struct {
	text    string
	tooLong int
	err     error
}

// readLines sends r's lines to lines and closes it at the end of r. A read
// error other than io.EOF is sent as a final inputLine.
func readLines(r io.Reader, lines chan<- inputLine, done <-chan struct{}) {
	defer close(lines)
	br := bufio.NewReaderSize(r, 64<<10)
	send := func(l inputLine) bool {
		select {
		case lines <- l:
			return true
		case <-done:
			return false
		}
	}
	for {
		var buf []byte
		var tail [2]byte // the last two bytes read, to tell the line ending
		n, over := 0, false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			n += len(chunk)
			for _, c := range chunk[max(0, len(chunk)-2):] {
				tail[0], tail[1] = tail[1], c
			}
			if !over && len(buf)+len(chunk) <= MaxLine+2 { // room for "\r\n"
				buf = append(buf, chunk...)
			} else {
				over, buf = true, nil
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if n > 0 {
			line := inputLine{text: string(trimEOL(buf))}
			if over || len(line.text) > MaxLine {
				length := n
				if tail[1] == '\n' {
					length--
					if tail[0] == '\r' {
						length--
					}
				}
				line = inputLine{tooLong: length}
			}
			if !send(line) {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				send(inputLine{err: err})
			}
			return
		}
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}
