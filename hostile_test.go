package main

import (
	"strings"
	"testing"

	"github.com/putpost/putpost/termsafe"
)

// A lesson file with escape sequences in its title (the issue's
// set-window-title, colour, OSC 8 and C1): lint reports it, and lessons
// refuses the folder, printing the problem escaped.
func TestLessonTitlesWithEscapeSequencesAreRefusedAndShownEscaped(t *testing.T) {
	for name, title := range map[string]string{
		"window title": "Hello\x1b]0;pwned\x07",
		"colour":       "\x1b[31mRed title\x1b[0m",
		"OSC 8 link":   "\x1b]8;;https://evil.example\x07CLICKME\x1b]8;;\x07",
		"C1":           "Title\u009b2J",
	} {
		t.Run(name, func(t *testing.T) {
			lesson := strings.Replace(goodLesson, "title: The house rules of this bank", "title: "+title, 1)
			dir := writeLessonDir(t, map[string]string{"01-evil.md": lesson})
			lint := runCmd(t, nil, "lint", dir)
			if lint.err == nil || strings.Contains(lint.stdout, "no problems") || !strings.Contains(lint.stdout, "01-evil.md:3: the line holds ") {
				t.Errorf("lint: %v\n%s", lint.err, lint.stdout)
			}
			list := runCmd(t, nil, "lessons", "--lessons", dir)
			if list.err == nil {
				t.Errorf("lessons listed a folder whose lesson has a hostile title:\n%s", list.stdout)
			}
			for _, out := range []string{lint.stdout, lint.stderr, list.stdout, list.stderr, list.err.Error()} {
				if err := termsafe.CheckStyled(out, termsafe.Attributes); err != nil {
					t.Errorf("%v", err)
				}
			}
		})
	}
}
