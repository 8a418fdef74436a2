package termsafe

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestStringShowsWhatATerminalWouldActOn(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain ASCII", "PUT /accounts/42", "PUT /accounts/42"},
		{"wide characters and emoji pass", "日本 ✓ 🙂 café", "日本 ✓ 🙂 café"},
		{"colour", "\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example\x07CLICKME\x1b]8;;\x07", `\x1b]8;;https://evil.example\x07CLICKME\x1b]8;;\x07`},
		{"window title", "\x1b]0;pwned\x1b\\", `\x1b]0;pwned\x1b\`},
		{"C1 CSI and OSC", "a\u009b31mb\u009dc", `a\u009b31mb\u009dc`},
		{"bidi override", "abc\u202edcba", `abc\u202edcba`},
		{"bidi isolates and marks", "\u2066x\u2069\u200e\u061c", `\u2066x\u2069\u200e\u061c`},
		{"zero-width", "a\u200bb\u200cc\u200dd\u2060e\ufeff", `a\u200bb\u200cc\u200dd\u2060e\ufeff`},
		{"soft hyphen and tags", "x\u00ady\U000E0041", `x\u00ady\U000e0041`},
		{"invalid UTF-8", "a\xffb\xc3", `a\xffb\xc3`},
		{"newline, tab, CR, DEL", "a\nb\tc\rd\x7f", `a\x0ab\x09c\x0dd\x7f`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"hangul filler", "a\u3164b", `a\u3164b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if Safe(tt.in) != (tt.in == tt.want) {
				t.Errorf("Safe(%q) = %v", tt.in, Safe(tt.in))
			}
		})
	}
}

// Describe names control characters, and shows a character only where a
// terminal would show it.
func TestDescribeNamesControlsAndShowsOnlyVisibleCharacters(t *testing.T) {
	for r, want := range map[rune]string{
		0x1b: "ESC (U+001B)", 0: "NUL (U+0000)", 0x7f: "DEL (U+007F)", 'é': "é (U+00E9)",
		' ': "U+0020", 0x85: "U+0085", 0x202e: "U+202E", 0x200b: "U+200B",
	} {
		if got := Describe(r); got != want {
			t.Errorf("Describe(%U) = %q, want %q", r, got, want)
		}
	}
}

func TestTextKeepsLinesAndTabs(t *testing.T) {
	got := Text("title\r\n\tcode\x1b[2J\nend")
	if want := "title\n\tcode\\x1b[2J\nend"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestCutEndsWithEllipsisAndNeverSplitsAnEscape(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"a longer line", 4, "a lo…"},
		{"ab€€", 4, "ab…"},         // € is 3 bytes: it does not fit
		{"ab\x1bcd", 4, "ab…"},     // \x1b is 4 bytes shown: it does not fit
		{"ab\x1bcd", 6, `ab\x1b…`}, // it does here
		{strings.Repeat("x", 1<<20), 3, "xxx…"},
		{"", 0, ""},
		{"x", 0, "…"},
	}
	for _, tt := range tests {
		if got := Cut(tt.in, tt.n); got != tt.want {
			t.Errorf("Cut(%.20q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
	if got := CutText("a\nbcdef", 3); got != "a\nb…" {
		t.Errorf("CutText = %q", got)
	}
}

// checkVisible fails when s holds anything a terminal would act on or hide.
func checkVisible(t *testing.T, s string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("output is not valid UTF-8: %q", s)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if r < 0x20 || r >= 0x7f && r < 0xa0 || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 {
			t.Fatalf("output holds %U: %q", r, s)
		}
	}
}

func FuzzEscapeLeavesNothingForATerminalToAct(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]8;;https://evil.example\x07CLICKME", "\u202e\u200b\xff\u009b", "a\r\nb\tc", "日本🙂"} {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n %= 64
		one := String(s)
		checkVisible(t, one, false)
		checkVisible(t, Text(s), true)
		if Safe(s) != (one == s) {
			t.Fatalf("Safe(%q) = %v but String changes it to %q", s, Safe(s), one)
		}
		if String(one) != one {
			t.Fatalf("String is not idempotent on %q", s)
		}
		cut := Cut(s, n)
		if n >= 0 && CutBytes([]byte(s), n) != cut {
			t.Fatalf("CutBytes(%q, %d) = %q, Cut gives %q", s, n, CutBytes([]byte(s), n), cut)
		}
		checkVisible(t, cut, false)
		if n >= 0 {
			if len(strings.TrimSuffix(cut, Ellipsis)) > n {
				t.Fatalf("Cut(%q, %d) = %q is longer than %d bytes", s, n, cut, n)
			}
			if !strings.HasPrefix(one, strings.TrimSuffix(cut, Ellipsis)) {
				t.Fatalf("Cut(%q, %d) = %q is not a prefix of %q", s, n, cut, one)
			}
		}
	})
}

func TestCheckStyledAcceptsOnlyStylingAndVisibleText(t *testing.T) {
	ok := []string{"plain\nlines", "\x1b[1mbold\x1b[0m \x1b[7;4mrev\x1b[m", String("\x1b]8;;x\x07")}
	for _, s := range ok {
		if err := CheckStyled(s, Attributes); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	bad := []string{"\x1b]8;;https://evil.example\x07CLICKME", "\x1b[5mblink", "\x1b[31mred", "\x1b[2J", "a\u009bb", "a\u202eb", "a\u200bb", "a\xffb", "tab\there", "\x1bc"}
	for _, s := range bad {
		if CheckStyled(s, Attributes) == nil {
			t.Errorf("%q passed", s)
		}
	}
}
