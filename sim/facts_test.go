package sim

import (
	"net/http"
	"strings"
	"testing"
)

// step is one request of a scripted scenario and what must come back.
type step struct {
	method, target, body string
	header               []string
	status               int
	want                 map[string]string // response headers: value, or "*" for present
	absent               []string          // response headers that must not be there
	bodyHas              string
}

// TestHTTPFactsExchanges plays every exchange listed at the end of
// HTTP-FACTS.md through the handler, on a fresh "all" fixture each.
func TestHTTPFactsExchanges(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
		after map[string]string // resources afterwards ("(absent)" for none)
	}{
		{
			name: "PutCreatesThen200AndStateUnchanged",
			steps: []step{
				{method: "PUT", target: "/flights/AC789", body: `{"status":"late","gate":"c17"}`, status: 201, want: map[string]string{"Location": "/flights/AC789"}},
				{method: "PUT", target: "/flights/AC789", body: `{"status":"late","gate":"c17"}`, status: 200, bodyHas: `"status":"late"`},
			},
			after: map[string]string{"/flights/AC789": `{"gate":"c17","status":"late"}`},
		},
		{
			name: "PostCustomersTwiceCreatesTwoMembers",
			steps: []step{
				{method: "POST", target: "/customers", body: `{"name":"Joe","age":"29","city":"ajax"}`, status: 201, want: map[string]string{"Location": "/customers/1"}},
				{method: "POST", target: "/customers", body: `{"name":"Joe","age":"29","city":"ajax"}`, status: 201, want: map[string]string{"Location": "/customers/2"}},
			},
			after: map[string]string{"/customers/1": `{"age":"29","city":"ajax","name":"Joe"}`, "/customers/2": `{"age":"29","city":"ajax","name":"Joe"}`},
		},
		{
			name:  "PutBalanceAHundredTimesLeavesOneHundred",
			steps: repeatStep(100, step{method: "PUT", target: "/accounts/42", body: `{"balance":100}`, status: 200}),
			after: map[string]string{"/accounts/42": `{"balance":100}`},
		},
		{
			name: "PostInterestThreeTimesCompounds",
			steps: []step{
				{method: "PUT", target: "/accounts/42", body: `{"balance":100}`, status: 200},
				{method: "POST", target: "/accounts/42/interest", body: `{"rate":0.10}`, status: 201, want: map[string]string{"Location": "/accounts/42/transactions/1"}},
				{method: "POST", target: "/accounts/42/interest", body: `{"rate":0.10}`, status: 201, want: map[string]string{"Location": "/accounts/42/transactions/2"}},
				{method: "POST", target: "/accounts/42/interest", body: `{"rate":0.10}`, status: 201, want: map[string]string{"Location": "/accounts/42/transactions/3"}},
			},
			after: map[string]string{"/accounts/42": `{"balance":133.10}`},
		},
		{
			name: "DeleteThenDeleteAgainIs204Then404",
			steps: []step{
				{method: "PUT", target: "/flights/AC789", body: `{"status":"late","gate":"c17"}`, status: 201},
				{method: "DELETE", target: "/flights/AC789", status: 204},
				{method: "DELETE", target: "/flights/AC789", status: 404},
			},
			after: map[string]string{"/flights/AC789": "(absent)"},
		},
		{
			name: "DeleteOnCollectionIs405WithAllow",
			steps: []step{
				{method: "DELETE", target: "/customers", status: 405, want: map[string]string{"Allow": "GET, HEAD, POST, OPTIONS, TRACE"}}, // TRACE is answered here, so Allow lists it
			},
		},
		{
			name:  "UnknownMethodIs501",
			steps: []step{{method: "FROB", target: "/customers", status: 501}},
		},
		{
			name: "StaleIfMatchIs412AndNothingChanges",
			steps: []step{
				{method: "PUT", target: "/accounts/42", body: `{"balance":100}`, header: []string{`If-Match: "0000000000000000"`}, status: 412},
			},
			after: map[string]string{"/accounts/42": `{"balance":80.00}`},
		},
		{
			name: "IfNoneMatchStarCreatesOnlyOnce",
			steps: []step{
				{method: "PUT", target: "/flights/AC790", body: `{"status":"ontime"}`, header: []string{"If-None-Match: *"}, status: 201},
				{method: "PUT", target: "/flights/AC790", body: `{"status":"cancelled"}`, header: []string{"If-None-Match: *"}, status: 412},
			},
			after: map[string]string{"/flights/AC790": `{"status":"ontime"}`},
		},
		{
			name: "IdempotencyKeyRetryReplaysOnePayment",
			steps: []step{
				{method: "POST", target: "/payments", body: `{"amount":25}`, header: []string{`Idempotency-Key: "k1"`}, status: 201, want: map[string]string{"Location": "/payments/1"}, absent: []string{"Idempotent-Replayed"}},
				{method: "POST", target: "/payments", body: `{"amount":25}`, header: []string{`Idempotency-Key: "k1"`}, status: 201, want: map[string]string{"Location": "/payments/1", "Idempotent-Replayed": "true"}},
			},
			after: map[string]string{"/payments/1": `{"amount":25}`, "/payments/2": "(absent)"},
		},
		{
			name: "IdempotencyKeyWithDifferentBodyIs422",
			steps: []step{
				{method: "POST", target: "/payments", body: `{"amount":25}`, header: []string{`Idempotency-Key: "k1"`}, status: 201},
				{method: "POST", target: "/payments", body: `{"amount":99}`, header: []string{`Idempotency-Key: "k1"`}, status: 422},
			},
			after: map[string]string{"/payments/1": `{"amount":25}`, "/payments/2": "(absent)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Options{})
			playSteps(t, s, tt.steps)
			for path, want := range tt.after {
				if got := storedAt(t, s, path); got != want {
					t.Errorf("%s = %s, want %s", path, got, want)
				}
			}
		})
	}
}

func repeatStep(n int, st step) []step {
	out := make([]step, n)
	for i := range out {
		out[i] = st
	}
	return out
}

func playSteps(t *testing.T, s *Server, steps []step) {
	t.Helper()
	for i, st := range steps {
		w := sendTo(t, s, st.method, st.target, st.body, st.header...)
		where := st.method + " " + st.target
		if w.Code != st.status {
			t.Fatalf("step %d %s: status %d, want %d; body %s", i+1, where, w.Code, st.status, w.Body)
		}
		for h, v := range st.want {
			got, ok := w.Header()[http.CanonicalHeaderKey(h)]
			if !ok || (v != "*" && got[0] != v) {
				t.Errorf("step %d %s: %s = %q, want %q", i+1, where, h, got, v)
			}
		}
		for _, h := range st.absent {
			if v := w.Header().Get(h); v != "" {
				t.Errorf("step %d %s: unexpected %s: %s", i+1, where, h, v)
			}
		}
		if !strings.Contains(w.Body.String(), st.bodyHas) {
			t.Errorf("step %d %s: body %s does not contain %s", i+1, where, w.Body, st.bodyHas)
		}
	}
}
