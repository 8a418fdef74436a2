package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/putpost/putpost/termsafe"
)

// ExplainJSON says in plain words why body is not JSON, and at which byte
// (the offending character, or len(body) when the text ends too early);
// ok is true when body is valid JSON. Where a likely fix makes the body
// valid, the words end with it: `a JSON string needs double quotes:
// {"balance": 100}`. The request line, the composer's form and the server's
// 400 answer all explain bad JSON with it, so a learner meets one wording.
func ExplainJSON(body []byte) (at int, msg string, ok bool) {
	var raw json.RawMessage
	err := json.Unmarshal(body, &raw)
	if err == nil {
		return 0, "", true
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return 0, "the body is not JSON", false
	}
	text := string(body)
	if strings.TrimSpace(text) == "" {
		return 0, `the body is empty: give JSON, like {"name": "Joe"}`, false
	}
	if int(se.Offset) >= len(body) && strings.HasPrefix(se.Error(), "unexpected end") {
		return len(body), "the JSON ends too early: " + unclosed(text), false
	}
	at = max(0, min(int(se.Offset)-1, len(body)-1))
	r, _ := utf8.DecodeRuneInString(text[at:])
	m := se.Error()
	letter := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
	switch {
	case strings.Contains(m, "exceeded max depth"):
		return at, fmt.Sprintf("the JSON nests more than %d levels deep here ({…} and […] inside one another), the most this server reads: nest less", maxJSONDepth), false
	case r == '\uFEFF' && at == 0:
		return at, "the body starts with a byte order mark (U+FEFF, the bytes EF BB BF), which JSON sent over a network must not have (RFC 8259 §8.1): save or send it as UTF-8 without a BOM", false
	case r == '\uFEFF':
		return at, "a byte order mark (U+FEFF) is not JSON outside a string: delete it", false
	case strings.Contains(m, "in string literal") && r != '\n' && r != '\t' && r != '\r':
		return at, fmt.Sprintf(`a JSON string cannot hold the control character %s as it is: write it as \u%04x, or delete it`, termsafe.Describe(r), r), false
	case r == '\'':
		msg = "a JSON string needs double quotes, not single ones"
		return at, withFix(msg, strings.ReplaceAll(text, "'", `"`)), false
	case r == '‘' || r == '’' || r == '“' || r == '”':
		msg = `JSON needs straight double quotes ", not typographic ones`
		return at, withFix(msg, typographic.Replace(text)), false
	case strings.Contains(m, "looking for beginning of object key string") && letter:
		return at, withFix("a name in a JSON object needs double quotes", bareKeys.ReplaceAllString(text, `$1"$2"$3`)), false
	case strings.Contains(m, "looking for beginning of object key string") && r == '}':
		return at, withFix("a comma needs another field after it: remove the last comma", trailingComma.ReplaceAllString(text, "$1")), false
	case strings.Contains(m, "looking for beginning of object key string"):
		return at, `a field of a JSON object starts with its name in double quotes, like "balance"`, false
	case strings.Contains(m, "looking for beginning of value") && letter:
		return at, `text needs double quotes in JSON, like "ontime" (true, false and null are written in lower case)`, false
	case strings.Contains(m, "looking for beginning of value") && (r == '}' || r == ']'):
		if trailingComma.MatchString(text) {
			return at, withFix("a comma needs another value after it: remove the last comma", trailingComma.ReplaceAllString(text, "$1")), false
		}
		return at, `a value is missing here: after a colon comes a value, like 100 or "ontime"`, false
	case strings.Contains(m, "looking for beginning of value"):
		return at, `a value starts here, like 100, "ontime", true, {…} or […]`, false
	case strings.Contains(m, "after object key:value pair"):
		return at, "a comma goes between two fields, and } ends the object", false
	case strings.Contains(m, "after object key"):
		return at, `a colon goes between a name and its value, like "balance": 100`, false
	case strings.Contains(m, "after array element"):
		return at, "a comma goes between two values, and ] ends the list", false
	case strings.Contains(m, "after top-level value"):
		return at, "there is more after the JSON value: send one value, like one {…}", false
	case strings.Contains(m, "in string literal"):
		return at, `a JSON string cannot hold a line break or tab as it is: write \n or \t`, false
	case strings.Contains(m, "in string escape code"):
		return at, `a backslash in a JSON string starts an escape such as \n, \" or \\`, false
	case strings.Contains(m, "numeric literal") || strings.Contains(m, "exponent") || strings.Contains(m, "decimal"):
		return at, "a JSON number is written like 100, -3.5 or 1e6", false
	}
	return at, "JSON does not allow this character here", false
}

// maxJSONDepth is how deeply encoding/json lets arrays and objects nest; it
// refuses anything deeper as a syntax error at the first bracket too many.
const maxJSONDepth = 10000

var (
	typographic   = strings.NewReplacer("‘", `"`, "’", `"`, "“", `"`, "”", `"`)
	bareKeys      = regexp.MustCompile(`([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*:)`)
	trailingComma = regexp.MustCompile(`,(\s*[}\]])`)
)

// withFix ends msg with the fixed body when the fix makes it JSON and it is
// short enough to read in a line.
func withFix(msg, fixed string) string {
	if len(fixed) <= 120 && json.Valid([]byte(fixed)) {
		return msg + ": " + fixed
	}
	return msg
}

// unclosed says which string or bracket is still open at the end of text.
func unclosed(text string) string {
	var stack []byte
	inString, escaped := false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			stack = append(stack, c)
		case (c == '}' || c == ']') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	switch {
	case inString:
		return `a string is not closed: end it with "`
	case len(stack) > 0 && stack[len(stack)-1] == '[':
		return "a list is not closed: end it with ]"
	case len(stack) > 0:
		return "an object is not closed: end it with }"
	}
	return "finish the value"
}
