package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Bad input to the program as a whole (issue 5 "Bad input, everywhere" and
// issue 3/4): progress files, lesson folders, --listen addresses, closed
// input and tiny terminals, each through run or the built binary.

// passPutReplace is the input that passes step 1 of put-replace.
const passPutReplace = "PUT /flights/AA123 {\"status\":\"ontime\",\"gate\":\"b12\"}\n"

// savedProgress reads the progress file's passed steps and current lesson.
func savedProgress(t *testing.T, path string) (current string, passed map[string][]int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("progress file: %v", err)
	}
	var f struct {
		Current string           `json:"current"`
		Passed  map[string][]int `json:"passed"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("progress file %s: %v", data, err)
	}
	return f.Current, f.Passed
}

// A bad progress file never stops the tutorial: the first line says what
// happened and where the old file went, the lesson runs, and the new
// progress is saved in its place.
func TestBadProgressFileIsMovedAsideAndTheTutorialRuns(t *testing.T) {
	for _, tc := range []struct {
		name   string
		write  func(path string) error
		notice string
	}{
		{"corrupt", func(p string) error { return os.WriteFile(p, []byte("{\"version\":1,\"pass"), 0o600) },
			"The progress file was corrupt (not valid JSON); moved it to "},
		{"wrong version", func(p string) error { return os.WriteFile(p, []byte(`{"version":9,"passed":{}}`), 0o600) },
			"The progress file was written by another version of putpost (format 9, expected 1); moved it to "},
		{"unreadable (a folder in its place)", func(p string) error { return os.Mkdir(p, 0o700) },
			"Could not read the progress file (is a directory); moved it to "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			progress := filepath.Join(t.TempDir(), "progress.json")
			if err := tc.write(progress); err != nil {
				t.Fatal(err)
			}
			r := runCmd(t, strings.NewReader(passPutReplace), "--lesson", "put-replace", "--progress", progress)
			if r.err != nil {
				t.Fatalf("tutorial: %v\n%s", r.err, r.stderr)
			}
			first, _, _ := strings.Cut(r.stdout, "\n")
			if !strings.HasPrefix(first, tc.notice) || !strings.HasSuffix(first, " and started fresh.") {
				t.Errorf("first line = %q\nwant the notice %q… and started fresh.", first, tc.notice)
			}
			aside, _ := filepath.Glob(progress + ".corrupt-*")
			if len(aside) != 1 || !strings.Contains(first, aside[0]) {
				t.Errorf("moved aside to %v; the notice says %q", aside, first)
			}
			if !strings.Contains(r.stdout, "✓ step passed") {
				t.Errorf("the lesson did not run:\n%s", r.stdout)
			}
			if _, passed := savedProgress(t, progress); len(passed["put-replace"]) != 1 {
				t.Errorf("new progress not saved: %v", passed)
			}
		})
	}
}

// A state folder that cannot be written: the tutorial says so at the start,
// runs, passes steps, and exits cleanly; a folder that was readable keeps the
// learner's earlier progress.
func TestReadOnlyStateFolderRunsAndSaysProgressWillNotBeSaved(t *testing.T) {
	t.Run("a file stands where the folder should be", func(t *testing.T) {
		blocker := filepath.Join(t.TempDir(), "state")
		if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		progress := filepath.Join(blocker, "putpost", "progress.json")
		r := runCmd(t, strings.NewReader(passPutReplace+"next\n"), "--lesson", "put-replace", "--progress", progress)
		if r.err != nil {
			t.Fatalf("tutorial: %v\n%s", r.err, r.stderr)
		}
		first, _, _ := strings.Cut(r.stdout, "\n")
		if want := "Cannot write to " + filepath.Dir(progress); !strings.HasPrefix(first, want) || !strings.Contains(first, "progress will not be saved") {
			t.Errorf("first line = %q\nwant %q… progress will not be saved", first, want)
		}
		for _, want := range []string{"✓ step passed", "Step 2 of 4"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("the tutorial did not go on (%q missing):\n%s", want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "Progress could not be saved") {
			t.Errorf("after saying so at the start, every passed step repeats the failure:\n%s", r.stdout)
		}
	})
	t.Run("permissions", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("permissions do not stop root; the other subtest covers an unwritable folder")
		}
		dir := t.TempDir()
		progress := filepath.Join(dir, "progress.json")
		if err := os.WriteFile(progress, []byte(`{"version":1,"current":"put-replace","passed":{"put-replace":[0]}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		r := runCmd(t, strings.NewReader("step\n"), "--progress", progress)
		if r.err != nil {
			t.Fatalf("tutorial: %v", r.err)
		}
		if !strings.Contains(r.stdout, "progress will not be saved") {
			t.Errorf("no notice:\n%s", r.stdout)
		}
		if !strings.Contains(r.stdout, "Lesson 2 of 13") || !strings.Contains(r.stdout, "Step 2 of 4") {
			t.Errorf("the earlier progress was not resumed:\n%s", r.stdout)
		}
	})
}

