package tui

import (
	"image/color"
	"strings"
	"sync"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	"charm.land/glamour/v2/ansi"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// palette is the theme: every colour the screen uses, in one place. Hex
// strings because Glamour's style config wants strings and Lip Gloss accepts
// them too. Text is "" in both: body text keeps the terminal's own
// foreground, which is readable on its background whatever the guess of
// light or dark — a terminal that never says (detached tmux, screen) must
// not get near-white text on white.
type palette struct {
	Text, Muted, Faint string
	Accent, Accent2    string
	OK, Info, Warn     string
	Err, Changed       string
	CodeBg             string
}

var darkPalette = palette{
	Text: "", Muted: "#9CA3AF", Faint: "#6B7280",
	Accent: "#8AB4F8", Accent2: "#C4A7E7",
	OK: "#6CCF8E", Info: "#56C8D8", Warn: "#E5C07B",
	Err: "#F47067", Changed: "#F2CC60",
	CodeBg: "#2A2D34",
}

// dark16 and light16 are the palettes for a terminal of 16 colours, named
// by index: converting the others would turn a soft blue into navy on black
// and make ok, warning and error two colours. The terminal's own 16 are
// tuned to its background, so they read.
var dark16 = palette{
	Text: "", Muted: "7", Faint: "8",
	Accent: "14", Accent2: "13",
	OK: "10", Info: "6", Warn: "11",
	Err: "9", Changed: "11",
}

var light16 = palette{
	Text: "", Muted: "8", Faint: "8",
	Accent: "4", Accent2: "5",
	OK: "2", Info: "6", Warn: "3",
	Err: "1", Changed: "5",
}

var lightPalette = palette{
	Text: "", Muted: "#57606A", Faint: "#8C959F",
	Accent: "#0B57D0", Accent2: "#8250DF",
	OK: "#1A7F37", Info: "#0B6E83", Warn: "#9A6700",
	Err: "#CF222E", Changed: "#953800",
	CodeBg: "#EEF0F3",
}

// Styles is every style the screen uses, built from one palette. Children
// receive a pointer to it; no view builds its own style literals.
type Styles struct {
	Dark bool // which palette variant
	Mono bool // no colours at all (NO_COLOR, ASCII terminals): rely on text and attributes
	// Colors16: a terminal of 16 colours, drawn with its own (dark16, light16).
	Colors16 bool

	Text, Muted, Faint, Bold ink

	PaneTitle, PaneTitleFocused ink
	Border, BorderFocused       ink

	OK, Pending, Fail, Info ink

	Status2xx, Status3xx, Status4xx, Status5xx, StatusNone ink

	Changed, Before, After ink
	Selected               ink
	Method                 ink
	Path                   ink
	Mark                   ink
	Chart                  ink
	Error                  ink
	Key, KeyDesc           ink
	Notice                 ink
	Label, LabelFocused    ink

	Help help.Styles

	pal palette
}

// NewStyles builds the styles for a dark or light background. mono drops
// every colour but keeps bold, reverse and underline, so a NO_COLOR terminal
// still shows focus, selection and what changed.
func NewStyles(dark, mono bool) *Styles {
	prof := colorprofile.TrueColor
	if mono {
		prof = colorprofile.ASCII
	}
	return StylesFor(dark, prof)
}

// StylesFor returns the styles for a background and a terminal's colour
// depth: no colours at ASCII and below, the 16-colour palettes at ANSI.
// Styles never change once built, so each pair is built once per process
// and shared: by every screen of a classroom, and by a screen that goes
// back to a theme it had.
func StylesFor(dark bool, prof colorprofile.Profile) *Styles {
	key := stylesKey{dark, prof}
	if s, ok := stylesBuilt.Load(key); ok {
		return s.(*Styles)
	}
	s, _ := stylesBuilt.LoadOrStore(key, buildStyles(dark, prof))
	return s.(*Styles)
}

// stylesBuilt holds the styles StylesFor built, by stylesKey.
var stylesBuilt sync.Map

type stylesKey struct {
	dark bool
	prof colorprofile.Profile
}

// buildStyles is StylesFor without the sharing.
func buildStyles(dark bool, prof colorprofile.Profile) *Styles {
	mono := prof <= colorprofile.ASCII
	p := lightPalette
	switch {
	case dark && prof == colorprofile.ANSI:
		p = dark16
	case prof == colorprofile.ANSI:
		p = light16
	case dark:
		p = darkPalette
	}
	c := func(hex string) color.Color {
		if mono || hex == "" {
			return lipgloss.NoColor{}
		}
		return lipgloss.Color(hex)
	}
	fg := func(hex string) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(hex)) }
	k := inkOf

	s := &Styles{Dark: dark, Mono: mono, Colors16: prof == colorprofile.ANSI, pal: p}
	s.Text = k(fg(p.Text))
	s.Muted = k(fg(p.Muted))
	s.Faint = k(fg(p.Faint))
	s.Bold = k(lipgloss.NewStyle().Bold(true))
	s.PaneTitle = k(fg(p.Muted).Bold(true))
	s.PaneTitleFocused = k(fg(p.Accent).Bold(true).Reverse(mono))
	s.Border = k(fg(p.Faint))
	s.BorderFocused = k(fg(p.Accent))
	s.OK = k(fg(p.OK).Bold(true))
	s.Pending = k(fg(p.Warn))
	s.Fail = k(fg(p.Err).Bold(true))
	s.Info = k(fg(p.Info))
	s.Status2xx = k(fg(p.OK))
	s.Status3xx = k(fg(p.Info))
	s.Status4xx = k(fg(p.Warn).Bold(true))
	s.Status5xx = k(fg(p.Err).Bold(true))
	s.StatusNone = k(fg(p.Err).Italic(true))
	s.Changed = k(fg(p.Changed).Bold(true))
	s.Before = k(fg(p.Muted).Strikethrough(!mono))
	s.After = k(fg(p.Changed).Bold(true).Underline(mono))
	s.Selected = k(lipgloss.NewStyle().Reverse(true))
	s.Method = k(fg(p.Accent2).Bold(true))
	s.Path = k(fg(p.Text))
	s.Mark = k(fg(p.Warn).Bold(true))
	s.Chart = k(fg(p.Accent))
	s.Error = k(fg(p.Err))
	s.Key = k(fg(p.Accent).Bold(true))
	s.KeyDesc = k(fg(p.Muted))
	s.Notice = k(fg(p.Warn))
	s.Label = k(fg(p.Muted))
	s.LabelFocused = k(fg(p.Accent).Bold(true).Underline(mono))

	s.Help = help.Styles{
		ShortKey:       s.Key.Style,
		ShortDesc:      s.KeyDesc.Style,
		ShortSeparator: s.Faint.Style,
		Ellipsis:       s.Faint.Style,
		FullKey:        s.Key.Style,
		FullDesc:       s.KeyDesc.Style,
		FullSeparator:  s.Faint.Style,
	}
	return s
}

