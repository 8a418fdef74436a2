package tui

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// A box is drawn again when any of its inputs changed, including a line
// changed in place in the slice the pane handed over last time.
func TestFrameMemoRedrawsWhatChanged(t *testing.T) {
	st := NewStyles(true, false)
	var fm frameMemo
	r := rect{W: 30, H: 4}
	lines := []string{"first", "second"}
	a := fm.box(boxServer, st, r, "Server", "", lines, false, false)
	if b := fm.box(boxServer, st, r, "Server", "", lines, false, false); b != a {
		t.Fatal("the same inputs drew a different box")
	}
	lines[1] = "changed"
	b := fm.box(boxServer, st, r, "Server", "", lines, false, false)
	if !strings.Contains(b, "changed") || strings.Contains(b, "second") {
		t.Fatalf("a line changed in place was not drawn:\n%s", b)
	}
	if c := fm.box(boxServer, st, r, "Server", "", lines, true, false); c == b {
		t.Fatal("the focus changed and the border did not")
	}
	if c := fm.box(boxServer, st, r, "Wire view #3", "", lines, true, false); !strings.Contains(c, "Wire view #3") {
		t.Fatalf("a new title was not drawn:\n%s", c)
	}
	if c := fm.box(boxServer, st, r, "Wire view #3", "faults on", lines, true, false); !strings.Contains(c, "faults on") {
		t.Fatalf("a new note was not drawn:\n%s", c)
	}
	wide := rect{W: 40, H: 4}
	if c := fm.box(boxServer, st, wide, "Wire view #3", "faults on", lines, true, false); c != st.drawBox(wide, "Wire view #3", "faults on", lines, true, false) {
		t.Fatalf("a wider box kept the old border:\n%s", c)
	}

	body := fm.join(true, "L\nC", "", "S\nS", "footer")
	if got := fm.join(true, "L\nC", "", "S\nS", "footer"); got != body {
		t.Fatal("the same parts joined differently")
	}
	if got := fm.join(true, "L\nC", "", "S\nS", "flash"); !strings.HasSuffix(got, "flash") {
		t.Fatalf("a new footer was not drawn: %q", got)
	}
}

// The screen shows a change that arrives between two Views (the log grows
// under a repeat) and the same frame when nothing changed.
func TestViewShowsEachChangeAndReusesAnUnchangedFrame(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	first := d.m.View().Content
	if again := d.m.View().Content; again != first {
		t.Fatal("two Views with nothing between them differ")
	}
	d.keys("e", "ctrl+l")
	d.typeLine(`PUT /accounts/42 {"balance":100}`)
	d.keys("enter")
	if d.m.View().Content == first {
		t.Fatal("the frame after a request is the frame before it")
	}
	d.mustContain("200 OK")
}

// join lays the boxes out as the plain joins of their lines would: side by
// side the lesson over the request on the left, the server on the right,
// row by row; stacked one under the other; the footer last.
func TestJoinIsTheBoxesRowByRow(t *testing.T) {
	block := rapid.StringMatching(`(|[a-z]{1,3})(\n(|[a-z]{1,3})){0,4}`)
	rapid.Check(t, func(t *rapid.T) {
		lesson, comp, srv, footer := block.Draw(t, "lesson"), block.Draw(t, "comp"), block.Draw(t, "srv"), block.Draw(t, "footer")
		side := rapid.Bool().Draw(t, "side")
		want := lesson + "\n" + comp + "\n" + srv + "\n" + footer
		if side {
			left := strings.Split(lesson+"\n"+comp, "\n")
			right := strings.Split(srv, "\n")
			rows := make([]string, max(len(left), len(right)))
			for i := range rows {
				if i < len(left) {
					rows[i] += left[i]
				}
				if i < len(right) {
					rows[i] += right[i]
				}
			}
			want = strings.Join(rows, "\n") + "\n" + footer
		}
		var fm frameMemo
		if got := fm.join(side, lesson, comp, srv, footer); got != want {
			t.Fatalf("join(%v, %q, %q, %q, %q) = %q, want %q", side, lesson, comp, srv, footer, got, want)
		}
	})
}