// Lesson folders that cannot be used stop the program before anything runs,
// with the folder or file:line, and leave the learner's progress alone.
func TestUnusableLessonsFolderFailsAtStartAndKeepsProgress(t *testing.T) {
	empty := t.TempDir()
	dangling := writeLessonDir(t, map[string]string{"01-house.md": goodLesson})
	if err := os.Symlink(filepath.Join(dangling, "nowhere.md"), filepath.Join(dangling, "02-gone.md")); err != nil {
		t.Fatal(err)
	}
	frontMatter := writeLessonDir(t, map[string]string{"01-broken.md": "---\nid: broken\ntitle no colon here\nfixture: bank\n---\nIntro.\n"})
	unclosed := writeLessonDir(t, map[string]string{"01-open.md": "---\nid: open\ntitle: Open\nfixture: bank\n\n## Step: x\n"})

	for _, tc := range []struct {
		name, dir string
		want      []string
	}{
		{"empty", empty, []string{"--lessons " + empty, "no lesson files here"}},
		{"unreadable file", dangling, []string{filepath.Join(dangling, "02-gone.md") + ": cannot read the file"}},
		{"front matter line without a colon", frontMatter, []string{filepath.Join(frontMatter, "01-broken.md") + `:3: expected "key: value" in the front matter`}},
		{"front matter never closed", unclosed, []string{filepath.Join(unclosed, "01-open.md") + ":1: the front matter that starts here is never closed"}},
	} {
		for _, cmd := range [][]string{{}, {"lessons"}} {
			t.Run(strings.TrimSpace(tc.name+" "+strings.Join(cmd, " ")), func(t *testing.T) {
				progress := filepath.Join(t.TempDir(), "progress.json")
				before := `{"version":1,"current":"put-create","passed":{"put-replace":[0,1]}}` + "\n"
				if err := os.WriteFile(progress, []byte(before), 0o600); err != nil {
					t.Fatal(err)
				}
				args := append(append([]string{}, cmd...), "--lessons", tc.dir, "--progress", progress)
				r := runCmd(t, strings.NewReader("GET /accounts/42\n"), args...)
				if r.err == nil {
					t.Fatalf("an unusable folder was accepted:\n%s", r.stdout)
				}
				for _, w := range tc.want {
					if !strings.Contains(r.err.Error(), w) {
						t.Errorf("error = %q\nwant it to contain %q", r.err, w)
					}
				}
				if r.stdout != "" {
					t.Errorf("something ran before the error:\n%s", r.stdout)
				}
				if got, _ := os.ReadFile(progress); string(got) != before {
					t.Errorf("the progress file changed:\n%s", got)
				}
			})
		}
	}
}

