package plain

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from this run")

// harness is one learner: a session over the built-in lessons (or the
// sandbox) and a progress file in a temporary directory.
type harness struct {
	srv      *sim.Server
	sess     *session.Session
	progress string
}

func newHarness(t testing.TB, withLessons bool) *harness {
	t.Helper()
	o := session.Options{Mode: session.Sandbox}
	h := &harness{}
	if withLessons {
		ls, err := lessons.Builtin()
		if err != nil {
			t.Fatalf("built-in lessons: %v", err)
		}
		h.progress = filepath.Join(t.TempDir(), "progress.json")
		p, _, err := lessons.OpenProgress(h.progress)
		if err != nil {
			t.Fatalf("progress: %v", err)
		}
		o = session.Options{Mode: session.Tutorial, Lessons: ls, Progress: p}
	}
	h.sess = newSession(t, o)
	h.srv = h.sess.Server()
	return h
}

// newSession starts a session that ends with the test.
func newSession(t testing.TB, o session.Options) *session.Session {
	t.Helper()
	s, err := session.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// run plays input through line mode and returns the transcript.
func (h *harness) run(t testing.TB, input string, opts ...func(*Options)) string {
	t.Helper()
	var out bytes.Buffer
	o := Options{In: strings.NewReader(input), Out: &out, Session: h.sess, Echo: true}
	for _, f := range opts {
		f(&o)
	}
	if err := Run(context.Background(), o); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	return out.String()
}

// serverState is everything the server stores, for before/after comparisons.
func (h *harness) serverState() string {
	var b strings.Builder
	for _, p := range h.srv.Paths() {
		body, etag, _ := h.srv.Resource(p)
		fmt.Fprintf(&b, "%s %s %s\n", p, body, etag)
	}
	return b.String()
}

// progressState is the learner's progress as the engine and the file see it.
func (h *harness) progressState(t testing.TB) string {
	t.Helper()
	if h.sess.Mode() == session.Sandbox {
		return ""
	}
	var b strings.Builder
	for _, l := range h.sess.Lessons() {
		done, total := h.sess.Done(l.ID)
		fmt.Fprintf(&b, "%s %d/%d\n", l.ID, done, total)
	}
	data, err := os.ReadFile(h.progress)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	b.Write(data)
	return b.String()
}

// requireGolden compares out with testdata/name.golden; -update rewrites it.
func requireGolden(t *testing.T, name, out string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui/plain -run %s -update to create it)", err, t.Name())
	}
	if string(want) == out {
		return
	}
	got, exp := strings.Split(out, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(got), len(exp)); i++ {
		var g, e string
		if i < len(got) {
			g = got[i]
		}
		if i < len(exp) {
			e = exp[i]
		}
		if g != e {
			t.Fatalf("transcript differs from %s at line %d:\n got: %q\nwant: %q\n(run with -update if the change is intended)\n\nfull transcript:\n%s", path, i+1, g, e, out)
		}
	}
}

// goldenLessons are the lessons played from scripts: lesson 2, 4 and 5.
var goldenLessons = []string{"put-replace", "post-create", "idempotence"}

func TestTranscriptsOfScriptedLessons(t *testing.T) {
	for _, id := range goldenLessons {
		t.Run(id, func(t *testing.T) {
			script, err := os.ReadFile(filepath.Join("testdata", id+".input"))
			if err != nil {
				t.Fatal(err)
			}
			// As putpost --plain --lesson ID < testdata/ID.input would.
			play := func() (*harness, string) {
				h := newHarness(t, true)
				if err := h.sess.Goto(id); err != nil {
					t.Fatal(err)
				}
				return h, h.run(t, string(script))
			}
			h, out := play()
			requireGolden(t, id, out)
			if done, total := h.sess.Done(id); total == 0 || done != total {
				t.Errorf("after the script, %d of %d steps of %s are passed; the script should pass them all", done, total, id)
			}
			_, again := play()
			if again != out {
				t.Errorf("the same script gave a different transcript the second time")
			}
		})
	}
}

// boxDrawing reports the first box-drawing character in s.
func boxDrawing(s string) (rune, bool) {
	for _, r := range s {
		if r >= 0x2500 && r <= 0x257f {
			return r, true
		}
	}
	return 0, false
}

