package lessons

import (
	"fmt"
	"strings"
	"testing"

	"github.com/putpost/putpost/sim"
)

// The learner histories of the third play-test: each wrong history must not
// pass the step whose explanation it would make untrue, and the right
// answer still passes.

// detailOf is the detail of the first result whose description starts with
// desc.
func detailOf(e *Engine, desc string) string {
	for _, r := range e.Observe().Results {
		if strings.HasPrefix(r.Desc, desc) {
			return r.Detail
		}
	}
	return ""
}

// TestARetryCountsOnlyWhenTheLostAttemptDidTheWork: a keyed payment whose
// first answer was heard, sent again with responses lost, loses only a
// replay; a DELETE heard, then resent, loses only a 404. The explanations
// ("the first attempt created it and lost its answer") would be untrue.
func TestARetryCountsOnlyWhenTheLostAttemptDidTheWork(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		line   string
	}{
		{"idempotency-keys", 3, `POST /payments {"amount":40,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0002"'`},
		{"final-challenge", 3, `POST /payments {"amount":5,"to":"flight alerts"} -H 'Idempotency-Key: "alerts-joe-1"'`},
		{"final-challenge", 4, `DELETE /flights/UA456`},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		faults := c.Faults()
		c.SetFaults(sim.FaultSettings{})
		put(t, c, tc.line)
		c.SetFaults(faults)
		if ok, why := stepPasses(t, e, c, "", tc.line); ok {
			t.Errorf("%s#%d: a request heard, then resent with its replay lost, passes:%s", tc.lesson, tc.step+1, why)
		}
		if d := detailOf(e, "the client retries"); !strings.Contains(d, "did nothing new") || !strings.Contains(d, "reset the step") {
			t.Errorf("%s#%d: the checklist does not say the lost attempt did nothing: %q", tc.lesson, tc.step+1, d)
		}
		e, c = learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.line); !ok {
			t.Errorf("%s#%d: the right answer does not pass:%s", tc.lesson, tc.step+1, why)
		}
	}
}

// TestCreateOnlyIsCreatedAndKeptByConditionalPuts: the create-only step
// explains "201 Created, then 412 … cannot overwrite each other"; an
// unconditional PUT that overwrites the flight afterwards, or one that
// created it before the conditional PUTs, must not pass.
func TestCreateOnlyIsCreatedAndKeptByConditionalPuts(t *testing.T) {
	const star = ` -H 'If-None-Match: *'`
	for _, tc := range []struct {
		why   string
		lines []string
	}{
		{"an unconditional PUT overwrote the flight after the 412", []string{
			`PUT /flights/AC790 {"status":"ontime","gate":"e3"}` + star,
			`PUT /flights/AC790 {"status":"ontime","gate":"e2"}` + star,
			`PUT /flights/AC790 {"status":"ontime","gate":"e2"}`}},
		{"an unconditional PUT created the flight", []string{
			`PUT /flights/AC790 {"status":"ontime","gate":"e2"}`,
			`PUT /flights/AC790 {"status":"ontime","gate":"e2"}` + star + ` x2`}},
	} {
		e, c := learnerAt(t, "lost-updates", 4, nil)
		if ok, why := stepPasses(t, e, c, "", tc.lines...); ok {
			t.Errorf("%s, and the step passes:%s", tc.why, why)
		}
	}
	e, c := learnerAt(t, "lost-updates", 4, nil)
	if ok, why := stepPasses(t, e, c, "", `PUT /flights/AC790 {"status":"ontime","gate":"e2"}`+star+` x2`); !ok {
		t.Errorf("two create-only PUTs do not pass:%s", why)
	}
}

// TestRepeatedPutsChangeOnlyOnce: the steps that explain "the first PUT
// set it, and it stayed there for all the others" must not pass when the
// repeats were of another state and a last PUT changed it again.
func TestRepeatedPutsChangeOnlyOnce(t *testing.T) {
	for _, tc := range []struct {
		lesson      string
		step        int
		wrong       []string
		right       string
		detailsWant string
	}{
		{"idempotence", 0, []string{`PUT /accounts/42 {"balance":50} x99`, `PUT /accounts/42 {"balance":100}`},
			`PUT /accounts/42 {"balance":100} x100`, "/accounts/42 is changed once"},
		{"safe-vs-idempotent", 2, []string{`PUT /flights/AA123 {"status":"delayed","gate":"b12"} x4`, `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`},
			`PUT /flights/AA123 {"status":"ontime","gate":"b12"} x5`, "/flights/AA123 is changed once"},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.wrong...); ok {
			t.Errorf("%s#%d: repeats of another state, then one more change, pass:%s", tc.lesson, tc.step+1, why)
		}
		if d := detailOf(e, tc.detailsWant); !strings.Contains(d, "changed") || !strings.Contains(d, "reset the step") {
			t.Errorf("%s#%d: the checklist does not say there were too many changes: %q", tc.lesson, tc.step+1, d)
		}
		e, c = learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.right); !ok {
			t.Errorf("%s#%d: the right answer does not pass:%s", tc.lesson, tc.step+1, why)
		}
	}
}

// TestChangedByTakesACount: "changed-by … == N" reads back as written, and
// a count of none or words after the count are refused with a way out.
func TestChangedByTakesACount(t *testing.T) {
	for _, line := range []string{"changed-by PUT /a == 1", "changed-by PUT /a with If-Match etag == 2", "changed-by PUT /a >= 2", "changed-by PUT /a"} {
		p := &parser{}
		c := p.predicate(1, line)
		if c == nil || len(p.probs) > 0 {
			t.Errorf("%q: %v", line, p.probs)
			continue
		}
		if got := c.String(); got != line {
			t.Errorf("%q reads back as %q", line, got)
		}
	}
	for line, want := range map[string]string{
		"changed-by PUT /a == 0":   `unchanged /a`,
		"changed-by PUT /a == 1 x": `is not a count`,
		"changed-by PUT /a x2":     `nothing after it`,
	} {
		p := &parser{}
		if c := p.predicate(1, line); c != nil || len(p.probs) == 0 || !strings.Contains(p.probs[0].Msg, want) {
			t.Errorf("%q: %v, want a problem saying %q", line, p.probs, want)
		}
	}
}

