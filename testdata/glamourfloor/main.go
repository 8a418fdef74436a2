// Command glamourfloor is the floor the full screen's start-up is measured
// against: the smallest Bubble Tea v2 program that also renders Markdown
// with Glamour, so it pays what linking the stack costs before main runs
// (Glamour's chroma initialises its lexers and styles) and one render at
// start. It draws the rendered line on the alternate screen and quits on q
// or ctrl+c.
//
// Built with the tags box, http, ssh and cli (all four: the stack floor), it
// also links what putpost's features need whatever its own code does: a
// box-drawing character on screen (the renderer then fills go-runewidth's
// 2 MiB width table), net/http for --listen and serve, an SSH server for
// the classroom, and the command line. Each tag's file registers a use of
// its packages in linked, which main calls only when STACKFLOOR_RUN is
// "never" (it never is), so the linker keeps what putpost would keep while
// the floor starts as before.
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

// linked holds the uses the tagged files register; see the package comment.
var linked []func()

func main() {
	if os.Getenv("STACKFLOOR_RUN") == "never" {
		for _, use := range linked {
			use()
		}
	}
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(80))
	if err == nil {
		var out string
		if out, err = r.Render("**glamour floor** ready"); err == nil {
			m := model{text: strings.TrimSpace(out) + box}
			_, err = tea.NewProgram(m).Run()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "glamourfloor:", err)
		os.Exit(1)
	}
}
