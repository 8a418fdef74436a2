package sim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/putpost/putpost/termsafe"
)

// Wire prints a recorded message as HTTP/1.1 text for people to read: the
// request line or status line, the header fields (Host first, the rest
// sorted), a blank line and the body. Lines end in "\n"; everything a terminal
// would act on is shown escaped (termsafe), and very long fields and bodies
// are cut, so a message from the network cannot drive or flood the screen.
func (m Message) Wire(isRequest bool) string { return m.wire(isRequest, "\n", true) }

// wire prints m with the given line ending; escape makes it safe to display.
// TRACE uses it with "\r\n" for a real message/http body.
func (m Message) wire(isRequest bool, eol string, escape bool) string {
	clean := func(s string) string { return s }
	if escape {
		clean = func(s string) string { return termsafe.Cut(s, maxWireField) }
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
		// Tabs are shown as four spaces (as Lip Gloss draws one): a raw
		// tab would move a terminal's cursor past the box it is drawn in.
		b.WriteString(termsafe.CutText(strings.ReplaceAll(string(m.Body), "\t", "    "), maxWireBody))
	} else {
		b.Write(m.Body)
	}
	return b.String()
}

// What Wire shows at most of one field (a target, a header name or value)
// and of a body; the rest is cut with "…".
const (
	maxWireField = 2 << 10
	maxWireBody  = 64 << 10
)

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