// TestTheSamePutAgainChangesNothing: lesson 3's repeat step explains that
// each PUT replaced the flight with the same state, so none changed
// anything; PUTs of another state, then the right one, must not pass.
func TestTheSamePutAgainChangesNothing(t *testing.T) {
	e, c := learnerAt(t, "put-create", 1, nil)
	if ok, why := stepPasses(t, e, c, "", `PUT /flights/AC789 {"status":"boarding","gate":"c17"} x2`, `PUT /flights/AC789 {"status":"late","gate":"c17"}`); ok {
		t.Errorf("two PUTs of another state, then the right one, pass:%s", why)
	}
	if d := detailOf(e, "/flights/AC789 stays"); !strings.Contains(d, "reset the step") {
		t.Errorf("the checklist does not say to reset: %q", d)
	}
	e, c = learnerAt(t, "put-create", 1, nil)
	if ok, why := stepPasses(t, e, c, "", `PUT /flights/AC789 {"status":"late","gate":"c17"} x3`); !ok {
		t.Errorf("the same PUT three times does not pass:%s", why)
	}
}

// TestDeleteTwiceHearsBothAnswersFromDeletes: "204 No Content, then 404
// Not Found" must be what the DELETEs were answered: a flight deleted,
// put back, deleted again and then read (the 404 a GET's) must not pass.
func TestDeleteTwiceHearsBothAnswersFromDeletes(t *testing.T) {
	e, c := learnerAt(t, "delete-patch", 3, nil)
	if ok, why := stepPasses(t, e, c, "", `DELETE /flights/AA123`, `PUT /flights/AA123 {"status":"delayed","gate":"b14"}`, `DELETE /flights/AA123`, `GET /flights/AA123`); ok {
		t.Errorf("two DELETEs answered 204 and a GET's 404 pass:%s", why)
	}
	e, c = learnerAt(t, "delete-patch", 3, nil)
	if ok, why := stepPasses(t, e, c, "", `DELETE /flights/AA123 x2`); !ok {
		t.Errorf("the DELETE twice does not pass:%s", why)
	}
}

// TestThePutStepsNeedThePutToDoTheWork: steps that explain what a PUT did
// (created the flight with its complete state, replaced it, updated Joe)
// or what a merge patch changed must not pass when a PATCH did the work
// and the PUT (or the PATCH) around it changed nothing.
func TestThePutStepsNeedThePutToDoTheWork(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		wrong  []string
		right  []string
	}{
		{"final-challenge", 0, []string{`PUT /flights/UA456 {"status":"scheduled"}`, `PATCH /flights/UA456 {"gate":"d4"}`},
			[]string{`PUT /flights/UA456 {"status":"scheduled","gate":"d4"}`}},
		{"put-create", 0, []string{`PUT /flights/AC789 {"status":"late"}`, `PATCH /flights/AC789 {"gate":"c17"} -H 'Prefer: return=minimal'`},
			[]string{`PUT /flights/AC789 {"status":"late","gate":"c17"}`}},
		{"put-create", 2, []string{`PUT /flights/AC789 {"status":"boarding"} -H 'Prefer: return=minimal'`, `PATCH /flights/AC789 {"gate":"c17"} -H 'Prefer: return=minimal'`},
			[]string{`PUT /flights/AC789 {"status":"boarding","gate":"c17"} -H 'Prefer: return=minimal'`}},
		{"delete-patch", 0, []string{`PUT /flights/AA123 {"status":"delayed","gate":"b14"}`, `PATCH /flights/AA123 {"gate":"b14"}`},
			[]string{`PATCH /flights/AA123 {"gate":"b14"}`}},
		{"history", 4, []string{`PUT /flights/AA123 {"status":"delayed","gate":"b14"}`, `PATCH /flights/AA123 {"gate":"b14"}`},
			[]string{`PATCH /flights/AA123 {"gate":"b14"}`}},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.wrong...); ok {
			t.Errorf("%s#%d: %q passes:%s", tc.lesson, tc.step+1, tc.wrong, why)
		}
		e, c = learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.right...); !ok {
			t.Errorf("%s#%d: the right answer does not pass:%s", tc.lesson, tc.step+1, why)
		}
	}
}

// TestAnUndoIsAChange: an undo does not erase what happened in a step. A
// learner who makes a change the wrong way and undoes it, then sends the
// right answer (or nothing more), must not pass a step whose explanation
// says nothing else changed the resource; the checklist says an undo
// changed it and to reset the step. After a reset the right answer passes.
func TestAnUndoIsAChange(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		wrong  []string
		right  bool // send the step's solution after the undo
	}{
		{"lost-updates", 1, []string{`PUT /accounts/42 {"balance":100}`}, true},
		{"put-replace", 2, []string{`PATCH /flights/AA123 {"gate":"b12"}`}, true},
		{"idempotence", 0, []string{`PUT /accounts/42 {"balance":50} x99`}, true},
		{"put-create", 1, []string{`PUT /flights/AC789 {"status":"boarding","gate":"c17"} x2`}, true},
		{"put-create", 1, []string{`PUT /flights/AC789 {"status":"boarding","gate":"c18"} x3`}, false},
		{"lost-updates", 2, []string{`PUT /accounts/42 {"balance":50}`, `PUT /accounts/42 {"balance":50} -H 'If-Match: "8370641f88bfaead"'`}, false},
		{"safe-vs-idempotent", 2, []string{`PUT /flights/AA123 {"status":"ontime","gate":"b13"} x4`}, true},
		{"delete-patch", 1, []string{`PATCH /flights/AA123 {"gate":"b15"}`, `PATCH /flights/AA123 [{"op":"replace","path":"/gate","value":"b15"}] -H 'Content-Type: application/json-patch+json'`}, false},
	} {
		name := fmt.Sprintf("%s#%d %q", tc.lesson, tc.step+1, tc.wrong)
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.wrong...); ok {
			t.Fatalf("%s: the wrong change passes:%s", name, why)
		}
		if !e.srv.Undo() {
			t.Fatalf("%s: nothing to undo", name)
		}
		var right []string
		if tc.right {
			right = e.Solution()
		}
		ok, why := stepPasses(t, e, c, "", right...)
		if ok {
			t.Errorf("%s: undone, then %q, passes:%s", name, right, why)
		} else if !strings.Contains(why, "an undo changed") || !strings.Contains(why, "reset the step") {
			t.Errorf("%s: undone, the checklist does not say an undo changed it and to reset the step:%s", name, why)
		}
		e.ResetStep()
		if ok, why := stepPasses(t, e, c, "", e.Solution()...); !ok {
			t.Errorf("%s: after a reset the right answer does not pass:%s", name, why)
		}
	}
}

