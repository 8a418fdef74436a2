package request

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// MaxRepeat is the largest repeat count a request line may ask for (x1000).
const MaxRepeat = 1000

// maxLineBytes caps a request line: a line is typed or pasted by a person, and
// the cap keeps a runaway paste from being scanned, validated and echoed.
const maxLineBytes = 64 << 10

// requestBase is the origin NewRequest resolves targets against.
const requestBase = "http://putpost.local"

// The default Content-Type of a body, by the form of the line.
const (
	contentTypeJSON       = "application/json"
	contentTypeMergePatch = "application/merge-patch+json"
	contentTypeForm       = "application/x-www-form-urlencoded" // what curl -d sends
)

// Line is one request as a person types it, parsed by Parse:
//
//	PUT /accounts/42 {"balance": 100}
//	POST /customers {"name":"Joe"} -H 'Idempotency-Key: "k1"' x3
//	curl -X PUT http://localhost:8080/accounts/42 -H 'Content-Type: application/json' -d '{"balance":100}'
type Line struct {
	Method string      // an HTTP token: upper case in the request-line form (GET, PUT, FROB, …); a curl -X method exactly as typed
	Target string      // path and optional query, starting with "/" (the host of a URL is dropped); or "*" for OPTIONS *
	Header http.Header // canonical keys; includes the Content-Type the line implies; never nil after parsing
	Body   string      // "" when the request has no body
	Repeat int         // how many times to send the request: 1 … MaxRepeat
	Curl   bool        // the line was a curl command: the body is sent as typed, not checked as JSON
}

// SyntaxError says where a request line cannot be understood and what was
// expected there.
type SyntaxError struct {
	Line int    // 1-based line in a file of requests (.http); 0 for a single request
	Col  int    // 1-based column in runes, counted over the whole input (or the line, in a file)
	Msg  string // a plain sentence: what is wrong and what to type instead
}

// Error returns "column 12: " (or "line 3, column 12: ") followed by the
// message.
func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("column %d: %s", e.Col, e.Msg)
}

// Parse parses one request in the request-line form or as a curl
// command line. Errors are *SyntaxError values. It never panics.
//
// Request-line form: METHOD TARGET [BODY] [-H 'Name: value']... [-d 'BODY'] [xN]
// The method is any HTTP token, sent as typed (method names are
// case-sensitive: "put" is not PUT); TARGET is a path starting
// with "/" (or an http/https URL whose host is dropped), or * after OPTIONS
// for the whole server; BODY is JSON, checked
// here, and not allowed on GET, HEAD or TRACE; a body gets Content-Type
// application/json (application/merge-patch+json for PATCH) unless a header
// sets one. xN (or ×N) at the end sends the request N times.
//
// curl form: curl [options] URL [xN], read the way a shell and curl would.
// See the curl.go file comment for the options understood.
func Parse(line string) (Line, error) {
	line = strings.TrimRight(line, "\r\n")
	if err := checkLineText(line); err != nil {
		return Line{}, err
	}
	p := &lineParser{src: line}
	if err := p.skipSpace(); err != nil {
		return Line{}, err
	}
	if p.atEnd() {
		return Line{}, p.errAt(0, "the line is empty: type a request such as GET /accounts/42 or PUT /accounts/42 {\"balance\": 100}")
	}
	first, firstEnd, err := p.rawWord()
	if err != nil {
		return Line{}, err
	}
	// A pasted shell prompt: "$ curl …".
	if line[first:firstEnd] == "$" {
		save := p.pos
		if err := p.skipSpace(); err == nil {
			if s, e, err := p.rawWord(); err == nil && isCurlWord(line[s:e]) {
				return p.parseCurl()
			}
		}
		p.pos = save
	}
	if isCurlWord(line[first:firstEnd]) {
		return p.parseCurl()
	}
	return p.parseRequestForm(first, firstEnd)
}

// lineParser walks one line. Offsets are byte offsets into src; errors turn
// them into rune columns.
type lineParser struct {
	src  string
	pos  int
	curl bool // shell rules: quoted text may span lines
}

func (p *lineParser) atEnd() bool { return p.pos >= len(p.src) }

// errAt makes a SyntaxError at byte offset off.
func (p *lineParser) errAt(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Col: runeCol(p.src, off), Msg: fmt.Sprintf(format, args...)}
}

// runeCol turns a byte offset into a 1-based rune column.
func runeCol(s string, off int) int {
	off = max(0, min(off, len(s)))
	return utf8.RuneCountInString(s[:off]) + 1
}

