package tui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unsafe"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// fromNetwork sends a request to the driver's sim as a client of --listen
// would, then lets the screen take in the event.
func (d *driver) fromNetwork(method, target, body string, header ...string) int {
	d.t.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	d.srv.ServeHTTP(w, r)
	d.sess.Sync() // the session reads it now, not when its goroutine gets to it
	d.send(pokeMsg{})
	return w.Code
}

// pokeMsg means nothing to the Model; sending it lets the driver deliver
// the sim's new events.
type pokeMsg struct{}

// mustShowNothingRaw fails unless the frame's only escape sequences are the
// screen's own styling (attributes: the driver runs without colours).
func (d *driver) mustShowNothingRaw(what string) {
	d.t.Helper()
	if err := termsafe.CheckStyled(d.m.View().Content, termsafe.Attributes); err != nil {
		d.t.Fatalf("%s: %v\n%s", what, err, d.screen())
	}
}

// The OSC 8 link, colour, blinking and hidden text in JSON field
// names: change lines, the chart title and the wire view's state changes.
func TestEscapeSequencesInFieldNamesAreShownEscaped(t *testing.T) {
	link := "\x1b]8;;https://evil.example\x07CLICKME\x1b]8;;\x07"
	d := newDriver(t, 160, 50, testOpts{sandbox: true})
	body := func(n int) string {
		return `{"balance":` + string(rune('0'+n)) + `,"\u001b]8;;https://evil.example\u0007CLICKME\u001b]8;;\u0007":` + string(rune('0'+n)) +
			`,"\u001b[31mred\u001b[5mblink\u001b[8mhidden":"x` + string(rune('0'+n)) + `"}`
	}
	if code := d.fromNetwork("PUT", "/accounts/42", body(1)); code != http.StatusOK {
		t.Fatalf("PUT = %d", code)
	}
	d.fromNetwork("PUT", "/accounts/42", body(2))
	d.mustShowNothingRaw("change lines")
	d.mustContain(termsafe.String(link)[:40], `\x1b[31mred`)

	// The chart can plot the field with the link in its name.
	for range 4 {
		if strings.Contains(d.srv0ChartLabel(), "CLICKME") {
			break
		}
		d.keys("c")
	}
	if !strings.Contains(d.srv0ChartLabel(), "CLICKME") {
		t.Fatalf("no chart of the hostile field; label %q", d.srv0ChartLabel())
	}
	d.mustShowNothingRaw("chart title")
	d.mustContain(`\x1b]8;;https://evil.example\x07CLICKME`)

	d.keys("w")
	if d.m.srv.wire == nil {
		t.Fatal("the wire view did not open")
	}
	d.mustShowNothingRaw("wire view")
	d.mustContain("state changes", `\x1b[31mred\x1b[5mblink\x1b[8mhidden`)
}

func (d *driver) srv0ChartLabel() string { return d.m.srv.series.Spec.Label() }

// C1 controls, a bidi override, zero-width characters and invalid UTF-8 in
// URL paths and JSON string values.
func TestInvisibleAndReorderingCharactersAreShownEscaped(t *testing.T) {
	d := newDriver(t, 160, 50, testOpts{sandbox: true})
	if code := d.fromNetwork("PUT", "/flights/evil", `{"status":"abc\u202edcba\u200b\u0085x\u009b31m"}`); code != http.StatusCreated {
		t.Fatalf("PUT = %d", code)
	}
	d.fromNetwork("GET", "/accounts/\xff\xfe\u202e\u200b%C2%9B", "")
	d.fromNetwork("GET", "/flights/%E2%80%AEevil%C2%9B2J%E2%80%8B", "")
	d.mustShowNothingRaw("log and resources")
	d.mustContain(`\u202e`, `\u200b`, `\u009b`)
	d.keys("w")
	d.mustShowNothingRaw("wire view")
	// A log row keeps its border whatever the path held.
	for _, ln := range strings.Split(d.screen(), "\n") {
		if w := len([]rune(ln)); w > 160 {
			t.Fatalf("a line of %d cells in a 160-cell screen: %q", w, ln)
		}
	}
}

