package exchange

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// sendOne sends a request line through a server's real handler, times
// times, and returns the exchanges.
func send(t *testing.T, srv *sim.Server, l string, times int) []sim.Event {
	t.Helper()
	rl, err := request.Parse(l)
	if err != nil {
		t.Fatal(err)
	}
	c := srv.Client(sim.SourceComposer)
	before := srv.LastSeq()
	for range times {
		req, err := rl.NewRequest(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	return srv.EventsSince(before)
}

func sendOne(t *testing.T, srv *sim.Server, l string) sim.Event {
	t.Helper()
	evs := send(t, srv, l, 1)
	return evs[len(evs)-1]
}

func texts(ls []Line) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

func TestAnExchangeShowsTheHeadersThatTeachSpelledAsHTTPSpellsThem(t *testing.T) {
	s := sim.New(sim.Options{})
	x := Describe(sendOne(t, s, `POST /customers {"name":"Joe"}`))
	got := texts(x.Lines(80, 10, nil, 1))
	for _, want := range []string{"POST /customers → 201 Created", "Location: /customers/", "ETag: \"", "Content-Type: application/json", `"name":"Joe"`} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Etag") {
		t.Errorf("Go's spelling of ETag:\n%s", got)
	}
	x = Describe(sendOne(t, s, `DELETE /customers`))
	if got := texts(x.Lines(80, 10, nil, 1)); !strings.Contains(got, "405 Method Not Allowed") || !strings.Contains(got, "Allow: ") || !strings.Contains(got, "server says: ") {
		t.Errorf("a 405 without Allow or the server's words:\n%s", got)
	}
}

func TestALongErrorIsCutWithAnEllipsisAndNeverLosesTheStatus(t *testing.T) {
	s := sim.New(sim.Options{})
	x := Describe(sendOne(t, s, `PUT /accounts/42 {"balance":100} -H 'If-Match: "nope"'`))
	if x.Error == "" {
		t.Fatalf("no server explanation for %s", x.Status)
	}
	for _, h := range []int{1, 2, 3} {
		ls := x.Lines(40, h, nil, 1)
		if len(ls) > h {
			t.Fatalf("height %d: %d lines", h, len(ls))
		}
		if ls[0].Kind != LineStatus || !strings.Contains(ls[0].Text, "412") {
			t.Errorf("height %d: the first line is not the status: %q", h, ls[0].Text)
		}
		if h > 1 {
			if last := ls[len(ls)-1]; last.Kind != LineError || !strings.HasSuffix(last.Text, "…") {
				t.Errorf("height %d: the cut explanation does not end with …: %q", h, last.Text)
			}
		}
		for _, l := range ls {
			if w := len([]rune(l.Text)); w > 40 {
				t.Errorf("height %d: a line of %d cells: %q", h, w, l.Text)
			}
		}
	}
}

func TestARepeatShowsTheFirstAndTheLast(t *testing.T) {
	s := sim.New(sim.Options{})
	evs := send(t, s, `POST /accounts/42/interest {"rate":0.10}`, 3)
	first, last := Describe(evs[0]), Describe(evs[2])
	got := texts(last.Lines(100, 6, &first, 3))
	if !strings.Contains(got, "×3 → last: 201") || !strings.Contains(got, "first: 201") {
		t.Errorf("a repeat does not show its first and last:\n%s", got)
	}
}

func TestTheSenderOfANetworkRequestIsItsClientAndAddress(t *testing.T) {
	ev := sim.Event{Source: sim.SourceNetwork, Remote: "127.0.0.1:52144"}
	ev.Request.Header = map[string][]string{"User-Agent": {"curl/8.5.0"}}
	if got := Sender(ev); got != "curl 127.0.0.1:52144" {
		t.Errorf("Sender = %q", got)
	}
	ev.Request.Header["User-Agent"] = []string{"\x1b[31mevil/1"}
	if got := Sender(ev); strings.ContainsRune(got, 0x1b) {
		t.Errorf("a control character reached the sender's name: %q", got)
	}
	ev.Request.Header = nil
	if got := Sender(ev); got != "client 127.0.0.1:52144" {
		t.Errorf("Sender without a User-Agent = %q", got)
	}
}

// FuzzLinesFitTheirBox: whatever the server answered, the layout of an
// exchange stays within its width and height, and starts with the status.
func FuzzLinesFitTheirBox(f *testing.F) {
	f.Add(`{"error":"If-Match failed: /accounts/42 has changed"}`, "/customers/1", 40, 3)
	f.Add("\x1b[31mred\nline", "\x00\x07", 5, 1)
	f.Fuzz(func(t *testing.T, body, location string, width, height int) {
		width, height = width%200, height%20
		ev := sim.Event{Kind: sim.KindExchange, Request: sim.Message{Method: "PUT", Target: "/x"},
			Response: sim.Message{Status: 412, Header: map[string][]string{"Location": {location}}, Body: []byte(body)}}
		ls := Describe(ev).Lines(width, height, nil, 1)
		if width <= 0 || height <= 0 {
			if len(ls) != 0 {
				t.Fatalf("%d lines in a %dx%d box", len(ls), width, height)
			}
			return
		}
		if len(ls) > height || ls[0].Kind != LineStatus {
			t.Fatalf("%d lines in %d rows, first %v", len(ls), height, ls[0].Kind)
		}
		for _, l := range ls {
			if w := ansi.StringWidth(l.Text); w > width {
				t.Fatalf("a line of %d cells in %d: %q", w, width, l.Text)
			}
			if strings.ContainsAny(l.Text, "\x1b\x00\x07\n") {
				t.Fatalf("a control character reached the layout: %q", l.Text)
			}
		}
	})
}

func TestTheShortSenderFitsItsColumn(t *testing.T) {
	for _, tc := range []struct {
		source sim.Source
		ua     string
		want   string
	}{
		{sim.SourceNetwork, "curl/8.5.0", "curl"},
		{sim.SourceNetwork, "Go-http-client/1.1", "Go"},
		{sim.SourceNetwork, "Go-http-client/2.0", "Go"},
		{sim.SourceNetwork, "python-requests/2.31.0", "python"},
		{sim.SourceNetwork, "Wget/1.21.4", "Wget"},
		{sim.SourceNetwork, "Mozilla/5.0 (X11; Linux x86_64)", "Mozil…"},
		{sim.SourceNetwork, "", "client"},
		{sim.SourceLesson, "Go-http-client/1.1", "lesson"},
		{sim.SourceComposer, "", "you"},
	} {
		ev := sim.Event{Source: tc.source, Remote: "127.0.0.1:52144"}
		if tc.ua != "" {
			ev.Request.Header = map[string][]string{"User-Agent": {tc.ua}}
		}
		if got := ShortSender(ev, 6); got != tc.want {
			t.Errorf("ShortSender(%s, %q) = %q, want %q", tc.source, tc.ua, got, tc.want)
		}
		if got := ShortSender(ev, 6); ansi.StringWidth(got) > 6 {
			t.Errorf("ShortSender(%q) = %q is wider than 6 cells", tc.ua, got)
		}
	}
	ev := sim.Event{Source: sim.SourceNetwork, Remote: "127.0.0.1:52144"}
	ev.Request.Header = map[string][]string{"User-Agent": {"Go-http-client/1.1"}}
	if got := Sender(ev); got != "Go-http-client 127.0.0.1:52144" {
		t.Errorf("the full tag of a Go client is %q", got)
	}
}