func TestOutputHasNoEscapesOrBoxDrawingUnlessColour(t *testing.T) {
	var scripts []string
	for _, id := range goldenLessons {
		b, err := os.ReadFile(filepath.Join("testdata", id+".input"))
		if err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, string(b))
	}
	// Hostile input: escapes and box drawing typed by the learner, stored
	// in the server and echoed back by state, log and wire.
	scripts = append(scripts, strings.Join([]string{
		"\x1b[2J\x1b[31mnext",
		"GET /accounts/42\x1b[2J",
		`PUT /flights/XX1 {"note":"┌──┐ \u001b[31m red"}`,
		"curl -X PUT http://localhost/flights/XX2 -H 'Content-Type: application/json' -d '{\"a\":\"\x1b]0;title\x07\"}'",
		"curl -X PUT http://localhost/flights/XX3 -H 'Content-Type: text/plain' -d '\x1b[31m┌'",
		"state", "log", "wire", "wire 1", "wire 2", "wire 3", "lessons", "help", "faults on", "retry browser",
		`POST /customers {"name":"╔═╗"} x3`, "undo",
	}, "\n"))
	for i, script := range scripts {
		h := newHarness(t, true)
		out := h.run(t, script)
		if j := strings.IndexByte(out, 0x1b); j >= 0 {
			t.Errorf("script %d: ESC at byte %d: %q", i, j, out[max(0, j-40):min(len(out), j+40)])
		}
		if r, ok := boxDrawing(out); ok {
			t.Errorf("script %d: box-drawing character %q in the output", i, r)
		}
		for _, c := range out {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0 {
				t.Errorf("script %d: control character %U in the output", i, c)
				break
			}
		}
	}
	// With colour asked for, the escapes appear: the check above can fail.
	out := newHarness(t, true).run(t, scripts[0], func(o *Options) { o.Color = true })
	if !strings.Contains(out, "\x1b[") {
		t.Errorf("with Color, the output has no escape sequences")
	}
}

// badInput is one line from issue 5's catalogue of bad request and curl
// lines, and what the learner must be told about it.
type badInput struct {
	name, line string
	want       []string // substrings of the message, case-insensitive
	sent       bool     // the line does reach the server (and changes nothing)
}

var badInputs = []badInput{
	{"unknown method", "FROB /accounts/42", []string{"501 Not Implemented"}, true},
	{"unknown method, no path", "FROB", []string{"not sent", "path"}, false},
	{"missing path", "GET", []string{"not sent", "path"}, false},
	{"path without slash", "GET accounts/42", []string{"not sent", "/"}, false},
	{"unbalanced quotes", `POST /payments {"amount":5} -H 'Idempotency-Key: "k1"`, []string{"not sent", "quote"}, false},
	{"malformed JSON", `PUT /accounts/42 {"balance": 10`, []string{"not sent", "column"}, false},
	{"malformed JSON in the middle", `PUT /accounts/42 {"balance" 10}`, []string{"not sent", "column", "^"}, false},
	{"body on GET", `GET /accounts/42 {"balance":1}`, []string{"not sent", "GET"}, false},
	{"body on HEAD", `HEAD /accounts/42 {"balance":1}`, []string{"not sent", "HEAD"}, false},
	{"body on TRACE", `TRACE /accounts/42 {"balance":1}`, []string{"not sent", "TRACE"}, false},
	{"header without colon", `PUT /accounts/42 {"balance":1} -H 'Prefer return=minimal'`, []string{"not sent", "colon"}, false},
	{"repeat x0", `PUT /accounts/42 {"balance":1} x0`, []string{"not sent", "x0"}, false},
	{"repeat x-1", `PUT /accounts/42 {"balance":1} x-1`, []string{"not sent"}, false},
	{"very long line", "GET /" + strings.Repeat("a", MaxLine+10), []string{"bytes long", "nothing was sent"}, false},
	{"long line under the limit", `PUT /accounts/42 {"balance":1,"pad":"` + strings.Repeat("p", 200000) + `"` + "\x01}", []string{"not sent"}, false},
	{"invalid UTF-8", "PUT /accounts/42 {\"balance\":\"\xff\xfe\"}", []string{"not sent", "utf-8"}, false},
	{"control character in the path", "GET /accounts/42\x1b[2J", []string{"not sent"}, false},
	{"control character in the body", "PUT /accounts/42 {\"balance\":\x07100}", []string{"not sent"}, false},
	{"NUL byte", "GET /accounts/\x0042", []string{"not sent"}, false},
	{"curl with an unsupported option", `curl --upload-file body.json http://localhost:8080/accounts/42`, []string{"not sent", "--upload-file"}, false},
	{"curl with an unsupported short option", `curl -T body.json http://localhost:8080/accounts/42`, []string{"not sent", "-T"}, false},
	{"curl without a URL", `curl -X PUT`, []string{"not sent"}, false},
	{"unknown command", "nxet", []string{"unknown command", "did you mean next"}, false},
	{"answer on a task step", "answer 2", []string{"not a quiz"}, false},
	{"unknown lesson", "lesson put-replcae", []string{"no lesson", "did you mean put-replace"}, false},
	{"unknown retry policy", "retry sometimes", []string{"not changed"}, false},
	{"unknown fault setting", "faults maybe", []string{"unknown setting"}, false},
	{"wire of an exchange that does not exist", "wire 999", []string{"no exchange"}, false},
}