// A flood of 60 KB targets and headers: the screen's log keeps what it can
// show, bounded by bytes, and a frame draws no more than that.
func TestAFloodOfLongTargetsKeepsTheLogBoundedByBytes(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	long := "/accounts/42?" + strings.Repeat("q", 60<<10)
	pad := strings.Repeat("h", 60<<10)
	for range 600 {
		r := httptest.NewRequest("GET", long, nil)
		r.Header.Set("X-Pad", pad)
		d.srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	d.sess.Sync()
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40}) // the driver then reads the updates
	if d.m.srv.logBytes > maxLogBytes || len(d.m.srv.log) == 0 {
		t.Fatalf("the log holds %d entries of %d bytes; the budget is %d", len(d.m.srv.log), d.m.srv.logBytes, maxLogBytes)
	}
	if last := d.m.srv.log[len(d.m.srv.log)-1].ev.Seq; last != d.srv.LastSeq() {
		t.Fatalf("the newest entry is #%d, want #%d", last, d.srv.LastSeq())
	}
	drawn := 0
	for _, e := range d.m.srv.log {
		if len(e.line) > 4<<10 {
			t.Fatalf("a log line of %d bytes was drawn", len(e.line))
		}
		if e.line != "" {
			drawn++
		}
	}
	if drawn == 0 || drawn > 40 {
		t.Fatalf("%d log lines drawn for a 40-line screen", drawn)
	}
	d.mustShowNothingRaw("flood")
}

