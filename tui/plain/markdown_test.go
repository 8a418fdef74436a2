package plain

import (
	"strings"
	"testing"
)

func TestMarkdownLinesReadableWithoutStyling(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"heading stands alone", "# PUT replaces\nSome *text*\nwrapped.", "PUT replaces\n\nSome text wrapped."},
		{"emphasis and code lose their marks", "Send `PUT /accounts/42` **twice** and _see_.", "Send PUT /accounts/42 twice and see."},
		{"bullet list", "Intro:\n\n- one\n- two\n  - nested\n- three", "Intro:\n\n- one\n- two\n  - nested\n- three"},
		{"ordered list keeps numbers", "3. c\n4. d", "3. c\n4. d"},
		{"loose list items are separated", "- a\n\n- b", "- a\n\n- b"},
		{"code block is indented", "Try:\n\n```\nPUT /x {\"a\":1}\n  more\n```\nafter", "Try:\n\n    PUT /x {\"a\":1}\n      more\n\nafter"},
		{"table rows carry column names", "| method | safe | idempotent |\n|---|---|---|\n| GET | yes | yes |\n| POST | no | |", "GET — safe: yes; idempotent: yes\nPOST — safe: no"},
		{"link keeps its address", "See [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110) and <https://example.com>.", "See RFC 9110 (https://www.rfc-editor.org/rfc/rfc9110) and https://example.com."},
		{"escapes and entities resolved", `a \*star\* &amp; &#35;`, "a *star* & #"},
		{"blockquote indented", "> quoted\n> text", "  quoted text"},
		{"hard break splits lines", "one  \ntwo", "one\ntwo"},
		{"html dropped", "<div>x</div>\n\nok <b>bold</b>", "ok bold"},
		{"task list", "- [x] done\n- [ ] todo", "- [x] done\n- [ ] todo"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(markdownLines(tt.in), "\n")
			if got != tt.want {
				t.Errorf("markdownLines(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
			}
		})
	}
}
