package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"
)

// decodeJSONValue parses one JSON value, keeping numbers as their literal text so
// that nothing is rounded. The error says where the JSON breaks.
func decodeJSONValue(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil && len(bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n")) == 0 {
		return v, nil
	}
	at, msg, ok := ExplainJSON(body)
	if ok { // valid, yet the decoder refused it (nesting too deep, say)
		return nil, fmt.Errorf("the body is not valid JSON: %v", err)
	}
	line, col := jsonPosition(body, at)
	return nil, fmt.Errorf("the body is not valid JSON: %s (line %d, column %d)", msg, line, col)
}

// position turns a byte index into a 1-based line and rune column.
func jsonPosition(body []byte, i int) (line, col int) {
	before := body[:min(max(i, 0), len(body))]
	line = 1 + bytes.Count(before, []byte("\n"))
	if nl := bytes.LastIndexByte(before, '\n'); nl >= 0 {
		before = before[nl+1:]
	}
	return line, utf8.RuneCount(before) + 1
}

// canonicalJSON writes v as canonical JSON: compact, object keys sorted, numbers
// as their literal text, no HTML escaping.
func canonicalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decodeObject reads a stored resource (always a JSON object).
func decodeObject(body []byte) map[string]any {
	v, err := decodeJSONValue(body)
	if m, ok := v.(map[string]any); ok && err == nil {
		return m
	}
	return map[string]any{}
}

// mergePatch applies an RFC 7396 JSON merge patch to target.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = mergePatch(t[k], v)
		}
	}
	return t
}

// maxCanonicalDepth bounds the nesting isCanonicalObject follows; deeper
// documents take the general path.
const maxCanonicalDepth = 64

// isCanonicalObject reports whether body is a JSON object already written
// exactly as canonicalJSON(decodeJSONValue(body)) would write it: no
// whitespace, object keys strictly increasing (so no duplicates), strings
// without escapes, control characters, invalid UTF-8 or U+2028/U+2029, and
// numbers as valid JSON literals. Such a body can be stored as it is, which
// saves decoding it into maps and encoding it again. When it answers false
// the general path decides; a false negative only costs time.
func isCanonicalObject(body []byte) bool {
	if len(body) == 0 || body[0] != '{' {
		return false
	}
	n, ok := canonValue(body, 0, 0)
	return ok && n == len(body)
}

// canonValue checks the value at body[i:] and returns the index after it.
func canonValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) || depth > maxCanonicalDepth {
		return 0, false
	}
	switch c := b[i]; {
	case c == '{':
		i++
		if i < len(b) && b[i] == '}' {
			return i + 1, true
		}
		var prev []byte
		for first := true; ; first = false {
			start := i
			end, ok := canonString(b, i)
			if !ok {
				return 0, false
			}
			key := b[start+1 : end-1]
			if !first && bytes.Compare(prev, key) >= 0 {
				return 0, false
			}
			prev = key
			if end >= len(b) || b[end] != ':' {
				return 0, false
			}
			if i, ok = canonValue(b, end+1, depth+1); !ok || i >= len(b) {
				return 0, false
			}
			switch b[i] {
			case ',':
				i++
			case '}':
				return i + 1, true
			default:
				return 0, false
			}
		}
	case c == '[':
		i++
		if i < len(b) && b[i] == ']' {
			return i + 1, true
		}
		for {
			var ok bool
			if i, ok = canonValue(b, i, depth+1); !ok || i >= len(b) {
				return 0, false
			}
			switch b[i] {
			case ',':
				i++
			case ']':
				return i + 1, true
			default:
				return 0, false
			}
		}
	case c == '"':
		return canonString(b, i)
	case c == '-' || isDigitByte(c):
		return canonNumber(b, i)
	case bytes.HasPrefix(b[i:], []byte("true")):
		return i + 4, true
	case bytes.HasPrefix(b[i:], []byte("false")):
		return i + 5, true
	case bytes.HasPrefix(b[i:], []byte("null")):
		return i + 4, true
	}
	return 0, false
}

// canonString checks a string at b[i] (a '"') that needs no escaping and
// returns the index after its closing quote.
func canonString(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '"' {
		return 0, false
	}
	for i++; i < len(b); {
		c := b[i]
		switch {
		case c == '"':
			return i + 1, true
		case c == '\\' || c < 0x20:
			return 0, false
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
				return 0, false
			}
			i += size
		}
	}
	return 0, false
}

