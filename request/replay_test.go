package request_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// needCurl returns the path of curl, or skips the test when it is missing on
// a developer's machine. In CI (CI set) a missing curl fails: .ci/run
// installs it.
func needCurl(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("curl")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("curl is not installed, and CI must replay exports with it (.ci/run installs it): %v", err)
		}
		t.Skip("curl is not installed: install it to replay an exported script with real curl")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to run an exported script")
	}
	return path
}

// sendLine sends a request line through c, drops the response, and fails
// the test on a parse error.
func sendLine(t *testing.T, c *sim.Client, line string) {
	t.Helper()
	r, err := request.Parse(line)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	for range r.Repeat {
		req, err := r.NewRequest(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if resp, err := c.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
}

// state is everything a learner could observe of a server: each resource's
// body and ETag, and the ids its collections hand out next.
func state(t *testing.T, s *sim.Server) string {
	t.Helper()
	var b strings.Builder
	paths := s.Paths()
	slices.Sort(paths)
	for _, p := range paths {
		body, etag, _ := s.Resource(p)
		b.WriteString(p + " " + etag + " " + string(body) + "\n")
	}
	// The next id of a collection is state too: create one and look.
	for _, coll := range []string{"/customers", "/payments"} {
		req, _ := http.NewRequest("POST", "http://putpost.local"+coll, strings.NewReader(`{"name":"probe","amount":1}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := s.Client(sim.SourceLesson).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		b.WriteString(coll + " next: " + resp.Status + " " + resp.Header.Get("Location") + "\n")
	}
	return b.String()
}

// TestExportedScriptReplayedWithCurlReachesTheSameState plays a session in
// process — faults, retries, an undo, a reset, odd targets and bodies —
// exports it as a shell script, runs the script with the real curl against a
// fresh server on a loopback port, and compares the two servers' states.
func TestExportedScriptReplayedWithCurlReachesTheSameState(t *testing.T) {
	needCurl(t)
	here := sim.New(sim.Options{})
	c := here.Client(sim.SourceComposer)
	sendLine(t, c, `PUT /accounts/42 {"balance": 7}`) // undone by the reset below
	if err := here.Reset(""); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		`PUT /accounts/42 {"balance": 100}`,
		`POST /accounts/42/interest {"rate": 0.1} x3`,
		`POST /customers {"name": "Joe O'Brien"}`,
		`GET /accounts/42`,
		`HEAD /accounts/42`,
		`OPTIONS *`,
		`curl -X PATCH /flights/AC789 -H 'Content-Type: application/merge-patch+json' -d '{"gate": "B 12"}'`,
		`POST /payments {"amount": 5} -H 'Idempotency-Key: "k1"' x2`,
		`DELETE /customers/1 x2`,
		`PUT /notes/a%20b {"text": "it's \"quoted\" and $HOME stays literal"}`,
		`curl -X POST /customers -d 'name=not json'`,
		`FROB /accounts/42`,
	} {
		sendLine(t, c, line)
	}
	c.SetFaults(sim.FaultSettings{LoseResponses: true})
	c.SetRetry(sim.RetryBrowser)
	sendLine(t, c, `POST /accounts/42/interest {"rate": 0.5}`) // lost, retried: applied twice
	c.SetFaults(sim.FaultSettings{DropRequests: true})
	c.SetRetry(sim.RetryNone)
	sendLine(t, c, `PUT /accounts/42 {"balance": 1}`) // never reached the server
	c.SetFaults(sim.FaultSettings{})
	sendLine(t, c, `POST /customers {"name": "undone"}`)
	here.Undo()
	// The sim clock counts exchanges, dropped and undone ones too, and stamps
	// what is created; the drop and the undo come last so that the replay,
	// which leaves them out, stamps everything at the same times.

	lines, note := request.Exchanges(here.EventsSince(0))
	if note != "" {
		t.Fatalf("note %q for a session without a restore", note)
	}
	var script bytes.Buffer
	if err := request.WriteShell(&script, lines, "exported by a test"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "session.sh")
	if err := os.WriteFile(file, script.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	there := sim.New(sim.Options{})
	addr := serveOnLoopback(t, there)
	cmd := exec.Command("sh", file)
	cmd.Env = append(os.Environ(), request.BaseEnv+"=http://"+addr+"/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sh %s: %v\n%s\nscript:\n%s", file, err, out, script.String())
	}
	if n := strings.Count(string(out), "\n"); n != len(lines) {
		t.Errorf("the script printed %d lines for %d requests:\n%s", n, len(lines), out)
	}
	for _, e := range there.EventsSince(0) {
		if e.Source != sim.SourceNetwork {
			t.Fatalf("event #%d came from %s, not over the network", e.Seq, e.Source)
		}
	}
	if got, want := state(t, there), state(t, here); got != want {
		t.Fatalf("after the replay the server holds\n%s\nbut the session left\n%s\nscript:\n%s\noutput:\n%s", got, want, script.String(), out)
	}
}

func TestScriptStopsWhenThereIsNoServer(t *testing.T) {
	needCurl(t)
	ln, err := sim.Listen("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	r, _ := request.Parse("GET /accounts/42")
	var script bytes.Buffer
	if err := request.WriteShell(&script, []request.Line{r, r}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", script.String())
	cmd.Env = append(os.Environ(), request.BaseEnv+"=http://"+addr)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the script succeeded with no server:\n%s", out)
	}
	if strings.Count(string(out), "curl:") != 1 {
		t.Fatalf("want curl's one complaint, then a stop:\n%s", out)
	}
}

func TestExchangesFollowUndoResetAndRestore(t *testing.T) {
	s := sim.New(sim.Options{})
	c := s.Client(sim.SourceComposer)
	describe := func() (string, string) {
		lines, note := request.Exchanges(s.EventsSince(0))
		var out []string
		for _, l := range lines {
			out = append(out, l.Method+" "+l.Target)
		}
		return strings.Join(out, ", "), note
	}
	sendLine(t, c, `PUT /accounts/42 {"balance": 1}`)
	if err := s.Reset(""); err != nil {
		t.Fatal(err)
	}
	sendLine(t, c, `PUT /accounts/42 {"balance": 2}`)
	sendLine(t, c, `POST /customers {"name": "Ann"}`)
	sendLine(t, c, `GET /customers`)
	s.Undo() // reverts the POST, not the GET after it
	c.SetFaults(sim.FaultSettings{DropRequests: true})
	sendLine(t, c, `DELETE /accounts/42`)
	c.SetFaults(sim.FaultSettings{LoseResponses: true})
	sendLine(t, c, `PUT /accounts/42 {"balance": 3}`)
	if got, note := describe(); got != "PUT /accounts/42, GET /customers, PUT /accounts/42" || note != "" {
		t.Fatalf("got %q, note %q", got, note)
	}

	cp := s.Checkpoint()
	sendLine(t, c, `PUT /accounts/42 {"balance": 4}`)
	s.Restore(cp)
	c.SetFaults(sim.FaultSettings{})
	sendLine(t, c, `GET /accounts/42`)
	got, note := describe()
	if got != "GET /accounts/42" || !strings.Contains(note, "checkpoint") {
		t.Fatalf("after a restore: got %q, note %q", got, note)
	}
}

func TestFromMessageDropsWhatTheSenderWorksOut(t *testing.T) {
	l := request.FromMessage(sim.Message{Method: "PUT", Target: "/x", Body: []byte("{}"), Header: http.Header{
		"Host": {"h"}, "Content-Length": {"2"}, "Content-Type": {"application/json"}, "Idempotency-Key": {`"k"`},
	}})
	want := http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {`"k"`}}
	if l.Method != "PUT" || l.Target != "/x" || l.Body != "{}" || l.Repeat != 1 || !l.Curl || len(l.Header) != 2 ||
		l.Header.Get("Content-Type") != want.Get("Content-Type") || l.Header.Get("Idempotency-Key") != `"k"` {
		t.Fatalf("%#v", l)
	}
}
