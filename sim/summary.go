package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/putpost/putpost/termsafe"
)

// FieldChange is one top-level JSON field of a resource before and after a
// change. Values are compact JSON text ("\"ontime\"", "100"); "" means absent.
type FieldChange struct {
	Field  string
	Before string
	After  string
}

// FieldChanges lists the top-level fields whose values differ between two
// JSON objects, sorted by name. nil stands for an absent resource (no
// fields). When either side is not a JSON object the whole values are
// compared, under the Field "".
func FieldChanges(before, after []byte) []FieldChange {
	b, bok := topFields(before)
	a, aok := topFields(after)
	if !bok || !aok {
		bs, as := compactJSON(before), compactJSON(after)
		if bs == as {
			return nil
		}
		return []FieldChange{{Before: bs, After: as}}
	}
	names := make([]string, 0, len(a)+len(b))
	for k := range b {
		names = append(names, k)
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	var out []FieldChange
	for _, k := range names {
		if b[k] != a[k] {
			out = append(out, FieldChange{Field: k, Before: b[k], After: a[k]})
		}
	}
	return out
}

func topFields(body []byte) (map[string]string, bool) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]string{}, true
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, false
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		out[k] = compactJSON(v)
	}
	return out, true
}

func compactJSON(v []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return string(v)
	}
	return buf.String()
}

// moneyFields are shown as dollars with two decimals.
var moneyFields = map[string]bool{"amount": true, "balance": true}

// Summary describes the event in one line, such as
// "204 No Content — /accounts/42 balance 80.00 → 100.00".
func (e Event) Summary() string {
	var head string
	switch e.Kind {
	case KindExchange:
		if e.Fault == FaultDropped {
			return "request dropped before it reached the server — no change"
		}
		head = fmt.Sprintf("%d %s", e.Response.Status, StatusText(e.Response.Status))
		switch e.Fault {
		case FaultLostResponse:
			head += ", response lost"
		case FaultDelayed:
			head += ", delayed"
		}
		if e.Replayed {
			head += ", replayed"
		}
	default:
		head = string(e.Kind)
	}
	return head + " — " + describeChanges(e.Changes)
}

func describeChanges(cs []Change) string {
	const most = 3
	if len(cs) == 0 {
		return "no change"
	}
	parts := make([]string, 0, most+1)
	for _, c := range cs[:min(len(cs), most)] {
		parts = append(parts, describeChange(c))
	}
	if len(cs) > most {
		parts = append(parts, fmt.Sprintf("and %d more", len(cs)-most))
	}
	return strings.Join(parts, "; ")
}

// maxShownField and maxShownPath bound what a summary shows of a field name
// and of a path; both came from a client.
const (
	maxShownField = 60
	maxShownPath  = 120
)

func describeChange(c Change) string {
	c.Path = termsafe.Cut(c.Path, maxShownPath)
	switch {
	case c.Before == nil && c.After == nil:
		return c.Path + " absent"
	case c.Before == nil:
		return "created " + c.Path
	case c.After == nil:
		return "deleted " + c.Path
	}
	fcs := FieldChanges(c.Before, c.After)
	if len(fcs) == 0 {
		return c.Path + " unchanged"
	}
	const most = 3
	parts := make([]string, 0, most+1)
	for _, fc := range fcs[:min(len(fcs), most)] {
		before, after := fc.Display()
		p := before + " → " + after
		if fc.Field != "" {
			p = termsafe.Cut(fc.Field, maxShownField) + " " + p
		}
		parts = append(parts, p)
	}
	if len(fcs) > most {
		parts = append(parts, fmt.Sprintf("%d more fields", len(fcs)-most))
	}
	return c.Path + " " + strings.Join(parts, ", ")
}

// Display returns the field's old and new values as a person should read
// them: money with two decimals, long values shortened, absence as "(none)".
// The summary line and the full screen both show values this way.
//
// A change only in how a number is written (100.00 to 100) would read as
// "100.00 → 100.00" in dollars, a change that shows nothing; such a change
// is shown as the literals that were stored.
func (fc FieldChange) Display() (before, after string) {
	before, after = showValue(fc.Field, fc.Before), showValue(fc.Field, fc.After)
	if before == after && fc.Before != fc.After {
		return showValue("", fc.Before), showValue("", fc.After)
	}
	return before, after
}

// showValue renders a field's JSON text for a summary line: money with two
// decimals, long values shortened, absence as "(none)".
func showValue(field, v string) string {
	if v == "" {
		return "(none)"
	}
	if moneyFields[field] {
		if m, ok := moneyText(v); ok {
			return m
		}
	}
	const most = 40
	if r := []rune(v); len(r) > most {
		v = string(r[:most-1]) + "…"
	}
	return termsafe.String(v)
}