// checkLineText rejects what no part of a request line may hold: more than
// maxLineBytes, invalid UTF-8 and control characters. Line breaks are left
// to the scanner, which knows where they are allowed.
func checkLineText(line string) error {
	if len(line) > maxLineBytes {
		off := maxLineBytes
		for off > 0 && !utf8.RuneStart(line[off]) {
			off--
		}
		return &SyntaxError{Col: runeCol(line, off), Msg: fmt.Sprintf(
			"the line is longer than %d KiB: shorten it (a body this large is better sent with curl against --listen)", maxLineBytes>>10)}
	}
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
				return &SyntaxError{Col: runeCol(line, i), Msg: fmt.Sprintf(
					"control character %s is not allowed in a request: delete it and retype that part", termsafe.Describe(rune(c)))}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		if r == utf8.RuneError && size == 1 {
			return &SyntaxError{Col: runeCol(line, i), Msg: fmt.Sprintf(
				"the line is not valid UTF-8 text (byte 0x%02x): retype that character", c)}
		}
		if r >= 0x80 && r <= 0x9f {
			return &SyntaxError{Col: runeCol(line, i), Msg: fmt.Sprintf(
				"control character %s is not allowed in a request: delete it and retype that part", termsafe.Describe(r))}
		}
		i += size
	}
	return nil
}

// newlineAt returns the length of the line break at s[i:] (1 for "\n", 2 for
// "\r\n") or 0 when there is none.
func newlineAt(s string, i int) int {
	switch {
	case i < len(s) && s[i] == '\n':
		return 1
	case i+1 < len(s) && s[i] == '\r' && s[i+1] == '\n':
		return 2
	}
	return 0
}

// isBlank reports a word separator at s[i]: space, tab or a no-break space
// (pasted from web pages).
func isBlank(s string, i int) bool {
	c := s[i]
	return c == ' ' || c == '\t' || (c == 0xc2 && i+1 < len(s) && s[i+1] == 0xa0)
}

// blankLen is the byte length of the blank at s[i].
func blankLen(s string, i int) int {
	if s[i] == 0xc2 {
		return 2
	}
	return 1
}

// atBreak reports whether a raw word ends at s[i].
func atBreak(s string, i int) bool {
	c := s[i]
	return isBlank(s, i) || c == '\n' || c == '\r' || (c == '\\' && newlineAt(s, i+1) > 0)
}

func (p *lineParser) lineBreakErr(off int) *SyntaxError {
	return p.errAt(off, "the request breaks onto a new line here: keep it on one line, or end the line with \\ to continue it")
}

// skipSpace skips blanks and backslash-newline continuations.
func (p *lineParser) skipSpace() error {
	for p.pos < len(p.src) {
		switch c := p.src[p.pos]; {
		case isBlank(p.src, p.pos):
			p.pos += blankLen(p.src, p.pos)
		case c == '\\' && newlineAt(p.src, p.pos+1) > 0:
			p.pos += 1 + newlineAt(p.src, p.pos+1)
		case c == '\n' || c == '\r':
			return p.lineBreakErr(p.pos)
		default:
			return nil
		}
	}
	return nil
}

// rawWord reads a word with no quote processing (method, path, repeat count).
func (p *lineParser) rawWord() (start, end int, err error) {
	start = p.pos
	for p.pos < len(p.src) && !atBreak(p.src, p.pos) {
		if p.src[p.pos] == '\\' && p.pos == len(p.src)-1 {
			return 0, 0, p.trailingBackslashErr(p.pos)
		}
		p.pos++
	}
	return start, p.pos, nil
}

func (p *lineParser) trailingBackslashErr(off int) *SyntaxError {
	return p.errAt(off, "the line ends with \\, which continues a command on the next line: add the rest of the command or delete the \\")
}

// word is a shell word: its value after quote removal, and where each byte
// of the value came from in the line, so errors inside it get exact columns.
type word struct {
	val   string
	start int   // offset of the word's first byte in the line
	offs  []int // offs[i] is the line offset of val[i]; offs[len(val)] is just past the last value byte; nil for a raw word
	tail  int   // offset just past the whole word
	plain bool  // no quotes or backslashes were involved
}

// off returns the line offset of val[i]; i may be len(val).
func (w *word) off(i int) int {
	if w.offs == nil { // an unquoted word: its bytes are the line's
		return w.start + max(0, min(i, len(w.val)))
	}
	if i >= 0 && i < len(w.offs) {
		return w.offs[i]
	}
	return w.tail
}