// --listen with an address that cannot be used stops the tutorial and the
// sandbox at start with a message that says what to do, and the learner's
// passed steps are kept.
func TestListenAddressProblemsStopTheStartWithAClearMessage(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		name, addr string
		want       []string
	}{
		{"address in use", busy.Addr().String(), []string{"cannot listen on " + busy.Addr().String(), "already in use", "choose another port"}},
		{"no port", "127.0.0.1", []string{`"127.0.0.1"`, "give host:port, such as 127.0.0.1:8080"}},
		{"not an address", "over there", []string{`"over there"`, "host:port"}},
		{"port out of range", "127.0.0.1:99999", []string{"127.0.0.1:99999", "from 0 to 65535"}},
		{"all interfaces", "0.0.0.0:8080", []string{"not a loopback address", "127.0.0.1:8080", "--allow-remote"}},
		{"empty host", ":8080", []string{"every network interface", "not a loopback address"}},
		{"IPv6 any", "[::]:8080", []string{"not a loopback address"}},
		{"a LAN address", "192.0.2.7:8080", []string{"not a loopback address", "other machines could reach"}},
		{"a host name", "example.com:8080", []string{"not a loopback address"}},
	} {
		for _, sandbox := range []bool{false, true} {
			name := tc.name
			if sandbox {
				name += " (sandbox)"
			}
			t.Run(name, func(t *testing.T) {
				progress := filepath.Join(t.TempDir(), "progress.json")
				if err := os.WriteFile(progress, []byte(`{"version":1,"current":"put-replace","passed":{"put-replace":[0,1]}}`), 0o600); err != nil {
					t.Fatal(err)
				}
				args := []string{"--listen", tc.addr, "--progress", progress}
				if sandbox {
					args = []string{"sandbox", "--listen", tc.addr}
				}
				r := runCmd(t, strings.NewReader(passPutReplace), args...)
				if r.err == nil {
					t.Fatalf("--listen %s was accepted:\n%s", tc.addr, r.stdout)
				}
				for _, w := range tc.want {
					if !strings.Contains(r.err.Error(), w) {
						t.Errorf("error = %q\nwant it to contain %q", r.err, w)
					}
				}
				if r.stdout != "" {
					t.Errorf("the tutorial ran before the error:\n%s", r.stdout)
				}
				if !sandbox {
					if _, passed := savedProgress(t, progress); len(passed["put-replace"]) != 2 {
						t.Errorf("passed steps after a failed start: %v", passed)
					}
				}
			})
		}
	}
}

// The end of input is the end of the session: a pipe whose writer goes away
// after a passed step exits cleanly, with that step saved.
func TestClosedInputEndsLineModeCleanlyAndKeepsProgress(t *testing.T) {
	progress := filepath.Join(t.TempDir(), "progress.json")
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	go func() {
		pw.WriteString(passPutReplace + "PUT /flights/AA123 {\"status\":\"delayed\"")
		pw.Close() // mid-line: the writer is gone
	}()
	r := runCmd(t, pr, "--lesson", "put-replace", "--progress", progress)
	if r.err != nil {
		t.Fatalf("closed input: %v\n%s", r.err, r.stderr)
	}
	if !strings.Contains(r.stdout, "✓ step passed") {
		t.Errorf("the step before the end did not pass:\n%s", r.stdout)
	}
	// The unfinished last line is still a line: it is read and refused, not
	// half sent.
	if !strings.Contains(r.stdout, "Not sent") {
		t.Errorf("the unfinished last line was not refused:\n%s", r.stdout)
	}
	if _, passed := savedProgress(t, progress); len(passed["put-replace"]) != 1 {
		t.Errorf("progress after the input closed: %v", passed)
	}

	// stdin that is already closed (nothing to read at all) is a quiet end.
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	if r := runCmd(t, devnull, "sandbox"); r.err != nil || !strings.Contains(r.stdout, "Sandbox") {
		t.Errorf("empty stdin: err %v\n%s", r.err, r.stdout)
	}
}

// The full screen shrunk to 1×1 and grown back in a real terminal: no
// crash, the server state and the log are intact.
func TestE2EResizeToOneByOneAndBackKeepsState(t *testing.T) {
	pt, _ := startPutpost(t, "sandbox")
	pt.waitText("Request", "Server")
	pt.send("e")
	pt.send("\x0c") // ctrl+l clears the composer
	pt.send(`PUT /accounts/42 {"balance":12.34}` + "\r")
	pt.waitScreen("the exchange in the log", logEntry("you", "PUT", "/accounts/42", "200 OK"))

	for _, size := range [][2]int{{1, 1}, {2, 1}, {1, 2}, {10, 3}} {
		pt.resize(size[0], size[1])
		time.Sleep(150 * time.Millisecond) // let a frame at this size be drawn
		select {
		case <-pt.exited:
			t.Fatalf("the program ended at %d×%d (%s):\n%s", size[0], size[1], pt.exitStatus(), pt.output())
		default:
		}
	}
	pt.resize(120, 40)
	s := pt.waitText("Request", "Server", `{"balance":12.34}`)
	if !logEntry("you", "PUT", "/accounts/42", "200 OK")(s) {
		t.Errorf("the log lost its entry across 1×1:\n%s", s)
	}
	if strings.Contains(s, "too small") {
		t.Errorf("the too-small message stayed after growing back:\n%s", s)
	}
	// And it still takes keys.
	pt.send("\x0c")
	pt.send(`GET /accounts/42` + "\r")
	pt.waitScreen("a second exchange", logEntry("you", "GET", "/accounts/42", "200 OK"))
}

