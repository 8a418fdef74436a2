package tui

import (
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"pgregory.net/rapid"
)

// forgetDrawn drops everything the screen keeps drawn for reuse (the frame
// memo, the footer, the panes' lines), so that the next View draws from
// the state alone.
func (d *driver) forgetDrawn() {
	m := &d.m
	m.ss.frames = frameMemo{}
	m.footer, m.footerIn = "", footerFor{}
	m.srv.viewLines = nil
	m.comp.viewLines = nil
	m.srv.chartRows = nil
	m.srv.xDrawn = nil
	m.srv.rebuildRes()
	m.srv.rebuildExchange()
	m.srv.rebuildChart()
	m.refreshFooter()
}

// fresh is the frame drawn now with nothing kept from earlier frames.
func (d *driver) fresh() string {
	d.forgetDrawn()
	return d.m.View().Content
}

// redrawActions are what a learner (and a curl from elsewhere) does to the
// screen, for TestEveryChangeIsDrawn: keys in every pane, repeats stepped
// batch by batch, exchanges that arrive from outside, sizes and themes.
var redrawActions = map[string]func(d *driver){
	"tab":        func(d *driver) { d.keys("tab") },
	"shift+tab":  func(d *driver) { d.keys("shift+tab") },
	"esc":        func(d *driver) { d.keys("esc") },
	"up":         func(d *driver) { d.keys("up") },
	"down":       func(d *driver) { d.keys("down") },
	"pgup":       func(d *driver) { d.keys("pgup") },
	"enter":      func(d *driver) { d.keys("enter") },
	"help":       func(d *driver) { d.keys("?") },
	"hint":       func(d *driver) { d.keys("h") },
	"next step":  func(d *driver) { d.keys("n") },
	"chart":      func(d *driver) { d.keys("c") },
	"faults":     func(d *driver) { d.keys("f") },
	"retry":      func(d *driver) { d.keys("r") },
	"undo":       func(d *driver) { d.keys("u") },
	"wire":       func(d *driver) { d.keys("w") },
	"theme":      func(d *driver) { d.keys("ctrl+t") },
	"form":       func(d *driver) { d.keys("ctrl+o") },
	"type":       func(d *driver) { d.keys("e"); d.typeLine("PU") },
	"finish now": func(d *driver) { d.keys("ctrl+x") },
	"put x10": func(d *driver) {
		d.keys("e", "ctrl+l")
		d.typeLine(`PUT /accounts/42 {"balance":100} x10`)
		d.keys("enter")
	},
	"post x3": func(d *driver) {
		d.keys("e", "ctrl+l")
		d.typeLine(`POST /customers {"name":"Ann"} x3`)
		d.keys("enter")
	},
	"bad request": func(d *driver) {
		d.keys("e", "ctrl+l")
		d.typeLine(`PUT /accounts/42 {"balance":`)
		d.keys("enter")
	},
	"tick": func(d *driver) { d.tick() },
	"curl": func(d *driver) {
		d.srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("DELETE", "/accounts/42", nil))
		d.send(pokeMsg{})
	},
	"narrow":   func(d *driver) { d.send(tea.WindowSizeMsg{Width: 80, Height: 24}) },
	"wide":     func(d *driver) { d.send(tea.WindowSizeMsg{Width: 120, Height: 40}) },
	"tiny":     func(d *driver) { d.send(tea.WindowSizeMsg{Width: 30, Height: 8}) },
	"no color": func(d *driver) { d.send(tea.ColorProfileMsg{Profile: colorprofile.ASCII}) },
	"colour":   func(d *driver) { d.send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor}) },
}

// What the screen keeps drawn (the frame memo, the footer, each pane's
// lines) must never show a stale frame: after every action of a random
// session, the frame is the one drawn from the state alone.
func TestEveryChangeIsDrawn(t *testing.T) {
	names := make([]string, 0, len(redrawActions))
	for n := range redrawActions {
		names = append(names, n)
	}
	rapid.Check(t, func(rt *rapid.T) {
		d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "idempotence"})
		d.send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
		var done []string
		for range rapid.IntRange(1, 40).Draw(rt, "actions") {
			name := rapid.SampledFrom(names).Draw(rt, "action")
			done = append(done, name)
			redrawActions[name](d)
			got := d.m.View().Content
			if want := d.fresh(); got != want {
				rt.Fatalf("after %s the frame is stale:\n%s", strings.Join(done, ", "), lineDiff(got, want))
			}
		}
	})
}

// A batch of a repeat changes the screen once: the count in the request
// pane moves when the batch's exchanges reach the log, not before, so the
// two never show different moments (and a busy machine draws one frame per
// batch, not two).
func TestRepeatCountMovesWithTheLog(t *testing.T) {
	d := startPutRepeat(t)
	d.mustContain("sending 1/10", "×1")
	// The next batch, by hand: its result first, then its updates.
	msgs := d.batch()
	if len(msgs) != 1 {
		t.Fatalf("the batch's turn made %d messages, want the batch's result", len(msgs))
	}
	if _, ok := msgs[0].(sentMsg); !ok {
		t.Fatalf("the batch's turn made %T, want sentMsg", msgs[0])
	}
	before := d.screen()
	_, cmd := d.m.Update(msgs[0])
	d.hold(cmd) // the tick for the batch after
	if got := d.screen(); got != before {
		t.Fatalf("the batch's result changed the screen before its exchanges came:\n%s", got)
	}
	d.send(pokeMsg{}) // the session's updates
	d.mustContain("sending 2/10", "×2")
	d.mustNotContain("sending 1/10")
	finishJob(d)
	d.mustContain("sent ×10 → 200 OK", "×10")
}

