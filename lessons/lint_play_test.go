package lessons

import (
	"context"
	"strings"
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
	"pgregory.net/rapid"
)

func TestBuiltinLessonsPlayCleanAndWarnNothing(t *testing.T) {
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if probs := Play(ls, PlayOptions{}); len(probs) > 0 {
		t.Errorf("lint --play finds problems in the built-in lessons:\n%v", probs)
	}
	if ws := Warnings(ls); len(ws) > 0 {
		t.Errorf("lint warns about the built-in lessons:\n%v", ws)
	}
}

// TestPlayReportsEachDefectAtItsLine lints a folder holding one lesson per
// kind of defect that Play exists to catch.
func TestPlayReportsEachDefectAtItsLine(t *testing.T) {
	probs, warnings := LintPaths([]string{"testdata/play"}, true, PlayOptions{})
	if len(warnings) > 0 {
		t.Errorf("unexpected warnings:\n%v", warnings)
	}
	want := []struct{ at, says string }{
		{"testdata/play/01-false-pass.md:17:", `passes with wrong answers — this line without the field gate`},
		{"testdata/play/02-pre-passed.md:8:", `passes before the learner sends anything`},
		{"testdata/play/03-failing-solution.md:8:", `its solution does not pass it after the previous steps' solutions: /flights/AA123 gate is "b12" — gate is "b13"`},
		{"testdata/play/04-unreachable.md:14:", `no resource can exist at /fligths/AA123/x/y/z`},
		{"testdata/play/04-unreachable.md:14:", `never held in any play`},
		{"testdata/play/05-needs-setup.md:21:", `its solution does not pass after this history: step 1: skipped`},
		{"testdata/play/06-unseen-claim.md:24:", `its explanation says "a7", which a learner who passes the step this way never saw: first the solution without the field gate, then the solution`},
	}
	text := probs.Error()
	for _, w := range want {
		found := false
		for _, p := range probs {
			if strings.HasPrefix(p.String(), w.at) && strings.Contains(p.String(), w.says) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem %s …%s…; got:\n%s", w.at, w.says, text)
		}
	}
	for _, p := range probs {
		if p.Line <= 0 || !strings.HasPrefix(p.File, "testdata/play/") {
			t.Errorf("problem without file:line: %s", p)
		}
	}
	// The right lessons pass: a fixed lesson of the same folder reports nothing.
	if probs := Play(testLessons(t)[len(testLessons(t))-1:], PlayOptions{}); len(probs) > 0 {
		t.Errorf("the docs example lesson: %v", probs)
	}
}

func TestLintWarnsWhenTheRightQuizChoiceIsTheLongest(t *testing.T) {
	l := parseTestLesson(t, `---
id: q
title: Q
fixture: all
---
## Quiz: Which?
`+"```quiz"+`
- [ ] short | no
- [x] the right one, and the longest of them all
`+"```"+`
`)
	ws := Warnings([]*Lesson{l})
	if len(ws) != 1 || !strings.Contains(ws[0].Msg, "the right choice is the longest one") || ws[0].Line != 6 {
		t.Errorf("warnings: %v", ws)
	}
}

