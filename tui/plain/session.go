package plain

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/sim"
)

// session is the state of one line-mode run. Only Run's goroutine touches it.
type session struct {
	ctx    context.Context
	o      Options
	out    *printer
	srv    *sim.Server
	eng    *lessons.Engine
	client *sim.Client

	initial sim.Snapshot // the server as it was at the start: reset in sandbox mode
	lastSeq uint64       // newest server event already accounted for
	confirm *confirmation
	quit    bool

	// Network conditions a step asked for, and what the learner had before.
	stepNet     bool
	savedFaults sim.FaultSettings
	savedRetry  sim.RetryPolicy
}

// confirmation is a question waiting for "yes" on the next line.
type confirmation struct {
	do func()
}

func newSession(ctx context.Context, o Options) *session {
	s := &session{
		ctx:    ctx,
		o:      o,
		out:    &printer{w: o.Out, color: o.Color},
		srv:    o.Server,
		eng:    o.Engine,
		client: o.Client,
	}
	if s.client == nil {
		s.client = s.srv.Client(sim.SourceComposer)
	}
	s.initial = s.srv.Checkpoint()
	s.lastSeq = s.srv.LastSeq()
	return s
}

// start prints what comes before the first input line.
func (s *session) start() {
	if s.o.Notice != "" {
		s.out.line(s.o.Notice)
	}
	if s.o.Listen != "" {
		s.out.line(listenHint(s.o.Listen, s.srv.Paths()))
	}
	if s.eng == nil {
		s.out.line("Sandbox: no lesson, just the server. Type a request such as GET /accounts/42, or help for the commands.")
		return
	}
	s.printLesson(true)
}

// listenHint tells the learner how to reach the server from another terminal.
func listenHint(addr string, paths []string) string {
	if host, port, err := net.SplitHostPort(addr); err == nil && (host == "" || host == "0.0.0.0" || host == "::") {
		addr = net.JoinHostPort("127.0.0.1", port)
	}
	path := "/"
	if len(paths) > 0 {
		path = paths[0]
	}
	return fmt.Sprintf("This server also listens on http://%s. In another terminal, try: curl -i http://%s%s", addr, addr, path)
}

// handle acts on one input line.
func (s *session) handle(in inputLine) {
	if in.tooLong > 0 {
		if s.o.Echo {
			s.out.styled(styleFaint, fmt.Sprintf("> (a line of %d bytes)", in.tooLong))
		}
		s.out.styled(styleBad, fmt.Sprintf("That line is %d bytes long; line mode reads lines of up to %d bytes. Nothing was sent.", in.tooLong, MaxLine))
		return
	}
	line := strings.TrimSpace(in.text)
	if s.o.Echo && line != "" {
		s.out.styled(styleFaint, "> "+shorten(line, maxShown))
	}
	if c := s.confirm; c != nil {
		s.confirm = nil
		switch strings.ToLower(line) {
		case "yes", "y":
			c.do()
			s.catchUp()
			return
		case "", "no", "n":
			s.out.line("Cancelled: nothing was reset.")
			return
		}
		s.out.line("Cancelled: nothing was reset. Reading that line as a new command.")
	}
	if line == "" || strings.HasPrefix(line, "#") {
		return
	}
	// Command words come first ("state /accounts" is not a request), then
	// quiz answers, then requests; anything else is a mistyped word.
	fields := strings.Fields(line)
	if c, ok := lookupCommand(fields[0]); ok {
		c.run(s, fields[1:])
	} else if isNumber(fields[0]) {
		s.cmdAnswer(fields)
	} else if isRequestLine(fields) {
		s.request(line)
	} else {
		s.unknownWord(fields[0])
		return
	}
	s.catchUp()
}

// catchUp prints exchanges the session has not printed yet — requests from
// the network, or from anything else sharing the server — and lets the step's
// checks see them. Administrative events (undo, reset, restore) are skipped.
func (s *session) catchUp() {
	printed := false
	for _, ev := range s.srv.EventsSince(s.lastSeq) {
		s.lastSeq = ev.Seq
		// Administrative events and the engine's own replays of passed
		// steps are not exchanges the learner needs to hear about.
		if ev.Kind != sim.KindExchange || ev.Source == sim.SourceLesson {
			continue
		}
		s.out.line(otherExchangeLine(ev))
		printed = true
	}
	if printed {
		s.observe()
	}
}

// otherExchangeLine describes an exchange the learner did not type here.
func otherExchangeLine(ev sim.Event) string {
	from := string(ev.Source)
	if ev.Source == sim.SourceNetwork {
		from = "the network"
		if host, _, err := net.SplitHostPort(ev.Remote); err == nil {
			from += " (" + host + ")"
		}
	}
	return fmt.Sprintf("From %s: %s %s: %s", from, ev.Request.Method, ev.Request.Target, ev.Summary())
}

// endOfInput finishes the session when the input ends.
func (s *session) endOfInput() {
	if s.confirm != nil {
		s.confirm = nil
		s.out.line("Cancelled: nothing was reset.")
	}
	s.catchUp()
}