// lineDiff shows the lines where got and want differ, without escapes.
func lineDiff(got, want string) string {
	g, w := strings.Split(ansi.Strip(got), "\n"), strings.Split(ansi.Strip(want), "\n")
	var b strings.Builder
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "line %d\n  drawn: %s\n  fresh: %s\n", i, gl, wl)
		}
	}
	if b.Len() == 0 {
		return "(the same text, other colours or attributes)"
	}
	return b.String()
}

// The first ↓ in the server pane selects the newest exchange, and the
// exchange shown above the log says so at once.
func TestFirstMoveInTheLogShowsTheSelection(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "idempotence"})
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /accounts/42 {"balance":100}`)
	d.keys("enter", "esc", "tab", "tab")
	d.mustContain("── last exchange · #1")
	d.keys("down")
	d.mustContain("── selected · #1")
}

// When a batch's exchanges reach the screen before the batch's result,
// they wait for it: the log and the count still move together.
func TestRepeatLogWaitsForItsCount(t *testing.T) {
	d := startPutRepeat(t)
	d.mustContain("sending 1/10")
	msgs := d.batch() // the batch is sent; its result waits here
	ups := d.m.ss.watch.Poll()
	if !byCommand(ups, 0) {
		t.Fatal("the batch's exchanges are not in the session's updates")
	}
	before := d.screen()
	_, _ = d.m.Update(updatesMsg{Updates: ups, Snap: takeSnap(d.sess)})
	if got := d.screen(); got != before {
		t.Fatalf("the batch's exchanges changed the screen before its result came:\n%s", lineDiff(got, before))
	}
	_, cmd := d.m.Update(msgs[0])
	d.hold(cmd)
	d.mustContain("sending 2/10", "×2")
	finishJob(d)
	d.mustContain("sent ×10 → 200 OK", "×10")
}

// A log past maxLog drops its oldest entries, and its count of events
// (each of a run included) stays the sum of what it holds.
func TestLogCountsWhatItHoldsPastItsLimit(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sum := func() int {
		n := 0
		for _, e := range d.m.srv.log {
			n += e.n
		}
		return n
	}
	for round := range 3 {
		for i := range maxLog/2 + 7 {
			target := "/accounts/" + strconv.Itoa(round*maxLog+i)
			d.srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", target, nil))
			if i%100 == 0 { // a run of the same request
				d.srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", target, nil))
			}
		}
		d.send(pokeMsg{})
		if n := len(d.m.srv.log); n > maxLog {
			t.Fatalf("the log holds %d entries, more than %d", n, maxLog)
		}
		if got, want := d.m.srv.events(), sum(); got != want {
			t.Fatalf("round %d: the log says %d events, it holds %d", round, got, want)
		}
		d.mustContain(fmt.Sprintf("── log · %d events", sum()))
	}
}

// Exchanges kept back for a batch's result are shown anyway when it is
// late (earlyWait), and the count follows when the result comes.
func TestKeptUpdatesAreShownIfTheResultIsLate(t *testing.T) {
	d := startPutRepeat(t)
	msgs := d.batch()
	d.deliverUpdates()
	d.mustNotContain("×2")
	_, _ = d.m.Update(showEarlyMsg{d.m.earlyID}) // earlyWait has passed
	d.mustContain("×2", "sending 1/10")
	_, cmd := d.m.Update(msgs[0])
	d.hold(cmd)
	d.mustContain("×2", "sending 2/10")
	finishJob(d)
	d.mustContain("sent ×10 → 200 OK", "×10")
}

// A log row that is not an exchange (an undo) can be selected; the
// exchange still shown above the log is then the newest one, and its
// heading says so rather than calling it the selection.
func TestSelectingARowWithoutAnExchangeShowsTheLastExchange(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "idempotence"})
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /accounts/42 {"balance":100}`)
	d.keys("enter", "esc", "u", "tab", "tab")
	d.keys("down")
	d.mustContain("▸#2    ↶ undo", "── last exchange · #1")
	d.mustNotContain("── selected · #1")
}

// A selected row stays in view when the window shrinks under it.
func TestTheSelectionStaysInViewWhenTheWindowShrinks(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "idempotence"})
	d.keys("e")
	for i := range 8 {
		d.keys("ctrl+l")
		d.typeLine(fmt.Sprintf(`PUT /accounts/42 {"balance":%d}`, i))
		d.keys("enter")
	}
	d.keys("esc", "tab", "tab", "down", "up", "up", "up", "up", "up", "up")
	d.mustContain("▸#2 ")
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.mustContain("▸#2 ")
}
