package lessons

import (
	"errors"
	"fmt"
	"github.com/putpost/putpost/termsafe"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// The fenced blocks a lesson file may hold, by the word after the fence.
const (
	blockRequest  = "request"
	blockCheck    = "check"
	blockHint     = "hint"
	blockSolution = "solution"
	blockExplain  = "explain"
	blockQuiz     = "quiz"
	blockNetwork  = "network"
	blockSetup    = "setup"
	blockAccept   = "accept"
)

var blockNames = []string{blockRequest, blockCheck, blockHint, blockSolution, blockExplain, blockQuiz, blockNetwork, blockSetup, blockAccept}

// Fence words that are ordinary Markdown code blocks, never typos of ours.
var codeLanguages = map[string]bool{
	"": true, "http": true, "json": true, "text": true, "txt": true, "sh": true, "bash": true,
	"shell": true, "console": true, "go": true, "html": true, "xml": true, "yaml": true,
	"diff": true, "js": true, "curl": true, "plain": true, "markdown": true, "md": true,
}

var frontMatterKeys = []string{"id", "title", "summary", "fixture", "chart"}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// choiceOf reads a quiz choice, t being one trimmed line: a bullet ("-",
// "*" or "+"), a box ("[ ]", or "[x]" or "[X]" for the right one, spaces
// allowed around the mark) and the text after it. ok is false for any other
// line. It is written out rather than a regular expression: the expression's
// backtracking over the rest of the line was a tenth of parsing the
// built-in lessons, which the first frame waits for.
func choiceOf(t string) (right bool, text string, ok bool) {
	if t == "" || !strings.ContainsRune("-*+", rune(t[0])) {
		return false, "", false
	}
	s := trimBlank(t[1:])
	if !strings.HasPrefix(s, "[") {
		return false, "", false
	}
	s = trimBlank(s[1:])
	if strings.HasPrefix(s, "x") || strings.HasPrefix(s, "X") {
		right, s = true, trimBlank(s[1:])
	}
	if !strings.HasPrefix(s, "]") {
		return false, "", false
	}
	text = trimBlank(s[1:])
	if strings.Contains(text, "\n") {
		return false, "", false
	}
	return right, text, true
}

// trimBlank drops the spaces, tabs, line breaks and form feeds s starts with.
func trimBlank(s string) string {
	return strings.TrimLeft(s, " \t\n\f\r")
}

// numbered is a line of the file with its 1-based number.
type numbered struct {
	n    int
	text string
}

type block struct {
	kind  string
	line  int // the opening fence
	lines []numbered
}

type section struct {
	quiz   bool
	title  string
	line   int
	text   []string
	blocks []*block
}

// parser collects the problems of one file.
type parser struct {
	file  string
	probs Problems
	// builtin is set for the embedded curriculum, whose text the tests
	// check (Lint on lessons/builtin): checkText, which only reports, is
	// not run again at every start.
	builtin bool
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.probs = append(p.probs, Problem{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// Parse reads one lesson file. file names it in problems. When the file has
// problems, the error is Problems listing every one found and the returned
// lesson is whatever could be read (never nil), for tools that want to look
// further; a program must not run a lesson that came with an error. Parse
// never panics, whatever data holds.
func Parse(file string, data []byte) (*Lesson, error) {
	return parseAs(&parser{file: file}, data)
}

// parseBuiltin is Parse for a file of the embedded curriculum.
func parseBuiltin(file string, data []byte) (*Lesson, error) {
	return parseAs(&parser{file: file, builtin: true}, data)
}

func parseAs(p *parser, data []byte) (*Lesson, error) {
	l := p.parse(data)
	return l, p.probs.Err()
}

// maxLessonSize bounds a lesson file; real ones are a few kilobytes.
const maxLessonSize = 1 << 20

func (p *parser) parse(data []byte) *Lesson {
	l := &Lesson{File: p.file}
	if len(data) > maxLessonSize {
		p.errorf(0, "the file is %d bytes; a lesson file may be at most 1 MiB", len(data))
		return l
	}
	// One copy of the file as text: every line below is a piece of it.
	text := strings.TrimPrefix(string(data), "\uFEFF")
	if !utf8.ValidString(text) {
		line := 1 + strings.Count(text[:termsafe.InvalidAt([]byte(text))], "\n")
		p.errorf(line, "the file is not UTF-8 text; save it as UTF-8")
	}
	raw := strings.Split(text, "\n")
	lines := make([]numbered, len(raw))
	for i, s := range raw {
		lines[i] = numbered{n: i + 1, text: strings.TrimSuffix(s, "\r")}
	}
	if !p.builtin {
		p.checkText(lines)
	}
	if strings.TrimSpace(text) == "" {
		p.errorf(0, "the file is empty; a lesson starts with front matter (\"---\", \"id: …\", \"title: …\", \"fixture: …\", \"---\")")
		return l
	}

	body := lines
	if strings.TrimSpace(lines[0].text) == "---" {
		end := -1
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i].text) == "---" {
				end = i
				break
			}
		}
		if end < 0 {
			p.errorf(1, "the front matter that starts here is never closed; add a line \"---\" after the last key")
			return l
		}
		p.frontMatter(l, lines[1:end])
		body = lines[end+1:]
	} else {
		p.errorf(1, "missing front matter: a lesson starts with a line \"---\", then \"id: …\", \"title: …\", \"fixture: …\" on their own lines, then \"---\"")
	}

	intro, sections := p.sections(body)
	introText := p.text(intro.text)
	for _, b := range intro.blocks {
		p.errorf(b.line, "%s block before the first step; put it under a \"## Step: title\" heading", b.kind)
	}
	l.Intro = introText
	if len(sections) == 0 {
		last := len(lines)
		for last > 1 && strings.TrimSpace(lines[last-1].text) == "" {
			last--
		}
		p.errorf(last, "the lesson has no steps; add a \"## Step: title\" or \"## Quiz: question\" section")
	}
	for _, s := range sections {
		l.Steps = append(l.Steps, p.step(s))
	}
	return l
}

// maxNesting is how deep block quotes and lists may nest in a lesson. Real
// lessons use two or three levels; hundreds only make renderers slow.
const maxNesting = 8

// checkText reports lines that hold what a terminal would act on or not
// show (escape sequences, C1 controls, bidi overrides, zero-width
// characters: everything termsafe escapes but tabs), and block quotes or
// lists nested deeper than maxNesting. Each kind is reported for a few
// lines, then counted.
func (p *parser) checkText(lines []numbered) {
	const most = 5
	controls, deep := 0, 0
	fence := ""
	for _, ln := range lines {
		if t := strings.TrimLeft(ln.text, " "); strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			switch {
			case fence == "":
				fence = t[:3]
			case strings.HasPrefix(t, fence):
				fence = ""
			}
		}
		if !termsafe.Safe(strings.ReplaceAll(ln.text, "\t", " ")) && utf8.ValidString(ln.text) {
			if controls++; controls <= most {
				p.errorf(ln.n, "the line holds %s, which a terminal would act on or not show; remove it", firstUnsafe(ln.text))
			}
		}
		if !checkPerView(ln.text) {
			p.errorf(ln.n, "a {screen: …|line: …} is not complete on this line: write both sides, such as {screen: press `w`|line: type `wire`}")
		}
		if d := nesting(ln.text); d > maxNesting && fence == "" {
			if deep++; deep <= most {
				p.errorf(ln.n, "block quotes and lists nest %d deep here; at most %d levels are allowed", d, maxNesting)
			}
		}
	}
	if controls > most {
		p.errorf(0, "%d more lines hold characters a terminal would act on or not show", controls-most)
	}
	if deep > most {
		p.errorf(0, "%d more lines nest block quotes or lists more than %d deep", deep-most, maxNesting)
	}
}

