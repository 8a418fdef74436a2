package plain

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/putpost/putpost/lessons"
)

// markdownParser understands what lesson files use: CommonMark plus GitHub
// tables, strikethrough and task lists. Parsers are safe for concurrent use.
var markdownParser = goldmark.New(goldmark.WithExtensions(
	extension.Table, extension.Strikethrough, extension.TaskList,
)).Parser()

// markdownLines renders Markdown as plain lines for a screen reader, a pipe or
// a log: no styling characters, one paragraph, list item, table row or code
// line per line, blocks separated by one blank line. Headings stand on their
// own line; code keeps a four-space indent so it stays copyable; a table row
// becomes "first cell — header: cell; header: cell" so that each value is read
// with its column name.
func markdownLines(src string) []string {
	source := []byte(lessons.ForView(src, lessons.Line)) // the words meant for line mode

	r := &mdRenderer{src: source}
	r.blocks(markdownParser.Parse(text.NewReader(source)))
	return trimBlank(r.lines)
}

type mdRenderer struct {
	src    []byte
	lines  []string
	levels []mdLevel // the list items and block quotes the renderer is in, outermost first
}

// mdLevel is one list item or block quote being rendered: its first
// non-blank line starts with first (a list marker), the others with rest.
// Lines are prefixed once, as they are added, with every level's prefix:
// rendering each level on its own and indenting its lines again at every
// level above would cost the square of the depth.
type mdLevel struct {
	first, rest string
	tight       bool // a tight list's item: no blank lines inside
	marked      bool // first has been used
	start       int  // len(lines) when the level began
}

// maxIndentLevels bounds how many levels indent a line: the loader refuses
// lessons nested deeper than a few levels, and past this depth more
// indentation would only push the text off a reader's line.
const maxIndentLevels = 16

// add appends a line of the innermost level, with every level's prefix. A
// blank line inside a tight list item is dropped.
func (r *mdRenderer) add(s string) {
	if s == "" {
		for _, l := range r.levels {
			if l.tight {
				return
			}
		}
		r.lines = append(r.lines, "")
		return
	}
	var b strings.Builder
	for i := range r.levels {
		l := &r.levels[i]
		p := l.rest
		if !l.marked {
			p, l.marked = l.first, true
		}
		if i < maxIndentLevels {
			b.WriteString(p)
		}
	}
	b.WriteString(s)
	r.lines = append(r.lines, strings.TrimRight(b.String(), " \t"))
}

// blank separates blocks: at most one blank line, never at the start of
// the output or of a level.
func (r *mdRenderer) blank() {
	start := 0
	if k := len(r.levels); k > 0 {
		start = r.levels[k-1].start
	}
	if n := len(r.lines); n > start && r.lines[n-1] != "" {
		r.add("")
	}
}

func (r *mdRenderer) blocks(parent ast.Node) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		r.block(n)
	}
}

func (r *mdRenderer) block(n ast.Node) {
	switch n := n.(type) {
	case *ast.Heading, *ast.Paragraph:
		r.blank()
		r.paragraph(n)
	case *ast.TextBlock:
		r.paragraph(n)
	case *ast.ThematicBreak:
		r.blank()
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		r.blank()
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			line := strings.TrimRight(string(seg.Value(r.src)), "\r\n")
			r.add("    " + strings.Repeat(" ", seg.Padding) + line)
		}
		r.blank()
	case *ast.Blockquote:
		r.blank()
		r.nested(n, "  ", "  ", false)
	case *ast.List:
		r.blank()
		r.list(n)
		r.blank()
	case *ast.HTMLBlock:
		// Raw HTML carries nothing a reader of plain text can use.
	case *extast.Table:
		r.blank()
		r.table(n)
		r.blank()
	default:
		r.blocks(n)
	}
}

// paragraph prints a block's inline content; hard line breaks start new lines.
func (r *mdRenderer) paragraph(n ast.Node) {
	for _, line := range strings.Split(r.inline(n), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			r.add(line)
		}
	}
}

// nested renders n's children indented: the first non-blank line gets first
// (a list marker), the rest get rest. tight drops blank lines, as in the
// items of a tight list.
func (r *mdRenderer) nested(n ast.Node, first, rest string, tight bool) {
	r.levels = append(r.levels, mdLevel{first: first, rest: rest, tight: tight, start: len(r.lines)})
	r.blocks(n)
	k := len(r.levels) - 1
	l := r.levels[k]
	for len(r.lines) > l.start && r.lines[len(r.lines)-1] == "" {
		r.lines = r.lines[:len(r.lines)-1]
	}
	r.levels = r.levels[:k]
	if !l.marked && first != rest {
		r.add(strings.TrimRight(first, " "))
	}
}

func (r *mdRenderer) list(l *ast.List) {
	number := l.Start
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "- "
		if l.IsOrdered() {
			marker = strconv.Itoa(number) + ". "
			number++
		}
		if !l.IsTight && item != l.FirstChild() {
			r.blank()
		}
		r.nested(item, marker, strings.Repeat(" ", len(marker)), l.IsTight)
	}
}

func (r *mdRenderer) table(t *extast.Table) {
	var header []string
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, strings.TrimSpace(strings.ReplaceAll(r.inline(c), "\n", " ")))
		}
		if _, ok := row.(*extast.TableHeader); ok {
			header = cells
			continue
		}
		r.add(tableRow(header, cells))
	}
}

// tableRow reads a row as "first — header: value; header: value", skipping
// empty cells, so a listener hears each value with its column's name.
func tableRow(header, cells []string) string {
	if len(cells) == 0 {
		return ""
	}
	first := cells[0]
	if first == "" {
		first = "-"
	}
	var rest []string
	for i, c := range cells[1:] {
		if c == "" {
			continue
		}
		if i+1 < len(header) && header[i+1] != "" {
			c = header[i+1] + ": " + c
		}
		rest = append(rest, c)
	}
	if len(rest) == 0 {
		return first
	}
	return first + " — " + strings.Join(rest, "; ")
}

// inline flattens inline content: emphasis is dropped, code keeps its text,
// links keep their address, soft breaks become spaces and hard breaks "\n".
func (r *mdRenderer) inline(parent ast.Node) string {
	var b strings.Builder
	r.inlineTo(&b, parent)
	return b.String()
}

func (r *mdRenderer) inlineTo(b *strings.Builder, parent ast.Node) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Text:
			v := n.Segment.Value(r.src)
			if !n.IsRaw() {
				v = util.ResolveNumericReferences(util.ResolveEntityNames(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			switch {
			case n.HardLineBreak():
				b.WriteByte('\n')
			case n.SoftLineBreak():
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(n.Value)
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(r.src))
				} else if s, ok := c.(*ast.String); ok {
					b.Write(s.Value)
				}
			}
		case *ast.Link:
			label := r.inline(n)
			b.WriteString(label)
			if dest := string(n.Destination); dest != "" && dest != label && !strings.HasPrefix(dest, "#") {
				b.WriteString(" (" + dest + ")")
			}
		case *ast.AutoLink:
			b.Write(n.URL(r.src))
		case *ast.Image:
			if alt := r.inline(n); alt != "" {
				b.WriteString("image: " + alt)
			}
		case *ast.RawHTML:
			// Inline tags are markup, not content.
		case *extast.TaskCheckBox:
			if n.IsChecked {
				b.WriteString("[x] ")
			} else {
				b.WriteString("[ ] ")
			}
		default:
			r.inlineTo(b, n)
		}
	}
}

// trimBlank drops leading and trailing blank lines.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