// TestAHiddenOutcomeOnlyAResetCanBringSaysToReset: lesson 9's browser step
// hides "two interest transactions"; a learner with three (a POST that
// was not retried, then one that was) is told to reset the step, not only
// that something is not seen yet.
func TestAHiddenOutcomeOnlyAResetCanBringSaysToReset(t *testing.T) {
	const interest = `POST /accounts/42/interest {"rate":0.10}`
	e, c := learnerAt(t, "network-failures", 3, nil)
	if ok, why := stepPasses(t, e, c, sim.RetryRFC9110, interest); ok {
		t.Fatalf("a POST the client did not retry passes:%s", why)
	}
	if ok, why := stepPasses(t, e, c, sim.RetryBrowser, interest); ok {
		t.Fatalf("three transactions pass:%s", why)
	}
	if d := detailOf(e, hiddenGoal); !strings.Contains(d, "reset the step") || strings.Contains(d, "expected") || !strings.Contains(d, "3 members new in /accounts/42/transactions") {
		t.Errorf("the hidden outcome does not say to reset and what went wrong, or gives it away: %q", d)
	}
	e, c = learnerAt(t, "network-failures", 3, nil)
	if ok, why := stepPasses(t, e, c, "", interest); !ok {
		t.Errorf("one POST the browser retried does not pass:%s", why)
	}
}

// TestTheNeverHeardStepsNeedEveryAnswerLost: lesson 9's steps that explain
// "your client got no response" and "you just never heard about it" must
// not pass when a request sent with the faults off was answered; the
// checklist says how to get the network back. The lost answers pass.
func TestTheNeverHeardStepsNeedEveryAnswerLost(t *testing.T) {
	for _, tc := range []struct {
		step int
		line string
		n    int
	}{
		{0, `PUT /accounts/42 {"balance":100}`, 1},
		{2, `POST /accounts/42/interest {"rate":0.10}`, 2},
	} {
		e, c := learnerAt(t, "network-failures", tc.step, nil)
		faults := c.Faults()
		put(t, c, tc.line)
		c.SetFaults(sim.FaultSettings{})
		if ok, why := stepPasses(t, e, c, "", tc.line); ok {
			t.Errorf("network-failures#%d: a request answered with the faults off passes:%s", tc.step+1, why)
		}
		if d := detailOf(e, "no "); !strings.Contains(d, "reached the client") || !strings.Contains(d, "network back") {
			t.Errorf("network-failures#%d: the checklist does not say how to get the network back: %q", tc.step+1, d)
		}
		e, c = learnerAt(t, "network-failures", tc.step, nil)
		c.SetFaults(faults)
		lines := make([]string, tc.n)
		for i := range lines {
			lines[i] = tc.line
		}
		if ok, why := stepPasses(t, e, c, "", lines...); !ok {
			t.Errorf("network-failures#%d: requests whose answers were lost do not pass:%s", tc.step+1, why)
		}
	}
}

// TestHeardIsForRequestChecks: "heard" reads back after the codes, and
// other checks refuse it with the reason.
func TestHeardIsForRequestChecks(t *testing.T) {
	for _, line := range []string{"request POST /a heard == 0", "request POST /a answered 201 heard", "request POST /a with Idempotency-Key heard >= 2"} {
		p := &parser{}
		if c := p.predicate(1, line); c == nil || len(p.probs) > 0 || c.String() != line {
			t.Errorf("%q: %v, read back as %v", line, p.probs, c)
		}
	}
	for _, line := range []string{"retried POST /a heard", "last-request PUT /a heard", "request POST /a heard heard"} {
		p := &parser{}
		if c := p.predicate(1, line); c != nil || len(p.probs) == 0 {
			t.Errorf("%q is not refused", line)
		}
	}
}

// TestTheSameAmountWrittenOtherwiseIsNoNewRequest: lesson 10's step about
// a key reused for a different request explains "charging the new request
// would break the key's promise"; the first payment's $25 written as 25.00
// is the same request, replayed, and does not pass. $30 does.
func TestTheSameAmountWrittenOtherwiseIsNoNewRequest(t *testing.T) {
	const key = ` -H 'Idempotency-Key: "pay-0001"'`
	e, c := learnerAt(t, "idempotency-keys", 2, nil)
	if ok, why := stepPasses(t, e, c, "", `POST /payments {"amount":25.00,"to":"ACME Air"}`+key); ok {
		t.Errorf("the same $25 written 25.00 passes as a different request:%s", why)
	}
	if ok, why := stepPasses(t, e, c, "", `POST /payments {"amount":30,"to":"ACME Air"}`+key); !ok {
		t.Errorf("$30 with the key does not pass:%s", why)
	}
}

// TestTheRetryReasonIsTheNewestRequests: the checklist says why the newest
// request was no retry of a lost answer, whatever an earlier one met: a
// retry after a drop, sent after a lost answer the client did not retry,
// is told as a retry after a drop.
func TestTheRetryReasonIsTheNewestRequests(t *testing.T) {
	const put100 = `PUT /accounts/42 {"balance":100}`
	e, c := learnerAt(t, "network-failures", 1, nil)
	if ok, why := stepPasses(t, e, c, sim.RetryNone, put100); ok {
		t.Fatalf("a lost answer not retried passes:%s", why)
	}
	c.SetFaults(sim.FaultSettings{DropRequests: true})
	if ok, why := stepPasses(t, e, c, sim.RetryRFC9110, put100); ok {
		t.Fatalf("a retry after a drop passes:%s", why)
	}
	if d := detailOf(e, "the client retries"); !strings.Contains(d, "dropped it before the server") {
		t.Errorf("the checklist does not tell the newest request's drop: %q", d)
	}
}

// TestTheLostCheckDoesNotSayTheNetworkIsNotSet: before any request in a
// step that loses responses, the checklist must not say the network has
// yet to be set; it names how to set it again in each front end.
func TestTheLostCheckDoesNotSayTheNetworkIsNotSet(t *testing.T) {
	e, _ := learnerAt(t, "idempotency-keys", 3, nil)
	d := detailOf(e, "a response is lost")
	if strings.Contains(d, "must be set") {
		t.Errorf("the checklist says the network is not set yet: %q", d)
	}
	if !strings.Contains(ForView(d, Screen), "press f") || !strings.Contains(ForView(d, Line), "faults on") {
		t.Errorf("the checklist does not say how to lose responses again: %q", d)
	}
}

// TestAHiddenOutcomeNotSeenSaysWhereToGo: after requests that did not show
// a hidden outcome, the checklist points on: try the task another way, or
// take a hint, named for each front end.
func TestAHiddenOutcomeNotSeenSaysWhereToGo(t *testing.T) {
	e, c := learnerAt(t, "delete-patch", 3, nil)
	put(t, c, `GET /flights/AA123`)
	d := detailOf(e, hiddenGoal)
	if !strings.Contains(d, "another way") || !strings.Contains(ForView(d, Line), "hint") || !strings.Contains(ForView(d, Screen), "h gives a hint") {
		t.Errorf("the hidden outcome gives no direction: %q", d)
	}
}

