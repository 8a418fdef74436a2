package plain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/putpost/putpost/exchange"
	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// request parses and sends a request line or curl line, x N times, and
// prints one line per exchange (or a summary of a repeat), then the checks.
func (s *view) request(line string) {
	rl, err := request.Parse(line)
	if err != nil {
		s.syntaxError(line, err)
		return
	}
	if m := strings.ToUpper(rl.Method); m != rl.Method && slices.Contains(knownMethods, m) {
		s.out.line(fmt.Sprintf("Note: method names are case-sensitive: %s is not %s, and the server will say so. Type %s to send %s.", rl.Method, m, m, m))
	} else if !slices.Contains(knownMethods, m) {
		note := fmt.Sprintf("Note: %s is not one of the methods this tutorial teaches; the server will say so.", rl.Method)
		if m != rl.Method {
			note += fmt.Sprintf(" Method names are case-sensitive, so %s is not %s either.", rl.Method, m)
		}
		if c := lessons.Closest(m, knownMethods); c != "" {
			note += fmt.Sprintf(" Did you mean %s?", c)
		}
		s.out.line(note)
	}

	s.catchUp() // anything from elsewhere first, so this request's lines stay together
	r := s.sess.Send(s.ctx, rl, rl.Repeat)
	mine := r.Mine
	if rl.Repeat == 1 || s.o.Verbose {
		for _, ev := range mine {
			s.printExchange(ev)
		}
	} else {
		s.out.lines(repeatSummary(rl.Repeat, mine))
	}
	if n := len(mine); n > 0 {
		last := mine[n-1]
		x := exchange.Describe(last)
		// What a lost answer held, the client never read: say so, as the
		// full screen labels it, rather than print it as what came back.
		lost := last.Fault == sim.FaultLostResponse
		if hs := x.Headers; len(hs) > 0 {
			parts := make([]string, len(hs))
			for i, h := range hs {
				parts[i] = h[0] + ": " + h[1]
			}
			label := "Headers: "
			if lost {
				label = "Headers of the lost answer: "
			}
			s.out.line(label + shorten(strings.Join(parts, "; "), maxShown))
		}
		// The body the client read, as the full screen's response pane shows
		// it; an error's body is its sentence, printed next.
		if !lost && x.Code != 0 && x.Error == "" {
			if x.Body != "" {
				s.out.line("Body: " + shorten(x.Body, maxShown))
			} else {
				s.out.line("No body.")
			}
		}
		switch {
		case x.Error != "" && lost:
			s.out.line("The server said, in the answer the client never got: " + x.Error)
		case x.Error != "":
			s.out.line("The server says: " + x.Error)
		}
		switch last.Fault {
		case sim.FaultLostResponse:
			s.out.line("The client got no response, so it cannot tell whether the server acted. Type state to look.")
		case sim.FaultDropped:
			s.out.line("The request never reached the server, but the client cannot tell that from a lost response.")
		}
	}
	if r.Err != nil {
		s.out.styled(styleBad, "The request could not be sent: "+r.Err.Error())
	}
	if r.Observed {
		s.verdict(r.Step)
	}
}

// printExchange prints one exchange of the learner's as one line, with a
// second line when the client never saw the response.
func (s *view) printExchange(ev sim.Event) {
	line := ev.Summary()
	if ev.Source == sim.SourceRetry {
		line = fmt.Sprintf("Retry (attempt %d): %s", ev.Attempt, line)
	}
	s.out.line(line)
}

// syntaxError explains why a line was not sent, pointing at the column
// when the parser names one.
func (s *view) syntaxError(line string, err error) {
	s.out.styled(styleBad, "Not sent: "+shorten(err.Error(), maxShown))
	var se *request.SyntaxError
	if errors.As(err, &se) && se.Col > 0 {
		if pointer, ok := caretLine(line, se.Col); ok {
			s.out.line("  " + line)
			s.out.line("  " + pointer)
		}
	}
	s.out.line("Nothing was sent. Type help for the request syntax.")
}

// caretLine returns spaces and a ^ under rune column col of line, when that
// lines up on a terminal: the line is short, printable ASCII up to the column.
func caretLine(line string, col int) (string, bool) {
	if len(line) > 160 || !utf8.ValidString(line) {
		return "", false
	}
	r := []rune(line)
	if col > len(r)+1 {
		return "", false
	}
	for _, c := range r[:col-1] {
		if c < 0x20 || c > 0x7e {
			return "", false
		}
	}
	return strings.Repeat(" ", col-1) + "^", true
}

// repeatSummary sums up a repeated request: how many exchanges answered
// with which status, then the first and the last exchange in full, which
// show the value after one request and after all of them.
func repeatSummary(times int, evs []sim.Event) []string {
	var labels []string
	count := map[string]int{}
	for _, ev := range evs {
		l := statusLabel(ev)
		if count[l] == 0 {
			labels = append(labels, l)
		}
		count[l]++
	}
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = fmt.Sprintf("%d × %s", count[l], l)
	}
	head := fmt.Sprintf("Sent %d times", times)
	if len(evs) != times {
		head += fmt.Sprintf(" in %d exchanges", len(evs))
	}
	if len(evs) == 0 {
		return []string{head + "."}
	}
	lines := []string{head + ": " + strings.Join(parts, ", ") + "."}
	lines = append(lines, "First: "+evs[0].Summary())
	if len(evs) > 1 {
		lines = append(lines, "Last: "+evs[len(evs)-1].Summary())
	}
	return lines
}

// statusLabel names an exchange's outcome as the server's summary does:
// "204 No Content", "201 Created, replayed", "201 Created, response lost",
// "request dropped".
func statusLabel(ev sim.Event) string { return exchange.Status(ev) }
