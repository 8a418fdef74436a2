package plain

import (
	"fmt"
	"slices"
	"strings"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
)

// command is one word line mode understands.
type command struct {
	name    string
	aliases []string
	usage   string // arguments as shown in help, e.g. "ID"
	help    string
	run     func(s *view, args []string)
}

// commands is filled in init: the handlers refer back to the table (help).
var commands []command

func init() {
	commands = []command{
		{name: "next", help: "go to the next step (after the last step, the next lesson)", run: (*view).cmdNext},
		{name: "back", aliases: []string{"prev", "previous"}, help: "go back one step", run: (*view).cmdBack},
		{name: "step", aliases: []string{"task"}, help: "print the current step again", run: (*view).cmdStep},
		{name: "hint", help: "show the next hint for this step", run: (*view).cmdHint},
		{name: "solution", help: "show the solution of this step", run: (*view).cmdSolution},
		{name: "answer", usage: "N", help: "answer a quiz with choice N; a bare N works too, written N, N., N) or (N)", run: (*view).cmdAnswer},
		{name: "lessons", help: "list the lessons and your progress", run: (*view).cmdLessons},
		{name: "lesson", usage: "[ID]", help: "open a lesson by its id or number; alone, print the current lesson again", run: (*view).cmdLesson},
		{name: "state", usage: "[PATH]", help: "print what the server stores (under PATH)", run: (*view).cmdState},
		{name: "log", usage: "[N|all]", help: "list the last N exchanges (default 20)", run: (*view).cmdLog},
		{name: "wire", usage: "[N]", help: "show exchange N (default the last) as HTTP/1.1 text", run: (*view).cmdWire},
		{name: "copy", usage: "[N]", help: "show exchange N (default the last) as a curl command line, and copy it to the clipboard on a terminal", run: (*view).cmdCopy},
		{name: "export", usage: "FILE", help: "write this session's requests to FILE: .http for an HTTP client, .sh for a script of curl commands", run: (*view).cmdExport},
		{name: "undo", help: "undo the last change to the server", run: (*view).cmdUndo},
		{name: "reset", usage: "[lesson|all]", help: "reset the step; reset lesson or reset all asks to confirm", run: (*view).cmdReset},
		{name: "faults", usage: "on|off|drop", help: "lose the first response of each request (on), drop the first request (drop), or neither (off)", run: (*view).cmdFaults},
		{name: "retry", usage: "POLICY", help: "how the client retries after a failure: none, rfc9110, go or browser", run: (*view).cmdRetry},
		{name: "help", aliases: []string{"?"}, usage: "[WORD]", help: "list the commands, or explain one", run: (*view).cmdHelp},
		{name: "quit", aliases: []string{"exit"}, help: "leave; progress is saved as you go", run: (*view).cmdQuit},
	}
}

// lookupCommand finds a command by its name or an alias, ignoring case.
func lookupCommand(word string) (command, bool) {
	word = strings.ToLower(word)
	for _, c := range commands {
		if c.name == word || slices.Contains(c.aliases, word) {
			return c, true
		}
	}
	return command{}, false
}

// commandWords lists every name and alias, for suggestions.
func commandWords() []string {
	var words []string
	for _, c := range commands {
		words = append(words, c.name)
		words = append(words, c.aliases...)
	}
	return words
}

// knownMethods are the methods the tutorial teaches; other tokens are still
// sent (the server answers 501), but a near miss gets a suggestion.
var knownMethods = request.Methods

// isRequestLine tells a request (or curl) line from a command word: the
// first word is a method, curl, or an upper-case token, or the second word is
// a path or URL. "nxet" is a mistyped command; "FROB /x" is a request the
// server will refuse.
func isRequestLine(fields []string) bool {
	first := fields[0]
	switch {
	case strings.EqualFold(first, "curl"), slices.Contains(knownMethods, strings.ToUpper(first)):
		return true
	case len(fields) > 1 && (strings.HasPrefix(fields[1], "/") || strings.Contains(fields[1], "://")):
		return true
	}
	return len(first) > 1 && strings.IndexFunc(first, func(r rune) bool { return r < 'A' || r > 'Z' }) < 0
}

// isNumber reports whether w is a plain decimal number (a quiz answer).
func isNumber(w string) bool {
	return w != "" && len(w) <= 9 && strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// quizChoice is w as a quiz answer's number, the way choices are written in
// lists: "3", "3.", "3)" or "(3)".
func quizChoice(w string) (string, bool) {
	n := strings.TrimSuffix(strings.TrimSuffix(w, "."), ")")
	if len(n) < len(w) && strings.HasSuffix(w, ")") {
		n = strings.TrimPrefix(n, "(")
	}
	return n, isNumber(n)
}

// cmdHelp lists the commands, or explains one.
func (s *view) cmdHelp(args []string) {
	if len(args) > 0 {
		c, ok := lookupCommand(args[0])
		if !ok {
			s.unknownWord(args[0])
			return
		}
		s.out.line(commandSynopsis(c))
		return
	}
	s.out.line("Type a request, a curl command line, or one of these words:")
	for _, c := range commands {
		s.out.line("  " + commandSynopsis(c))
	}
	s.out.line(`A request is METHOD PATH, then a JSON body, headers and a repeat count if needed, for example: PUT /accounts/42 {"balance":100} x3`)
	s.out.line(`Add a header with -H, for example: POST /payments {"amount":5} -H 'Idempotency-Key: "k1"'`)
	s.out.line(`curl works too, for example: curl -X PUT http://localhost/accounts/42 -H 'Content-Type: application/json' -d '{"balance":100}'`)
	s.out.line("Lines starting with # are ignored, so scripts can carry comments.")
}

func commandSynopsis(c command) string {
	name := c.name
	if c.usage != "" {
		name += " " + c.usage
	}
	line := name + " — " + c.help
	if len(c.aliases) > 0 {
		line += " (also: " + strings.Join(c.aliases, ", ") + ")"
	}
	return line
}

// unknownWord says a word is not understood and suggests the nearest one.
func (s *view) unknownWord(word string) {
	msg := fmt.Sprintf("Unknown command %s.", quoteInput(word))
	if c := lessons.Closest(word, commandWords()); c != "" {
		msg += fmt.Sprintf(" Did you mean %s?", c)
	} else if m := lessons.Closest(word, knownMethods); m != "" {
		msg += fmt.Sprintf(" Did you mean the method %s? A request needs a path too, for example %s /accounts/42.", m, m)
	}
	s.out.styled(styleBad, msg)
	s.out.line("Type help for the list of commands, or a request such as GET /accounts/42.")
}

// quoteInput quotes a piece of the learner's input for a message, shortened
// when long; clean (in the printer) makes any control character visible.
func quoteInput(w string) string {
	if r := []rune(w); len(r) > 40 {
		w = string(r[:40]) + "…"
	}
	return `"` + w + `"`
}

func (s *view) cmdQuit([]string) { s.quit = true }
