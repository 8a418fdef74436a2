package lessons

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func openTestProgress(t *testing.T, path string) *Progress {
	t.Helper()
	p, notice, err := OpenProgress(path)
	if err != nil || notice != "" {
		t.Fatalf("OpenProgress(%s): notice %q, err %v", path, notice, err)
	}
	return p
}

func TestProgressRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "putpost", "progress.json")
	p := openTestProgress(t, path)
	if !p.Saving() || p.Path() != path {
		t.Fatalf("Saving = %v, Path = %q", p.Saving(), p.Path())
	}
	must(t, p.SetCurrent("put-create"))
	must(t, p.MarkPassed("put-replace", 0))
	must(t, p.MarkPassed("put-replace", 2))
	must(t, p.MarkPassed("put-create", 1))
	must(t, p.MarkPassed("put-replace", 2)) // again: no change

	q := openTestProgress(t, path)
	if q.Current() != "put-create" || !slices.Equal(q.PassedSteps("put-replace"), []int{0, 2}) ||
		!q.Passed("put-create", 1) || q.Passed("put-create", 0) {
		t.Errorf("reloaded: current %q, put-replace %v, put-create %v", q.Current(), q.PassedSteps("put-replace"), q.PassedSteps("put-create"))
	}

	var f map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &f); err != nil || f["version"] != 1.0 {
		t.Errorf("file is not versioned JSON: %s", data)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm()&0o077 != 0 {
		t.Errorf("progress file mode %v is readable by others", info.Mode())
	}

	must(t, q.ClearLesson("put-replace"))
	r := openTestProgress(t, path)
	if len(r.PassedSteps("put-replace")) != 0 || !r.Passed("put-create", 1) {
		t.Errorf("after ClearLesson: %v %v", r.PassedSteps("put-replace"), r.PassedSteps("put-create"))
	}
	must(t, r.ClearAll())
	s := openTestProgress(t, path)
	if s.Current() != "" || len(s.PassedSteps("put-create")) != 0 {
		t.Errorf("after ClearAll: %q %v", s.Current(), s.PassedSteps("put-create"))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCorruptProgressIsMovedAsideAndTheTutorialStartsFresh(t *testing.T) {
	tests := []struct{ name, content, why string }{
		{"garbage", "{\"version\":1,\"pass", "corrupt (not valid JSON)"},
		{"empty", "", "corrupt (not valid JSON)"},
		{"other version", `{"version":99,"passed":{}}`, "written by another version of putpost (format 99, expected 1)"},
		{"no version", `{"passed":{"a":[1]}}`, "written by another version of putpost (format 0, expected 1)"},
		{"negative step", `{"version":1,"passed":{"a":[-1]}}`, "corrupt (a step number is out of range)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "progress.json")
			must(t, os.WriteFile(path, []byte(tt.content), 0o600))
			p, notice, err := OpenProgress(path)
			if err != nil {
				t.Fatal(err)
			}
			aside, _ := filepath.Glob(path + ".corrupt-*")
			if len(aside) != 1 {
				t.Fatalf("moved-aside files: %v", aside)
			}
			if want := "The progress file was " + tt.why + "; moved it to " + aside[0] + " and started fresh."; notice != want {
				t.Errorf("notice = %q\nwant %q", notice, want)
			}
			if got, _ := os.ReadFile(aside[0]); string(got) != tt.content {
				t.Errorf("moved file holds %q", got)
			}
			if p.Current() != "" || !p.Saving() {
				t.Errorf("fresh progress: current %q, saving %v", p.Current(), p.Saving())
			}
			must(t, p.MarkPassed("x", 0))
			if q := openTestProgress(t, path); !q.Passed("x", 0) {
				t.Error("progress after a corrupt file is not saved")
			}
		})
	}
}

func TestCorruptProgressTwiceKeepsBothCopies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	for range 2 {
		must(t, os.WriteFile(path, []byte("nonsense"), 0o600))
		if _, _, err := OpenProgress(path); err != nil {
			t.Fatal(err)
		}
	}
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 2 {
		t.Errorf("moved-aside files: %v", aside)
	}
}

// A state folder that cannot be written must not stop the tutorial.
func TestUnwritableStateFolderKeepsProgressInMemory(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "not-a-folder")
	must(t, os.WriteFile(blocker, []byte("x"), 0o600))
	path := filepath.Join(blocker, "putpost", "progress.json") // a file stands where the folder should be
	p, notice, err := OpenProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notice, "progress will not be saved") || !strings.HasPrefix(notice, "Cannot write to "+filepath.Dir(path)) {
		t.Errorf("notice = %q", notice)
	}
	if p.Saving() {
		t.Error("Saving() = true")
	}
	if err := p.MarkPassed("a", 0); err != nil {
		t.Errorf("MarkPassed = %v; an unsaved progress must not fail", err)
	}
	if !p.Passed("a", 0) {
		t.Error("progress is not kept in memory")
	}
}

func TestReadOnlyStateFolderKeepsExistingProgress(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("permissions do not stop root; TestUnwritableStateFolderKeepsProgressInMemory covers the case")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	p := openTestProgress(t, path)
	must(t, p.MarkPassed("a", 1))
	must(t, os.Chmod(dir, 0o500))
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	q, notice, err := OpenProgress(path)
	if err != nil || !strings.Contains(notice, "progress will not be saved") {
		t.Fatalf("notice %q, err %v", notice, err)
	}
	if !q.Passed("a", 1) || q.Saving() {
		t.Errorf("read-only folder: passed %v, saving %v", q.Passed("a", 1), q.Saving())
	}
	must(t, q.MarkPassed("a", 2))
}

