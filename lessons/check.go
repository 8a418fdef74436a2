package lessons

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// CheckKind names what a Check tests.
type CheckKind string

// The kinds of checks. CheckAll and CheckAny are groups; the rest are
// predicates, written in lesson files as the kind's name followed by its
// arguments (see docs/LESSONS.md).
const (
	CheckAll       CheckKind = "all"          // every sub-check holds
	CheckAny       CheckKind = "any"          // at least one sub-check holds
	CheckRequest   CheckKind = "request"      // request METHOD PATH [with HEADER …] [answered CODE…] [heard] [>= N | == N]
	CheckField     CheckKind = "field"        // field PATH NAME JSON
	CheckExists    CheckKind = "exists"       // exists PATH
	CheckAbsent    CheckKind = "absent"       // absent PATH
	CheckMembers   CheckKind = "members"      // members COLLECTION [>= | ==] N
	CheckStatus    CheckKind = "status"       // status CODE[|CODE…]: the last response
	CheckSawStatus CheckKind = "saw-status"   // saw-status CODE[|CODE…]: any response
	CheckHeader    CheckKind = "header"       // header NAME: some response carried it
	CheckSent      CheckKind = "sent-header"  // sent-header NAME: some request carried it
	CheckReplayed  CheckKind = "replayed"     // an idempotency replay was seen
	CheckLost      CheckKind = "lost"         // a response was lost by the network
	CheckNew       CheckKind = "new-members"  // new-members COLLECTION [>= | ==] N: members created since the step began
	CheckLast      CheckKind = "last-request" // last-request METHOD PATH [with HEADER [etag]]: the newest request of the step
	CheckRetried   CheckKind = "retried"      // retried METHOD PATH [with HEADER [etag]] [answered CODE…] [>= N | == N]: the client's own retries, heard
	CheckUnchanged CheckKind = "unchanged"    // unchanged PATH: no change to PATH since the step began
	CheckChangedBy CheckKind = "changed-by"   // changed-by METHOD PATH [with HEADER [etag]] [>= N | == N]: PATH was changed since the step began (N times), by such requests only
)

// etagWord follows "with HEADER" when the header must hold entity tags, not
// "*": "last-request PUT /accounts/42 with If-Match etag".
const etagWord = "etag"

// staleWord follows "with If-Match" when the tag must be one the target had
// before its current version, so that the server's 412 says it changed:
// "request PUT /accounts/42 with If-Match stale".
const staleWord = "stale"

// answeredWord starts the status codes a request check counts only:
// "request PUT /flights/AC789 answered 200".
const answeredWord = "answered"

// heardWord follows a request check's codes (or its path and header) when
// only requests whose answer reached the client count:
// "request POST /accounts/42/interest heard == 0".
const heardWord = "heard"

// newestMember is the path suffix of a field check that means "the newest
// member of the collection created since the step began": /customers/+.
const newestMember = "/+"

// everyNewMember is the path suffix of a field check that means "every
// member of the collection created since the step began": /customers/*.
const everyNewMember = "/*"

var predicateNames = []string{
	string(CheckRequest), string(CheckField), string(CheckExists), string(CheckAbsent),
	string(CheckMembers), string(CheckStatus), string(CheckSawStatus), string(CheckHeader),
	string(CheckSent), string(CheckReplayed), string(CheckLost), string(CheckNew), string(CheckLast),
	string(CheckRetried), string(CheckUnchanged), string(CheckChangedBy),
}

// hiddenWord starts a check line that the checklist keeps to itself until it
// holds: an outcome the learner is meant to discover, not a goal.
const hiddenWord = "hidden"