// TestTheBodiesTheServerCannotUseComeFromPosts: lesson 7's step explains
// the 415 and the 400 its POSTs got; a 400 from a PUT to a customer must
// not stand in for the POST's.
func TestTheBodiesTheServerCannotUseComeFromPosts(t *testing.T) {
	const form = `curl -X POST http://localhost:8080/customers -d 'name=Joe'`
	e, c := learnerAt(t, "status-codes", 3, nil)
	if ok, why := stepPasses(t, e, c, "", form, form,
		`curl -X PUT http://localhost:8080/customers/5 -H 'Content-Type: application/json' -d '{"name": Joe}'`); ok {
		t.Errorf("a PUT's 400 passes for the POST's:%s", why)
	}
	e, c = learnerAt(t, "status-codes", 3, nil)
	if ok, why := stepPasses(t, e, c, "", form,
		`curl -X POST http://localhost:8080/customers -H 'Content-Type: application/json' -d '{"name": Joe}'`); !ok {
		t.Errorf("the two POSTs do not pass:%s", why)
	}
}

// TestAnsweredCodesAreListedInTheOrderTheyCame: lesson 7's first step
// tells the codes the PUTs got so far as they came: 201, then 200.
func TestAnsweredCodesAreListedInTheOrderTheyCame(t *testing.T) {
	e, c := learnerAt(t, "status-codes", 0, nil)
	put(t, c, `PUT /flights/AC789 {"status":"late","gate":"c17"} x2`)
	if d := detailOf(e, "a PUT request to /flights/AC789 answered 204"); !strings.Contains(d, "answered 201, 200,") {
		t.Errorf("the codes are not in the order they came: %q", d)
	}
}

// The learner histories of the fourth play-test.

// TestPostStepsNeedTheMemberAPostMade: a POST refused (415, 400) and a
// member made by a PUT to a made-up URL must not pass a step whose
// explanation speaks of what the POST created; the POST itself passes.
func TestPostStepsNeedTheMemberAPostMade(t *testing.T) {
	const refused = `POST /customers {"name":"Joe"} -H "Content-Type: text/plain"`
	for _, tc := range []struct {
		lesson string
		step   int
		wrong  []string
	}{
		{"post-create", 0, []string{refused, `PUT /customers/1 {"name":"Joe","age":"29","city":"ajax"}`}},
		{"status-codes", 1, []string{refused, `PUT /customers/5 {"name":"Joe"}`}},
		{"final-challenge", 2, []string{refused, `PUT /customers/7 {"name":"Joe","flight":"AA123"}`}},
		{"safe-vs-idempotent", 3, []string{`POST /customers {"name":"Ann","city":"ajax"}`, refused, `PUT /customers/9 {"name":"Ann","city":"ajax"}`}},
		{"history", 1, []string{`HEAD /flights/AA123`, refused, `PUT /customers/9 {"name":"Joe"}`}},
		{"idempotency-keys", 0, []string{`POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: pay-0001'`, `PUT /payments/1 {"amount":25,"to":"ACME Air"}`}},
		{"idempotency-keys", 0, []string{`POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: pay-0001'`, `POST /payments {"amount":25,"to":"ACME Air"}`}},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.wrong...); ok {
			t.Errorf("%s#%d: %q passes:%s", tc.lesson, tc.step+1, tc.wrong, why)
		}
		e, c = learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", e.Step().Solution...); !ok {
			t.Errorf("%s#%d: the solution does not pass:%s", tc.lesson, tc.step+1, why)
		}
	}
	e, c := learnerAt(t, "post-create", 0, nil)
	stepPasses(t, e, c, "", refused, `PUT /customers/1 {"name":"Joe","age":"29","city":"ajax"}`)
	if d := detailOf(e, "1 member new"); !strings.Contains(d, "/customers/1 was created by a PUT to /customers/1, not by a POST to /customers") {
		t.Errorf("the checklist does not say the member was made by a PUT: %q", d)
	}
}

// TestResendingYourOwnCreatingPutPasses: a learner who created AC789 with a
// field of their own, and resends that very request, changes nothing; the
// step's setup must not put the lesson's body back and call the resends a
// change. A PUT of another state still does not pass.
func TestResendingYourOwnCreatingPutPasses(t *testing.T) {
	const own = `PUT /flights/AC789 {"status":"late","gate":"c17","airline":"Air Canada"}`
	for _, tc := range []struct {
		lines []string
		pass  bool
	}{
		{[]string{own + " x3"}, true},
		{[]string{`PUT /flights/AC789 {"status":"late","gate":"c17"} x3`}, false},
	} {
		e, c := learnerAt(t, "put-create", 1, func(e *Engine, c *sim.Client) { put(t, c, own) })
		if ok, why := stepPasses(t, e, c, "", tc.lines...); ok != tc.pass {
			t.Errorf("%q after creating the flight with %q: passes %v, want %v:%s", tc.lines, own, ok, tc.pass, why)
		}
	}
	e, c := learnerAt(t, "put-create", 1, nil)
	if ok, why := stepPasses(t, e, c, "", e.Step().Solution...); !ok {
		t.Errorf("the solution does not pass for a learner who skipped ahead:%s", why)
	}
}

// TestTheReadBeforeTheStepCounts: teller B, who read the account again
// right after the 412 (at the end of the step before), and PUTs with the
// ETag she read, makes the guarded update the step asks for; a PUT with no
// If-Match still does not pass.
func TestTheReadBeforeTheStepCounts(t *testing.T) {
	var tag string
	readFirst := func(e *Engine, c *sim.Client) {
		for e.StepIndex() < 2 {
			e.Next()
		}
		put(t, c, `GET /accounts/42`)
		_, tag, _ = e.srv.Resource("/accounts/42")
	}
	e, c := learnerAt(t, "lost-updates", 3, readFirst)
	if ok, why := stepPasses(t, e, c, "", `PUT /accounts/42 {"balance":70} -H 'If-Match: `+tag+`'`); !ok {
		t.Errorf("a guarded PUT with the ETag read at the end of the step before does not pass:%s", why)
	}
	e, c = learnerAt(t, "lost-updates", 3, readFirst)
	if ok, why := stepPasses(t, e, c, "", `PUT /accounts/42 {"balance":70}`); ok {
		t.Errorf("an unguarded PUT passes:%s", why)
	}
}

// TestARewriteToTheSameValueIsNoChange: a hundred PUTs of the balance, half
// written 100.00 and half 100, set it once; a PUT of another balance
// between them still counts as a second change.
func TestARewriteToTheSameValueIsNoChange(t *testing.T) {
	e, c := learnerAt(t, "idempotence", 0, nil)
	if ok, why := stepPasses(t, e, c, "", `PUT /accounts/42 {"balance":100.00} x50`, `PUT /accounts/42 {"balance":100} x50`); !ok {
		t.Errorf("100.00 then 100 does not pass:%s", why)
	}
	e, c = learnerAt(t, "idempotence", 0, nil)
	if ok, why := stepPasses(t, e, c, "", `PUT /accounts/42 {"balance":100.00} x50`, `PUT /accounts/42 {"balance":100.5}`, `PUT /accounts/42 {"balance":1e2} x49`); ok {
		t.Errorf("a PUT of another balance between them passes:%s", why)
	}
}