func TestNoStateFolderKeepsProgressInMemory(t *testing.T) {
	p, notice, err := OpenProgress("")
	if err != nil || !strings.Contains(notice, "will not be saved") || p.Saving() {
		t.Fatalf("notice %q, err %v", notice, err)
	}
	must(t, p.MarkPassed("a", 0))
	var zero Progress
	must(t, zero.MarkPassed("a", 3))
	if !zero.Passed("a", 3) || zero.Saving() {
		t.Error("the zero Progress does not keep progress in memory")
	}
}

// A save killed before its rename leaves a temporary file behind; the
// previous progress must survive and the leftover is cleaned up.
func TestLeftoverFromAKilledSaveIsIgnored(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	p := openTestProgress(t, path)
	must(t, p.MarkPassed("a", 0))
	leftover := filepath.Join(dir, "progress.json.tmp-12345")
	must(t, os.WriteFile(leftover, []byte(`{"version":1,"passed":{"a":[0,1`), 0o600))
	q := openTestProgress(t, path)
	if !slices.Equal(q.PassedSteps("a"), []int{0}) {
		t.Errorf("passed = %v", q.PassedSteps("a"))
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("leftover temporary file is still there: %v", err)
	}
}

// The real thing: a process saving progress in a loop is killed with
// SIGKILL at an arbitrary moment; what it leaves must open cleanly and hold
// a prefix of what it saved.
func TestProgressSurvivesKillDuringSave(t *testing.T) {
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	for round := range 5 {
		dir := t.TempDir()
		path := filepath.Join(dir, "progress.json")
		cmd := exec.Command(exe, "-test.run=^TestHelperSaveForever$")
		cmd.Env = append(os.Environ(), "PUTPOST_SAVE_FOREVER="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until it has saved at least once, then kill it mid-flight.
		deadline := time.Now().Add(10 * time.Second)
		for {
			if _, err := os.Stat(path); err == nil || time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		time.Sleep(time.Duration(round*7) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		p, notice, err := OpenProgress(path)
		if err != nil || notice != "" {
			t.Fatalf("round %d: after a kill: notice %q, err %v", round, notice, err)
		}
		steps := p.PassedSteps("loop")
		if len(steps) == 0 {
			t.Fatalf("round %d: nothing survived", round)
		}
		for i, s := range steps {
			if s != i {
				t.Fatalf("round %d: passed %v is not a prefix of 0, 1, 2, …", round, steps)
			}
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp-*")); len(left) != 0 {
			t.Errorf("round %d: leftovers %v", round, left)
		}
	}
}

// TestHelperSaveForever is run by TestProgressSurvivesKillDuringSave in a
// subprocess; on its own it does nothing.
func TestHelperSaveForever(t *testing.T) {
	path := os.Getenv("PUTPOST_SAVE_FOREVER")
	if path == "" {
		t.Skip("helper for TestProgressSurvivesKillDuringSave")
	}
	p, _, err := OpenProgress(path)
	if err != nil {
		os.Exit(2)
	}
	for i := 0; ; i++ {
		p.MarkPassed("loop", i)
		p.SetCurrent("lesson-" + strconv.Itoa(i))
	}
}

func TestDefaultProgressPathFollowsXDG(t *testing.T) {
	t.Setenv("HOME", "/home/learner")
	t.Setenv("XDG_STATE_HOME", "/var/state")
	if got := DefaultProgressPath(); got != filepath.Join("/var/state", "putpost", "progress.json") {
		t.Errorf("with XDG_STATE_HOME: %q", got)
	}
	t.Setenv("XDG_STATE_HOME", "relative/dir") // the spec says to ignore relative paths
	if got := DefaultProgressPath(); got != filepath.Join("/home/learner", ".local", "state", "putpost", "progress.json") {
		t.Errorf("with a relative XDG_STATE_HOME: %q", got)
	}
	t.Setenv("XDG_STATE_HOME", "")
	if got := DefaultProgressPath(); got != filepath.Join("/home/learner", ".local", "state", "putpost", "progress.json") {
		t.Errorf("without XDG_STATE_HOME: %q", got)
	}
}

func TestOverviewListsDoneTotalAndPercent(t *testing.T) {
	ls := []*Lesson{
		{ID: "a", Title: "A", Steps: make([]*Step, 3)},
		{ID: "b", Title: "B", Steps: make([]*Step, 4)},
		{ID: "c", Title: "C", Steps: make([]*Step, 1)},
	}
	p := &Progress{}
	must(t, p.MarkPassed("a", 0))
	must(t, p.MarkPassed("a", 1))
	must(t, p.MarkPassed("a", 7)) // a step the file no longer has
	for i := range 4 {
		must(t, p.MarkPassed("b", i))
	}
	must(t, p.SetCurrent("b"))
	want := []LessonProgress{
		{ID: "a", Title: "A", Done: 2, Total: 3, Percent: 66},
		{ID: "b", Title: "B", Done: 4, Total: 4, Percent: 100, Current: true},
		{ID: "c", Title: "C", Done: 0, Total: 1, Percent: 0},
	}
	if got := Overview(ls, p); !slices.Equal(got, want) {
		t.Errorf("Overview =\n%+v\nwant\n%+v", got, want)
	}
	if got := Overview(ls, nil); got[1].Done != 0 || got[1].Current {
		t.Errorf("Overview without progress = %+v", got)
	}
}
