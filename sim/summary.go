package sim

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
//
// It runs for every exchange `serve` prints and every change the screen
// shows, so it reads the objects with a scanner that allocates only the
// changes it returns, instead of decoding both into maps.
func FieldChanges(before, after []byte) []FieldChange {
	var bm, am [8]member
	b, bok := topMembers(before, bm[:0])
	a, aok := topMembers(after, am[:0])
	if !bok || !aok {
		bs, as := compactJSON(before), compactJSON(after)
		if bs == as {
			return nil
		}
		return []FieldChange{{Before: bs, After: as}}
	}
	var out []FieldChange
	i, j := 0, 0
	for i < len(b) || j < len(a) {
		switch {
		case j == len(a) || (i < len(b) && bytes.Compare(b[i].name, a[j].name) < 0):
			out = append(out, FieldChange{Field: string(b[i].name), Before: compactJSON(b[i].value)})
			i++
		case i == len(b) || bytes.Compare(a[j].name, b[i].name) < 0:
			out = append(out, FieldChange{Field: string(a[j].name), After: compactJSON(a[j].value)})
			j++
		default:
			if !sameJSONText(b[i].value, a[j].value) {
				out = append(out, FieldChange{Field: string(a[j].name), Before: compactJSON(b[i].value), After: compactJSON(a[j].value)})
			}
			i++
			j++
		}
	}
	return out
}

// member is one top-level member of a JSON object: its decoded name and its
// value's text as written.
type member struct {
	name, value []byte
}

// topMembers appends body's top-level members to ms, sorted by name, a name
// written twice keeping its last value (as encoding/json does). Empty or
// blank body is an object with no members; ok is false when body is not a
// JSON object.
func topMembers(body []byte, ms []member) (_ []member, ok bool) {
	if len(bytes.TrimSpace(body)) == 0 {
		return ms, true
	}
	if !json.Valid(body) {
		return nil, false
	}
	// Valid JSON from here on: the scanner need not check anything.
	i := skipSpace(body, 0)
	if body[i] != '{' {
		return nil, false
	}
	i = skipSpace(body, i+1)
	for body[i] != '}' {
		end := skipString(body, i)
		name := memberName(body[i:end])
		i = skipSpace(body, end)
		i = skipSpace(body, i+1) // the colon
		end = skipValue(body, i)
		ms = append(ms, member{name: name, value: body[i:end]})
		i = skipSpace(body, end)
		if body[i] == ',' {
			i = skipSpace(body, i+1)
		}
	}
	// Stable, so that of equal names the last written stays last.
	slices.SortStableFunc(ms, func(x, y member) int { return bytes.Compare(x.name, y.name) })
	out := ms[:0]
	for k, m := range ms {
		if k+1 < len(ms) && bytes.Equal(ms[k+1].name, m.name) {
			continue
		}
		out = append(out, m)
	}
	return out, true
}

// memberName decodes a JSON string as encoding/json does (escapes, and
// invalid UTF-8 as U+FFFD); plain ASCII names, the usual ones, are taken as
// they are.
func memberName(quoted []byte) []byte {
	inner := quoted[1 : len(quoted)-1]
	plain := true
	for _, c := range inner {
		if c == '\\' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return inner
	}
	var s string
	if err := json.Unmarshal(quoted, &s); err != nil {
		return inner
	}
	return []byte(s)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just after the string that starts at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index just after the value that starts at b[i].
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	default: // a number, true, false or null
		for i < len(b) && !strings.ContainsRune(" \t\n\r,}]", rune(b[i])) {
			i++
		}
		return i
	}
}

// sameJSONText reports whether two valid JSON values are the same text once
// compacted.
func sameJSONText(x, y []byte) bool {
	if bytes.Equal(x, y) {
		return true
	}
	if !hasSpace(x) && !hasSpace(y) {
		return false
	}
	return compactJSON(x) == compactJSON(y)
}

func hasSpace(b []byte) bool { return bytes.ContainsAny(b, " \t\n\r") }

// compactJSON is v without insignificant white space (v itself when it has
// none, or when it is not valid JSON).
func compactJSON(v []byte) string {
	if !hasSpace(v) {
		return string(v)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return string(v)
	}
	return buf.String()
}

