package sim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEveryExchangeIsAnEventWithChanges(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	sendTo(t, s, "GET", "/accounts/42", "")
	sendTo(t, s, "FROB", "/x", "")
	ev := s.EventsSince(0)
	if len(ev) != 4 {
		t.Fatalf("%d events", len(ev))
	}
	for i, e := range ev {
		if e.Seq != uint64(i+1) || !e.Time.Equal(defaultStart.Add(time.Duration(i)*time.Second)) || e.Source != SourceNetwork || e.Attempt != 1 {
			t.Errorf("event %d: %+v", i, e)
		}
	}
	if c := ev[0].Changes; len(c) != 1 || string(c[0].Before) != `{"balance":80.00}` || string(c[0].After) != `{"balance":100}` {
		t.Fatalf("first PUT changes %+v", c)
	}
	if c := ev[1].Changes; len(c) != 1 || string(c[0].Before) != string(c[0].After) {
		t.Fatalf("repeated PUT should touch the resource without changing it: %+v", c)
	}
	if len(ev[2].Changes) != 0 || ev[3].Response.Status != 501 {
		t.Fatalf("GET changed something or FROB: %+v", ev[2:])
	}
	if s.LastSeq() != 4 || len(s.EventsSince(2)) != 2 || len(s.EventsSince(4)) != 0 {
		t.Fatal("LastSeq/EventsSince disagree")
	}
}

func TestWithSourceLabelsTheEvent(t *testing.T) {
	s := New(Options{})
	r := clientRequest(t, "GET", "/", "")
	r = r.WithContext(WithSource(r.Context(), SourceLesson, 0))
	s.ServeHTTP(nopWriter{}, r)
	if e := s.EventsSince(0)[0]; e.Source != SourceLesson || e.Attempt != 1 || e.Remote != "" {
		t.Fatalf("%+v", e)
	}
}

func TestANeverReadFeedNeverBlocksTheServer(t *testing.T) {
	s := New(Options{})
	slow := s.Feed(0) // never read
	defer slow.Close()
	done := make(chan struct{})
	go func() {
		for range 50 {
			sendTo(t, s, "GET", "/", "")
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the server blocked on a feed")
	}
	if b := slow.Poll(); len(b.Events) != 50 || b.Missed != 0 || b.Events[0].Seq != 1 || b.Events[49].Seq != 50 {
		t.Fatalf("the late reader got %d events (%d missed)", len(b.Events), b.Missed)
	}
}

// TestFeedHandsOutEveryEventOnceInOrder reads a feed while another goroutine
// sends: every Seq arrives exactly once, in order, with none skipped.
func TestFeedHandsOutEveryEventOnceInOrder(t *testing.T) {
	s := New(Options{})
	sendTo(t, s, "GET", "/", "") // before the feed: not handed out
	f := s.Feed(s.LastSeq())
	defer f.Close()
	const n = 300
	go func() {
		for range n {
			sendTo(t, s, "PUT", "/accounts/42", `{"balance":1}`)
		}
	}()
	want := uint64(2)
	for want <= n+1 {
		b, err := f.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if b.Missed != 0 {
			t.Fatalf("missed %d", b.Missed)
		}
		for _, e := range b.Events {
			if e.Seq != want {
				t.Fatalf("got event %d, want %d", e.Seq, want)
			}
			want++
		}
	}
	if b := f.Poll(); len(b.Events) != 0 || f.Seq() != n+1 {
		t.Fatalf("after the last event: %d more, position %d", len(b.Events), f.Seq())
	}
}

func TestFeedCountsEventsTheLogDroppedBeforeItRead(t *testing.T) {
	s := New(Options{MaxEvents: 5})
	f := s.Feed(0)
	defer f.Close()
	for range 12 {
		sendTo(t, s, "GET", "/", "")
	}
	b := f.Poll()
	if b.Missed != 7 || len(b.Events) != 5 || b.Events[0].Seq != 8 {
		t.Fatalf("missed %d, got %d from %v", b.Missed, len(b.Events), b.Events)
	}
	if b := f.Poll(); b.Missed != 0 || len(b.Events) != 0 {
		t.Fatalf("a second read repeats: %+v", b)
	}
}

func TestClosedFeedEndsNext(t *testing.T) {
	s := New(Options{})
	f := s.Feed(0)
	f.Close()
	f.Close() // twice is fine
	if _, err := f.Next(context.Background()); !errors.Is(err, ErrFeedClosed) {
		t.Fatalf("Next after Close: %v", err)
	}
	sendTo(t, s, "GET", "/", "") // nothing signals a closed feed
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := s.Feed(s.LastSeq())
	defer g.Close()
	if _, err := g.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next with a cancelled context: %v", err)
	}
}