// A flood of 100 KB bodies from the network: the server stores what fits
// its budget and answers the rest 507; the screen's log keeps a row for
// every exchange, the newest whole and the older ones with their bodies
// cut, and the wire view of an older one says what was left out.
func TestAFloodOfLargeBodiesIsRefusedWith507AndTheLogCutsOldBodies(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	body := `{"name":"` + strings.Repeat("x", 100<<10) + `"}`
	codes := map[int]int{}
	for i := range 400 {
		if i%20 == 0 { // the screen reads as it goes, as it does over --listen
			d.sess.Sync()
			d.send(pokeMsg{})
		}
		// Each its own row: a run of repeats keeps only its first and newest.
		r := httptest.NewRequest("POST", fmt.Sprintf("/customers?n=%d", i), strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		d.srv.ServeHTTP(w, r)
		codes[w.Code]++
		if w.Code == http.StatusInsufficientStorage && codes[w.Code] == 1 {
			if !strings.Contains(w.Body.String(), "storing this would take the server's stored JSON to ") || !strings.Contains(w.Body.String(), "KiB, past its limit of 16 MiB: nothing was stored") {
				t.Errorf("the first 507 says %s", w.Body)
			}
		}
	}
	if codes[http.StatusCreated] < 100 || codes[http.StatusCreated] > 170 || codes[http.StatusInsufficientStorage] == 0 {
		t.Fatalf("answers %v: want about 16 MiB of 100 KB customers created, the rest 507", codes)
	}
	d.sess.Sync()
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	p := &d.m.srv
	if p.logEvents != 400 {
		t.Fatalf("the log counts %d exchanges, want all 400", p.logEvents)
	}
	if whole := p.logBytes - p.slimSize; whole > maxLogBytes+300<<10 || p.logBytes > maxSlimLogBytes {
		t.Fatalf("the log holds %d bytes, %d of them whole; the budgets are %d and %d", p.logBytes, whole, maxSlimLogBytes, maxLogBytes)
	}
	if held := heldLogBytes(p); held != p.logBytes {
		t.Fatalf("the log's events take %d bytes; it counts %d", held, p.logBytes)
	}
	d.mustContain("507 Insufficient Storage")
	d.keys("w") // the newest exchange is whole
	d.mustContain("Wire view #400", "POST /customers?n=399 HTTP/1.1")
	d.mustNotContain("The screen keeps the first")
	d.keys("esc", "home", "w") // the oldest has its bodies cut, and says so
	d.mustContain("Wire view #1 ", "POST /customers?n=0 HTTP/1.1", "The screen keeps the first 2.0 KiB of each body of older", "left out 98.0 KiB of the request's", "Content-Length: 102411")
	d.mustShowNothingRaw("wire view")
}

// heldLogBytes adds up the sizes of the events the log holds, a first
// event once when it is the entry's newest one too: the same request body
// (every request of the test that uses it has one).
func heldLogBytes(p *serverPane) int {
	n := 0
	for _, e := range p.log {
		n += e.ev.Size()
		if unsafe.SliceData(e.first.Request.Body) != unsafe.SliceData(e.ev.Request.Body) {
			n += e.first.Size()
		}
	}
	return n
}

func TestNewestEventsSinceLeavesOutOnlyTheOlderOnes(t *testing.T) {
	srv := sim.New(sim.Options{})
	for range 10 {
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/accounts/42", nil))
	}
	evs, skipped := srv.NewestEventsSince(3, 4)
	if len(evs) != 4 || evs[0].Seq != 7 || skipped != 3 {
		t.Fatalf("%d events from #%d, %d skipped; want 4 from #7, 3 skipped", len(evs), evs[0].Seq, skipped)
	}
}

// FuzzEveryDisplayPathShowsOutsideTextEscaped sends arbitrary bytes as a
// path, a body and a header from the network and checks every view of them:
// the full screen (log, resources, change lines, chart, wire view) and the
// one-line summaries line mode and serve print.
func FuzzEveryDisplayPathShowsOutsideTextEscaped(f *testing.F) {
	f.Add("accounts/42", `{"balance":5}`, "x")
	f.Add("customers/%1b%5b2J\u202e", `{"\u001b]8;;x\u0007":"\u009b","n":1}`, "\x1b[5m")
	f.Add("\xff\xfe", `{"name":"\xff\u200b"}`, "\u2066")
	f.Fuzz(func(t *testing.T, path, body, header string) {
		d := newDriver(t, 100, 40, testOpts{sandbox: true})
		for _, m := range []string{"PUT", "POST", "GET", "PATCH"} {
			r, err := http.NewRequest(m, "http://127.0.0.1:8080/", strings.NewReader(body))
			if err != nil {
				return
			}
			r.URL.Path = "/" + path
			r.RemoteAddr = "127.0.0.1:5555"
			r.Header.Set("Content-Type", "application/json")
			r.Header["X-F"] = []string{header}
			d.srv.ServeHTTP(httptest.NewRecorder(), r)
		}
		d.sess.Sync()
		d.send(tea.WindowSizeMsg{Width: 100, Height: 40})
		d.mustShowNothingRaw("full screen")
		d.keys("c")
		d.mustShowNothingRaw("chart")
		d.keys("w")
		d.mustShowNothingRaw("wire view")
		for _, ev := range d.srv.EventsSince(0) {
			for _, s := range []string{ev.Summary(), sim.ExchangeLine(ev), ev.Request.Wire(true), ev.Response.Wire(false)} {
				if err := termsafe.CheckStyled(s, termsafe.Attributes); err != nil {
					t.Fatalf("%v", err)
				}
			}
		}
	})
}

// TestTheCopyBoxShowsAHostileExchangeEscaped: y on an exchange from the
// network puts the exact command on the clipboard and shows it escaped.
func TestTheCopyBoxShowsAHostileExchangeEscaped(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	d.fromNetwork("PUT", "/accounts/42", "{\"balance\":1,\"\x1b]0;pwned\x07\":2}")
	d.keys("y")
	if !strings.Contains(d.clipboard, "\x1b]0;pwned\x07") {
		t.Errorf("the clipboard does not hold the exchange as sent: %q", d.clipboard)
	}
	d.mustContain("Copied as curl", `\x1b]0;pwned\x07`)
	d.mustShowNothingRaw("copy box")
}

// Bidi controls, zero-width characters and a soft hyphen typed or pasted
// into the composer are shown as the escapes termsafe writes everywhere
// else — on the request line, in the form, in the status after sending —
// and sent exactly as typed; every row keeps its border.
func TestInvisibleCharactersInTheComposerAreShownAndSentAsTyped(t *testing.T) {
	body := "{\"bal\u202e\u200b\":1,\"x\u00ad\":\"a\u202cb\"}"
	line := "PUT /accounts/42 " + body
	for _, paste := range []bool{false, true} {
		t.Run(fmt.Sprintf("paste=%v", paste), func(t *testing.T) {
			d := newDriver(t, 120, 40, testOpts{sandbox: true})
			d.keys("e", "ctrl+l")
			if paste {
				d.send(tea.PasteMsg{Content: line})
			} else {
				d.typeLine(line)
			}
			check := func(what string, want ...string) {
				t.Helper()
				d.mustShowNothingRaw(what)
				s := d.screen()
				if strings.ContainsAny(s, "\u202e\u202c\u200b\u00ad") {
					t.Fatalf("%s: an invisible character reaches the terminal:\n%s", what, s)
				}
				for i, ln := range strings.Split(s, "\n") {
					if w := ansi.StringWidth(ln); w != 120 {
						t.Fatalf("%s: row %d is %d cells wide, not 120: %q", what, i, w, ln)
					}
				}
				d.mustContain(want...)
			}
			check("typed", `{"bal\u202e\u200b":1,"x\u00ad":"a\u202cb"}`)
			d.keys("home")
			check("the cursor at the start", `› PUT /accounts/42 {"bal\u202e\u200b":1,"x\u00ad":"a\u202…`)
			d.keys("ctrl+o")
			check("the form", `"bal\u202e\u200b": 1,`, `"x\u00ad": "a\u202cb"`)
			d.keys("ctrl+o", "enter")
			check("sent", "sent PUT /accounts/42 → 200 OK", `"bal\u202e\u200b"`)
			stored, _, _ := d.srv.Resource("/accounts/42")
			if !strings.Contains(string(stored), "\"bal\u202e\u200b\":1") || !strings.Contains(string(stored), "\"x\u00ad\":\"a\u202cb\"") {
				t.Fatalf("the server stored %q, not what was typed", stored)
			}
			d.keys("esc", "w")
			check("wire view", `\u202e`)
		})
	}
}
