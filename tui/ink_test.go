package tui

import (
	"reflect"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"pgregory.net/rapid"
)

// Every style of every theme draws a line exactly as Lip Gloss draws it,
// whichever way it takes (see ink).
func TestInkDrawsAsLipGloss(t *testing.T) {
	var all []ink
	for _, dark := range []bool{true, false} {
		for _, prof := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI, colorprofile.ASCII, colorprofile.NoTTY} {
			st := reflect.ValueOf(StylesFor(dark, prof)).Elem()
			for i := range st.NumField() {
				if !st.Type().Field(i).IsExported() {
					continue
				}
				if k, ok := st.Field(i).Interface().(ink); ok {
					all = append(all, k, k.Reverse(true))
				}
			}
		}
	}
	fast := 0
	for _, k := range all {
		if k.fast {
			fast++
		}
	}
	if fast < len(all)/2 {
		t.Fatalf("only %d of %d styles take the fast way", fast, len(all))
	}
	text := rapid.OneOf(
		rapid.String(),
		rapid.StringMatching(`[ a-z0-9#→…─│▸✓界é\t\r\n]{0,30}`),
		rapid.StringMatching(`(\x1b\[[0-9;]*m)?[a-z ]{0,8}(\x1b\[m)?[a-z ]{0,8}`),
	)
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.SampledFrom(all).Draw(t, "style")
		s := text.Draw(t, "text")
		if got, want := k.Render(s), k.Style.Render(s); got != want {
			t.Fatalf("Render(%q) = %q, Lip Gloss draws %q", s, got, want)
		}
	})
}
