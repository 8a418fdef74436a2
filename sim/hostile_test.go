package sim

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/putpost/putpost/termsafe"
)

// longTarget is a request target of about n bytes, as the flood of issue 9
// sent (60 KB targets).
func longTarget(n int) string { return "/accounts/42?q=" + strings.Repeat("x", n) }

func TestEventLogCountsTargetsAndHeadersAgainstItsBudget(t *testing.T) {
	s := New(Options{})
	const n, size = 200, 50 << 10 // 200 × (50 KB target + 50 KB header) = 20 MB > the 16 MiB budget
	for range n {
		sendTo(t, s, "GET", longTarget(size), "", "X-Pad: "+strings.Repeat("y", size))
	}
	s.mu.Lock()
	kept, bytes := s.log.n, s.log.bytes
	held := 0
	for i := range s.log.n {
		held += len(s.log.kept(i).data)
	}
	s.mu.Unlock()
	if kept >= n {
		t.Fatalf("all %d events of 100 KB were kept (%d bytes): targets and headers were not counted", n, held)
	}
	if held > defaultMaxBytes || bytes > defaultMaxBytes || bytes < held {
		t.Fatalf("the log holds %d bytes and counts %d; the budget is %d", held, bytes, defaultMaxBytes)
	}
	if last := s.EventsSince(0); last[len(last)-1].Seq != n {
		t.Fatalf("the newest event is #%d, want #%d", last[len(last)-1].Seq, n)
	}
}

// TestAFeedThatStopsReadingHoldsNothing: a feed is a position in the log,
// so a reader that stops costs no events however big they are; when it
// comes back it gets the kept ones a batch at a time, and a count of those
// the log dropped meanwhile.
func TestAFeedThatStopsReadingHoldsNothing(t *testing.T) {
	s := New(Options{})
	f := s.Feed(0) // never read until the end
	defer f.Close()
	const size = 60 << 10
	n := defaultMaxBytes/size + 500 // more than the log keeps
	for range n {
		sendTo(t, s, "GET", longTarget(size), "")
	}
	b := f.Poll()
	if b.Missed == 0 || len(b.Events) != FeedBatch || b.Events[0].Seq != b.Missed+1 {
		t.Fatalf("first read after the flood: %d missed, %d events from #%d", b.Missed, len(b.Events), b.Events[0].Seq)
	}
	got := b.Missed + uint64(len(b.Events))
	for {
		b := f.Poll()
		if len(b.Events) == 0 {
			break
		}
		if b.Missed != 0 || b.Events[0].Seq != got+1 {
			t.Fatalf("a later read: %d missed, from #%d after #%d", b.Missed, b.Events[0].Seq, got)
		}
		got += uint64(len(b.Events))
	}
	if got != uint64(n) {
		t.Fatalf("the feed accounted for %d events of %d", got, n)
	}
	sendTo(t, s, "GET", "/accounts/42", "")
	if b := f.Poll(); len(b.Events) != 1 || b.Events[0].Seq != uint64(n)+1 {
		t.Fatalf("after catching up the feed got %+v, want #%d", b.Events, n+1)
	}
}

func TestIdempotencyRecordsAndUndoStepsCountEverythingTheyHold(t *testing.T) {
	long := strings.Repeat("p", 60<<10)
	rec := idemRecord{fingerprint: "POST " + long, request: "POST " + long, reply: reply{header: http.Header{"Location": {long}}}}
	if n := rec.size(`"k1"`); n < 3*len(long) {
		t.Errorf("a record with a 60 KB path and Location counts %d bytes", n)
	}
	tx := txn{changes: []Change{{Path: long}}, tags: []string{""}, idem: []idemWas{{key: `"k1"`, was: rec, present: true}}}
	if u := newUndoEntry(1, &tx); u.size < 4*len(long) {
		t.Errorf("an undo step with a 60 KB path and that record counts %d bytes", u.size)
	}
}