// shellWord reads one word the way a POSIX shell would: 'single quotes' are
// literal, "double quotes" take \" \\ \$ \` escapes, a backslash outside
// quotes escapes the next character, and backslash-newline continues the word.
func (p *lineParser) shellWord() (word, error) {
	s := p.src
	w := word{start: p.pos, plain: true}
	if r, _ := utf8.DecodeRuneInString(s[p.pos:]); r == '‘' || r == '’' || r == '“' || r == '”' {
		return w, p.errAt(p.pos, "%c is a typographic quote: use a straight ' or \" instead", r)
	}
	if c := s[p.pos]; c == '|' || c == ';' || c == '&' || c == '<' || c == '>' {
		return w, p.shellOperatorErr(p.pos)
	}
	val := make([]byte, 0, 16)
	offs := make([]int, 0, 17)
	last := p.pos
	add := func(i int) {
		val = append(val, s[i])
		offs = append(offs, i)
		last = i + 1
	}
scan:
	for p.pos < len(s) {
		c := s[p.pos]
		switch {
		case c == '\\':
			if n := newlineAt(s, p.pos+1); n > 0 {
				p.pos += 1 + n
				continue
			}
			if p.pos+1 >= len(s) {
				return w, p.trailingBackslashErr(p.pos)
			}
			w.plain = false
			_, size := utf8.DecodeRuneInString(s[p.pos+1:])
			for i := p.pos + 1; i < p.pos+1+size; i++ {
				add(i)
			}
			p.pos += 1 + size
		case isBlank(s, p.pos) || c == '\n' || c == '\r':
			break scan
		case c == '\'':
			w.plain = false
			open := p.pos
			p.pos++
			last = p.pos
			for {
				if p.pos >= len(s) {
					return w, p.errAt(open, "this ' is never closed: add a closing ' at the end of the quoted text")
				}
				c := s[p.pos]
				if c == '\'' {
					p.pos++
					break
				}
				if (c == '\n' || c == '\r') && !p.curl {
					return w, p.lineBreakErr(p.pos)
				}
				add(p.pos)
				p.pos++
			}
		case c == '"':
			w.plain = false
			open := p.pos
			p.pos++
			last = p.pos
			for {
				if p.pos >= len(s) {
					return w, p.errAt(open, "this \" is never closed: add a closing \" at the end of the quoted text")
				}
				c := s[p.pos]
				if c == '"' {
					p.pos++
					break
				}
				if c == '\\' && p.pos+1 < len(s) {
					if n := newlineAt(s, p.pos+1); n > 0 && p.curl {
						p.pos += 1 + n
						continue
					}
					if e := s[p.pos+1]; e == '"' || e == '\\' || e == '$' || e == '`' {
						add(p.pos + 1)
						p.pos += 2
						continue
					}
				}
				if (c == '\n' || c == '\r') && !p.curl {
					return w, p.lineBreakErr(p.pos)
				}
				add(p.pos)
				p.pos++
			}
		default:
			add(p.pos)
			p.pos++
		}
	}
	w.val = string(val)
	w.offs = append(offs, last)
	w.tail = p.pos
	return w, nil
}

func (p *lineParser) shellOperatorErr(off int) *SyntaxError {
	c := p.src[off]
	return p.errAt(off, "shell pipes, redirections and command lists (%c) do not work here: delete %c and what follows it", c, c)
}

// nextWord skips blanks and reads the next shell word; ok is false at the end
// of the line.
func (p *lineParser) nextWord() (w word, ok bool, err error) {
	if err := p.skipSpace(); err != nil {
		return w, false, err
	}
	if p.atEnd() {
		return w, false, nil
	}
	w, err = p.shellWord()
	return w, err == nil, err
}

// isLast reports whether nothing but blanks follows the parser's position.
func (p *lineParser) isLast() bool {
	save := p.pos
	defer func() { p.pos = save }()
	return p.skipSpace() == nil && p.atEnd()
}

// isTchar reports whether c may appear in an HTTP token (RFC 9110 §5.6.2).
func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// badTchar returns the index of the first byte of s that cannot be in a
// token, or -1.
func badTchar(s string) int {
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return i
		}
	}
	return -1
}

// runeAt returns the character that starts at s[i], for messages.
func runeAt(s string, i int) string {
	r, _ := utf8.DecodeRuneInString(s[i:])
	switch r {
	case ' ':
		return "a space"
	case '\t':
		return "a tab"
	case '\n', '\r':
		return "a line break"
	}
	return strconv.Quote(string(r))
}

