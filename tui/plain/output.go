package plain

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/termsafe"
)

// style names what a line is for; it only matters when colour was asked for.
type style int

const (
	styleNone  style = iota
	styleTitle       // lesson and step titles
	styleGood        // ✓ lines
	styleBad         // ✗ lines and errors
	styleCode        // a request to type
	styleFaint       // echoed input
)

var sgr = map[style]string{
	styleTitle: "\x1b[1m",
	styleGood:  "\x1b[32m",
	styleBad:   "\x1b[31m",
	styleCode:  "\x1b[36m",
	styleFaint: "\x1b[2m",
}

// printer writes whole lines. Every line passes through clean, so nothing a
// learner or a client over the network sends can move the cursor or change
// colours; the only escape sequences in the output are the printer's own,
// and only when colour was asked for. The first write error sticks.
type printer struct {
	w     io.Writer
	color bool
	width func() int // the terminal's columns, to wrap at; nil for none
	cols  int        // what width said at the last measure; 0 for none
	err   error
	n     int // lines written

	// prompted: the last thing written is the prompt, so the cursor waits
	// after it; what is printed next starts on a line of its own.
	prompted bool
}

func (p *printer) line(s string) { p.styled(styleNone, s) }

// measure asks the terminal for its width, once for everything printed in
// answer to one input line or one wake-up (log all prints thousands of
// lines, and each question is a system call).
func (p *printer) measure() {
	if p.width != nil {
		p.cols = p.width()
	}
}

// styled prints s, one line per line of s (a multi-line message from
// elsewhere, such as a list of problems, stays readable), each wrapped at
// spaces to the terminal's width, as last measured, when there is one.
func (p *printer) styled(st style, s string) {
	if p.prompted && p.err == nil {
		_, p.err = io.WriteString(p.w, "\n")
		p.prompted = false
	}
	width := p.cols
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		l = clean(l)
		if width > 0 && ansi.StringWidth(l) > width {
			l = ansi.Wordwrap(l, width, "")
		}
		for _, w := range strings.Split(l, "\n") {
			if p.err != nil {
				return
			}
			if p.color && st != styleNone && w != "" {
				w = sgr[st] + w + "\x1b[0m"
			}
			_, p.err = io.WriteString(p.w, w+"\n")
			p.n++
		}
	}
}

// prompt writes "> " and leaves the cursor after it, unless it is there
// already.
func (p *printer) prompt() {
	if p.prompted || p.err != nil {
		return
	}
	_, p.err = io.WriteString(p.w, "> ")
	p.prompted = true
}

// blank separates what follows from what came before with an empty line;
// the output never starts with one.
func (p *printer) blank() {
	if p.n > 0 {
		p.line("")
	}
}

// lines prints each line of ls.
func (p *printer) lines(ls []string) {
	for _, l := range ls {
		p.line(l)
	}
}

// clean makes s safe and quiet to print on one line: termsafe escapes what a
// terminal would act on or not show (tabs are kept; the printer splits lines
// before it cleans them), and box-drawing characters become -, | or +.
func clean(s string) string {
	s = termsafe.Text(s)
	if !strings.ContainsAny(s, "\n") && !hasBoxDrawing(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\x0a`)
		case r >= 0x2500 && r <= 0x257f:
			b.WriteByte(boxToASCII(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hasBoxDrawing(s string) bool {
	for _, r := range s {
		if r >= 0x2500 && r <= 0x257f {
			return true
		}
	}
	return false
}

// maxShown is how many bytes of a learner's line, a stored resource or a
// message line are printed; a screen reader should not have to read a
// megabyte of JSON aloud.
const maxShown = 1000

// shorten cuts s to about n bytes, on a character boundary, and says how
// long it was.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes in all)", s[:cut], len(s))
}

// boxToASCII maps a box-drawing character (U+2500–U+257F) to the ASCII
// character that draws the same shape.
func boxToASCII(r rune) byte {
	switch r {
	case '─', '━', '┄', '┅', '┈', '┉', '╌', '╍', '═', '╴', '╶', '╸', '╺', '╼', '╾':
		return '-'
	case '│', '┃', '┆', '┇', '┊', '┋', '╎', '╏', '║', '╵', '╷', '╹', '╻', '╽', '╿':
		return '|'
	case '╱':
		return '/'
	case '╲':
		return '\\'
	case '╳':
		return 'X'
	}
	return '+'
}
