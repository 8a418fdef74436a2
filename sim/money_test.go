package sim

import (
	"strings"
	"testing"
)

func TestInterestCompoundsToTheCent(t *testing.T) {
	s := New(Options{})
	want := []string{"88.00", "96.80", "106.48", "117.13", "128.84"}
	for i, w := range want {
		r := sendTo(t, s, "POST", "/accounts/42/interest", `{"rate":0.10}`)
		if r.Code != 201 {
			t.Fatalf("posting %d: %d %s", i+1, r.Code, r.Body)
		}
		if got := storedAt(t, s, "/accounts/42"); got != `{"balance":`+w+`}` {
			t.Fatalf("after posting %d: %s, want balance %s", i+1, got, w)
		}
	}
	tx := storedAt(t, s, "/accounts/42/transactions/4")
	if tx != `{"amount":10.65,"balance":117.13,"rate":0.10,"time":"2026-01-01T09:00:03Z","type":"interest"}` {
		t.Fatalf("transaction 4: %s", tx)
	}
}

func TestInterestNeverShowsFloatDrift(t *testing.T) {
	s := New(Options{})
	for i := range 200 {
		r := sendTo(t, s, "POST", "/accounts/42/interest", `{"rate":0.07}`)
		if r.Code != 201 {
			t.Fatalf("posting %d: %d %s", i, r.Code, r.Body)
		}
	}
	bal := storedAt(t, s, "/accounts/42")
	num := strings.TrimSuffix(strings.TrimPrefix(bal, `{"balance":`), "}")
	if i := strings.IndexByte(num, '.'); i < 0 || len(num)-i-1 != 2 || strings.ContainsAny(num, "eE") {
		t.Fatalf("balance %s is not dollars and cents", bal)
	}
}

func TestInterestKeepsOtherAccountFields(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "PUT", "/accounts/7", `{"owner":"Ann","balance":10.005}`)
	sendTo(t, s, "POST", "/accounts/7/interest", `{"rate":0.5}`)
	if got := storedAt(t, s, "/accounts/7"); got != `{"balance":15.02,"owner":"Ann"}` {
		t.Fatalf("%s (10.005 rounds to 10.01, plus 5.005 → 5.01)", got)
	}
}

func TestInterestRejectsBadRates(t *testing.T) {
	s := New(Options{})
	for body, want := range map[string]string{
		`{}`:              `needs a`,
		`{"rate":"0.1"}`:  "must be a JSON number",
		`{"rate":10}`:     "out of range",
		`{"rate":-0.1}`:   "out of range",
		`{"rate":0}`:      "out of range",
		`{"rate":1e9999}`: "out of range",
	} {
		r := sendTo(t, s, "POST", "/accounts/42/interest", body)
		if r.Code != 422 || !strings.Contains(r.Body.String(), want) {
			t.Errorf("%s: %d %s, want 422 with %q", body, r.Code, r.Body, want)
		}
	}
	if got := storedAt(t, s, "/accounts/42"); got != `{"balance":80.00}` {
		t.Fatalf("a rejected rate changed the balance: %s", got)
	}
}

func TestInterestNeedsAnAccountWithANumericBalance(t *testing.T) {
	s := New(Options{})
	if r := sendTo(t, s, "POST", "/accounts/9/interest", `{"rate":0.1}`); r.Code != 404 {
		t.Errorf("missing account: %d", r.Code)
	}
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":"lots"}`)
	if r := sendTo(t, s, "POST", "/accounts/42/interest", `{"rate":0.1}`); r.Code != 409 {
		t.Errorf("string balance: %d %s", r.Code, r.Body)
	}
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":1e999999}`)
	if r := sendTo(t, s, "POST", "/accounts/42/interest", `{"rate":0.1}`); r.Code != 409 {
		t.Errorf("huge balance: %d %s", r.Code, r.Body)
	}
}

// TestAMissingBodyGetsAnExampleForItsTarget: a POST with no body is told a
// body that target takes, not a customer's.
func TestAMissingBodyGetsAnExampleForItsTarget(t *testing.T) {
	s := New(Options{})
	for _, tc := range []struct{ method, target, want string }{
		{"POST", "/accounts/42/interest", `{"rate":0.10}`},
		{"POST", "/payments", `{"amount":25,"to":"ACME Air"}`},
		{"POST", "/customers", `{"name":"Joe"}`},
		{"PUT", "/accounts/42", `the complete new state, such as {"balance":100}`},
		{"PUT", "/flights/AA123", `the complete new state, such as {"status":"ontime","gate":"b12"}`},
		{"PATCH", "/flights/AA123", `a merge patch, such as {"gate":"b12"}`},
	} {
		r := sendTo(t, s, tc.method, tc.target, "")
		if r.Code != 400 || !strings.Contains(r.Body.String(), strings.ReplaceAll(tc.want, `"`, `\"`)) {
			t.Errorf("%s %s with no body: %d %s, want an example %s", tc.method, tc.target, r.Code, r.Body, tc.want)
		}
	}
}