// firstUnsafe is the first character of s that termsafe escapes, escaped.
func firstUnsafe(s string) string {
	for _, r := range s {
		if r == '\t' {
			continue
		}
		if c := string(r); !termsafe.Safe(c) {
			return termsafe.String(c)
		}
	}
	return ""
}

// nesting counts the block quote markers (">") and list markers ("-", "*",
// "+", "1.") that open a line, and the indentation just before its last
// marker in steps of two columns: about how deeply the line's content is
// nested.
// Indentation alone (code) does not count.
func nesting(s string) int {
	depth, spaces, indent := 0, 0, 0
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ':
			spaces++
			i++
		case c == '\t':
			spaces += 4
			i++
		case c == '>':
			depth++
			i++
			indent, spaces = spaces, 0
		case (c == '-' || c == '*' || c == '+') && i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\t'):
			depth++
			i += 2
			indent, spaces = spaces, 0
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && j-i < 9 && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j+1 < len(s) && (s[j] == '.' || s[j] == ')') && s[j+1] == ' ' {
				depth++
				i = j + 2
				indent, spaces = spaces, 0
				continue
			}
			return depth + indent/2
		default:
			return depth + indent/2
		}
	}
	return depth + indent/2
}

// frontMatter reads the "key: value" lines between the two "---" lines.
func (p *parser) frontMatter(l *Lesson, lines []numbered) {
	seen := map[string]int{}
	typo := map[string]bool{}
	for _, ln := range lines {
		t := strings.TrimSpace(ln.text)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		k, v, ok := strings.Cut(t, ":")
		if !ok {
			p.errorf(ln.n, "expected \"key: value\" in the front matter, got %q", t)
			continue
		}
		key := strings.ToLower(strings.TrimSpace(k))
		v = unquote(strings.TrimSpace(v))
		if !slices.Contains(frontMatterKeys, key) {
			p.errorf(ln.n, "unknown front matter key %q%s (keys: %s)", key, didYouMean(key, frontMatterKeys), strings.Join(frontMatterKeys, ", "))
			if c := Closest(key, frontMatterKeys); c != "" {
				typo[c] = true // do not also say the key is missing
			}
			continue
		}
		if first, dup := seen[key]; dup {
			p.errorf(ln.n, "%s is given twice (first on line %d)", key, first)
			continue
		}
		seen[key] = ln.n
		if v == "" && key != "summary" {
			p.errorf(ln.n, "%s is empty", key)
			continue
		}
		switch key {
		case "id":
			l.idLine = ln.n
			if !idPattern.MatchString(v) {
				p.errorf(ln.n, "id %q must be lower-case letters, digits and single hyphens, like %q", v, slug(v))
				continue
			}
			l.ID = v
		case "title":
			l.Title = v
		case "summary":
			l.Summary = v
		case "fixture":
			fixtures := sim.Fixtures()
			if !slices.Contains(fixtures, v) {
				p.errorf(ln.n, "unknown fixture %q%s (fixtures: %s)", v, didYouMean(v, fixtures), strings.Join(fixtures, ", "))
				continue
			}
			l.Fixture = v
		case "chart":
			c, err := parseChart(v)
			if err != nil {
				p.errorf(ln.n, "%v", err)
				continue
			}
			l.Chart = c
		}
	}
	for _, key := range []string{"id", "title", "fixture"} {
		if _, ok := seen[key]; !ok && !typo[key] {
			line := 1
			if len(lines) > 0 {
				line = lines[len(lines)-1].n + 1 // the closing "---"
			}
			p.errorf(line, "the front matter has no %s; add \"%s: …\"", key, key)
		}
	}
}

