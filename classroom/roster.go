package classroom

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/termsafe"
)

// rosterMode is what the roster's keys do now.
type rosterMode int

const (
	modeList rosterMode = iota
	modePeek
	modeMessage // typing a message to the room
	modeGoto    // typing a lesson number for everyone
)

type rosterTickMsg struct{}

// roster is the instructor's screen: every learner live, the mistakes
// they share, and the room's controls.
type roster struct {
	c  *Classroom
	st styles

	w, h     int
	rows     []Row
	names    []string // each row's learner column
	clusters []Cluster
	sel      int
	selID    string // the selection follows the learner when rows reorder
	mode     rosterMode
	input    textinput.Model
	peek     *screenView
	flash    string
	notice   string
	now      func() time.Time
}

func newRoster(c *Classroom) *roster {
	in := textinput.New()
	in.CharLimit = 300
	r := &roster{c: c, st: newStyles(), input: in, w: 100, h: 30, now: time.Now}
	r.refresh()
	return r
}

func tick() tea.Cmd { return tea.Tick(time.Second, func(time.Time) tea.Msg { return rosterTickMsg{} }) }

func (r *roster) Init() tea.Cmd { return tick() }

func (r *roster) refresh() {
	r.rows = r.c.room.Roster()
	r.names = learnerCells(r.rows, nameColumn)
	r.clusters = r.c.room.Clusters()
	for i, row := range r.rows {
		if row.ID == r.selID {
			r.sel = i
		}
	}
	r.sel = min(max(r.sel, 0), max(len(r.rows)-1, 0))
	if len(r.rows) > 0 {
		r.selID = r.rows[r.sel].ID
	}
}

// close stops a peek, if any.
func (r *roster) close() {
	if r.peek != nil {
		r.peek.close()
		r.peek = nil
	}
}

func (r *roster) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		r.w, r.h = msg.Width, msg.Height
		r.input.SetWidth(max(r.w-20, 10))
	case rosterTickMsg:
		r.refresh()
		return r, tick()
	case screenMsg:
		if r.peek != nil {
			_, cmd := r.peek.Update(msg)
			return r, cmd
		}
	case noticeMsg:
		r.notice = string(msg)
	case tea.KeyPressMsg:
		r.notice = ""
		return r, r.key(msg)
	case tea.PasteMsg:
		if r.mode == modeMessage || r.mode == modeGoto {
			var cmd tea.Cmd
			r.input, cmd = r.input.Update(msg)
			return r, cmd
		}
	}
	return r, nil
}

func (r *roster) key(msg tea.KeyPressMsg) tea.Cmd {
	k := msg.String()
	if k == "ctrl+c" {
		r.close()
		return tea.Quit
	}
	switch r.mode {
	case modePeek:
		if k == "esc" || k == "q" {
			r.close()
			r.mode = modeList
		}
		return nil
	case modeMessage, modeGoto:
		switch k {
		case "esc":
			r.mode = modeList
			r.flash = ""
			return nil
		case "enter":
			return r.submit()
		}
		var cmd tea.Cmd
		r.input, cmd = r.input.Update(msg)
		return cmd
	}
	r.flash = ""
	switch k {
	case "q":
		return tea.Quit
	case "up", "k":
		r.move(-1)
	case "down", "j":
		r.move(+1)
	case "enter", "p":
		return r.startPeek()
	case "a":
		if len(r.rows) > 0 {
			r.c.room.clearSignals(r.rows[r.sel].ID)
			r.refresh()
			r.flash = "signals of " + r.rows[r.sel].Name + " cleared"
		}
	case "m":
		r.mode = modeMessage
		r.input.Reset()
		r.input.Placeholder = "a message every learner sees"
		return r.input.Focus()
	case "g":
		r.mode = modeGoto
		r.input.Reset()
		r.input.Placeholder = fmt.Sprintf("lesson number, 1 to %d", len(r.c.cfg.Lessons))
		return r.input.Focus()
	case "e":
		r.export()
	}
	return nil
}

func (r *roster) move(d int) {
	if len(r.rows) == 0 {
		return
	}
	r.sel = min(max(r.sel+d, 0), len(r.rows)-1)
	r.selID = r.rows[r.sel].ID
}