// TestAnOldKeyInAFreshStartIsNoDeadEnd: the payments start over in "Same
// key, different request", so a key of the learner's own from the first
// step is gone; the step says so, the second charge it makes does not pass,
// and after a reset the key the step names does.
func TestAnOldKeyInAFreshStartIsNoDeadEnd(t *testing.T) {
	e, c := learnerAt(t, "idempotency-keys", 2, func(e *Engine, c *sim.Client) {
		put(t, c, `POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: "k-77"'`)
	})
	if !strings.Contains(e.Step().Text, "started the payments over") || !strings.Contains(e.Step().Text, "is gone") {
		t.Errorf("the step does not say its payments started over: %q", e.Step().Text)
	}
	if ok, why := stepPasses(t, e, c, "", `POST /payments {"amount":30,"to":"ACME Air"} -H 'Idempotency-Key: "k-77"'`); ok {
		t.Errorf("a second charge passes:%s", why)
	}
	if d := detailOf(e, "no new member"); !strings.Contains(d, "reset the step") {
		t.Errorf("the checklist does not say to reset the step: %q", d)
	}
	e.ResetStep()
	if ok, why := stepPasses(t, e, c, "", `POST /payments {"amount":30,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0001"'`); !ok {
		t.Errorf("after a reset, the key the step names does not pass:%s", why)
	}
}

// TestFollowingTheLocationReadsAMember: a GET of a customer that is not
// there (404), then of the collection (200), read no customer; "The
// customer is there" would be untrue.
func TestFollowingTheLocationReadsAMember(t *testing.T) {
	refusesThenPasses(t, "post-create", 1, "", []string{`GET /customers/99`, `GET /customers`}, nil)
}

// TestNothingAppliedMeansNothingChanged: a merge patch that moved the gate,
// then a form-encoded patch refused with 415, must not pass with "The gate
// is still … — nothing was applied".
func TestNothingAppliedMeansNothingChanged(t *testing.T) {
	refusesThenPasses(t, "delete-patch", 1, "", []string{
		`PATCH /flights/AA123 {"gate":"b15"} -H "Content-Type: application/merge-patch+json"`,
		`curl -X PATCH localhost/flights/AA123 -d 'gate=b16'`}, nil)
}

// TestAnAnswerLostUnretriedIsNotCalledHeard: a DELETE whose 204 was lost
// under a policy that does not retry it, then a DELETE retried under
// rfc9110 (404), does not pass; the checklist must not say the first
// answer was heard.
func TestAnAnswerLostUnretriedIsNotCalledHeard(t *testing.T) {
	e, c := learnerAt(t, "final-challenge", 4, nil)
	c.SetRetry(sim.RetryGo)
	put(t, c, `DELETE /flights/UA456`)
	if ok, why := stepPasses(t, e, c, sim.RetryRFC9110, `DELETE /flights/UA456`); ok {
		t.Errorf("a DELETE whose work an unretried one did passes:%s", why)
	}
	d := detailOf(e, "the client retries")
	if strings.Contains(d, "heard") || !strings.Contains(d, "an earlier request had done the work") {
		t.Errorf("the checklist says: %q", d)
	}
}

// TestFaultsOffThenTheRetryStepSaysReset: a keyed payment sent with the
// faults off was heard; the step about a lost answer retried says to reset
// the step at once, not to switch the faults back on (a resend would only
// be a replay). After a reset the payment passes.
func TestFaultsOffThenTheRetryStepSaysReset(t *testing.T) {
	const pay = `POST /payments {"amount":40,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0002"'`
	e, c := learnerAt(t, "idempotency-keys", 3, nil)
	c.SetFaults(sim.FaultSettings{})
	if ok, why := stepPasses(t, e, c, "", pay); ok {
		t.Fatalf("a payment heard at once passes:%s", why)
	}
	if d := detailOf(e, "a response is lost"); !strings.Contains(d, "reset the step") || strings.Contains(d, "faults on") {
		t.Errorf("the checklist does not say to reset the step: %q", d)
	}
	e.ResetStep()
	applyNetwork(c, e.Step())
	if ok, why := stepPasses(t, e, c, "", pay); !ok {
		t.Errorf("after a reset, the payment does not pass:%s", why)
	}
}

// TestTheLinkStepNamesItsPath: the step counts LINK or UNLINK to
// /flights/AA123 only, so its text and hint must say where to send it.
func TestTheLinkStepNamesItsPath(t *testing.T) {
	e, c := learnerAt(t, "history", 2, nil)
	st := e.Step()
	if !strings.Contains(st.Text, "/flights/AA123") || len(st.Hints) == 0 || !strings.Contains(st.Hints[0], "/flights/AA123") {
		t.Errorf("the step does not name the path it counts: %q; hints %q", st.Text, st.Hints)
	}
	refusesThenPasses(t, "history", 2, "", []string{`LINK /customers`, `LINK /`}, nil)
	if ok, why := stepPasses(t, e, c, "", `UNLINK /flights/AA123`); !ok {
		t.Errorf("UNLINK does not pass:%s", why)
	}
}

// TestTheFirstNotYetLineNamesTheRefusal: a request refused for its header
// is named first in the checklist by the status it got, not by a field
// that did not change.
func TestTheFirstNotYetLineNamesTheRefusal(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		line   string
		want   string
	}{
		{"idempotency-keys", 0, `POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: pay-0001'`, "400"},
		{"delete-patch", 0, `curl -X PATCH localhost/flights/AA123 -H 'Content-Type: application/json' -d '{"gate":"b14"}'`, "415"},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.line); ok {
			t.Errorf("%s#%d: %q passes:%s", tc.lesson, tc.step+1, tc.line, why)
		}
		for _, r := range e.Observe().Results {
			if !r.OK {
				if !strings.Contains(r.Detail, tc.want) {
					t.Errorf("%s#%d: the first unmet check says %q, not the %s", tc.lesson, tc.step+1, r.Detail, tc.want)
				}
				break
			}
		}
		e, c = learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", e.Step().Solution...); !ok {
			t.Errorf("%s#%d: the solution does not pass:%s", tc.lesson, tc.step+1, why)
		}
	}
}