// parseChart reads the chart key: "PATH FIELD" or "resources".
func parseChart(v string) (Chart, error) {
	if strings.EqualFold(v, "resources") {
		return Chart{Count: true}, nil
	}
	f := strings.Fields(v)
	if len(f) != 2 || !strings.HasPrefix(f[0], "/") || !fieldName.MatchString(f[1]) {
		return Chart{}, fmt.Errorf("chart %q: give a resource path and one of its number fields, like \"chart: /accounts/42 balance\", or \"chart: resources\" for how many are stored", v)
	}
	return Chart{Path: f[0], Field: f[1]}, nil
}

var fieldName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// unquote removes one pair of matching quotes, as YAML would.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// slug suggests an id for a badly formed one.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "my-lesson"
	}
	return b.String()
}

// sections splits the body into the intro and the step and quiz sections,
// separating our fenced blocks from Markdown text.
func (p *parser) sections(body []numbered) (*section, []*section) {
	intro := &section{}
	cur := intro
	var out []*section
	for i := 0; i < len(body); i++ {
		ln := body[i]
		if n, info, ok := openFence(ln.text); ok {
			word, _ := cutWord(info)
			word = strings.ToLower(word)
			known := slices.Contains(blockNames, word) && indentOf(ln.text) <= 3
			if !known && !codeLanguages[word] && len(word) >= 3 {
				if c := Closest(word, blockNames); c != "" {
					p.errorf(ln.n, "unknown block %q; did you mean %q? (blocks: %s)", word, c, strings.Join(blockNames, ", "))
				}
			}
			end, interrupted := closeFence(body, i+1, n, known)
			switch {
			case end < 0:
				p.errorf(ln.n, "this ``` block is never closed; add a line ``` after its last line")
				end = len(body)
			case interrupted:
				p.errorf(ln.n, "this %s block is not closed before line %d; add a line ``` after its last line", word, body[end].n)
			}
			if known {
				cur.blocks = append(cur.blocks, &block{kind: word, line: ln.n, lines: body[i+1 : end]})
				if interrupted {
					i = end - 1 // the interrupting line starts something new
					continue
				}
			} else {
				for _, l := range body[i:min(end+1, len(body))] {
					cur.text = append(cur.text, l.text)
				}
			}
			i = end
			continue
		}
		if t, ok := strings.CutPrefix(ln.text, "## "); ok {
			t = strings.TrimSpace(t)
			s := &section{line: ln.n}
			switch {
			case hasPrefixFold(t, "step:"):
				s.title = strings.TrimSpace(t[len("step:"):])
			case hasPrefixFold(t, "quiz:"):
				s.quiz = true
				s.title = strings.TrimSpace(t[len("quiz:"):])
			case (hasPrefixFold(t, "step") || hasPrefixFold(t, "quiz")) && (len(t) == 4 || t[4] == ' ' || t[4] == '\t'):
				s.quiz = hasPrefixFold(t, "quiz")
				word := "Step"
				if s.quiz {
					word = "Quiz"
				}
				s.title = strings.TrimSpace(t[4:])
				p.errorf(ln.n, "write the heading as \"## %s: %s\" (with a colon)", word, s.title)
			default:
				p.errorf(ln.n, "unknown section %q; sections are \"## Step: title\" and \"## Quiz: question\" (use ### for headings inside the text)", "## "+t)
				cur.text = append(cur.text, ln.text)
				continue
			}
			out = append(out, s)
			cur = s
			continue
		}
		cur.text = append(cur.text, ln.text)
	}
	return intro, out
}

