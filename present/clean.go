package present

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// clean makes text that came from outside the program (a demo file, a
// request, a response body) safe to draw on one line: control characters,
// invalid UTF-8, bidirectional controls and line separators are shown as
// escapes such as \x1b, and the result is cut to about n bytes with "…".
func clean(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if b.Len() >= n {
			b.WriteString("…")
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' || r == '\u200b' || r == '\ufeff':
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