// Check is a compiled check: a group of sub-checks (CheckAll, CheckAny) or a
// single predicate over the server's exchanges and state. Only the fields
// that matter for the Kind are set. The ```check block of a step compiles to
// a CheckAll holding one Check per line.
type Check struct {
	Kind   CheckKind
	Line   int      // line in the lesson file (0 for the block's implicit group)
	Method string   // request, last-request, retried, changed-by: upper case
	Path   string   // request, retried (may end in "/*"), field (may end in "/+" or "/*"), exists, absent, members, new-members, unchanged, changed-by
	Name   string   // field: JSON field name; header, sent-header: header name
	With   string   // request, last-request, retried, changed-by: only requests carrying this header count ("" for any)
	ETag   bool     // with With: only a value of entity tags counts, not "*"
	Stale  bool     // with With If-Match (and ETag): only a tag of an earlier version of the target counts, answered 412
	Star   bool     // with With: only the value "*" counts (If-None-Match: *, create only)
	Heard  bool     // request: only requests whose answer reached the client count
	Hidden bool     // the checklist shows a neutral goal until the check holds
	Value  string   // field: the expected JSON value as written
	Cmp    string   // request, retried, members, new-members, changed-by: ">=" or "=="
	N      int      // request, retried, members, new-members, changed-by
	Codes  []int    // status, saw-status: any of these; request, retried: only requests answered with one of these count
	Sub    []*Check // all, any

	want any // field: Value decoded with json.Number
}

// String gives the check in lesson-file syntax; groups span several lines.
func (c *Check) String() string {
	var b strings.Builder
	c.write(&b, 0, true)
	return strings.TrimSuffix(b.String(), "\n")
}

func (c *Check) write(b *strings.Builder, indent int, top bool) {
	pad := strings.Repeat("  ", indent)
	switch c.Kind {
	case CheckAll, CheckAny:
		next := indent + 1
		if top && c.Kind == CheckAll {
			next = indent // the block itself is the implicit "all"
		} else {
			fmt.Fprintf(b, "%s%s:\n", pad, c.Kind)
		}
		for _, s := range c.Sub {
			s.write(b, next, false)
		}
		return
	}
	b.WriteString(pad)
	if c.Hidden {
		b.WriteString(hiddenWord + " ")
	}
	b.WriteString(c.predicate())
	b.WriteByte('\n')
}

// predicate formats a single predicate on one line.
func (c *Check) predicate() string {
	switch c.Kind {
	case CheckRequest, CheckLast, CheckRetried, CheckChangedBy:
		s := fmt.Sprintf("%s %s %s", c.Kind, c.Method, c.Path)
		if c.With != "" {
			s += " with " + c.With
			switch {
			case c.Stale:
				s += " " + staleWord
			case c.ETag:
				s += " " + etagWord
			case c.Star:
				s += " *"
			}
		}
		if len(c.Codes) > 0 {
			s += " " + answeredWord + " " + joinCodes(c.Codes)
		}
		if c.Heard {
			s += " " + heardWord
		}
		if c.Kind != CheckLast && (c.Cmp != ">=" || c.N != 1) {
			s += fmt.Sprintf(" %s %d", c.Cmp, c.N)
		}
		return s
	case CheckField:
		return fmt.Sprintf("field %s %s %s", c.Path, c.Name, c.Value)
	case CheckExists, CheckAbsent, CheckUnchanged:
		return fmt.Sprintf("%s %s", c.Kind, c.Path)
	case CheckMembers, CheckNew:
		return fmt.Sprintf("%s %s %s %d", c.Kind, c.Path, c.Cmp, c.N)
	case CheckStatus, CheckSawStatus:
		return fmt.Sprintf("%s %s", c.Kind, joinCodes(c.Codes))
	case CheckHeader, CheckSent:
		return string(c.Kind) + " " + c.Name
	}
	return string(c.Kind)
}

// joinCodes writes status codes as a check does: 200|204.
func joinCodes(codes []int) string {
	parts := make([]string, len(codes))
	for i, code := range codes {
		parts[i] = strconv.Itoa(code)
	}
	return strings.Join(parts, "|")
}

