package plain

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/session"
)

// refused says why a command about lessons cannot act, and reports whether
// it did: the sandbox has no lessons, a tutorial may have none.
func (s *view) refused(err error) bool {
	switch {
	case errors.Is(err, session.ErrSandbox):
		s.out.line("There are no lessons in sandbox mode. Type a request, or help for the commands.")
	case errors.Is(err, session.ErrNoLessons):
		s.out.line("There are no lessons to work on. Type a request, or help for the commands.")
	default:
		return false
	}
	return true
}

// needStep is refused for commands that read the current step first.
func (s *view) needStep() bool {
	switch {
	case s.sess.Mode() == session.Sandbox:
		return !s.refused(session.ErrSandbox)
	case s.sess.Step() == nil:
		return !s.refused(session.ErrNoLessons)
	}
	return true
}

// printLesson prints the current lesson's title and introduction, then its
// current step.
func (s *view) printLesson() {
	l := s.sess.Lesson()
	if l == nil {
		s.out.line("There are no lessons. Type a request, or help for the commands.")
		return
	}
	s.out.blank()
	s.out.styled(styleTitle, fmt.Sprintf("Lesson %d of %d: %s", s.sess.LessonIndex()+1, len(s.sess.Lessons()), l.Title))
	if intro := markdownLines(l.Intro); len(intro) > 0 {
		s.out.blank()
		s.out.lines(intro)
	}
	s.printStep()
}

// printStep prints the current step: title, text, and the suggested request
// or the quiz's choices.
func (s *view) printStep() {
	l, st := s.sess.Lesson(), s.sess.Step()
	if l == nil || st == nil {
		return
	}
	kind := "Step"
	if st.IsQuiz() {
		kind = "Quiz"
	}
	s.out.blank()
	s.out.styled(styleTitle, fmt.Sprintf("%s %d of %d: %s", kind, s.sess.StepIndex()+1, len(l.Steps), st.Title))
	s.out.lines(markdownLines(st.Text))
	if st.IsQuiz() {
		if q := strings.TrimSpace(st.Quiz.Question); q != "" && q != st.Title {
			s.out.lines(markdownLines(q))
		}
		for i, c := range st.Quiz.Choices {
			s.out.line(fmt.Sprintf("%d. %s", i+1, inlineText(c.Text)))
		}
		s.out.line("Answer with the number of your choice, for example: 1")
		return
	}
	// What counts as done, before the first try.
	if goals := s.sess.Status().ForView(lessons.Line).Checklist(); len(goals) > 0 {
		s.out.line("To pass this step:")
		for _, g := range goals {
			s.out.line("- " + g.Desc)
		}
	}
	if st.Network != nil {
		s.out.line("For this step, " + session.DescribeNetwork(s.sess.Faults(), s.sess.Retry()))
	}
	switch {
	case st.IsScaffold():
		s.out.styled(styleCode, "Start of a request (type the method in front): "+st.Suggest)
	case st.Suggest != "":
		s.out.styled(styleCode, "Suggested request: "+st.Suggest)
	}
}

// inlineText flattens a short piece of Markdown to one line.
func inlineText(md string) string {
	return strings.Join(slices.DeleteFunc(markdownLines(md), func(l string) bool { return l == "" }), " ")
}

// verdict prints how the step stands after new exchanges: the explanation
// when it passes, otherwise what is missing. Steps without checks (quizzes)
// say nothing.
func (s *view) verdict(st lessons.StepStatus) {
	step := s.sess.Step()
	if step == nil || step.Check == nil {
		return
	}
	defer s.reportSaveErr(st.SaveErr)
	st = st.ForView(lessons.Line) // the words meant for line mode
	switch {
	case st.JustPassed || st.Passed && !s.told && st.Holds():
		// Passed now, or passed before and this visit's requests pass it
		// again: the full screen shows the explanation then too.
		s.told = true
		s.out.styled(styleGood, "✓ step passed")
		s.out.lines(markdownLines(s.sess.Explain()))
		s.out.line(s.whatNext())
	case st.Passed && s.told:
		s.out.line("This step has already passed. " + s.whatNext())
	default:
		if st.Passed {
			// Passed on an earlier visit, or before a reset: the checks
			// start again, as the full screen shows them.
			s.out.line("This step passed before; its checks start again.")
			st.Passed = false
		}
		s.out.line(st.NotYet())
		for _, r := range st.Checklist() {
			if !r.OK {
				line := "✗ " + r.Desc
				if r.Detail != "" {
					line += ": " + r.Detail
				}
				s.out.line(line)
			}
		}
	}
}

