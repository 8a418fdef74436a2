//go:build unix

package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/termsafe"
)

// A lesson file with escape sequences in its title (the issue's
// set-window-title, colour, OSC 8 and C1): lint reports it, and lessons
// refuses the folder, printing the problem escaped.
func TestLessonTitlesWithEscapeSequencesAreRefusedAndShownEscaped(t *testing.T) {
	for name, title := range map[string]string{
		"window title": "Hello\x1b]0;pwned\x07",
		"colour":       "\x1b[31mRed title\x1b[0m",
		"OSC 8 link":   "\x1b]8;;https://evil.example\x07CLICKME\x1b]8;;\x07",
		"C1":           "Title\u009b2J",
	} {
		t.Run(name, func(t *testing.T) {
			lesson := strings.Replace(goodLesson, "title: The house rules of this bank", "title: "+title, 1)
			dir := writeLessonDir(t, map[string]string{"01-evil.md": lesson})
			lint := runCmd(t, nil, "lint", dir)
			if lint.err == nil || strings.Contains(lint.stdout, "no problems") || !strings.Contains(lint.stdout, "01-evil.md:3: the line holds ") {
				t.Errorf("lint: %v\n%s", lint.err, lint.stdout)
			}
			list := runCmd(t, nil, "lessons", "--lessons", dir)
			if list.err == nil {
				t.Errorf("lessons listed a folder whose lesson has a hostile title:\n%s", list.stdout)
			}
			for _, out := range []string{lint.stdout, lint.stderr, list.stdout, list.stderr, list.err.Error()} {
				if err := termsafe.CheckStyled(out, termsafe.Attributes); err != nil {
					t.Errorf("%v", err)
				}
			}
		})
	}
}

// A lesson folder holding a named pipe or a link to /dev/zero: the start
// is refused at once with file: not a regular file.
func TestALessonThatIsNotARegularFileStopsTheStartWithAClearMessage(t *testing.T) {
	for name, prepare := range map[string]func(path string) error{
		"a link to /dev/zero": func(path string) error { return os.Symlink("/dev/zero", path) },
		"a named pipe":        func(path string) error { return syscall.Mkfifo(path, 0o600) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := writeLessonDir(t, map[string]string{"01-house.md": goodLesson})
			if err := prepare(filepath.Join(dir, "x.md")); err != nil {
				t.Fatal(err)
			}
			r := runCmd(t, strings.NewReader("quit\n"), "--lessons", dir)
			want := filepath.Join(dir, "x.md") + ": not a regular file"
			if r.err == nil || !strings.Contains(r.err.Error(), want) {
				t.Fatalf("err = %v, want it to say %q", r.err, want)
			}
		})
	}
}

// --listen answers 421 to a request for another host name (DNS rebinding)
// unless --allow-remote, and the request never reaches the sim.
func TestListenRefusesOtherHostNamesUnlessAllowRemote(t *testing.T) {
	for _, allow := range []bool{false, true} {
		sess, err := session.New(session.Options{Listen: "127.0.0.1:0", AllowRemote: allow})
		if err != nil {
			t.Fatal(err)
		}
		srv, addr, shutdown := sess.Server(), sess.Addr(), sess.Close
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/accounts/42", nil)
		req.Host = "attacker.example"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		shutdown()
		want := http.StatusMisdirectedRequest
		if allow {
			want = http.StatusOK
		}
		if resp.StatusCode != want {
			t.Errorf("allow-remote %v: Host attacker.example got %d %s, want %d", allow, resp.StatusCode, body, want)
		}
		if !allow && (srv.LastSeq() != 0 || !strings.Contains(string(body), "--allow-remote")) {
			t.Errorf("the refusal reached the sim (%d events) or does not name --allow-remote: %s", srv.LastSeq(), body)
		}
	}
}
