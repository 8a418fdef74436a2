package plain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/sim"
)

// needEngine says so and returns false in sandbox mode.
func (s *session) needEngine() bool {
	if s.eng == nil {
		s.out.line("There are no lessons in sandbox mode. Type a request, or help for the commands.")
		return false
	}
	return true
}

// needStep is needEngine for commands about the current step; an engine
// without lessons has none.
func (s *session) needStep() bool {
	if !s.needEngine() {
		return false
	}
	if s.eng.Step() == nil {
		s.out.line("There are no lessons to work on. Type a request, or help for the commands.")
		return false
	}
	return true
}

// lessonIndex is the current lesson's position in the list, or -1.
func (s *session) lessonIndex() int {
	return slices.Index(s.eng.Lessons(), s.eng.Lesson())
}

// printLesson prints the current lesson's title and introduction, then its
// current step. enter applies the step's network, as on entering the step.
func (s *session) printLesson(enter bool) {
	l := s.eng.Lesson()
	if l == nil {
		s.out.line("There are no lessons. Type a request, or help for the commands.")
		return
	}
	s.out.blank()
	s.out.styled(styleTitle, fmt.Sprintf("Lesson %d of %d: %s", s.lessonIndex()+1, len(s.eng.Lessons()), l.Title))
	if intro := markdownLines(l.Intro); len(intro) > 0 {
		s.out.blank()
		s.out.lines(intro)
	}
	if enter {
		s.enterStep()
	} else {
		s.printStep()
	}
}

// enterStep applies the network the current step asks for and prints it.
func (s *session) enterStep() {
	if st := s.eng.Step(); st != nil {
		s.applyNetwork(st)
	}
	s.printStep()
}

