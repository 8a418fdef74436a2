package classroom

import (
	"fmt"
	"image/color"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

func TestLearnersHaveTheirOwnServersAndTheRosterShowsTheirPasses(t *testing.T) {
	c := startClassroom(t, Config{})
	names := []string{"ada", "grace", "linus"}
	terms := map[string]*term{}
	for _, n := range names {
		terms[n] = open(t, dial(t, c, n, newKey(t)), "", 120, 40)
	}
	// ada and grace pass the first step; linus only looks.
	terms["ada"].passFirstStep()
	terms["grace"].passFirstStep()
	terms["linus"].waitFor("Meet the server")

	teacher := open(t, dial(t, c, "teacher", nil), "teach "+c.Token(), 140, 30)
	teacher.waitFor("3 online of 3 learners", "ada", "grace", "linus", "GET /flights/AA123 → 200")

	rows := map[string]Row{}
	for _, r := range c.room.Roster() {
		rows[r.Name] = r
	}
	for _, n := range []string{"ada", "grace"} {
		if r := rows[n]; r.Lesson != 1 || len(r.Passed) == 0 || !r.Passed[0] || r.Attempts != 1 {
			t.Errorf("%s: %+v, want lesson 1 with step 1 passed after one try", n, r)
		}
	}
	if r := rows["linus"]; r.Lesson != 1 || r.Passed[0] || r.Last != "" {
		t.Errorf("linus sent nothing, but the roster says %+v", r)
	}

	// One learner's server is theirs alone.
	terms["ada"].keys("e", "\x15", `PUT /accounts/42 {"balance":1}`, "\r")
	eventually(t, "ada's PUT arrives", func() bool {
		c.room.mu.Lock()
		defer c.room.mu.Unlock()
		for _, l := range c.room.learners {
			if l.rec.Name == "ada" {
				return l.rec.Requests == 2
			}
		}
		return false
	})
	c.room.mu.Lock()
	var balances []string
	for _, l := range c.room.learners {
		body, _, _ := l.sess.Server().Resource("/accounts/42")
		balances = append(balances, l.rec.Name+"="+string(body))
	}
	c.room.mu.Unlock()
	for _, b := range balances {
		if strings.HasPrefix(b, "ada=") != strings.Contains(b, `"balance":1`) {
			t.Errorf("ada's PUT reached another server, or not hers: %v", balances)
		}
	}
}

func TestAReconnectingLearnerResumesAndARestartKeepsProgress(t *testing.T) {
	dir := t.TempDir()
	key := newKey(t)
	c := startClassroom(t, Config{Dir: dir})
	first := open(t, dial(t, c, "ada", key), "", 120, 40)
	first.passFirstStep()
	first.keys("\x1b", "n")
	first.waitFor("step 2/5")
	first.keys("q")
	first.ended()

	again := open(t, dial(t, c, "ada-on-another-laptop", key), "", 120, 40)
	again.waitFor("step 2/5")
	again.keys("x", "q")
	again.ended()

	// A new classroom on the same folder: a restart.
	ctxShutdown(t, c)
	c2 := startClassroom(t, Config{Dir: dir})
	after := open(t, dial(t, c2, "ada", key), "", 120, 40)
	after.waitFor("step 2/5")
	rows := c2.room.Roster()
	if len(rows) != 1 || rows[0].Name != "ada" || !rows[0].Passed[0] {
		t.Errorf("after a restart the roster has %+v", rows)
	}
}

func TestTheTeacherCommandRefusesALearnersKey(t *testing.T) {
	teacherKey, learnerKey := newKey(t), newKey(t)
	c := startClassroom(t, Config{TeacherKeys: writeKeys(t, teacherKey)})

	refused := open(t, dial(t, c, "teacher", learnerKey), "teach", 100, 30)
	refused.waitOutput("This is for the instructor")
	if strings.Contains(refused.output(), "putpost classroom —") {
		t.Error("a learner's key got the roster")
	}
	noKey := open(t, dial(t, c, "teacher", nil), "teach", 100, 30)
	noKey.waitOutput("This is for the instructor")

	ok := open(t, dial(t, c, "anyone", teacherKey), "teach", 100, 30)
	ok.waitFor("putpost classroom — 0 online")
}

func TestTheTokenLetsTheInstructorInAndNothingElseDoes(t *testing.T) {
	c := startClassroom(t, Config{})
	for _, cmd := range []string{"teach", "teach wrong", "teach " + c.Token() + " extra", "demo"} {
		tm := open(t, dial(t, c, "x", nil), cmd, 100, 30)
		tm.waitOutput("add the token printed when the classroom started")
	}
	open(t, dial(t, c, "x", nil), "teach "+c.Token(), 100, 30).waitFor("putpost classroom —")
}

func TestWithoutATerminalOneLineSaysHowToConnect(t *testing.T) {
	c := startClassroom(t, Config{})
	s, err := dial(t, c, "ada", nil).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := s.CombinedOutput("")
	_, port, _ := strings.Cut(c.Addr().String(), ":")
	want := "putpost needs a terminal: connect with  ssh -t -p " + port + " NAME@HOST\r\n"
	if string(out) != want {
		t.Errorf("without a terminal: %q, want %q", out, want)
	}
	if len(c.room.Roster()) != 0 {
		t.Error("a connection without a terminal took a seat")
	}
	s, err = dial(t, c, "ada", nil).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, _ = s.CombinedOutput("watch")
	if !strings.HasSuffix(string(out), "NAME@HOST watch\r\n") {
		t.Errorf("watch without a terminal: %q", out)
	}
	unknown := open(t, dial(t, c, "ada", nil), "rm -rf /", 100, 30)
	unknown.waitOutput(`unknown command "rm"`)
}

func TestANameOnlyLearnerCannotTakeASeatInUse(t *testing.T) {
	c := startClassroom(t, Config{})
	open(t, dial(t, c, "ada", nil), "", 100, 30).waitFor("Meet the server")
	second := open(t, dial(t, c, "ada", nil), "", 100, 30)
	second.waitOutput(`"ada" is already connected`)
}

func TestAHostileNameReachesTheInstructorEscaped(t *testing.T) {
	c := startClassroom(t, Config{})
	evil := "\x1b]0;pwned\x07\x1b[2Jeve"
	tm := open(t, dial(t, c, evil, nil), "", 100, 30)
	tm.waitFor("Meet the server")
	teacher := open(t, dial(t, c, "t", nil), "teach "+c.Token(), 140, 30)
	teacher.waitFor(`\x1b]0;…1b[2Jeve`) // cut in the middle, to fit its column
	if out := teacher.output(); strings.Contains(out, "pwned\x07") || strings.Contains(out, "\x1b]0;") {
		t.Error("the learner's name reached the instructor's terminal raw")
	}
}

func TestTheRoomsMessageAndEveryoneToALessonReachEveryLearner(t *testing.T) {
	c := startClassroom(t, Config{})
	a := open(t, dial(t, c, "ada", newKey(t)), "", 120, 40)
	b := open(t, dial(t, c, "bob", newKey(t)), "", 120, 40)
	a.waitFor("Meet the server")
	b.waitFor("Meet the server")
	a.keys("x")
	b.keys("x")
	teacher := open(t, dial(t, c, "t", nil), "teach "+c.Token(), 140, 30)
	teacher.waitFor("2 online")
	teacher.keys("m", "coffee break", "\r")
	a.waitFor("Message from the instructor: coffee break")
	b.waitFor("Message from the instructor: coffee break")
	a.keys("x")
	b.keys("x")
	teacher.keys("g", "3", "\r")
	teacher.waitFor("2 learners moved to lesson 3")
	want := fmt.Sprintf("3/%d", len(c.cfg.Lessons))
	a.waitFor(want)
	b.waitFor(want)
}

func TestPeekShowsALearnersScreenAndWatchTheInstructors(t *testing.T) {
	c := startClassroom(t, Config{})
	a := open(t, dial(t, c, "ada", nil), "", 100, 30)
	a.passFirstStep()
	teacher := open(t, dial(t, c, "t", nil), "teach "+c.Token(), 140, 40)
	teacher.waitFor("ada")
	teacher.keys("\r")
	teacher.waitFor("peek: ada", "step passed")
	// ada leaves while the instructor looks.
	a.keys("\x1b", "q")
	a.ended()
	teacher.waitFor("peek: ada", "ada is not connected.")
	teacher.keys("\x1b")
	teacher.waitFor("0 online of 1 learners")
	a = open(t, dial(t, c, "ada", nil), "", 100, 30)
	a.waitFor("Meet the server")
	teacher.waitFor("1 online of 1 learners")

	watcher := open(t, dial(t, c, "room", nil), "watch", 120, 40)
	watcher.waitFor("Waiting for the instructor")
	demo := open(t, dial(t, c, "t", nil), "demo "+c.Token(), 100, 30)
	demo.waitFor("Your own tutorial")
	watcher.waitFor("the instructor's screen", "Your own tutorial")
	demo.keys("x", "n")
	watcher.waitFor("Step 2/5")
	if rows := c.room.Roster(); len(rows) != 1 {
		t.Errorf("the instructor's own tutorial is in the roster: %+v", rows)
	}
}

func TestSignalsShowInTheRoster(t *testing.T) {
	c := startClassroom(t, Config{})
	a := open(t, dial(t, c, "ada", nil), "", 100, 30)
	a.waitFor("Meet the server")
	a.keys("x", "!")
	a.waitFor("would like help")
	teacher := open(t, dial(t, c, "t", nil), "teach "+c.Token(), 140, 30)
	teacher.waitFor("✋ ada")
	teacher.keys("a")
	teacher.waitFor("signals of ada cleared")
	a.keys("d")
	teacher.waitFor("✓ ada")
}

func TestClosingTellsEveryoneAndSavesProgress(t *testing.T) {
	dir := t.TempDir()
	c := startClassroom(t, Config{Dir: dir})
	a := open(t, dial(t, c, "ada", nil), "", 100, 30)
	a.passFirstStep()
	w := open(t, dial(t, c, "room", nil), "watch", 100, 30)
	w.waitFor("Waiting for the instructor")
	ctxShutdown(t, c)
	a.waitOutput(closingText)
	w.waitOutput(closingText)

	l, err := loadLearner(dirOf(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	if l.rec.Requests != 1 || !l.progress.Passed("meet-the-server", 0) {
		t.Errorf("saved %+v, passed %v", l.rec, l.progress.PassedSteps("meet-the-server"))
	}
}

func TestAFullClassroomSaysSo(t *testing.T) {
	c := startClassroom(t, Config{MaxSessions: 1})
	open(t, dial(t, c, "ada", nil), "", 100, 30).waitFor("Meet the server")
	open(t, dial(t, c, "bob", nil), "", 100, 30).waitOutput("The classroom is full (1 sessions)")
}

func TestAnIdleLearnerIsWarnedThenDisconnected(t *testing.T) {
	c := startClassroom(t, Config{Idle: 600 * 1e6, IdleWarning: 400 * 1e6}) // 0.6 s, warned at 0.2 s
	a := open(t, dial(t, c, "ada", nil), "", 100, 30)
	a.waitFor("Meet the server")
	a.waitOutput("without a key press. Your progress is saved")
	if !strings.Contains(a.output(), "this session ends in") {
		t.Error("the learner was not warned before being disconnected")
	}
}

func TestTheRenderAreaIsCapped(t *testing.T) {
	c := startClassroom(t, Config{})
	open(t, dial(t, c, "ada", nil), "", 400, 200).waitFor("Meet the server")
	c.room.mu.Lock()
	var l *learner
	for _, x := range c.room.learners {
		l = x
	}
	c.room.mu.Unlock()
	l.mirror.mu.Lock()
	w, h := l.mirror.w, l.mirror.h
	l.mirror.mu.Unlock()
	if w != DefaultMaxWidth || h != DefaultMaxHeight {
		t.Errorf("a 400×200 window renders %d×%d, want the cap %d×%d", w, h, DefaultMaxWidth, DefaultMaxHeight)
	}
}

func TestColoursFollowTheTERMTheLearnerSends(t *testing.T) {
	c := startClassroom(t, Config{})
	for _, tc := range []struct {
		term       string
		want, none []string
	}{
		{"xterm", []string{"\x1b[3"}, []string{";5;", ";2;"}},             // 16 colours
		{"xterm-256color", []string{"38;5;"}, []string{"38;2;", "48;2;"}}, // 256
	} {
		tm := openTERM(t, dial(t, c, "ada-"+tc.term, nil), tc.term, "", 100, 30, nil)
		tm.waitFor("Meet the server")
		out := tm.output()
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("TERM=%s: no %q in the output", tc.term, w)
			}
		}
		for _, n := range tc.none {
			if strings.Contains(out, n) {
				t.Errorf("TERM=%s: the output has %q, more colours than the terminal said it has", tc.term, n)
			}
		}
	}
}

func TestALearnersPanicEndsOnlyTheirSessionWithAMessage(t *testing.T) {
	c := startClassroom(t, Config{})
	c.signal = func(l *learner, help bool) bool {
		if l.rec.Name == "ada" {
			panic("a bug only ada meets")
		}
		return c.room.signal(l, help)
	}
	ada := open(t, dial(t, c, "ada", nil), "", 100, 30)
	bob := open(t, dial(t, c, "bob", nil), "", 100, 30)
	ada.waitFor("Meet the server")
	bob.waitFor("Meet the server")
	ada.keys("x", "!")
	ada.waitOutput("putpost hit a bug and ended your session; your progress is saved")
	bob.keys("x", "!")
	bob.waitFor("would like help")
	bob.keys("e", "\r")
	bob.waitFor("step passed")
}

func TestTheLearnersOwnTerminalBackgroundPicksThePalette(t *testing.T) {
	c := startClassroom(t, Config{})
	// textColour is the colour of the lesson's heading once the start-up
	// notice is gone, or nil. (Body text keeps each terminal's own
	// foreground, so the heading, in the palette's accent, is what shows
	// which palette was picked.)
	textColour := func(tm *term) color.Color {
		tm.mu.Lock()
		defer tm.mu.Unlock()
		if strings.Contains(tm.em.String(), "Press any key") {
			return nil
		}
		for y := range 30 {
			cells := make([]string, 100)
			for x := range cells {
				if cl := tm.em.CellAt(x, y); cl != nil {
					cells[x] = cl.Content
				}
			}
			for x := range cells {
				if strings.HasPrefix(strings.Join(cells[x:], ""), "# Meet the server") {
					if cl := tm.em.CellAt(x, y); cl != nil {
						return cl.Style.Fg
					}
				}
			}
		}
		return nil
	}
	brightness := func(c color.Color) uint32 {
		r, g, b, _ := c.RGBA()
		return r + g + b
	}
	dark := openTERM(t, dial(t, c, "dark", nil), "xterm-256color", "", 100, 30, color.Black)
	light := openTERM(t, dial(t, c, "light", nil), "xterm-256color", "", 100, 30, color.White)
	for _, tm := range []*term{dark, light} {
		tm.waitFor("Meet the server")
		tm.keys("x")
	}
	var onDark color.Color
	eventually(t, "the dark terminal shows the lesson's text", func() bool {
		onDark = textColour(dark)
		return onDark != nil
	})
	eventually(t, "the light terminal's text is darker than the dark one's", func() bool {
		c := textColour(light)
		return c != nil && brightness(c) < brightness(onDark)
	})
}

// A name is what identifies a learner without a key, and it is saved with
// their record: a stranger must not make the classroom keep kilobytes of
// name per seat.
func TestAVeryLongNameIsRefusedAndLeavesNoSeat(t *testing.T) {
	dir := t.TempDir()
	c := startClassroom(t, Config{Dir: dir})
	long := strings.Repeat("a", 20000)
	tm := open(t, dial(t, c, long, nil), "", 100, 30)
	tm.waitOutput("user name is 20000 bytes long")
	if ents, _ := os.ReadDir(filepath.Join(dir, learnersFolder)); len(ents) != 0 {
		t.Errorf("the refused name left %d seats in the classroom folder", len(ents))
	}
	if out := tm.output(); strings.Contains(out, strings.Repeat("a", 100)) {
		t.Error("the refusal repeats the whole name")
	}
}

// The rate limit counts connections; without a cap of its own, one
// connection could open session after session, each a whole program, and
// fill the room by itself.
func TestOneConnectionCarriesOnlyAFewSessions(t *testing.T) {
	c := startClassroom(t, Config{})
	cl := dial(t, c, "multi", newKey(t))
	for range maxSessionsPerConn {
		open(t, cl, "", 100, 30).waitFor("Meet the server")
	}
	extra := open(t, cl, "", 100, 30)
	extra.waitOutput(fmt.Sprintf("already carries %d sessions", maxSessionsPerConn))
	// Another connection is let in as before.
	open(t, dial(t, c, "ada", nil), "", 100, 30).waitFor("Meet the server")
}

// One learner who pastes big bodies and sends them ×100 must not take the
// classroom's memory: their server has a budget of its own.
func TestALearnersServerKeepsASmallBudget(t *testing.T) {
	c := startClassroom(t, Config{})
	open(t, dial(t, c, "hog", nil), "", 100, 30).waitFor("Meet the server")
	l := c.room.seat("name hog")
	c.room.mu.Lock()
	srv := l.sess.Server()
	c.room.mu.Unlock()
	body := `{"amount":1,"note":"` + strings.Repeat("n", 60<<10) + `"}`
	status := 0
	for range 2 * learnerServerBytes / len(body) {
		r := httptest.NewRequest("POST", "/payments", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		status = w.Code
	}
	if status != http.StatusInsufficientStorage {
		t.Errorf("after %d KiB of payments the learner's server answers %d, want 507", 2*learnerServerBytes>>10, status)
	}
}

func TestAWindowWithoutASizeGetsTheTutorialIn80By24(t *testing.T) {
	c := startClassroom(t, Config{})
	tm := open(t, dial(t, c, "ada", nil), "", 0, 0)
	tm.waitFor("Meet the server", "You are in a classroom")
	// The window says its size later: the screen follows.
	if err := tm.sess.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the program takes the new size", func() bool {
		c.room.mu.Lock()
		defer c.room.mu.Unlock()
		for _, l := range c.room.learners {
			if l.rec.Name == "ada" {
				l.mirror.mu.Lock()
				defer l.mirror.mu.Unlock()
				return l.mirror.w == 120 && l.mirror.h == 40
			}
		}
		return false
	})
}

