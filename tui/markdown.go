package tui

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	xansi "github.com/charmbracelet/x/ansi"
)

// mdKey names one rendered piece of Markdown. The theme is part of the key
// because the same text renders differently on light and dark backgrounds.
type mdKey struct {
	Lesson string // lesson id ("" in sandbox)
	Step   int    // step index, -1 for the lesson intro
	Part   string // "text", "explain", …
	Width  int
	Theme  string
}

// renderedMsg delivers Markdown rendered in a tea.Cmd.
type renderedMsg struct {
	Key mdKey
	Out string
	Err error
}

// mdRenderer renders Markdown with our fixed Glamour style. Glamour's
// renderer is not safe for concurrent use, so every render holds the lock;
// renders run in tea.Cmds, never in Update or View.
type mdRenderer struct {
	theme string
	style ansi.StyleConfig

	mu      sync.Mutex
	byWidth map[int]*glamour.TermRenderer
}

func newMDRenderer(s *Styles) *mdRenderer {
	return &mdRenderer{theme: themeName(s), style: s.glamourStyle(), byWidth: map[int]*glamour.TermRenderer{}}
}

func themeName(s *Styles) string {
	switch {
	case s.Mono:
		return "mono"
	case s.Dark && s.Colors16:
		return "dark16"
	case s.Colors16:
		return "light16"
	case s.Dark:
		return "dark"
	default:
		return "light"
	}
}

// Render renders md wrapped at width cells. Safe for concurrent use.
func (r *mdRenderer) Render(md string, width int) (string, error) {
	width = max(width, 10)
	r.mu.Lock()
	defer r.mu.Unlock()
	tr, ok := r.byWidth[width]
	if !ok {
		var err error
		tr, err = glamour.NewTermRenderer(
			glamour.WithStyles(r.style),
			glamour.WithWordWrap(width),
		)
		if err != nil {
			return "", fmt.Errorf("markdown renderer: %w", err)
		}
		// Widths come and go while a window is resized; keep a few.
		if len(r.byWidth) > 8 {
			clear(r.byWidth)
		}
		r.byWidth[width] = tr
	}
	out, err := tr.Render(keepHyphens(reflow(md)))
	if err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return heldBack.Replace(fitWidth(trimRendered(out), width)), nil
}

// heldHyphen stands in for a hyphen while Glamour wraps: its wrapping
// breaks lines after every hyphen, which splits --json, If-None-Match and
// header names in two. A private-use character is one cell wide and no
// breakpoint; it is turned back into "-" after rendering.
const heldHyphen = "\uE000"

// heldDot stands in for the dots of a section reference (§15.5.13), which
// Glamour's wrap otherwise breaks after a styled span.
const heldDot = "\uE001"

// heldBack turns the held characters back after rendering.
var heldBack = strings.NewReplacer(heldHyphen, "-", heldDot, ".")

// sectionRef is a reference to a section of an RFC: §15.5.13.
var sectionRef = regexp.MustCompile(`§\d+(\.\d+)+`)

// keepHyphens holds every hyphen that joins characters of a word (or
// starts an option such as --json) for the wrap; list markers, rules and
// table separators keep theirs.
func keepHyphens(md string) string {
	lines := strings.Split(md, "\n")
	for i, ln := range lines {
		trim := strings.TrimSpace(ln)
		if trim == "" || strings.Trim(trim, "-|: ") == "" || !strings.Contains(trim, "-") {
			continue // a rule, a table's separator, or nothing to hold
		}
		lead := len(ln) - len(strings.TrimLeft(ln, " \t"))
		if strings.HasPrefix(trim, "- ") {
			lead += 2 // a list item's marker
		}
		b := []byte(ln)
		var out strings.Builder
		out.Write(b[:lead])
		for j := lead; j < len(b); j++ {
			if b[j] == '-' && j+1 < len(b) && b[j+1] != ' ' && b[j+1] != '\t' {
				out.WriteString(heldHyphen)
				continue
			}
			out.WriteByte(b[j])
		}
		lines[i] = out.String()
	}
	md = strings.Join(lines, "\n")
	if strings.Contains(md, "§") {
		md = sectionRef.ReplaceAllStringFunc(md, func(ref string) string { return strings.ReplaceAll(ref, ".", heldDot) })
	}
	return md
}

