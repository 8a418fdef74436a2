package lessons

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// Every lesson — built-in, testdata and the documented example — is played
// end to end: see playLesson.
func TestEveryLessonPlaysEndToEnd(t *testing.T) {
	for _, l := range testLessons(t) {
		t.Run(l.ID, func(t *testing.T) {
			t.Parallel()
			srv := sim.New(sim.Options{})
			e := NewEngine([]*Lesson{l}, srv, nil)
			if e.Lesson() != l || e.StepIndex() != 0 {
				t.Fatalf("engine starts at %v step %d", e.Lesson(), e.StepIndex())
			}
			playLesson(t, e, srv, l)
		})
	}
}

// A learner who comes back finds the server as their passed steps left it:
// for every task step, an engine resumed just before it must be passable by
// its solution alone.
func TestResumingALessonRebuildsTheStateOfPassedSteps(t *testing.T) {
	for _, l := range testLessons(t) {
		t.Run(l.ID, func(t *testing.T) {
			t.Parallel()
			for k := 1; k < len(l.Steps); k++ {
				st := l.Steps[k]
				if st.IsQuiz() {
					continue
				}
				p := &Progress{}
				for i := range k {
					must(t, p.MarkPassed(l.ID, i))
				}
				srv := sim.New(sim.Options{})
				e := NewEngine([]*Lesson{l}, srv, p)
				if e.StepIndex() != k {
					t.Fatalf("resumed at step %d, want %d", e.StepIndex()+1, k+1)
				}
				if s := e.Observe(); s.Passed {
					t.Errorf("%s#%d passes on resume before anything is sent", l.ID, k+1)
				}
				client := srv.Client(sim.SourceLesson)
				applyNetwork(client, st)
				sendSolution(e, client)
				if s := e.Observe(); !s.Passed {
					t.Errorf("%s#%d: after resuming, its solution does not pass it:%s", l.ID, k+1, resultsText(s))
				}
			}
		})
	}
}

