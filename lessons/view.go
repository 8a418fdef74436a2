package lessons

import (
	"regexp"
	"slices"
	"strings"
)

// View names a front end, for the few words of a lesson that differ
// between them: which key to press or which command to type.
type View int

// The front ends a lesson's text is shown in.
const (
	Screen View = iota // the full screen
	Line               // line mode (--plain), read by screen readers and pipes
)

// perView is the markup for words that differ by front end, on one line:
// {screen: press `w`|line: type `wire`}. Either side may be empty.
var perView = regexp.MustCompile(`\{screen:([^{}|\n]*)\|line:([^{}|\n]*)\}`)

// ForView keeps the words of text meant for v: each
// {screen: …|line: …} becomes its screen or its line side, so that the full
// screen never says "in line mode type…" and line mode never says "press w".
func ForView(text string, v View) string {
	if !strings.Contains(text, "{screen:") {
		return text
	}
	return perView.ReplaceAllStringFunc(text, func(m string) string {
		parts := perView.FindStringSubmatch(m)
		side := parts[1]
		if v == Line {
			side = parts[2]
		}
		return strings.TrimSpace(side)
	})
}

// checkPerView reports a {screen: that is not a whole
// {screen: …|line: …} on its line.
func checkPerView(s string) bool {
	n := strings.Count(s, "{screen:")
	return n == 0 || n == len(perView.FindAllStringIndex(s, -1)) // every match holds "{screen:"
}

// ForView is the status with the words of its check results meant for v:
// a result may say how to do something, such as resetting the step, in
// words that differ by front end.
func (st StepStatus) ForView(v View) StepStatus {
	if !slices.ContainsFunc(st.Results, func(r CheckResult) bool {
		return strings.Contains(r.Desc, "{screen:") || strings.Contains(r.Detail, "{screen:")
	}) {
		return st // the usual case: nothing to copy
	}
	rs := make([]CheckResult, len(st.Results))
	for i, r := range st.Results {
		r.Desc, r.Detail = ForView(r.Desc, v), ForView(r.Detail, v)
		rs[i] = r
	}
	st.Results = rs
	return st
}
