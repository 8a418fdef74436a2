package present

import (
	"bytes"
	"context"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// TestRecordingIsAsciicastAndReplaysToTheSameScreen records a presenter
// that sends a step, parses the file as asciicast v2 and checks that its
// output events are, byte for byte, what the terminal was sent.
func TestRecordingIsAsciicastAndReplaysToTheSameScreen(t *testing.T) {
	const w, h = 80, 24
	sess := newSandbox(t)
	demo := builtinDemo(t, "two-tellers")
	var cast, screen bytes.Buffer
	final, err := run(context.Background(), Options{
		Session: sess, Demo: demo, Record: &cast, Output: &screen, Width: w, Height: h,
		Options: []tea.ProgramOption{tea.WithInput(nil), tea.WithWindowSize(w, h), tea.WithEnvironment([]string{"TERM=xterm-256color"})},
		started: func(p *tea.Program) {
			go func() {
				// Let the first frame come before the keys: a q that
				// arrives first ends the program before anything is drawn.
				time.Sleep(300 * time.Millisecond)
				p.Send(keyPress("space"))
				p.Send(keyPress("space"))
				p.Send(keyPress("q"))
			}()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	hd, evs, err := ReadCast(bytes.NewReader(cast.Bytes()))
	if err != nil {
		t.Fatalf("not asciicast v2: %v\n%s", err, cast.String())
	}
	if hd.Version != 2 || hd.Width != w || hd.Height != h || len(evs) == 0 {
		t.Fatalf("header %+v, %d events", hd, len(evs))
	}
	var out strings.Builder
	for _, ev := range evs {
		if ev.Code == "o" {
			out.WriteString(ev.Data)
		}
	}
	if out.String() != screen.String() {
		t.Errorf("the recording's output (%d bytes) differs from what the terminal got (%d bytes)", out.Len(), screen.Len())
	}
	want := ansi.Strip(final)
	if !strings.Contains(want, "Two tellers and If-Match") {
		t.Errorf("the last frame is not the presenter:\n%s", want)
	}
}

// TestReadCastRefusesBrokenFiles says which line is wrong.
func TestReadCastRefusesBrokenFiles(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "no header"},
		{`{"version":1,"width":80,"height":24}`, "version 1"},
		{"{\"version\":2,\"width\":80,\"height\":24}\n[1,\"o\"]", "line 2"},
		{"{\"version\":2,\"width\":80,\"height\":24}\n[2,\"o\",\"a\"]\n[1,\"o\",\"b\"]", "goes back"},
	} {
		if _, _, err := ReadCast(strings.NewReader(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadCast(%q) = %v, want %q", c.in, err, c.want)
		}
	}
}

// FuzzParseDemo: any text is a demo or a file:line error; never a panic,
// and every step of a demo has a line and a kind.
func FuzzParseDemo(f *testing.F) {
	for _, name := range Builtin() {
		src, _ := builtin.ReadFile("demos/" + name + ".txt")
		f.Add(src)
	}
	f.Add([]byte("faults\nretry sometimes\nundo now\n#> x\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := ParseDemo("f.txt", src)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.txt") {
				t.Errorf("error without the file name: %v", err)
			}
			return
		}
		for _, s := range d.Steps {
			if s.Line < 1 || s.Kind == 0 || s.Text == "" {
				t.Errorf("step %+v", s)
			}
		}
	})
}

// TestRecorderKeepsCharactersWholeAndRecordsResizes: a character split
// across two writes is one event's text, a resize is an "r" event, and
// times only go forward.
func TestRecorderKeepsCharactersWholeAndRecordsResizes(t *testing.T) {
	var term, cast bytes.Buffer
	tick := 0
	clock := func() time.Time { tick++; return time.Unix(1000, 0).Add(time.Duration(tick) * 100 * time.Millisecond) }
	r, err := NewRecorder(&term, &cast, 80, 24, "t", clock)
	if err != nil {
		t.Fatal(err)
	}
	block := []byte("█")
	_, _ = r.Write([]byte("a"))
	_, _ = r.Write(block[:1])
	_, _ = r.Write(append(block[1:], 'b'))
	r.Resize(100, 30)
	if term.String() != "a█b" {
		t.Errorf("the terminal got %q", term.String())
	}
	hd, evs, err := ReadCast(&cast)
	if err != nil {
		t.Fatal(err)
	}
	if hd.Width != 80 || hd.Height != 24 || hd.Title != "t" {
		t.Errorf("header %+v", hd)
	}
	var got []string
	for _, ev := range evs {
		got = append(got, ev.Code+":"+ev.Data)
	}
	if strings.Join(got, "|") != "o:a|o:█b|r:100x30" {
		t.Errorf("events %q", got)
	}
}

// TestLightAndDarkBackgroundsGetTheirOwnHighContrastText: the terminal's
// answer picks near-black text on light and near-white on dark.
func TestLightAndDarkBackgroundsGetTheirOwnHighContrastText(t *testing.T) {
	d := newDriver(t, builtinDemo(t, "put-vs-post"), 80, 24)
	d.m.mono = false
	d.send(tea.BackgroundColorMsg{Color: color.White})
	light := d.m.Screen()
	d.send(tea.BackgroundColorMsg{Color: color.Black})
	dark := d.m.Screen()
	if !strings.Contains(light, "38;2;0;0;0") || strings.Contains(light, "38;2;255;255;255") {
		t.Error("on a light background the text is not black")
	}
	if !strings.Contains(dark, "38;2;255;255;255") {
		t.Error("on a dark background the text is not white")
	}
}
