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
	for id, texts := range builtinTexts(t) {
		for _, x := range texts {
			if strings.Contains(x, "cannot PUT") {
				t.Errorf("lesson %s says the client cannot PUT a resource the server has not named, but the server stored one:\n%s", id, x)
			}
		}
	}
}

// stepPasses reports whether the learner's requests pass the step the
// engine is at, after the learner switched the client's retry policy to
// policy ("" leaves the step's), and says why not.
func stepPasses(t *testing.T, e *Engine, c *sim.Client, policy sim.RetryPolicy, lines ...string) (bool, string) {
	t.Helper()
	if policy != "" {
		c.SetRetry(policy)
	}
	for _, line := range lines {
		put(t, c, line)
	}
	s := e.Observe()
	return s.Passed, resultsText(s)
}

// TestARetryStepNeedsTheClientsOwnRetry: a learner who switches retries off
// in a step about the client retrying, and then gets no answer (or resends
// by hand), must not pass with an explanation of a retry that never was.
// The step's own policy passes, and the checklist says how to get it back.
func TestARetryStepNeedsTheClientsOwnRetry(t *testing.T) {
	const put100 = `PUT /accounts/42 {"balance":100}`
	e, c := learnerAt(t, "network-failures", 1, nil)
	if ok, _ := stepPasses(t, e, c, sim.RetryNone, put100); ok {
		t.Fatal("a PUT whose answer was lost, never retried, passes the retry step")
	}
	if ok, _ := stepPasses(t, e, c, "", put100); ok {
		t.Fatal("a PUT resent by hand passes the retry step")
	}
	var detail string
	for _, r := range e.Observe().Results {
		if strings.HasPrefix(r.Desc, "the client retries") {
			detail = r.Detail
		}
	}
	if !strings.Contains(detail, "did not retry") || !strings.Contains(detail, "reset the step") {
		t.Errorf("the checklist does not say the client must retry: %q", detail)
	}
	e, c = learnerAt(t, "network-failures", 1, nil)
	if ok, why := stepPasses(t, e, c, "", put100); !ok {
		t.Errorf("the PUT under the step's retry policy does not pass:%s", why)
	}

	// The browser step: two POSTs by hand are not one POST the browser sent twice.
	const interest = `POST /accounts/42/interest {"rate":0.10}`
	e, c = learnerAt(t, "network-failures", 3, nil)
	if ok, _ := stepPasses(t, e, c, sim.RetryNone, interest, interest); ok {
		t.Error("two interest POSTs sent by hand pass the step where the browser retries one")
	}
	e, c = learnerAt(t, "network-failures", 3, nil)
	if ok, why := stepPasses(t, e, c, "", interest); !ok {
		t.Errorf("one interest POST under the browser policy does not pass:%s", why)
	}
}

// TestRemovingTheMistakenFlightNeedsTheRetryItsExplanationTells: the final
// challenge's DELETE step explains a retry that got 404; with retries off,
// the lost DELETE alone must not pass.
func TestRemovingTheMistakenFlightNeedsTheRetryItsExplanationTells(t *testing.T) {
	e, c := learnerAt(t, "final-challenge", 4, nil)
	if ok, _ := stepPasses(t, e, c, sim.RetryNone, `DELETE /flights/UA456`); ok {
		t.Fatal("a DELETE whose answer was lost, never retried, passes the step")
	}
	if ok, _ := stepPasses(t, e, c, "", `DELETE /flights/UA456`); ok {
		t.Fatal("a DELETE resent by hand passes the step that explains the client's retry")
	}
	e, c = learnerAt(t, "final-challenge", 4, nil)
	if ok, why := stepPasses(t, e, c, "", `DELETE /flights/UA456`); !ok {
		t.Fatalf("the DELETE under the step's retry policy does not pass:%s", why)
	}
	if ex := e.Explain(); !strings.Contains(ex, "404") {
		t.Errorf("the explanation does not name the retry's 404:\n%s", ex)
	}
}

// TestAKeyedPaymentResentByHandIsNotTheClientsRetry: with retries off, a
// keyed payment sent twice by hand is replayed, but its answer is lost
// again; the steps that explain the client retrying on its own, and knowing
// the payment went through, must not pass.
func TestAKeyedPaymentResentByHandIsNotTheClientsRetry(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		pay    string
	}{
		{"idempotency-keys", 3, `POST /payments {"amount":40,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0002"'`},
		{"final-challenge", 3, `POST /payments {"amount":5,"to":"flight alerts"} -H 'Idempotency-Key: "alerts-joe"'`},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		if ok, _ := stepPasses(t, e, c, sim.RetryNone, tc.pay, tc.pay); ok {
			t.Errorf("%s: a keyed payment resent by hand, its answers lost, passes", tc.lesson)
		}
		e, c = learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.pay); !ok {
			t.Errorf("%s: a keyed payment under the step's retry policy does not pass:%s", tc.lesson, why)
		}
	}
}

