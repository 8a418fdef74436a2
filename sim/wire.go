package sim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Wire prints a recorded message as HTTP/1.1 text for people to read: the
// request line or status line, the header fields (Host first, the rest
// sorted), a blank line and the body. Lines end in "\n"; control characters
// and invalid UTF-8 are shown escaped so a body cannot drive the terminal.
func (m Message) Wire(isRequest bool) string { return m.wire(isRequest, "\n", true) }

// wire prints m with the given line ending; escape makes it safe to display.
// TRACE uses it with "\r\n" for a real message/http body.
func (m Message) wire(isRequest bool, eol string, escape bool) string {
	clean := func(s string) string { return s }
	if escape {
		clean = func(s string) string { return escapeControls(s, false) }
	}
	var b strings.Builder
	if isRequest {
		method, target := m.Method, m.Target
		if method == "" {
			method = http.MethodGet
		}
		if target == "" {
			target = "/"
		}
		b.WriteString(clean(method) + " " + clean(target) + " HTTP/1.1" + eol)
	} else {
		fmt.Fprintf(&b, "HTTP/1.1 %d %s%s", m.Status, StatusText(m.Status), eol)
	}
	keys := make([]string, 0, len(m.Header)+1)
	for k := range m.Header {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if (a == "Host") != (b == "Host") {
			if a == "Host" {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		for _, v := range m.Header[k] {
			name := k
			if escape {
				name = FieldName(k)
			}
			b.WriteString(clean(name) + ": " + clean(v) + eol)
		}
	}
	if isRequest && len(m.Body) > 0 && m.Header.Get("Content-Length") == "" && m.Header.Get("Transfer-Encoding") == "" {
		b.WriteString("Content-Length: " + strconv.Itoa(len(m.Body)) + eol)
	}
	b.WriteString(eol)
	if escape {
		b.WriteString(escapeControls(string(m.Body), true))
	} else {
		b.Write(m.Body)
	}
	return b.String()
}

// printable escapes control characters and invalid UTF-8 (keeping newlines
// and tabs when multiline) so that text from the network is safe on a terminal.
func escapeControls(s string, multiline bool) string {
	keep := func(r rune) bool { return multiline && (r == '\n' || r == '\t') }
	if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && !keep(r) }) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keep(r):
			b.WriteRune(r)
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// fieldSpellings are the field names whose registered spelling differs from
// Go's canonical form (net/http writes "Etag" and "Www-Authenticate").
var fieldSpellings = map[string]string{
	"Etag":             "ETag",
	"Www-Authenticate": "WWW-Authenticate",
	"Content-Md5":      "Content-MD5",
	"Dnt":              "DNT",
	"Te":               "TE",
	"X-Xss-Protection": "X-XSS-Protection",
}

// FieldName spells a header field name as HTTP's registry does ("ETag"),
// for showing to people; field names are case-insensitive on the wire.
func FieldName(k string) string {
	if n, ok := fieldSpellings[http.CanonicalHeaderKey(k)]; ok {
		return n
	}
	return k
}

// Printable escapes control characters and invalid UTF-8 in one line of
// text from outside (a header value, a target), so that a terminal shows
// it instead of obeying it.
func Printable(s string) string { return escapeControls(s, false) }
