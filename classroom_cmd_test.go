package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
