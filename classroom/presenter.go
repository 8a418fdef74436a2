package classroom

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/present"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/termsafe"
)

// The instructor's projector screen over SSH: `present [DEMO]` runs the
// presenter (package present) on a sandbox of its own, and watch shows it
// while it runs. Demos are looked up by name among the built-in ones and
// Config.Demos, loaded at start: nothing typed after the command names a
// file of this machine. The presenter over SSH has no speaker-notes link:
// that link is a loopback listener announced in a file of the server's
// user, which is not the instructor's laptop.

// loadDemos is every demo the presenter can play over SSH, by name.
func loadDemos(own []*present.Demo) (map[string]*present.Demo, []string, error) {
	demos := map[string]*present.Demo{}
	names := present.Builtin()
	for _, name := range names {
		d, err := present.LoadDemo(name)
		if err != nil {
			return nil, nil, err
		}
		demos[name] = d
	}
	for _, d := range own {
		if demos[d.Name] != nil {
			return nil, nil, fmt.Errorf("two demos are called %q: rename one", d.Name)
		}
		demos[d.Name] = d
		names = append(names, d.Name)
	}
	slices.Sort(names)
	return demos, names, nil
}

// servePresent runs the presenter for the instructor; args are what
// follows the command (and the token), at most a demo's name.
func (c *Classroom) servePresent(s ssh.Session, args []string) {
	name := present.DefaultDemo
	if len(args) > 1 {
		say(s, "present takes one demo's name at most: present [NAME]. The demos: "+strings.Join(c.demoNames, ", ")+".")
		_ = s.Exit(1)
		return
	}
	if len(args) == 1 {
		name = args[0]
	}
	demo := c.demos[name]
	if demo == nil {
		say(s, fmt.Sprintf("No demo called %q. The demos: %s.", termsafe.Cut(name, 40), strings.Join(c.demoNames, ", ")))
		_ = s.Exit(1)
		return
	}
	if !c.presenting.CompareAndSwap(false, true) {
		say(s, "The presenter is already running in another connection: quit it there (q) first.")
		_ = s.Exit(1)
		return
	}
	defer c.presenting.Store(false)
	sess, err := session.New(session.Options{Mode: session.Sandbox, Remote: true})
	if err != nil {
		say(s, "Could not start the presenter: "+err.Error())
		_ = s.Exit(1)
		return
	}
	defer sess.Close()

	cn := newConn()
	c.room.addConn(cn)
	defer c.room.leave(cn, nil)
	m := present.New(s.Context(), sess, demo, nil)
	defer m.Close()
	c.run(s, cn, func(s ssh.Session) *tea.Program {
		p := tea.NewProgram(&presenterRoot{m: m}, c.programOptions(s, cn, c.stage)...)
		cn.setProgram(p, func(text string) { p.Send(noticeMsg(text)) })
		pty, _, _ := s.Pty()
		w, h := capSize(pty.Window.Width, pty.Window.Height, c.cfg.MaxWidth, c.cfg.MaxHeight)
		c.stage.attach(w, h, func() { go p.Send(tea.ClearScreen()) })
		return p
	})
	c.stage.attach(0, 0, nil)
}

// presenterRoot is the presenter with the classroom's notices (a message
// to the room, the idle warning) on its top line until a key is pressed.
type presenterRoot struct {
	m      tea.Model
	notice string
}

func (r *presenterRoot) Init() tea.Cmd { return r.m.Init() }

func (r *presenterRoot) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case noticeMsg:
		r.notice = string(msg)
		return r, nil
	case tea.KeyPressMsg:
		r.notice = ""
	}
	var cmd tea.Cmd
	r.m, cmd = r.m.Update(msg)
	return r, cmd
}

func (r *presenterRoot) View() tea.View {
	v := r.m.View()
	if r.notice == "" {
		return v
	}
	first, rest, _ := strings.Cut(v.Content, "\n")
	w := max(ansi.StringWidth(first), 20)
	v.Content = newStyles().notice.Render(ansi.Truncate(" "+r.notice+" ", w, "…")) + "\n" + rest
	return v
}
