package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// goldenSizes are the terminal sizes every screen is captured at: the
// minimum-ish laptop split, the first side-by-side width, a wide monitor.
var goldenSizes = [][2]int{{80, 24}, {120, 40}, {200, 60}}

// goldenScreens set up each captured screen. Run with -update to rewrite
// the files in testdata/TestGoldenScreens after a deliberate change.
var goldenScreens = []struct {
	name string
	opts testOpts
	run  func(d *driver)
}{
	{"welcome", testOpts{welcome: true}, func(d *driver) {}},
	{"lesson_pending", testOpts{lesson: "put-replace"}, func(d *driver) {}},
	{"step_passed", testOpts{lesson: "put-replace"}, func(d *driver) {
		d.keys("e", "enter", "esc")
	}},
	{"server_after_put_x10", testOpts{sandbox: true}, func(d *driver) {
		d.keys("e", "ctrl+l")
		d.typeLine(`PUT /accounts/42 {"balance": 100} x10`)
		d.keys("enter")
		finishJob(d)
		d.keys("tab")
	}},
	{"wire_view", testOpts{sandbox: true}, func(d *driver) {
		d.keys("e", "ctrl+l")
		d.typeLine(`PUT /accounts/42 {"balance": 100}`)
		d.keys("enter", "tab", "w")
	}},
	{"help", testOpts{lesson: "put-replace"}, func(d *driver) { d.keys("?") }},
	{"reset", testOpts{lesson: "put-replace"}, func(d *driver) { d.keys("R") }},
	{"reset_confirm", testOpts{lesson: "put-replace"}, func(d *driver) { d.keys("R", "l") }},
	// PUT ×100 then POST interest ×100: a flat line, then a curve.
	{"chart_put_then_post", testOpts{sandbox: true}, func(d *driver) {
		sendPut(d, `PUT /accounts/42 {"balance": 100} x100`)
		sendPut(d, `POST /accounts/42/interest {"rate": 0.10} x100`)
	}},
	{"listen", testOpts{lesson: "put-replace", listen: "127.0.0.1:8080"}, func(d *driver) {}},
	// The last exchange, as the lessons ask the learner to read it.
	{"exchange_location", testOpts{builtin: true, lesson: "post-create"}, func(d *driver) {
		sendPut(d, `POST /customers {"name":"Joe","city":"ajax","age":29}`)
	}},
	{"exchange_allow", testOpts{builtin: true, lesson: "meet-the-server"}, func(d *driver) {
		d.keys("n", "n")
		sendPut(d, `OPTIONS /flights/AA123`)
	}},
	{"exchange_etag_412", testOpts{builtin: true, lesson: "lost-updates"}, func(d *driver) {
		sendPut(d, `GET /accounts/42`)
		sendPut(d, `PUT /accounts/42 {"balance":50} -H 'If-Match: "stale"'`)
	}},
	{"exchange_selected", testOpts{sandbox: true}, func(d *driver) {
		sendPut(d, `POST /customers {"name":"Joe"}`)
		sendPut(d, `DELETE /customers`)
		d.keys("tab", "up") // the older exchange, selected
	}},
	// A half-right PUT in lesson 2: the gate is still wrong.
	{"not_yet", testOpts{builtin: true, lesson: "put-replace"}, func(d *driver) {
		sendPut(d, `PUT /flights/AA123 {"status":"ontime","gate":"a7"}`)
	}},
	{"quiz_answered_wrong", testOpts{builtin: true, lesson: "put-create"}, func(d *driver) {
		d.keys("n", "n", "n", "n", "1")
	}},
}

// TestGoldenScreens compares rendered screens, downsampled to the ASCII
// colour profile (no colours, attributes kept), with the files in testdata.
func TestGoldenScreens(t *testing.T) {
	for _, sc := range goldenScreens {
		for _, size := range goldenSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				d := newDriver(t, size[0], size[1], sc.opts)
				sc.run(d)
				checkFrame(t, d)
				golden.RequireEqual(t, d.ascii())
			})
		}
	}
}

func TestGoldenTooSmall(t *testing.T) {
	for _, size := range [][2]int{{59, 24}, {80, 19}, {40, 10}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			d := newDriver(t, size[0], size[1], testOpts{lesson: "put-replace"})
			want := fmt.Sprintf("terminal too small (need 60×20, have %d×%d)", size[0], size[1])
			if !strings.Contains(strings.Join(strings.Fields(d.screen()), " "), want) {
				t.Fatalf("screen does not say %q:\n%s", want, d.screen())
			}
			golden.RequireEqual(t, d.ascii())
		})
	}
}

// checkFrame asserts that the frame fills the terminal exactly: as many
// lines as rows, no line wider than the terminal.
func checkFrame(t *testing.T, d *driver) {
	t.Helper()
	lines := strings.Split(d.m.View().Content, "\n")
	if len(lines) != d.m.lay.H {
		t.Errorf("frame has %d lines for a %d-row terminal", len(lines), d.m.lay.H)
	}
	for i, ln := range lines {
		if w := ansi.StringWidth(ln); w != d.m.lay.W {
			t.Errorf("line %d is %d cells wide in a %d-column terminal: %q", i, w, d.m.lay.W, ansi.Strip(ln))
		}
	}
}