// fitWidth wraps any rendered line still wider than width (Glamour lets a
// few through, list items with bold text among them) onto the next line,
// so that drawing never cuts text off.
func fitWidth(s string, width int) string {
	lines := strings.Split(s, "\n")
	out := lines[:0:0]
	for _, ln := range lines {
		if xansi.StringWidth(ln) <= width {
			out = append(out, ln)
			continue
		}
		// At spaces only (hyphens are still held); a word longer than the
		// whole line is the one thing cut, and it goes on the next.
		for _, piece := range strings.Split(xansi.Wordwrap(ln, width, ""), "\n") {
			if xansi.StringWidth(piece) > width {
				piece = xansi.Hardwrap(piece, width, true)
			}
			out = append(out, strings.Split(piece, "\n")...)
		}
	}
	return strings.Join(out, "\n")
}

// trimRendered drops Glamour's blank lines at both ends and the padding
// spaces at the end of each line.
func trimRendered(s string) string {
	lines := strings.Split(s, "\n")
	for i, ln := range lines {
		lines[i] = trimRightStyled(ln)
	}
	for len(lines) > 0 && xansi.Strip(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && xansi.Strip(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// trimRightStyled removes trailing blanks from a styled line, keeping any
// escape sequences (they may close a style).
func trimRightStyled(ln string) string {
	plain := xansi.Strip(ln)
	trimmed := strings.TrimRight(plain, " ")
	if len(trimmed) == len(plain) {
		return ln
	}
	w := xansi.StringWidth(trimmed)
	return xansi.Truncate(ln, w, "") + xansi.ResetStyle
}

// mdCache holds rendered Markdown for the life of the program. Only Update
// writes it.
type mdCache struct {
	done    map[mdKey]string
	pending map[mdKey]bool
}

func newMDCache() *mdCache {
	return &mdCache{done: map[mdKey]string{}, pending: map[mdKey]bool{}}
}

// get returns the rendered text, or false and a command that renders it
// (nil when a render is already on its way).
func (c *mdCache) get(r *mdRenderer, k mdKey, md string) (string, bool, tea.Cmd) {
	if out, ok := c.done[k]; ok {
		return out, true, nil
	}
	if c.pending[k] {
		return "", false, nil
	}
	c.pending[k] = true
	return "", false, renderCmd(r, k, md)
}

func (c *mdCache) put(msg renderedMsg) {
	delete(c.pending, msg.Key)
	out := msg.Out
	if msg.Err != nil {
		out = msg.Err.Error()
	}
	c.done[msg.Key] = out
}

func renderCmd(r *mdRenderer, k mdKey, md string) tea.Cmd {
	return func() tea.Msg {
		out, err := r.Render(md, k.Width)
		return renderedMsg{Key: k, Out: out, Err: err}
	}
}

// reflow joins soft-wrapped lines of paragraphs and list items. Glamour
// re-wraps paragraphs but keeps the source's line breaks inside list items,
// which leaves ragged half-empty lines in a narrow pane.
func reflow(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	fence := ""
	joinable := false // the previous output line may take a continuation
	for _, ln := range lines {
		trim := strings.TrimSpace(ln)
		if fence != "" {
			out = append(out, ln)
			if strings.HasPrefix(trim, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~") {
			fence = trim[:3]
			out = append(out, ln)
			joinable = false
			continue
		}
		if trim == "" || startsBlock(trim) || !joinable {
			out = append(out, ln)
			joinable = trim != "" && !strings.HasPrefix(trim, "#") && !strings.HasPrefix(trim, "|") &&
				!strings.HasSuffix(ln, "  ") && !strings.HasSuffix(ln, "\\")
			continue
		}
		out[len(out)-1] += " " + trim
		joinable = !strings.HasSuffix(ln, "  ") && !strings.HasSuffix(ln, "\\")
	}
	return strings.Join(out, "\n")
}

// startsBlock reports whether a trimmed line begins a Markdown block of its
// own (list item, heading, quote, table row, rule).
func startsBlock(t string) bool {
	switch {
	case strings.HasPrefix(t, "- "), strings.HasPrefix(t, "* "), strings.HasPrefix(t, "+ "),
		strings.HasPrefix(t, "#"), strings.HasPrefix(t, ">"), strings.HasPrefix(t, "|"),
		t == "---", t == "***", t == "___":
		return true
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' '
}