// openFence recognises an opening code fence: up to three spaces (more are
// allowed for Markdown's own fences), then three or more backticks and an
// info string without backticks.
func openFence(s string) (n int, info string, ok bool) {
	t := strings.TrimLeft(s, " \t")
	for n < len(t) && t[n] == '`' {
		n++
	}
	if n < 3 || strings.Contains(t[n:], "`") {
		return 0, "", false
	}
	return n, strings.TrimSpace(t[n:]), true
}

// closeFence returns the index of the line closing a fence of n backticks,
// or -1. In one of our blocks (ours), a section heading or the opening of
// another of our blocks means the closing line was forgotten: closeFence
// returns that line's index with interrupted set.
func closeFence(lines []numbered, from, n int, ours bool) (end int, interrupted bool) {
	for i := from; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i].text)
		if len(t) >= n && strings.Trim(t, "`") == "" {
			return i, false
		}
		if !ours {
			continue
		}
		if h, ok := strings.CutPrefix(lines[i].text, "## "); ok && (hasPrefixFold(strings.TrimSpace(h), "step:") || hasPrefixFold(strings.TrimSpace(h), "quiz:")) {
			return i, true
		}
		if _, info, ok := openFence(lines[i].text); ok && indentOf(lines[i].text) <= 3 {
			if w, _ := cutWord(info); slices.Contains(blockNames, strings.ToLower(w)) {
				return i, true
			}
		}
	}
	return -1, false
}