func TestOnlyMaxEventsAreKept(t *testing.T) {
	s := New(Options{MaxEvents: 5})
	for range 12 {
		sendTo(t, s, "GET", "/", "")
	}
	ev := s.EventsSince(0)
	if len(ev) != 5 || ev[0].Seq != 8 || ev[4].Seq != 12 {
		t.Fatalf("kept %d events from %d", len(ev), ev[0].Seq)
	}
}

type nopWriter struct{}

func (nopWriter) Header() http.Header         { return http.Header{} }
func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (nopWriter) WriteHeader(int)             {}

// TestPollBriefSaysWhatPollSays: the brief batch serve prints from has the
// same events, summaries and request lines as the full one.
func TestPollBriefSaysWhatPollSays(t *testing.T) {
	s := New(Options{})
	full, brief := s.Feed(0), s.Feed(0)
	defer full.Close()
	defer brief.Close()
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":100}`)
	sendTo(t, s, "GET", "/accounts/42", "")
	sendTo(t, s, "DELETE", "/accounts/42", "")
	fb, bb := full.Poll(), brief.PollBrief()
	if len(fb.Events) != 3 || len(bb.Events) != len(fb.Events) {
		t.Fatalf("full batch %d events, brief %d", len(fb.Events), len(bb.Events))
	}
	for i, e := range fb.Events {
		b := bb.Events[i]
		if b.Seq != e.Seq || b.Request.Method != e.Request.Method || b.Request.Target != e.Request.Target || b.Summary() != e.Summary() {
			t.Errorf("event %d: brief %d %s %s %q, full %d %s %s %q", i, b.Seq, b.Request.Method, b.Request.Target, b.Summary(), e.Seq, e.Request.Method, e.Request.Target, e.Summary())
		}
		if b.Request.Header != nil || b.Response.Header != nil || e.Response.Header == nil {
			t.Errorf("event %d: brief headers %v %v, full response headers %v", i, b.Request.Header, b.Response.Header, e.Response.Header)
		}
	}
}

// A feed reuses one buffer for the packed events it takes from the log; once
// a batch is handed out (Poll) or printed (serve's printer), the buffer must
// hold none of them, or it would keep alive events of megabytes that the log
// has dropped.
func TestAFeedKeepsNothingOfABatchItHandedOut(t *testing.T) {
	s := New(Options{})
	for range 5 {
		sendTo(t, s, "PUT", "/accounts/42", `{"balance":1}`)
	}
	empty := func(f *Feed) bool {
		for _, k := range f.taken[:cap(f.taken)] {
			if k.data != nil {
				return false
			}
		}
		return true
	}
	f := s.Feed(0)
	defer f.Close()
	if b := f.Poll(); len(b.Events) != 5 || !empty(f) {
		t.Errorf("after Poll of %d events, the feed's buffer still holds some", len(b.Events))
	}
	p := s.Feed(0)
	defer p.Close()
	q := newLineQueue(maxPrinterBytes)
	printFeed(p, q)
	if len(q.items) != 5 || !empty(p) {
		t.Errorf("after printing %d lines, the feed's buffer still holds events", len(q.items))
	}
}

