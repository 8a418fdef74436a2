// Command minimal is the smallest useful Bubble Tea v2 program: the baseline
// that e2e_test.go's pseudo-terminal benchmarks compare putpost against. It
// draws one line on the alternate screen, changes it on every key press and
// quits on q or ctrl+c.
//
// It lives under testdata so that `go build ./...` and `go vet ./...` skip
// it; the benchmarks build it with `go build ./testdata/minimal`.
package main

import (
	"fmt"
	"os"

	tea "charm.land/bubbletea/v2"
)

type model struct{ presses int }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "q", "ctrl+c":
			return m, tea.Quit
		}
		m.presses++
	}
	return m, nil
}

func (m model) View() tea.View {
	v := tea.NewView(fmt.Sprintf("minimal ready · presses %d · q quits", m.presses))
	v.AltScreen = true
	return v
}

func main() {
	if _, err := tea.NewProgram(model{}).Run(); err != nil {
		fmt.Fprintln(os.Stderr, "minimal:", err)
		os.Exit(1)
	}
}