// TestReadStepsSayWhatTheyCount: the steps that count only GETs to one path
// say which: the account read with GET ten times, the HTTP/0.9 request for
// the flight.
func TestReadStepsSayWhatTheyCount(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		want   string
		wrong  []string
	}{
		{"safe-vs-idempotent", 0, "with GET", []string{`HEAD /accounts/42 x10`}},
		{"history", 0, "/flights/AA123", []string{`GET /customers`}},
	} {
		e, _ := learnerAt(t, tc.lesson, tc.step, nil)
		if !strings.Contains(e.Step().Text, tc.want) {
			t.Errorf("%s#%d does not say %q: %q", tc.lesson, tc.step+1, tc.want, e.Step().Text)
		}
		refusesThenPasses(t, tc.lesson, tc.step, "", tc.wrong, nil)
	}
}

// TestALostErrorIsNotWorkAnEarlierRequestDid: a keyed payment refused for
// its unquoted key, its 400 lost and retried, did nothing: no earlier
// request did the work either. The checklist says the lost answer was an
// error and what the server said; the quoted key then passes without a
// reset.
func TestALostErrorIsNotWorkAnEarlierRequestDid(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		bad    string
		good   string
	}{
		{"final-challenge", 3, `POST /payments {"amount":5,"to":"flight alerts"} -H "Idempotency-Key: joe-1"`, `POST /payments {"amount":5,"to":"flight alerts"} -H 'Idempotency-Key: "joe-1"'`},
		{"idempotency-keys", 3, `POST /payments {"amount":40,"to":"ACME Air"} -H "Idempotency-Key: pay-0002"`, `POST /payments {"amount":40,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0002"'`},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.bad); ok {
			t.Fatalf("%s#%d: an unquoted key passes:%s", tc.lesson, tc.step+1, why)
		}
		d := detailOf(e, "the client retries")
		if strings.Contains(d, "earlier request") || !strings.Contains(d, "400 Bad Request") || !strings.Contains(d, "the server said") || strings.Contains(d, "reset the step") {
			t.Errorf("%s#%d: the checklist does not say the lost answer was an error: %q", tc.lesson, tc.step+1, d)
		}
		if ok, why := stepPasses(t, e, c, "", tc.good); !ok {
			t.Errorf("%s#%d: the quoted key after the unquoted one does not pass:%s", tc.lesson, tc.step+1, why)
		}
	}
}

// TestAnyNamesAReasonOnce: lesson 12, step 5 takes a PATCH's change or
// none; after a PUT changed the flight, both ways give the same reason,
// which the checklist says once.
func TestAnyNamesAReasonOnce(t *testing.T) {
	e, c := learnerAt(t, "history", 4, nil)
	if ok, why := stepPasses(t, e, c, "", `PUT /flights/AA123 {"status":"delayed","gate":"b14"}`, `PATCH /flights/AA123 {"gate":"b14"}`); ok {
		t.Fatalf("a PUT's change passes the PATCH step:%s", why)
	}
	d := detailOf(e, "one of:")
	if d == "" || strings.Count(d, "a PUT changed /flights/AA123") != 1 {
		t.Errorf("the reason is not said once: %q", d)
	}
}

// TestADroppedRequestIsNamed: a GET the network dropped before the server
// is not "no GET request yet" right after the learner sent it: the
// checklist says the network dropped it and how to turn the faults off.
func TestADroppedRequestIsNamed(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		get    string
	}{{"history", 0, "GET /flights/AA123"}, {"safe-vs-idempotent", 0, "GET /accounts/42"}} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		c.SetFaults(sim.FaultSettings{DropRequests: true})
		if ok, why := stepPasses(t, e, c, "", tc.get); ok {
			t.Fatalf("%s#%d: a dropped GET passes:%s", tc.lesson, tc.step+1, why)
		}
		var d string
		for _, r := range e.Observe().Results {
			if strings.Contains(r.Desc, "GET") && !r.OK {
				d = r.Detail
			}
		}
		if strings.Contains(d, "yet") || !strings.Contains(d, "dropped") || !strings.Contains(d, "faults off") {
			t.Errorf("%s#%d: the checklist does not say the network dropped the GET: %q", tc.lesson, tc.step+1, d)
		}
	}
}

// TestRefusedRequestsAreSaidToBeRefused: lesson 5, step 2 counts interest
// POSTs; two refused with 422 are not progress the checklist can leave
// unsaid: it says they were refused.
func TestRefusedRequestsAreSaidToBeRefused(t *testing.T) {
	e, c := learnerAt(t, "idempotence", 1, nil)
	if ok, why := stepPasses(t, e, c, "", `POST /accounts/42/interest {"rate":10}`, `POST /accounts/42/interest {"rate":"0.10"}`); ok {
		t.Fatalf("two refused POSTs pass:%s", why)
	}
	if d := detailOf(e, "at least 3 POST"); !strings.Contains(d, "2 of them were refused (422 ×2)") {
		t.Errorf("the checklist does not say the POSTs were refused: %q", d)
	}
}

// TestARefusedConditionSaysWhy: lesson 11's guarded updates refused with
// 412 say why: a weak tag never matches If-Match (step 2); a stale tag
// needs the account read again for the current one (step 4).
func TestARefusedConditionSaysWhy(t *testing.T) {
	for _, tc := range []struct {
		step int
		line string
		want string
	}{
		{1, `PUT /accounts/42 {"balance":100} -H 'If-Match: W/"ETAG"'`, "weak tag"},
		{3, `PUT /accounts/42 {"balance":70} -H 'If-Match: "8370641f88bfaead"'`, "GET /accounts/42 again"},
	} {
		e, c := learnerAt(t, "lost-updates", tc.step, nil)
		_, etag, _ := e.srv.Resource("/accounts/42")
		line := strings.ReplaceAll(tc.line, `"ETAG"`, etag)
		if ok, why := stepPasses(t, e, c, "", line); ok {
			t.Fatalf("#%d: a refused update passes:%s", tc.step+1, why)
		}
		if d := detailOf(e, "/accounts/42 is changed"); !strings.Contains(d, "412") || !strings.Contains(d, tc.want) {
			t.Errorf("#%d: the checklist does not say why the 412: %q", tc.step+1, d)
		}
	}
}

// TestThePreferStepSaysWhatToSend: lesson 3, step 3 asks for
// Prefer: return=minimal; a PUT without it is told the value, not
// "Prefer: …", and one with another preference, answered 200, is pointed
// to the hint.
func TestThePreferStepSaysWhatToSend(t *testing.T) {
	const put = `PUT /flights/AC789 {"status":"boarding","gate":"c17"}`
	e, c := learnerAt(t, "put-create", 2, nil)
	if ok, why := stepPasses(t, e, c, "", put); ok {
		t.Fatalf("a PUT without Prefer passes:%s", why)
	}
	if d := detailOf(e, "your last request is"); !strings.Contains(d, "-H 'Prefer: return=minimal'") {
		t.Errorf("the checklist does not say which Prefer to send: %q", d)
	}
	if ok, why := stepPasses(t, e, c, "", put+` -H 'Prefer: return=representation'`); ok {
		t.Fatalf("another preference passes:%s", why)
	}
	if d := detailOf(e, hiddenGoal); !strings.Contains(d, "200 OK") || !strings.Contains(d, "hint") {
		t.Errorf("the 200 gives no direction: %q", d)
	}
}