// TestTwoDifferentCustomersAreNotAnnTwice: lesson 6's POST step explains
// that the same POST registered Ann twice; a Bob and then one Ann must not
// pass it, while two Anns still do.
func TestTwoDifferentCustomersAreNotAnnTwice(t *testing.T) {
	e, c := learnerAt(t, "safe-vs-idempotent", 3, nil)
	if ok, _ := stepPasses(t, e, c, "", `POST /customers {"name":"Bob","city":"toronto"}`, `POST /customers {"name":"Ann","city":"ajax"}`); ok {
		t.Fatal("a Bob, then one Ann, passes the step that says Ann was registered twice")
	}
	e, c = learnerAt(t, "safe-vs-idempotent", 3, nil)
	if ok, why := stepPasses(t, e, c, "", `POST /customers {"name":"Ann","city":"ajax"} x2`); !ok {
		t.Errorf("Ann sent twice does not pass:%s", why)
	}
}

// TestPutsSuccessCodesMustComeFromPuts: lesson 7's first step asks for
// PUT's three success codes; a GET's 200 is not a PUT's.
func TestPutsSuccessCodesMustComeFromPuts(t *testing.T) {
	const put = `PUT /flights/AC789 {"status":"late","gate":"c17"}`
	const minimal = put + ` -H 'Prefer: return=minimal'`
	e, c := learnerAt(t, "status-codes", 0, nil)
	if ok, _ := stepPasses(t, e, c, "", put, minimal, minimal, `GET /flights/AC789`); ok {
		t.Fatal("201, 204, 204 from PUTs and a GET's 200 pass the step about PUT's three codes")
	}
	if ok, why := stepPasses(t, e, c, "", put); !ok {
		t.Errorf("a PUT answered 200 after them does not pass:%s", why)
	}
}

// TestAPatchAfterAPutIsNotWhatThePutChanged: steps that explain what "your
// PUT" changed must not pass when a PATCH after it made the state right.
func TestAPatchAfterAPutIsNotWhatThePutChanged(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		put    string
		patch  string
		right  string
	}{
		{"put-replace", 0, `PUT /flights/AA123 {"status":"ontime","gate":"B12"}`, `PATCH /flights/AA123 {"status":"ontime","gate":"b12"}`,
			`PUT /flights/AA123 {"status":"ontime","gate":"b12"}`},
		{"post-create", 2, `PUT /customers/1 {"name":"Joe","age":"29","city":"ajax"}`, `PATCH /customers/1 {"age":"30"}`,
			`PUT /customers/1 {"name":"Joe","age":"30","city":"ajax"}`},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		if ok, _ := stepPasses(t, e, c, "", tc.put, tc.patch); ok {
			t.Errorf("%s: a PUT, then a PATCH that makes the state right, passes", tc.lesson)
		}
		if ok, why := stepPasses(t, e, c, "", tc.right); !ok {
			t.Errorf("%s: the right PUT after them does not pass:%s", tc.lesson, why)
		}
	}
}

// TestJoesAgeReadsAsTheHintWritesIt: the hint and solution send Joe's age
// as the text "30"; the checklist must not tell a learner that a text is
// wrong for being text, and the number 30 is as right as "30".
func TestJoesAgeReadsAsTheHintWritesIt(t *testing.T) {
	e, c := learnerAt(t, "post-create", 2, nil)
	put(t, c, `PUT /customers/1 {"name":"Joe","age":"29","city":"ajax"}`)
	for _, r := range e.Observe().Results {
		if strings.Contains(r.Desc+r.Detail, "age") && (strings.Contains(r.Detail, "the number") || !strings.Contains(r.Desc, `"30"`)) {
			t.Errorf("the age check reads %q — %q", r.Desc, r.Detail)
		}
	}
	for _, age := range []string{`"30"`, `30`} {
		e, c := learnerAt(t, "post-create", 2, nil)
		if ok, why := stepPasses(t, e, c, "", `PUT /customers/1 {"name":"Joe","age":`+age+`,"city":"ajax"}`); !ok {
			t.Errorf("age %s does not pass:%s", age, why)
		}
	}
}

