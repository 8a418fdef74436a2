package classroom

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/putpost/putpost/present"
)

// blockRows are the rows of a screen drawn with block characters: the
// presenter's big digits.
func blockRows(screen string) []string {
	var rows []string
	for _, l := range strings.Split(screen, "\n") {
		if strings.ContainsAny(l, "█▀▄") {
			rows = append(rows, strings.TrimSpace(l))
		}
	}
	return rows
}

// waitForRows waits until the screen shows every one of rows (whole lines,
// trimmed, anywhere on it).
func (tm *term) waitForRows(rows []string) {
	tm.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		have := map[string]bool{}
		for _, l := range strings.Split(tm.screen(), "\n") {
			have[strings.TrimSpace(l)] = true
		}
		missing := ""
		for _, r := range rows {
			if !have[r] {
				missing = r
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the screen never showed the row %q:\n%s", missing, tm.screen())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTheRoomWatchesThePresenterThenTheTutorial(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	teacherKey := newKey(t)
	c := startClassroom(t, Config{TeacherKeys: writeKeys(t, teacherKey)})

	watcher := open(t, dial(t, c, "room", nil), "watch", 120, 40)
	watcher.waitFor("Waiting for the instructor")
	demo := open(t, dial(t, c, "t", teacherKey), "demo", 100, 30)
	demo.waitFor("Your own tutorial")
	watcher.waitFor("the instructor's screen", "Your own tutorial")

	pres := open(t, dial(t, c, "t", teacherKey), "present put-vs-post", 120, 40)
	pres.waitFor("PUT ×100 vs POST ×100 on the balance", "step 1/4")
	watcher.waitFor("the instructor's screen", "PUT ×100 vs POST ×100 on the balance", "step 1/4")

	pres.keys(" ") // GET /accounts/42: the balance, 80.00, in big digits
	pres.waitFor("step 2/4", "200")
	digits := blockRows(pres.screen())
	if len(digits) < 3 {
		t.Fatalf("the presenter shows no big digits:\n%s", pres.screen())
	}
	watcher.waitFor("step 2/4", "GET /accounts/42")
	watcher.waitForRows(digits)

	pres.keys(" ", "x") // a hundred PUTs, finished at once
	pres.waitFor("step 3/4")
	watcher.waitFor("step 3/4", "PUT /accounts/42")
	watcher.waitForRows(blockRows(pres.screen()))

	// The presenter ends: the room sees the instructor's tutorial again.
	pres.keys("q")
	pres.ended()
	watcher.waitFor("Your own tutorial")
	if strings.Contains(watcher.screen(), "step 3/4") {
		t.Errorf("watch still shows the presenter after it ended:\n%s", watcher.screen())
	}
	demo.keys("x", "q")
	demo.ended()
	watcher.waitFor("Waiting for the instructor")

	// Over SSH the presenter opens no speaker-notes link on this machine.
	if _, err := os.Stat(present.LinkFile()); err == nil || !strings.HasPrefix(present.LinkFile(), state) {
		t.Errorf("the presenter over SSH wrote %s (err %v)", present.LinkFile(), err)
	}
}

func TestOnlyTheInstructorPresents(t *testing.T) {
	teacherKey, learnerKey := newKey(t), newKey(t)
	c := startClassroom(t, Config{TeacherKeys: writeKeys(t, teacherKey)})
	for _, key := range []any{learnerKey, nil} {
		var tm *term
		if key == nil {
			tm = open(t, dial(t, c, "ada", nil), "present", 100, 30)
		} else {
			tm = open(t, dial(t, c, "ada", learnerKey), "present put-vs-post", 100, 30)
		}
		tm.waitOutput("This is for the instructor")
		if strings.Contains(tm.output(), "step 1/") {
			t.Error("a learner got the presenter")
		}
	}

	unknown := open(t, dial(t, c, "t", teacherKey), "present nope", 100, 30)
	unknown.waitOutput(`No demo called "nope". The demos: lost-response, put-vs-post, two-tellers.`)
	tooMany := open(t, dial(t, c, "t", teacherKey), "present put-vs-post two-tellers", 100, 30)
	tooMany.waitOutput("present takes one demo's name at most")

	// Without a demo's name: the default one. One presenter at a time.
	first := open(t, dial(t, c, "t", teacherKey), "present", 100, 30)
	first.waitFor("PUT ×100 vs POST ×100 on the balance")
	second := open(t, dial(t, c, "t", teacherKey), "present two-tellers", 100, 30)
	second.waitOutput("The presenter is already running in another connection")
	first.keys("q")
	first.ended()
	open(t, dial(t, c, "t", teacherKey), "present two-tellers", 100, 30).waitFor("Two tellers")
}

func TestTheTokenComesBeforeTheDemosName(t *testing.T) {
	c := startClassroom(t, Config{})
	for _, cmd := range []string{"present", "present two-tellers", "present wrong two-tellers", "present two-tellers " + c.Token()} {
		open(t, dial(t, c, "x", nil), cmd, 100, 30).waitOutput("add the token printed when the classroom started (present TOKEN [DEMO])")
	}
	open(t, dial(t, c, "x", nil), "present "+c.Token()+" two-tellers", 100, 30).waitFor("Two tellers", "step 1/")
}

func TestTheHostsOwnDemosArePlayedByName(t *testing.T) {
	dir := t.TempDir()
	src := "# Our own demo\n# Read the balance.\nGET /accounts/42\n"
	if err := os.WriteFile(filepath.Join(dir, "ours.txt"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	demos, err := present.LoadDemoDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := startClassroom(t, Config{Demos: demos})
	if !strings.Contains(c.Welcome(), "ours, put-vs-post") {
		t.Errorf("the start text does not list the host's demo:\n%s", c.Welcome())
	}
	pres := open(t, dial(t, c, "x", nil), "present "+c.Token()+" ours", 100, 30)
	pres.waitFor("Our own demo", "step 1/1", "Read the balance.")
	// A path is a name like any other: nothing of this machine is read.
	open(t, dial(t, c, "x", nil), "present "+c.Token()+" "+filepath.Join(dir, "ours.txt"), 100, 30).waitOutput("No demo called")

	if _, err := New(Config{Dir: t.TempDir(), Listen: "127.0.0.1:0", Demos: []*present.Demo{demos[0], demos[0]}}); err == nil || !strings.Contains(err.Error(), `two demos are called "ours"`) {
		t.Errorf("two demos of one name: %v", err)
	}
}

func TestARoomMessageShowsOnThePresenterUntilAKey(t *testing.T) {
	c := startClassroom(t, Config{})
	pres := open(t, dial(t, c, "x", nil), "present "+c.Token(), 100, 30)
	pres.waitFor("step 1/4")
	c.room.broadcast("Break: back at eleven")
	pres.waitFor("Break: back at eleven")
	pres.keys(" ")
	pres.waitFor("step 2/4")
	if strings.Contains(pres.screen(), "Break: back at eleven") {
		t.Errorf("the notice stayed after a key:\n%s", pres.screen())
	}
}
