package plain

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/putpost/putpost/exchange"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
)

// maxStateLines bounds what state prints at once; a path prefix narrows it.
const maxStateLines = 50

func (s *view) cmdState(args []string) {
	if len(args) > 1 {
		s.out.styled(styleBad, "Type state, or state and a path, for example: state /accounts")
		return
	}
	prefix := ""
	if len(args) == 1 {
		prefix = strings.TrimSuffix(args[0], "/")
		if !strings.HasPrefix(prefix, "/") {
			s.out.styled(styleBad, fmt.Sprintf("A path starts with /, for example: state /%s", strings.TrimPrefix(args[0], "/")))
			return
		}
	}
	var paths []string
	for _, p := range s.sess.Server().Paths() {
		if prefix == "" || p == prefix || strings.HasPrefix(p, prefix+"/") {
			paths = append(paths, p)
		}
	}
	switch {
	case len(paths) == 0 && prefix == "":
		s.out.line("The server stores nothing.")
		return
	case len(paths) == 0:
		s.out.line(fmt.Sprintf("The server stores nothing under %s.", prefix))
		return
	case len(paths) == 1:
		s.out.line("The server stores 1 resource:")
	default:
		s.out.line(fmt.Sprintf("The server stores %d resources:", len(paths)))
	}
	for i, p := range paths {
		if i == maxStateLines {
			s.out.line(fmt.Sprintf("…and %d more. Type state and a path to see fewer, for example: state %s", len(paths)-i, parentPath(p)))
			break
		}
		body, etag, ok := s.sess.Server().Resource(p)
		if !ok {
			continue
		}
		line := p + " " + shorten(string(body), maxShown)
		if etag != "" {
			line += " (ETag " + etag + ")"
		}
		s.out.line(line)
	}
}

// parentPath is p without its last segment ("/customers/7" → "/customers").
func parentPath(p string) string {
	if i := strings.LastIndex(p, "/"); i > 0 {
		return p[:i]
	}
	return p
}

func (s *view) cmdLog(args []string) {
	n := 20
	switch {
	case len(args) == 0:
	case len(args) == 1 && strings.EqualFold(args[0], "all"):
		n = -1
	case len(args) == 1 && isNumber(args[0]) && args[0] != "0":
		n, _ = strconv.Atoi(args[0])
	default:
		s.out.styled(styleBad, "Type log, log N for the last N exchanges, or log all.")
		return
	}
	// The log lists what the full screen's log lists: exchanges, and the
	// undos, resets and restores between them, so its numbers run on
	// without a gap the learner cannot account for.
	// Only the entries printed are unpacked; the count names every entry
	// so far, those the server no longer keeps too, as the numbers do.
	var evs []sim.Event
	var skipped uint64
	if n > 0 {
		evs, skipped = s.sess.Server().NewestEventsSince(0, n)
	} else {
		evs = s.sess.Server().EventsSince(0)
	}
	if len(evs) == 0 {
		s.out.line("No exchanges yet. Send a request, for example: GET /accounts/42")
		return
	}
	if skipped > 0 {
		s.out.line(fmt.Sprintf("The last %d of %d entries:", len(evs), uint64(len(evs))+skipped))
	}
	var lastExchange uint64
	for _, ev := range evs {
		s.out.line(logLine(ev))
		if ev.Kind == sim.KindExchange {
			lastExchange = ev.Seq
		}
	}
	if lastExchange > 0 {
		s.out.line("Type wire and a number to see an exchange as HTTP text, for example: wire " + strconv.FormatUint(lastExchange, 10))
	}
}

// logLine is one entry of the log: number, request, outcome and source;
// an undo, reset or restore is its number and what it did.
func logLine(ev sim.Event) string {
	if ev.Kind != sim.KindExchange {
		return fmt.Sprintf("#%d %s", ev.Seq, ev.Summary())
	}
	line := fmt.Sprintf("#%d %s %s: %s", ev.Seq, ev.Request.Method, ev.Request.Target, ev.Summary())
	switch ev.Source {
	case sim.SourceComposer:
	case sim.SourceRetry:
		line += fmt.Sprintf(" (retry, attempt %d)", ev.Attempt)
	case sim.SourceNetwork:
		line += " (from " + exchange.Sender(ev) + ")"
	default:
		line += " (from " + string(ev.Source) + ")"
	}
	return line
}