// text joins Markdown lines, dropping blank lines at either end.
func (p *parser) text(lines []string) string {
	start, end := 0, len(lines)
	for start < end && strings.TrimSpace(lines[start]) == "" {
		start++
	}
	for end > start && strings.TrimSpace(lines[end-1]) == "" {
		end--
	}
	return strings.Join(lines[start:end], "\n")
}

func blockText(b *block) string {
	lines := make([]string, len(b.lines))
	for i, l := range b.lines {
		lines[i] = l.text
	}
	return (&parser{}).text(lines)
}

// step builds and validates one step from its section.
func (p *parser) step(s *section) *Step {
	st := &Step{Title: s.title, Text: p.text(s.text), Line: s.line}
	kind := "step"
	if s.quiz {
		kind = "quiz"
	}
	if st.Title == "" {
		if s.quiz {
			p.errorf(s.line, "the quiz has no question; write it after \"## Quiz:\"")
		} else {
			p.errorf(s.line, "the step has no title; write one after \"## Step:\"")
		}
	}
	seen := map[string]int{}
	for _, b := range s.blocks {
		if first, dup := seen[b.kind]; dup && b.kind != blockHint {
			p.errorf(b.line, "a second %s block in this %s (the first is on line %d); %s", b.kind, kind, first, mergeAdvice(b.kind))
			continue
		}
		seen[b.kind] = b.line
		switch b.kind {
		case blockRequest:
			p.suggest(st, b)
		case blockSetup:
			p.setup(st, b)
		case blockAccept:
			if s.quiz {
				p.errorf(b.line, "a quiz has no accept block; it lists equivalent answers of a task step")
				continue
			}
			st.acceptRules = p.accept(b)
		case blockCheck:
			if s.quiz {
				p.errorf(b.line, "a quiz is passed by its answer; remove the check block (or make this a \"## Step:\")")
				continue
			}
			st.Check = p.compileCheck(b.line, b.lines)
		case blockHint:
			h := blockText(b)
			if h == "" {
				p.errorf(b.line, "the hint block is empty")
				continue
			}
			p.checkLive(b.line, h)
			st.Hints = append(st.Hints, h)
		case blockSolution:
			if s.quiz {
				p.errorf(b.line, "a quiz has no solution block; mark the right choice with [x]")
				continue
			}
			p.solution(st, b)
		case blockExplain:
			st.Explain = blockText(b)
			st.explainSrc = b.lines
			if st.Explain == "" {
				p.errorf(b.line, "the explain block is empty")
			}
			p.checkLive(b.line, st.Explain)
		case blockQuiz:
			if !s.quiz {
				p.errorf(b.line, "a quiz block belongs under a \"## Quiz: question\" heading, not under \"## Step:\"")
				continue
			}
			st.Quiz = p.quiz(st.Title, b)
		case blockNetwork:
			st.Network = p.network(b)
		}
	}
	if s.quiz {
		if st.Quiz == nil {
			p.errorf(s.line, "the quiz has no ```quiz block with its choices")
			st.Quiz = &Quiz{Question: st.Title}
		}
		return st
	}
	if st.Text == "" {
		p.errorf(s.line, "step %q has no text; say what the learner should do", st.Title)
	}
	if _, ok := seen[blockCheck]; !ok {
		p.errorf(s.line, "step %q has no check block; add one so the step knows when it is done", st.Title)
	}
	if _, ok := seen[blockSolution]; !ok {
		p.errorf(s.line, "step %q has no solution block; add the request lines that complete it", st.Title)
	}
	return st
}

func mergeAdvice(kind string) string {
	switch kind {
	case blockCheck:
		return "put every check in one block (they must all hold)"
	case blockSolution:
		return "put every request line of the solution in one block"
	case blockRequest:
		return "a step suggests one request; list a sequence in the solution"
	}
	return "merge them into one"
}

