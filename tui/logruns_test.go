package tui

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
)

// logLines are the log's entries as drawn, markers and styles dropped.
func logLines(d *driver) []string {
	var out []string
	for _, e := range d.m.srv.log {
		out = append(out, strings.Join(strings.Fields(ansi.Strip(d.m.srv.renderEntry(e))), " "))
	}
	return out
}

// TestARunOfRepeatsEndsWithItsStep: lesson 5 sends the same interest POST
// three times in one step and a hundred times in the next; the log shows
// each step's run as its own line, ×3 and ×100, never ×103.
func TestARunOfRepeatsEndsWithItsStep(t *testing.T) {
	for _, size := range goldenSizes {
		d := newDriver(t, size[0], size[1], testOpts{builtin: true, lesson: "idempotence"})
		sendPut(d, `PUT /accounts/42 {"balance":100} x100`)
		d.keys("n")
		sendPut(d, `POST /accounts/42/interest {"rate":0.10} x3`)
		d.keys("n")
		sendPut(d, `POST /accounts/42/interest {"rate":0.10} x100`)
		var runs []string
		for _, ln := range logLines(d) {
			if strings.Contains(ln, "POST /accounts/42/inter") {
				runs = append(runs, ln)
			}
		}
		if len(runs) != 2 || !strings.HasSuffix(runs[0], "201 Created ×3") || !strings.HasSuffix(runs[1], "201 Created ×100") {
			t.Errorf("%d×%d: the interest POSTs of two steps read %q, want a ×3 line and a ×100 line", size[0], size[1], runs)
		}
		d.mustNotContain("×103")
		if size[0] >= SideBySideFrom {
			d.mustContain("×3", "×100")
		}
	}
}

// TestARunOfRepeatsEndsAtAResetOrUndo: the same PUT before and after a
// reset of the step, or an undo, is two lines with the reset or undo
// between them.
func TestARunOfRepeatsEndsAtAResetOrUndo(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{builtin: true, lesson: "idempotence"})
	sendPut(d, `PUT /accounts/42 {"balance":100} x2`)
	d.keys("u")
	sendPut(d, `PUT /accounts/42 {"balance":100} x2`)
	got := strings.Join(logLines(d), "\n")
	if strings.Contains(got, "×4") || strings.Count(got, "×2") != 2 || !strings.Contains(got, "undo") {
		t.Errorf("PUT ×2, undo, PUT ×2 logs as:\n%s", got)
	}
}

// TestARunOfRepeatsEndsWhereTheStepBeganInABatch: the step's start may
// come between events of one batch of updates; the run ends there.
func TestARunOfRepeatsEndsWhereTheStepBeganInABatch(t *testing.T) {
	ev := func(seq uint64) sim.Event {
		return sim.Event{Seq: seq, Kind: sim.KindExchange, Source: sim.SourceComposer,
			Request:  sim.Message{Method: "POST", Target: "/accounts/42/interest", Body: []byte(`{"rate":0.10}`)},
			Response: sim.Message{Status: 201}}
	}
	for _, tc := range []struct {
		name  string
		steps []int
		want  []int
	}{
		{"no step", nil, []int{4}},
		{"a step after the first", []int{1}, []int{1, 3}},
		{"a step before any", []int{0}, []int{4}},
		{"two steps", []int{1, 3}, []int{1, 2, 1}},
		{"a step after all", []int{4}, []int{4}},
	} {
		s := newServerPane(StylesFor(true, colorprofile.TrueColor))
		s.SetSize(80, 30)
		s.Apply([]sim.Event{ev(1), ev(2), ev(3), ev(4)}, tc.steps, serverSnap{}, false)
		var got []int
		for _, e := range s.log {
			got = append(got, e.n)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: runs %v, want %v", tc.name, got, tc.want)
		}
	}
	// A step that began after the newest event ends its run for the next batch.
	s := newServerPane(StylesFor(true, colorprofile.TrueColor))
	s.SetSize(80, 30)
	s.Apply([]sim.Event{ev(1)}, []int{1}, serverSnap{}, false)
	s.Apply([]sim.Event{ev(2)}, nil, serverSnap{}, false)
	if len(s.log) != 2 {
		t.Errorf("a repeat in the next step joined the run of the step before: %d entries", len(s.log))
	}
}

// TestTheLogTagsAGoClientReadably: a PUT from Go's HTTP client through
// --listen reads "Go" in the log's sender column, not "Go-htt", and the
// exchange above the log names it in full with its address.
func TestTheLogTagsAGoClientReadably(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 60}} {
		sess := newSession(t, session.Options{Mode: session.Sandbox, Listen: "127.0.0.1:0"})
		d := startDriver(t, size[0], size[1], sess, Options{}, sess.Addr())
		req, err := http.NewRequest(http.MethodPut, "http://"+sess.Addr()+"/accounts/42", strings.NewReader(`{"balance":100}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		d.sess.Sync()
		d.send(pokeMsg{})

		lines := logLines(d)
		if len(lines) != 1 || !strings.Contains(lines[0], " Go PUT /accounts/42") {
			t.Errorf("%d×%d: the log reads %q, want the sender Go", size[0], size[1], lines)
		}
		d.mustNotContain("Go-htt ")
		if size[1] >= 40 {
			d.mustContain("── last exchange · #1 · Go-http-client 127.0.0.1:")
		}
		// Selected, the exchange has its heading at every size.
		for d.m.focus != paneServer {
			d.keys("tab")
		}
		d.keys("up")
		d.mustContain("── selected · #1 · Go-http-client 127.0.0.1:")
		sess.Close()
	}
}
