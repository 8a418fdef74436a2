package classroom

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTheInputGuardLetsATerminalsInputThrough(t *testing.T) {
	osc := "\x1b]11;rgb:0000/0000/0000\x1b\\"
	cases := map[string]string{
		"typing and keys":          "GET /flights\r\x1b[A\x1b[B\x1bOP\x1b[1;5C\x7f",
		"a terminal's answers":     osc + "\x1b]10;rgb:ffff/ffff/ffff\a\x1b[?62;22c\x1bP>|xterm(390)\x1b\\\x1b[?2004;1$y",
		"wide text":                strings.Repeat("名前😀é", 5000),
		"a paste under the bound":  "\x1b[200~" + strings.Repeat(`{"bal":1}`+"\n", 20000) + "\x1b[201~",
		"pastes one after another": strings.Repeat("\x1b[200~"+strings.Repeat("a", 200<<10)+"\x1b[201~x", 3),
		"8-bit sequences":          "\x9b1;5C\x9d11;rgb:0/0/0\x9c\x90>|x\x9c\x8fP",
		"OSCs the reader decodes":  "\x1b]0;t\a\x1b]0\a\x1b]\a\x1b]12a;\a\x1b]0;;\a\x1b]0;\x18" + strings.Repeat("k", 48<<10),
		"mouse reports, then keys": "\x1b[<0;10;20M\x1b[<0;10;20m\x1b[M #!\x1b[M\xe0\xff\xc3" + strings.Repeat("k", 48<<10),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			var g inputGuard
			now := time.Now()
			for chunk := range chunks([]byte(in), 4096) {
				if what := g.feed(chunk, now); what != "" {
					t.Fatalf("refused: %s", what)
				}
			}
			if g.held || g.heldLen > 0 {
				t.Fatalf("the guard counts %d bytes as held by the reader", g.heldLen)
			}
		})
	}
}