// printStep prints the current step: title, text, and the suggested request
// or the quiz's choices.
func (s *session) printStep() {
	l, st := s.eng.Lesson(), s.eng.Step()
	if l == nil || st == nil {
		return
	}
	kind := "Step"
	if st.IsQuiz() {
		kind = "Quiz"
	}
	s.out.blank()
	s.out.styled(styleTitle, fmt.Sprintf("%s %d of %d: %s", kind, s.eng.StepIndex()+1, len(l.Steps), st.Title))
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
	if st.Network != nil {
		s.out.line("For this step, " + describeNetwork(s.client.Faults(), s.client.Retry()))
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

// applyNetwork sets the faults and retry policy a step asks for, and puts
// back what the learner had when a later step asks for nothing.
func (s *session) applyNetwork(st *lessons.Step) {
	if st.Network == nil {
		if s.stepNet {
			s.client.SetFaults(s.savedFaults)
			s.client.SetRetry(s.savedRetry)
			s.stepNet = false
		}
		return
	}
	if !s.stepNet {
		s.savedFaults, s.savedRetry = s.client.Faults(), s.client.Retry()
		s.stepNet = true
	}
	s.client.SetFaults(st.Network.Faults)
	if st.Network.Retry != "" {
		s.client.SetRetry(st.Network.Retry)
	}
}

// observe evaluates the step's checks after new exchanges and prints the
// verdict: the explanation when the step passes, otherwise what is missing.
func (s *session) observe() {
	if s.eng == nil || s.eng.Step() == nil || s.eng.Step().Check == nil {
		return
	}
	st := s.eng.Observe()
	defer s.reportSaveErr(st.SaveErr)
	switch {
	case st.JustPassed:
		s.out.styled(styleGood, "✓ step passed")
		s.out.lines(markdownLines(s.eng.Explain()))
		s.out.line(s.whatNext())
	case st.Passed:
		s.out.line("This step has already passed. " + s.whatNext())
	default:
		missing := 0
		for _, r := range st.Results {
			if !r.OK {
				missing++
			}
		}
		s.out.line(fmt.Sprintf("Not yet: %d of %d checks hold.", len(st.Results)-missing, len(st.Results)))
		for _, r := range st.Results {
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
func (s *session) whatNext() string {
	l := s.eng.Lesson()
	if s.eng.StepIndex() < len(l.Steps)-1 {
		return "Type next to go on."
	}
	if next := s.eng.NextLesson(); next != nil {
		return fmt.Sprintf("That was the last step of this lesson. Type next for lesson %d: %s.", s.lessonIndex()+2, next.Title)
	}
	return "That was the last step of the last lesson. Well done. Type lessons to revisit one."
}

func (s *session) cmdNext([]string) {
	if !s.needStep() {
		return
	}
	if s.eng.Next() {
		s.enterStep()
		return
	}
	next := s.eng.NextLesson()
	if next == nil {
		s.out.line("This is the last step of the last lesson. Type lessons to choose one.")
		return
	}
	s.gotoLesson(next)
}

func (s *session) cmdBack([]string) {
	if !s.needStep() {
		return
	}
	if !s.eng.Back() {
		s.out.line("This is the first step of the lesson. Type lessons to choose another lesson.")
		return
	}
	s.enterStep()
}

func (s *session) cmdStep([]string) {
	if s.needStep() {
		s.printStep()
	}
}

func (s *session) cmdHint([]string) {
	if !s.needStep() {
		return
	}
	st := s.eng.Step()
	hint, ok := s.eng.NextHint()
	if !ok {
		if len(st.Hints) == 0 {
			s.out.line("This step has no hints. Type solution to see the answer.")
		} else {
			s.out.line(fmt.Sprintf("No more hints (%d shown). Type solution to see the answer.", len(st.Hints)))
		}
		return
	}
	lines := markdownLines(hint)
	prefix := fmt.Sprintf("Hint %d of %d: ", len(s.eng.HintsShown()), len(st.Hints))
	if len(lines) == 0 {
		lines = []string{""}
	}
	lines[0] = prefix + lines[0]
	s.out.lines(lines)
}

func (s *session) cmdSolution([]string) {
	if !s.needStep() {
		return
	}
	st := s.eng.Step()
	if st.IsQuiz() {
		for i, c := range st.Quiz.Choices {
			if c.Correct {
				s.out.line(fmt.Sprintf("The answer is %d: %s", i+1, inlineText(c.Text)))
			}
		}
		return
	}
	if why := s.eng.SolutionNotYet(); why != "" {
		s.out.line(strings.ToUpper(why[:1]) + why[1:] + ".")
		return
	}
	sol := s.eng.Solution()
	if len(sol) == 0 {
		s.out.line("This step has no solution to show.")
		return
	}
	if len(sol) == 1 {
		s.out.styled(styleCode, "Solution: "+sol[0])
		return
	}
	s.out.line(fmt.Sprintf("Solution, %d requests in this order:", len(sol)))
	for _, l := range sol {
		s.out.styled(styleCode, "  "+l)
	}
}

func (s *session) cmdAnswer(args []string) {
	if !s.needStep() {
		return
	}
	st := s.eng.Step()
	if !st.IsQuiz() {
		s.out.line("This step is not a quiz: it asks for a request. Type step to read it again.")
		return
	}
	n, err := strconv.Atoi(strings.Join(args, ""))
	if len(args) != 1 || err != nil || n < 1 || n > len(st.Quiz.Choices) {
		s.out.styled(styleBad, fmt.Sprintf("Answer with one number from 1 to %d, for example: answer 2", len(st.Quiz.Choices)))
		return
	}
	correct, why := s.eng.Answer(n - 1)
	if !correct {
		msg := "✗ Not quite."
		if why != "" {
			msg += " " + inlineText(why)
		}
		s.out.styled(styleBad, msg)
		s.out.line("Try another answer.")
		return
	}
	s.out.styled(styleGood, "✓ Correct.")
	s.out.lines(markdownLines(why))
	if why != st.Explain {
		s.out.lines(markdownLines(st.Explain))
	}
	s.reportSaveErr(s.eng.Observe().SaveErr)
	s.out.line(s.whatNext())
}

func (s *session) cmdLessons([]string) {
	if !s.needEngine() {
		return
	}
	cur := s.eng.Lesson()
	for i, l := range s.eng.Lessons() {
		done, total := s.eng.Done(l.ID)
		line := fmt.Sprintf("%d. %s — %s (%d of %d steps done)", i+1, l.ID, l.Title, done, total)
		if l == cur {
			line += ", current"
		}
		s.out.line(line)
	}
	s.out.line("Type lesson and an id or number to open one, for example: lesson 1")
}

func (s *session) cmdLesson(args []string) {
	if !s.needEngine() {
		return
	}
	ls := s.eng.Lessons()
	if len(args) == 0 {
		s.printLesson(false)
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
func (s *session) reportSaveErr(err error) {
	if err != nil {
		s.out.styled(styleBad, "Progress could not be saved: "+err.Error())
	}
}

// gotoLesson opens a lesson: the server goes back to the lesson's fixture.
func (s *session) gotoLesson(l *lessons.Lesson) {
	if err := s.eng.Goto(l.ID); err != nil {
		s.out.styled(styleBad, "Could not open the lesson: "+err.Error())
		return
	}
	s.printLesson(true)
}

func (s *session) cmdReset(args []string) {
	what := ""
	if len(args) > 0 {
		what = strings.ToLower(args[0])
	}
	switch {
	case len(args) > 1 || what != "" && what != "step" && what != "lesson" && what != "all":
		s.out.styled(styleBad, "Reset what? Type reset (this step), reset lesson, or reset all.")
	case s.eng == nil:
		if what == "lesson" || what == "all" {
			s.needEngine()
			return
		}
		s.srv.Restore(s.initial)
		s.out.line("Reset: the server is back to how it started.")
	case s.eng.Step() == nil:
		s.needStep()
	case what == "" || what == "step":
		s.eng.ResetStep()
		s.out.line("Reset: the server is back to where this step began, and its checks start over.")
	case what == "lesson":
		s.ask("reset this lesson", "This puts the server back to the lesson's start and forgets your progress in this lesson.", func() {
			s.eng.ResetLesson()
			s.out.line("Lesson reset.")
			s.printLesson(true)
		})
	case what == "all":
		s.ask("reset all progress", "This forgets your progress in every lesson and starts again from the first.", func() {
			s.eng.ResetAll()
			s.out.line("All progress reset.")
			s.printLesson(true)
		})
	}
}

// ask waits for "yes" on the next line before doing something that cannot
// be undone.
func (s *session) ask(what, consequence string, do func()) {
	s.out.line(consequence)
	s.out.line("Type yes to " + what + ", or anything else to cancel.")
	s.confirm = &confirmation{do: do}
}

// describeNetwork says in words what the client's network does.
func describeNetwork(f sim.FaultSettings, p sim.RetryPolicy) string {
	var parts []string
	if f.DropRequests {
		parts = append(parts, "the network drops the first attempt of each request before it reaches the server")
	}
	if f.LoseResponses {
		parts = append(parts, "the network loses the first response of each request after the server has acted")
	}
	if f.Delay > 0 {
		parts = append(parts, fmt.Sprintf("responses arrive %s late", f.Delay))
	}
	if len(parts) == 0 {
		parts = append(parts, "the network delivers every message")
	}
	if p == "" {
		p = "none"
	}
	return strings.Join(parts, "; ") + "; the client's retry policy is " + string(p) + "."
}