// whatNext tells the learner how to go on from a passed step.
func (s *view) whatNext() string {
	l := s.sess.Lesson()
	if s.sess.StepIndex() < len(l.Steps)-1 {
		return "Type next to go on."
	}
	if next := s.sess.NextLesson(); next != nil {
		return fmt.Sprintf("That was the last step of this lesson. Type next for lesson %d: %s.", s.sess.LessonIndex()+2, next.Title)
	}
	return "That was the last step of the last lesson. Well done. Type lessons to revisit one."
}

func (s *view) cmdNext([]string) {
	moved, err := s.sess.Next()
	switch {
	case s.refused(err):
	case errors.Is(err, session.ErrLastStep):
		s.out.line("This is the last step of the last lesson. Type lessons to choose one.")
	case err != nil:
		s.out.styled(styleBad, "Could not open the lesson: "+err.Error())
	case moved.Lesson:
		s.printLesson()
	default:
		s.printStep()
	}
	s.networkNote(moved)
}

// networkNote says when moving to a step switched the learner's network
// back to normal (a step that sets one says so itself).
func (s *view) networkNote(m session.Moved) {
	if st := s.sess.Step(); m.Network && st != nil && st.Network == nil {
		s.out.line("This step runs on a normal network: " + session.DescribeNetwork(s.sess.Faults(), s.sess.Retry()))
	}
}

func (s *view) cmdBack([]string) {
	moved, err := s.sess.Back()
	switch {
	case s.refused(err):
	case errors.Is(err, session.ErrFirstStep):
		s.out.line("This is the first step of the lesson. Type lessons to choose another lesson.")
	default:
		s.printStep()
		s.networkNote(moved)
	}
}

func (s *view) cmdStep([]string) {
	if s.needStep() {
		s.printStep()
	}
}

func (s *view) cmdHint([]string) {
	hint, n, err := s.sess.Hint()
	switch {
	case s.refused(err):
		return
	case errors.Is(err, session.ErrNoHints):
		s.out.line("This step has no hints. Type solution to see the answer.")
		return
	case errors.Is(err, session.ErrNoMoreHints):
		s.out.line(fmt.Sprintf("No more hints (%d shown). Type solution to see the answer.", len(s.sess.HintsShown())))
		return
	}
	lines := markdownLines(hint)
	prefix := fmt.Sprintf("Hint %d of %d: ", n, len(s.sess.Step().Hints))
	if len(lines) == 0 {
		lines = []string{""}
	}
	lines[0] = prefix + lines[0]
	s.out.lines(lines)
}

func (s *view) cmdSolution([]string) {
	sol, err := s.sess.Solution()
	switch {
	case s.refused(err):
		return
	case errors.As(err, new(*session.NotYetError)):
		why := err.Error()
		s.out.line(strings.ToUpper(why[:1]) + why[1:] + ".")
		return
	case err != nil:
		s.out.line("This step has no solution to show.")
		return
	case sol.Choice >= 0:
		s.out.line(fmt.Sprintf("The answer is %d: %s", sol.Choice+1, inlineText(s.sess.Step().Quiz.Choices[sol.Choice].Text)))
		return
	case len(sol.Requests) == 1:
		s.out.styled(styleCode, "Solution: "+sol.Requests[0])
		return
	}
	s.out.line(fmt.Sprintf("Solution, %d requests in this order:", len(sol.Requests)))
	for _, l := range sol.Requests {
		s.out.styled(styleCode, "  "+l)
	}
	if sol.Next > 0 {
		sent := "request 1"
		if sol.Next > 1 {
			sent = fmt.Sprintf("requests 1–%d", sol.Next)
		}
		s.out.line(fmt.Sprintf("You sent %s already; next is request %d: %s", sent, sol.Next+1, sol.Requests[sol.Next]))
	}
}

func (s *view) cmdAnswer(args []string) {
	if !s.needStep() {
		return
	}
	st := s.sess.Step()
	if !st.IsQuiz() {
		s.out.line("This step is not a quiz: it asks for a request. Type step to read it again.")
		return
	}
	choice, _ := quizChoice(strings.Join(args, ""))
	n, err := strconv.Atoi(choice)
	if len(args) != 1 || err != nil || n < 1 || n > len(st.Quiz.Choices) {
		s.out.styled(styleBad, fmt.Sprintf("Answer with one number from 1 to %d, for example: answer 2", len(st.Quiz.Choices)))
		return
	}
	q, status, err := s.sess.Answer(n - 1)
	if err != nil {
		s.refused(err)
		return
	}
	if !q.Correct {
		msg := "✗ Not quite."
		if q.Why != "" {
			msg += " " + inlineText(q.Why)
		}
		s.out.styled(styleBad, msg)
		s.out.line("Try another answer.")
		return
	}
	s.out.styled(styleGood, "✓ Correct.")
	s.out.lines(markdownLines(q.Why))
	if q.Why != st.Explain {
		s.out.lines(markdownLines(st.Explain))
	}
	s.reportSaveErr(status.SaveErr)
	s.out.line(s.whatNext())
}

