// Command glamourfloor is the floor the full screen's start-up is measured
// against: the smallest Bubble Tea v2 program that also renders Markdown
// with Glamour, so it pays what linking the stack costs before main runs
// (Glamour's chroma initialises its lexers and styles) and one render at
// start. It draws the rendered line on the alternate screen and quits on q
// or ctrl+c.
//
// It lives under testdata so that `go build ./...` and `go vet ./...` skip
// it; e2e_test.go builds it with `go build ./testdata/glamourfloor`.
package main

import (
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"
)

type model struct{ text string }

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "q", "ctrl+c":
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m model) View() tea.View {
	v := tea.NewView(m.text)
	v.AltScreen = true
	return v
}

func main() {
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(80))
	if err == nil {
		var out string
		if out, err = r.Render("**glamour floor** ready"); err == nil {
			m := model{text: strings.TrimSpace(out)}
			_, err = tea.NewProgram(m).Run()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "glamourfloor:", err)
		os.Exit(1)
	}
}