func TestBadInputIsExplainedAndLosesNothing(t *testing.T) {
	for _, tt := range append(badInputs, moreBadInputs...) {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, true)
			// Get somewhere first: a passed step and a changed server.
			h.run(t, "lesson idempotence\nPUT /accounts/42 {\"balance\":100} x100\nnext\nPOST /accounts/42/interest {\"rate\":0.10}\n")
			state, progress, seq := h.serverState(), h.progressState(t), h.srv.LastSeq()
			step := h.sess.StepIndex()

			out := h.run(t, tt.line+"\nstep\n")
			msg := strings.ToLower(out)
			for _, w := range tt.want {
				if !strings.Contains(msg, strings.ToLower(w)) {
					t.Errorf("the message lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(out, "Step 2 of") {
				t.Errorf("line mode did not go on to the next line:\n%s", out)
			}
			if !tt.sent && h.srv.LastSeq() != seq {
				t.Errorf("%d exchanges were sent", h.srv.LastSeq()-seq)
			}
			if got := h.serverState(); got != state {
				t.Errorf("server state changed:\nbefore:\n%s\nafter:\n%s", state, got)
			}
			if got := h.progressState(t); got != progress {
				t.Errorf("progress changed:\nbefore:\n%s\nafter:\n%s", progress, got)
			}
			if h.sess.StepIndex() != step {
				t.Errorf("the step moved from %d to %d", step, h.sess.StepIndex())
			}
		})
	}
}

func TestRepeatCountsAboveTheLimitAreCappedWithAMessage(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "GET /accounts/42 x1000000\n")
	if !strings.Contains(out, fmt.Sprint(request.MaxRepeat)) {
		t.Errorf("no message naming the cap %d:\n%s", request.MaxRepeat, out)
	}
	if strings.Count(out, "\n") > 10 {
		t.Errorf("a capped repeat should print a summary, not %d lines", strings.Count(out, "\n"))
	}
}

