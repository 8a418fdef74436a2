package classroom

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	gossh "golang.org/x/crypto/ssh"

	"github.com/putpost/putpost/lessons"
)

// waitLimit bounds how long a test waits for a screen to show something;
// it is a deadline against hanging, not a timing assertion.
const waitLimit = 20 * time.Second

func builtin(t testing.TB) []*lessons.Lesson {
	t.Helper()
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return ls
}

// startClassroom runs a classroom on a loopback port until the test ends.
func startClassroom(t testing.TB, cfg Config) *Classroom {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = "127.0.0.1:0"
	}
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	if cfg.Lessons == nil {
		cfg.Lessons = builtin(t)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.Shutdown(ctx)
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return c
}

func newKey(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// writeKeys writes an authorized_keys file of signers' public keys.
func writeKeys(t testing.TB, signers ...gossh.Signer) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("# the instructor\n\n")
	for _, s := range signers {
		b.Write(gossh.MarshalAuthorizedKey(s.PublicKey()))
	}
	path := filepath.Join(t.TempDir(), "teachers")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// dial connects as user, with key when not nil, else keyboard-interactive.
func dial(t testing.TB, c *Classroom, user string, key gossh.Signer) *gossh.Client {
	t.Helper()
	auth := []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })}
	if key != nil {
		auth = []gossh.AuthMethod{gossh.PublicKeys(key)}
	}
	cl, err := gossh.Dial("tcp", c.Addr().String(), &gossh.ClientConfig{
		User: user, Auth: auth,
		HostKeyCallback: gossh.FixedHostKey(c.srv.HostSigners[0].PublicKey()),
		Timeout:         waitLimit,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	return cl
}

// term is an SSH session with a terminal, its output kept in an emulator.
type term struct {
	t    testing.TB
	sess *gossh.Session
	in   io.WriteCloser
	em   *vt.SafeEmulator
	mu   sync.Mutex
	raw  strings.Builder // every byte received, for messages after the screen
	done chan struct{}
}

// open starts cmd ("" for the tutorial) in a w×h xterm-256color terminal.
func open(t testing.TB, cl *gossh.Client, cmd string, w, h int) *term {
	t.Helper()
	return openTERM(t, cl, "xterm-256color", cmd, w, h, nil)
}

// openTERM is open with another TERM. With bg, the terminal answers the
// program's queries as a terminal of that background colour would; without,
// it answers nothing.
func openTERM(t testing.TB, cl *gossh.Client, termName, cmd string, w, h int, bg color.Color) *term {
	t.Helper()
	s, err := cl.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RequestPty(termName, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	in, err := s.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	// A window without a size is drawn in 80×24; the emulator follows.
	ew, eh := w, h
	if ew < 1 || eh < 1 {
		ew, eh = unknownWidth, unknownHeight
	}
	tm := &term{t: t, sess: s, in: in, em: vt.NewSafeEmulator(ew, eh), done: make(chan struct{})}
	answers := io.Discard
	if bg != nil {
		tm.em.SetDefaultBackgroundColor(bg)
		answers = in
	}
	go func() { _, _ = io.Copy(answers, tm.em) }()
	go func() {
		defer close(tm.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := out.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				tm.raw.Write(buf[:n])
				_, _ = tm.em.Write(buf[:n])
				tm.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	if cmd == "" {
		err = s.Shell()
	} else {
		err = s.Start(cmd)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.Close()
		closeEmulator(tm.em)
	})
	return tm
}

func (tm *term) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.em.String()
}

func (tm *term) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.raw.String()
}

// waitFor waits until the screen shows every one of subs.
func (tm *term) waitFor(subs ...string) {
	tm.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		s := tm.screen()
		ok := true
		for _, sub := range subs {
			if !strings.Contains(s, sub) {
				ok = false
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the screen never showed %q:\n%s", subs, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitOutput waits until the output holds sub (text after the program
// ended, on the main screen).
func (tm *term) waitOutput(sub string) {
	tm.t.Helper()
	select {
	case <-tm.done:
	case <-time.After(waitLimit):
	}
	if !strings.Contains(tm.output(), sub) {
		tm.t.Fatalf("the output never said %q:\n%q", sub, tm.output())
	}
}

// keys types each string as it is (a key, or a run of text).
func (tm *term) keys(keys ...string) {
	tm.t.Helper()
	for _, k := range keys {
		if _, err := io.WriteString(tm.in, k); err != nil {
			tm.t.Fatal(err)
		}
		// Let each key be read on its own: a lone esc is told from the
		// start of a sequence by what follows it, and when.
		pause := 30 * time.Millisecond
		if k == "\x1b" {
			pause = 150 * time.Millisecond
		}
		time.Sleep(pause)
	}
}

// ended waits for the session to end.
func (tm *term) ended() {
	tm.t.Helper()
	select {
	case <-tm.done:
	case <-time.After(waitLimit):
		tm.t.Fatal("the session did not end")
	}
}

// passFirstStep plays lesson 1 step 1 from a fresh seat: dismiss the
// notice, then send the suggested GET.
func (tm *term) passFirstStep() {
	tm.t.Helper()
	tm.waitFor("Meet the server", "You are in a classroom")
	tm.keys("x", "e", "\r")
	tm.waitFor("step passed")
}

// closeEmulator ends the goroutine that reads an emulator's answers.
func closeEmulator(em *vt.SafeEmulator) {
	if pw, ok := em.InputPipe().(*io.PipeWriter); ok {
		_ = pw.Close()
	}
}
