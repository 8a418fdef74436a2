package lessons

import (
	"net/http"
	"strings"
	"testing"

	"github.com/putpost/putpost/sim"
)

// TestARefusedInterestPostDoesNotSpoilTheThreeTimesStep: a learner who first
// sends the rate as text gets a 422 that changes nothing; the three POSTs
// that follow add interest three times, and that is what the step asks.
func TestARefusedInterestPostDoesNotSpoilTheThreeTimesStep(t *testing.T) {
	e, c := learnerAt(t, "idempotence", 1, nil)
	put(t, c, `POST /accounts/42/interest {"rate":"0.10"}`)
	if s := e.Observe(); s.Passed {
		t.Fatal("a refused POST passed the step")
	}
	put(t, c, `POST /accounts/42/interest {"rate":0.10} x3`)
	if s := e.Observe(); !s.Passed {
		t.Errorf("three interest POSTs after a refused one do not pass:%s", resultsText(s))
	}
	e, c = learnerAt(t, "idempotence", 1, nil)
	put(t, c, `POST /accounts/42/interest {"rate":0.10} x4`)
	if s := e.Observe(); s.Passed {
		t.Error("four interest POSTs pass a step that asks for three")
	}
}

// TestTheHundredPutsExplanationNamesTheStoredBalance: the check takes the
// text "100" for the number 100, so the explanation must say what the
// server stores rather than claim the number 100.00.
func TestTheHundredPutsExplanationNamesTheStoredBalance(t *testing.T) {
	e, c := learnerAt(t, "idempotence", 0, nil)
	put(t, c, `PUT /accounts/42 {"balance":"100"} x100`)
	if s := e.Observe(); !s.Passed {
		t.Fatalf("the step did not pass:%s", resultsText(s))
	}
	ex := e.Explain()
	if strings.Contains(ex, "100.00") || !strings.Contains(ex, `"100"`) {
		t.Errorf("the explanation does not name the stored text \"100\":\n%s", ex)
	}
}

// TestAHiddenStatusThatFailsSaysTheResponseWasNotTheOneSought: teller A
// first PUTs without If-Match, then with a stale tag and gets 412. The
// checklist must not answer "send your request" to a learner who just sent
// one: it says the 412 is not yet the outcome sought, without naming it.
func TestAHiddenStatusThatFailsSaysTheResponseWasNotTheOneSought(t *testing.T) {
	e, c := learnerAt(t, "lost-updates", 1, nil)
	put(t, c, `PUT /accounts/42 {"balance":100}`)
	put(t, c, `PUT /accounts/42 {"balance":100} -H 'If-Match: "stale"'`)
	s := e.Observe()
	if s.Passed {
		t.Fatal("a 412 passed teller A's step")
	}
	var detail string
	for _, r := range s.Results {
		if !r.OK && r.Desc == hiddenGoal {
			detail = r.Detail
		}
	}
	if !strings.Contains(detail, "412 Precondition Failed") || strings.Contains(detail, "send your request") {
		t.Errorf("the hidden status check says %q after a 412", detail)
	}
	if strings.Contains(detail, "200") || strings.Contains(detail, "204") {
		t.Errorf("the hidden status check gives the outcome away: %q", detail)
	}
}

// TestTheChecklistShowsUnmetHiddenOutcomesOnce: lesson 3's POST step has
// two hidden outcomes; the checklist names them once, with how many there
// are, instead of "see what the server does" twice.
func TestTheChecklistShowsUnmetHiddenOutcomesOnce(t *testing.T) {
	e, c := learnerAt(t, "put-create", 3, nil)
	s := e.Observe()
	var descs []string
	for _, r := range s.Checklist() {
		descs = append(descs, r.Desc)
	}
	want := []string{"a POST request to /flights", hiddenGoal + " (2 things to find out)"}
	if strings.Join(descs, "|") != strings.Join(want, "|") {
		t.Errorf("checklist = %q, want %q", descs, want)
	}
	put(t, c, `POST /flights {"status":"ontime","gate":"d4"}`)
	for _, r := range e.Observe().Checklist() {
		if !r.OK {
			t.Errorf("after the POST, %q is still unmet", r.Desc)
		}
	}
}

// TestNoBuiltinExplanationCountsWithAnS: "1 member(s)" reads as a form
// to fill in; a lesson's words must read as a sentence whatever the count.
func TestNoBuiltinExplanationCountsWithAnS(t *testing.T) {
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		for i, st := range l.Steps {
			if strings.Contains(st.Explain, "(s)") || strings.Contains(st.Text, "(s)") {
				t.Errorf("%s step %d counts with \"(s)\"", l.ID, i+1)
			}
		}
	}
}

// TestDeletingTwiceStartsWithoutAConditionalRequest: lesson 8 comes before
// conditional requests are taught, so a learner who played its first steps
// must not meet a 412 sent by the lesson itself when the DELETE step opens.
func TestDeletingTwiceStartsWithoutAConditionalRequest(t *testing.T) {
	e, c := learnerAt(t, "delete-patch", 0, nil)
	srv := e.srv
	put(t, c, `PATCH /flights/AA123 {"gate":"b14"}`)
	if s := e.Observe(); !s.Passed {
		t.Fatalf("step 1's answer did not pass:%s", resultsText(s))
	}
	since := srv.LastSeq()
	for e.StepIndex() < 3 {
		e.Next()
	}
	for _, ev := range srv.EventsSince(since) {
		if ev.Response.Status == 412 || ev.Request.Header.Get("If-None-Match") != "" {
			t.Errorf("entering the DELETE step sent %s %s with If-None-Match %q: %d",
				ev.Request.Method, ev.Request.Target, ev.Request.Header.Get("If-None-Match"), ev.Response.Status)
		}
	}
	if _, _, ok := srv.Resource("/flights/AA123"); !ok {
		t.Fatal("AA123 is not there to delete")
	}
}