// maxWireLines bounds how much of a message wire prints.
const maxWireLines = 60

func (s *view) cmdWire(args []string) {
	evs := s.sess.Exchanges()
	if len(evs) == 0 {
		s.out.line("No exchanges yet. Send a request first, for example: GET /accounts/42")
		return
	}
	ev := evs[len(evs)-1]
	switch {
	case len(args) == 0:
	case len(args) == 1 && isNumber(strings.TrimPrefix(args[0], "#")):
		n, _ := strconv.ParseUint(strings.TrimPrefix(args[0], "#"), 10, 64)
		found := false
		for _, e := range evs {
			if e.Seq == n {
				ev, found = e, true
			}
		}
		if !found {
			s.out.styled(styleBad, fmt.Sprintf("There is no exchange #%d. Type log to see their numbers.", n))
			return
		}
	default:
		s.out.styled(styleBad, "Type wire and an exchange number from the log, for example: wire 1")
		return
	}
	s.out.line(fmt.Sprintf("Exchange #%d, the request as sent:", ev.Seq))
	s.wireLines(ev.Request.Wire(true))
	switch {
	case ev.Response.Status == 0:
		s.out.line("No response: the network dropped the request before it reached the server.")
	case ev.Fault == sim.FaultLostResponse:
		s.out.line("The response the server sent, which the network lost:")
		s.wireLines(ev.Response.Wire(false))
	default:
		s.out.line("The response:")
		s.wireLines(ev.Response.Wire(false))
	}
}

// wireLines prints HTTP/1.1 text line by line, indented, cut short when long.
func (s *view) wireLines(text string) {
	lines := strings.Split(strings.ReplaceAll(strings.TrimRight(text, "\r\n"), "\r\n", "\n"), "\n")
	for i, l := range lines {
		if i == maxWireLines {
			s.out.line(fmt.Sprintf("  …%d more lines not shown.", len(lines)-i))
			break
		}
		s.out.line("  " + shorten(l, maxShown))
	}
}

func (s *view) cmdUndo(args []string) {
	if len(args) > 0 {
		s.out.styled(styleBad, "undo takes no arguments: it reverts the newest change not yet undone.")
		return
	}
	s.catchUp() // anything from elsewhere first, as before a request
	ev, err := s.sess.Undo()
	if err != nil {
		s.out.line("Nothing to undo: no change since the start (or everything is already undone).")
		return
	}
	s.out.line("Undone: " + strings.TrimPrefix(ev.Summary(), string(ev.Kind)+" — "))
	// An undo is judged as a request is: it may pass the step, or undo
	// what a check needs.
	s.verdict(s.sess.Status())
}

func (s *view) cmdFaults(args []string) {
	if len(args) == 0 {
		s.out.line("Now " + session.DescribeNetwork(s.sess.Faults(), s.sess.Retry()))
		s.out.line("Type faults on, faults drop or faults off to change it.")
		return
	}
	f, err := session.ParseFaults(strings.Join(args, " "), s.sess.Faults())
	if err != nil {
		s.out.styled(styleBad, fmt.Sprintf("Unknown setting %s. Type faults on, faults drop or faults off.", quoteInput(strings.Join(args, " "))))
		return
	}
	s.sess.SetFaults(f)
	s.out.line("Faults " + strings.ToLower(args[0]) + ": " + session.DescribeNetwork(f, s.sess.Retry()))
}

func (s *view) cmdRetry(args []string) {
	if len(args) != 1 {
		s.out.line("The client's retry policy is " + string(s.sess.Retry()) + ".")
		s.out.line("Type retry and one of: none, rfc9110, go, browser.")
		for _, p := range session.RetryPolicies {
			s.out.line("  " + string(p) + " — " + session.RetryMeaning(p))
		}
		return
	}
	p, err := sim.ParseRetryPolicy(strings.ToLower(args[0]))
	if err != nil {
		s.out.styled(styleBad, "Not changed: "+err.Error())
		return
	}
	s.sess.SetRetry(p)
	s.out.line("Retry policy " + string(p) + ": " + session.RetryMeaning(p))
}