// checkLine is one non-blank, non-comment line of a check block.
type checkLine struct {
	n      int    // line number in the file
	indent int    // columns of leading white space (a tab counts to the next multiple of 4)
	text   string // without the indentation
}

// compileCheck turns the lines of a ```check block into a CheckAll.
func (p *parser) compileCheck(blockLine int, raw []numbered) *Check {
	var lines []checkLine
	for _, l := range raw {
		t := strings.TrimSpace(l.text)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		lines = append(lines, checkLine{n: l.n, indent: indentOf(l.text), text: t})
	}
	root := &Check{Kind: CheckAll}
	if len(lines) == 0 {
		p.errorf(blockLine, "check block is empty; add at least one check, like \"request PUT /accounts/42\"")
		return root
	}
	pos := 0
	root.Sub = p.checkGroup(lines, &pos, -1)
	return root
}

// checkGroup parses the lines indented deeper than parent, starting at *pos.
func (p *parser) checkGroup(lines []checkLine, pos *int, parent int) []*Check {
	var out []*Check
	if *pos >= len(lines) || lines[*pos].indent <= parent {
		return nil
	}
	ind := lines[*pos].indent
	for *pos < len(lines) && lines[*pos].indent > parent {
		l := lines[*pos]
		*pos++
		if l.indent != ind {
			p.errorf(l.n, "indentation does not line up with the line above; only lines under \"any:\" or \"all:\" are indented further")
			continue
		}
		word, rest := cutWord(l.text)
		lw := strings.ToLower(word)
		if lw == "any:" || lw == "all:" || lw == "any" || lw == "all" {
			switch {
			case strings.HasPrefix(rest, ":"):
				rest = strings.TrimSpace(rest[1:])
			case !strings.HasSuffix(lw, ":"):
				p.errorf(l.n, "write %q with a colon, then the alternatives on the lines below it, indented", lw+":")
				if rest != "" {
					continue
				}
			}
			g := &Check{Kind: CheckKind(strings.TrimSuffix(lw, ":")), Line: l.n}
			if rest != "" {
				p.errorf(l.n, "put the alternatives of %q on their own lines below it, indented", g.Kind+":")
			}
			g.Sub = p.checkGroup(lines, pos, ind)
			if len(g.Sub) == 0 && rest == "" {
				p.errorf(l.n, "%q needs at least one indented check on the lines below it", g.Kind+":")
			}
			out = append(out, g)
			continue
		}
		if c := p.predicate(l.n, l.text); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// predicate compiles one predicate line; nil after reporting a problem.
func (p *parser) predicate(line int, text string) *Check {
	word, rest := cutWord(text)
	hidden := false
	if strings.EqualFold(word, hiddenWord) {
		hidden = true
		word, rest = cutWord(rest)
		if word == "" {
			p.errorf(line, "%q needs a check after it, like \"hidden saw-status 405\"", hiddenWord)
			return nil
		}
	}
	c := p.predicateOf(line, word, rest)
	if c != nil {
		c.Hidden = hidden
	}
	return c
}

// predicateOf compiles a predicate whose first word is word.
func (p *parser) predicateOf(line int, word, rest string) *Check {
	kind := CheckKind(strings.ToLower(word))
	c := &Check{Kind: kind, Line: line}
	args := strings.Fields(rest)
	switch kind {
	case CheckAll, CheckAny:
		p.errorf(line, "write %q with a colon, then the alternatives on the lines below it, indented", word+":")
		return nil
	case CheckRequest, CheckLast, CheckRetried, CheckChangedBy:
		if len(args) < 2 {
			more := ""
			if kind == CheckRequest {
				more = " or \"request POST /customers >= 2\""
			}
			p.errorf(line, "%s needs a method and a path, like \"%s PUT /accounts/42\"%s", kind, kind, more)
			return nil
		}
		if strings.HasPrefix(args[0], "/") {
			p.errorf(line, "%s needs the method before the path, like \"%s PUT %s\"", kind, kind, args[0])
			return nil
		}
		if !isToken(args[0]) {
			p.errorf(line, "%q is not a method name; methods are words like PUT or POST", args[0])
			return nil
		}
		c.Method = strings.ToUpper(args[0])
		if !p.checkPath(line, args[1], kind != CheckChangedBy) {
			return nil
		}
		c.Path = args[1]
		c.Cmp, c.N = ">=", 1
		args = args[2:]
		if len(args) > 0 && strings.EqualFold(args[0], "with") {
			if len(args) < 2 || !isToken(strings.TrimSuffix(args[1], ":")) {
				p.errorf(line, "\"with\" needs a header name, like \"%s PUT /accounts/42 with If-Match\"", kind)
				return nil
			}
			c.With = strings.TrimSuffix(args[1], ":")
			args = args[2:]
			switch {
			case len(args) > 0 && strings.EqualFold(args[0], etagWord):
				c.ETag, args = true, args[1:]
			case len(args) > 0 && args[0] == "*":
				c.Star, args = true, args[1:]
			case len(args) > 0 && strings.EqualFold(args[0], staleWord):
				if !strings.EqualFold(c.With, "If-Match") {
					p.errorf(line, "%q is about the ETag in If-Match; write \"with If-Match %s\"", staleWord, staleWord)
					return nil
				}
				if kind == CheckChangedBy {
					p.errorf(line, "a request with a stale If-Match is refused (412) and changes nothing; write \"changed-by %s %s with If-Match %s\" for the guarded update that made the change, or \"request %s %s with If-Match %s\" for the refusal", c.Method, c.Path, etagWord, c.Method, c.Path, staleWord)
					return nil
				}
				c.ETag, c.Stale, args = true, true, args[1:]
			}
		}
		if kind == CheckChangedBy && len(args) > 0 && (strings.HasPrefix(args[0], "=") || strings.HasPrefix(args[0], ">")) {
			cmp, n, ok := p.count(line, string(kind), args, false)
			if !ok {
				return nil
			}
			c.Cmp, c.N, args = cmp, n, nil
			if n == 0 {
				p.errorf(line, "changed-by counts changes, and needs at least one; for none, write \"unchanged %s\"", c.Path)
				return nil
			}
		}
		if kind == CheckChangedBy && len(args) > 0 {
			p.errorf(line, "changed-by names the requests that may change %s: write \"changed-by %s %s\", optionally with \"with HEADER\" and a count (\"== 1\"), and nothing after it", c.Path, c.Method, c.Path)
			return nil
		}
		if len(args) > 0 && strings.EqualFold(args[0], answeredWord) {
			if kind == CheckLast {
				p.errorf(line, "last-request takes no %q; pair it with \"status CODE\", which looks at the last response", answeredWord)
				return nil
			}
			if len(args) < 2 {
				p.errorf(line, "%q needs a status code, like \"%s PUT /flights/AC789 answered 200\" or \"answered 200|204\"", answeredWord, kind)
				return nil
			}
			codes, ok := p.codes(line, args[1])
			if !ok {
				return nil
			}
			c.Codes, args = codes, args[2:]
		}
		if len(args) > 0 && strings.EqualFold(args[0], heardWord) {
			if kind != CheckRequest {
				p.errorf(line, "%q is for request checks; %s", heardWord, map[CheckKind]string{
					CheckLast:    "the last request is one whose answer the client may not have heard",
					CheckRetried: "a retry counts only when its answer reached the client",
				}[kind])
				return nil
			}
			c.Heard, args = true, args[1:]
		}
		if kind == CheckLast && len(args) > 0 {
			p.errorf(line, "last-request is about one request: write \"last-request %s %s\", optionally with \"with HEADER\", and no count", c.Method, c.Path)
			return nil
		}
		if len(args) > 0 {
			cmp, n, ok := p.count(line, string(kind), args, false)
			if !ok {
				return nil
			}
			c.Cmp, c.N = cmp, n
		}
	case CheckField:
		path, r := cutWord(rest)
		name, value := cutWord(r)
		if path == "" || name == "" || value == "" {
			p.errorf(line, "field needs a path, a field name and a JSON value, like `field /accounts/42 balance 100`")
			return nil
		}
		base, newest := strings.CutSuffix(path, newestMember)
		if newest && (base == "" || strings.ContainsAny(base, "*+")) {
			p.errorf(line, "path %q: \"+\" stands for the newest member of a collection, as in \"/customers/+\"", path)
			return nil
		}
		if b, every := strings.CutSuffix(path, everyNewMember); every && !newest {
			if b == "" || strings.ContainsAny(b, "*+") {
				p.errorf(line, "path %q: \"*\" stands for every new member of a collection, as in \"/customers/*\"", path)
				return nil
			}
			base = b
		}
		if !p.checkPath(line, base, false) {
			return nil
		}
		c.Path, c.Name, c.Value = path, name, value
		want, err := decodeJSON([]byte(value))
		if err != nil {
			if isBareWord(value) {
				p.errorf(line, "field value %s is not JSON; text needs double quotes: %q", value, value)
			} else {
				p.errorf(line, "field value %s is not JSON: %v", value, err)
			}
			return nil
		}
		c.want = want
	case CheckExists, CheckAbsent, CheckUnchanged:
		if len(args) != 1 {
			p.errorf(line, "%s needs exactly one path, like \"%s /flights/AC789\"", kind, kind)
			return nil
		}
		if !p.checkPath(line, args[0], false) {
			return nil
		}
		c.Path = args[0]
	case CheckMembers, CheckNew:
		if len(args) < 2 {
			p.errorf(line, "%s needs a collection and a number, like \"%s /customers == 2\" or \"%s /customers >= 1\"", kind, kind, kind)
			return nil
		}
		if !p.checkPath(line, args[0], false) {
			return nil
		}
		c.Path = args[0]
		cmp, n, ok := p.count(line, string(kind), args[1:], true)
		if !ok {
			return nil
		}
		c.Cmp, c.N = cmp, n
	case CheckStatus, CheckSawStatus:
		if len(args) == 0 {
			p.errorf(line, "%s needs a status code, like \"%s 200\" or \"%s 200|204\"", kind, kind, kind)
			return nil
		}
		codes, ok := p.codes(line, strings.Join(args, ""))
		if !ok {
			return nil
		}
		c.Codes = codes
	case CheckHeader, CheckSent:
		if len(args) != 1 {
			p.errorf(line, "%s needs exactly one header name, like \"%s Location\"", c.Kind, c.Kind)
			return nil
		}
		name := strings.TrimSuffix(args[0], ":")
		if !isToken(name) {
			p.errorf(line, "%q is not a header name", args[0])
			return nil
		}
		c.Name = name
	case CheckReplayed, CheckLost:
		if len(args) != 0 {
			p.errorf(line, "%s takes nothing after it; remove %q", kind, rest)
			return nil
		}
	default:
		p.errorf(line, "unknown check %q%s (checks: %s)", word, didYouMean(word, predicateNames), strings.Join(predicateNames, ", "))
		return nil
	}
	return c
}

// codes parses status codes separated by "|": 200|204.
func (p *parser) codes(line int, s string) ([]int, bool) {
	var out []int
	for part := range strings.SplitSeq(s, "|") {
		code, err := strconv.Atoi(part)
		if err != nil || code < 100 || code > 599 {
			p.errorf(line, "%q is not a status code; status codes are numbers from 100 to 599 (several: 200|204)", part)
			return nil, false
		}
		out = append(out, code)
	}
	return out, true
}

// count parses "[>=|==] N" (a bare N means ">=" for request and "==" for
// members, as the words read).
func (p *parser) count(line int, kind string, args []string, bareIsEqual bool) (string, int, bool) {
	s := strings.Join(args, " ")
	cmp := ">="
	if bareIsEqual {
		cmp = "=="
	}
	switch {
	case strings.HasPrefix(s, ">="):
		cmp, s = ">=", strings.TrimSpace(s[2:])
	case strings.HasPrefix(s, "=="):
		cmp, s = "==", strings.TrimSpace(s[2:])
	case strings.HasPrefix(s, "x") || strings.HasPrefix(s, "×"):
		n := strings.TrimLeft(s, "x×")
		p.errorf(line, "%s counts with \">= %s\" (at least) or \"== %s\" (exactly), not %q", kind, n, n, s)
		return "", 0, false
	case strings.HasPrefix(s, "=") || strings.HasPrefix(s, ">") || strings.HasPrefix(s, "<") || strings.HasPrefix(s, "!"):
		p.errorf(line, "%s compares with \">=\" (at least) or \"==\" (exactly), not %q", kind, strings.Fields(s)[0])
		return "", 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1_000_000 {
		p.errorf(line, "%q is not a count; write a whole number, like \"%s ... >= 2\"", s, kind)
		return "", 0, false
	}
	return cmp, n, true
}

// checkPath reports a problem unless path is a usable resource path.
func (p *parser) checkPath(line int, path string, wildcard bool) bool {
	switch {
	case !strings.HasPrefix(path, "/"):
		hint := ""
		if i := strings.Index(path, "://"); i >= 0 {
			if j := strings.Index(path[i+3:], "/"); j >= 0 {
				hint = fmt.Sprintf("; write just the path: %q", path[i+3+j:])
			}
		} else {
			hint = fmt.Sprintf("; did you mean %q?", "/"+path)
		}
		p.errorf(line, "path %q must start with /%s", path, hint)
		return false
	case strings.ContainsAny(path, "?#"):
		p.errorf(line, "path %q has a query or fragment; checks look at the path only", path)
		return false
	case strings.Contains(path, "*") && (!wildcard || strings.Index(path, "*") != len(path)-1 || !strings.HasSuffix(path, "/*") || len(path) < 3):
		if wildcard {
			p.errorf(line, "path %q: \"*\" may only stand for the last segment, as in \"/customers/*\"", path)
		} else {
			p.errorf(line, "path %q: \"*\" stands for members only at the end of a request or field check's path, as in \"/customers/*\"; name one resource here", path)
		}
		return false
	}
	return true
}

// decodeJSON decodes exactly one JSON value, keeping numbers exact.
func decodeJSON(data []byte) (any, error) {
	// A number alone, the usual value of a check, is what the decoder below
	// makes of it (leading JSON white space skipped, trailing space allowed)
	// without making a decoder.
	if t := bytes.TrimRightFunc(bytes.TrimLeft(data, " \t\r\n"), unicode.IsSpace); len(t) > 0 &&
		(t[0] == '-' || '0' <= t[0] && t[0] <= '9') && json.Valid(t) {
		return json.Number(t), nil
	}
	return decodeJSONValue(data)
}

// decodeJSONValue is decodeJSON for any value: one JSON value, numbers as
// json.Number, nothing but white space after it.
func decodeJSONValue(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if strings.TrimSpace(string(data[dec.InputOffset():])) != "" {
		return nil, fmt.Errorf("unexpected text after the value")
	}
	return v, nil
}

// isToken reports whether s is an HTTP token (RFC 9110 §5.6.2).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// isBareWord reports whether s looks like text that lacks its quotes.
func isBareWord(s string) bool {
	if s == "" || s == "true" || s == "false" || s == "null" {
		return false
	}
	first := s[0]
	return first != '"' && first != '{' && first != '[' && first != '-' && (first < '0' || first > '9')
}

// cutWord splits s into its first white-space separated word and the rest
// (trimmed).
func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// indentOf measures leading white space; a tab advances to the next multiple of 4.
func indentOf(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 4 - n%4
		default:
			return n
		}
	}
	return n
}
