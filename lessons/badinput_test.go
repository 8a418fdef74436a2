package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// Bad progress files and state folders (issue 3 "Progress" and issue 5
// "progress: corrupt, wrong version, unreadable, read-only directory") that
// progress_test.go does not already cover.

// A progress file that exists but cannot be read is moved aside, like a
// corrupt one, and the tutorial starts fresh and saves again.
func TestUnreadableProgressIsMovedAsideAndStartsFresh(t *testing.T) {
	type setup func(t *testing.T, path string) (why string)
	cases := map[string]setup{
		// Works as root too: reading a folder fails whoever you are.
		"a folder stands where the file should be": func(t *testing.T, path string) string {
			must(t, os.Mkdir(path, 0o700))
			must(t, os.WriteFile(filepath.Join(path, "keep.txt"), []byte("mine"), 0o600))
			return "is a directory"
		},
		"no permission to read": func(t *testing.T, path string) string {
			if os.Geteuid() == 0 {
				t.Skip("permissions do not stop root; the folder case covers a read error")
			}
			must(t, os.WriteFile(path, []byte(`{"version":1,"passed":{"a":[0]}}`), 0o000))
			return "permission denied"
		},
	}
	for name, prepare := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "progress.json")
			why := prepare(t, path)
			p, notice, err := OpenProgress(path)
			if err != nil {
				t.Fatalf("OpenProgress = %v; an unreadable file must not stop the tutorial", err)
			}
			aside, _ := filepath.Glob(path + ".corrupt-*")
			if len(aside) != 1 {
				t.Fatalf("moved-aside files: %v", aside)
			}
			want := "Could not read the progress file (" + why + "); moved it to " + aside[0] + " and started fresh."
			if notice != want {
				t.Errorf("notice = %q\nwant %q", notice, want)
			}
			if !p.Saving() || p.Current() != "" {
				t.Errorf("fresh progress: saving %v, current %q", p.Saving(), p.Current())
			}
			must(t, p.MarkPassed("x", 0))
			if q := openTestProgress(t, path); !q.Passed("x", 0) {
				t.Error("progress after an unreadable file is not saved")
			}
		})
	}
	t.Run("what was moved aside is intact", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "progress.json")
		cases["a folder stands where the file should be"](t, path)
		if _, _, err := OpenProgress(path); err != nil {
			t.Fatal(err)
		}
		aside, _ := filepath.Glob(path + ".corrupt-*")
		if len(aside) != 1 {
			t.Fatalf("moved-aside files: %v", aside)
		}
		if got, err := os.ReadFile(filepath.Join(aside[0], "keep.txt")); err != nil || string(got) != "mine" {
			t.Errorf("the learner's folder lost its content: %q, %v", got, err)
		}
	})
}

// An unreadable file in a folder that cannot be written either: nothing can
// be moved or saved, and the tutorial still runs in memory.
func TestUnreadableProgressInAReadOnlyFolderKeepsProgressInMemory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("permissions do not stop root")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	must(t, os.WriteFile(path, []byte(`{"version":1,"passed":{}}`), 0o000))
	must(t, os.Chmod(dir, 0o500))
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	p, notice, err := OpenProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(notice, "Could not read the progress file "+path) || !strings.Contains(notice, "progress will not be saved") {
		t.Errorf("notice = %q", notice)
	}
	if p.Saving() {
		t.Error("Saving() = true in a read-only folder")
	}
	must(t, p.MarkPassed("a", 0))
	if !p.Passed("a", 0) {
		t.Error("progress is not kept in memory")
	}
}

// A wrong-version file is not thrown away: a newer putpost's progress is
// kept aside byte for byte, and the notice names the formats.
func TestProgressFromANewerVersionIsKeptAsideUnchanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	newer := `{"version":2,"passed":{"put-replace":[0,1,2]},"badges":["fast"]}`
	must(t, os.WriteFile(path, []byte(newer), 0o600))
	p, notice, err := OpenProgress(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(notice, "another version of putpost (format 2, expected 1)") || !strings.Contains(notice, "moved it to ") {
		t.Errorf("notice = %q", notice)
	}
	if p.Passed("put-replace", 0) {
		t.Error("steps from an unknown format were trusted")
	}
	aside, _ := filepath.Glob(path + ".corrupt-*")
	if len(aside) != 1 {
		t.Fatalf("moved-aside files: %v", aside)
	}
	if got, _ := os.ReadFile(aside[0]); string(got) != newer {
		t.Errorf("the newer file was changed: %q", got)
	}
}

// The state folder can vanish or turn read-only while the tutorial runs: a
// passed step still counts for the session, and Observe reports the failed
// save instead of hiding it.
func TestSaveFailingMidSessionIsReportedAndKeepsTheStepPassed(t *testing.T) {
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "state")
	path := filepath.Join(dir, "progress.json")
	p := openTestProgress(t, path)
	srv := sim.New(sim.Options{})
	e := NewEngine(ls, srv, p)
	must(t, e.Goto("put-replace"))
	// Root ignores permissions, so make the folder impossible instead: a
	// file now stands where it was.
	must(t, os.RemoveAll(dir))
	must(t, os.WriteFile(dir, []byte("not a folder"), 0o600))

	sendLine(t, srv, `PUT /flights/AA123 {"status":"ontime","gate":"b12"}`)
	st := e.Observe()
	if !st.Passed || !st.JustPassed {
		t.Fatalf("the step did not pass: %+v", st)
	}
	if st.SaveErr == nil || !strings.Contains(st.SaveErr.Error(), "saving progress") {
		t.Errorf("SaveErr = %v, want the failed save reported", st.SaveErr)
	}
	if !p.Passed("put-replace", 0) {
		t.Error("the passed step was forgotten because it could not be saved")
	}
	if again := e.Observe(); again.SaveErr != nil || !again.Passed {
		t.Errorf("the second Observe: %+v; the failure is reported once and the step stays passed", again)
	}
}

// sendLine sends one request line to srv as the composer would.
func sendLine(t *testing.T, srv *sim.Server, line string) {
	t.Helper()
	rl, err := request.Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	req, err := rl.NewRequest(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client(sim.SourceComposer).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