// The terminal going away (the window closed: the kernel sends SIGHUP to
// the program whose terminal it was) ends the program rather than leaving
// it running, and the step passed before is saved.
func TestE2EHangUpEndsTheProgramAndKeepsProgress(t *testing.T) {
	pt, dir := startPutpost(t, "--lesson", "put-replace")
	pt.waitText("Request", "Server")
	pt.send("x") // close the welcome
	pt.waitScreen("the lesson without the welcome", func(s string) bool { return !strings.Contains(s, "Welcome to putpost") })
	pt.send("e")
	pt.send("\x0c")
	pt.send(strings.TrimSuffix(passPutReplace, "\n") + "\r")
	pt.waitText("Step passed")
	// Closing the pty's master side here would not hang up: the reader
	// goroutine's blocked Read keeps the descriptor open. Send what the
	// kernel sends.
	if err := pt.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	select {
	case <-pt.exited:
	case <-time.After(e2eTimeout):
		t.Fatalf("the program still runs %s after its terminal hung up", e2eTimeout)
	}
	if _, passed := savedProgress(t, filepath.Join(dir, "putpost", "progress.json")); len(passed["put-replace"]) != 1 {
		t.Errorf("progress after the terminal hung up: %v", passed)
	}
}

// boxText is what the box titled title shows on screen, its lines joined
// without any blank (wrapped text reads as one); "" when there is none.
func boxText(screen, title string) string {
	lines := strings.Split(screen, "\n")
	for i, ln := range lines {
		rs := []rune(ln)
		at := strings.Index(ln, title)
		if at < 0 {
			continue
		}
		left := strings.LastIndexAny(ln[:at], "┏┌")
		if left < 0 {
			return ""
		}
		x := len([]rune(ln[:left]))
		w := 0
		for j := x + 1; j < len(rs); j++ {
			if rs[j] == '┓' || rs[j] == '┐' {
				w = j - x
				break
			}
		}
		var b strings.Builder
		for _, body := range lines[i+1:] {
			br := []rune(body)
			if x >= len(br) || br[x] == '┗' || br[x] == '└' || x+w > len(br) {
				break
			}
			b.WriteString(strings.Join(strings.Fields(string(br[x+1:x+w])), ""))
		}
		return b.String()
	}
	return ""
}

// The full screen with a read-only state folder says so on its first frame.
func TestE2EFullScreenSaysProgressWillNotBeSaved(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the end-to-end test of the built binary in -short mode")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "putpost"), []byte("a file where the state folder goes"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The notice is in the welcome box, wrapped over as many lines as it
	// needs (the temporary path is long), even at 80 columns.
	pt := startPTY(t, binary(t, "."), ptyOptions{cols: 80, rows: 24, dir: dir})
	want := []string{"Cannotwriteto" + strings.Join(strings.Fields(filepath.Join(dir, "putpost")), ""), "thetutorialruns,butprogresswillnotbesaved."}
	pt.waitScreen("the whole notice in the welcome box", func(s string) bool { return containsAll(want...)(boxText(s, "Welcome to putpost")) })
	pt.send("x") // close the welcome
	pt.waitScreen("the lesson without the welcome", func(s string) bool { return !strings.Contains(s, "Welcome to putpost") })
	// The footer goes on saying it.
	pt.waitText("progress not saved")
	pt.send("q")
	if err := pt.wait(); err != nil {
		t.Fatalf("quit with an unwritable state folder: %v\n%s", err, pt.screen())
	}
}
