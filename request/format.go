package request

// Writing requests for other tools: a curl command line a learner can paste
// into a shell, a shell script of curl commands, and the .http files that VS
// Code's REST Client and JetBrains' HTTP Client run. Every form is read back
// by this package (Parse, ParseHTTP) to the same request.

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// DefaultBase is the server a script or an .http file addresses unless told
// otherwise: where putpost serve listens by default.
const DefaultBase = "http://127.0.0.1:8080"

// BaseEnv is the environment variable an exported shell script reads the
// server's base URL from.
const BaseEnv = "PUTPOST_URL"

// Equal reports whether r and o send the same request: the same method,
// target, header fields (an empty header equals a nil one) and body. The
// repeat count and the form the request was typed in do not count.
func (r Line) Equal(o Line) bool {
	if r.Method != o.Method || r.Target != o.Target || r.Body != o.Body || len(r.Header) != len(o.Header) {
		return false
	}
	for k, v := range r.Header {
		if w, ok := o.Header[k]; !ok || !slices.Equal(v, w) {
			return false
		}
	}
	return true
}

// RequestLine returns r in the request-line form (PUT /accounts/42 {…}),
// repeat count included, and true; or "" and false when that form cannot
// carry r: its body is not JSON, or a GET, HEAD or TRACE has a body. (Both
// forms send the method as typed: method names are case-sensitive.) (String writes such a request as a curl line.)
func (r Line) RequestLine() (string, bool) {
	r.Curl = false
	s := r.String()
	back, err := Parse(s)
	if err != nil || !back.Equal(r) {
		return "", false
	}
	return s, true
}

// curlString writes a curl line canonically, in this package's language:
// the curl command that sends r to its bare path, with the repeat count last.
func (r Line) curlString() string {
	var b strings.Builder
	b.WriteString("curl")
	writeCurlArgs(&b, r, shellQuote)
	writeRepeat(&b, r.Repeat)
	return b.String()
}

// CurlCommand returns a curl command line that sends r once to the server at base
// (such as http://127.0.0.1:8080; a trailing slash is dropped), ready for a
// POSIX shell. It shows the response's status line and headers (-i). Parse
// reads it back to r, as a curl line with Repeat 1.
func (r Line) CurlCommand(base string) string {
	var b strings.Builder
	b.WriteString("curl -i")
	base = strings.TrimRight(base, "/")
	writeCurlArgs(&b, r, func(target string) string { return shellQuote(base + target) })
	return b.String()
}

// writeCurlArgs writes curl's options for r after a space each: the method,
// the URL (url turns the target into a shell word), the headers and the
// body. Headers are sorted; the Content-Type curl adds to
// data by itself is left out, and removed when r has none.
func writeCurlArgs(b *strings.Builder, r Line, url func(target string) string) {
	switch r.Method {
	case http.MethodHead:
		b.WriteString(" -I") // curl -X HEAD would wait for a body that never comes
	case http.MethodGet:
		if r.Body != "" {
			b.WriteString(" -X GET")
		}
	default:
		b.WriteString(" -X ")
		b.WriteString(shellQuote(r.Method))
	}
	target := r.Target
	if target == "*" {
		b.WriteString(" --request-target '*'")
		target = "/"
	}
	if strings.ContainsAny(target, "[]") {
		b.WriteString(" -g") // curl would read [a-z] as a range of URLs
	}
	if hasDotSegment(target) {
		b.WriteString(" --path-as-is") // curl would resolve /a/../b to /b
	}
	b.WriteByte(' ')
	b.WriteString(url(target))
	ct, hasCT := r.Header["Content-Type"]
	writeHeaders(b, r, contentTypeForm, ";")
	if r.Body != "" {
		if !hasCT || len(ct) == 0 {
			b.WriteString(" -H 'Content-Type:'") // curl would add its own
		}
		b.WriteString(" --data-raw ")
		b.WriteString(singleQuote(r.Body))
	}
}