// method checks a method name; off(i) locates byte i. Method names are
// case-sensitive (RFC 9110 §9.1): "put" is sent as typed, and the server
// says it is not PUT.
func (p *lineParser) method(m string, off func(int) int) (string, error) {
	if m == "" {
		return "", p.errAt(off(0), "expected a method such as GET, PUT or POST")
	}
	if i := badTchar(m); i >= 0 {
		return "", p.errAt(off(i), "expected a method such as GET, PUT or POST: %s cannot be part of a method name", runeAt(m, i))
	}
	return m, nil
}

// parseRequestForm parses METHOD TARGET [BODY] [options] [xN]; the method
// word is line[mStart:mEnd].
func (p *lineParser) parseRequestForm(mStart, mEnd int) (Line, error) {
	r := Line{Header: http.Header{}, Repeat: 1}
	m := p.src[mStart:mEnd]
	switch {
	case m[0] == '/':
		return r, p.errAt(mStart, "expected a method before the path, like GET %s", m)
	case m[0] == '-':
		return r, p.errAt(mStart, "a request starts with its method, like PUT /accounts/42; to use curl options, start the line with curl")
	}
	if i := strings.IndexByte(m, '/'); i > 0 && badTchar(m[:i]) < 0 {
		return r, p.errAt(mStart+i, "expected a space between the method and the path: %s %s", strings.ToUpper(m[:i]), m[i:])
	}
	method, err := p.method(m, func(i int) int { return mStart + i })
	if err != nil {
		return r, err
	}
	r.Method = method

	if err := p.skipSpace(); err != nil {
		return r, err
	}
	if p.atEnd() {
		return r, p.errAt(p.pos, "expected a path after %s, like %s /accounts/42", method, method)
	}
	var tw word
	if c := p.src[p.pos]; c == '\'' || c == '"' {
		if tw, err = p.shellWord(); err != nil {
			return r, err
		}
	} else {
		s, e, err := p.rawWord()
		if err != nil {
			return r, err
		}
		tw = word{val: p.src[s:e], start: s, tail: e, plain: true}
	}
	if tw.val == "*" && method == http.MethodOptions {
		r.Target = "*" // asterisk-form: the whole server (RFC 9112 §3.2.4)
	} else if r.Target, err = p.target(&tw); err != nil {
		return r, err
	}
	// A request line copied from the wire, or from an RFC, ends with its
	// version: here the client chooses it.
	if err := p.skipSpace(); err != nil {
		return r, err
	}
	if v := p.src[p.pos:]; len(v) >= 5 && strings.EqualFold(v[:5], "HTTP/") {
		end := strings.IndexAny(v, " \t")
		if end < 0 {
			end = len(v)
		}
		return r, p.errAt(p.pos, "leave out %s: type the request line without its version, like %s %s; the client sends HTTP/1.1", clip(v[:end], 12), method, clip(r.Target, 40))
	}

	hasBody := false
	for {
		if err := p.skipSpace(); err != nil {
			return r, err
		}
		if p.atEnd() {
			break
		}
		start := p.pos
		c := p.src[start]

		// An option: -H, --header, -d and friends. "-5" is a JSON number.
		if c == '-' && !(start+1 < len(p.src) && '0' <= p.src[start+1] && p.src[start+1] <= '9') {
			w, err := p.shellWord()
			if err != nil {
				return r, err
			}
			name, arg, attached := splitShortOption(w.val)
			switch name {
			case "-H", "--header":
				hw, err := p.optionArg(name, &w, arg, attached, "a header")
				if err != nil {
					return r, err
				}
				h, err := p.header(&hw, false)
				if err != nil {
					return r, err
				}
				r.Header[h.name] = append(r.Header[h.name], h.value)
			case "-d", "--data", "--data-raw", "--data-binary":
				dw, err := p.optionArg(name, &w, arg, attached, "a JSON body")
				if err != nil {
					return r, err
				}
				if hasBody {
					return r, p.errAt(w.start, "the request already has a body: give it once")
				}
				if err := p.noBodyFor(r.Method, w.start); err != nil {
					return r, err
				}
				if name != "--data-raw" && strings.HasPrefix(dw.val, "@") {
					return r, p.errAt(dw.off(0), "reading a body from a file (@…) is not supported here: put the JSON itself in the line")
				}
				// Surrounding white space is no part of a JSON text.
				lead := len(dw.val) - len(strings.TrimLeft(dw.val, " \t"))
				body := strings.TrimRight(dw.val[lead:], " \t")
				if err := p.checkJSON(body, func(i int) int { return dw.off(lead + i) }); err != nil {
					return r, err
				}
				r.Body, hasBody = body, true
			default:
				return r, p.errAt(w.start, "%s is not understood in a request line, which takes -H 'Name: value' and -d 'JSON': to use other curl options, start the line with curl", optionName(w.val))
			}
			continue
		}

		if c == '|' || c == ';' || c == '&' || c == '<' || c == '>' {
			return r, p.shellOperatorErr(start)
		}

		// A repeat count, which must come last.
		_, e, err := p.rawWord()
		if err != nil {
			return r, err
		}
		if digits, ok := repeatDigits(p.src[start:e]); ok {
			if !p.isLast() {
				return r, p.errAt(start, "the repeat count goes at the end of the line, like %s /accounts/42 x3", r.Method)
			}
			if r.Repeat, err = p.repeat(digits, e-len(digits)); err != nil {
				return r, err
			}
			break
		}
		p.pos = start

		// The body.
		if hasBody {
			return r, p.errAt(start, "%s is not understood after the body: a body is one JSON value, and after it come -H 'Name: value' options and a repeat count such as x3", clip(p.src[start:e], 20))
		}
		if err := p.noBodyFor(r.Method, start); err != nil {
			return r, err
		}
		end, err := p.inlineJSON()
		if err != nil {
			return r, err
		}
		r.Body, hasBody = p.src[start:end], true
		if err := p.checkJSON(r.Body, func(i int) int { return start + i }); err != nil {
			return r, err
		}
	}
	if _, ok := r.Header["Content-Type"]; hasBody && !ok {
		r.Header["Content-Type"] = []string{r.defaultContentType()}
	}
	return r, nil
}