func TestWireUndoFaultsAndRetry(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "PUT /accounts/42 {\"balance\":100}\nwire 1\n")
	for _, want := range []string{"balance 80.00 → 100", "Exchange #1", "PUT /accounts/42 HTTP/1.1", `{"balance":100}`, "HTTP/1.1 200 OK"} {
		if !strings.Contains(out, want) {
			t.Errorf("PUT then wire 1: output lacks %q:\n%s", want, out)
		}
	}

	out = h.run(t, "undo\nstate /accounts\nundo\n")
	for _, want := range []string{"Undone: /accounts/42 balance 100 → 80.00", `/accounts/42 {"balance":80.00}`, "Nothing to undo"} {
		if !strings.Contains(out, want) {
			t.Errorf("undo: output lacks %q:\n%s", want, out)
		}
	}
	if body, _, _ := h.srv.Resource("/accounts/42"); string(body) != `{"balance":80.00}` {
		t.Errorf("after undo the account is %s", body)
	}

	// A lost response and no retry: the POST happened once, the client never heard.
	out = h.run(t, "faults on\nretry none\nPOST /accounts/42/interest {\"rate\":0.10}\n")
	if !h.sess.Faults().LoseResponses || h.sess.Retry() != sim.RetryNone {
		t.Errorf("faults on / retry none not applied: %+v %s", h.sess.Faults(), h.sess.Retry())
	}
	if !strings.Contains(out, "lost") {
		t.Errorf("a lost response is not reported:\n%s", out)
	}
	// Go's policy does not retry a POST without an Idempotency-Key...
	out = h.run(t, "retry go\nPOST /accounts/42/interest {\"rate\":0.10}\n")
	if strings.Contains(out, "Retry (attempt") {
		t.Errorf("retry go retried a POST without Idempotency-Key:\n%s", out)
	}
	// ...but does retry one with a key, and the server replays the first answer.
	out = h.run(t, "POST /payments {\"amount\":5} -H 'Idempotency-Key: \"k1\"'\n")
	if !strings.Contains(out, "Retry (attempt 2)") {
		t.Errorf("retry go did not retry a POST with Idempotency-Key:\n%s", out)
	}
	if n := len(h.srv.Members("/payments")); n != 1 {
		t.Errorf("%d payments after a retried keyed POST, want 1", n)
	}
	// A browser retries the plain POST too: interest is paid twice.
	before, _, _ := h.srv.Resource("/accounts/42")
	out = h.run(t, "retry browser\nPOST /accounts/42/interest {\"rate\":0.10}\nfaults off\n")
	after, _, _ := h.srv.Resource("/accounts/42")
	if !strings.Contains(out, "Retry (attempt 2)") || bytes.Equal(before, after) {
		t.Errorf("retry browser: no visible retry or no change (%s → %s):\n%s", before, after, out)
	}
	if h.sess.Faults() != (sim.FaultSettings{}) {
		t.Errorf("faults off left %+v", h.sess.Faults())
	}
	out = h.run(t, "log\n")
	if !strings.Contains(out, "(retry, attempt 2)") {
		t.Errorf("log does not show retries:\n%s", out)
	}
}

func TestRepeatPrintsASummaryOrEveryLineWhenVerbose(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "POST /accounts/42/interest {\"rate\":0.10} x3\n")
	for _, want := range []string{"Sent 3 times: 3 × 201 Created.", "First: 201 Created — /accounts/42 balance 80.00 → 88.00", "Last: 201 Created — /accounts/42 balance 96.80 → 106.48"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	h = newHarness(t, false)
	out = h.run(t, "POST /accounts/42/interest {\"rate\":0.10} x3\n", func(o *Options) { o.Verbose = true })
	if n := strings.Count(out, "201 Created"); n != 3 {
		t.Errorf("verbose: %d lines with 201 Created, want 3:\n%s", n, out)
	}
}

func TestUnknownWordsGetASuggestionAndHelpListsEveryCommand(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "hnit\nhelp\nhelp wire\n")
	if !strings.Contains(out, "Did you mean hint?") {
		t.Errorf("no suggestion:\n%s", out)
	}
	for _, c := range commands {
		if !strings.Contains(out, "  "+c.name) {
			t.Errorf("help does not list %s", c.name)
		}
	}
}

func TestSandboxModeAnswersLessonWordsAndResetsTheServer(t *testing.T) {
	h := newHarness(t, false)
	initial := h.serverState()
	out := h.run(t, "next\nlessons\nPUT /accounts/42 {\"balance\":1}\nreset\n")
	if !strings.Contains(out, "Sandbox") || strings.Count(out, "no lessons in sandbox mode") != 2 {
		t.Errorf("sandbox mode not explained:\n%s", out)
	}
	if h.serverState() != initial {
		t.Errorf("reset did not restore the starting state")
	}
}

func TestResetLessonAndAllAskForYes(t *testing.T) {
	h := newHarness(t, true)
	h.run(t, "lesson put-replace\nPUT /flights/AA123 {\"status\":\"ontime\",\"gate\":\"b12\"}\n")
	if done, _ := h.sess.Done("put-replace"); done != 1 {
		t.Fatalf("setup: %d steps done, want 1", done)
	}
	out := h.run(t, "reset all\nno\nreset lesson\nGET /flights/AA123\n")
	if done, _ := h.sess.Done("put-replace"); done != 1 {
		t.Errorf("a cancelled reset lost progress: %d steps done", done)
	}
	if strings.Count(out, "Cancelled") != 2 || !strings.Contains(out, "200 OK") {
		t.Errorf("cancel not reported, or the line after it was lost:\n%s", out)
	}
	h.run(t, "reset all\nyes\n")
	if done, _ := h.sess.Done("put-replace"); done != 0 {
		t.Errorf("reset all, yes: %d steps still done", done)
	}
}

