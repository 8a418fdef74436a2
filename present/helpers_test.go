package present

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/session"
)

// driver runs a Model the way Bubble Tea would, but synchronously: every
// command's message is fed back to Update until nothing is left to do.
type driver struct {
	t    *testing.T
	m    Model
	sess *session.Session
}

func newSandbox(t *testing.T) *session.Session {
	t.Helper()
	sess, err := session.New(session.Options{Mode: session.Sandbox})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sess.Close)
	return sess
}

func newDriver(t *testing.T, demo *Demo, w, h int) *driver {
	t.Helper()
	sess := newSandbox(t)
	m := New(context.Background(), sess, demo, nil)
	m.unpaced = true
	m.mono = true
	m.st = NewStyles(true, true)
	t.Cleanup(m.Close)
	d := &driver{t: t, m: m, sess: sess}
	d.run(m.Init())
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	return d
}

func builtinDemo(t *testing.T, name string) *Demo {
	t.Helper()
	d, err := LoadDemo(name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *driver) send(msg tea.Msg) {
	nm, cmd := d.m.Update(msg)
	d.m = nm.(Model)
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			return
		default:
			nm, next := d.m.Update(msg)
			d.m = nm.(Model)
			queue = append(queue, next)
		}
	}
}

// keys presses keys by name: "space", "left", "b", "3", "enter", …
func (d *driver) keys(names ...string) {
	for _, n := range names {
		d.send(keyPress(n))
	}
}

func keyPress(name string) tea.KeyPressMsg {
	switch name {
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}

// playAll sends every step of the demo.
func (d *driver) playAll() {
	for d.m.Pos() < len(d.m.demo.Steps) {
		before := d.m.Pos()
		d.keys("space")
		if d.m.Pos() != before+1 {
			d.t.Fatalf("space at step %d: position %d, want %d", before+1, d.m.Pos(), before+1)
		}
	}
}

// text is the screen without styles.
func (d *driver) text() string {
	return ansi.Strip(d.m.Screen())
}

// state is every stored resource with its ETag, one a line.
func state(sess *session.Session) string {
	var b strings.Builder
	srv := sess.Server()
	for _, p := range srv.Paths() {
		body, etag, _ := srv.Resource(p)
		b.WriteString(p + " " + etag + " " + string(body) + "\n")
	}
	return b.String()
}
