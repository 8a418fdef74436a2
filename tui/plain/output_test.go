package plain

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestCleanMakesControlCharactersVisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\tkept", "tab\tkept"},
		{"esc \x1b[31mred", `esc \x1b[31mred`},
		{"bell\a nul\x00 del\x7f", `bell\x07 nul\x00 del\x7f`},
		{"new\nline\r", `new\x0aline\x0d`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"c1 \u009b", `c1 \u009b`},
		{"bidi \u202eevil", `bidi \u202eevil`},
		{"zero\u200bwidth\u200djoin\ufeff", `zero\u200bwidth\u200djoin\ufeff`},
		{"┌─┐│└┘═║", "+-+|++-|"},
		{"✓ 80.00 → 100.00 ×3 …", "✓ 80.00 → 100.00 ×3 …"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPrinterColoursOnlyWhenAsked(t *testing.T) {
	var plain, color bytes.Buffer
	(&printer{w: &plain}).styled(styleGood, "✓ step passed")
	(&printer{w: &color, color: true}).styled(styleGood, "✓ step passed")
	if plain.String() != "✓ step passed\n" {
		t.Errorf("plain = %q", plain.String())
	}
	if !strings.Contains(color.String(), "\x1b[32m") {
		t.Errorf("colour = %q, want an SGR sequence", color.String())
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, io.ErrClosedPipe
	}
	w.n--
	return len(p), nil
}

func TestPrinterStopsAtTheFirstWriteError(t *testing.T) {
	w := &failingWriter{n: 1}
	p := &printer{w: w}
	p.line("one")
	p.line("two")
	p.line("three")
	if p.err != io.ErrClosedPipe {
		t.Errorf("err = %v, want %v", p.err, io.ErrClosedPipe)
	}
}

func TestShortenCutsOnACharacterBoundaryAndSaysHowLong(t *testing.T) {
	if got := shorten("short", 10); got != "short" {
		t.Errorf("shorten(short) = %q", got)
	}
	got := shorten("ab€€€€", 4) // € is 3 bytes: the cut falls inside the first one
	if got != "ab… (14 bytes in all)" {
		t.Errorf("shorten = %q", got)
	}
}

func TestPrinterPrintsAMultiLineMessageAsLines(t *testing.T) {
	var b bytes.Buffer
	(&printer{w: &b}).line("progress was corrupt\r\nit is moved aside\n\x1b[2J")
	if want := "progress was corrupt\nit is moved aside\n\\x1b[2J\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