func TestTheInputGuardStopsWhatTheReaderWouldHoldForever(t *testing.T) {
	big := func(n int) string { return strings.Repeat("r", n) }
	cases := []struct {
		name, in, want string
	}{
		{"an unfinished paste", "\x1b[200~" + big(maxPasteBytes), "paste"},
		{"a paste of 300 KB", "\x1b[200~" + big(300_000) + "\x1b[201~", "paste"},
		{"a paste whose end marker is broken", "\x1b[200~x\x1b[202~" + big(maxPasteBytes), "paste"},
		{"an unfinished OSC", "\x1b]11;" + big(maxSequenceBytes), "escape sequence"},
		{"an unfinished 8-bit OSC", "\x9d11;" + big(maxSequenceBytes), "escape sequence"},
		{"an unfinished DCS", "\x1bP" + big(maxSequenceBytes), "escape sequence"},
		{"a DCS that BEL does not end", "\x1bP" + strings.Repeat(big(1000)+"\a", maxSequenceBytes/1000+1), "escape sequence"},
		{"an unfinished APC", "\x1b_" + big(maxSequenceBytes), "escape sequence"},
		{"a CSI of endless parameters", "\x1b[" + strings.Repeat("1", maxSequenceBytes), "escape sequence"},
		{"keys behind a broken CSI", "\x1b[\x01" + big(maxSequenceBytes), "escape sequence"},
		{"keys behind alt+key", "\x1ba" + big(maxSequenceBytes), "escape sequence"},
		{"keys behind invalid UTF-8", "\xff" + big(maxSequenceBytes), "escape sequence"},
		{"an OSC inside a paste", "\x1b[200~\x1b]" + big(maxSequenceBytes), "escape sequence"},
		{"a paste that starts again inside", "\x1b[200~" + big(maxPasteBytes/2) + "\x1b[200~" + big(maxPasteBytes/2), "paste"},
		{"a paste marker with leading zeros and more parameters", "\x1b[00200;5~" + big(maxPasteBytes), "paste"},
		{"an 8-bit paste marker", "\x9b200~" + big(maxPasteBytes), "paste"},
		{"an end marker inside an X10 mouse report", "\x1b[200~\x1b[M\x1b[201~" + big(maxPasteBytes), "paste"},
		{"keys behind a CSI of too many parameters", "\x1b[" + strings.Repeat(";", 40) + "x" + big(maxSequenceBytes), "escape sequence"},
		{"keys behind a DCS whose header never ends", "\x1bP\x01\x1b\\" + big(maxSequenceBytes), "escape sequence"},
		{"keys behind a cancelled string", "\x1b]\x1bx" + big(maxSequenceBytes), "escape sequence"},
		{"keys behind an OSC with empty data", "\x1b]0;\a" + big(maxSequenceBytes), "escape sequence"},
		{"keys behind an OSC of only a separator", "\x1b];\x1b\\" + big(maxSequenceBytes), "escape sequence"},
		{"keys behind an 8-bit OSC with empty data", "\x9d01;\x9c" + big(maxSequenceBytes), "escape sequence"},
		{"more keys at once than anyone types", strings.Repeat("abc", keyBurst/3+1), "keys at once"},
		{"megabytes of pastes at once", strings.Repeat("\x1b[200~"+big(maxPasteBytes/2)+"\x1b[201~", 2*inputBurst/maxPasteBytes+1), "input at once"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var g inputGuard
			now := time.Now()
			got := ""
			for chunk := range chunks([]byte(tc.in+"r"), 4096) {
				if got = g.feed(chunk, now); got != "" {
					break
				}
			}
			if !strings.Contains(got, tc.want) {
				t.Fatalf("feed said %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInputFasterThanATerminalSendsIsRefusedAndTypingIsNot(t *testing.T) {
	var g inputGuard
	now := time.Now()
	keys := []byte(strings.Repeat("k", 512))
	for range 10 * 3600 { // ten hours of 512 bytes a second
		if what := g.feed(keys, now); what != "" {
			t.Fatalf("steady typing refused: %s", what)
		}
		now = now.Add(time.Second)
	}
	for _, r := range wheel(10 * time.Minute) {
		now = now.Add(r.after)
		if what := g.feed([]byte(r.in), now); what != "" {
			t.Fatalf("ten minutes of the mouse wheel refused: %s", what)
		}
	}
	flood := []byte(strings.Repeat("k", 8<<10))
	for i := 0; ; i++ {
		if what := g.feed(flood, now); what != "" {
			if !strings.Contains(what, "a second") {
				t.Fatalf("refused for %q", what)
			}
			break
		}
		if i > 1000 {
			t.Fatal("8 KiB a second for 1000 s was never refused")
		}
		now = now.Add(time.Second)
	}
}

func TestAPauseEndsWhatTheReaderGaveUpOnButNotAPaste(t *testing.T) {
	var g inputGuard
	now := time.Now()
	half := []byte("\x1b]11;" + strings.Repeat("r", maxSequenceBytes/2))
	for range 4 { // the reader shows each half as keys after the pause
		if what := g.feed(half, now); what != "" {
			t.Fatalf("refused after a pause: %s", what)
		}
		now = now.Add(max(inputPause, time.Duration(len(half)/keyPerSecond+1)*time.Second))
	}

	g = inputGuard{}
	part := []byte(strings.Repeat("a", maxPasteBytes/2))
	g.feed([]byte("\x1b[200~"), now)
	what := ""
	for i := 0; i < 3 && what == ""; i++ {
		now = now.Add(inputPause)
		what = g.feed(part, now)
	}
	if !strings.Contains(what, "paste") {
		t.Fatalf("a paste fed with pauses was never refused (%q)", what)
	}
}

// chunks cuts b into pieces of n bytes.
func chunks(b []byte, n int) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for len(b) > 0 {
			k := min(n, len(b))
			if !yield(b[:k]) {
				return
			}
			b = b[k:]
		}
	}
}

// lockedBuffer is a log the test reads while the classroom writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestAnEndlessPasteOrSequenceEndsThatSessionAndTheRoomGoesOn(t *testing.T) {
	for name, start := range map[string]string{
		"paste":    "\x1b[200~",
		"sequence": "\x1b]11;",
	} {
		t.Run(name, func(t *testing.T) {
			var log lockedBuffer
			c := startClassroom(t, Config{Log: &log})
			grace := open(t, dial(t, c, "grace", nil), "", 120, 40)
			grace.waitFor("Meet the server")
			mallory := open(t, dial(t, c, "mallory", nil), "", 120, 40)
			mallory.waitFor("Meet the server")

			// Four times the bound, never finished; the writer stops when
			// the session is gone.
			go func() {
				chunk := []byte(strings.Repeat("A", 32<<10))
				if _, err := io.WriteString(mallory.in, start); err != nil {
					return
				}
				for sent := 0; sent < 4*maxPasteBytes; sent += len(chunk) {
					if _, err := mallory.in.Write(chunk); err != nil {
						return
					}
				}
			}()
			mallory.waitOutput(tooMuchInputText)
			if !strings.Contains(mallory.output(), "\x1b[?1049l") {
				t.Error("the ended session did not leave the alternate screen")
			}
			eventually(t, "the instructor's log says why", func() bool {
				return strings.Contains(log.String(), `ended a session of "mallory"`)
			})

			grace.passFirstStep()
			rows := c.room.Roster()
			for _, r := range rows {
				if r.Name == "mallory" && r.Online {
					t.Errorf("mallory's seat is still taken: %+v", r)
				}
			}
		})
	}
}

func TestAPasteHoldingBrokenBytesStillEndsAtItsMarker(t *testing.T) {
	var g inputGuard
	now := time.Now()
	// A lone ESC and invalid UTF-8 in the pasted text: the reader holds
	// them until a pause, then reads on and meets the end marker.
	if what := g.feed([]byte("\x1b[200~a\x1bxb\xffc\x1b[201~"), now); what != "" {
		t.Fatalf("refused: %s", what)
	}
	typing := []byte(strings.Repeat("a", keyPerSecond/2))
	for range 2 * maxPasteBytes / len(typing) {
		now = now.Add(inputPause)
		if what := g.feed(typing, now); what != "" {
			t.Fatalf("typing after the paste was refused: %s", what)
		}
	}
}

// timedRead is input read after a pause.
type timedRead struct {
	after time.Duration
	in    string
}

// feedTimed feeds the reads as they come, each in pieces of at most 4 KiB a
// millisecond apart, and returns what the guard refused, or "".
func feedTimed(g *inputGuard, reads []timedRead) string {
	now := time.Now()
	for _, r := range reads {
		now = now.Add(r.after)
		for chunk := range chunks([]byte(r.in), 4096) {
			if what := g.feed(chunk, now); what != "" {
				return what
			}
			now = now.Add(time.Millisecond)
		}
	}
	return ""
}

// wheel is a mouse wheel turned for d, 125 notches a second, each read
// as it comes.
func wheel(d time.Duration) []timedRead {
	var reads []timedRead
	for i := range int(d / (8 * time.Millisecond)) {
		reads = append(reads, timedRead{8 * time.Millisecond, fmt.Sprintf("\x1b[<%d;%d;%dM", 64+i%2, 80+i%40, 20+i%10)})
	}
	return reads
}

func TestAnEscPressedAloneHoldsNothingAfterIt(t *testing.T) {
	body := `{"items": [` + strings.Repeat(`{"id": 1, "label": "item number 1 with some text", "ok": true}, `, 1600) + `{}]}`
	cases := map[string][]timedRead{
		"Esc, Tab, then a paste of a 100 KB body": {
			{0, "\x1b"}, {300 * time.Millisecond, "\t"}, {400 * time.Millisecond, "\x1b[200~" + body + "\x1b[201~"},
		},
		"Esc, j, then the wheel for 50 s": append([]timedRead{
			{0, "\x1b"}, {200 * time.Millisecond, "j"}}, wheel(50*time.Second)...),
		"Esc just past the reader's wait, then keys": {
			{0, "\x1b"}, {escTimeout, "j" + strings.Repeat("k", maxSequenceBytes)},
		},
	}
	for name, reads := range cases {
		t.Run(name, func(t *testing.T) {
			if what := feedTimed(&inputGuard{}, reads); what != "" {
				t.Fatalf("refused: %s", what)
			}
		})
	}

	// Within the reader's wait, ESC and the next byte are an alt+key, and
	// the reader holds what follows until a pause.
	reads := []timedRead{{0, "\x1b"}, {escTimeout / 2, "j" + strings.Repeat("k", maxSequenceBytes)}}
	if what := feedTimed(&inputGuard{}, reads); !strings.Contains(what, "escape sequence") {
		t.Fatalf("keys behind an alt+key in two reads: feed said %q", what)
	}
}

// A learner leaves the notice with Esc, moves to the composer with Tab and
// pastes a body: their session goes on.
func TestEscTabAndAPasteKeepTheSessionOpen(t *testing.T) {
	c := startClassroom(t, Config{})
	ada := open(t, dial(t, c, "ada", nil), "", 120, 40)
	ada.waitFor("Meet the server")
	ada.keys("\x1b")
	time.Sleep(300 * time.Millisecond)
	ada.keys("\t")
	time.Sleep(400 * time.Millisecond)
	body := `{"items": [` + strings.Repeat(`{"id": 1, "label": "item number 1 with some text", "ok": true}, `, 1600) + `{}]}`
	ada.keys("\x1b[200~" + body + "\x1b[201~")
	time.Sleep(time.Second)
	select {
	case <-ada.done:
		t.Fatalf("the session ended (it said %t)", strings.Contains(ada.output(), tooMuchInputText))
	default:
	}
	ada.waitFor("Meet the server", `"label": "item number 1`)
}

func TestKeysAsFastAsTheConnectionGoesAreRefusedAndAPasteIsNot(t *testing.T) {
	// 32 KiB of plain text every 2 ms: each byte a key event, an update
	// and a frame.
	var g inputGuard
	now := time.Now()
	keys := []byte(strings.Repeat("a", 32<<10))
	what := ""
	sent := 0
	for ; what == "" && sent < 4<<20; sent += len(keys) {
		what = g.feed(keys, now)
		now = now.Add(2 * time.Millisecond)
	}
	if !strings.Contains(what, "keys at once") || sent > 2*keyBurst+len(keys) {
		t.Fatalf("after %d bytes of keys the guard said %q", sent, what)
	}

	// The same text pasted is one event: taken.
	g = inputGuard{}
	paste := "\x1b[200~" + strings.Repeat("a", maxPasteBytes-8) + "\x1b[201~"
	for chunk := range chunks([]byte(paste), 32<<10) {
		if what := g.feed(chunk, now); what != "" {
			t.Fatalf("a paste of %d bytes refused: %s", len(paste), what)
		}
		now = now.Add(2 * time.Millisecond)
	}
}
