package present

import "charm.land/bubbles/v2/key"

// KeyMap is every key the presenter understands.
type KeyMap struct {
	Next, Back, Restart, Finish, Jump, Help, Quit key.Binding
}

// DefaultKeyMap is the presenter's keys: a clicker's "next" (space, →, page
// down) and "back" (←, page up) work as well as the keyboard's.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:    key.NewBinding(key.WithKeys("space", "right", "pgdown", "n", "enter"), key.WithHelp("space/→", "send the next line")),
		Back:    key.NewBinding(key.WithKeys("left", "b", "pgup", "backspace"), key.WithHelp("←/b", "undo the last step and go back")),
		Restart: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "restart the demo")),
		Finish:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "finish a repeat now")),
		Jump:    key.NewBinding(key.WithKeys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("N ⏎", "go to step N")),
		Help:    key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c", "esc"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp is the keys the title bar names: only ?, since a room should
// not read a footer of keys.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Help} }

// FullHelp is every key, for the ? screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Back, k.Restart, k.Finish, k.Jump, k.Help, k.Quit}}
}