func TestHostCheckRefusesOtherNamesUnlessAllowed(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	tests := []struct {
		host  string
		allow bool
		want  int
	}{
		{"127.0.0.1:8080", false, 204},
		{"localhost:8080", false, 204},
		{"LOCALHOST", false, 204},
		{"app.localhost:8080", false, 204},
		{"[::1]:8080", false, 204},
		{"127.1.2.3", false, 204},
		{"", false, 204}, // HTTP/1.0 without Host: no browser sends that
		{"evil.example:8080", false, 421},
		{"evil.example", false, 421},
		{"localhost.evil.example", false, 421},
		{"192.168.1.5:8080", false, 421},
		{"evil.example:8080", true, 204},
	}
	for _, tt := range tests {
		h := CheckHost(ok, "127.0.0.1:8080", tt.allow)
		r := httptest.NewRequest("GET", "/accounts/42", nil)
		r.Host = tt.host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tt.want {
			t.Errorf("Host %q (allow-remote %v): %d, want %d", tt.host, tt.allow, w.Code, tt.want)
		}
		if w.Code == 421 && !strings.Contains(w.Body.String(), "--allow-remote") {
			t.Errorf("Host %q: the refusal does not say how to allow it: %s", tt.host, w.Body)
		}
	}
}

// serveOn runs s.Serve on a loopback listener until the test ends.
func serveOn(t *testing.T, s *Server, w *blockingWriter) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln, w, false) }()
	t.Cleanup(func() {
		w.release()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

func TestDNSRebindingRequestOverASocketIs421AndChangesNothing(t *testing.T) {
	s := New(Options{})
	out := newBlockingWriter(false)
	addr := serveOn(t, s, out)
	req, _ := http.NewRequest(http.MethodPut, "http://"+addr+"/accounts/42", strings.NewReader(`{"balance":0}`))
	req.Host = "rebind.evil.example:" + strings.Split(addr, ":")[1]
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("PUT with Host %s = %d, want 421", req.Host, resp.StatusCode)
	}
	if body, _, _ := s.Resource("/accounts/42"); !strings.Contains(string(body), "80") || s.LastSeq() != 0 {
		t.Fatalf("the refused request reached the sim: %s, %d events", body, s.LastSeq())
	}
}

// blockingWriter takes the first write (the "serving" line), then blocks
// every write until released: output nobody reads.
type blockingWriter struct {
	mu      sync.Mutex
	b       strings.Builder
	started chan struct{}
	open    chan struct{}
	once    sync.Once
	first   bool
}

func newBlockingWriter(block bool) *blockingWriter {
	w := &blockingWriter{started: make(chan struct{}), open: make(chan struct{})}
	if !block {
		w.release()
	}
	return w
}

func (w *blockingWriter) release() { w.once.Do(func() { close(w.open) }) }

func (w *blockingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	first := !w.first
	w.first = true
	w.mu.Unlock()
	if first {
		close(w.started)
	} else {
		<-w.open
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *blockingWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func TestServeOutputNotReadHoldsBoundedMemoryAndSummarisesWhatItMissed(t *testing.T) {
	s := New(Options{})
	out := newBlockingWriter(true)
	serveOn(t, s, out)
	<-out.started
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	// 60 PUTs of 1 MB (the 1,800 gave a 1.2 GB heap: each event held
	// there costs 2-3 MB).
	body := `{"balance":1,"pad":"` + strings.Repeat("p", 1<<20-40) + `"}`
	c := s.Client(SourceNetwork)
	for range 60 {
		req, _ := http.NewRequest(http.MethodPut, "http://putpost.local/accounts/42", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// Then 6,000 small exchanges with 300-byte targets: more lines than
	// the printer holds.
	for range 6000 {
		req, _ := http.NewRequest(http.MethodGet, "http://putpost.local"+longTarget(300), nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	grown := int64(heap()) - int64(before)
	if grown > defaultMaxBytes+32<<20 {
		t.Errorf("with its output not read, serve's heap grew by %d MB", grown>>20)
	}
	t.Logf("heap grew by %d MB", grown>>20)
	out.release()
	// The oldest waiting lines made room: the newest exchange is printed.
	lastLine := fmt.Sprintf("#%d GET", s.LastSeq())
	printed := func(text string) bool { return strings.Contains(text, lastLine) }
	deadline := time.Now().Add(10 * time.Second)
	for !printed(out.String()) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	text := out.String()
	if !printed(text) {
		t.Fatalf("the last exchange was never printed; output ends %q", text[max(0, len(text)-300):])
	}
	shown := strings.Count(text, "\n#")
	missed := 0
	for _, line := range strings.Split(text, "\n") {
		var n int
		if _, err := fmt.Sscanf(line, "… %d exchange(s) not shown", &n); err == nil {
			missed += n
		}
	}
	if missed == 0 || shown+missed != int(s.LastSeq()) {
		t.Fatalf("%d lines shown and %d exchanges said to be missed; want them to add up to %d", shown, missed, s.LastSeq())
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "… ") {
			t.Log(line)
		}
	}
}

func TestExchangeLineShowsHostileTargetsAndFieldsEscaped(t *testing.T) {
	s := New(Options{})
	hostile := "\x1b]8;;https://evil.example\x07CLICKME\x1b]8;;\x07"
	sendTo(t, s, "PUT", "/accounts/%E2%80%AEevil%C2%9B%E2%80%8B%FF", `{"balance":1,"`+hostile+`":"\x1b[5mblink \u009b2J"}`)
	sendTo(t, s, "GET", longTarget(60<<10), "")
	for _, e := range s.EventsSince(0) {
		line := ExchangeLine(e)
		if !termsafe.Safe(line) {
			t.Errorf("line holds something a terminal acts on: %q", line)
		}
		if len(line) > 1000 {
			t.Errorf("line of %d bytes: long targets are not cut", len(line))
		}
	}
}

func FuzzExchangeLineIsSafeForATerminal(f *testing.F) {
	f.Add("/accounts/42", `{"balance":1}`, "x")
	f.Add("/accounts/%1b%5b31m", `{"\u001b]8;;x\u0007":"\u202e"}`, "\x1b[2J")
	f.Fuzz(func(t *testing.T, path, body, header string) {
		s := New(Options{Fixture: "empty"})
		for _, m := range []string{"PUT", "POST", "GET"} {
			r, err := http.NewRequest(m, "http://putpost.local/", strings.NewReader(body))
			if err != nil {
				return
			}
			r.URL.Path = "/" + path
			r.URL.RawPath = ""
			r.Header.Set("Content-Type", "application/json")
			r.Header["X-F"] = []string{header}
			s.ServeHTTP(httptest.NewRecorder(), r)
		}
		for _, e := range s.EventsSince(0) {
			if line := ExchangeLine(e); !termsafe.Safe(line) {
				t.Fatalf("unsafe line %q", line)
			}
		}
	})
}

// A host serving many learners gives each server a smaller budget; every
// budget follows it: the store answers 507, the log, undo and replays drop
// their oldest.
func TestMaxBytesBoundsEveryBudget(t *testing.T) {
	const budget = 1 << 20
	s := New(Options{MaxBytes: budget})
	note := strings.Repeat("n", 50<<10)
	refused := 0
	for i := range 60 { // 60 × 50 KB = 3 MB, three budgets' worth
		rec := sendTo(t, s, "POST", "/payments", `{"amount":1,"note":"`+note+`"}`, fmt.Sprintf("Idempotency-Key: \"k%d\"", i))
		if rec.Code == http.StatusInsufficientStorage {
			refused++
		}
	}
	if refused == 0 {
		t.Fatal("3 MB of payments were all stored under a 1 MiB budget")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.bytes > budget || s.log.bytes > budget || s.st.undoBytes > budget || s.st.idemSize > budget+64<<10 {
		t.Errorf("over the %d-byte budget: store %d, log %d, undo %d, replays %d", budget, s.st.bytes, s.log.bytes, s.st.undoBytes, s.st.idemSize)
	}
}

// The default budgets leave a lesson's ×1000 alone: a thousand customers
// of a lesson's size are all stored, logged and undoable, while 100 KB
// bodies from outside meet the 507 at 16 MiB of stored JSON.
func TestTheDefaultBudgetsKeepARepeatAndRefuseAFlood(t *testing.T) {
	s := New(Options{})
	for i := range 1000 {
		if rec := sendTo(t, s, "POST", "/customers", `{"name":"Joe","email":"joe@example.com"}`); rec.Code != http.StatusCreated {
			t.Fatalf("POST #%d of a ×1000: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	if n := len(s.EventsSince(0)); n != 1000 {
		t.Fatalf("the log keeps %d of the ×1000's exchanges", n)
	}
	s.mu.Lock()
	undo := len(s.st.undo)
	s.mu.Unlock()
	if undo != 1000 {
		t.Fatalf("%d of the ×1000's exchanges can be undone", undo)
	}
	big := `{"name":"` + strings.Repeat("x", 100<<10) + `"}`
	var refusal string
	for range 200 {
		if rec := sendTo(t, s, "POST", "/customers", big); rec.Code == http.StatusInsufficientStorage {
			refusal = rec.Body.String()
			break
		}
	}
	if !strings.Contains(refusal, ", past its limit of 16 MiB: nothing was stored; DELETE some resources or reset the fixture") {
		t.Fatalf("20 MB of 100 KB customers: the refusal is %q", refusal)
	}
}
