package plain

import (
	"strings"
	"testing"

	"github.com/putpost/putpost/lessons"
)

func TestRequestLinesAreToldFromCommandWords(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"PUT /accounts/42 {\"balance\":100}", true},
		{"put /accounts/42", true},
		{"GET", true},             // a request missing its path: the parser says so
		{"GET accounts/42", true}, // a path without /: the parser says so
		{"FROB /customers", true}, // unknown method: the server answers 501
		{"FROB", true},            // upper case reads as a method
		{"frob /customers", true}, // the second word is a path
		{"curl -X PUT http://x/a", true},
		{"pt http://x/a", true},
		{"next", false},
		{"nxet", false},
		{"lesson put-replace", false},
		{"X", false},
	}
	for _, tt := range tests {
		if got := isRequestLine(strings.Fields(tt.line)); got != tt.want {
			t.Errorf("isRequestLine(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestMistypedWordsGetTheNearestCommand(t *testing.T) {
	tests := []struct{ word, want string }{
		{"nxet", "next"},
		{"NEXY", "next"},
		{"hnit", "hint"},
		{"soluton", "solution"},
		{"sol", "solution"},
		{"lesons", "lessons"},
		{"quti", "quit"},
		{"wrie", "wire"},
		{"fualts", "faults"},
		{"xyzzy", ""},
		{"re", ""}, // reset or retry: too ambiguous to guess
		{strings.Repeat("a", 100), ""},
	}
	for _, tt := range tests {
		if got := lessons.Closest(tt.word, commandWords()); got != tt.want {
			t.Errorf("lessons.Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := lessons.Closest("PTU", knownMethods); got != "PUT" {
		t.Errorf("lessons.Closest(PTU, methods) = %q, want PUT", got)
	}
}

func TestEveryCommandHasHelpAndNoWordIsTakenTwice(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range commands {
		if c.help == "" || c.run == nil {
			t.Errorf("command %q lacks help or a handler", c.name)
		}
		for _, w := range append([]string{c.name}, c.aliases...) {
			if seen[w] {
				t.Errorf("word %q is taken twice", w)
			}
			seen[w] = true
			if isRequestLine([]string{w}) {
				t.Errorf("command word %q would read as a request", w)
			}
		}
	}
}

// TestAQuizAnswerWrittenAsInAListIsTheNumber: "2.", "2)" and "(2)" answer
// choice 2, typed bare or after answer; "answer 2x" is still refused.
func TestAQuizAnswerWrittenAsInAListIsTheNumber(t *testing.T) {
	for _, answer := range []string{"2.", "2)", "(2)", "answer 2.", "answer (2)"} {
		h := newHarness(t, true)
		out := h.run(t, "lesson idempotence\nnext\nnext\nnext\nnext\n"+answer+"\n")
		if !strings.Contains(out, "✓ Correct.") || strings.Contains(out, "Unknown command") {
			t.Errorf("%q is not taken as choice 2:\n%s", answer, out)
		}
	}
	h := newHarness(t, true)
	if out := h.run(t, "lesson idempotence\nnext\nnext\nnext\nnext\nanswer 2x\n"); !strings.Contains(out, "Answer with one number") {
		t.Errorf("answer 2x is taken:\n%s", out)
	}
}