// suggest reads the request block: exactly one request line, or a scaffold
// of one that leaves the method out ("/flights/AA123 {…}") for the learner
// to choose.
func (p *parser) suggest(st *Step, b *block) {
	var lines []numbered
	for _, l := range b.lines {
		if t := strings.TrimSpace(l.text); t != "" && !strings.HasPrefix(t, "#") {
			lines = append(lines, l)
		}
	}
	switch len(lines) {
	case 0:
		p.errorf(b.line, "the request block is empty; write the request line to prefill, like \"PUT /accounts/42 {\\\"balance\\\":100}\"")
		return
	case 1:
	default:
		p.errorf(lines[1].n, "the request block holds one request line (the suggestion); put a sequence of requests in the solution block")
		return
	}
	t := strings.TrimSpace(lines[0].text)
	if strings.HasPrefix(t, "/") {
		// A scaffold: checked as if the learner had typed a method in front.
		if _, err := request.Parse("PUT " + t); err != nil {
			p.errorf(lines[0].n, "invalid request scaffold: %v", err)
			return
		}
		st.Suggest = t
		return
	}
	if _, ok := p.requestLine(lines[0]); ok {
		st.Suggest = t
	}
}

// setup reads the setup block: an optional first line "fixture NAME", then
// request lines the lesson sends when the learner enters the step.
func (p *parser) setup(st *Step, b *block) {
	first := true
	seen := false
	for _, l := range b.lines {
		t := strings.TrimSpace(l.text)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		seen = true
		if word, rest := cutWord(t); strings.EqualFold(word, "fixture") {
			switch {
			case !first:
				p.errorf(l.n, "\"fixture\" must be the first line of the setup block: it replaces the whole server state")
			case !slices.Contains(sim.Fixtures(), rest):
				p.errorf(l.n, "unknown fixture %q%s (fixtures: %s)", rest, didYouMean(rest, sim.Fixtures()), strings.Join(sim.Fixtures(), ", "))
			default:
				st.SetupFixture = rest
			}
			first = false
			continue
		}
		first = false
		if _, ok := p.requestLine(numbered{n: l.n, text: p.checkLive(l.n, l.text)}); ok {
			st.Setup = append(st.Setup, t)
		}
	}
	if !seen {
		p.errorf(b.line, "the setup block is empty; write the requests that put the server in the state this step starts from")
	}
}

// solution reads the solution block: one request line per line.
func (p *parser) solution(st *Step, b *block) {
	n := 0
	for _, l := range b.lines {
		t := strings.TrimSpace(l.text)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		n++
		if rl, ok := p.requestLine(numbered{n: l.n, text: p.checkLive(l.n, l.text)}); ok {
			st.Solution = append(st.Solution, t)
			st.solution = append(st.solution, rl)
			st.solutionAt = append(st.solutionAt, l.n)
		}
	}
	if n == 0 {
		p.errorf(b.line, "the solution block is empty; write the request lines that complete the step")
	}
}

// accept reads an accept block: the answers lint --play may find passing
// although they differ from the solution, one per line: "body" (the body is
// not what the step teaches), "field NAME", "header NAME", "method METHOD",
// or a whole request line.
func (p *parser) accept(b *block) []acceptRule {
	var out []acceptRule
	n := 0
	for _, l := range b.lines {
		t := strings.TrimSpace(l.text)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		n++
		word, rest := cutWord(t)
		switch kind := strings.ToLower(word); kind {
		case "body":
			if rest != "" {
				p.errorf(l.n, "\"body\" takes nothing after it; to accept one field, write \"field NAME\"")
				continue
			}
			out = append(out, acceptRule{kind: kind})
		case "field", "header", "method":
			if rest == "" || strings.ContainsAny(rest, " \t") {
				p.errorf(l.n, "%q needs one name after it, like \"%s %s\"", kind, kind, map[string]string{"field": "age", "header": "Prefer", "method": "PATCH"}[kind])
				continue
			}
			out = append(out, acceptRule{kind: kind, name: rest})
		default:
			if rl, ok := p.requestLine(l); ok {
				out = append(out, acceptRule{kind: "line", line: rl})
			}
		}
	}
	if n == 0 {
		p.errorf(b.line, "the accept block is empty; list the answers that are equivalent to the solution (\"field NAME\", \"header NAME\", \"method M\", \"body\" or a request line)")
	}
	return out
}