func goodLessons(t *testing.T) []*Lesson {
	t.Helper()
	ls, err := LoadDir("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

func put(t *testing.T, c *sim.Client, line string) {
	t.Helper()
	rl, err := request.Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	sendLines(c, []request.Line{rl})
}

func TestEngineStartsWhereTheLearnerLeftOff(t *testing.T) {
	ls := goodLessons(t)
	path := filepath.Join(t.TempDir(), "progress.json")
	p := openTestProgress(t, path)
	must(t, p.SetCurrent("flights-short"))
	must(t, p.MarkPassed("flights-short", 0))

	q := openTestProgress(t, path)
	srv := sim.New(sim.Options{})
	e := NewEngine(ls, srv, q)
	if e.Lesson().ID != "flights-short" || e.StepIndex() != 1 {
		t.Fatalf("engine at %s step %d, want flights-short step 2", e.Lesson().ID, e.StepIndex()+1)
	}
	body, _, _ := srv.Resource("/flights/AA123")
	if string(body) != `{"gate":"b12","status":"ontime"}` {
		t.Errorf("step 1's solution was not replayed: AA123 = %s", body)
	}
	if e.StepPassed(1) || !e.StepPassed(0) {
		t.Error("StepPassed disagrees with progress")
	}

	// a lesson with every step passed starts again from the top
	must(t, q.MarkPassed("flights-short", 1))
	e = NewEngine(ls, sim.New(sim.Options{}), q)
	if e.StepIndex() != 0 || !e.Observe().Passed {
		t.Errorf("finished lesson: step %d, passed %v", e.StepIndex()+1, e.Observe().Passed)
	}

	// an unknown current lesson (say, removed from the folder) falls back to the first
	must(t, q.SetCurrent("gone"))
	if e := NewEngine(ls, sim.New(sim.Options{}), q); e.Lesson().ID != "tour" {
		t.Errorf("unknown current lesson: started in %s", e.Lesson().ID)
	}
}

func TestProgressIsSavedTheMomentAStepPasses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	srv := sim.New(sim.Options{})
	e := NewEngine(goodLessons(t), srv, openTestProgress(t, path))
	must(t, e.Goto("flights-short"))
	put(t, srv.Client(sim.SourceComposer), `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`)
	if s := e.Observe(); !s.JustPassed {
		t.Fatalf("not passed:%s", resultsText(s))
	}
	saved := openTestProgress(t, path)
	if !saved.Passed("flights-short", 0) || saved.Current() != "flights-short" {
		t.Errorf("saved progress: %v, current %q", saved.PassedSteps("flights-short"), saved.Current())
	}
	// undoing the change does not un-pass the step
	srv.Undo()
	if s := e.Observe(); !s.Passed || s.JustPassed {
		t.Errorf("after undo: %+v", s)
	}
}

func TestObserveSaysWhatIsStillMissing(t *testing.T) {
	l, err := Parse("t.md", []byte("---\nid: t\ntitle: T\nfixture: bank\n---\n## Step: S\nDo.\n```check\nrequest PUT /accounts/42 >= 100\nfield /accounts/42 balance 100\n```\n```solution\nPUT /accounts/42 {\"balance\":100} x100\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv := sim.New(sim.Options{})
	e := NewEngine([]*Lesson{l}, srv, nil)
	c := srv.Client(sim.SourceComposer)
	put(t, c, `POST /accounts/42/interest {"rate":0.10}`)
	put(t, c, `PUT /accounts/42 {"balance":80} x2`)
	put(t, c, `POST /accounts/42/interest {"rate":0.10}`)
	s := e.Observe()
	want := []CheckResult{
		{Desc: "at least 100 PUT requests to /accounts/42", Detail: "2 of 100 PUT requests to /accounts/42 so far"},
		{Desc: "/accounts/42 balance is 100", Detail: "balance is 88.00, expected 100"},
	}
	if s.Passed || !slices.Equal(s.Results, want) {
		t.Errorf("results:%s\nwant %+v", resultsText(s), want)
	}
}

// Checks look at every exchange, including those from curl on the loopback
// listener, which reach the server without an in-process label.
func TestObserveSeesRequestsFromOutsideTheProgram(t *testing.T) {
	srv := sim.New(sim.Options{})
	e := NewEngine(goodLessons(t), srv, nil)
	must(t, e.Goto("flights-short"))
	req := httptest.NewRequest(http.MethodPut, "/flights/AA123", strings.NewReader(`{"status":"ontime","gate":"b12"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("PUT answered %d: %s", rec.Code, rec.Body)
	}
	if s := e.Observe(); !s.JustPassed {
		t.Errorf("a request from outside did not pass the step:%s", resultsText(s))
	}
}

func TestResetStepRestoresTheStateTheStepBeganWith(t *testing.T) {
	srv := sim.New(sim.Options{})
	e := NewEngine(goodLessons(t), srv, nil)
	c := srv.Client(sim.SourceComposer)
	put(t, c, `POST /customers {"name":"Joe"} x3`)
	if s := e.Observe(); s.Passed {
		t.Fatal("three customers passed a step that asks for one")
	}
	e.ResetStep()
	if m := srv.Members("/customers"); len(m) != 0 {
		t.Fatalf("after ResetStep: members %v", m)
	}
	if s := e.Observe(); s.Results[0].OK || s.Results[0].Detail != "no POST request to /customers yet" {
		t.Errorf("after ResetStep the checks still count old requests:%s", resultsText(s))
	}
	put(t, c, `POST /customers {"name":"Joe"}`)
	if s := e.Observe(); !s.Passed {
		t.Errorf("after ResetStep:%s", resultsText(s))
	}
	if srv.Members("/customers")[0] != "/customers/1" {
		t.Errorf("ResetStep did not restore the id counter: %v", srv.Members("/customers"))
	}
}

func TestResetLessonAndResetAllForgetProgress(t *testing.T) {
	ls := goodLessons(t)
	p := &Progress{}
	srv := sim.New(sim.Options{})
	e := NewEngine(ls, srv, p)
	must(t, p.MarkPassed("tour", 0))
	must(t, p.MarkPassed("flights-short", 0))
	must(t, e.Goto("flights-short"))
	if e.StepIndex() != 1 {
		t.Fatalf("at step %d", e.StepIndex()+1)
	}
	e.ResetLesson()
	if e.StepIndex() != 0 || p.Passed("flights-short", 0) || !p.Passed("tour", 0) {
		t.Errorf("ResetLesson: step %d, progress %v %v", e.StepIndex()+1, p.PassedSteps("flights-short"), p.PassedSteps("tour"))
	}
	if body, _, _ := srv.Resource("/flights/AA123"); string(body) != `{"gate":"a7","status":"delayed"}` {
		t.Errorf("ResetLesson left AA123 = %s", body)
	}
	if done, total := e.Done("flights-short"); done != 0 || total != 2 {
		t.Errorf("Done = %d/%d", done, total)
	}
	e.ResetAll()
	if e.Lesson().ID != "tour" || e.StepIndex() != 0 || p.Passed("tour", 0) {
		t.Errorf("ResetAll: %s step %d, progress %v", e.Lesson().ID, e.StepIndex()+1, p.PassedSteps("tour"))
	}
}

func TestHintsAreRevealedOneAtATime(t *testing.T) {
	e := NewEngine(goodLessons(t), sim.New(sim.Options{}), nil)
	if len(e.HintsShown()) != 0 {
		t.Fatal("hints shown before asking")
	}
	h1, ok1 := e.NextHint()
	h2, ok2 := e.NextHint()
	_, ok3 := e.NextHint()
	if !ok1 || !ok2 || ok3 || h1 != "POST to the collection." || !strings.Contains(h2, "POST /customers") {
		t.Errorf("hints: %q %v, %q %v, %v", h1, ok1, h2, ok2, ok3)
	}
	if got := e.HintsShown(); !slices.Equal(got, []string{h1, h2}) {
		t.Errorf("HintsShown = %q", got)
	}
	e.Next()
	if len(e.HintsShown()) != 0 {
		t.Error("a new step starts with its hints hidden")
	}
	e.Back()
	if got := e.Solution(); !slices.Equal(got, []string{`POST /customers {"name":"Joe","age":"29","city":"ajax"}`}) {
		t.Errorf("Solution = %q", got)
	}
}

func TestNavigation(t *testing.T) {
	ls := goodLessons(t)
	e := NewEngine(ls, sim.New(sim.Options{}), nil)
	if e.Back() {
		t.Error("Back at the first step")
	}
	for range len(ls[0].Steps) - 1 {
		if !e.Next() {
			t.Fatal("Next refused before the last step")
		}
	}
	if e.Next() || e.StepIndex() != len(ls[0].Steps)-1 {
		t.Error("Next past the last step")
	}
	if e.NextLesson() != ls[1] {
		t.Error("NextLesson")
	}
	must(t, e.Goto(ls[1].ID))
	if e.NextLesson() != nil {
		t.Error("NextLesson after the last lesson")
	}
	if err := e.Goto("flights-shrt"); err == nil || err.Error() != `no lesson "flights-shrt"; did you mean "flights-short"?` {
		t.Errorf("Goto unknown: %v", err)
	}
	if !slices.Equal(e.Lessons(), ls) {
		t.Error("Lessons")
	}
}

func TestAnswerOutsideAQuiz(t *testing.T) {
	l := goodLessons(t)[0]
	e := NewEngine([]*Lesson{l}, sim.New(sim.Options{}), nil)
	if ok, why := e.Answer(0); ok || why != "this step is not a quiz" {
		t.Errorf("Answer on a task step = %v, %q", ok, why)
	}
	for e.Next() {
	}
	if ok, why := e.Answer(3); ok || why != "there is no choice 4; choose 1 to 3" {
		t.Errorf("Answer(3) = %v, %q", ok, why)
	}
	if ok, why := e.Answer(-1); ok || why == "" {
		t.Errorf("Answer(-1) = %v, %q", ok, why)
	}
	if ok, why := e.Answer(1); !ok || why != "A processing resource takes POST." {
		t.Errorf("right answer = %v, %q", ok, why)
	}
}

// An engine without lessons (an empty folder that slipped through) must not
// panic whatever the front end calls.
func TestEngineWithoutLessons(t *testing.T) {
	e := NewEngine(nil, sim.New(sim.Options{}), nil)
	if e.Lesson() != nil || e.Step() != nil || e.Next() || e.Back() || e.NextLesson() != nil {
		t.Error("an engine without lessons claims a lesson")
	}
	e.Observe()
	e.Answer(0)
	e.NextHint()
	e.HintsShown()
	e.Solution()
	e.ResetStep()
	e.ResetLesson()
	e.ResetAll()
	if d, n := e.Done("x"); d != 0 || n != 0 {
		t.Error("Done")
	}
	if err := e.Goto("x"); err == nil {
		t.Error("Goto without lessons")
	}
}

func TestNotYetNamesHowManyHoldAndTheFirstMissing(t *testing.T) {
	for _, tc := range []struct {
		st   StepStatus
		want string
	}{
		{StepStatus{Results: []CheckResult{{Desc: "a", OK: true}, {Desc: "gate", Detail: `gate is "a7", expected "b12"`}, {Desc: "c"}}},
			`Not yet: 1 of 3 — gate is "a7", expected "b12"`},
		{StepStatus{Results: []CheckResult{{Desc: "the last response was 412"}}}, "Not yet: 0 of 1 — the last response was 412"},
		{StepStatus{Passed: true, Results: []CheckResult{{Desc: "x"}}}, ""},
		{StepStatus{Results: []CheckResult{{Desc: "x", OK: true}}}, ""},
		{StepStatus{}, ""},
	} {
		if got := tc.st.NotYet(); got != tc.want {
			t.Errorf("NotYet() = %q, want %q", got, tc.want)
		}
	}
}

func TestForViewKeepsTheWordsOfOneFrontEnd(t *testing.T) {
	text := "Read the header {screen: press `w`|line: type `wire`} now.{screen:|line: Type `log`.}"
	if got := ForView(text, Screen); got != "Read the header press `w` now." {
		t.Errorf("screen: %q", got)
	}
	if got := ForView(text, Line); got != "Read the header type `wire` now.Type `log`." {
		t.Errorf("line: %q", got)
	}
}

// builtinTexts returns each built-in lesson's prose by id: its intro, and
// each step's text, explanation, hints and quiz choices' reasons.
func builtinTexts(t *testing.T) map[string][]string {
	t.Helper()
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, l := range ls {
		texts := []string{l.Intro}
		for _, st := range l.Steps {
			texts = append(texts, st.Text, st.Explain)
			texts = append(texts, st.Hints...)
			if st.Quiz != nil {
				for _, ch := range st.Quiz.Choices {
					texts = append(texts, ch.Why)
				}
			}
		}
		out[l.ID] = texts
	}
	return out
}

// TestNoBuiltinLessonSpeaksOfTheOtherFrontEnd: the full screen never reads
// "in line mode" or "type `wire`", line mode never "press", "full screen"
// or "composer".
func TestNoBuiltinLessonSpeaksOfTheOtherFrontEnd(t *testing.T) {
	for id, texts := range builtinTexts(t) {
		for _, s := range texts {
			if scr := strings.ToLower(ForView(s, Screen)); strings.Contains(scr, "line mode") || strings.Contains(scr, "type `wire`") {
				t.Errorf("%s: the full screen would read: %q", id, s)
			}
			ln := strings.ToLower(ForView(s, Line))
			for _, w := range []string{"full screen", "press `w`", "(`w`", "composer"} {
				if strings.Contains(ln, w) {
					t.Errorf("%s: line mode would read %q: %q", id, w, s)
				}
			}
		}
	}
}

func TestTheChartKeyNamesAValueOrTheResourceCount(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want Chart
		bad  bool
	}{
		{"/accounts/42 balance", Chart{Path: "/accounts/42", Field: "balance"}, false},
		{"resources", Chart{Count: true}, false},
		{"balance", Chart{}, true},
		{"/accounts/42 bal ance", Chart{}, true},
		{"accounts/42 balance", Chart{}, true},
	} {
		got, err := parseChart(tc.v)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("parseChart(%q) = %+v, %v", tc.v, got, err)
		}
	}
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if l.ID == "idempotence" && (l.Chart != Chart{Path: "/accounts/42", Field: "balance"}) {
			t.Errorf("lesson 5 plots %+v, not the balance", l.Chart)
		}
	}
}

// TestTheExplanationSaysWhatThisLearnerSaw plays lesson 2's first step as a
// learner who first sends half the state: the PUT that passes changes only
// the gate, from nothing to b12, so the explanation must not tell of a
// status going from delayed to ontime or a gate leaving a7.
func TestTheExplanationSaysWhatThisLearnerSaw(t *testing.T) {
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	srv := sim.New(sim.Options{})
	e := NewEngine(ls, srv, nil)
	must(t, e.Goto("put-replace"))
	c := srv.Client(sim.SourceComposer)
	put(t, c, `PUT /flights/AA123 {"status":"ontime"}`)
	if s := e.Observe(); s.Passed {
		t.Fatal("half the state passed the step")
	}
	since := srv.LastSeq()
	put(t, c, `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`)
	if s := e.Observe(); !s.JustPassed {
		t.Fatalf("the whole state did not pass:%s", resultsText(s))
	}
	evs := srv.EventsSince(since)
	if len(evs) != 1 || len(evs[0].Changes) != 1 || evs[0].Changes[0].Before == nil ||
		strings.Contains(string(evs[0].Changes[0].Before), "delayed") {
		t.Fatalf("the passing PUT is not the one this test is about: %+v", evs)
	}
	ex := e.Explain()
	for _, unseen := range []string{"delayed", "a7"} {
		if strings.Contains(ex, unseen) {
			t.Errorf("the explanation names %q, which this learner's passing PUT never showed:\n%s", unseen, ex)
		}
	}
	for _, seen := range []string{"200 OK", `"ontime"`, `"b12"`} {
		if !strings.Contains(ex, seen) {
			t.Errorf("the explanation does not say %s, which the learner saw:\n%s", seen, ex)
		}
	}
}

// TestSolutionNextIsTheRequestTheStepStillNeeds: a solution of several
// requests is offered from the first one the learner has not just sent, in
// order: after GET, the PUT; after GET and a PUT that failed, the GET again
// (read again on 412); after one of two same PUTs, the second.
func TestSolutionNextIsTheRequestTheStepStillNeeds(t *testing.T) {
	l, err := Parse("t.md", []byte("---\nid: t\ntitle: T\nfixture: bank\n---\n"+
		"## Step: Read then write\nDo.\n```check\nrequest GET /accounts/42\nlast-request PUT /accounts/42\nfield /accounts/42 balance 70\n```\n"+
		"```solution\nGET /accounts/42\nPUT /accounts/42 {\"balance\":70}\n```\n"+
		"## Step: Twice, then once more\nDo.\n```check\nrequest PUT /accounts/42 >= 3\nfield /accounts/42 balance 5\n```\n"+
		"```solution\nPUT /accounts/42 {\"balance\":1}\nPUT /accounts/42 {\"balance\":1}\nPUT /accounts/42 {\"balance\":5}\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv := sim.New(sim.Options{})
	e := NewEngine([]*Lesson{l}, srv, nil)
	c := srv.Client(sim.SourceComposer)
	next := func(want int, after string) {
		t.Helper()
		sol := e.Solution()
		if got := e.SolutionNext(sol); got != want {
			t.Errorf("after %s: SolutionNext = %d (%q), want %d", after, got, sol[got], want)
		}
	}
	next(0, "nothing")
	put(t, c, `GET /accounts/42`)
	next(1, "GET")
	// It reads the lines it is given, as Solution filled them in.
	if got := e.SolutionNext([]string{"GET /flights/AA123", `PUT /accounts/42 {"balance":70}`}); got != 0 {
		t.Errorf("after GET /accounts/42, lines that begin with another GET: SolutionNext = %d, want 0", got)
	}
	put(t, c, `PUT /accounts/42 {"balance":60}`)
	next(0, "GET, a wrong PUT")
	put(t, c, `GET /accounts/42?fresh=1`)
	next(1, "GET, a wrong PUT, GET")
	put(t, c, `GET /flights/AA123`)
	next(0, "… then another resource")
	put(t, c, `GET /accounts/42`)
	put(t, c, `PUT /accounts/42 {"balance":70}`)
	if !e.Observe().Passed {
		t.Fatal("the solution did not pass")
	}
	next(0, "the step passed")

	e.Next()
	next(0, "nothing")
	put(t, c, `PUT /accounts/42 {"balance":1}`)
	next(1, "one PUT")
	put(t, c, `PUT /accounts/42 {"balance":1}`)
	next(2, "two PUTs")
	put(t, c, `PUT /accounts/42 {"balance":2}`)
	next(2, "three PUTs, the last wrong")
	put(t, c, `PUT /accounts/42 {"balance":1} x20`)
	next(2, "more PUTs than the tally keeps")
}

// TestASetupWithNothingToDoSendsNothing: setups that make a state hold
// "whatever came before" — create Joe only if absent, remove a flight if
// there — send nothing when it already holds, so the log never shows the
// lesson failing (a 412, a 404): not after the learner did the work, not
// when the lesson is resumed. A learner who skipped gets Joe created.
func TestASetupWithNothingToDoSendsNothing(t *testing.T) {
	l, err := Parse("t.md", []byte("---\nid: t\ntitle: T\nfixture: all\n---\n"+
		"## Step: Create Joe\nDo.\n```check\nrequest POST /customers\n```\n```solution\nPOST /customers {\"name\":\"Joe\"}\n```\n"+
		"## Step: Read Joe\nDo.\n```setup\nPUT /customers/1 {\"name\":\"Joe\"} -H 'If-None-Match: *'\nDELETE /flights/ZZ999\n```\n"+
		"```check\nrequest GET /customers/1\n```\n```solution\nGET /customers/1\n```\n"+
		"## Step: Read him again\nDo.\n```setup\nPUT /customers/1 {\"name\":\"Joe\"} -H 'If-None-Match: *'\n```\n"+
		"```check\nrequest GET /customers/1\n```\n```solution\nGET /customers/1\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	lessonStatuses := func(srv *sim.Server, since uint64) []int {
		var out []int
		for _, ev := range srv.EventsSince(since) {
			if ev.Kind == sim.KindExchange && ev.Source == sim.SourceLesson {
				out = append(out, ev.Response.Status)
			}
		}
		return out
	}

	// The learner does the work; then resumes the lesson.
	p := &Progress{}
	srv := sim.New(sim.Options{})
	e := NewEngine([]*Lesson{l}, srv, p)
	c := srv.Client(sim.SourceComposer)
	for range l.Steps {
		sendSolution(e, c)
		if !e.Observe().Passed {
			t.Fatalf("step %d: its solution did not pass", e.StepIndex()+1)
		}
		e.Next()
	}
	if got := lessonStatuses(srv, 0); len(got) != 0 {
		t.Errorf("after the learner created Joe, the setups sent requests answered %v", got)
	}
	resumed := &Progress{}
	must(t, resumed.MarkPassed(l.ID, 0))
	must(t, resumed.MarkPassed(l.ID, 1))
	srv = sim.New(sim.Options{})
	if e := NewEngine([]*Lesson{l}, srv, resumed); e.StepIndex() != 2 {
		t.Fatalf("resumed at step %d, want 3", e.StepIndex()+1)
	}
	for _, st := range lessonStatuses(srv, 0) {
		if st >= 400 {
			t.Errorf("resuming the lesson logged lesson exchanges answered %v", lessonStatuses(srv, 0))
			break
		}
	}

	// A learner who skips the first step gets Joe from the setup.
	srv = sim.New(sim.Options{})
	e = NewEngine([]*Lesson{l}, srv, nil)
	e.Next()
	if got := lessonStatuses(srv, 0); !slices.Equal(got, []int{201}) {
		t.Errorf("skipping to step 2, the setup's exchanges were answered %v, want one 201 (Joe created)", got)
	}
}