// TestEachStepStartsOnItsOwnNetwork: a step's network block sets the
// network, and the next step without one runs on a normal network, whatever
// the learner switched on before.
func TestEachStepStartsOnItsOwnNetwork(t *testing.T) {
	h := newHarness(t, true)
	var lesson *lessons.Lesson
	for _, l := range h.sess.Lessons() {
		if len(l.Steps) > 0 && l.Steps[0].Network != nil {
			lesson = l
			break
		}
	}
	if lesson == nil {
		t.Fatal("no built-in lesson whose first step sets the network")
	}
	out := h.run(t, "lesson "+lesson.ID+"\nfaults\nretry browser\nfaults on\nlesson 1\n")
	if !strings.Contains(out, "For this step, ") {
		t.Errorf("the step's network is not described:\n%s", out)
	}
	if want := "Now " + session.DescribeNetwork(lesson.Steps[0].Network.Faults, lesson.Steps[0].Network.Retry); !strings.Contains(out, want) {
		t.Errorf("in the step, faults does not say %q:\n%s", want, out)
	}
	if h.sess.Faults() != (sim.FaultSettings{}) || h.sess.Retry() != sim.RetryNone {
		t.Errorf("the next lesson's step does not run on a normal network: %+v %s", h.sess.Faults(), h.sess.Retry())
	}
}

func TestQuitStopsReadingAndEndOfInputReturnsNil(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "quit\nPUT /accounts/42 {\"balance\":1}\n")
	if strings.Contains(out, "balance") || h.srv.LastSeq() != 0 {
		t.Errorf("a line after quit was acted on:\n%s", out)
	}
	if out := h.run(t, ""); !strings.Contains(out, "Sandbox") {
		t.Errorf("empty input: %q", out)
	}
	if out := h.run(t, "GET /accounts/42"); !strings.Contains(out, "200 OK") {
		t.Errorf("a last line without a newline was not read:\n%s", out)
	}
}

func TestReadErrorsAndCancellationEndTheSession(t *testing.T) {
	h := newHarness(t, false)
	boom := errors.New("boom")
	err := Run(context.Background(), Options{In: iotest.ErrReader(boom), Out: io.Discard, Session: h.sess})
	if !errors.Is(err, boom) {
		t.Errorf("read error: Run = %v, want %v", err, boom)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pr, pw := io.Pipe()
	defer pw.Close()
	if err := Run(ctx, Options{In: pr, Out: io.Discard, Session: h.sess}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: Run = %v", err)
	}
	if err := Run(context.Background(), Options{In: strings.NewReader("help\n"), Out: &failingWriter{n: 2}, Session: h.sess}); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("write error: Run = %v", err)
	}
	if err := Run(context.Background(), Options{}); err == nil {
		t.Errorf("no server: Run = nil")
	}
}