// clip shortens s to at most n runes for a message.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// noBodyFor refuses a body on methods that must not carry one here.
func (p *lineParser) noBodyFor(method string, off int) error {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodTrace:
		return p.errAt(off, "a %s request has no body here: delete the body, or use PUT or POST to send data", method)
	}
	return nil
}

// optionName returns the option part of an option word, for messages.
func optionName(s string) string {
	if strings.HasPrefix(s, "--") {
		return s
	}
	if len(s) > 2 {
		_, size := utf8.DecodeRuneInString(s[1:])
		return s[:1+size]
	}
	return s
}

// splitShortOption splits "-HName: v" into "-H" and its attached argument.
func splitShortOption(s string) (name, arg string, attached bool) {
	if len(s) > 2 && s[0] == '-' && s[1] != '-' {
		return s[:2], s[2:], true
	}
	return s, "", false
}

// optionArg returns the argument of option name, given in word w: attached
// to it ("-XPUT") or the next word.
func (p *lineParser) optionArg(name string, w *word, arg string, attached bool, want string) (word, error) {
	if attached {
		n := len(w.val) - len(arg)
		a := word{val: arg, start: w.off(n), tail: w.tail, offs: w.offs[n:], plain: w.plain}
		return a, nil
	}
	a, ok, err := p.nextWord()
	if err != nil {
		return a, err
	}
	if !ok {
		return a, p.errAt(p.pos, "expected %s after %s, like %s", want, name, optionExample(name))
	}
	return a, nil
}

// optionExample shows an option with an argument, for errors.
func optionExample(opt string) string {
	switch opt {
	case "-X", "--request":
		return opt + " PUT"
	case "-H", "--header":
		return opt + ` 'Idempotency-Key: "k1"'`
	case "-A", "--user-agent":
		return opt + " 'my-client/1.0'"
	case "--url":
		return opt + " http://localhost:8080/accounts/42"
	case "--request-target":
		return opt + " '*'"
	}
	return opt + ` '{"name":"Joe"}'`
}

// repeatDigits reports whether s is meant as a repeat count (x3, X3, ×3, and
// the mistakes x, x0, x-1) and returns what follows the x.
func repeatDigits(s string) (string, bool) {
	var rest string
	switch {
	case strings.HasPrefix(s, "x"), strings.HasPrefix(s, "X"):
		rest = s[1:]
	case strings.HasPrefix(s, "×"):
		rest = s[len("×"):]
	default:
		return "", false
	}
	if rest == "" || ('0' <= rest[0] && rest[0] <= '9') || rest[0] == '-' || rest[0] == '+' {
		return rest, true
	}
	return "", false
}