// TestEachExchangeRecordsItsOwnChanges: the change list is built in one
// slice the server reuses, so an event must keep its own changes after later
// exchanges, an exchange that changes nothing records none, and Undo still
// reverts each write in turn.
func TestEachExchangeRecordsItsOwnChanges(t *testing.T) {
	s := New(Options{Fixture: "bank"})
	before := worldOf(s)
	sendTo(t, s, "PUT", "/accounts/42", `{"balance":7}`)
	mid := worldOf(s)
	sendTo(t, s, "PUT", "/accounts/77", `{"balance":8}`)
	sendTo(t, s, "GET", "/accounts/42", "")
	evs := s.EventsSince(0)
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	for i, want := range []string{"/accounts/42", "/accounts/77"} {
		c := evs[i].Changes
		if len(c) != 1 || c[0].Path != want {
			t.Fatalf("event %d records changes %+v, want one to %s", i+1, c, want)
		}
	}
	if evs[2].Changes != nil {
		t.Fatalf("the GET records changes %+v", evs[2].Changes)
	}
	if !s.Undo() || !sameWorld(worldOf(s), mid) {
		t.Fatal("the first Undo did not revert only the second PUT")
	}
	if !s.Undo() || !sameWorld(worldOf(s), before) {
		t.Fatal("the second Undo did not revert the first PUT")
	}
}

// TestALineQueueReusesItsSliceHoldingNoLine: the slice writeTo is done with
// becomes the one add fills next, emptied: every line is written once, in
// order, and no written or dropped line is held by the queue afterwards.
func TestALineQueueReusesItsSliceHoldingNoLine(t *testing.T) {
	q := newLineQueue(40) // room for five of these lines: the older are dropped
	var out strings.Builder
	for i := range 3 {
		q.add(uint64(i+1), fmt.Sprintf("line %03d", i+1))
	}
	q.close()
	q.writeTo(&out)
	for i := 3; i < 9; i++ { // after close, as Serve's last lines are
		q.add(uint64(i+1), fmt.Sprintf("line %03d", i+1))
	}
	q.writeTo(&out)
	want := "line 001\nline 002\nline 003\n… 1 exchange(s) not shown (#4–#4): the output was not read as fast as they came\nline 005\nline 006\nline 007\nline 008\nline 009\n"
	if out.String() != want {
		t.Fatalf("wrote\n%s\nwant\n%s", out.String(), want)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	back := q.items // taken from spare by writeTo's last look, or still there
	if cap(back) == 0 {
		back = q.spare
	}
	if cap(back) == 0 {
		t.Fatal("writeTo handed back no slice")
	}
	for i, it := range back[:cap(back)] {
		if it.text != "" {
			t.Errorf("the handed-back slice still holds line %q at %d", it.text, i)
		}
	}
}

// TestABatchOfLinesIsQueuedAsLineByLine: printFeed builds a batch's lines
// in one string and queues them together; what is written is
// ExchangeLine's text for each exchange, and a queue too small for the batch
// drops its oldest lines as it drops single ones.
func TestABatchOfLinesIsQueuedAsLineByLine(t *testing.T) {
	s := New(Options{Fixture: "bank"})
	for i := range 4 {
		sendTo(t, s, "PUT", "/accounts/42", fmt.Sprintf(`{"balance":%d}`, i))
	}
	sendTo(t, s, "GET", "/accounts/42", "")
	var all strings.Builder
	for _, e := range s.EventsSince(0) {
		all.WriteString(ExchangeLine(e) + "\n")
	}
	for _, tc := range []struct {
		limit int
		want  string
	}{
		{maxPrinterBytes, all.String()},
		// Room for the last two lines only: the first three become a summary.
		{len(ExchangeLine(s.EventsSince(0)[3])) + len(ExchangeLine(s.EventsSince(0)[4])),
			"… 3 exchange(s) not shown (#1–#3): the output was not read as fast as they came\n" +
				strings.Join(strings.SplitAfter(all.String(), "\n")[3:], "")},
	} {
		f := s.Feed(0)
		q := newLineQueue(tc.limit)
		printFeed(f, q)
		f.Close()
		q.close()
		var out strings.Builder
		q.writeTo(&out)
		if out.String() != tc.want {
			t.Errorf("limit %d: wrote\n%s\nwant\n%s", tc.limit, out.String(), tc.want)
		}
	}
}
