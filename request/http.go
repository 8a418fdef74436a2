package request

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// ParseHTTP reads an .http file, the format of VS Code's REST Client and
// JetBrains' HTTP Client, as far as putpost's requests need it:
//
//	@base = http://127.0.0.1:8080     a variable, used as {{base}} below
//	### a name                        starts a request (the text is a comment)
//	# or // …                         a comment line
//	PUT {{base}}/accounts/42          METHOD URL [HTTP/1.1]
//	Content-Type: application/json    headers, up to a blank line
//
//	{"balance": 100}                  the body, up to the next ### line
//
// Blank lines at the end of a body are dropped. Each request has Repeat 1 and
// Curl set: like curl's, its body is sent as typed. Errors are *SyntaxError
// values with a line and a column. It never panics.
func ParseHTTP(text string) ([]Line, error) {
	if err := checkFileText(text); err != nil {
		return nil, err
	}
	p := httpParser{lines: strings.Split(text, "\n"), vars: map[string]string{}}
	for i := range p.lines {
		p.lines[i] = strings.TrimSuffix(p.lines[i], "\r")
	}
	var out []Line
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		t := strings.TrimSpace(l)
		switch {
		case t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//"):
			p.i++
		case strings.HasPrefix(t, "@"):
			if err := p.variable(l); err != nil {
				return nil, err
			}
			p.i++
		default:
			r, err := p.request()
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// checkFileText applies checkLineText's rules to each line of a file, so
// that its errors name the line.
func checkFileText(text string) error {
	if len(text) > maxLineBytes*16 {
		return &SyntaxError{Line: 1, Col: 1, Msg: fmt.Sprintf("the file is longer than %d KiB: split it", maxLineBytes*16>>10)}
	}
	for n, l := range strings.Split(text, "\n") {
		if err := checkLineText(strings.TrimSuffix(l, "\r")); err != nil {
			se := err.(*SyntaxError)
			se.Line = n + 1
			return se
		}
	}
	return nil
}

// httpParser walks the lines of an .http file.
type httpParser struct {
	lines []string
	i     int // the line being read, 0-based
	vars  map[string]string
}

// errAt makes a SyntaxError at byte offset off of the current line.
func (p *httpParser) errAt(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Line: p.i + 1, Col: runeCol(p.lines[p.i], off), Msg: fmt.Sprintf(format, args...)}
}

// variable reads "@name = value".
func (p *httpParser) variable(l string) error {
	at := strings.IndexByte(l, '@')
	name, value, ok := strings.Cut(l[at+1:], "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return p.errAt(at, "expected a variable like @base = http://127.0.0.1:8080")
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isTchar(c) || c == '{' || c == '}' {
			return p.errAt(at+1+i, "%s cannot be part of a variable name: use letters, digits, - and _", runeAt(name, i))
		}
	}
	valueAt := at + 1 + strings.Index(l[at+1:], "=") + 1
	v, err := p.substitute(strings.TrimSpace(value), valueAt+len(value)-len(strings.TrimLeft(value, " \t")))
	if err != nil {
		return err
	}
	p.vars[name] = v
	return nil
}

// substitute replaces {{name}} with the variables defined so far; s starts
// at byte offset off of the current line.
func (p *httpParser) substitute(s string, off int) (string, error) {
	if !strings.Contains(s, "{{") {
		return s, nil
	}
	var b strings.Builder
	for {
		open := strings.Index(s, "{{")
		if open < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		end := strings.Index(s[open:], "}}")
		if end < 0 {
			return "", p.errAt(off+open, "this {{ is never closed: write a variable as {{name}}")
		}
		name := strings.TrimSpace(s[open+2 : open+end])
		v, ok := p.vars[name]
		if !ok {
			return "", p.errAt(off+open, "{{%s}} is not defined: define it above with @%s = …", name, name)
		}
		b.WriteString(s[:open])
		b.WriteString(v)
		s, off = s[open+end+2:], off+open+end+2
	}
}

// request reads a request line, its headers and its body, leaving p.i on the
// line after them.
func (p *httpParser) request() (Line, error) {
	r := Line{Header: http.Header{}, Repeat: 1, Curl: true}
	l := p.lines[p.i]
	fields := wordsAt(l)
	if len(fields) > 3 || (len(fields) == 3 && !strings.HasPrefix(l[fields[2]:], "HTTP/")) {
		return r, p.errAt(fields[min(len(fields)-1, 2)], "expected a request line like PUT {{base}}/accounts/42 HTTP/1.1: a URL has no spaces (write one as %%20)")
	}
	if len(fields) < 2 {
		return r, p.errAt(fields[0], "expected a method and a URL, like GET {{base}}/accounts/42")
	}
	method := wordAt(l, fields[0])
	if i := badTchar(method); i >= 0 {
		return r, p.errAt(fields[0]+i, "expected a method such as GET, PUT or POST: %s cannot be part of a method name", runeAt(method, i))
	}
	r.Method = method
	urlAt := fields[1]
	url, err := p.substitute(wordAt(l, urlAt), urlAt)
	if err != nil {
		return r, err
	}
	lp := &lineParser{src: url, curl: true}
	if r.Target, err = lp.target(&word{val: url, tail: len(url)}); err != nil {
		return r, p.shifted(err, urlAt, url != wordAt(l, urlAt))
	}
	p.i++

	for ; p.i < len(p.lines) && strings.TrimSpace(p.lines[p.i]) != ""; p.i++ {
		l := p.lines[p.i]
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "###") {
			return r, nil
		}
		if strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") {
			continue
		}
		if err := p.header(&r, l); err != nil {
			return r, err
		}
	}
	if p.i >= len(p.lines) {
		return r, nil
	}
	p.i++ // the blank line
	start := p.i
	var body []string
	for ; p.i < len(p.lines) && !strings.HasPrefix(p.lines[p.i], "###"); p.i++ {
		l := p.lines[p.i]
		switch {
		case p.i == start && strings.HasPrefix(l, "<"):
			return r, p.errAt(0, "reading a body from a file (< file) is not supported here: put the body itself in the file")
		case strings.HasPrefix(l, ">"):
			return r, p.errAt(0, "response handlers (> …) are not supported here: delete the line")
		}
		v, err := p.substitute(l, 0)
		if err != nil {
			return r, err
		}
		body = append(body, v)
	}
	for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
		body = body[:len(body)-1]
	}
	r.Body = strings.Join(body, "\n")
	if r.Body != "" {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodTrace:
			p.i = start
			return r, p.errAt(0, "a %s request has no body here: delete the body, or use PUT or POST", r.Method)
		}
	}
	return r, nil
}