// TestLessonSixDoesNotCallDifferentRequestsIdentical: a learner who varies
// the body between repeats still passes lesson 6's PUT and POST steps; the
// explanations must not tell them their requests were identical.
func TestLessonSixDoesNotCallDifferentRequestsIdentical(t *testing.T) {
	e, c := learnerAt(t, "safe-vs-idempotent", 2, nil)
	put(t, c, `PUT /flights/AA123 {"status":"ontime","gate":"b13"} x4`)
	put(t, c, `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`)
	if s := e.Observe(); !s.Passed {
		t.Fatalf("five PUTs ending in the asked state do not pass:%s", resultsText(s))
	}
	if ex := e.Explain(); strings.Contains(ex, "identical") {
		t.Errorf("the PUT step calls different requests identical:\n%s", ex)
	}
	e.Next()
	put(t, c, `POST /customers {"name":"Ann","city":"ajax"}`)
	put(t, c, `POST /customers {"name":"Ann","city":"ajax","age":40}`)
	if s := e.Observe(); !s.Passed {
		t.Fatalf("two POSTs of Ann do not pass:%s", resultsText(s))
	}
	if ex := e.Explain(); strings.Contains(ex, "identical") {
		t.Errorf("the POST step calls different requests identical:\n%s", ex)
	}
}

// TestUnlinkAnswersTheLinkOrUnlinkStep: lesson 12 says "try one" of LINK
// and UNLINK; UNLINK must pass as well as LINK.
func TestUnlinkAnswersTheLinkOrUnlinkStep(t *testing.T) {
	e, c := learnerAt(t, "history", 2, nil)
	put(t, c, `UNLINK /flights/AA123`)
	if s := e.Observe(); !s.Passed {
		t.Errorf("UNLINK does not pass the step that says to try LINK or UNLINK:%s", resultsText(s))
	}
	e, c = learnerAt(t, "history", 2, nil)
	put(t, c, `GET /flights/AA123`)
	if s := e.Observe(); s.Passed {
		t.Error("a GET passes the LINK or UNLINK step")
	}
}

// TestAnAcceptedRequestLineIsPlayedAsAnAnswer: lint --play sends a request
// line of an accept block as the learner's answer. It must pass, and the
// any: alternative only it reaches is not reported as never held.
func TestAnAcceptedRequestLineIsPlayedAsAnAnswer(t *testing.T) {
	src := func(accepted string) string {
		return "---\nid: a\ntitle: A\nfixture: flights\n---\n## Step: Try one\nSend LINK or UNLINK.\n\n" +
			"```check\nany:\n  request LINK /flights/AA123\n  request UNLINK /flights/AA123\nsaw-status 501\n```\n\n" +
			"```solution\nLINK /flights/AA123\n```\n\n```accept\n" + accepted + "\n```\n"
	}
	if probs := Play([]*Lesson{parseTestLesson(t, src("UNLINK /flights/AA123"))}, PlayOptions{}); len(probs) > 0 {
		t.Errorf("an accepted UNLINK that passes is reported:\n%v", probs)
	}
	probs := Play([]*Lesson{parseTestLesson(t, src("GET /flights/AA123"))}, PlayOptions{})
	if !strings.Contains(probs.Error(), "the accepted answer GET /flights/AA123 does not pass it") {
		t.Errorf("an accepted answer that fails the step is not reported:\n%v", probs)
	}
}

// TestTheTraceStepSaysWhichPathItChecks: lesson 12's TRACE step checks
// /flights/AA123; its text and hints must name that path and must not
// promise that any path will do, since TRACE / does not pass.
func TestTheTraceStepSaysWhichPathItChecks(t *testing.T) {
	e, c := learnerAt(t, "history", 3, nil)
	put(t, c, `TRACE /`)
	if s := e.Observe(); s.Passed {
		t.Fatal("TRACE / passes a step that checks TRACE /flights/AA123; the text may say any path")
	}
	st := e.Step()
	words := st.Text + "\n" + strings.Join(st.Hints, "\n")
	if !strings.Contains(st.Text, "/flights/AA123") || strings.Contains(words, "any path") {
		t.Errorf("the TRACE step does not say the path it checks:\n%s", words)
	}
}

// TestThePostCreateIntroDoesNotSayACustomerCannotBePut: the server stores a
// PUT to a customer URL the client made up, so lessons 3 and 4 must not say
// the client cannot PUT there; they say the client has no URL to PUT to.
func TestThePostCreateIntroDoesNotSayACustomerCannotBePut(t *testing.T) {
	_, c := learnerAt(t, "post-create", 0, func(_ *Engine, c *sim.Client) {
		put(t, c, `PUT /customers/7 {"name":"Joe","age":29,"city":"ajax"}`)
	})
	req, err := http.NewRequest(http.MethodGet, "http://putpost.local/customers/7", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Skipf("the server did not store a PUT to a made-up customer URL (GET answered %d); the intro may say so", resp.StatusCode)
	}
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		texts := []string{l.Intro}
		for _, st := range l.Steps {
			texts = append(texts, st.Text, st.Explain)
			if st.Quiz != nil {
				for _, ch := range st.Quiz.Choices {
					texts = append(texts, ch.Why)
				}
			}
		}
		for _, x := range texts {
			if strings.Contains(x, "cannot PUT") {
				t.Errorf("lesson %s says the client cannot PUT a resource the server has not named, but the server stored one:\n%s", l.ID, x)
			}
		}
	}
}
