// Package termsafe makes text that came from outside the program — a request
// target, a header, a JSON field name or value, a lesson file, a progress
// file, an SSH user name — safe to show on a terminal, and visible.
//
// A terminal interprets bytes, not just characters: ESC and CSI sequences
// change colours, move the cursor, set the window title or (OSC 8) draw a
// clickable link; C1 controls (U+0080–U+009F) do the same on some terminals;
// bidirectional overrides make a line read differently from what it is;
// zero-width and other invisible format characters hide text; invalid UTF-8
// breaks the width of a line and with it a box border. Every such character
// is written as an escape that shows what was there (\x1b, \u202e, \xff),
// never interpreted. Printable text, including wide characters and emoji
// without joiners, passes unchanged.
//
// Long text is cut with "…" while it is escaped, so a 60 KB header costs a
// screen only the bytes it can show: cut before measuring or wrapping.
//
// The package imports nothing of the program's own, so every part of it can
// use it.
package termsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ellipsis ends a string that was cut.
const Ellipsis = "…"

// String returns s on one line with every character a terminal would act on
// or not show written as a visible escape. Newlines and tabs are escaped too.
func String(s string) string { return escape(s, -1, false) }

// Cut is String, cut to at most n bytes of output (not counting the
// ellipsis that ends a cut string). Only the part kept is examined, so its
// cost does not grow with the length of s. n < 0 means no limit.
func Cut(s string, n int) string { return escape(s, n, false) }

// CutBytes is Cut for bytes, such as a body: only the bytes that can be
// shown are copied, however long b is.
func CutBytes(b []byte, n int) string {
	if n >= 0 && len(b) > n+1 {
		// Every byte kept shows as at least one byte, so n+1 of them are
		// enough to know whether the string goes on past n.
		b = b[:n+1]
	}
	return escape(string(b), n, false)
}

// Text is String for text of several lines: newlines and tabs are kept,
// everything else is escaped as String does. A "\r\n" becomes "\n".
func Text(s string) string { return escape(s, -1, true) }

// CutText is Text cut to at most n bytes of output, as Cut.
func CutText(s string, n int) string { return escape(s, n, true) }

// Safe reports whether String(s) == s: s holds nothing a terminal would act
// on or hide.
func Safe(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			return false
		}
		i += size
	}
	return true
}

// Describe names a character for a message a person reads: a control
// character by its name and code point ("ESC (U+001B)"), a character a
// terminal shows as itself with its code point ("é (U+00E9)"), one it would
// not show (bidi, zero-width, C1) by its code point alone.
func Describe(r rune) string {
	switch {
	case r >= 0 && int(r) < len(c0Names):
		return fmt.Sprintf("%s (U+%04X)", c0Names[r], r)
	case r == 0x7f:
		return "DEL (U+007F)"
	case r != ' ' && Safe(string(r)):
		return fmt.Sprintf("%c (U+%04X)", r, r)
	}
	return fmt.Sprintf("U+%04X", r)
}

var c0Names = [...]string{"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
	"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"}

func escape(s string, n int, multiline bool) string {
	if n < 0 || n > len(s)*len(`\u0000`) {
		n = -1 // the whole string fits whatever it holds
	}
	// Fast path: printable ASCII needs no escaping; look no further than
	// what can be kept.
	look := len(s)
	if n >= 0 {
		look = min(len(s), n+1)
	}
	plain := 0
	for plain < look && s[plain] >= 0x20 && s[plain] < 0x7f {
		plain++
	}
	switch {
	case plain == len(s) && (n < 0 || len(s) <= n):
		return s
	case n >= 0 && plain > n: // the first n bytes are plain and more follow
		return s[:n] + Ellipsis
	case (n < 0 || len(s) <= n) && shownAsIs(s[plain:], multiline):
		return s // text such as "204 No Content — …": nothing to escape or cut
	}
	var b strings.Builder
	if n >= 0 {
		b.Grow(min(len(s), n) + len(Ellipsis))
	} else {
		b.Grow(len(s) + 16)
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var piece string
		switch {
		case multiline && r == '\n', multiline && r == '\t':
			piece = s[i : i+1]
		case multiline && r == '\r' && i+1 < len(s) && s[i+1] == '\n':
			i++
			continue
		case r == utf8.RuneError && size == 1, r < 0x80 && needsEscape(r, size):
			piece = hexByte(s[i])
		case needsEscape(r, size):
			piece = hexRune(r)
		default:
			piece = s[i : i+size]
		}
		if n >= 0 && b.Len()+len(piece) > n {
			b.WriteString(Ellipsis)
			return b.String()
		}
		b.WriteString(piece)
		i += size
	}
	return b.String()
}

