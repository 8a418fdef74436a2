package sim

import (
	"encoding/json"
	"testing"
)

// TestAKeyedRetryIsToldByWhatItsBodyMeans: the same key with a body of the
// same value — key order, white space and the spelling of a number aside —
// is a retry and is replayed; a different value, a number as text, or a
// number inside a text is a different request, answered 422.
func TestAKeyedRetryIsToldByWhatItsBodyMeans(t *testing.T) {
	const first = `{"amount":25,"to":"ACME Air 25"}`
	for body, want := range map[string]int{
		`{"to":"ACME Air 25","amount":25}`:                    201,
		`{"amount":25.00,"to":"ACME Air 25"}`:                 201,
		`{"amount":2.5e1,"to":"ACME Air 25"}`:                 201,
		`{"amount":250E-1,"to":"ACME Air 25"}`:                201,
		`{"amount":25.01,"to":"ACME Air 25"}`:                 422,
		`{"amount":30,"to":"ACME Air 25"}`:                    422,
		`{"amount":"25","to":"ACME Air 25"}`:                  422,
		`{"amount":-25,"to":"ACME Air 25"}`:                   422,
		`{"amount":25,"to":"ACME Air 25.00"}`:                 422,
		`{"amount":25,"to":"ACME Air 25","n":1e999999999999}`: 422,
	} {
		s := New(Options{})
		sendTo(t, s, "POST", "/payments", first, `Idempotency-Key: "k1"`)
		w := sendTo(t, s, "POST", "/payments", body, `Idempotency-Key: "k1"`)
		replayed := w.Header().Get("Idempotent-Replayed") == "true"
		if w.Code != want || replayed != (want == 201) {
			t.Errorf("%s after %s: %d (replayed %v), want %d", body, first, w.Code, replayed, want)
		}
	}
}

func TestNumbersByValue(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":25}`: `{"a":25e0}`, `{"a":25.00}`: `{"a":25e0}`, `{"a":-0.0}`: `{"a":0e0}`, `{"a":0}`: `{"a":0e0}`,
		`{"a":[1.5,100]}`: `{"a":[15e-1,1e2]}`, `{"a\"1":"2\\"}`: `{"a\"1":"2\\"}`, `{"a":1e99999999999}`: `{"a":1e99999999999}`,
	} {
		if got := string(numbersByValue([]byte(in))); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}

// FuzzNumbersByValue: any bytes are read without a panic, and a canonical
// JSON object stays valid JSON.
func FuzzNumbersByValue(f *testing.F) {
	for _, s := range []string{`{"a":25.00}`, `{"a":-0e-0}`, `{"a":"\\"}`, `{"a":1e99999999999}`, `-`, `"`, `{"a":[0.000,-1E+2]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		numbersByValue(data)
		if canon, ok := canonicalObject(data); ok && !json.Valid(numbersByValue(canon)) {
			t.Errorf("%s became %s", canon, numbersByValue(canon))
		}
	})
}
