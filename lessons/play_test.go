package lessons

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// testLessons is every lesson the tests play: the built-in curriculum, the
// lessons in testdata/good and the worked example in docs/LESSONS.md.
func testLessons(t testing.TB) []*Lesson {
	t.Helper()
	builtin, err := Builtin()
	if err != nil {
		t.Fatalf("built-in lessons:\n%v", err)
	}
	good, err := LoadDir("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	ls, err := Combine(builtin, append(good, docsExample(t)), false)
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// docsExample is the complete lesson in docs/LESSONS.md.
func docsExample(t testing.TB) *Lesson {
	t.Helper()
	data, err := os.ReadFile("../docs/LESSONS.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(data), "\n````markdown\n")
	example, _, ok2 := strings.Cut(after, "\n````\n")
	if !ok || !ok2 {
		t.Fatal("docs/LESSONS.md has no ````markdown example")
	}
	l, err := Parse("docs/LESSONS.md example", []byte(example+"\n"))
	if err != nil {
		t.Fatalf("the worked example in docs/LESSONS.md is not a valid lesson:\n%v", err)
	}
	return l
}

// sendLines sends request lines through a client, each Repeat times.
func sendLines(c *sim.Client, lines []request.Line) {
	for _, rl := range lines {
		send(context.Background(), c, rl)
	}
}

// sendSolution sends the current step's solution through c as a learner
// would, filling its live values in just before each line is sent.
func sendSolution(e *Engine, c *sim.Client) {
	for _, line := range e.Step().Solution {
		e.tally.ingest(e.srv)
		sendText(context.Background(), c, resolveLive(line, e.srv, e.tally))
	}
}

// applyNetwork sets the client up as the front ends do when a step begins:
// the step's network, or a normal one.
func applyNetwork(c *sim.Client, st *Step) {
	if st.Network == nil {
		c.SetFaults(sim.FaultSettings{})
		c.SetRetry(sim.RetryNone)
		return
	}
	c.SetFaults(st.Network.Faults)
	if st.Network.Retry != "" {
		c.SetRetry(st.Network.Retry)
	}
}

// swaps turns a right method into a plausible wrong one.
var swaps = map[string]string{
	"PUT": "POST", "POST": "PUT", "PATCH": "PUT", "DELETE": "GET", "GET": "HEAD", "HEAD": "GET", "OPTIONS": "GET",
}

// wrongAnswer is the step's solution with PUT and POST swapped (and the
// other methods as in swaps), or nil when no line changes.
func wrongAnswer(st *Step) []request.Line {
	var out []request.Line
	changed := false
	for _, rl := range st.solution {
		if m, ok := swaps[rl.Method]; ok {
			rl.Method = m
			if m == "GET" || m == "HEAD" {
				rl.Body = "" // GET and HEAD carry no body
			}
			changed = true
		}
		out = append(out, rl)
	}
	if !changed {
		return nil
	}
	return out
}

func describe(lines []request.Line) string {
	s := make([]string, len(lines))
	for i, rl := range lines {
		s[i] = rl.String()
	}
	return strings.Join(s, "; ")
}

func resultsText(s StepStatus) string {
	var b strings.Builder
	for _, r := range s.Results {
		mark := "✗"
		if r.OK {
			mark = "✓"
		}
		fmt.Fprintf(&b, "\n    %s %s — %s", mark, r.Desc, r.Detail)
	}
	return b.String()
}

// playLesson plays a lesson from its first step to its last through an
// engine and a real server: nothing sent and a wrong answer must not pass a
// task step, its solution must; wrong quiz answers must not pass, the right
// one must.
func playLesson(t *testing.T, e *Engine, srv *sim.Server, l *Lesson) {
	t.Helper()
	client := srv.Client(sim.SourceLesson)
	for i, st := range l.Steps {
		ref := fmt.Sprintf("%s#%d (%s:%d)", l.ID, i+1, l.File, st.Line)
		if e.StepIndex() != i || e.Step() != st {
			t.Fatalf("%s: engine is at step %d", ref, e.StepIndex()+1)
		}
		if s := e.Observe(); s.Passed {
			t.Errorf("%s passes before anything is sent:%s", ref, resultsText(s))
			e.Next()
			continue
		}
		if st.IsQuiz() {
			playQuiz(t, e, st, ref)
		} else {
			applyNetwork(client, st)
			if wrong := wrongAnswer(st); wrong != nil {
				sendLines(client, wrong)
				if s := e.Observe(); s.Passed {
					t.Errorf("%s passes with a wrong answer (%s):%s", ref, describe(wrong), resultsText(s))
				}
				e.ResetStep()
			}
			sendSolution(e, client)
			s := e.Observe()
			if !s.Passed || !s.JustPassed || s.SaveErr != nil {
				t.Errorf("%s: its solution does not pass it:%s", ref, resultsText(s))
			}
			if again := e.Observe(); !again.Passed || again.JustPassed {
				t.Errorf("%s: a passed step must stay passed, and JustPassed be reported once", ref)
			}
		}
		if e.Next() != (i+1 < len(l.Steps)) {
			t.Fatalf("%s: Next() at step %d of %d", ref, i+1, len(l.Steps))
		}
	}
	if done, total := e.Done(l.ID); done != total {
		t.Errorf("%s: %d of %d steps done after playing every step", l.ID, done, total)
	}
}

func playQuiz(t *testing.T, e *Engine, st *Step, ref string) {
	t.Helper()
	for i, c := range st.Quiz.Choices {
		if c.Correct {
			continue
		}
		ok, why := e.Answer(i)
		if ok || why != c.Why || why == "" {
			t.Errorf("%s: wrong choice %d answered %v, %q", ref, i+1, ok, why)
		}
		if e.Observe().Passed {
			t.Errorf("%s: a wrong answer passed the quiz", ref)
		}
	}
	for i, c := range st.Quiz.Choices {
		if !c.Correct {
			continue
		}
		ok, why := e.Answer(i)
		if !ok || why == "" {
			t.Errorf("%s: the right choice answered %v, %q", ref, ok, why)
		}
	}
	if !e.Observe().Passed {
		t.Errorf("%s: the right answer did not pass the quiz", ref)
	}
}