// repeat checks a repeat count; off is the line offset of digits.
func (p *lineParser) repeat(digits string, off int) (int, error) {
	if digits == "" {
		return 0, p.errAt(off, "expected a number after x, like x3, to send the request 3 times")
	}
	if digits[0] == '-' {
		return 0, p.errAt(off, "the repeat count must be at least 1: use a whole number from 1 to %d, like x3", MaxRepeat)
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, p.errAt(off+i, "the repeat count must be a whole number from 1 to %d, like x3", MaxRepeat)
		}
	}
	trimmed := strings.TrimLeft(digits, "0")
	if trimmed == "" {
		return 0, p.errAt(off, "the repeat count must be at least 1: x0 would send nothing, so use x1 or leave the count out")
	}
	n, err := strconv.Atoi(trimmed)
	if err != nil || len(trimmed) > 4 || n > MaxRepeat {
		return 0, p.errAt(off, "the repeat count is capped at %d: use x%d or fewer", MaxRepeat, MaxRepeat)
	}
	return n, nil
}

// target turns a path or URL into the request target: path and query, with
// any host and fragment dropped, escaped as it goes on the wire.
func (p *lineParser) target(w *word) (string, error) {
	s := w.val
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return "", p.errAt(w.off(i), "a URL cannot contain a line break: put it on one line")
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i] // a fragment is never sent
	}
	if s == "" {
		return "", p.errAt(w.start, "expected a path, like /accounts/42")
	}
	pathAt := 0 // where the path starts in w.val
	if i := strings.Index(s, "://"); i >= 0 && s[0] != '/' {
		switch strings.ToLower(s[:i]) {
		case "http", "https":
		default:
			return "", p.errAt(w.off(0), "only http:// and https:// URLs work here: use a path like /accounts/42")
		}
		authEnd := i + 3
		for authEnd < len(s) && s[authEnd] != '/' && s[authEnd] != '?' {
			authEnd++
		}
		if at := strings.IndexByte(s[i+3:authEnd], '@'); at >= 0 {
			return "", p.errAt(w.off(i+3), "user names and passwords in the URL are not supported here: delete the part up to @")
		}
		pathAt = authEnd
	} else if s[0] != '/' {
		hostEnd := strings.IndexAny(s, "/?")
		if hostEnd < 0 {
			hostEnd = len(s)
		}
		if !looksLikeHost(s[:hostEnd], p.curl) {
			return "", p.errAt(w.off(0), "expected a path starting with /: try /%s", s)
		}
		pathAt = hostEnd
	}
	path := s[pathAt:]
	if path == "" || path[0] == '?' {
		path = "/" + path
	}
	pathEnd := strings.IndexByte(path, '?')
	if pathEnd < 0 {
		pathEnd = len(path)
	}
	for i := 0; i < pathEnd; i++ {
		if path[i] == '%' && (i+2 >= pathEnd || !isHex(path[i+1]) || !isHex(path[i+2])) {
			return "", p.errAt(w.off(pathAt+i), "expected two hex digits after %% in the path, like %%20 for a space")
		}
	}
	return escapeTarget(path), nil
}

