package tui

import (
	"net/http/httptest"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/putpost/putpost/lessons"
)

// BenchmarkView measures one frame of a busy screen: a wide terminal, a
// long lesson, a thousand exchanges in the log with one selected, the form
// composer open; then the same with the help box open over it. A frame at
// 60 Hz has 16.7 ms. "redrawn" forgets the last frame first (what a frame
// costs when something in it changed); "unchanged" asks again for the
// frame just drawn (Bubble Tea asks after every message).
func BenchmarkView(b *testing.B) {
	d := newDriver(b, 200, 60, testOpts{lesson: "put-replace"})
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /flights/AA123 {"status":"ontime","gate":"b12"} x1000`)
	d.keys("enter", "ctrl+x")
	finishJob(d)
	d.keys("h", "ctrl+o", "tab", "tab", "tab", "tab", "tab", "tab", "up", "up")
	if d.m.srv.events() < 1000 {
		b.Fatalf("only %d exchanges in the log", d.m.srv.events())
	}
	for _, screen := range []string{"plain", "help"} {
		if screen == "help" {
			d.keys("esc", "?")
			if d.m.overlay != overlayHelp {
				b.Fatal("? did not open the help box")
			}
		}
		b.Run(screen+"/redrawn", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.m.ss.frames = frameMemo{}
				_ = d.m.View()
			}
		})
		b.Run(screen+"/unchanged", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = d.m.View()
			}
		})
	}
}

// BenchmarkRenderLessonNewWidth measures what a resize costs the lesson
// pane: Markdown rendered with Glamour at a width it has not seen (a new
// renderer for the width, no cached output), as the render command does.
func BenchmarkRenderLessonNewWidth(b *testing.B) {
	ls, err := lessons.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	var l *lessons.Lesson
	for _, x := range ls {
		if x.ID == "put-replace" {
			l = x
		}
	}
	if l == nil {
		b.Fatal("no put-replace lesson")
	}
	md := "# " + l.Title + "\n\n" + l.Intro + "\n\n## " + l.Steps[0].Title + "\n\n" + l.Steps[0].Text
	st := NewStyles(true, false)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := newMDRenderer(st)
		if _, err := r.Render(md, 60+i%100); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkResize measures a whole resize as the program sees it, with
// nothing cached: Update with the new size, the Markdown render commands it
// starts, and the rendered messages coming back through Update.
func BenchmarkResize(b *testing.B) {
	d := newDriver(b, 120, 40, testOpts{lesson: "put-replace"})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d.m.cache = newMDCache()
		d.m.md = newMDRenderer(d.m.st)
		d.send(tea.WindowSizeMsg{Width: 120 + i%2, Height: 40})
		i++
	}
}

// BenchmarkResizeAfterAFlood measures a resize with the log full of the
// issue 9 flood: 2,000 exchanges with 60 KB targets (each log line is
// drawn again for the new width). Before targets were cut before they were
// measured, one took 5 s.
func BenchmarkResizeAfterAFlood(b *testing.B) {
	d := newDriver(b, 120, 40, testOpts{sandbox: true})
	long := "/accounts/42?q=" + strings.Repeat("t", 60<<10)
	for range maxLog {
		d.srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", long, nil))
	}
	d.send(pokeMsg{})
	if len(d.m.srv.log) < maxLog/4 {
		b.Fatalf("only %d exchanges in the log", len(d.m.srv.log))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d.send(tea.WindowSizeMsg{Width: 120 + i%2, Height: 40})
		i++
	}
}

// BenchmarkRepeatBatch measures what one batch of a paced ×1000 costs the
// screen, as the program runs it but in the benchmark's goroutine: the tick
// that sends 17 PUTs through the session, the batch's result and its 17
// events through Update, and one View after each message (Bubble Tea asks
// for one after every message). 120×40, true colour, the built-in lesson
// "idempotence", as BenchmarkAnimate. The sim's own work is included.
func BenchmarkRepeatBatch(b *testing.B) {
	d := newDriver(b, 120, 40, testOpts{builtin: true, lesson: "idempotence"})
	d.send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
	start := func() {
		d.keys("e", "ctrl+l")
		d.typeLine(`PUT /accounts/42 {"balance":100} x1000`)
		d.keys("enter")
		_ = d.m.View()
	}
	start()
	b.ReportAllocs()
	for b.Loop() {
		if len(d.ticks) == 0 {
			b.StopTimer()
			d.keys("esc")
			start()
			b.StartTimer()
		}
		d.viewEach = true
		d.tick()
		d.viewEach = false
	}
}