func (s *view) cmdLessons([]string) {
	if s.sess.Mode() == session.Sandbox {
		s.refused(session.ErrSandbox)
		return
	}
	cur := s.sess.Lesson()
	for i, l := range s.sess.Lessons() {
		done, total := s.sess.Done(l.ID)
		line := fmt.Sprintf("%d. %s — %s (%d of %d steps done)", i+1, l.ID, l.Title, done, total)
		if l == cur {
			line += ", current"
		}
		s.out.line(line)
	}
	s.out.line("Type lesson and an id or number to open one, for example: lesson 1")
}

func (s *view) cmdLesson(args []string) {
	if s.sess.Mode() == session.Sandbox {
		s.refused(session.ErrSandbox)
		return
	}
	ls := s.sess.Lessons()
	if len(args) == 0 {
		s.printLesson()
		return
	}
	if len(args) != 1 {
		s.out.styled(styleBad, "Name one lesson, by id or number, for example: lesson 1. Type lessons for the list.")
		return
	}
	want := args[0]
	if n, err := strconv.Atoi(want); err == nil && isNumber(want) {
		if n < 1 || n > len(ls) {
			s.out.styled(styleBad, fmt.Sprintf("There is no lesson %d; the lessons are numbered 1 to %d.", n, len(ls)))
			return
		}
		s.gotoLesson(ls[n-1])
		return
	}
	ids := make([]string, len(ls))
	for i, l := range ls {
		if strings.EqualFold(l.ID, want) {
			s.gotoLesson(l)
			return
		}
		ids[i] = l.ID
	}
	msg := fmt.Sprintf("There is no lesson %s.", quoteInput(want))
	if c := lessons.Closest(want, ids); c != "" {
		msg += fmt.Sprintf(" Did you mean %s?", c)
	}
	s.out.styled(styleBad, msg+" Type lessons for the list.")
}

// reportSaveErr tells the learner once that progress could not be saved;
// the tutorial goes on.
func (s *view) reportSaveErr(err error) {
	if err != nil {
		s.out.styled(styleBad, "Progress could not be saved: "+err.Error())
	}
}

// gotoLesson opens a lesson: the server goes back to the lesson's fixture.
func (s *view) gotoLesson(l *lessons.Lesson) {
	if err := s.sess.Goto(l.ID); err != nil {
		s.out.styled(styleBad, "Could not open the lesson: "+err.Error())
		return
	}
	s.printLesson()
}

func (s *view) cmdReset(args []string) {
	what := ""
	if len(args) > 0 {
		what = strings.ToLower(args[0])
	}
	switch {
	case len(args) > 1 || what != "" && what != "step" && what != "lesson" && what != "all":
		s.out.styled(styleBad, "Reset what? Type reset (this step), reset lesson, or reset all.")
	case s.sess.Mode() == session.Sandbox && (what == "" || what == "step"):
		if err := s.sess.Reset(session.ResetStep); err != nil {
			s.out.styled(styleBad, "Reset failed: "+err.Error())
			return
		}
		s.out.line("Reset: the server is back to how it started.")
	case !s.needStep():
	case what == "" || what == "step":
		s.sess.Reset(session.ResetStep)
		s.out.line("Reset: the server is back to where this step began, and its checks start over.")
	case what == "lesson":
		s.ask("reset this lesson", "This puts the server back to the lesson's start and forgets your progress in this lesson.", func() {
			s.sess.Reset(session.ResetLesson)
			s.out.line("Lesson reset.")
			s.printLesson()
		})
	case what == "all":
		s.ask("reset all progress", "This forgets your progress in every lesson and starts again from the first.", func() {
			s.sess.Reset(session.ResetAll)
			s.out.line("All progress reset.")
			s.printLesson()
		})
	}
}

// ask waits for "yes" on the next line before doing something that cannot
// be undone.
func (s *view) ask(what, consequence string, do func()) {
	s.out.line(consequence)
	s.out.line("Type yes to " + what + ", or anything else to cancel.")
	s.confirm = &confirmation{do: do}
}
