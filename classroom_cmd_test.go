package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestClassroomRefusesARemoteAddressWithoutAllowRemote(t *testing.T) {
	r := runCmd(t, nil, "classroom", "--listen", "0.0.0.0:0")
	if r.err == nil || !strings.Contains(r.err.Error(), "--allow-remote") {
		t.Fatalf("err = %v, want a refusal that names --allow-remote", r.err)
	}
}

func TestClassroomChecksItsDemosFolderBeforeStarting(t *testing.T) {
	isolateState(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ours.txt"), []byte("GET /a\nfaults maybe\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, nil, "classroom", "--listen", "127.0.0.1:0", "--demos", dir)
	if r.err == nil || !strings.Contains(r.err.Error(), "--demos: "+filepath.Join(dir, "ours.txt")+`:2: unknown faults setting "maybe"`) {
		t.Fatalf("err = %v, want the demo's file and line", r.err)
	}
}

func TestClassroomStartsSaysHowToConnectAndClosesOnCtrlC(t *testing.T) {
	state := isolateState(t)
	wd := t.TempDir()
	t.Chdir(wd)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"classroom", "--listen", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &stderr)
	}()
	deadline := time.Now().Add(testTimeout)
	for !strings.Contains(stdout.String(), "Instructor:") {
		if time.Now().After(deadline) {
			t.Fatalf("the classroom never said how to connect:\n%s\n%s", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	out := stdout.String()
	for _, want := range []string{"Learners type:    ssh -p ", "YOURNAME@127.0.0.1", "Host key:         SHA256:", "teach ", "watch", "present", "put-vs-post"} {
		if !strings.Contains(out, want) {
			t.Errorf("the start text lacks %q:\n%s", want, out)
		}
	}
	cancel() // as Ctrl-C does
	if err := <-done; err != nil {
		t.Fatalf("closing: %v", err)
	}
	if !strings.Contains(stdout.String(), "closed") {
		t.Errorf("no word of closing:\n%s", stdout.String())
	}
	if _, err := os.Stat(filepath.Join(state, "putpost", "classroom", "host_ed25519")); err != nil {
		t.Errorf("the host key is not in the state folder: %v", err)
	}
	if ents, _ := os.ReadDir(wd); len(ents) != 0 {
		t.Errorf("the classroom wrote into the working folder: %v", ents)
	}
}

func TestClassroomExportSaysWhenThereIsNoClassroom(t *testing.T) {
	r := runCmd(t, nil, "classroom", "export", "--dir", filepath.Join(t.TempDir(), "none"))
	if r.err == nil || !strings.Contains(r.err.Error(), "no classroom there") {
		t.Fatalf("err = %v", r.err)
	}
}

func TestClassroomExportWritesIntoTheCurrentFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "learners"), 0o700); err != nil {
		t.Fatal(err)
	}
	wd := t.TempDir()
	t.Chdir(wd)
	r := runCmd(t, nil, "classroom", "export", "--dir", dir)
	if r.err != nil {
		t.Fatal(r.err)
	}
	ents, _ := os.ReadDir(wd)
	if len(ents) != 2 || !strings.HasSuffix(ents[0].Name(), ".csv") || !strings.HasSuffix(ents[1].Name(), ".json") {
		t.Errorf("export wrote %v", ents)
	}
	if !strings.Contains(r.stdout, "wrote ") {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestHelpListsTheClassroom(t *testing.T) {
	r := runCmd(t, nil, "classroom", "--help")
	for _, want := range []string{"putpost classroom", "--listen", "(127.0.0.1:2222)", "--teacher-keys", "--dir", "--idle", "export"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("classroom help lacks %q:\n%s", want, r.stdout)
		}
	}
}

// TestTheClassroomOutlivesItsStdoutAndClosesTheRoomOnASignal is
// `putpost classroom | tee log` and Ctrl-C, which ends tee first: the
// classroom's next word to the instructor meets a closed pipe, and must
// still tell every learner and restore their terminals. SIGTERM and SIGHUP
// close the room the same way.
func TestTheClassroomOutlivesItsStdoutAndClosesTheRoomOnASignal(t *testing.T) {
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) { closeRoomWithoutStdout(t, sig) })
	}
}

func closeRoomWithoutStdout(t *testing.T, sig os.Signal) {
	dir := t.TempDir()
	cmd := exec.Command(binary(t, "."), "classroom", "--listen", "127.0.0.1:0")
	cmd.Env = childEnv(dir)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	first, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("the classroom said nothing: %v", err)
	}
	m := regexp.MustCompile(`on (127\.0\.0\.1:\d+)`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("no address in %q", first)
	}
	r.Close() // tee is gone

	cl, err := gossh.Dial("tcp", m[1], &gossh.ClientConfig{
		User: "ada",
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		// A test's own classroom on loopback, with a host key made for it.
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         testTimeout,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	s, err := cl.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty("xterm-256color", 30, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	s.Stdout = &out
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(testTimeout)
	for !strings.Contains(out.String(), "Meet the server") {
		if time.Now().After(deadline) {
			t.Fatalf("the learner's screen never came:\n%q", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Errorf("the classroom ended with %v (%v), want a clean close", err, cmd.ProcessState)
		}
	case <-time.After(testTimeout):
		t.Fatal("the classroom did not end")
	}
	_ = s.Wait()
	got := out.String()
	for _, want := range []string{"The classroom is closing. Your progress is saved", "\x1b[?1049l", "\x1b[?25h"} {
		if !strings.Contains(got, want) {
			t.Errorf("the learner's terminal never got %q:\n%q", want, got[max(0, len(got)-400):])
		}
	}
}
