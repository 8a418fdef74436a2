package plain

import (
	"context"
	"fmt"
	"strings"

	"github.com/putpost/putpost/exchange"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
)

// view is one line-mode run: it reads lines, drives the learner's session
// with them and prints what happened. Only Run's goroutine touches it.
type view struct {
	ctx   context.Context
	o     Options
	out   *printer
	sess  *session.Session
	watch *session.Watcher

	confirm *confirmation
	quit    bool
	// told: this view printed the current step's pass since the step was
	// entered or reset; until then a step passed before is judged again.
	told bool
}

// confirmation is a question waiting for "yes" on the next line.
type confirmation struct {
	do func()
}

func newView(ctx context.Context, o Options) *view {
	return &view{
		ctx:   ctx,
		o:     o,
		out:   &printer{w: o.Out, color: o.Color, width: o.Width},
		sess:  o.Session,
		watch: o.Session.Watch(),
	}
}

// start prints what comes before the first input line.
func (s *view) start() {
	if s.o.Notice != "" {
		s.out.line(s.o.Notice)
	}
	if addr := s.sess.Addr(); addr != "" {
		s.out.line(listenHint(addr, s.sess.Server().Paths()))
	}
	if s.sess.Mode() == session.Sandbox {
		s.out.line("Sandbox: no lesson, just the server. Type a request such as GET /accounts/42, or help for the commands.")
		return
	}
	s.printLesson()
}

// listenHint tells the learner how to reach the server from another terminal.
func listenHint(addr string, paths []string) string {
	path := "/"
	if len(paths) > 0 {
		path = paths[0]
	}
	return fmt.Sprintf("This server also listens on http://%s. In another terminal, try: curl -i http://%s%s", addr, addr, path)
}

// handle acts on one input line.
func (s *view) handle(in inputLine) {
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
	} else if _, ok := quizChoice(fields[0]); ok {
		s.cmdAnswer(fields)
	} else if isRequestLine(fields) {
		s.request(line)
	} else {
		s.unknownWord(fields[0])
	}
}

// catchUp prints what happened that no command of this view's caused —
// requests from the network, the lesson's own (a step's setup, the passed
// steps it replays when a lesson is resumed), or from anything else sharing
// the server — and the step's verdict after them. Administrative events
// (undo, reset, restore) are said by the commands that cause them.
func (s *view) catchUp() {
	var lesson []sim.Event
	for _, u := range s.watch.Poll() {
		if u.Kind == session.UpdateEvent && u.Event.Kind == sim.KindExchange && u.Event.Source == sim.SourceLesson {
			lesson = append(lesson, u.Event)
			continue
		}
		s.lessonSent(lesson)
		lesson = nil
		if u.Kind == session.UpdateStep {
			s.told = false // a step entered, or reset: its checks start again
		}
		switch {
		case u.ByCommand:
		case u.Kind == session.UpdateMissed:
			s.out.line(fmt.Sprintf("(%d more things happened on the server than could be shown; type log to see the exchanges.)", u.Missed))
		case u.Kind == session.UpdateEvent && u.Event.Kind == sim.KindExchange:
			s.out.line(otherExchangeLine(u.Event))
		case u.Kind == session.UpdateStatus:
			s.verdict(u.Status)
		}
	}
	s.lessonSent(lesson)
}

// maxLessonLines is how many of the lesson's own requests are printed one
// by one; more (a resumed lesson replaying its passed steps) are counted.
const maxLessonLines = 3

// lessonSent says which requests the lesson sent, as the log shows them.
func (s *view) lessonSent(evs []sim.Event) {
	if len(evs) > maxLessonLines {
		s.out.line(fmt.Sprintf("The lesson sent %d requests to set the server up (#%d to #%d); type log to see them.", len(evs), evs[0].Seq, evs[len(evs)-1].Seq))
		return
	}
	for _, ev := range evs {
		s.out.line(otherExchangeLine(ev))
	}
}

// otherExchangeLine describes an exchange the learner did not type here.
func otherExchangeLine(ev sim.Event) string {
	from := string(ev.Source)
	if ev.Source == sim.SourceLesson {
		from = "the lesson"
	}
	if ev.Source == sim.SourceNetwork {
		from = exchange.Sender(ev) // "curl 127.0.0.1:52144"
	}
	line := fmt.Sprintf("From %s: %s %s: %s", from, ev.Request.Method, ev.Request.Target, ev.Summary())
	if msg := exchange.ServerError(ev); msg != "" {
		line += ". The server says: " + msg
	}
	return line
}

// endOfInput finishes the session when the input ends.
func (s *view) endOfInput() {
	if s.confirm != nil {
		s.confirm = nil
		s.out.line("Cancelled: nothing was reset.")
	}
	s.catchUp()
}
