package tui

import (
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/session"
)

func TestClassroomSignalKeysRaiseAndLowerTheLearnersSignals(t *testing.T) {
	raised := map[bool]bool{}
	class := &Classroom{Signal: func(help bool) bool {
		raised[help] = !raised[help]
		return raised[help]
	}}
	sess := newSession(t, session.Options{Mode: session.Tutorial, Lessons: testLessons(t)})
	d := startDriver(t, 120, 40, sess, Options{Classroom: class}, "")

	d.keys("d")
	if !raised[false] {
		t.Fatal("d did not raise the done signal")
	}
	d.mustContain("the instructor sees that you are done")
	d.keys("!")
	if !raised[true] {
		t.Fatal("! did not raise the need-help signal")
	}
	d.mustContain("would like help")
	d.keys("!")
	if raised[true] {
		t.Error("a second ! did not take the help request back")
	}
	d.keys("?")
	d.mustContain("I need help", "I'm done")
}

func TestSignalKeysDoNothingOutsideAClassroom(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{})
	d.keys("d", "!")
	if s := d.screen(); strings.Contains(s, "instructor") {
		t.Errorf("a learner on their own was told about an instructor:\n%s", s)
	}
}

func TestANoticeFromTheClassroomStaysUntilAKey(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{})
	d.send(NoticeMsg{Text: "Message from the instructor: break until 11:00"})
	d.mustContain("break until 11:00")
	d.keys("j")
	if strings.Contains(d.screen(), "break until 11:00") {
		t.Error("the notice stayed after a key")
	}
}

// Over SSH most terminals announce only TERM: 16 or 256 colours. Every
// foreground of each palette must still stand out from its background there.
func TestThePalettesReadAt16And256Colours(t *testing.T) {
	for _, c := range []struct {
		name   string
		p      palette
		bad    []ansi.BasicColor // what the text would vanish into
		badBgs string
	}{
		{"dark", darkPalette, []ansi.BasicColor{ansi.Black}, "black"},
		{"light", lightPalette, []ansi.BasicColor{ansi.White, ansi.BrightWhite}, "white"},
	} {
		fgs := map[string]string{"Text": c.p.Text, "Muted": c.p.Muted, "Accent": c.p.Accent, "Accent2": c.p.Accent2,
			"OK": c.p.OK, "Info": c.p.Info, "Warn": c.p.Warn, "Err": c.p.Err, "Changed": c.p.Changed}
		for name, hex := range fgs {
			if hex == "" {
				continue // the terminal's own foreground, which reads on its own background
			}
			col := lipgloss.Color(hex)
			got, ok := colorprofile.ANSI.Convert(col).(ansi.BasicColor)
			if !ok {
				t.Fatalf("%s %s is not a basic colour at 16 colours", name, hex)
			}
			for _, b := range c.bad {
				if got == b {
					t.Errorf("%s palette: %s %s becomes %v at 16 colours, on a %s background", c.name, name, hex, got, c.badBgs)
				}
			}
			if _, ok := colorprofile.ANSI256.Convert(col).(ansi.IndexedColor); !ok {
				t.Errorf("%s palette: %s %s is not an indexed colour at 256 colours", c.name, name, hex)
			}
		}
	}
}

func TestAPanicInUpdateEndsTheProgramWithItsModelIntact(t *testing.T) {
	class := &Classroom{Signal: func(bool) bool { panic("a bug behind the help key") }}
	sess := newSession(t, session.Options{Mode: session.Tutorial, Lessons: testLessons(t)})
	m := New(Options{Session: sess, Classroom: class})
	defer m.Close()
	g := guarded{m: &m}
	next, _ := g.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	next, cmd := next.Update(tea.KeyPressMsg{Code: '!', Text: "!"})
	if next == nil {
		t.Fatal("after a panic Update returned no model: Bubble Tea would panic drawing it")
	}
	if cmd == nil || cmd() != tea.Quit() {
		t.Error("after a panic the program does not quit")
	}
	if c := m.ss.crashed(); c == nil || c.Value != "a bug behind the help key" {
		t.Errorf("crash record %+v", c)
	}
	_ = next.View() // drawing once more must not panic
}

// A learner in a classroom is not at the machine that runs the screen: E
// would write a file of their choosing on the classroom's server. The key
// is off there (help does not offer it), and y, which needs no file, stays.
func TestExportIsOffInAClassroomAndCopyStays(t *testing.T) {
	sess := newSession(t, session.Options{Mode: session.Tutorial, Lessons: testLessons(t), Remote: true})
	t.Chdir(t.TempDir())
	d := startDriver(t, 120, 40, sess, Options{Classroom: &Classroom{Signal: func(bool) bool { return true }}}, "")
	sendPut(d, `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`)
	d.keys("E")
	d.mustNotContain("Export requests")
	d.keys("enter")
	if names, _ := filepath.Glob("*"); len(names) > 0 {
		t.Fatalf("E in a classroom wrote %v", names)
	}
	d.keys("?")
	d.mustNotContain("export")
	d.keys("esc", "y")
	d.mustContain("Copied as curl")
}