// looksLikeHost reports whether a schemeless URL starts with a host name:
// localhost, anything with a port, or (like curl) a name with a dot.
func looksLikeHost(h string, curl bool) bool {
	if h == "localhost" {
		return true
	}
	if i := strings.LastIndexByte(h, ':'); i > 0 && i < len(h)-1 {
		if strings.Trim(h[i+1:], "0123456789") == "" {
			return true
		}
	}
	return curl && strings.Contains(h, ".") && !strings.HasPrefix(h, ".")
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// escapeTarget percent-encodes the bytes that cannot appear in a request
// target on the wire (spaces, controls, non-ASCII, "<>\^`{|}) and leaves the
// rest as typed, existing escapes included, so it is idempotent.
func escapeTarget(q string) string {
	const hexDigits = "0123456789ABCDEF"
	need := false
	for i := 0; i < len(q); i++ {
		if targetEscapes(q[i]) {
			need = true
			break
		}
	}
	if !need {
		return q
	}
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if c := q[i]; targetEscapes(c) {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func targetEscapes(c byte) bool {
	return c <= ' ' || c >= 0x7f || strings.IndexByte("\"#<>\\^`{|}", c) >= 0
}

// headerField is one parsed -H argument.
type headerField struct {
	name, value string
	remove      bool // curl's "Name:" removes a header curl would add
}

// header parses "Name: value". In curl form, "Name:" removes the header and
// "Name;" sends it empty, as curl does.
func (p *lineParser) header(w *word, curl bool) (headerField, error) {
	v := w.val
	colon := strings.IndexByte(v, ':')
	emptyValue := false
	if colon < 0 {
		if !curl || !strings.HasSuffix(v, ";") {
			return headerField{}, p.errAt(w.off(len(v)), "expected a colon after the header name, like -H 'Name: value'")
		}
		colon, emptyValue = len(v)-1, true
	}
	name := v[:colon]
	if name == "" {
		return headerField{}, p.errAt(w.off(0), "expected a header name before the colon, like -H 'Idempotency-Key: \"k1\"'")
	}
	if i := badTchar(name); i >= 0 {
		if name[i] == ' ' || name[i] == '\t' {
			return headerField{}, p.errAt(w.off(i), "a header name cannot contain a space: write it like -H 'Idempotency-Key: \"k1\"', with the colon right after the name")
		}
		return headerField{}, p.errAt(w.off(i), "%s cannot be part of a header name: use letters, digits and -, like Idempotency-Key", runeAt(name, i))
	}
	h := headerField{name: http.CanonicalHeaderKey(name)}
	if !emptyValue {
		var err error
		if h.value, err = p.headerValue(w, colon+1); err != nil {
			return headerField{}, err
		}
		h.remove = curl && h.value == ""
	}
	switch h.name {
	case "Content-Length", "Transfer-Encoding":
		return headerField{}, p.errAt(w.off(0), "%s is worked out from the body when the request is sent: delete this header", h.name)
	}
	return h, nil
}

// headerValue returns w.val[from:] as a header value: without the blanks
// around it, and refused if it holds a line break.
func (p *lineParser) headerValue(w *word, from int) (string, error) {
	raw := w.val[from:]
	lead := len(raw) - len(strings.TrimLeft(raw, " \t"))
	v := strings.TrimRight(raw[lead:], " \t")
	if i := strings.IndexAny(v, "\r\n"); i >= 0 {
		return "", p.errAt(w.off(from+lead+i), "a header value cannot contain a line break: put the whole header on one line")
	}
	return v, nil
}

// inlineJSON finds where a JSON body typed straight into the line ends: at
// the bracket or quote that closes the first value, or at the next blank.
// Checking the JSON is left to checkJSON.
func (p *lineParser) inlineJSON() (int, error) {
	s, start := p.src, p.pos
	end := start
	if c := s[start]; c == '{' || c == '[' || c == '"' {
		n, openAt := scanJSON(s[start:])
		stop := len(s)
		if n >= 0 {
			stop = start + n
		}
		if i := strings.IndexAny(s[start:stop], "\r\n"); i >= 0 {
			return 0, p.lineBreakErr(start + i)
		}
		if n < 0 {
			return 0, p.unfinishedJSONErr(len(s), s[start+openAt], start+openAt)
		}
		end = stop
	}
	for end < len(s) && !atBreak(s, end) {
		end++
	}
	p.pos = end
	return end, nil
}

// scanJSON follows the brackets and strings of the JSON text at the start of
// s. It returns n, the length of the first value when a bracket or quote
// closes it (or a mismatched bracket ends it, which checkJSON reports), or -1
// when s ends first; openAt is then the offset of the innermost bracket or
// string still open, or -1.
func scanJSON(s string) (n, openAt int) {
	var stack []int // offsets of the open brackets
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\\' {
					j++
				}
			}
			if j >= len(s) {
				return -1, i
			}
			if i = j; len(stack) == 0 {
				return i + 1, -1
			}
		case '{', '[':
			stack = append(stack, i)
		case '}', ']':
			if len(stack) == 0 {
				return i + 1, -1
			}
			open := s[stack[len(stack)-1]]
			stack = stack[:len(stack)-1]
			if (open == '{') != (c == '}') || len(stack) == 0 {
				return i + 1, -1
			}
		}
	}
	if len(stack) > 0 {
		return -1, stack[len(stack)-1]
	}
	return -1, -1
}

// unfinishedJSONErr reports at off that the string or bracket open at
// openOff (open is its character) is never closed.
func (p *lineParser) unfinishedJSONErr(off int, open byte, openOff int) *SyntaxError {
	col := runeCol(p.src, openOff)
	switch open {
	case '"':
		return p.errAt(off, "the JSON string that starts at column %d is not closed: expected a closing \"", col)
	case '[':
		return p.errAt(off, "the JSON body is not finished: expected ] to close the [ at column %d", col)
	}
	return p.errAt(off, "the JSON body is not finished: expected } to close the { at column %d", col)
}