// textinputStyles gives the composer's one-line fields our colours and a
// steady cursor: a blinking cursor would redraw the screen twice a second
// for nothing and make captured screens differ.
func (s *Styles) textinputStyles() textinput.Styles {
	st := textinput.DefaultStyles(s.Dark)
	st.Focused.Text = s.Text.Style
	st.Focused.Prompt = s.LabelFocused.Style
	st.Focused.Placeholder = s.Faint.Style
	st.Blurred.Text = s.Muted.Style
	st.Blurred.Prompt = s.Label.Style
	st.Blurred.Placeholder = s.Faint.Style
	st.Cursor.Blink = false
	st.Cursor.Color = s.cursorColor()
	return st
}

// cursorColor is the editors' cursor colour: none in mono.
func (s *Styles) cursorColor() color.Color {
	if s.Mono {
		return lipgloss.NoColor{}
	}
	return lipgloss.Color(s.pal.Accent)
}

// textareaStyles is textinputStyles for the form's multi-line editors.
func (s *Styles) textareaStyles() textarea.Styles {
	st := textarea.DefaultStyles(s.Dark)
	st.Focused.Text = s.Text.Style
	st.Focused.Prompt = s.LabelFocused.Style
	st.Focused.CursorLine = lipgloss.NewStyle()
	st.Focused.Placeholder = s.Faint.Style
	st.Focused.EndOfBuffer = s.Faint.Style
	st.Blurred.Text = s.Muted.Style
	st.Blurred.Prompt = s.Label.Style
	st.Blurred.CursorLine = lipgloss.NewStyle()
	st.Blurred.Placeholder = s.Faint.Style
	st.Blurred.EndOfBuffer = s.Faint.Style
	st.Cursor.Blink = false
	st.Cursor.Color = s.cursorColor()
	return st
}

