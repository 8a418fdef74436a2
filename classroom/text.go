package classroom

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// safe makes a string a learner sent (a user name, a request line, a body)
// fit to show on the instructor's terminal: on one line, every character a
// terminal would act on written as an escape, cut to at most n bytes.
//
// It is the classroom's one door for outside text; the project's shared
// sanitiser takes its place when it lands.
func safe(s string, n int) string {
	var b strings.Builder
	for i, r := range s {
		if b.Len() >= n {
			return b.String() + "…"
		}
		switch {
		case r == utf8.RuneError && len(s[i:]) > 0 && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