// header reads "Name: value" into r.
func (p *httpParser) header(r *Line, l string) error {
	colon := strings.IndexByte(l, ':')
	if colon < 0 {
		return p.errAt(len(l), "expected a header like Name: value, or a blank line before the body")
	}
	lead := len(l) - len(strings.TrimLeft(l, " \t"))
	name := l[lead:colon]
	if name == "" {
		return p.errAt(colon, "expected a header name before the colon, like Idempotency-Key: \"k1\"")
	}
	if i := badTchar(name); i >= 0 {
		return p.errAt(lead+i, "%s cannot be part of a header name: use letters, digits and -, like Idempotency-Key", runeAt(name, i))
	}
	key := http.CanonicalHeaderKey(name)
	switch key {
	case "Content-Length", "Transfer-Encoding":
		return p.errAt(lead, "%s is worked out from the body when the request is sent: delete this header", key)
	}
	raw := l[colon+1:]
	valueAt := colon + 1 + len(raw) - len(strings.TrimLeft(raw, " \t"))
	v, err := p.substitute(strings.TrimSpace(raw), valueAt)
	if err != nil {
		return err
	}
	r.Header[key] = append(r.Header[key], v)
	return nil
}

// shifted moves an error found in the URL word to its place in the line; when
// a variable was substituted the place inside is unknown, so it points at the
// URL's start.
func (p *httpParser) shifted(err error, urlAt int, substituted bool) error {
	se, ok := err.(*SyntaxError)
	if !ok {
		return err
	}
	col := runeCol(p.lines[p.i], urlAt)
	if !substituted {
		col += se.Col - 1
	}
	return &SyntaxError{Line: p.i + 1, Col: col, Msg: se.Msg}
}

// wordsAt returns the byte offsets where the blank-separated words of l start.
func wordsAt(l string) []int {
	var at []int
	for i := 0; i < len(l); {
		if l[i] == ' ' || l[i] == '\t' {
			i++
			continue
		}
		at = append(at, i)
		for i < len(l) && l[i] != ' ' && l[i] != '\t' {
			_, size := utf8.DecodeRuneInString(l[i:])
			i += size
		}
	}
	return at
}

// wordAt returns the word of l that starts at byte offset i.
func wordAt(l string, i int) string {
	end := strings.IndexAny(l[i:], " \t")
	if end < 0 {
		return l[i:]
	}
	return l[i : i+end]
}
