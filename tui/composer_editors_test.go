package tui

import (
	"strings"
	"testing"
)

// The form's editors are made when the form first opens, and hold what the
// composer was filled with before that; the request the form sends is the
// one the line said.
func TestFormEditorsAreMadeWhenTheFormOpensAndKeepWhatWasFilled(t *testing.T) {
	c := newComposer(NewStyles(true, false))
	c.SetSize(60, 12)
	c.Fill(`PUT /accounts/42 {"balance":100} -H "Prefer: return=minimal"`)
	c.ToggleForm() // the line goes into the form: filled before the editors exist
	if !c.editorsMade {
		t.Fatal("the form is open but its editors were never made")
	}
	if got := c.headers.Value(); !strings.Contains(got, "Prefer: return=minimal") {
		t.Errorf("headers editor holds %q", got)
	}
	if got := c.body.Value(); !strings.Contains(got, `"balance": 100`) {
		t.Errorf("body editor holds %q", got)
	}
	rl, err := c.buildForm()
	if err != nil {
		t.Fatal(err)
	}
	if got := rl.String(); !strings.Contains(got, "Prefer: return=minimal") || !strings.Contains(got, `{"balance":100}`) {
		t.Errorf("the form sends %s", got)
	}
}

// A composer whose form never opens makes no editors.
func TestTheLineAloneMakesNoFormEditors(t *testing.T) {
	c := newComposer(NewStyles(true, false))
	c.SetSize(60, 12)
	c.Fill(`PUT /accounts/42 {"balance":100}`)
	c.Refresh()
	_ = c.View()
	if c.editorsMade {
		t.Error("the form's editors were made although the form never opened")
	}
}

// TestTheEmptyComposerNamesNoResourceTheLessonLacks: lesson 2's server holds
// only flight AA123. Emptied, the composer shows the form of a request as its
// placeholder, not an example naming an account that is not there.
func TestTheEmptyComposerNamesNoResourceTheLessonLacks(t *testing.T) {
	d := newDriver(t, 80, 24, testOpts{builtin: true, lesson: "put-replace"})
	d.keys("e", "end")
	for range 80 {
		d.keys("backspace")
	}
	d.mustContain("METHOD /path")
	d.mustNotContain("/accounts/42")
}