// canonNumber checks a JSON number literal at b[i] (RFC 8259 §6) and returns
// the index after it.
func canonNumber(b []byte, i int) (int, bool) {
	digits := func(i int) int {
		for i < len(b) && isDigitByte(b[i]) {
			i++
		}
		return i
	}
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		i = digits(i)
	default:
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return 0, false
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return 0, false
		}
		i = j
	}
	return i, true
}

// canonicalObject returns canonicalJSON(decodeJSONValue(body)) for the common
// case of a JSON object whose strings hold no escapes, without decoding it
// into maps: whitespace goes, object keys are sorted, everything else is
// kept as typed. ok is false when the general path must decide (escapes,
// duplicate keys, deep nesting, anything invalid); it then returns nothing.
func canonicalObject(body []byte) (canon []byte, ok bool) {
	i := skipJSONSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return nil, false
	}
	v, n, ok := canonAppend(nil, body, i, 0)
	if !ok || skipJSONSpace(body, n) != len(body) {
		return nil, false
	}
	return v, true
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonMember is one name/value pair of an object being canonicalized.
type jsonMember struct {
	name []byte // without its quotes
	val  []byte // canonical
}

// canonAppend appends the canonical form of the value at b[i:] (after any
// whitespace) to dst and returns the index after the value.
func canonAppend(dst, b []byte, i, depth int) ([]byte, int, bool) {
	i = skipJSONSpace(b, i)
	if i >= len(b) || depth > maxCanonicalDepth {
		return nil, 0, false
	}
	switch c := b[i]; {
	case c == '{':
		i = skipJSONSpace(b, i+1)
		if i < len(b) && b[i] == '}' {
			return append(dst, "{}"...), i + 1, true
		}
		var stack [16]jsonMember
		members := stack[:0]
		for {
			i = skipJSONSpace(b, i)
			end, ok := canonString(b, i)
			if !ok {
				return nil, 0, false
			}
			name := b[i+1 : end-1]
			i = skipJSONSpace(b, end)
			if i >= len(b) || b[i] != ':' {
				return nil, 0, false
			}
			var val []byte
			if val, i, ok = canonAppend(nil, b, i+1, depth+1); !ok {
				return nil, 0, false
			}
			members = append(members, jsonMember{name, val})
			if i = skipJSONSpace(b, i); i >= len(b) {
				return nil, 0, false
			}
			if b[i] == ',' {
				i++
				continue
			}
			if b[i] != '}' {
				return nil, 0, false
			}
			i++
			break
		}
		slices.SortFunc(members, func(a, b jsonMember) int { return bytes.Compare(a.name, b.name) })
		size := 2
		for _, m := range members {
			size += len(m.name) + len(m.val) + 4 // "name":val,
		}
		dst = slices.Grow(dst, size)
		dst = append(dst, '{')
		for k, m := range members {
			if k > 0 {
				if bytes.Equal(members[k-1].name, m.name) {
					return nil, 0, false // duplicate names: the general path keeps the last
				}
				dst = append(dst, ',')
			}
			dst = append(dst, '"')
			dst = append(dst, m.name...)
			dst = append(dst, '"', ':')
			dst = append(dst, m.val...)
		}
		return append(dst, '}'), i, true
	case c == '[':
		dst = append(dst, '[')
		i = skipJSONSpace(b, i+1)
		if i < len(b) && b[i] == ']' {
			return append(dst, ']'), i + 1, true
		}
		for first := true; ; first = false {
			if !first {
				dst = append(dst, ',')
			}
			var ok bool
			if dst, i, ok = canonAppend(dst, b, i, depth+1); !ok {
				return nil, 0, false
			}
			if i = skipJSONSpace(b, i); i >= len(b) {
				return nil, 0, false
			}
			if b[i] == ',' {
				i++
				continue
			}
			if b[i] != ']' {
				return nil, 0, false
			}
			return append(dst, ']'), i + 1, true
		}
	}
	// A scalar is canonical as typed (strings without escapes).
	n, ok := canonValue(b, i, depth)
	if !ok {
		return nil, 0, false
	}
	if dst == nil {
		return b[i:n:n], n, true // capped: appending to it copies
	}
	return append(dst, b[i:n]...), n, true
}