func TestTheRosterTellsLookalikeNamesApartAndKeepsItsColumns(t *testing.T) {
	c := startClassroom(t, Config{})
	long := strings.Repeat("名", 20)
	for _, who := range []struct {
		name string
		key  gossh.Signer
	}{
		{"ada", newKey(t)}, {"ada", newKey(t)}, {"ada", nil}, {"ada ", nil},
		{"workshop-participant-01", nil}, {"workshop-participant-02", nil}, {long, nil},
	} {
		open(t, dial(t, c, who.name, who.key), "", 100, 30).waitFor("Meet the server")
	}
	teacher := open(t, dial(t, c, "t", nil), "teach "+c.Token(), 140, 30)
	teacher.waitFor("7 online of 7 learners", `"ada "`, "worksho…ipant-01", "worksho…ipant-02", "名名名…名名名名")

	rows := c.room.Roster()
	type look struct {
		cell string
		key  bool
	}
	seen := map[look]bool{}
	for i, cell := range learnerCells(rows, nameColumn) {
		l := look{cell, rows[i].Key}
		if seen[l] {
			t.Errorf("two learners read the same in the roster: %q (key %v)", cell, l.key)
		}
		seen[l] = true
	}

	// Every row's "by" and "seen" columns start where the header's do,
	// whatever the name's characters.
	var col int
	for _, line := range strings.Split(teacher.screen(), "\n") {
		if i := strings.Index(line, " by "); i >= 0 && strings.Contains(line, "learner") {
			col = ansi.StringWidth(line[:i+1])
			continue
		}
		i := strings.Index(line, "online")
		if col == 0 || i < 0 || strings.Contains(line, "putpost classroom") {
			continue
		}
		by := strings.TrimSpace(line[:i])
		if !strings.HasSuffix(by, " key") && !strings.HasSuffix(by, " name") {
			t.Errorf("the row does not say how the learner is known: %q", line)
		}
		if got := ansi.StringWidth(line[:i]); got != col+5 {
			t.Errorf("the row's columns moved (seen at column %d, want %d): %q", got, col+5, line)
		}
	}
	if col == 0 {
		t.Fatalf("no header in the roster:\n%s", teacher.screen())
	}
}

func TestAnEmptyUserNameIsRefused(t *testing.T) {
	c := startClassroom(t, Config{})
	for _, name := range []string{"", "   "} {
		for _, key := range []gossh.Signer{nil, newKey(t)} {
			tm := open(t, dial(t, c, name, key), "", 100, 30)
			tm.waitOutput("Your user name is empty: connect with a name the instructor can call you by (ssh NAME@…).")
		}
	}
	if rows := c.room.Roster(); len(rows) != 0 {
		t.Errorf("an empty name took a seat: %+v", rows)
	}
}