func parseTestLesson(t *testing.T, src string) *Lesson {
	t.Helper()
	l, err := Parse("t.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// learnerAt starts a built-in lesson at step (0-based) on a fresh server,
// walking there the way a learner who skips does, and returns the engine and
// the learner's client.
func learnerAt(t *testing.T, id string, step int, before func(*Engine, *sim.Client)) (*Engine, *sim.Client) {
	t.Helper()
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var l *Lesson
	for _, x := range ls {
		if x.ID == id {
			l = x
		}
	}
	if l == nil {
		t.Fatalf("no lesson %s", id)
	}
	srv := sim.New(sim.Options{Fixture: l.Fixture})
	e := NewEngine([]*Lesson{l}, srv, nil)
	c := srv.Client(sim.SourceComposer)
	if before != nil {
		before(e, c)
	}
	for e.StepIndex() < step {
		e.Next()
	}
	applyNetwork(c, e.Step())
	return e, c
}

func learnerSends(t *testing.T, c *sim.Client, line string) {
	t.Helper()
	rl, err := request.Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	send(context.Background(), c, rl)
}

// The examples of false and refused pass marks that the step setups,
// step-relative checks, live values and equivalent answers were built for,
// each played through the engine against a real server.
func TestPassMarksMeanWhatTheExplanationsSay(t *testing.T) {
	t.Run("a payment without the key does not pass 'Pay with a key'", func(t *testing.T) {
		e, c := learnerAt(t, "idempotency-keys", 0, nil)
		learnerSends(t, c, `POST /payments {"amount":25,"to":"ACME Air"}`)
		if s := e.Observe(); s.Passed {
			t.Fatalf("passed without Idempotency-Key:%s", resultsText(s))
		}
	})
	t.Run("after an unkeyed payment, the retry step still passes", func(t *testing.T) {
		e, c := learnerAt(t, "idempotency-keys", 0, nil)
		learnerSends(t, c, `POST /payments {"amount":25,"to":"ACME Air"}`)
		if e.Observe().Passed {
			t.Fatal("the unkeyed payment passed step 1")
		}
		e.Next() // the learner moves on anyway
		learnerSends(t, c, `POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0001"' x3`)
		if s := e.Observe(); !s.Passed {
			t.Fatalf("step 2 refused after an earlier unkeyed payment:%s", resultsText(s))
		}
	})
	t.Run("a PUT without If-Match does not pass teller A's step", func(t *testing.T) {
		e, c := learnerAt(t, "lost-updates", 1, nil)
		learnerSends(t, c, `PUT /accounts/42 {"balance":100}`)
		if s := e.Observe(); s.Passed {
			t.Fatalf("passed without If-Match:%s", resultsText(s))
		}
		if !strings.Contains(resultsText(e.Observe()), "did not carry If-Match") {
			t.Errorf("the not-yet message does not say what is missing:%s", resultsText(e.Observe()))
		}
	})
	t.Run("an empty sign-up does not pass 'A passenger signs up'", func(t *testing.T) {
		e, c := learnerAt(t, "final-challenge", 2, nil)
		learnerSends(t, c, `POST /customers {}`)
		if s := e.Observe(); s.Passed {
			t.Fatalf("passed with an empty customer:%s", resultsText(s))
		}
	})
	t.Run("age as a number passes Joe's birthday", func(t *testing.T) {
		e, c := learnerAt(t, "post-create", 2, nil)
		learnerSends(t, c, `PUT /customers/1 {"name":"Joe","age":30,"city":"ajax"}`)
		if s := e.Observe(); !s.Passed {
			t.Fatalf("age 30 refused:%s", resultsText(s))
		}
	})
	t.Run("bad bodies pass for a learner who created two customers earlier", func(t *testing.T) {
		e, c := learnerAt(t, "status-codes", 3, func(e *Engine, c *sim.Client) {
			learnerSends(t, c, `POST /customers {"name":"A"} x2`)
		})
		learnerSends(t, c, `curl -X POST http://localhost:8080/customers -d 'name=Joe'`)
		learnerSends(t, c, `curl -X POST http://localhost:8080/customers -H 'Content-Type: application/json' -d '{"name": Joe}'`)
		if s := e.Observe(); !s.Passed {
			t.Fatalf("refused:%s", resultsText(s))
		}
	})
	t.Run("a hundred interest POSTs pass for a learner who skipped the three", func(t *testing.T) {
		e, c := learnerAt(t, "idempotence", 2, nil)
		learnerSends(t, c, `POST /accounts/42/interest {"rate":0.10} x100`)
		if s := e.Observe(); !s.Passed {
			t.Fatalf("refused:%s", resultsText(s))
		}
	})
	t.Run("teller B's solution uses the learner's own ETag", func(t *testing.T) {
		e, c := learnerAt(t, "lost-updates", 3, func(e *Engine, c *sim.Client) {
			learnerSends(t, c, `PUT /accounts/42 {"balance": 100.00}`)
		})
		for _, line := range []string{`GET /accounts/42`} {
			learnerSends(t, c, line)
		}
		if why := e.SolutionNotYet(); why != "" {
			t.Fatalf("solution not offered after a request: %s", why)
		}
		sol := e.Solution()
		_, etag, _ := e.srv.Resource("/accounts/42")
		if len(sol) != 2 || !strings.Contains(sol[1], etag) {
			t.Fatalf("solution %q does not carry the current ETag %s", sol, etag)
		}
		learnerSends(t, c, sol[1])
		if s := e.Observe(); !s.Passed {
			t.Fatalf("the solution shown did not pass:%s", resultsText(s))
		}
		if ex := e.Explain(); !strings.Contains(ex, "$70") {
			t.Errorf("the explanation does not state the balance the learner saw: %q", ex)
		}
	})
}

func TestSolutionIsOfferedAfterAnAttemptOrAHint(t *testing.T) {
	e, c := learnerAt(t, "put-replace", 0, nil)
	if e.SolutionNotYet() == "" {
		t.Fatal("the solution is offered before the learner did anything")
	}
	e.NextHint()
	if e.SolutionNotYet() != "" {
		t.Error("the solution is not offered after a hint")
	}
	e.Next()
	if e.SolutionNotYet() == "" {
		t.Fatal("a new step offers its solution at once")
	}
	learnerSends(t, c, `GET /flights/AA123`)
	if e.SolutionNotYet() != "" {
		t.Error("the solution is not offered after an attempt")
	}
}

func TestStepSetupIsSentByTheLessonAndResetStepKeepsIt(t *testing.T) {
	e, c := learnerAt(t, "lost-updates", 4, func(e *Engine, c *sim.Client) {
		learnerSends(t, c, `PUT /flights/AC790 {"status":"x","gate":"y"}`)
	})
	// The setup of "Create only if absent" removed AC790 again, as the lesson.
	if _, _, ok := e.srv.Resource("/flights/AC790"); ok {
		t.Fatal("the step's setup did not remove AC790")
	}
	evs := e.srv.EventsSince(0)
	last := evs[len(evs)-1]
	if last.Source != sim.SourceLesson || last.Request.Method != "DELETE" {
		t.Errorf("the setup request is not shown as sent by the lesson: %+v", last.Request)
	}
	learnerSends(t, c, `PUT /flights/AC790 {"status":"ontime","gate":"e2"}`)
	e.ResetStep()
	if _, _, ok := e.srv.Resource("/flights/AC790"); ok {
		t.Error("reset step did not go back to the state after the setup")
	}
}

// rapidChooser draws the choices of a learner history from rapid.
type rapidChooser struct{ t *rapid.T }

func (c rapidChooser) IntN(n int) int { return rapid.IntRange(0, n-1).Draw(c.t, "choice") }

// TestSolutionsPassAfterRandomLearnerHistories plays random learner histories
// — skipped steps, stray and repeated requests, resets, quiz answers — before
// every task step of every built-in lesson, and checks that the step does not
// pass before the learner acts, that its solution (after its setup) passes,
// and that its explanation names no value this learner did not see.
func TestSolutionsPassAfterRandomLearnerHistories(t *testing.T) {
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		var steps []int
		for i, st := range l.Steps {
			if !st.IsQuiz() {
				steps = append(steps, i)
			}
		}
		t.Run(l.ID, func(t *testing.T) {
			// The straight play says what each explanation claims.
			ref := newPlayer(l)
			ref.straight()
			rapid.Check(t, func(rt *rapid.T) {
				i := rapid.SampledFrom(steps).Draw(rt, "step")
				g := newGame(l)
				hist := playHistory(g, l, i, rapidChooser{rt})
				g.begin()
				start := g.srv.LastSeq()
				held := map[*Check]bool{}
				if rs, ok := g.holds(held); ok {
					rt.Fatalf("step %d passes before the learner acts, after %s:%v", i+1, hist, rs)
				}
				g.sendSolution()
				if rs, ok := g.holds(held); !ok {
					rt.Fatalf("step %d: solution fails after %s: %s", i+1, hist, failing(rs))
				}
				saw := sightOf(g.srv, start, start)
				for _, c := range ref.claimed[i] {
					if !saw.has(c) {
						rt.Fatalf("step %d: the explanation says %s (line %d), which this learner never saw after %s", i+1, c, c.line, hist)
					}
				}
			})
		})
	}
}

// TestSetupAcceptAndLiveValueMistakesAreReported checks the problems of the
// blocks and check words that steps use to mean what they say.
func TestSetupAcceptAndLiveValueMistakesAreReported(t *testing.T) {
	head := "---\nid: x\ntitle: X\nfixture: all\n---\n## Step: S\nDo it.\n" // blocks open on line 8
	tests := []struct{ body, want string }{
		{"```setup\nfixture bnak\n```\n", `9: unknown fixture "bnak"; did you mean "bank"?`},
		{"```setup\nGET /x\nfixture bank\n```\n", `10: "fixture" must be the first line of the setup block`},
		{"```setup\n```\n", `8: the setup block is empty`},
		{"```setup\nGET /accounts/42 {{etag}}\n```\n", `9: live value "{{etag}}" takes 1 argument(s)`},
		{"```solution\nPUT /x -H 'If-Match: {{etg /x}}'\n```\n", `9: unknown live value "{{etg /x}}"; did you mean "etag"?`},
		{"```explain\nBalance {{field accounts balance}}.\n```\n", `8: live value "{{field accounts balance}}": the path must start with /`},
		{"```accept\nbody please\n```\n", `9: "body" takes nothing after it`},
		{"```accept\nfield\n```\n", `9: "field" needs one name after it`},
		{"```accept\n```\n", `8: the accept block is empty`},
		{"```check\nhidden\n```\n", `9: "hidden" needs a check after it`},
		{"```check\nrequest PUT /x with\n```\n", `9: "with" needs a header name`},
		{"```check\nfield /+ name \"a\"\n```\n", `9: path "/+": "+" stands for the newest member of a collection`},
		{"```check\nnew-members /customers\n```\n", `9: new-members needs a collection and a number`},
		{"```request\n/flights/AA123 {\n```\n", `9: invalid request scaffold`},
	}
	for _, tt := range tests {
		src := head + tt.body
		if !strings.Contains(tt.body, "```check") {
			src += "```check\nrequest GET /x\n```\n"
		}
		if !strings.Contains(tt.body, "```solution") {
			src += "```solution\nGET /x\n```\n"
		}
		_, err := Parse("t.md", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "t.md:"+tt.want) {
			t.Errorf("%q:\n got %v\nwant t.md:%s", tt.body, err, tt.want)
		}
	}
}

func TestNewChecksReadBackAsWritten(t *testing.T) {
	for _, src := range []string{
		"request PUT /accounts/42 with If-Match",
		"request POST /payments with Idempotency-Key >= 2",
		"new-members /customers == 1",
		"new-members /accounts/42/transactions >= 100",
		`field /customers/+ name "Joe"`,
		"hidden saw-status 405",
	} {
		if got := compileTestCheck(t, src).String(); got != src {
			t.Errorf("%q reads back as %q", src, got)
		}
	}
}

func TestNewMembersCountWhatWasCreatedSinceTheStepBeganAndIsStillThere(t *testing.T) {
	srv := sim.New(sim.Options{Fixture: "customers"})
	c := srv.Client(sim.SourceComposer)
	learnerSends(t, c, `POST /customers {"name":"Old"}`)
	since := srv.LastSeq()
	check := compileTestCheck(t, "new-members /customers == 2\nfield /customers/+ name \"Bea\"")
	learnerSends(t, c, `POST /customers {"name":"Ann"}`)
	learnerSends(t, c, `POST /customers {"name":"Bea"}`)
	if rs := check.Evaluate(srv, since); !rs[0].OK || !rs[1].OK {
		t.Fatalf("after two new customers: %+v", rs)
	}
	srv.Undo() // Bea is gone again
	rs := check.Evaluate(srv, since)
	if rs[0].OK || !strings.HasPrefix(rs[0].Detail, "1 member new in /customers, expected 2; an undo added or removed a member") {
		t.Errorf("after undo: %+v", rs[0])
	}
	if rs[1].OK || rs[1].Detail != `name is "Ann", expected "Bea"` {
		t.Errorf("the newest member after undo: %+v", rs[1])
	}
}

func TestAHiddenCheckShowsOnlyAGoalUntilItHolds(t *testing.T) {
	srv := sim.New(sim.Options{})
	c := srv.Client(sim.SourceComposer)
	check := compileTestCheck(t, "hidden saw-status 405")
	if r := check.Evaluate(srv, 0)[0]; r.OK || strings.Contains(r.Desc+r.Detail, "405") {
		t.Errorf("a hidden check gives its outcome away: %+v", r)
	}
	learnerSends(t, c, `POST /flights {"gate":"a1"}`)
	if r := check.Evaluate(srv, 0)[0]; !r.OK || !strings.Contains(r.Detail, "405") {
		t.Errorf("once seen, the outcome is shown: %+v", r)
	}
}

func TestHintsAndExplanationsShowTheLearnersOwnValues(t *testing.T) {
	l := parseTestLesson(t, "---\nid: live\ntitle: Live\nfixture: bank\n---\n## Step: Read it\nRead the account.\n"+
		"```check\nrequest GET /accounts/42\n```\n"+
		"```hint\nIts ETag is {{etag /accounts/42}}.\n```\n"+
		"```solution\nGET /accounts/42\n```\n"+
		"```explain\n{{status}}: the balance is ${{field /accounts/42 balance}}.\n```\n")
	srv := sim.New(sim.Options{Fixture: "bank"})
	c := srv.Client(sim.SourceComposer)
	e := NewEngine([]*Lesson{l}, srv, nil) // resets the server to the fixture
	learnerSends(t, c, `PUT /accounts/42 {"balance":12.50}`)
	_, etag, _ := srv.Resource("/accounts/42")
	if h, _ := e.NextHint(); h != "Its ETag is "+etag+"." {
		t.Errorf("hint %q", h)
	}
	learnerSends(t, c, `GET /accounts/42`)
	if !e.Observe().Passed {
		t.Fatal("not passed")
	}
	learnerSends(t, c, `PUT /accounts/42 {"balance":99}`) // after the pass: the explanation keeps what was seen
	if ex := e.Explain(); ex != "200 OK: the balance is $12.50." {
		t.Errorf("explanation %q", ex)
	}
}