// TestAnUndoOfTheSetupSaysSo: an undo at the start of lesson 2, step 3
// takes back the lesson's own setup, not a change of the learner's in
// the step; the checklist says so, and to reset the step.
func TestAnUndoOfTheSetupSaysSo(t *testing.T) {
	e, c := learnerAt(t, "put-replace", 2, nil)
	if !e.srv.Undo() {
		t.Fatal("nothing to undo")
	}
	if ok, why := stepPasses(t, e, c, "", e.Solution()...); ok {
		t.Fatalf("the step passes after an undo of its setup:%s", why)
	}
	d := detailOf(e, "/flights/AA123 is changed")
	if !strings.Contains(d, "made before it began") || !strings.Contains(d, "reset the step") {
		t.Errorf("the checklist does not say the undo took back what came before the step: %q", d)
	}
	e, c = learnerAt(t, "put-replace", 2, nil)
	put(t, c, `PUT /flights/AA123 {"status":"delayed","gate":"a1"}`)
	e.srv.Undo()
	if d := detailOf(e, "/flights/AA123 is changed"); strings.Contains(d, "before it began") || !strings.Contains(d, "an undo changed") {
		t.Errorf("an undo of the step's own PUT is told as one of the setup: %q", d)
	}
}

// TestAStateAnUndoMadeDoesNotPass: an undo does not erase what happened in
// a step, so the state it puts back is not what the step's requests made:
// lesson 2, step 1 with the right state PATCHed, a wrong PUT and its undo
// must not pass with "replaced by exactly the body you sent"; lesson 9,
// step 4 with three interest transactions, one undone, must not pass with
// two. A reset, then the right answer, passes.
func TestAStateAnUndoMadeDoesNotPass(t *testing.T) {
	const interest = `POST /accounts/42/interest {"rate":0.10}`
	for _, tc := range []struct {
		lesson string
		step   int
		lines  []string
		policy []sim.RetryPolicy
	}{
		{"put-replace", 0, []string{`PATCH /flights/AA123 {"status":"ontime","gate":"b12"}`, `PUT /flights/AA123 {"status":"delayed","gate":"a7"}`}, nil},
		{"network-failures", 3, []string{interest, interest}, []sim.RetryPolicy{sim.RetryRFC9110, sim.RetryBrowser}},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		for i, line := range tc.lines {
			var p sim.RetryPolicy
			if tc.policy != nil {
				p = tc.policy[i]
			}
			if ok, why := stepPasses(t, e, c, p, line); ok {
				t.Fatalf("%s#%d: %q passes:%s", tc.lesson, tc.step+1, line, why)
			}
		}
		if !e.srv.Undo() {
			t.Fatalf("%s#%d: nothing to undo", tc.lesson, tc.step+1)
		}
		if ok, why := stepPasses(t, e, c, ""); ok {
			t.Errorf("%s#%d: the undo passes the step:%s", tc.lesson, tc.step+1, why)
		} else if !strings.Contains(why, "an undo") || !strings.Contains(why, "reset the step") {
			t.Errorf("%s#%d: the checklist does not say the undo made it and to reset:%s", tc.lesson, tc.step+1, why)
		}
		e.ResetStep()
		applyNetwork(c, e.Step())
		if ok, why := stepPasses(t, e, c, "", e.Solution()...); !ok {
			t.Errorf("%s#%d: after a reset the right answer does not pass:%s", tc.lesson, tc.step+1, why)
		}
	}
}

// TestOnePutResetsTheBalanceOnlyWhenAPutDid: "One PUT, and the balance is
// $100 again" is untrue when a PUT set another balance and a PATCH set 100.
func TestOnePutResetsTheBalanceOnlyWhenAPutDid(t *testing.T) {
	refusesThenPasses(t, "idempotence", 3, "", []string{
		`PUT /accounts/42 {"balance":5}`,
		`PATCH /accounts/42 {"balance":100}`}, nil)
}

// TestTheGateChangeLeavesTheStatusAlone: "{"gate":"b14"} leaves the status
// alone" is untrue when a PUT overwrote the status and a PATCH set it back.
func TestTheGateChangeLeavesTheStatusAlone(t *testing.T) {
	refusesThenPasses(t, "final-challenge", 1, "", []string{
		`PUT /flights/AA123 {"status":"ontime","gate":"b14"}`,
		`PATCH /flights/AA123 {"status":"delayed"}`}, nil)
}

// TestRefusedRepeatsAreNotRepeats: "send it N times" steps explain what
// every repeat did; repeats the server refused (412, 415, 422) did nothing
// of the kind and do not count.
func TestRefusedRepeatsAreNotRepeats(t *testing.T) {
	refusesThenPasses(t, "idempotence", 0, "", []string{
		`PUT /accounts/42 {"balance":100}`,
		`PUT /accounts/42 {"balance":100} -H 'If-Match: "nope"' x99`}, nil)
	refusesThenPasses(t, "safe-vs-idempotent", 2, "", []string{
		`PUT /flights/AA123 {"status":"ontime","gate":"b12"}`,
		`PUT /flights/AA123 {"status":"ontime","gate":"b12"} -H 'Content-Type: text/plain' x4`}, nil)
	refusesThenPasses(t, "idempotency-keys", 1, "", []string{
		`POST /payments {"amount":30,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0001"' x2`,
		`POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0001"'`},
		[]string{`POST /payments {"amount":25,"to":"ACME Air"} -H 'Idempotency-Key: "pay-0001"' x3`})
}

// TestAnAnswerTheClientNeverHeardIsNotRead: steps whose explanations say
// what the client read in a response (its ETag, its Allow, its Location)
// do not pass when the network lost that response.
func TestAnAnswerTheClientNeverHeardIsNotRead(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		lines  []string
	}{
		{"meet-the-server", 0, []string{`GET /flights/AA123`}},
		{"meet-the-server", 1, []string{`HEAD /flights/AA123`}},
		{"meet-the-server", 2, []string{`OPTIONS /flights/AA123`, `OPTIONS /customers`}},
		{"status-codes", 1, []string{`POST /customers {"name":"Joe"}`}},
		{"lost-updates", 0, []string{`GET /accounts/42`}},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		c.SetFaults(sim.FaultSettings{LoseResponses: true})
		if ok, why := stepPasses(t, e, c, sim.RetryNone, tc.lines...); ok {
			t.Errorf("%s step %d: answers the client never heard pass:%s", tc.lesson, tc.step+1, why)
		}
		// The way out is named: the step's own network, by a reset.
		if d := e.Observe().NotYet(); !strings.Contains(d, "lost the answer") || !strings.Contains(d, "reset the step") {
			t.Errorf("%s step %d: with the answers lost, the checklist says %q, not that they were lost and how to get the network back", tc.lesson, tc.step+1, d)
		}
		e, c = learnerAt(t, tc.lesson, tc.step, nil)
		if ok, why := stepPasses(t, e, c, "", tc.lines...); !ok {
			t.Errorf("%s step %d: the right answer does not pass:%s", tc.lesson, tc.step+1, why)
		}
	}
}

