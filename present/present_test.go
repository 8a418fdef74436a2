package present

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/tui/plain"
)

// exchanges lists every exchange as "METHOD target status", in order.
func exchanges(evs []sim.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		fmt.Fprintf(&b, "%s %s %d %s\n", ev.Request.Method, ev.Request.Target, ev.Response.Status, ev.Fault)
	}
	return b.String()
}

// TestDemoPlaysLikeLineMode: every built-in demo played end to end with the
// space key leaves the server exactly as the same file piped through line
// mode does, after the same exchanges.
func TestDemoPlaysLikeLineMode(t *testing.T) {
	for _, name := range Builtin() {
		t.Run(name, func(t *testing.T) {
			demo := builtinDemo(t, name)
			d := newDriver(t, demo, 120, 40)
			d.playAll()

			src, err := builtin.ReadFile("demos/" + name + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			lm := newSandbox(t)
			var out bytes.Buffer
			if err := plain.Run(context.Background(), plain.Options{In: bytes.NewReader(src), Out: &out, Session: lm}); err != nil {
				t.Fatal(err)
			}
			if got, want := state(d.sess), state(lm); got != want {
				t.Errorf("state after the demo:\n%s\nafter line mode:\n%s", got, want)
			}
			if got, want := exchanges(d.sess.Exchanges()), exchanges(lm.Exchanges()); got != want {
				t.Errorf("exchanges of the demo:\n%s\nof line mode:\n%s", got, want)
			}
		})
	}
}

// TestBackRestartAndJumpPutTheServerBack: ← undoes the last step exactly
// (ids and ETags included), r goes back to the start, a number jumps.
func TestBackRestartAndJumpPutTheServerBack(t *testing.T) {
	d := newDriver(t, builtinDemo(t, "lost-response"), 120, 40)
	start := state(d.sess)
	var after []string
	for d.m.Pos() < len(d.m.demo.Steps) {
		d.keys("space")
		after = append(after, state(d.sess))
	}
	d.keys("b")
	if d.m.Pos() != len(after)-1 || state(d.sess) != after[len(after)-2] {
		t.Fatalf("after b: position %d, state\n%s\nwant position %d, state\n%s", d.m.Pos(), state(d.sess), len(after)-1, after[len(after)-2])
	}
	d.keys("left", "left")
	if got, want := state(d.sess), after[len(after)-4]; got != want {
		t.Errorf("after two more ←: state\n%s\nwant\n%s", got, want)
	}
	d.keys("r")
	if d.m.Pos() != 0 || state(d.sess) != start {
		t.Errorf("after r: position %d, state\n%s\nwant 0 and\n%s", d.m.Pos(), state(d.sess), start)
	}
	if !strings.Contains(d.text(), "nothing sent yet") {
		t.Errorf("after r the screen still shows an exchange:\n%s", d.text())
	}
	d.keys("4", "enter")
	if d.m.Pos() != 3 || state(d.sess) != after[2] {
		t.Errorf("after 4 ⏎: position %d (want 3), state\n%s\nwant\n%s", d.m.Pos(), state(d.sess), after[2])
	}
	if !strings.Contains(d.text(), "next 4 ▸ faults off") {
		t.Errorf("after 4 ⏎ the preview is not step 4:\n%s", d.text())
	}
	d.keys("9", "9", "enter")
	if !strings.Contains(d.text(), "There is no step 99") {
		t.Errorf("a step that does not exist is not explained:\n%s", d.text())
	}
	// Replaying from the jump gives the same ids as the first time.
	for d.m.Pos() < len(d.m.demo.Steps) {
		d.keys("space")
	}
	if got := state(d.sess); got != after[len(after)-1] {
		t.Errorf("replayed after the jump:\n%s\nwant\n%s", got, after[len(after)-1])
	}
}

// TestRepeatAnimatesAndXFinishes: a ×100 step is sent in batches, one per
// tick, and x sends the rest at once.
func TestRepeatAnimatesAndXFinishes(t *testing.T) {
	d := newDriver(t, builtinDemo(t, "put-vs-post"), 120, 40)
	d.keys("space") // GET
	d.m.unpaced = false
	nm, cmd := d.m.Update(keyPress("space"))
	d.m = nm.(Model)
	// The first batch only; its result asks for a tick, not run here.
	nm, _ = d.m.Update(cmd())
	d.m = nm.(Model)
	if !d.m.Busy() || d.m.job.sent == 0 || d.m.job.sent >= 100 {
		t.Fatalf("after the first batch: busy %v, sent %d", d.m.Busy(), d.m.job.sent)
	}
	if !strings.Contains(d.text(), fmt.Sprintf("sending %d/100 · x finish", d.m.job.sent)) {
		t.Errorf("the progress of the repeat is not shown:\n%s", d.text())
	}
	d.keys("x")
	d.send(tickMsg{step: 1})
	if d.m.Busy() || d.m.Pos() != 2 {
		t.Errorf("after x: busy %v, position %d, want done at 2", d.m.Busy(), d.m.Pos())
	}
	if n := len(d.sess.Exchanges()); n != 101 {
		t.Errorf("%d exchanges, want 101", n)
	}
}

// TestQuestionMarkShowsTheKeys lists every key with what it does.
func TestQuestionMarkShowsTheKeys(t *testing.T) {
	d := newDriver(t, builtinDemo(t, "two-tellers"), 80, 24)
	d.keys("?")
	for _, want := range []string{"undo the last step and go back", "restart the demo", "finish a repeat now", "go to step N"} {
		if !strings.Contains(d.text(), want) {
			t.Errorf("? screen lacks %q:\n%s", want, d.text())
		}
	}
	d.keys("space")
	if d.m.help {
		t.Error("a key did not close the key list")
	}
}

// TestGoldenPresenterScreens: the projector screen after PUT ×100 and POST
// interest ×100 at three sizes: the big digits and a chart that fills the
// height. Run with -update after a deliberate change.
func TestGoldenPresenterScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		t.Run(fmt.Sprintf("put_vs_post_%dx%d", size[0], size[1]), func(t *testing.T) {
			d := newDriver(t, builtinDemo(t, "put-vs-post"), size[0], size[1])
			d.keys("space", "space", "space")
			text := d.text()
			lines := strings.Split(text, "\n")
			if len(lines) != size[1] {
				t.Errorf("%d lines, want %d", len(lines), size[1])
			}
			if !strings.Contains(text, "██") && !strings.Contains(text, "▀▀") {
				t.Error("no block digits")
			}
			// The chart fills the height: its top and bottom rows are far apart.
			top, bottom := -1, -1
			for i, l := range lines {
				if strings.Contains(l, "┤") {
					if top < 0 {
						top = i
					}
					bottom = i
				}
			}
			if bottom-top < size[1]/3 {
				t.Errorf("chart spans rows %d to %d of %d", top, bottom, size[1])
			}
			golden.RequireEqual(t, []byte(text))
		})
	}
}