// shownAsIs reports whether escape leaves every character of s as it is
// (no rune to escape, and for multiline text no carriage return).
func shownAsIs(s string, multiline bool) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f { // printable ASCII: most of any line
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(multiline && (r == '\n' || r == '\t')) && needsEscape(r, size) {
			return false
		}
		i += size
	}
	return true
}

// needsEscape reports the characters a terminal acts on or does not show.
func needsEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1: // invalid UTF-8
		return true
	case r < 0x20 || r == 0x7f: // C0 (ESC starts every sequence) and DEL
		return true
	case r < 0xa0:
		return r >= 0x80 // C1: CSI, OSC, DCS, … in one byte on some terminals
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	}
	// Format characters: bidi controls (U+202A–U+202E, U+2066–U+2069, marks),
	// zero-width space and joiners, word joiner, soft hyphen, BOM, tags.
	return unicode.Is(unicode.Cf, r) || isInvisible(r)
}

// isInvisible lists characters outside Cf that show nothing and could be
// used to hide or pad text: fillers and combining grapheme joiner.
func isInvisible(r rune) bool {
	switch r {
	case 0x034f, 0x115f, 0x1160, 0x3164, 0xffa0, 0x180e:
		return true
	}
	return false
}

const hexDigits = "0123456789abcdef"

func hexByte(c byte) string {
	return string([]byte{'\\', 'x', hexDigits[c>>4], hexDigits[c&15]})
}

func hexRune(r rune) string {
	if r > 0xffff {
		return `\U` + hex(uint32(r), 8)
	}
	return `\u` + hex(uint32(r), 4)
}

func hex(v uint32, digits int) string {
	b := make([]byte, digits)
	for i := digits - 1; i >= 0; i-- {
		b[i] = hexDigits[v&15]
		v >>= 4
	}
	return string(b)
}

// CheckStyled reports the first thing in s, a program's output, that is
// neither text String would leave as is nor styling: newlines are allowed,
// and SGR sequences (ESC [ params m) whose params sgr accepts; every other
// escape sequence, control or invisible character is an error. Tests use it
// to prove that outside text reached the terminal only escaped.
func CheckStyled(s string, sgr func(params string) bool) error {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\n' || c >= 0x20 && c < 0x7f:
			i++
			continue
		case c == 0x1b:
			j := i + 1
			if j < len(s) && s[j] == '[' {
				j++
				for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
					j++
				}
				if j < len(s) && s[j] == 'm' && sgr(s[i+2:j]) {
					i = j + 1
					continue
				}
			}
			return fmt.Errorf("byte %d: escape sequence %q is not the program's styling", i, s[i:min(len(s), i+24)])
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			return fmt.Errorf("byte %d: %s reached the terminal raw in %q", i, hexRune(r), s[max(0, i-20):min(len(s), i+20)])
		}
		i += size
	}
	return nil
}

// Attributes accepts the SGR params of text attributes only (bold, faint,
// italic, underline, reverse, strikethrough, and their resets): the styling
// of a program without colours. Blinking (5, 6), hidden text (8) and every
// colour are refused.
func Attributes(params string) bool {
	for _, p := range strings.FieldsFunc(params, func(r rune) bool { return r == ';' }) {
		switch p {
		case "0", "1", "2", "3", "4", "7", "9", "21", "22", "23", "24", "27", "29":
		default:
			return false
		}
	}
	return true
}

// InvalidAt is the offset of the first byte of b that is not part of valid
// UTF-8, or len(b) when b is valid throughout.
func InvalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}