// Summary describes the event in one line, such as
// "204 No Content — /accounts/42 balance 80.00 → 100".
func (e Event) Summary() string { return string(e.appendSummary(make([]byte, 0, 64))) }

// appendSummary appends Summary's text to b.
func (e Event) appendSummary(b []byte) []byte {
	switch e.Kind {
	case KindExchange:
		if e.Fault == FaultDropped {
			return append(b, "request dropped before it reached the server — no change"...)
		}
		b = strconv.AppendInt(b, int64(e.Response.Status), 10)
		b = append(b, ' ')
		b = append(b, StatusText(e.Response.Status)...)
		switch e.Fault {
		case FaultLostResponse:
			b = append(b, ", response lost"...)
		case FaultDelayed:
			b = append(b, ", delayed"...)
		}
		if e.Replayed {
			b = append(b, ", replayed"...)
		}
	default:
		b = append(b, e.Kind...)
	}
	b = append(b, " — "...)
	return appendChanges(b, e.Changes)
}

// appendChanges appends what cs did, in words, to b: the line per exchange
// makes it in its own buffer.
func appendChanges(b []byte, cs []Change) []byte {
	const most = 3
	if len(cs) == 0 {
		return append(b, "no change"...)
	}
	for i, c := range cs[:min(len(cs), most)] {
		if i > 0 {
			b = append(b, "; "...)
		}
		b = appendChange(b, c)
	}
	if len(cs) > most {
		b = append(b, "; and "...)
		b = strconv.AppendInt(b, int64(len(cs)-most), 10)
		b = append(b, " more"...)
	}
	return b
}

// maxShownField and maxShownPath bound what a summary shows of a field name
// and of a path; both came from a client.
const (
	maxShownField = 60
	maxShownPath  = 120
)

// appendChange appends what one change did to b: created, deleted,
// unchanged, or the fields that changed (at most three, then a count).
func appendChange(b []byte, c Change) []byte {
	path := termsafe.Cut(c.Path, maxShownPath)
	switch {
	case c.Before == nil && c.After == nil:
		return append(append(b, path...), " absent"...)
	case c.Before == nil:
		return append(append(b, "created "...), path...)
	case c.After == nil:
		return append(append(b, "deleted "...), path...)
	}
	var fcs []FieldChange
	if !bytes.Equal(c.Before, c.After) { // the same bytes: no field changed (a PUT of the same state)
		fcs = FieldChanges(c.Before, c.After)
	}
	b = append(b, path...)
	if len(fcs) == 0 {
		return append(b, " unchanged"...)
	}
	const most = 3
	b = append(b, ' ')
	for i, fc := range fcs[:min(len(fcs), most)] {
		if i > 0 {
			b = append(b, ", "...)
		}
		before, sep, after := fc.Display()
		if fc.Field != "" {
			b = append(b, termsafe.Cut(fc.Field, maxShownField)...)
			b = append(b, ' ')
		}
		b = append(b, before...)
		b = append(b, sep...)
		b = append(b, after...)
	}
	if len(fcs) > most {
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(len(fcs)-most), 10)
		b = append(b, " more fields"...)
	}
	return b
}

// Display returns the field's old and new values as a person should read
// them, and the words between them: values as stored (so the line agrees
// with the body a GET returns), long values shortened, absence as "(none)".
// The summary line and the full screen both show changes this way.
//
// A number rewritten without changing its value (100 to 100.00) is a new
// representation, with a new ETag, but no new value: sep is then ", now
// written " instead of " → ", so the line does not read as a change of value.
func (fc FieldChange) Display() (before, sep, after string) {
	sep = " → "
	if sameNumber(fc.Before, fc.After) {
		sep = ", now written "
	}
	return showValue(fc.Before), sep, showValue(fc.After)
}

// sameNumber says whether two JSON texts are numbers of equal value.
func sameNumber(a, b string) bool {
	x, ok := exactDecimal(a)
	if !ok {
		return false
	}
	y, ok := exactDecimal(b)
	return ok && x.Cmp(y) == 0
}

// showValue renders a field's JSON text for a summary line: long values
// shortened, absence as "(none)".
func showValue(v string) string {
	if v == "" {
		return "(none)"
	}
	const most = 40
	if r := []rune(v); len(r) > most {
		v = string(r[:most-1]) + "…"
	}
	return termsafe.String(v)
}
