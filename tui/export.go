package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/termsafe"
)

// Copying an exchange as curl (y) and exporting the session's requests (E).
// The session writes both; the screen asks, and shows what happened.

// copyExchange puts the selected exchange (the newest when none is
// selected) on the clipboard as a curl command line, by OSC 52, and shows
// the line in a box for terminals that do not support OSC 52.
func (m *Model) copyExchange() tea.Cmd {
	curl, err := m.ss.sess.CurlOf(m.srv.SelectedSeq())
	if err != nil {
		m.flash = "nothing to copy: " + err.Error()
		return nil
	}
	m.copied = curl
	m.overlay = overlayCopied
	return tea.SetClipboard(curl)
}

// copiedLines is the copy box's text for an inner width w.
func (m *Model) copiedLines(w int) []string {
	lines := []string{" " + m.st.Muted.Render("Copied to the clipboard (if your terminal allows it):"), ""}
	// The exchange may have come from anywhere (curl over --listen): what
	// the box shows is escaped; the clipboard gets the command itself.
	for _, ln := range strings.Split(ansi.Hardwrap(termsafe.String(m.copied), max(1, w-2), false), "\n") {
		lines = append(lines, " "+m.st.Text.Render(ln))
	}
	return append(lines, "", " "+m.st.Muted.Render("Press any key to go on."))
}

// exportBox asks for the file to export to.
type exportBox struct {
	in textinput.Model
}

// exportOut is what a key in the export box asks of the root.
type exportOut struct {
	Path  string // export to this file
	Close bool
}

func newExportBox(st *Styles, w int) exportBox {
	in := textinput.New()
	in.Prompt = "file: "
	in.Placeholder = "session.sh or session.http"
	in.CharLimit = 4096
	in.SetValue("putpost-session.sh")
	in.SetWidth(max(10, w))
	in.SetStyles(st.textinputStyles())
	in.Focus()
	return exportBox{in: in}
}

// Update edits the file name; ⏎ asks to export, esc to close.
func (e *exportBox) Update(msg tea.Msg) (exportOut, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter":
			if p := strings.TrimSpace(e.in.Value()); p != "" {
				return exportOut{Path: p, Close: true}, nil
			}
			return exportOut{}, nil
		case "esc":
			return exportOut{Close: true}, nil
		}
	}
	var cmd tea.Cmd
	e.in, cmd = e.in.Update(msg)
	return exportOut{}, cmd
}

// exportLines is the export box's text for an inner width w.
func (m *Model) exportLines() []string {
	return []string{
		" " + m.st.Muted.Render("Write this session's requests to a file: .sh for a script"),
		" " + m.st.Muted.Render("of curl commands ($PUTPOST_URL picks the server), .http for"),
		" " + m.st.Muted.Render("VS Code's REST Client or JetBrains' HTTP Client."),
		"",
		" " + m.export.in.View(),
		"",
		" " + m.st.Key.Render("⏎") + " " + m.st.Text.Render("export") + "   " + m.st.Key.Render("esc") + " " + m.st.Text.Render("cancel"),
	}
}

func (m *Model) openExport() {
	w := overlayRect(m.lay, 72, m.lay.H).W - 2
	m.export = newExportBox(m.st, w-len(" file: ")-2)
	m.overlay = overlayExport
}

// exportKey hands a key (or a paste) to the export box and acts on its answer.
func (m *Model) exportKey(msg tea.Msg) tea.Cmd {
	out, cmd := m.export.Update(msg)
	if out.Close {
		m.overlay = overlayNone
	}
	if out.Path != "" {
		m.flash = "exporting to " + out.Path + "…"
		return guard(exportCmd(m.ss.sess, out.Path))
	}
	return cmd
}

// exportedMsg reports an export, written in a tea.Cmd (never on the UI
// goroutine: it touches the disk).
type exportedMsg struct {
	ex  session.Exported
	err error
}

func exportCmd(sess *session.Session, path string) tea.Cmd {
	return func() tea.Msg {
		ex, err := sess.Export(path)
		return exportedMsg{ex: ex, err: err}
	}
}

func (m *Model) onExported(msg exportedMsg) {
	if msg.err != nil {
		m.flash = "not exported: " + msg.err.Error()
		return
	}
	m.flash = fmt.Sprintf("exported %s to %s", plural(msg.ex.Requests, "request"), msg.ex.Path)
	if msg.ex.Note != "" {
		m.flash += " — " + msg.ex.Note
	}
}