// hasDotSegment reports whether the path of a target has a "." or ".."
// segment, which curl resolves unless told not to.
func hasDotSegment(target string) bool {
	path, _, _ := strings.Cut(target, "?")
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// WriteShell writes lines as a POSIX shell script that sends each of them,
// Repeat times, with curl to the server named by $PUTPOST_URL (DefaultBase
// when it is unset), printing the status, method and target of every
// response. Each line of about becomes a comment at the top. The script stops
// at the first request curl cannot send (no server, say); an HTTP error status
// is an answer, not a failure. A request no shell command can carry (a NUL
// byte) is an error naming it, and then nothing is written.
func WriteShell(w io.Writer, lines []Line, about ...string) error {
	var b strings.Builder
	b.WriteString("#!/bin/sh\n")
	for _, a := range about {
		writeComment(&b, "# ", a)
	}
	sends := 0
	for _, r := range lines {
		sends += max(r.Repeat, 1)
	}
	fmt.Fprintf(&b, "# Sends %d request%s with curl. Point it at a server with %s=http://HOST:PORT (default %s).\n",
		sends, plural(sends), BaseEnv, DefaultBase)
	b.WriteString("set -eu\n")
	fmt.Fprintf(&b, "base=${%s:-%s}\n", BaseEnv, DefaultBase)
	b.WriteString("base=${base%/}\n")
	for i, r := range lines {
		if why := shellProblem(r); why != "" {
			return fmt.Errorf("request %d (%s %s) cannot be written to a shell script: %s", i+1, r.Method, r.Target, why)
		}
		b.WriteByte('\n')
		indent := ""
		if r.Repeat > 1 {
			fmt.Fprintf(&b, "i=0\nwhile [ \"$i\" -lt %d ]; do\n  i=$((i + 1))\n", r.Repeat)
			indent = "  "
		}
		b.WriteString(indent)
		b.WriteString("curl -sS -o /dev/null -w ")
		// -w reads %{…} and %%; a method is a token and may hold a %.
		report := strings.ReplaceAll(r.Method+" "+r.Target, "%", "%%")
		b.WriteString(singleQuote("%{http_code} " + report + `\n`))
		writeCurlArgs(&b, r, func(target string) string { return `"$base"` + shellQuote(target) })
		b.WriteByte('\n')
		if r.Repeat > 1 {
			b.WriteString("done\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeComment writes text as comment lines starting with prefix.
func writeComment(b *strings.Builder, prefix, text string) {
	for l := range strings.SplitSeq(text, "\n") {
		b.WriteString(strings.TrimRight(prefix+l, " "))
		b.WriteByte('\n')
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// WriteHTTP writes lines as an .http file for VS Code's REST Client and
// JetBrains' HTTP Client: a @base variable holding base (DefaultBase when
// empty), then each request, Repeat times, after a ### separator. Each line
// of about becomes a comment at the top. A request the format cannot carry
// exactly (see HTTPProblem) is an error naming it, and then nothing is
// written: export as a shell script instead.
func WriteHTTP(w io.Writer, lines []Line, base string, about ...string) error {
	if base == "" {
		base = DefaultBase
	}
	base = strings.TrimRight(base, "/")
	if strings.ContainsAny(base, " \t\r\n") || strings.Contains(base, "{{") {
		return fmt.Errorf("the base URL %q cannot go in an .http file: it holds a space, a line break or {{", base)
	}
	var b bytes.Buffer
	for _, a := range about {
		var c strings.Builder
		writeComment(&c, "# ", a)
		b.WriteString(c.String())
	}
	fmt.Fprintf(&b, "@base = %s\n", base)
	n := 0
	for i, r := range lines {
		if why := HTTPProblem(r); why != "" {
			return fmt.Errorf("request %d (%s %s) cannot be written to an .http file: %s; export as .sh instead", i+1, r.Method, r.Target, why)
		}
		for range max(r.Repeat, 1) {
			n++
			fmt.Fprintf(&b, "\n### %d\n", n)
			writeHTTPRequest(&b, r)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// HTTPProblem says why r cannot be written to an .http file exactly, or
// returns "" when it can. Both clients read {{…}} as a variable, a body line
// starting with ### as the next request, < as a file to include and > as a
// response handler, and they drop blank lines at the end of a body.
func HTTPProblem(r Line) string {
	switch {
	case r.Target == "*":
		return "the .http format has no way to send OPTIONS *"
	case badTchar(r.Method) >= 0 || r.Method == "":
		return fmt.Sprintf("%q is not a method", r.Method)
	}
	for _, s := range []string{r.Method, r.Target, r.Body} {
		if why := textProblem(s); why != "" {
			return why
		}
	}
	for _, name := range slices.Sorted(maps.Keys(r.Header)) {
		if why := textProblem(name + strings.Join(r.Header[name], "")); why != "" {
			return "a header: " + why
		}
		if strings.HasPrefix(name, "#") {
			return fmt.Sprintf("the header name %s would be read as a comment", name)
		}
		for _, v := range r.Header[name] {
			if strings.Contains(v, "{{") {
				return fmt.Sprintf("the %s header holds {{, which the clients read as a variable", name)
			}
			if strings.ContainsAny(v, "\r\n") || strings.TrimSpace(v) != v {
				return fmt.Sprintf("the %s header's value has a line break or blanks at its ends", name)
			}
		}
	}
	body := r.Body
	switch {
	case strings.Contains(body, "{{"):
		return "the body holds {{, which the clients read as a variable"
	case strings.Contains(body, "\r"):
		return "the body holds a carriage return"
	}
	if body == "" {
		return ""
	}
	bl := strings.Split(body, "\n")
	if strings.TrimSpace(bl[len(bl)-1]) == "" {
		return "the body ends with a blank line, which the clients drop"
	}
	for _, l := range bl {
		switch {
		case strings.HasPrefix(l, "###"):
			return "a line of the body starts with ###, which starts the next request"
		case strings.HasPrefix(l, "<"), strings.HasPrefix(l, ">"):
			return "a line of the body starts with < or >, which the clients read as a file or a response handler"
		}
	}
	return ""
}

// writeHTTPRequest writes one request of an .http file: the request line
// against {{base}}, the headers sorted by name, and the body after a blank
// line.
func writeHTTPRequest(b *bytes.Buffer, r Line) {
	fmt.Fprintf(b, "%s {{base}}%s\n", r.Method, r.Target)
	for _, name := range slices.Sorted(maps.Keys(r.Header)) {
		for _, v := range r.Header[name] {
			if v == "" {
				fmt.Fprintf(b, "%s:\n", name)
			} else {
				fmt.Fprintf(b, "%s: %s\n", name, v)
			}
		}
	}
	if r.Body != "" {
		b.WriteByte('\n')
		b.WriteString(r.Body)
		b.WriteByte('\n')
	}
}
