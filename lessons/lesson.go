// Package lessons holds putpost's curriculum and the engine that runs it.
//
// A lesson is a Markdown file with front matter (the format is described in
// docs/LESSONS.md). The loader turns lesson files into Lessons and reports
// every mistake as a Problem ("file:line: what is wrong"); the same code
// serves the embedded curriculum, a workshop host's folder and `putpost lint`.
// A step's checks are compiled into data (Check) and evaluated against the
// simulated server's events and state. The Engine walks a learner through the
// lessons and records their Progress. Nothing here knows about screens.
package lessons

import (
	"fmt"
	"github.com/putpost/putpost/termsafe"
	"strings"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// Lesson is one lesson file, parsed and validated.
type Lesson struct {
	ID      string // short name used in progress and references ("put-replace")
	Title   string
	Summary string // one line; may be empty
	Fixture string // sim fixture the lesson starts from
	Chart   Chart  // what the server pane plots; the zero value lets the view choose
	File    string // where the lesson came from, as shown in problems
	Intro   string // Markdown shown before the first step
	Steps   []*Step

	idLine int // line of the id key, for duplicate-id problems
}

// Chart is the value a lesson's chart plots over its requests: a numeric
// field of a resource ("chart: /accounts/42 balance"), or how many
// resources are stored (Count, "chart: resources").
type Chart struct {
	Path, Field string
	Count       bool
}

// Set reports whether the lesson chose a value.
func (c Chart) Set() bool { return c.Count || c.Path != "" }

// Step is one task or quiz in a lesson. A task step has a Check and a
// Solution; a quiz step has a Quiz and neither of those.
type Step struct {
	Title, Text string   // Markdown
	Suggest     string   // request line prefilled in the composer, never sent for the learner
	Check       *Check   // nil for quiz steps
	Hints       []string // revealed one at a time
	Solution    []string // request lines, in order (task steps)
	Explain     string   // Markdown shown when the step passes
	Quiz        *Quiz
	Network     *Network // optional network conditions for the step (front ends apply them)
	Line        int      // line in the lesson file where the step starts

	// Setup is what the lesson sends when the learner enters the step, so the
	// step starts from the state it is written for whatever came before:
	// request lines (they may hold live values), after resetting the server
	// to SetupFixture when that is not empty.
	Setup        []string
	SetupFixture string

	solution    []request.Line // Solution, parsed (live values replaced by samples)
	solutionAt  []int          // the file line of each solution line
	acceptRules []acceptRule   // wrong-looking answers lint --play accepts as equivalent
	explainSrc  []numbered     // the explain block's lines as written, for lint --play
}

// acceptRule is one line of an accept block: a kind of change to the
// solution that still makes a right answer ("field age", "header Prefer",
// "method PATCH", "body"), or a whole request line ("line").
type acceptRule struct {
	kind string
	name string
	line request.Line
}

// IsScaffold reports whether the step's suggested request is a scaffold that
// leaves the method for the learner to type in front of it.
func (s *Step) IsScaffold() bool { return strings.HasPrefix(s.Suggest, "/") }

// IsQuiz reports whether the step is a quiz.
func (s *Step) IsQuiz() bool { return s.Quiz != nil }

// Network is the state of the simulated network a step asks for: which faults
// the composer's client injects and which retry policy it follows. A front end
// applies it to the learner's client when the step begins.
type Network struct {
	Faults sim.FaultSettings
	Retry  sim.RetryPolicy // "" leaves the client's policy alone
}

// Quiz is a multiple-choice question with exactly one correct choice.
type Quiz struct {
	Question string
	Choices  []Choice
}

// Choice is one answer to a quiz. Why explains a wrong choice (required) or,
// optionally, the right one.
type Choice struct {
	Text    string
	Correct bool
	Why     string
}

// Problem is one thing wrong with a lesson file or folder.
type Problem struct {
	File string
	Line int // 1-based; 0 when the problem is about the whole file or folder
	Msg  string
}

// String formats the problem as "file:line: msg" (or "file: msg" without a line).
func (p Problem) String() string {
	var s string
	switch {
	case p.File == "":
		s = p.Msg
	case p.Line <= 0:
		s = fmt.Sprintf("%s: %s", p.File, p.Msg)
	default:
		s = fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	// A file name or a quoted piece of a file may hold anything.
	return termsafe.Text(s)
}

// Problems is a list of problems. It implements error; a nil or empty
// Problems means nothing is wrong.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Err returns ps as an error, or nil when there are no problems (so a nil
// Problems never turns into a non-nil error interface).
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}
