package plain

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad input to line mode that plain_test.go's badInputs table leaves out:
// the capped repeat and more curl options checked for lost state, a save
// that fails mid-session, and the start-up notice.

// moreBadInputs extend badInputs (plain_test.go); the same test plays both.
var moreBadInputs = []badInput{
	{"repeat x1000000", `PUT /accounts/42 {"balance":1} x1000000`, []string{"not sent", "capped at 1000", "x1000 or fewer"}, false},
	{"repeat that overflows", `PUT /accounts/42 {"balance":1} x99999999999999999999999`, []string{"not sent", "capped at 1000"}, false},
	{"unbalanced double quote", `PUT /accounts/42 {"balance":1} -H "Prefer: return=minimal`, []string{"not sent", `this " is never closed`}, false},
	{"curl -F", `curl -F balance=1 http://localhost:8080/accounts/42`, []string{"not sent", "-F", "not supported"}, false},
	{"curl -o", `curl -o out.json http://localhost:8080/accounts/42`, []string{"not sent", "-o", "not supported"}, false},
	{"curl -u", `curl -u me:pw http://localhost:8080/accounts/42`, []string{"not sent", "-u", "not supported"}, false},
	{"curl -L", `curl -L http://localhost:8080/accounts/42`, []string{"not sent", "-L", "not supported"}, false},
	{"curl --compressed", `curl --compressed http://localhost:8080/accounts/42`, []string{"not sent", "--compressed", "not supported"}, false},
	{"curl --data-urlencode", `curl -X PUT --data-urlencode balance=1 http://localhost:8080/accounts/42`, []string{"not sent", "--data-urlencode", "not supported"}, false},
	{"C1 control character inside the line (a trailing one is trimmed as a blank)", "GET /accounts/\u008542", []string{"not sent", "U+0085"}, false},
	{"DEL", "GET /accounts/42\x7f", []string{"not sent", "U+007F"}, false},
	{"lone carriage return inside a line", "GET /accounts/42\rPUT /accounts/42 {\"balance\":1}", []string{"not sent"}, false},
}

// The state folder can stop being writable while the learner works: the
// step still passes, line mode says once that progress could not be saved,
// and goes on.
func TestSaveFailureMidSessionIsSaidAndTheSessionGoesOn(t *testing.T) {
	h := newHarness(t, true)
	dir := filepath.Dir(h.progress)
	// A file where the folder was: fails for root too.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a folder"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := h.run(t, "lesson put-replace\nPUT /flights/AA123 {\"status\":\"ontime\",\"gate\":\"b12\"}\nnext\nstep\n")
	if !strings.Contains(out, "✓ step passed") {
		t.Errorf("the step did not pass:\n%s", out)
	}
	// Opening the lesson and passing its step both failed to save; the
	// learner hears about it once.
	if n := strings.Count(out, "Progress could not be saved: "); n != 1 {
		t.Errorf("the failed save is reported %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "Step 2 of 4") {
		t.Errorf("the session did not go on to the next step:\n%s", out)
	}
	if done, _ := h.sess.Done("put-replace"); done != 1 {
		t.Errorf("%d steps of put-replace are passed in memory, want 1", done)
	}
}

// A notice (corrupt progress moved aside, progress not saved) is the first
// thing line mode prints, once.
func TestNoticeIsTheFirstLineAndIsSaidOnce(t *testing.T) {
	h := newHarness(t, true)
	notice := "Cannot write to /state/putpost (read-only file system): the tutorial runs, but progress will not be saved."
	var out bytes.Buffer
	err := Run(context.Background(), Options{In: strings.NewReader("help\nstep\n"), Out: &out, Session: h.sess, Notice: notice})
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(out.String(), "\n")
	if first != notice {
		t.Errorf("first line = %q\nwant the notice %q", first, notice)
	}
	if n := strings.Count(out.String(), notice); n != 1 {
		t.Errorf("the notice is printed %d times", n)
	}
}
