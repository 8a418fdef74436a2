package classroom

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// styles is every style of the classroom's own screens (roster, peek,
// watch). Only the 16 basic colours are used, so that they read the same
// on a 16-colour, 256-colour or true-colour terminal, light or dark.
type styles struct {
	title, muted, bold, sel, good, warn, bad, notice lipgloss.Style
}

func newStyles() styles {
	return styles{
		title:  lipgloss.NewStyle().Bold(true),
		muted:  lipgloss.NewStyle().Faint(true),
		bold:   lipgloss.NewStyle().Bold(true),
		sel:    lipgloss.NewStyle().Reverse(true),
		good:   lipgloss.NewStyle().Foreground(lipgloss.Green),
		warn:   lipgloss.NewStyle().Foreground(lipgloss.Yellow).Bold(true),
		bad:    lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true),
		notice: lipgloss.NewStyle().Bold(true).Reverse(true),
	}
}

// Messages of the classroom's own screens.
type (
	noticeMsg string   // a text for the screen (the room's message, idle warning)
	screenMsg struct{} // a mirrored screen may have changed
)

// screenView shows a mirrored screen read-only, cut to the window: watch
// shows the instructor's, the roster's peek a learner's. With several
// sources it shows the first that has a program running on it.
type screenView struct {
	srcs       []*mirror
	title      string
	waiting    string // shown when nothing runs on the screen
	standalone bool   // q quits the program (watch); in the roster, esc leaves
	st         styles

	ch      chan struct{}
	stops   []func()
	done    chan struct{}
	w, h    int
	screen  string
	running bool
	notice  string
}

// newScreenView looks at srcs, in order of preference.
func newScreenView(title, waiting string, standalone bool, srcs ...*mirror) *screenView {
	v := &screenView{srcs: srcs, title: title, waiting: waiting, standalone: standalone, st: newStyles(),
		ch: make(chan struct{}, 1), done: make(chan struct{}), w: 80, h: 24}
	for _, m := range srcs {
		v.stops = append(v.stops, m.view(v.ch))
	}
	return v
}

// close stops looking; the view's waiting command returns.
func (v *screenView) close() {
	select {
	case <-v.done:
	default:
		close(v.done)
		for _, stop := range v.stops {
			stop()
		}
	}
}

func (v *screenView) wait() tea.Cmd {
	ch, done := v.ch, v.done
	return func() tea.Msg {
		select {
		case <-ch:
			return screenMsg{}
		case <-done:
			return nil
		}
	}
}

// current is the screen to show: the first source with a program running
// on it. A program that ended left its terminal's main screen behind (a
// blank, or a line of its frame): with none running the view says so.
func (v *screenView) current() (string, bool) {
	for _, m := range v.srcs {
		if s, running := m.screen(); running {
			return s, true
		}
	}
	return "", false
}

func (v *screenView) Init() tea.Cmd { return v.wait() }

func (v *screenView) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		v.w, v.h = msg.Width, msg.Height
	case screenMsg:
		v.screen, v.running = v.current()
		return v, v.wait()
	case noticeMsg:
		v.notice = string(msg)
	case tea.KeyPressMsg:
		v.notice = ""
		if v.standalone && (msg.String() == "q" || msg.String() == "ctrl+c") {
			v.close()
			return v, tea.Quit
		}
	}
	return v, nil
}

// lines is the view's text, for the roster to embed.
func (v *screenView) lines(w, h int) string {
	head := v.st.title.Render(" "+v.title) + v.st.muted.Render("  (read-only)")
	if v.standalone {
		head += v.st.muted.Render("  q quit")
	} else {
		head += v.st.muted.Render("  esc back")
	}
	out := []string{ansi.Truncate(head, w, "…")}
	if v.notice != "" {
		out = append(out, v.st.notice.Render(ansi.Truncate(" "+v.notice+" ", w, "…")))
	}
	if !v.running {
		out = append(out, "", " "+v.waiting)
		return strings.Join(out, "\n")
	}
	for _, l := range strings.Split(v.screen, "\n") {
		if len(out) >= h {
			break
		}
		out = append(out, ansi.Truncate(l, w, ""))
	}
	return strings.Join(out, "\n")
}

func (v *screenView) View() tea.View {
	view := tea.NewView(v.lines(v.w, v.h))
	view.AltScreen = true
	return view
}
