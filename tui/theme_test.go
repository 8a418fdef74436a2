package tui

import (
	"image/color"
	"math"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/putpost/putpost/session"
)

// luminance is a colour's relative luminance (WCAG 2).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestPalettesReadOnTheirBackgroundAtEveryColourDepth converts each
// palette's colours as a TrueColor, a 256-colour and a 16-colour terminal
// would show them, and checks that they read on that palette's background
// and that ok, warning and error stay three different colours.
func TestPalettesReadOnTheirBackgroundAtEveryColourDepth(t *testing.T) {
	for _, tc := range []struct {
		name string
		dark bool
		bg   color.Color
		p    palette
	}{
		{"dark", true, color.Black, palette{}},
		{"light", false, color.White, palette{}},
	} {
		for _, prof := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI} {
			tc.p = StylesFor(tc.dark, prof).pal // the palette the screen draws with at this depth
			conv := func(hex string) color.Color { return prof.Convert(lipgloss.Color(hex)) }
			for name, hex := range map[string]string{
				"muted": tc.p.Muted, "accent": tc.p.Accent, "accent2": tc.p.Accent2, "ok": tc.p.OK,
				"info": tc.p.Info, "warn": tc.p.Warn, "error": tc.p.Err, "changed": tc.p.Changed,
			} {
				if c := contrast(conv(hex), tc.bg); c < 3 {
					t.Errorf("%s palette at %s: %s (%s) has contrast %.2f on its background, want ≥ 3", tc.name, prof, name, hex, c)
				}
			}
			if c := contrast(conv(tc.p.Faint), tc.bg); c < 1.8 {
				t.Errorf("%s palette at %s: faint (%s) has contrast %.2f, want ≥ 1.8", tc.name, prof, tc.p.Faint, c)
			}
			ok, warn, bad := conv(tc.p.OK), conv(tc.p.Warn), conv(tc.p.Err)
			same := func(a, b color.Color) bool {
				ar, ag, ab, _ := a.RGBA()
				br, bg, bb, _ := b.RGBA()
				return ar == br && ag == bg && ab == bb
			}
			if same(ok, warn) || same(ok, bad) || same(warn, bad) {
				t.Errorf("%s palette at %s: ok, warning and error are not three colours", tc.name, prof)
			}
		}
		if tc.p.Text != "" {
			t.Errorf("%s palette: body text has a colour (%s); it must keep the terminal's own foreground", tc.name, tc.p.Text)
		}
	}
}

func TestThemeFlagAndCOLORFGBGPickThePalette(t *testing.T) {
	for _, tc := range []struct {
		v        string
		dark, ok bool
	}{
		{"15;0", true, true}, {"0;15", false, true}, {"0;default;7", false, true},
		{"7;8", true, true}, {"", false, false}, {"x;y", false, false}, {"0;99", false, false},
	} {
		if dark, ok := darkFromColorFGBG(tc.v); dark != tc.dark || ok != tc.ok {
			t.Errorf("COLORFGBG=%q: dark %v ok %v", tc.v, dark, ok)
		}
	}
	sess := newSession(t, session.Options{Mode: session.Sandbox})
	light := New(Options{Session: sess, Theme: ThemeLight})
	defer light.Close()
	if light.dark {
		t.Error("--theme light drew the dark palette")
	}
	// The terminal's answer does not override --theme.
	m, _ := light.Update(tea.BackgroundColorMsg{Color: color.Black})
	if m.(*Model).dark {
		t.Error("a dark background answer overrode --theme light")
	}
	guess := New(Options{Session: sess, ColorFGBG: "0;15"})
	defer guess.Close()
	if guess.dark {
		t.Error("COLORFGBG=0;15 (white background) drew the dark palette")
	}
	if _, err := ParseTheme("blue"); err == nil {
		t.Error("--theme blue accepted")
	}
}

// A screen that comes back to a theme it had gets the styles built the
// first time.
func TestStylesAreBuiltOncePerTheme(t *testing.T) {
	sess := newSession(t, session.Options{Mode: session.Sandbox})
	m := New(Options{Session: sess})
	defer m.Close()
	first := m.st
	var cur tea.Model = &m
	for _, bg := range []color.Color{color.White, color.Black} {
		cur, _ = cur.Update(tea.BackgroundColorMsg{Color: bg})
	}
	if cur.(*Model).st != first {
		t.Error("back on a dark background, the screen built the dark styles again")
	}
}