// requestLine parses one request line, reporting the column of a mistake.
func (p *parser) requestLine(l numbered) (request.Line, bool) {
	t := strings.TrimSpace(l.text)
	lead := utf8.RuneCountInString(l.text[:strings.Index(l.text, t)])
	rl, err := request.Parse(t)
	if err == nil {
		return rl, true
	}
	var se *request.SyntaxError
	if errors.As(err, &se) {
		p.errorf(l.n, "invalid request line at column %d: %s", se.Col+lead, se.Msg)
	} else {
		p.errorf(l.n, "invalid request line: %v", err)
	}
	return request.Line{}, false
}

// quiz reads the choices of a quiz block.
func (p *parser) quiz(question string, b *block) *Quiz {
	q := &Quiz{Question: question}
	var lines []int // line of each choice
	last, bad := -1, 0
	for _, l := range b.lines {
		t := strings.TrimSpace(l.text)
		if t == "" {
			continue
		}
		right, rest, ok := choiceOf(t)
		if !ok {
			if last >= 0 && indentOf(l.text) > 0 && !strings.HasPrefix(t, "-") {
				c := &q.Choices[last] // continuation of the choice above
				if c.Why != "" {
					c.Why += " " + t
				} else {
					c.Text += " " + t
				}
				continue
			}
			bad++
			if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "*") {
				p.errorf(l.n, "a choice needs a box: \"- [ ] text | why it is wrong\" or \"- [x] text\" for the right one")
			} else {
				p.errorf(l.n, "expected a choice like \"- [ ] text | why it is wrong\" or \"- [x] text\", got %q", t)
			}
			continue
		}
		text, why, _ := strings.Cut(rest, " | ")
		c := Choice{Text: strings.TrimSpace(text), Correct: right, Why: strings.TrimSpace(why)}
		if c.Text == "" {
			p.errorf(l.n, "the choice has no text")
		}
		q.Choices = append(q.Choices, c)
		lines = append(lines, l.n)
		last = len(q.Choices) - 1
	}
	right := 0
	for _, c := range q.Choices {
		if c.Correct {
			right++
		}
	}
	for i, c := range q.Choices {
		if !c.Correct && c.Why == "" && right > 0 {
			hint := ""
			if strings.Contains(c.Text, "|") {
				hint = " (put spaces around the |)"
			}
			p.errorf(lines[i], "wrong choice %q needs a reason: \"- [ ] text | why it is wrong\"%s", c.Text, hint)
		}
	}
	switch {
	case bad > 0: // reported line by line above
	case len(q.Choices) < 2:
		p.errorf(b.line, "a quiz needs at least two choices, one of them marked [x]")
	case right == 0:
		p.errorf(b.line, "the quiz has no right answer; mark exactly one choice with [x]")
	case right > 1:
		p.errorf(b.line, "the quiz has %d choices marked [x]; mark exactly one", right)
	}
	return q
}

var networkWords = []string{"lose-responses", "drop-requests", "delay", "retry"}

// network reads a network block: one setting per line.
func (p *parser) network(b *block) *Network {
	n := &Network{}
	for _, l := range b.lines {
		t := strings.TrimSpace(l.text)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		word, rest := cutWord(t)
		switch strings.ToLower(word) {
		case "lose-responses":
			n.Faults.LoseResponses = true
		case "drop-requests":
			n.Faults.DropRequests = true
		case "delay":
			d, err := time.ParseDuration(rest)
			if err != nil || d < 0 || d > time.Minute {
				p.errorf(l.n, "delay needs a duration up to 1m, like \"delay 2s\"")
				continue
			}
			n.Faults.Delay = d
		case "retry":
			pol, err := sim.ParseRetryPolicy(rest)
			if err != nil {
				p.errorf(l.n, "%v", err)
				continue
			}
			n.Retry = pol
		default:
			p.errorf(l.n, "unknown network setting %q%s (settings: %s)", word, didYouMean(word, networkWords), strings.Join(networkWords, ", "))
			continue
		}
		if rest != "" && word != "delay" && word != "retry" {
			p.errorf(l.n, "%s takes nothing after it", word)
		}
	}
	return n
}

// hasPrefixFold is strings.HasPrefix ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