// syncBuffer is a bytes.Buffer that a test can read while Run writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestExchangesFromTheNetworkArePrintedAndAdvanceChecks(t *testing.T) {
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	sess := newSession(t, session.Options{Mode: session.Tutorial, Lessons: ls, Lesson: "put-replace", Listen: "127.0.0.1:0"})
	h := &harness{srv: sess.Server(), sess: sess}
	pr, pw := io.Pipe()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), Options{In: pr, Out: &out, Session: h.sess})
	}()
	waitFor := func(want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(out.String(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %q in:\n%s", want, out.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("curl -i http://" + sess.Addr() + "/")

	// curl in another terminal, over the real listener.
	req, err := http.NewRequest(http.MethodPut, "http://"+sess.Addr()+"/flights/AA123", strings.NewReader(`{"status":"ontime","gate":"b12"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "curl/8.5.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitFor("From curl 127.0.0.1:") // who sent it, by its User-Agent and address
	waitFor(": PUT /flights/AA123")
	waitFor("✓ step passed")

	// The input loop still works, and sees the same engine.
	fmt.Fprintln(pw, "next")
	waitFor("Step 2 of")
	pw.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if done, _ := h.sess.Done("put-replace"); done != 1 {
		t.Errorf("the network exchange did not pass the step: %d done", done)
	}
}

func FuzzLineMode(f *testing.F) {
	for _, tt := range badInputs {
		if len(tt.line) < 1000 {
			f.Add(tt.line)
		}
	}
	for _, s := range []string{
		"next\nback\nhint\nsolution\n1\n2\nanswer 3\n",
		"lesson 5\nPUT /accounts/42 {\"balance\":100} x3\nundo\nreset\nstate\nlog all\nwire\n",
		"reset all\nyes\nreset lesson\nmaybe\n",
		"faults on\nretry rfc9110\nPUT /accounts/42 {\"balance\":1}\nfaults drop\nDELETE /flights/AA123\n",
		"curl -X POST http://localhost/customers -d 'name=joe'\n",
		"\x00\xff\x1b[A\r\n\t#\n",
	} {
		f.Add(s)
	}
	ls, err := lessons.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	f.Chdir(f.TempDir()) // export writes where it is told
	f.Fuzz(func(t *testing.T, input string) {
		sess, err := session.New(session.Options{Mode: session.Tutorial, Lessons: ls})
		if err != nil {
			t.Fatal(err)
		}
		defer sess.Close()
		var out bytes.Buffer
		// A sentinel after the random lines proves the loop kept going.
		err = Run(context.Background(), Options{In: strings.NewReader(input + "\nhelp sentinel\n"), Out: &out, Session: sess})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		quits := slices.ContainsFunc(strings.Split(input, "\n"), func(l string) bool {
			f := strings.Fields(l)
			return len(f) > 0 && (strings.EqualFold(f[0], "quit") || strings.EqualFold(f[0], "exit"))
		})
		if !quits && !strings.Contains(out.String(), `Unknown command "sentinel"`) {
			t.Fatalf("line mode stopped before the end of the input:\n%s", out.String())
		}
		if bytes.IndexByte(out.Bytes(), 0x1b) >= 0 {
			t.Fatalf("ESC in the output")
		}
	})
}

func TestAnEngineWithoutLessonsAnswersEveryWord(t *testing.T) {
	sess := newSession(t, session.Options{Mode: session.Tutorial})
	h := &harness{srv: sess.Server(), sess: sess}
	var words []string
	for _, c := range commands {
		if c.name != "quit" {
			words = append(words, c.name, c.name+" 1")
		}
	}
	out := h.run(t, strings.Join(append(words, "reset lesson", "yes", "1", "GET /accounts/42"), "\n"))
	if !strings.Contains(out, "There are no lessons") || !strings.Contains(out, "200 OK") {
		t.Errorf("unexpected transcript:\n%s", out)
	}
}

func TestALowerCaseMethodIsSentAsTypedAndExplained(t *testing.T) {
	h := newHarness(t, false)
	initial := h.serverState()
	out := h.run(t, "put /accounts/42 {\"balance\":1}\n")
	for _, want := range []string{"method names are case-sensitive: put is not PUT", "501 Not Implemented"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if h.serverState() != initial {
		t.Error("put changed the server")
	}
}

// TestTheLogNumbersFromOneWithoutGaps: the log is what the learner reads.
// Its first entry is #1, whether the lesson's setup sent it or the learner,
// and an undo between exchanges is an entry of its own, so no number is
// missing that the learner cannot account for.
func TestTheLogNumbersFromOneWithoutGaps(t *testing.T) {
	for _, c := range []struct {
		lesson, input string
		want          []string
	}{
		// The first step's setup PUTs the $80.00 the fixture holds: a PUT
		// of what is stored is not sent, so the learner's GET is #1.
		{"lost-updates", "GET /accounts/42\nlog\n", []string{
			"#1 GET /accounts/42: 200 OK — no change",
		}},
		{"lost-updates", "next\nGET /accounts/42\nlog\n", []string{
			"#1 GET /accounts/42: 200 OK — no change",
		}},
		{"put-replace", "PUT /flights/AA123 {\"status\":\"ontime\",\"gate\":\"b12\"}\nundo\nGET /flights/AA123\nlog\n", []string{
			"#1 PUT /flights/AA123: 200 OK",
			"#2 undo — /flights/AA123",
			"#3 GET /flights/AA123: 200 OK — no change",
		}},
	} {
		h := newHarness(t, true)
		if err := h.sess.Goto(c.lesson); err != nil {
			t.Fatal(err)
		}
		out := h.run(t, c.input)
		log := out[strings.LastIndex(out, "> log\n")+len("> log\n"):]
		lines := strings.Split(log, "\n")
		for i, want := range c.want {
			if i >= len(lines) || !strings.HasPrefix(lines[i], want) {
				t.Errorf("%s: log line %d is not %q:\n%s", c.lesson, i+1, want, log)
				break
			}
		}
	}
}

// TestAtATerminalLineModePromptsAndWrapsAtSpaces: with Prompt and a width,
// line mode writes "> " while it waits for a line, starts what it prints
// next on a line of its own, and wraps long lines at spaces; a word longer
// than a line (a JSON body) is left whole for copying.
func TestAtATerminalLineModePromptsAndWrapsAtSpaces(t *testing.T) {
	h := newHarness(t, true)
	if err := h.sess.Goto("put-replace"); err != nil {
		t.Fatal(err)
	}
	body := `{"status":"ontime","gate":"b12","note":"` + strings.Repeat("x", 60) + `"}`
	out := h.run(t, "PUT /flights/AA123 "+body+"\n", func(o *Options) {
		o.Echo, o.Prompt, o.Width = false, true, func() int { return 40 }
	})
	if !strings.Contains(out, "the last response is 200 or 204\n") || !strings.Contains(out, "\n> ") {
		t.Fatalf("no prompt after the step:\n%s", out)
	}
	if !strings.HasSuffix(out, "\n> ") {
		t.Errorf("line mode does not end waiting at a prompt:\n%q", out[max(0, len(out)-80):])
	}
	for _, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w > 40 && strings.Contains(l, " ") {
			t.Errorf("a line of %d columns was not wrapped at a space: %q", w, l)
		}
	}
	if !strings.Contains(out, `"note":"`+strings.Repeat("x", 60)+`"`) {
		t.Errorf("the long body was broken up:\n%s", out)
	}
	piped := newHarness(t, true)
	if out := piped.run(t, "help\n"); strings.Contains(out, "\n> \n") || !strings.Contains(out, "> help\n") {
		t.Errorf("piped, line mode should echo the input and not prompt:\n%s", out)
	}
}

// log N counts every entry so far, those the server no longer keeps too, as
// its numbers do; log all lists what is kept, without a count.
func TestLogCountsTheEntriesTheServerNoLongerKeeps(t *testing.T) {
	srv := sim.New(sim.Options{MaxEvents: 10})
	h := &harness{srv: srv, sess: newSession(t, session.Options{Mode: session.Sandbox, Server: srv})}
	h.run(t, "GET /accounts/42 x15\n")
	last := srv.LastSeq()
	if last < 15 {
		t.Fatalf("15 requests made %d entries", last)
	}
	out := h.run(t, "log 5\n")
	if want := fmt.Sprintf("The last 5 of %d entries:", last); !strings.Contains(out, want) {
		t.Errorf("log 5 lacks %q:\n%s", want, out)
	}
	if !strings.Contains(out, fmt.Sprintf("#%d GET /accounts/42", last)) || strings.Contains(out, fmt.Sprintf("#%d GET", last-5)) {
		t.Errorf("log 5 does not show the newest 5 entries:\n%s", out)
	}
	// Only 10 are kept: log 20 shows them all and says how many came before.
	out = h.run(t, "log 20\n")
	if want := fmt.Sprintf("The last 10 of %d entries:", last); !strings.Contains(out, want) {
		t.Errorf("log 20 lacks %q:\n%s", want, out)
	}
	if strings.Count(out, "\n#") != 10 {
		t.Errorf("log 20 does not show the 10 entries kept:\n%s", out)
	}
	if out := h.run(t, "log all\n"); strings.Contains(out, "The last") || strings.Count(out, "\n#") != 10 {
		t.Errorf("log all:\n%s", out)
	}
}

// The terminal is asked its width once for each input line, not for each
// line printed: log all prints up to 10,000, and each question is a system
// call. What an input line prints is wrapped to the width it was given.
func TestLineModeAsksTheTerminalsWidthOncePerInputLine(t *testing.T) {
	h := newHarness(t, false)
	asked := 0
	width := func(o *Options) {
		o.Width = func() int {
			asked++
			return 40
		}
	}
	h.run(t, "GET /accounts/42 x200\n", width)
	asked = 0
	out := h.run(t, "log all\n", width)
	if n := strings.Count(out, "\n#"); n < 200 {
		t.Fatalf("log all printed %d entries:\n%s", n, out)
	}
	if asked > 3 {
		t.Errorf("the terminal was asked its width %d times for one input line", asked)
	}
	for _, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w > 40 && strings.Contains(l, " ") {
			t.Errorf("a line of %d columns was not wrapped at a space: %q", w, l)
		}
	}
}