// TestIfMatchStarIsNoTellersETag: "If-Match: *" matches any version, so it
// keeps no update from being lost; the tellers' steps explain an ETag that
// names the version read, and must not pass with a star. The checklist says
// why, and the ETag passes.
func TestIfMatchStarIsNoTellersETag(t *testing.T) {
	for _, tc := range []struct {
		step  int
		star  []string
		right []string
	}{
		{1, []string{`PUT /accounts/42 {"balance":100} -H 'If-Match: *'`}, []string{`PUT /accounts/42 {"balance":100} -H 'If-Match: {{etag}}'`}},
		{3, []string{`GET /accounts/42`, `PUT /accounts/42 {"balance":70} -H 'If-Match: *'`}, []string{`PUT /accounts/42 {"balance":70} -H 'If-Match: {{etag}}'`}},
	} {
		e, c := learnerAt(t, "lost-updates", tc.step, nil)
		if ok, _ := stepPasses(t, e, c, "", tc.star...); ok {
			t.Errorf("step %d passes with If-Match: *", tc.step+1)
		}
		var detail string
		for _, r := range e.Observe().Results {
			if strings.Contains(r.Desc, "If-Match") {
				detail = r.Detail
			}
		}
		if !strings.Contains(detail, "matches any version") {
			t.Errorf("step %d: the checklist does not say why * is not an ETag: %q", tc.step+1, detail)
		}
		_, etag, _ := e.srv.Resource("/accounts/42")
		for i := range tc.right {
			tc.right[i] = strings.ReplaceAll(tc.right[i], "{{etag}}", etag)
		}
		if ok, why := stepPasses(t, e, c, "", tc.right...); !ok {
			t.Errorf("step %d: the PUT with the current ETag does not pass:%s", tc.step+1, why)
		}
	}
}

// TestTheGateAgentsExplanationHoldsForAFullPut: the final challenge's gate
// step accepts a PUT of the complete state as well as the PATCH; its
// explanation must be true for both, and not tell the learner who sent the
// PUT that their client should not have written the status.
func TestTheGateAgentsExplanationHoldsForAFullPut(t *testing.T) {
	for _, answer := range []string{`PATCH /flights/AA123 {"gate":"b14"}`, `PUT /flights/AA123 {"gate":"b14","status":"delayed"}`} {
		e, c := learnerAt(t, "final-challenge", 1, nil)
		if ok, why := stepPasses(t, e, c, "", answer); !ok {
			t.Fatalf("%s does not pass:%s", answer, why)
		}
		ex := strings.Join(strings.Fields(e.Explain()), " ")
		if strings.Contains(ex, "should not be the one writing it") || strings.HasPrefix(ex, "PATCH sends only the change") ||
			!strings.Contains(ex, "ends the same way") {
			t.Errorf("after %s the explanation reads:\n%s", answer, ex)
		}
	}
}

// TestHalfTheStateExplainsWhatTheLearnerSent: put-replace's second step
// accepts the full state as well as the half; its explanation must not be
// a condition on what the learner sent, but say what holds for both: the
// flight holds the body of the PUT. A PATCH after a PUT is not the PUT whose
// body the flight holds.
func TestHalfTheStateExplainsWhatTheLearnerSent(t *testing.T) {
	for _, answer := range []string{`PUT /flights/AA123 {"status":"boarding"}`, `PUT /flights/AA123 {"status":"boarding","gate":"b12"}`} {
		e, c := learnerAt(t, "put-replace", 1, nil)
		if ok, why := stepPasses(t, e, c, "", answer); !ok {
			t.Fatalf("%s does not pass:%s", answer, why)
		}
		ex := strings.Join(strings.Fields(e.Explain()), " ")
		if strings.Contains(ex, "If your body") || !strings.Contains(ex, "the flight holds exactly the body of your PUT") {
			t.Errorf("after %s the explanation reads:\n%s", answer, ex)
		}
	}
	e, c := learnerAt(t, "put-replace", 1, nil)
	if ok, _ := stepPasses(t, e, c, "", `PUT /flights/AA123 {"status":"ontime"}`, `PATCH /flights/AA123 {"status":"boarding"}`); ok {
		t.Error("a PATCH after a PUT passes the step that explains the body of the PUT")
	}
}

// TestALostAnswerStepNeedsAClientThatDidNotRetry: network-failures' steps
// with a client that never retries explain that the client heard nothing;
// a learner who switched a retry policy on, whose client retried and heard
// the answer, must not pass them.
func TestALostAnswerStepNeedsAClientThatDidNotRetry(t *testing.T) {
	const put100 = `PUT /accounts/42 {"balance":100}`
	const interest = `POST /accounts/42/interest {"rate":0.10}`
	for _, tc := range []struct {
		step   int
		policy sim.RetryPolicy
		lines  []string
	}{
		{0, sim.RetryRFC9110, []string{put100}},
		{2, sim.RetryBrowser, []string{interest}},
	} {
		e, c := learnerAt(t, "network-failures", tc.step, nil)
		if ok, _ := stepPasses(t, e, c, tc.policy, tc.lines...); ok {
			t.Errorf("step %d passes after the client retried and heard the answer", tc.step+1)
		}
		e, c = learnerAt(t, "network-failures", tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", e.Step().Solution...); !ok {
			t.Errorf("step %d: its solution under its own policy does not pass:%s", tc.step+1, why)
		}
	}
}
