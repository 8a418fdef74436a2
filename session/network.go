package session

import (
	"fmt"
	"strings"

	"github.com/putpost/putpost/sim"
)

// RetryPolicies lists the client's retry policies in the order views offer them.
var RetryPolicies = []sim.RetryPolicy{sim.RetryNone, sim.RetryRFC9110, sim.RetryGo, sim.RetryBrowser}

// DescribeNetwork says in a sentence what the learner's network and client do.
func DescribeNetwork(f sim.FaultSettings, p sim.RetryPolicy) string {
	if p == "" {
		p = sim.RetryNone
	}
	return DescribeFaults(f) + "; the client's retry policy is " + string(p) + "."
}

// DescribeFaults says what the network does to requests and responses.
func DescribeFaults(f sim.FaultSettings) string {
	var parts []string
	if f.DropRequests {
		parts = append(parts, "the network drops the first attempt of each request before it reaches the server")
	}
	if f.LoseResponses {
		parts = append(parts, "the network loses the first response of each request after the server has acted")
	}
	if f.Delay > 0 {
		parts = append(parts, fmt.Sprintf("responses arrive %s late", f.Delay))
	}
	if len(parts) == 0 {
		parts = append(parts, "the network delivers every message")
	}
	return strings.Join(parts, "; ")
}

// NetworkSummary is DescribeNetwork in a few words, for a title bar:
// "faults lose responses · retry rfc9110".
func NetworkSummary(f sim.FaultSettings, p sim.RetryPolicy) string {
	var faults string
	switch {
	case f.LoseResponses && f.DropRequests:
		faults = "lose+drop"
	case f.LoseResponses:
		faults = "lose responses"
	case f.DropRequests:
		faults = "drop requests"
	default:
		faults = "off"
	}
	if f.Delay > 0 {
		faults += fmt.Sprintf(" +%s delay", f.Delay)
	}
	if p == "" {
		p = sim.RetryNone
	}
	return "faults " + faults + " · retry " + string(p)
}

// RetryMeaning explains a retry policy in a sentence.
func RetryMeaning(p sim.RetryPolicy) string {
	switch p {
	case sim.RetryNone, "":
		return "the client never retries; a lost response is simply lost."
	case sim.RetryRFC9110:
		return "the client retries idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) once, as RFC 9110 allows."
	case sim.RetryGo:
		return "like Go's net/http: retries GET, HEAD, OPTIONS and TRACE, and any request with an Idempotency-Key header."
	case sim.RetryBrowser:
		return "like a browser: may retry any request, even a POST, when no response arrived."
	}
	return ""
}

// ParseFaults reads a faults setting ("on" or "lose": lose the first
// response of each request; "drop": drop the first request; "off": neither)
// and returns the faults it means: on and drop keep cur's delay, off
// clears everything.
func ParseFaults(word string, cur sim.FaultSettings) (sim.FaultSettings, error) {
	f := cur
	switch strings.ToLower(strings.TrimSpace(word)) {
	case "on", "lose", "lost":
		f.LoseResponses, f.DropRequests = true, false
	case "drop":
		f.LoseResponses, f.DropRequests = false, true
	case "off":
		f = sim.FaultSettings{}
	default:
		return cur, fmt.Errorf("unknown faults setting %q: use on, drop or off", word)
	}
	return f, nil
}