func (r *roster) startPeek() tea.Cmd {
	if len(r.rows) == 0 {
		return nil
	}
	row := r.rows[r.sel]
	l := r.c.room.learnerByID(row.ID)
	if l == nil {
		return nil
	}
	r.close()
	r.peek = newScreenView("peek: "+row.Name, row.Name+" is not connected.", false, l.mirror)
	r.mode = modePeek
	return r.peek.Init()
}

func (r *roster) submit() tea.Cmd {
	text := strings.TrimSpace(r.input.Value())
	mode := r.mode
	r.mode = modeList
	if text == "" {
		return nil
	}
	switch mode {
	case modeMessage:
		// Pasted text can carry anything: the learners' terminals get it clean.
		r.c.room.broadcast("Message from the instructor: " + termsafe.Cut(text, 300))
		r.flash = "message sent to the room"
	case modeGoto:
		n, err := strconv.Atoi(text)
		if err != nil {
			r.flash = fmt.Sprintf("%q is not a lesson number: type 1 to %d", termsafe.Cut(text, 20), len(r.c.cfg.Lessons))
			return nil
		}
		moved, err := r.c.room.gotoLesson(n)
		if err != nil {
			r.flash = err.Error()
			return nil
		}
		r.flash = fmt.Sprintf("%d learners moved to lesson %d", moved, n)
		r.refresh()
	}
	return nil
}

// export writes the CSV and JSON into the server's current folder.
func (r *roster) export() {
	r.c.room.flush()
	wd, err := os.Getwd()
	if err != nil {
		r.flash = "export: " + err.Error()
		return
	}
	csvPath, jsonPath, err := Export(r.c.cfg.Dir, wd, r.c.cfg.Lessons, r.now())
	if err != nil {
		r.flash = err.Error()
		return
	}
	r.flash = "exported to " + csvPath + " and " + jsonPath + " on the server"
}

func (r *roster) View() tea.View {
	v := tea.NewView(r.render())
	v.AltScreen = true
	return v
}

func (r *roster) render() string {
	if r.mode == modePeek && r.peek != nil {
		return r.peek.lines(r.w, r.h)
	}
	st := r.st
	online := 0
	for _, row := range r.rows {
		if row.Online {
			online++
		}
	}
	out := []string{st.title.Render(fmt.Sprintf(" putpost classroom — %d online of %d learners", online, len(r.rows)))}
	if r.notice != "" {
		out = append(out, st.notice.Render(" "+r.notice+" "))
	}
	out = append(out, st.muted.Render(fmt.Sprintf(" %-2s%-*s %-4s %-10s %-16s %-12s %5s  %-28s %5s %4s", "", nameColumn, "learner", "by", "seen", "lesson · step", "on step", "tries", "last request", "hints", "quiz")))

	// Rows, scrolled to keep the selection in view; the clusters and the
	// keys take the bottom.
	bottom := r.bottom()
	room := max(r.h-len(out)-len(bottom), 1)
	first := 0
	if r.sel >= room {
		first = r.sel - room + 1
	}
	if len(r.rows) == 0 {
		out = append(out, "", " Nobody has connected yet. Learners type the ssh command printed when the classroom started.")
	}
	for i := first; i < len(r.rows) && i < first+room; i++ {
		line := r.row(r.rows[i], r.names[i])
		if i == r.sel {
			line = st.sel.Render(ansi.Strip(line))
		}
		out = append(out, line)
	}
	for len(out) < r.h-len(bottom) {
		out = append(out, "")
	}
	out = append(out, bottom...)
	for i, l := range out {
		out[i] = ansi.Truncate(l, r.w, "…")
	}
	return strings.Join(out, "\n")
}

// bottom is the mistake clusters, the flash or input, and the keys.
func (r *roster) bottom() []string {
	st := r.st
	var b []string
	if len(r.clusters) > 0 {
		b = append(b, st.bold.Render(" Shared mistakes"))
		for i, c := range r.clusters {
			if i == 3 {
				break
			}
			b = append(b, "  "+c.String())
		}
	}
	switch r.mode {
	case modeMessage:
		b = append(b, " message to the room: "+r.input.View())
	case modeGoto:
		b = append(b, " everyone to lesson: "+r.input.View())
	default:
		if r.flash != "" {
			b = append(b, " "+st.warn.Render(r.flash))
		}
	}
	keys := " ↑/↓ select · ⏎ peek · a clear signals · m message the room · g everyone to lesson N · e export · q quit"
	if r.mode == modeMessage || r.mode == modeGoto {
		keys = " ⏎ send · esc cancel"
	}
	return append(b, st.muted.Render(keys))
}

