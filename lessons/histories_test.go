package lessons

import (
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
