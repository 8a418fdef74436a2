package lessons

import (
	"net/http"
	"slices"
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

// TestAHiddenStatusThatFailsSaysTheResponseWasNotTheOneSought: a hidden
// "status 200" of a built-in step, after a 412, must not answer "send your
// request" to a learner who just sent one: it says the 412 is not yet the
// outcome sought, without naming it. Teller A's step hides no status: a
// guarded PUT sent twice (200, then 412) passes it (see
// TestAGuardedUpdateSentTwicePasses).
func TestAHiddenStatusThatFailsSaysTheResponseWasNotTheOneSought(t *testing.T) {
	e, c := learnerAt(t, "lost-updates", 1, nil)
	put(t, c, `PUT /accounts/42 {"balance":100} -H 'If-Match: "stale"'`)
	s := e.Observe()
	if s.Passed {
		t.Fatal("a 412 passed teller A's step")
	}
	for _, r := range s.Results {
		if r.Desc == hiddenGoal {
			t.Errorf("teller A's step hides %q", r.Detail)
		}
	}
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var chk *Check
	for _, l := range ls {
		for _, st := range l.Steps {
			st.Check.walk(func(x *Check) {
				if chk == nil && x.Kind == CheckStatus && x.Hidden && slices.Contains(x.Codes, 200) {
					chk = x
				}
			})
		}
	}
	if chk == nil {
		t.Fatal("no built-in step hides a status 200")
	}
	refused := exchange(1, "PUT", "/accounts/42", 412)
	r := chk.Evaluate(&fakeWorld{events: []sim.Event{refused}}, 0)[0]
	if !strings.Contains(r.Detail, "412 Precondition Failed") || strings.Contains(r.Detail, "send your request") {
		t.Errorf("the hidden status check says %q after a 412", r.Detail)
	}
	if strings.Contains(r.Detail, "200") || strings.Contains(r.Detail, "204") {
		t.Errorf("the hidden status check gives the outcome away: %q", r.Detail)
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
	put(t, c, `PUT /flights/AA123 {"status":"ontime","gate":"b12"} x4`)
	put(t, c, `PUT /flights/AA123 {"gate":"b12","status":"ontime"}`)
	if s := e.Observe(); !s.Passed {
		t.Fatalf("five PUTs of the asked state, written two ways, do not pass:%s", resultsText(s))
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

// refusesThenPasses checks a step of a built-in lesson both ways, each from
// a fresh start: the bad requests, sent after the learner switched the
// retry policy to policy ("" leaves the step's), must not pass it; the good
// ones (nil: the step's solution), under the step's own policy, must.
func refusesThenPasses(t *testing.T, lesson string, step int, policy sim.RetryPolicy, bad, good []string) {
	t.Helper()
	e, c := learnerAt(t, lesson, step, nil)
	if ok, _ := stepPasses(t, e, c, policy, bad...); ok {
		t.Errorf("%s step %d: %q passes (retry policy %q)", lesson, step+1, bad, policy)
	}
	e, c = learnerAt(t, lesson, step, nil)
	if good == nil {
		good = e.Step().Solution
	}
	if ok, why := stepPasses(t, e, c, "", good...); !ok {
		t.Errorf("%s step %d: %q under the step's retry policy does not pass:%s", lesson, step+1, good, why)
	}
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
	refusesThenPasses(t, "network-failures", 3, sim.RetryNone, []string{interest, interest}, []string{interest})
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
		refusesThenPasses(t, tc.lesson, tc.step, sim.RetryNone, []string{tc.pay, tc.pay}, []string{tc.pay})
	}
}

// TestTwoDifferentCustomersAreNotAnnTwice: lesson 6's POST step explains
// that the same POST registered Ann twice; a Bob and then one Ann must not
// pass it, while two Anns still do.
func TestTwoDifferentCustomersAreNotAnnTwice(t *testing.T) {
	refusesThenPasses(t, "safe-vs-idempotent", 3, "",
		[]string{`POST /customers {"name":"Bob","city":"toronto"}`, `POST /customers {"name":"Ann","city":"ajax"}`},
		[]string{`POST /customers {"name":"Ann","city":"ajax"} x2`})
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
// names the version read, and must not pass with a star. The star's change
// went through, so the ETag read before it is stale: the checklist says so
// and asks for a reset, after which the ETag passes.
func TestIfMatchStarIsNoTellersETag(t *testing.T) {
	for _, tc := range []struct {
		step  int
		star  []string
		right []string
	}{
		{1, []string{`PUT /accounts/42 {"balance":100} -H 'If-Match: *'`}, []string{`PUT /accounts/42 {"balance":100} -H 'If-Match: {{etag}}'`}},
		{3, []string{`GET /accounts/42`, `PUT /accounts/42 {"balance":70} -H 'If-Match: *'`}, []string{`GET /accounts/42`, `PUT /accounts/42 {"balance":70} -H 'If-Match: {{etag}}'`}},
	} {
		e, c := learnerAt(t, "lost-updates", tc.step, nil)
		if ok, _ := stepPasses(t, e, c, "", tc.star...); ok {
			t.Errorf("step %d passes with If-Match: *", tc.step+1)
		}
		var details []string
		for _, r := range e.Observe().Results {
			if strings.Contains(r.Desc, "If-Match") {
				details = append(details, r.Detail)
			}
		}
		if d := strings.Join(details, " | "); !strings.Contains(d, "matches any version") || !strings.Contains(d, "went through") ||
			!strings.Contains(d, "reset the step") || strings.Contains(d, "send the ETag you read instead") {
			t.Errorf("step %d: the checklist does not say that * went through and to reset: %q", tc.step+1, d)
		}
		e.ResetStep()
		_, etag, _ := e.srv.Resource("/accounts/42")
		for i := range tc.right {
			tc.right[i] = strings.ReplaceAll(tc.right[i], "{{etag}}", etag)
		}
		if ok, why := stepPasses(t, e, c, "", tc.right...); !ok {
			t.Errorf("step %d: the PUT with the current ETag does not pass after a reset:%s", tc.step+1, why)
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
		refusesThenPasses(t, "network-failures", tc.step, tc.policy, tc.lines, nil)
	}
}

// tellerB is lost-updates' teller B step with the ETag of the $80.00
// version both tellers read in the first step.
func tellerB(t *testing.T) (e *Engine, c *sim.Client, read string) {
	t.Helper()
	e, c = learnerAt(t, "lost-updates", 0, nil)
	put(t, c, `GET /accounts/42`)
	_, read, _ = e.srv.Resource("/accounts/42")
	e.Next()
	e.Next()
	return e, c, read
}

// TestTellerBNeedsTheTagSheRead: teller B's step explains a 412 as "the
// server compared B's ETag with the current one, saw they differ". A tag
// the account never had (the prefilled placeholder) and the current tag
// written weak get 412 for other reasons and must not pass; the ETag of
// the version she read does, and the checklist says what the others lacked.
func TestTellerBNeedsTheTagSheRead(t *testing.T) {
	e, c, read := tellerB(t)
	_, cur, _ := e.srv.Resource("/accounts/42")
	for _, tc := range []struct{ tag, why string }{
		{`"paste-the-etag-here"`, "never had"},
		{"W/" + cur, "weak tag"},
	} {
		if ok, why := stepPasses(t, e, c, "", `PUT /accounts/42 {"balance":50} -H 'If-Match: `+tc.tag+`'`); ok {
			t.Errorf("If-Match: %s passes teller B's step:%s", tc.tag, why)
		} else if !strings.Contains(why, tc.why) {
			t.Errorf("If-Match: %s: the checklist does not say the tag %s:%s", tc.tag, tc.why, why)
		}
		e.ResetStep()
	}
	if ok, why := stepPasses(t, e, c, "", `PUT /accounts/42 {"balance":50} -H 'If-Match: `+read+`'`); !ok {
		t.Errorf("the ETag teller B read does not pass:%s", why)
	}
}

// TestTellerBsStepKeepsTheDeposit: "Teller A's deposit is kept" must hold
// for whoever passes: a DELETE, a stale PUT (412, nothing there) and an
// unguarded PUT that puts $100 back do not pass, nor does a stale PUT
// followed by a DELETE and a fresh $100.
func TestTellerBsStepKeepsTheDeposit(t *testing.T) {
	e, c, read := tellerB(t)
	stale := `PUT /accounts/42 {"balance":50} -H 'If-Match: ` + read + `'`
	if ok, _ := stepPasses(t, e, c, "", `DELETE /accounts/42`, stale, `PUT /accounts/42 {"balance":100}`); ok {
		t.Error("a DELETE, a 412 on nothing and a PUT without If-Match pass teller B's step")
	}
	e.ResetStep()
	ok, why := stepPasses(t, e, c, "", stale, `DELETE /accounts/42`, `PUT /accounts/42 {"balance":100}`)
	if ok || !strings.Contains(why, "a PUT changed /accounts/42 in this step; reset the step") {
		t.Errorf("a stale PUT, then a DELETE and a new $100 (passed %v):%s", ok, why)
	}
	e.ResetStep()
	ok, why = stepPasses(t, e, c, "", `PUT /accounts/42 {"balance":50} -H 'If-Match: *'`)
	if ok || !strings.Contains(why, "went through") || !strings.Contains(why, "reset the step") {
		t.Errorf("after If-Match: * the checklist does not say the change went through and to reset (passed %v):%s", ok, why)
	}
	e.ResetStep()
	if ok, why := stepPasses(t, e, c, "", stale, `GET /accounts/42`); !ok {
		t.Errorf("the stale PUT, then a GET, does not pass:%s", why)
	}
}

// TestTheGuardedPutMustDoTheWork: teller B's retry explains that "both the
// deposit and the withdrawal count" through a guarded write. An unguarded
// PUT of $70 followed by a guarded one that changes nothing must not pass.
func TestTheGuardedPutMustDoTheWork(t *testing.T) {
	e, c := learnerAt(t, "lost-updates", 3, nil)
	put(t, c, `GET /accounts/42`)
	put(t, c, `PUT /accounts/42 {"balance":70}`)
	put(t, c, `GET /accounts/42`)
	_, cur, _ := e.srv.Resource("/accounts/42")
	ok, why := stepPasses(t, e, c, "", `PUT /accounts/42 {"balance":70} -H 'If-Match: `+cur+`'`)
	if ok || !strings.Contains(why, "a PUT without an ETag in If-Match changed /accounts/42") {
		t.Errorf("an unguarded PUT did the work, a guarded one changed nothing (passed %v):%s", ok, why)
	}
}

// TestAGuardedUpdateSentTwicePasses: a PUT with the current ETag sent twice
// answers 200, then 412 — the update went through, and the 412 on the repeat
// is the lesson's own point. Teller A's step and teller B's retry pass.
func TestAGuardedUpdateSentTwicePasses(t *testing.T) {
	for _, tc := range []struct {
		step int
		body string
	}{{1, `{"balance":100}`}, {3, `{"balance":70}`}} {
		e, c := learnerAt(t, "lost-updates", tc.step, nil)
		put(t, c, `GET /accounts/42`)
		_, cur, _ := e.srv.Resource("/accounts/42")
		if ok, why := stepPasses(t, e, c, "", `PUT /accounts/42 `+tc.body+` -H 'If-Match: `+cur+`' x2`); !ok {
			t.Errorf("step %d: a guarded PUT sent twice (200, 412) does not pass:%s", tc.step+1, why)
		}
	}
}

// TestARetryAfterADropIsNoRetryOfALostAnswer: the retry steps explain a
// retry of a request the server had already carried out ("the server
// received two", "the client knows it went through"). A learner who lets
// the network drop the first attempt (the client's retry is then the
// server's first sight of it) and then sends again with a lost answer and no
// retries has seen no such retry, and must not pass; the step's own network
// passes after a reset, and the checklist says why the first did not count.
func TestARetryAfterADropIsNoRetryOfALostAnswer(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		line   string
	}{
		{"network-failures", 1, `PUT /accounts/42 {"balance":100}`},
		{"network-failures", 3, `POST /accounts/42/interest {"rate":0.10}`},
		{"idempotency-keys", 3, `POST /payments {"amount":40,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0002"'`},
		{"final-challenge", 3, `POST /payments {"amount":5,"to":"flight alerts","customer":"/customers/1"} -H 'Idempotency-Key: "k-joe"'`},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		c.SetFaults(sim.FaultSettings{DropRequests: true})
		put(t, c, tc.line)
		c.SetFaults(sim.FaultSettings{LoseResponses: true})
		ok, why := stepPasses(t, e, c, sim.RetryNone, tc.line)
		if ok {
			t.Errorf("%s step %d: a retry after a drop, then a lost answer not retried, passes:%s", tc.lesson, tc.step+1, why)
		} else if !strings.Contains(why, "does not resend") || strings.Contains(why, "dropped it before the server") {
			// The newest request is what the learner has to change.
			t.Errorf("%s step %d: the checklist does not say the client does not retry now:%s", tc.lesson, tc.step+1, why)
		}
		e.ResetStep()
		applyNetwork(c, e.Step())
		if ok, why := stepPasses(t, e, c, "", tc.line); !ok {
			t.Errorf("%s step %d: the step's own network does not pass after a reset:%s", tc.lesson, tc.step+1, why)
		}
	}
}

// TestPutItRightNeedsTheCompleteStateByPut: put-replace's third step
// explains "back to a complete flight… with PUT… send all of it". Half the
// state by PUT and the gate by PATCH must not pass; the complete PUT does,
// followed by a GET too.
func TestPutItRightNeedsTheCompleteStateByPut(t *testing.T) {
	e, c := learnerAt(t, "put-replace", 2, nil)
	ok, why := stepPasses(t, e, c, "", `PUT /flights/AA123 {"status":"boarding"}`, `PATCH /flights/AA123 {"gate":"b12"}`)
	if ok || !strings.Contains(why, "a PATCH changed /flights/AA123") {
		t.Errorf("a half PUT and a PATCH of the gate (passed %v):%s", ok, why)
	}
	e.ResetStep()
	if ok, why := stepPasses(t, e, c, "", `PUT /flights/AA123 {"status":"boarding","gate":"b12"}`, `GET /flights/AA123`); !ok {
		t.Errorf("the complete PUT, then a GET, does not pass:%s", why)
	}
}

// TestARetryStepDoesNotAskForAResendByHand: in a step about the client's own
// retry, a learner whose client did not retry is told to reset the step; the
// replayed line beside it must not invite the resend by hand that the step
// refuses.
func TestARetryStepDoesNotAskForAResendByHand(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		line   string
	}{
		{"idempotency-keys", `POST /payments {"amount":40,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0002"'`},
		{"final-challenge", `POST /payments {"amount":5,"to":"flight alerts","customer":"/customers/1"} -H 'Idempotency-Key: "k-joe"'`},
	} {
		e, c := learnerAt(t, tc.lesson, 3, nil)
		ok, why := stepPasses(t, e, c, sim.RetryNone, tc.line)
		if ok || !strings.Contains(why, "reset the step") || strings.Contains(why, "send the same request") {
			t.Errorf("%s: a lost payment not retried (passed %v):%s", tc.lesson, ok, why)
		}
	}
	e, c := learnerAt(t, "idempotency-keys", 1, nil)
	if _, why := stepPasses(t, e, c, "", `GET /payments`); !strings.Contains(why, "send the same request with the same Idempotency-Key again") {
		t.Errorf("a step about resending by hand no longer says to:%s", why)
	}
}

// TestTheLearnersOwnKeyedPaymentResentPasses: idempotency-keys' retry step
// asks for the same request again. A learner who paid in the first step with
// a UUID key, with 25.00 for 25, or with an extra field, and resends that
// request, passes: the setup no longer replaces their payment with the
// lesson's. The solution shown is their own request where it holds the key
// "pay-0001", else the lesson's $25 payment with it, which passes too; and
// the lesson's setup is never refused.
func TestTheLearnersOwnKeyedPaymentResentPasses(t *testing.T) {
	const lessons = `POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0001"'`
	for _, first := range []string{
		`POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: "6f1c9a7e-3b2d-4c55-9e0a-1d2f3a4b5c6d"'`,
		`POST /payments {"amount":25.00,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0001"'`,
		`POST /payments {"amount":25,"note":"tickets","to":"ACME Air"} -H 'Idempotency-Key: "pay-0001"'`,
		``,
	} {
		e, c := learnerAt(t, "idempotency-keys", 0, nil)
		if first != "" {
			put(t, c, first)
		}
		e.Next()
		want := first
		if !strings.Contains(first, "pay-0001") {
			want = lessons
		}
		if sol := e.Solution(); len(sol) != 1 || sol[0] != want+" x3" {
			t.Errorf("after %q the solution reads %q, want %q", first, sol, want+" x3")
		}
		resend := first
		if resend == "" {
			resend = lessons
		}
		if ok, why := stepPasses(t, e, c, "", resend+" x3"); !ok {
			t.Errorf("%q resent three times does not pass:%s", resend, why)
		}
		e.ResetStep()
		if ok, why := stepPasses(t, e, c, "", want+" x3"); !ok {
			t.Errorf("the solution %q does not pass after a reset:%s", want, why)
		}
		for _, ev := range e.srv.EventsSince(0) {
			if ev.Source == sim.SourceLesson && ev.Response.Status == 422 {
				t.Errorf("after %q the lesson's setup was refused: %s", first, ev.Response.Body)
			}
		}
	}
}

// TestA204AskedForSaysHowToGet200: status-codes' first step wants 201, 200
// and 204 from PUTs to AC789. A learner who sent every replacing PUT with
// Prefer: return=minimal is told why there is no 200, and how to get one.
func TestA204AskedForSaysHowToGet200(t *testing.T) {
	e, c := learnerAt(t, "status-codes", 0, nil)
	ok, why := stepPasses(t, e, c, "", `PUT /flights/AC789 {"status":"late","gate":"c17"}`,
		`PUT /flights/AC789 {"status":"late","gate":"c17"} -H 'Prefer: return=minimal' x2`)
	if ok || !strings.Contains(why, "201, 204 ×2, not 200; Prefer: return=minimal asks for 204, so send the PUT without it") {
		t.Errorf("no 200 yet (passed %v):%s", ok, why)
	}
	if ok, why := stepPasses(t, e, c, "", `PUT /flights/AC789 {"status":"late","gate":"c17"}`); !ok {
		t.Errorf("the PUT without Prefer does not pass:%s", why)
	}
}

// TestTwoDifferentAnnsAreNotTheSamePost: safe-vs-idempotent's last step
// passes two POSTs of Ann from Ajax whose bodies differ (one with an age);
// its explanation must not call them the same POST.
func TestTwoDifferentAnnsAreNotTheSamePost(t *testing.T) {
	e, c := learnerAt(t, "safe-vs-idempotent", 3, nil)
	if ok, why := stepPasses(t, e, c, "", `POST /customers {"name":"Ann","city":"ajax","age":"31"}`, `POST /customers {"city":"ajax","name":"Ann"}`); !ok {
		t.Fatalf("two Anns do not pass:%s", why)
	}
	if ex := strings.Join(strings.Fields(e.Explain()), " "); strings.Contains(ex, "same POST") || !strings.Contains(ex, "two Anns") {
		t.Errorf("the explanation reads:\n%s", ex)
	}
}

// TestTheRetriedPutsExplanationCountsOnlyItsAttempts: a learner who first
// sent two PUTs that the client did not retry, then one it retried, made the
// server do four PUTs; network-failures' retry step must not say it did "the
// PUT twice", only that one PUT was carried out twice, once per attempt.
func TestTheRetriedPutsExplanationCountsOnlyItsAttempts(t *testing.T) {
	e, c := learnerAt(t, "network-failures", 1, nil)
	const put100 = `PUT /accounts/42 {"balance":100}`
	c.SetRetry(sim.RetryNone)
	put(t, c, put100+" x2")
	if ok, why := stepPasses(t, e, c, sim.RetryRFC9110, put100); !ok {
		t.Fatalf("the retried PUT does not pass:%s", why)
	}
	if ex := strings.Join(strings.Fields(e.Explain()), " "); strings.Contains(ex, "did the PUT twice") || !strings.Contains(ex, "that one PUT twice, once per attempt") {
		t.Errorf("the explanation reads:\n%s", ex)
	}
}

// TestCreateOnlyNeedsAStar: lost-updates' create-only step asks for
// If-None-Match: *. A PUT sent twice with If-None-Match: "abc" (201, then
// 200: it overwrote) must not pass, and the checklist must say what differs
// from the step's request rather than only "see what the server does".
func TestCreateOnlyNeedsAStar(t *testing.T) {
	e, c := learnerAt(t, "lost-updates", 4, nil)
	ok, why := stepPasses(t, e, c, "", `PUT /flights/AC790 {"status":"ontime","gate":"e2"} -H 'If-None-Match: "abc"' x2`)
	if ok || !strings.Contains(why, `carried If-None-Match as "abc", not *`) {
		t.Errorf("If-None-Match: \"abc\" twice (passed %v):%s", ok, why)
	}
	e.ResetStep()
	if ok, why := stepPasses(t, e, c, "", `PUT /flights/AC790 {"status":"ontime","gate":"e2"} -H 'If-None-Match: *' x2`); !ok {
		t.Errorf("If-None-Match: * twice does not pass:%s", why)
	}
}

// TestThe204IsNotPromisedToALearnerWhoMetIt: put-replace's first step
// passes a PUT sent with Prefer: return=minimal (204); its explanation must
// not tell that learner they "will meet 204" later.
func TestThe204IsNotPromisedToALearnerWhoMetIt(t *testing.T) {
	e, c := learnerAt(t, "put-replace", 0, nil)
	if ok, why := stepPasses(t, e, c, "", `PUT /flights/AA123 {"status":"ontime","gate":"b12"} -H 'Prefer: return=minimal'`); !ok {
		t.Fatalf("a PUT answered 204 does not pass:%s", why)
	}
	if ex := strings.Join(strings.Fields(e.Explain()), " "); strings.Contains(ex, "will meet 204") || !strings.HasPrefix(ex, "**204 No Content**") {
		t.Errorf("the explanation reads:\n%s", ex)
	}
}

// TestASetupPutOfWhatIsStoredIsNotSent: lost-updates' first steps PUT the
// $80.00 both tellers read. Where the account holds exactly that, the
// setup has nothing to do and is not sent (the log would show the lesson's
// "unchanged" PUT); where it holds 80 written otherwise, or another
// balance, it is sent.
func TestASetupPutOfWhatIsStoredIsNotSent(t *testing.T) {
	lessonPuts := func(e *Engine) int {
		n := 0
		for _, ev := range e.srv.EventsSince(0) {
			if ev.Source == sim.SourceLesson && ev.Request.Method == "PUT" {
				n++
			}
		}
		return n
	}
	e, _ := learnerAt(t, "lost-updates", 1, nil)
	if n := lessonPuts(e); n != 0 {
		t.Errorf("the lesson sent %d PUTs of the $80.00 the account held", n)
	}
	for _, body := range []string{`{"balance":80}`, `{"balance":70.00}`} {
		e, _ := learnerAt(t, "lost-updates", 1, func(e *Engine, c *sim.Client) {
			put(t, c, `PUT /accounts/42 `+body)
		})
		if n := lessonPuts(e); n == 0 {
			t.Errorf("after %s the lesson did not set $80.00 back", body)
		}
		if b, _, _ := e.srv.Resource("/accounts/42"); string(b) != `{"balance":80.00}` {
			t.Errorf("after %s the account holds %s", body, b)
		}
	}
}
