package tui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// screensDoc is the captured-screens page, generated from the same screens
// as the goldens so that it never drifts from the program.
const screensDoc = "../docs/SCREENS.md"

// TestScreensDoc writes docs/SCREENS.md from the real curriculum when run
// with -update: go test ./tui -run TestScreensDoc -update. It is a
// generator, not a check (the goldens check the screens); without -update it
// only makes sure every capture can still be made.
func TestScreensDoc(t *testing.T) {
	shots := []struct {
		title, note string
		w, h        int
		opts        testOpts
		run         func(d *driver)
	}{
		{"The main layout (120×40)", "Side by side from 120 columns: the lesson and the request composer on the left, the live server on the right. The composer holds the step's suggested request; nothing is sent until the learner presses ⏎.",
			120, 40, testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) {}},
		{"A passed step", "The checks turn into ✓, the explanation appears, and the server pane shows each changed field with its value before → after.",
			120, 40, testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) { d.keys("e", "enter", "esc") }},
		{"PUT ×10 in the sandbox", "`PUT /accounts/42 {\"balance\": 100} x10`: ten exchanges folded into one log line (×10), the first and the last response shown, the balance chart flat after the first.",
			120, 40, testOpts{sandbox: true}, func(d *driver) {
				d.keys("e", "ctrl+l")
				d.typeLine(`PUT /accounts/42 {"balance": 100} x10`)
				d.keys("enter")
				finishJob(d)
				d.keys("tab")
			}},
		{"The wire view", "⏎ on a log entry shows the exchange as HTTP/1.1 text and the state it changed.",
			120, 40, testOpts{sandbox: true}, func(d *driver) {
				d.keys("e", "ctrl+l")
				d.typeLine(`PUT /accounts/42 {"balance": 100}`)
				d.keys("enter", "tab", "w")
			}},
		{"Idempotence on the chart", "Lesson 5 after its first three steps: `PUT /accounts/42 {\"balance\":100} x100` (the balance jumps from $80 to $100 and stays there: a flat line), then `POST /accounts/42/interest {\"rate\":0.10}` three times and a hundred times (it compounds: a curve). The chart is scaled from the smallest to the largest value and keeps the whole history in its width.",
			120, 40, testOpts{builtin: true, lesson: "idempotence"}, func(d *driver) {
				sendPut(d, `PUT /accounts/42 {"balance":100} x100`)
				d.keys("n")
				sendPut(d, `POST /accounts/42/interest {"rate":0.10} x3`)
				d.keys("n")
				sendPut(d, `POST /accounts/42/interest {"rate":0.10} x100`)
			}},
		{"The last exchange", "Lesson 4 after `POST /customers`: under the server's state, the response as the lessons ask the learner to read it — the status line, the headers that teach (`Location`, `ETag`, …) and the body or the server's own explanation, cut with … (`w` shows all of it). Selecting an older log entry shows that one.",
			120, 40, testOpts{builtin: true, lesson: "post-create"}, func(d *driver) {
				sendPut(d, `POST /customers {"name":"Joe","city":"ajax","age":29}`)
			}},
		{"An error explained (80×24)", "Lesson 11 at 80×24: a PUT whose `If-Match` tag is not the account's ETag gets 412, and the server's words say why, under the `ETag` to use instead.",
			80, 24, testOpts{builtin: true, lesson: "lost-updates"}, func(d *driver) {
				sendPut(d, `PUT /accounts/42 {"balance":50} -H 'If-Match: "stale"'`)
			}},
		{"Not yet (80×24)", "A half-right PUT in lesson 2 answers 200 OK, and the lesson pane says at once, without scrolling, that the step is not passed and what is still wrong.",
			80, 24, testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) {
				sendPut(d, `PUT /flights/AA123 {"status":"ontime","gate":"a7"}`)
			}},
		{"A quiz at 80×24", "The choices are pinned under the question; the prose above scrolls, never the choices. The lesson pane takes the height a quiz needs.",
			80, 24, testOpts{builtin: true, lesson: "put-create"}, func(d *driver) { d.keys("n", "n", "n", "n", "1") }},
		{"Stacked (80×24)", "Below 120 columns the panes stack. The request composer in its form shape (ctrl+o).",
			80, 24, testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) { d.keys("ctrl+o") }},
		{"Reading a step (80×24)", "Until the learner's first request of a step, the stacked lesson pane has the height: the step is what there is to read, and the server has nothing of it to show yet. The first request gives the server pane its share back, so the exchange and \"Not yet\" stay in view (see \"Not yet (80×24)\"); the next step is read in the tall pane again.",
			80, 24, testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) {}},
		{"Keys (?)", "", 120, 40, testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) { d.keys("?") }},
		{"Lessons (t)", "A click on a lesson opens it too.", 120, 40, testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) { d.keys("t") }},
		{"Reset (R)", "Reset the step (the server goes back to how the step began; progress is kept), the lesson or all progress. The last two ask for confirmation.",
			120, 40, testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) { d.keys("R") }},
		{"With --listen", "The footer offers a curl line for the current step; what curl sends shows up in the log and counts for the step.",
			120, 40, testOpts{builtin: true, lesson: "put-replace", listen: "127.0.0.1:8080"}, func(d *driver) {}},
		{"Too small", "", 50, 16, testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) {}},
	}

	var b strings.Builder
	b.WriteString("# Screens\n\n")
	b.WriteString("Text captures of the full screen, generated by `go test ./tui -run TestScreensDoc -update`\n")
	b.WriteString("from the same code the goldens in `tui/testdata` check. Colours are left out; the\n")
	b.WriteString("focused pane has the heavy border.\n")
	var readmeShot string // the README shows the chart's capture
	for _, s := range shots {
		d := newDriver(t, s.w, s.h, s.opts)
		s.run(d)
		fmt.Fprintf(&b, "\n## %s\n\n", s.title)
		if s.note != "" {
			b.WriteString(s.note + "\n\n")
		}
		var shot strings.Builder
		shot.WriteString("```text\n")
		for _, ln := range strings.Split(d.screen(), "\n") {
			shot.WriteString(strings.TrimRight(ln, " ") + "\n")
		}
		shot.WriteString("```\n")
		b.WriteString(shot.String())
		if s.title == "Idempotence on the chart" {
			readmeShot = shot.String()
		}
	}
	got := b.String()
	readme, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	gotReadme, ok := withCapture(string(readme), readmeShot)
	if !ok {
		t.Fatalf("%s has no ```text block under \"## What it looks like\" for the capture", readmeFile)
	}

	if f := flag.Lookup("update"); f == nil || f.Value.String() != "true" {
		if old, _ := os.ReadFile(screensDoc); string(old) != got {
			t.Errorf("%s is not what the screens look like now: run go test ./tui -run TestScreensDoc -update and read the diff", screensDoc)
		}
		if string(readme) != gotReadme {
			t.Errorf("%s's capture is not what the screen looks like now: run go test ./tui -run TestScreensDoc -update and read the diff", readmeFile)
		}
		return
	}
	if err := os.MkdirAll(filepath.Dir(screensDoc), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(screensDoc, []byte(got), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(readmeFile, []byte(gotReadme), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readmeFile holds, under "## What it looks like", one capture of
// TestScreensDoc.
const readmeFile = "../README.md"

// withCapture returns readme with the first ```text block after its "What
// it looks like" heading replaced by shot; false when there is none.
func withCapture(readme, shot string) (string, bool) {
	at := strings.Index(readme, "## What it looks like")
	if at < 0 {
		return "", false
	}
	start := strings.Index(readme[at:], "```text\n")
	if start < 0 {
		return "", false
	}
	start += at
	end := strings.Index(readme[start+len("```text\n"):], "```\n")
	if end < 0 {
		return "", false
	}
	end += start + len("```text\n") + len("```\n")
	return readme[:start] + shot + readme[end:], true
}