// TestTheRetriedPutLeavesTheBalanceAsItWas: "the balance is still $100" is
// untrue when a PUT of another balance came first.
func TestTheRetriedPutLeavesTheBalanceAsItWas(t *testing.T) {
	refusesThenPasses(t, "network-failures", 1, "", []string{
		`PUT /accounts/42 {"balance":90}`,
		`PUT /accounts/42 {"balance":100}`}, nil)
}

// TestAKeylessPostIsToldToCarryTheKey: a POST without an Idempotency-Key
// whose answer was lost under Go's policy is not retried for want of the
// key, not of the policy; the checklist says to add the key, not to reset.
func TestAKeylessPostIsToldToCarryTheKey(t *testing.T) {
	e, c := learnerAt(t, "final-challenge", 3, nil)
	if ok, _ := stepPasses(t, e, c, "", `POST /payments {"amount":5,"to":"flight alerts"}`); ok {
		t.Fatal("a POST without a key passes")
	}
	if d := detailOf(e, "the client retries"); !strings.Contains(d, "no Idempotency-Key") || strings.Contains(d, "reset") {
		t.Errorf("the checklist does not say the key is missing: %q", d)
	}
}

// TestOnceAnUndoBlocksTheStepTheFirstLineSaysReset: after an undo that only
// a reset of the step gets past, "Not yet" (all the full screen's status
// line shows) leads with the reset, before and after the right request.
func TestOnceAnUndoBlocksTheStepTheFirstLineSaysReset(t *testing.T) {
	for _, tc := range []struct {
		lesson      string
		step        int
		first, then string
	}{
		{"post-create", 3, `POST /customers {"name":"Joe"}`, `POST /customers {"name":"Joe"}`},
		{"final-challenge", 3, `POST /payments {"amount":5,"to":"flight alerts"}`, `POST /payments {"amount":5,"to":"flight alerts"} -H 'Idempotency-Key: "k-joe"'`},
		{"lost-updates", 1, `PUT /accounts/42 {"balance":120}`, `PUT /accounts/42 {"balance":120}`},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		put(t, c, tc.first)
		if !e.srv.Undo() {
			t.Fatalf("%s step %d: nothing to undo", tc.lesson, tc.step+1)
		}
		// Front ends read the line after ForView.
		if n := e.Observe().ForView(Line).NotYet(); !strings.Contains(n, "reset the step (type reset)") {
			t.Errorf("%s step %d: after the undo: %q", tc.lesson, tc.step+1, n)
		}
		put(t, c, tc.then)
		if s := e.Observe().ForView(Screen); s.Passed || !strings.Contains(s.NotYet(), "reset the step (R, then s)") {
			t.Errorf("%s step %d: after the undo and %s: passed %v, %q", tc.lesson, tc.step+1, tc.then, s.Passed, s.NotYet())
		}
	}
}

// TestHalfwayTheHiddenGoalSaysWhatIsLeft: a learner halfway through a task
// whose hidden outcome the rest of it shows is told what is left, not to
// try the task another way.
func TestHalfwayTheHiddenGoalSaysWhatIsLeft(t *testing.T) {
	for _, tc := range []struct {
		lesson string
		step   int
		line   string
	}{
		{"lost-updates", 4, `PUT /flights/AC790 {"status":"ontime","gate":"e2"} -H 'If-None-Match: *'`},
		{"delete-patch", 3, `DELETE /flights/AA123`},
		{"status-codes", 2, `DELETE /customers`},
	} {
		e, c := learnerAt(t, tc.lesson, tc.step, nil)
		put(t, c, tc.line)
		for _, v := range []View{Screen, Line} {
			for _, r := range e.Observe().ForView(v).Checklist() {
				if strings.HasPrefix(r.Desc, hiddenGoal) && (strings.Contains(r.Detail, "another way") || !strings.Contains(r.Detail, "not done")) {
					t.Errorf("%s step %d: %s — %s", tc.lesson, tc.step+1, r.Desc, r.Detail)
				}
			}
		}
	}
}

// TestARefusalTheStepAsksForIsNotToldAsAMistake: in lesson 7, step 4 the
// 400 for broken JSON is one of the two answers the step is after; the line
// asks for the next request, not to read why it was refused.
func TestARefusalTheStepAsksForIsNotToldAsAMistake(t *testing.T) {
	e, c := learnerAt(t, "status-codes", 3, nil)
	put(t, c, `curl -X POST http://localhost:8080/customers -H 'Content-Type: application/json' -d '{"name": Joe}'`)
	if n := e.Observe().NotYet(); strings.Contains(n, "changes nothing") || !strings.Contains(n, "next one") {
		t.Errorf("after the 400: %q", n)
	}
}

// TestAnEarlyUndoIsOneSentence: an undo at the start of a step is told in
// one sentence that names what it changed.
func TestAnEarlyUndoIsOneSentence(t *testing.T) {
	e, _ := learnerAt(t, "put-replace", 2, nil)
	if !e.srv.Undo() {
		t.Fatal("nothing to undo")
	}
	want := "an undo in this step took back a change to /flights/AA123 made before it began (the step's setup, or an earlier step's), so it is not as the step found it"
	if d := detailOf(e, "/flights/AA123 is changed"); !strings.HasPrefix(d, want) {
		t.Errorf("got %q", d)
	}
}

// TestAnOwnKeyInTheSameKeyStepIsToldToReset: in lesson 10, step 3 a POST
// under a key of the learner's own makes a payment the step cannot take
// back; the first reason says to reset, not to try the task another way.
func TestAnOwnKeyInTheSameKeyStepIsToldToReset(t *testing.T) {
	e, c := learnerAt(t, "idempotency-keys", 2, nil)
	put(t, c, `POST /payments {"amount":30,"to":"ACME Air"} -H 'Idempotency-Key: "mine-1"'`)
	if n := e.Observe().ForView(Line).NotYet(); !strings.Contains(n, "1 member new in /payments") || !strings.Contains(n, "reset the step (type reset)") {
		t.Errorf("%q", n)
	}
}