// glamourStyle is the fixed Markdown theme built from the same palette. It is
// never chosen by Glamour itself (no auto style): the background report from
// Bubble Tea decides dark or light, the colour profile decides mono.
func (s *Styles) glamourStyle() ansi.StyleConfig {
	p := s.pal
	str := func(v string) *string { return &v }
	col := func(hex string) *string {
		if s.Mono || hex == "" {
			return nil
		}
		return &hex
	}
	yes := func() *bool { t := true; return &t }
	u := func(v uint) *uint { return &v }

	// The background colour marks inline code. No padding spaces: Glamour
	// wraps at them, which can put the punctuation after a code span at the
	// start of the next line.
	codePrefix, codeSuffix := "", ""
	if s.Mono || p.CodeBg == "" {
		// Without a background colour, inline code needs visible quotes.
		codePrefix, codeSuffix = "`", "`"
	}
	var codeBg *string
	if !s.Mono && p.CodeBg != "" {
		codeBg = str(p.CodeBg)
	}

	return ansi.StyleConfig{
		Document: ansi.StyleBlock{
			StylePrimitive: ansi.StylePrimitive{Color: col(p.Text)},
			Margin:         u(0),
		},
		BlockQuote: ansi.StyleBlock{
			StylePrimitive: ansi.StylePrimitive{Color: col(p.Muted)},
			Indent:         u(1),
			IndentToken:    str("│ "),
		},
		Paragraph: ansi.StyleBlock{},
		List: ansi.StyleList{
			LevelIndent: 2,
		},
		Heading: ansi.StyleBlock{
			StylePrimitive: ansi.StylePrimitive{BlockSuffix: "\n", Color: col(p.Accent), Bold: yes()},
		},
		H1: ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Prefix: "# ", Color: col(p.Accent), Bold: yes()}},
		H2: ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Prefix: "## "}},
		H3: ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Prefix: "### "}},
		H4: ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Prefix: "#### "}},
		H5: ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Prefix: "##### "}},
		H6: ansi.StyleBlock{StylePrimitive: ansi.StylePrimitive{Prefix: "###### "}},

		Strikethrough:  ansi.StylePrimitive{CrossedOut: yes()},
		Emph:           ansi.StylePrimitive{Italic: yes()},
		Strong:         ansi.StylePrimitive{Bold: yes()},
		HorizontalRule: ansi.StylePrimitive{Color: col(p.Faint), Format: "\n────────\n"},
		Item:           ansi.StylePrimitive{BlockPrefix: "• "},
		Enumeration:    ansi.StylePrimitive{BlockPrefix: ". "},
		Task:           ansi.StyleTask{Ticked: "[✓] ", Unticked: "[ ] "},
		Link:           ansi.StylePrimitive{Color: col(p.Info), Underline: yes()},
		LinkText:       ansi.StylePrimitive{Color: col(p.Accent2), Bold: yes()},
		Image:          ansi.StylePrimitive{Color: col(p.Info), Underline: yes()},
		ImageText:      ansi.StylePrimitive{Color: col(p.Muted), Format: "Image: {{.text}} →"},
		Code: ansi.StyleBlock{
			StylePrimitive: ansi.StylePrimitive{
				Prefix: codePrefix, Suffix: codeSuffix,
				Color: col(p.Changed), BackgroundColor: codeBg,
			},
		},
		CodeBlock: ansi.StyleCodeBlock{
			// No Chroma: lesson code blocks are HTTP and JSON in our own
			// colours, and highlighting would register a global theme.
			StyleBlock: ansi.StyleBlock{
				StylePrimitive: ansi.StylePrimitive{Color: col(p.Accent2)},
				Margin:         u(2),
			},
		},
		Table: ansi.StyleTable{
			CenterSeparator: str("┼"),
			ColumnSeparator: str("│"),
			RowSeparator:    str("─"),
		},
		DefinitionDescription: ansi.StylePrimitive{BlockPrefix: "\n→ "},
	}
}

// statusStyle picks the style for a status class. The text always carries
// the code and reason too, so colour is never the only signal.
func (s *Styles) statusStyle(code int) ink {
	switch {
	case code >= 500:
		return s.Status5xx
	case code >= 400:
		return s.Status4xx
	case code >= 300:
		return s.Status3xx
	case code >= 200:
		return s.Status2xx
	default:
		return s.StatusNone
	}
}

// ink is a Lip Gloss style that draws one line of text faster: a style of
// colours and attributes only wraps a line in the same escape sequences
// whatever the line, so they are worked out once (inkOf) and Render puts
// them around the text instead of working them out for every call. Text
// with a newline, a tab or a carriage return, more than one string, and
// styles that draw spaces apart (underline, strike-through) go through
// Lip Gloss as they are.
type ink struct {
	lipgloss.Style
	pre, post string // around a line, when fast
	fast      bool
}

// inkProbes are the texts inkOf checks that the escape sequences around
// "x" draw like Lip Gloss: an empty line, and one with spaces at both ends
// and between words, wide characters and styled text. A style that draws
// any part of a line apart (underline and strike-through leave spaces
// out, padding and width add some) draws that line differently.
var inkProbes = []string{"", " a b é…▸ ✓ 界 \x1b[1mbold\x1b[m and more "}

func inkOf(st lipgloss.Style) ink {
	k := ink{Style: st}
	out := st.Render("x")
	i := strings.Index(out, "x")
	if i < 0 {
		return k
	}
	k.pre, k.post = out[:i], out[i+1:]
	for _, p := range inkProbes {
		if st.Render(p) != k.paint(p) {
			return k
		}
	}
	k.fast = true
	return k
}

func (k ink) paint(s string) string {
	if k.pre == "" && k.post == "" {
		return s
	}
	return k.pre + s + k.post
}

// Render draws strs as Lip Gloss does (see ink).
func (k ink) Render(strs ...string) string {
	if k.fast && len(strs) == 1 && !strings.ContainsAny(strs[0], "\n\t\r") {
		return k.paint(strs[0])
	}
	return k.Style.Render(strs...)
}

// Reverse is the style in reverse video.
func (k ink) Reverse(on bool) ink { return inkOf(k.Style.Reverse(on)) }
