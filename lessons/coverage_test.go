package lessons

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// refPattern matches a step reference in docs: lesson-id#N, N counting the
// lesson's steps and quizzes from 1 (see docs/LESSONS.md).
var refPattern = regexp.MustCompile(`\b([a-z0-9]+(?:-[a-z0-9]+)*)#([0-9]+)\b`)

func TestCoverageReferencesExist(t *testing.T) {
	data, err := os.ReadFile("../docs/COVERAGE.md")
	if os.IsNotExist(err) {
		t.Skip("docs/COVERAGE.md does not exist yet")
	}
	if err != nil {
		t.Fatal(err)
	}
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	steps := map[string]int{}
	for _, l := range ls {
		steps[l.ID] = len(l.Steps)
	}
	refs := 0
	for i, line := range strings.Split(string(data), "\n") {
		for _, m := range refPattern.FindAllStringSubmatch(line, -1) {
			refs++
			n, _ := strconv.Atoi(m[2])
			total, ok := steps[m[1]]
			switch {
			case !ok:
				t.Errorf("docs/COVERAGE.md:%d: %s: there is no lesson %q%s", i+1, m[0], m[1], didYouMean(m[1], keys(steps)))
			case n < 1 || n > total:
				t.Errorf("docs/COVERAGE.md:%d: %s: lesson %s has steps 1 to %d", i+1, m[0], m[1], total)
			}
		}
	}
	if refs == 0 {
		t.Error("docs/COVERAGE.md refers to no step (write references as lesson-id#N)")
	}
}

func keys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestReferencePattern(t *testing.T) {
	tests := map[string][]string{
		"see `put-replace#2` and put-create#1.":     {"put-replace#2", "put-create#1"},
		"[PUT](#put-method) and §9.3.4 and #3":      nil,
		"history#12, final-challenge#3 (corrected)": {"history#12", "final-challenge#3"},
	}
	for text, want := range tests {
		got := refPattern.FindAllString(text, -1)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%q: %q, want %q", text, got, want)
		}
	}
}
