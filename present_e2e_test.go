package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/vt"

	"github.com/putpost/putpost/present"
)

// TestPresentNotesFollowThePresenter runs two putpost processes in two
// pseudo-terminals sharing a state folder: the notes wait for the
// presenter, then show the step the presenter is at, its caption and its
// speaker note, and move when the presenter moves.
func TestPresentNotesFollowThePresenter(t *testing.T) {
	bin := binary(t, ".")
	dir := t.TempDir()
	notes := startPTY(t, bin, ptyOptions{cols: 100, rows: 30, dir: dir}, "present", "--demo", "two-tellers", "--notes")
	notes.waitText("waiting for the presenter")

	pres := startPTY(t, bin, ptyOptions{cols: 100, rows: 30, dir: dir}, "present", "--demo", "two-tellers")
	pres.waitText("Two tellers and If-Match", "step 1/8", "next 1 ▸ GET /accounts/42")
	notes.waitText("step 1/8", "NEXT 1: GET /accounts/42", "▸ Two tellers each read the account")

	pres.send(" ")
	pres.waitText("step 2/8", "← 200 OK")
	notes.waitText("step 2/8", "NEXT 2: PUT /accounts/42", "▸ Nobody was told. That is the lost update.")

	pres.send("4\r")
	pres.waitText("step 4/8", "next 4 ▸ reset")
	notes.waitText("step 4/8", "NEXT 4: reset")

	pres.send("b")
	pres.waitText("step 3/8")
	notes.waitText("step 3/8", "NEXT 3:")

	pres.send("q")
	if err := pres.wait(); err != nil {
		t.Errorf("presenter: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "putpost", "present.addr")); !os.IsNotExist(err) {
		t.Errorf("the presenter left its address file behind: %v", err)
	}
	notes.send("q")
	if err := notes.wait(); err != nil {
		t.Errorf("notes: %v", err)
	}
}

// TestPresentRecordingReplaysToTheSameScreen records a presentation in a
// pseudo-terminal, parses the file as asciicast v2 and plays its output into
// a terminal emulator: the screen there is the one the room saw last.
func TestPresentRecordingReplaysToTheSameScreen(t *testing.T) {
	bin := binary(t, ".")
	dir := t.TempDir()
	const cols, rows = 100, 30
	pres := startPTY(t, bin, ptyOptions{cols: cols, rows: rows, dir: dir}, "present", "--demo", "two-tellers", "--record", "demo.cast")
	pres.waitText("step 1/8")
	pres.send(" ")
	pres.waitText("step 2/8", "← 200 OK")
	pres.send(" ")
	seen := pres.waitText("step 3/8", "next 3 ▸ PUT /accounts/42 {\"balance\":70.00}", "first 80.00 → last 100.00")
	pres.send("q")
	if err := pres.wait(); err != nil {
		t.Fatalf("presenter: %v", err)
	}

	f, err := os.Open(filepath.Join(dir, "demo.cast"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hd, evs, err := present.ReadCast(f)
	if err != nil {
		t.Fatalf("not asciicast v2: %v", err)
	}
	if hd.Width != cols || hd.Height != rows {
		t.Errorf("header size %dx%d, want %dx%d", hd.Width, hd.Height, cols, rows)
	}
	var out strings.Builder
	for _, ev := range evs {
		if ev.Code == "o" {
			out.WriteString(ev.Data)
		}
	}
	// A player paused on the last frame: leaving the alternate screen at
	// the end is not played.
	em := vt.NewEmulator(cols, rows)
	// The recording holds the program's queries (background colour, modes);
	// the emulator's answers go nowhere.
	go func() { _, _ = io.Copy(io.Discard, em) }()
	defer func() {
		if w, ok := em.InputPipe().(*io.PipeWriter); ok {
			_ = w.Close()
		}
	}()
	_, _ = em.WriteString(strings.ReplaceAll(out.String(), "\x1b[?1049l", ""))
	if got, want := trimRight(em.String()), trimRight(seen); got != want {
		t.Errorf("replayed:\n%s\nthe terminal showed:\n%s", got, want)
	}
}

func trimRight(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// TestPresentListAndBadDemos: --list names every built-in demo; a demo file
// with a line the presenter cannot play is refused with its file and line
// before any screen; --notes with --record is a usage error.
func TestPresentListAndBadDemos(t *testing.T) {
	r := runCmd(t, nil, "present", "--list")
	if r.err != nil {
		t.Fatal(r.err)
	}
	for _, want := range []string{"put-vs-post", "PUT ×100 vs POST ×100 on the balance", "lost-response", "Idempotency-Key", "two-tellers", "If-Match"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--list lacks %q:\n%s", want, r.stdout)
		}
	}

	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("# a demo\nGET /accounts/42\nstate /accounts\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCmd(t, nil, "present", "--demo", bad)
	if r.err == nil || !strings.Contains(r.stderr, "bad.txt:3: ") || !strings.Contains(r.stderr, `"state" is not something a demo can play`) {
		t.Errorf("a bad demo: %v\n%s", r.err, r.stderr)
	}
	if code := exitCode(r.err); code != 1 {
		t.Errorf("a bad demo exits %d, want 1", code)
	}

	r = runCmd(t, nil, "present", "--demo", "no-such-demo")
	if r.err == nil || !strings.Contains(r.stderr, "no demo called") || !strings.Contains(r.stderr, "two-tellers") {
		t.Errorf("an unknown demo: %v\n%s", r.err, r.stderr)
	}

	r = runCmd(t, nil, "present", "--notes", "--record", "x.cast")
	if code := exitCode(r.err); code != 2 {
		t.Errorf("--notes --record exits %d (%v), want 2", code, r.err)
	}
}
