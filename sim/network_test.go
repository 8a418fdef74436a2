package sim

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// request builds a client request as the request-line parser would.
func clientRequest(t testing.TB, method, target, body string, headers ...string) *http.Request {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, "http://putpost.local"+target, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return req
}

func TestClientRoundTripGoesThroughTheHandler(t *testing.T) {
	s := New(Options{})
	c := s.Client(SourceComposer)
	resp, err := c.Do(clientRequest(t, "PUT", "/accounts/42", `{"balance":100}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Status != "200 OK" || string(body) != `{"balance":100}` || resp.ContentLength != int64(len(body)) {
		t.Fatalf("%s %q %d", resp.Status, body, resp.ContentLength)
	}
	e := s.EventsSince(0)[0]
	if e.Source != SourceComposer || e.Attempt != 1 || e.Request.Header.Get("Host") != "putpost.local" || e.Request.Target != "/accounts/42" {
		t.Fatalf("%+v", e)
	}
	// usable as an http.Client transport
	hc := &http.Client{Transport: c}
	resp, err = hc.Get("http://putpost.local/accounts/42")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
}

func TestRetryPolicies(t *testing.T) {
	tests := []struct {
		policy RetryPolicy
		method string
		key    bool
		retry  bool
	}{
		{RetryNone, "GET", false, false},
		{RetryNone, "PUT", false, false},
		{RetryRFC9110, "GET", false, true},
		{RetryRFC9110, "PUT", false, true},
		{RetryRFC9110, "DELETE", false, true},
		{RetryRFC9110, "POST", false, false},
		{RetryRFC9110, "POST", true, false},
		{RetryRFC9110, "PATCH", false, false},
		{RetryGo, "GET", false, true},
		{RetryGo, "HEAD", false, true},
		{RetryGo, "OPTIONS", false, true},
		{RetryGo, "TRACE", false, true},
		{RetryGo, "PUT", false, false},
		{RetryGo, "DELETE", false, false},
		{RetryGo, "POST", false, false},
		{RetryGo, "POST", true, true},
		{RetryGo, "PUT", true, true},
		{RetryBrowser, "POST", false, true},
		{RetryBrowser, "PATCH", false, true},
	}
	for _, tt := range tests {
		for _, fault := range []FaultSettings{{LoseResponses: true}, {DropRequests: true}} {
			name := string(tt.policy) + " " + tt.method
			if tt.key {
				name += " with key"
			}
			t.Run(name, func(t *testing.T) {
				s := New(Options{})
				c := s.Client(SourceLesson)
				c.SetRetry(tt.policy)
				c.SetFaults(fault)
				target, body := "/accounts/42", ""
				switch tt.method {
				case "PUT", "PATCH":
					body = `{"balance":1}`
				case "POST":
					target, body = "/customers", `{"name":"Joe"}`
				}
				var headers []string
				if tt.key {
					headers = append(headers, `Idempotency-Key: "k1"`)
				}
				req := clientRequest(t, tt.method, target, body, headers...)
				if tt.method == "PATCH" {
					req.Header.Set("Content-Type", "application/merge-patch+json")
				}
				resp, err := c.RoundTrip(req)
				events := s.EventsSince(0)
				if tt.retry {
					if err != nil {
						t.Fatalf("retry expected, got %v", err)
					}
					resp.Body.Close()
					if len(events) != 2 || events[1].Attempt != 2 || events[1].Source != SourceRetry || events[1].Fault != FaultNone {
						t.Fatalf("events %+v", events)
					}
				} else {
					if !errors.Is(err, ErrNoResponse) || resp != nil {
						t.Fatalf("want ErrNoResponse, got %v %v", resp, err)
					}
					if len(events) != 1 {
						t.Fatalf("%d events, want 1", len(events))
					}
				}
				want := FaultLostResponse
				if fault.DropRequests {
					want = FaultDropped
				}
				if events[0].Fault != want || events[0].Attempt != 1 || events[0].Source != SourceLesson {
					t.Fatalf("first attempt %+v", events[0])
				}
				if want == FaultDropped && (events[0].Response.Status != 0 || len(events[0].Changes) != 0) {
					t.Fatalf("a dropped request reached the server: %+v", events[0])
				}
			})
		}
	}
}

func TestLostResponsePlusBrowserRetryDuplicatesThePost(t *testing.T) {
	s := New(Options{})
	c := s.Client(SourceComposer)
	c.SetRetry(RetryBrowser)
	c.SetFaults(FaultSettings{LoseResponses: true})
	resp, err := c.Do(clientRequest(t, "POST", "/customers", `{"name":"Joe"}`))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Location") != "/customers/2" {
		t.Fatalf("the client saw %s", resp.Header.Get("Location"))
	}
	if n := len(s.Members("/customers")); n != 2 {
		t.Fatalf("%d customers, want the duplicate", n)
	}
}

func TestLostResponsePlusRetryWithIdempotencyKeyMakesOnePayment(t *testing.T) {
	s := New(Options{})
	c := s.Client(SourceComposer)
	c.SetRetry(RetryGo)
	c.SetFaults(FaultSettings{LoseResponses: true})
	resp, err := c.Do(clientRequest(t, "POST", "/payments", `{"amount":25}`, `Idempotency-Key: "k1"`))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 201 || resp.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("%s %v", resp.Status, resp.Header)
	}
	if n := len(s.Members("/payments")); n != 1 {
		t.Fatalf("%d payments, want 1", n)
	}
	ev := s.EventsSince(0)
	if !ev[1].Replayed || ev[1].Attempt != 2 {
		t.Fatalf("%+v", ev[1])
	}
}

func TestDelayedResponseArrivesLate(t *testing.T) {
	s := New(Options{})
	c := s.Client(SourceComposer)
	c.SetFaults(FaultSettings{Delay: 30 * time.Millisecond})
	start := time.Now()
	resp, err := c.Do(clientRequest(t, "GET", "/accounts/42", ""))
	if err != nil || resp.StatusCode != 200 {
		t.Fatal(resp, err)
	}
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("the response was not delayed")
	}
	if e := s.EventsSince(0)[0]; e.Fault != FaultDelayed {
		t.Fatalf("%+v", e)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	c.SetFaults(FaultSettings{Delay: time.Hour})
	if _, err := c.Do(clientRequest(t, "GET", "/accounts/42", "").WithContext(ctx)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled wait: %v", err)
	}
}

func TestClientSettingsRoundTrip(t *testing.T) {
	c := New(Options{}).Client(SourceComposer)
	if c.Retry() != RetryNone || c.Faults() != (FaultSettings{}) {
		t.Fatal("a new client is not fault-free with no retries")
	}
	c.SetRetry(RetryGo)
	c.SetFaults(FaultSettings{LoseResponses: true})
	if c.Retry() != RetryGo || !c.Faults().LoseResponses {
		t.Fatal("settings not kept")
	}
	c.SetRetry("bogus")
	if c.Retry() != RetryNone {
		t.Fatal("an unknown policy is not none")
	}
}

func TestParseRetryPolicy(t *testing.T) {
	for in, want := range map[string]RetryPolicy{"none": RetryNone, "RFC9110": RetryRFC9110, " go ": RetryGo, "browser": RetryBrowser} {
		if got, err := ParseRetryPolicy(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	if _, err := ParseRetryPolicy("sometimes"); err == nil || !strings.Contains(err.Error(), "rfc9110") {
		t.Errorf("unknown policy: %v", err)
	}
}
