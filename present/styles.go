package present

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// The projector's palette: fewer colours than the learner's screen and each
// of them far from the background, because a projector washes out
// everything that is not.
type palette struct {
	Text, Dim, Accent, Value, Up, Down, Bad string
}

var darkPalette = palette{
	Text: "#FFFFFF", Dim: "#BDBDBD", Accent: "#FFD75F", Value: "#FFFFFF",
	Up: "#5FFF87", Down: "#FF8787", Bad: "#FF5F5F",
}

var lightPalette = palette{
	Text: "#000000", Dim: "#3A3A3A", Accent: "#0000AF", Value: "#000000",
	Up: "#005F00", Down: "#870000", Bad: "#AF0000",
}

// Styles is every style the presenter draws with, built from one palette.
type Styles struct {
	Dark, Mono bool

	Text, Dim, Bold       lipgloss.Style
	Title, Caption, Value lipgloss.Style
	Up, Down, Same        lipgloss.Style
	Chart                 lipgloss.Style
	Request, Response     lipgloss.Style
	Bad, Key, Next        lipgloss.Style
}

// NewStyles builds the styles for a dark or light background; mono drops
// colours and keeps bold and reverse.
func NewStyles(dark, mono bool) *Styles {
	p := lightPalette
	if dark {
		p = darkPalette
	}
	c := func(hex string) color.Color {
		if mono {
			return lipgloss.NoColor{}
		}
		return lipgloss.Color(hex)
	}
	fg := func(hex string) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(hex)) }
	return &Styles{
		Dark: dark, Mono: mono,
		Text:     fg(p.Text),
		Dim:      fg(p.Dim),
		Bold:     fg(p.Text).Bold(true),
		Title:    fg(p.Accent).Bold(true).Reverse(mono),
		Caption:  fg(p.Text).Bold(true),
		Value:    fg(p.Value).Bold(true),
		Up:       fg(p.Up).Bold(true),
		Down:     fg(p.Down).Bold(true),
		Same:     fg(p.Dim).Bold(true),
		Chart:    fg(p.Accent),
		Request:  fg(p.Accent).Bold(true),
		Response: fg(p.Text).Bold(true),
		Bad:      fg(p.Bad).Bold(true),
		Key:      fg(p.Accent).Bold(true),
		Next:     fg(p.Dim),
	}
}