// TestTooSmallSaysSo instead of drawing a broken frame.
func TestTooSmallSaysSo(t *testing.T) {
	d := newDriver(t, builtinDemo(t, "put-vs-post"), 50, 15)
	if !strings.Contains(d.text(), "needs at least 60×20") {
		t.Errorf("too small:\n%s", d.text())
	}
}

// TestHostileDemoTextIsEscaped: a caption with escape sequences is drawn
// as visible escapes; a request with one is refused with its line.
func TestHostileDemoTextIsEscaped(t *testing.T) {
	demo, err := ParseDemo("evil.txt", []byte("# title\n# caption \x1b]0;pwned\x07 here\nGET /accounts/42\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, demo, 80, 24)
	scr := d.m.Screen()
	if strings.Contains(scr, "\x1b]0;") || strings.Contains(scr, "\x07") {
		t.Errorf("a control sequence reached the screen: %q", scr)
	}
	if !strings.Contains(d.text(), `\x1b]0;pwned\x07`) {
		t.Errorf("the caption's escape is not shown:\n%s", d.text())
	}
	if _, err := ParseDemo("evil.txt", []byte("GET /a\nGET /accounts/42?q=\x1b[2J\n")); err == nil || !strings.HasPrefix(err.Error(), "evil.txt:2: ") {
		t.Errorf("a request with ESC: %v, want an error at evil.txt:2", err)
	}
}