// row is one learner's line; name is their learner column.
func (r *roster) row(row Row, name string) string {
	st := r.st
	sig := "  "
	switch {
	case row.Help:
		sig = st.bad.Render("✋") + " "
	case row.Done:
		sig = st.good.Render("✓") + " "
	}
	seen := "left " + ago(row.Idle)
	switch {
	case row.Online && row.Idle < 2*time.Minute:
		seen = st.good.Render("online")
	case row.Online:
		seen = st.warn.Render("away " + ago(row.Idle))
	}
	place := "—"
	if row.Lesson > 0 {
		var dots strings.Builder
		for i, p := range row.Passed {
			switch {
			case i == row.Step-1 && row.Online:
				if p {
					dots.WriteString("◉")
				} else {
					dots.WriteString("◎")
				}
			case p:
				dots.WriteString("●")
			default:
				dots.WriteString("○")
			}
		}
		place = fmt.Sprintf("L%d %s", row.Lesson, dots.String())
	}
	onStep := ""
	if row.Online {
		onStep = ago(row.OnStep)
		if row.Stuck {
			onStep = st.bad.Render(onStep + " stuck")
		}
	}
	quiz := ""
	if row.QuizTotal > 0 {
		quiz = fmt.Sprintf("%d/%d", row.QuizRight, row.QuizTotal)
	}
	hints := fmt.Sprintf("%d", row.Hints)
	if row.Solution > 0 {
		hints += fmt.Sprintf("+%ds", row.Solution)
	}
	by := "name"
	if row.Key {
		by = "key"
	}
	return " " + sig + pad(name, nameColumn) + " " + pad(by, 4) + " " + pad(seen, 10) + " " + pad(place, 16) + " " + pad(onStep, 12) +
		fmt.Sprintf(" %5d  ", row.Attempts) + pad(row.Last, 28) + " " + pad(hints, 5) + " " + pad(quiz, 4)
}

// pad cuts or fills s (which may hold styles) to n columns. A wide
// character that does not fit whole leaves a column, which is filled too.
func pad(s string, n int) string {
	if ansi.StringWidth(s) > n {
		s = ansi.Truncate(s, n, "…")
	}
	return s + strings.Repeat(" ", max(n-ansi.StringWidth(s), 0))
}

// nameColumn is the width of the roster's learner column.
const nameColumn = 16

// learnerCells is each row's learner column. A long name is cut in the
// middle, keeping its start and its end: a room's names often share a start
// (workshop-ada, workshop-bob) or an end (ada.lovelace, grace.lovelace),
// and a cut at the end alone made them look the same. Rows that would still
// read the same, as two key learners both called ada, end in " #" and the
// start of their seat's ID, which stays the same when they reconnect.
func learnerCells(rows []Row, n int) []string {
	cells := make([]string, len(rows))
	type look struct {
		cell string
		key  bool
	}
	seen := map[look]int{}
	for i, row := range rows {
		cells[i] = cutMiddle(row.Name, n)
		seen[look{cells[i], row.Key}]++
	}
	for i, row := range rows {
		if seen[look{cells[i], row.Key}] > 1 {
			tag := " #" + row.ID[:min(4, len(row.ID))]
			cells[i] = cutMiddle(row.Name, n-len(tag)) + tag
		}
	}
	return cells
}

// cutMiddle cuts s (plain text) to at most n columns by putting "…" in
// the place of its middle.
func cutMiddle(s string, n int) string {
	w := ansi.StringWidth(s)
	if w <= n {
		return s
	}
	if n < 3 {
		return ansi.Truncate(s, n, "…")
	}
	head := (n - 1) / 2
	tail := n - 1 - head
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, w-tail, "")
}

// ago says a duration the way a roster needs it: 40s, 3m, 1h05.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	default:
		return fmt.Sprintf("%dh%02d", int(d.Hours()), int(d.Minutes())%60)
	}
}
