package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
	// Unmarshal reports every syntax error, trailing data included, with an offset.
	var raw json.RawMessage
	err = json.Unmarshal(body, &raw)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return nil, fmt.Errorf("the body is not valid JSON")
	}
	if se.Error() == "unexpected end of JSON input" {
		line, col := jsonPosition(body, len(body))
		return nil, fmt.Errorf("the body is not valid JSON: it ends before the JSON value is complete (line %d, column %d)", line, col)
	}
	// Offset counts the bytes read, the offending one included.
	line, col := jsonPosition(body, int(se.Offset)-1)
	return nil, fmt.Errorf("the body is not valid JSON: %s (line %d, column %d)", se.Error(), line, col)
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