// checkJSON checks a request-line body; off(i) is the line offset of body[i].
func (p *lineParser) checkJSON(body string, off func(int) int) error {
	if json.Valid([]byte(body)) {
		return nil
	}
	if body == "" {
		return p.errAt(off(0), "the body is empty: give JSON, like '{\"name\":\"Joe\"}'")
	}
	var v json.RawMessage
	err := json.Unmarshal([]byte(body), &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return p.errAt(off(0), "the body is not valid JSON: %v", err)
	}
	msg := se.Error()
	if int(se.Offset) >= len(body) && (strings.HasPrefix(msg, "unexpected end") || strings.Contains(msg, "' '")) {
		// The text ended too early: say which bracket or string is still open.
		if _, openAt := scanJSON(body); openAt >= 0 {
			return p.unfinishedJSONErr(off(len(body)), body[openAt], off(openAt))
		}
		return p.errAt(off(len(body)), "the JSON body ends too early (%s): finish the value", msg)
	}
	at, words, _ := sim.ExplainJSON([]byte(body)) // the same words as the server's
	return p.errAt(off(min(at, len(body)-1)), "the body is not valid JSON: %s", words)
}

// defaultContentType is the Content-Type a line implies for a body.
func (r Line) defaultContentType() string {
	switch {
	case r.Curl:
		return contentTypeForm
	case r.Method == http.MethodPatch:
		return contentTypeMergePatch
	}
	return contentTypeJSON
}

// String returns the canonical text of the request: the request-line form, or
// for a curl line a canonical curl command (curl bodies need not be JSON).
// Parsing it gives back an equal Line. The Content-Type the line
// implies is left out; headers are sorted by name; the repeat count is
// written only when it is more than 1.
func (r Line) String() string {
	if r.Curl {
		return r.curlString()
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte(' ')
	b.WriteString(r.Target)
	if r.Body != "" {
		b.WriteByte(' ')
		b.WriteString(r.Body)
	}
	writeHeaders(&b, r, r.defaultContentType(), ":")
	writeRepeat(&b, r.Repeat)
	return b.String()
}

// writeHeaders writes r's headers as -H options in a canonical order,
// leaving out a Content-Type the form adds by itself (defaultCT) and writing
// an empty value as the name followed by empty (":" in a request line, ";"
// in curl, which drops "Name:" headers instead of sending them empty).
func writeHeaders(b *strings.Builder, r Line, defaultCT, empty string) {
	for _, name := range slices.Sorted(maps.Keys(r.Header)) {
		values := r.Header[name]
		if name == "Content-Type" && r.Body != "" && len(values) == 1 && values[0] == defaultCT {
			continue
		}
		for _, v := range values {
			b.WriteString(" -H ")
			if v == "" {
				b.WriteString(singleQuote(name + empty))
			} else {
				b.WriteString(singleQuote(name + ": " + v))
			}
		}
	}
}

func writeRepeat(b *strings.Builder, n int) {
	if n > 1 {
		b.WriteString(" x")
		b.WriteString(strconv.Itoa(n))
	}
}

// shellQuote quotes s for a shell: bare when it is plainly safe, otherwise in
// single quotes.
func shellQuote(s string) string {
	safe := s != ""
	for i := 0; i < len(s) && safe; i++ {
		c := s[i]
		safe = ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte("-_./:%,=@+", c) >= 0
	}
	if safe {
		return s
	}
	return singleQuote(s)
}

// singleQuote puts s in single quotes for a shell, whatever it holds.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// NewRequest builds the HTTP request the line describes, with the target
// resolved against http://putpost.local. It makes one request; send a fresh
// one for each of r.Repeat times, since sending consumes the body.
func (r Line) NewRequest(ctx context.Context) (*http.Request, error) {
	if r.Method == "" || badTchar(r.Method) >= 0 {
		return nil, fmt.Errorf("request line: %q is not a valid method", r.Method)
	}
	asterisk := r.Target == "*" && r.Method == http.MethodOptions
	if !asterisk && !strings.HasPrefix(r.Target, "/") {
		return nil, fmt.Errorf("request line: target %q does not start with /", r.Target)
	}
	var body io.Reader
	if r.Body != "" {
		body = strings.NewReader(r.Body)
	}
	target := r.Target
	if asterisk {
		target = "/"
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, requestBase+target, body)
	if err != nil {
		return nil, fmt.Errorf("request line: %w", err)
	}
	if asterisk {
		// How net/http sends the asterisk-form: an opaque URL of "*", so that
		// URL.RequestURI() is "*" and the request line reads OPTIONS * HTTP/1.1.
		req.URL.Path, req.URL.Opaque = "", "*"
	}
	req.Header = r.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	req.Header.Del("Host") // Go sends req.Host, never a Host field
	return req, nil
}

// Methods are the methods the tutorial teaches. Other tokens are still
// requests (the server answers 501); views use this list to tell a request
// from a mistyped word and to suggest the method meant.
var Methods = []string{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}
