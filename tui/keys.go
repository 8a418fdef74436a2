package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// KeyMap is every key the full screen answers to. Keys that type a
// character (letters, digits, ?) act only when the focus is not in the
// request composer; there they type. Keys with ctrl, function keys, tab and
// esc act everywhere.
type KeyMap struct {
	// Moving around.
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	FocusNext        key.Binding
	FocusPrev        key.Binding
	Close            key.Binding // esc: close an overlay, leave the composer

	// Lesson.
	Next, Prev key.Binding
	NextStep   key.Binding // the next step from anywhere, the composer included
	Hint       key.Binding
	Solution   key.Binding
	Contents   key.Binding
	Answer     key.Binding // 1–9 on a quiz step
	Reset      key.Binding // R: reset the step, the lesson or all progress

	// Composer.
	Edit       key.Binding // focus the composer
	Send       key.Binding
	SendAlways key.Binding // ctrl+s: sends even from the body editor
	Repeat     key.Binding
	Form       key.Binding
	Clear      key.Binding

	// Server.
	Wire   key.Binding
	Copy   key.Binding // y: the selected exchange as curl, to the clipboard
	Export key.Binding // E: the session's requests to a .sh or .http file
	Undo   key.Binding
	Faults key.Binding
	Retry  key.Binding
	Chart  key.Binding
	Skip   key.Binding

	// Program.
	Theme key.Binding // light or dark, when the terminal guessed wrong
	Help  key.Binding
	Quit  key.Binding

	// Classroom signals, enabled only when the screen is served in a
	// classroom (Options.Classroom).
	Done     key.Binding
	NeedHelp key.Binding
}

// DefaultKeyMap is the keymap of the full screen.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
		Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "top")),
		Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "bottom")),
		FocusNext: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "focus")),
		FocusPrev: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "focus back")),
		Close:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close/leave")),

		Next:     key.NewBinding(key.WithKeys("n", "right"), key.WithHelp("n/→", "next")),
		Prev:     key.NewBinding(key.WithKeys("p", "left"), key.WithHelp("p/←", "back")),
		NextStep: key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "next step, even while typing")),
		Hint:     key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "hint")),
		Solution: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "solution")),
		Contents: key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "lessons")),
		Answer: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"),
			key.WithHelp("1-9", "answer")),
		Reset: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "reset step/lesson/all")),

		Edit: key.NewBinding(key.WithKeys("e", "i"), key.WithHelp("e", "edit request")),
		// ctrl+j too: an Enter typed before the program set the terminal
		// up arrives as a line feed (the terminal still turned ⏎ into one).
		Send:       key.NewBinding(key.WithKeys("enter", "ctrl+j"), key.WithHelp("⏎", "send")),
		SendAlways: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send")),
		Repeat:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "×1/×10/×100")),
		Form:       key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "line/form")),
		Clear:      key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "clear")),

		Wire:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w/⏎", "wire view")),
		Copy:   key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy as curl")),
		Export: key.NewBinding(key.WithKeys("E"), key.WithHelp("E", "export requests")),
		Undo:   key.NewBinding(key.WithKeys("u", "ctrl+z"), key.WithHelp("u", "undo")),
		Faults: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "faults")),
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry policy")),
		Chart:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "chart value")),
		Skip:   key.NewBinding(key.WithKeys("x", "ctrl+x"), key.WithHelp("x", "finish repeat")),

		Theme: key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "light/dark")),
		Help:  key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "help")),
		Quit:  key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),

		Done:     key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "I'm done"), key.WithDisabled()),
		NeedHelp: key.NewBinding(key.WithKeys("!"), key.WithHelp("!", "I need help"), key.WithDisabled()),
	}
}

// ShortHelp is the footer: one key per action, the ones a learner needs
// most, with short labels so that it fits in 80 columns.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		short(k.Next, "n", "next"), short(k.Hint, "h", "hint"), short(k.Solution, "s", "solution"),
		short(k.Edit, "e", "edit"), short(k.FocusNext, "tab", "focus"), short(k.Contents, "t", "lessons"),
		short(k.Help, "?", "help"), short(k.Quit, "q", "quit"),
	}
}

// short relabels a binding for the footer.
func short(b key.Binding, keys, desc string) key.Binding {
	b.SetHelp(keys, desc)
	return b
}

// FullHelp is the ? screen, one column per area.
func (k KeyMap) FullHelp() [][]key.Binding {
	cols := [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.FocusNext, k.FocusPrev, k.Close},
		{k.Next, k.NextStep, k.Prev, k.Hint, k.Solution, k.Contents, k.Answer, k.Reset},
		{k.Edit, k.Send, k.SendAlways, k.Repeat, k.Form, k.Clear, k.Skip},
		{k.Wire, k.Copy, k.Export, k.Undo, k.Faults, k.Retry, k.Chart, k.Theme, k.Help, k.Quit},
	}
	if k.Done.Enabled() {
		cols = append(cols, []key.Binding{k.Done, k.NeedHelp})
	}
	return cols
}

// all lists every binding (tests press each one).
func (k KeyMap) all() []key.Binding {
	var all []key.Binding
	for _, col := range k.FullHelp() {
		all = append(all, col...)
	}
	return all
}

// typesText reports whether a key press would type a character into a text
// field. Such keys never act as commands while the composer has the focus.
func typesText(msg tea.KeyPressMsg) bool {
	if msg.Text == "" {
		return false
	}
	return msg.Mod&^tea.ModShift == 0
}
