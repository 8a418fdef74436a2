package classroom

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	gossh "golang.org/x/crypto/ssh"
)

// TestTheRealOpenSSHClientPlaysALesson connects with the ssh command in a
// pseudo-terminal, as a learner would, checking the host key against the
// fingerprint the classroom prints.
func TestTheRealOpenSSHClientPlaysALesson(t *testing.T) {
	sshPath, err := exec.LookPath("ssh")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must have the OpenSSH client (.ci/run installs it)")
		}
		t.Skip("no ssh command on this machine")
	}
	c := startClassroom(t, Config{})
	host, port, _ := net.SplitHostPort(c.Addr().String())
	dir := t.TempDir()

	// A key of the learner's own, and the classroom's host key as known.
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pemBlock, err := gossh.MarshalPrivateKey(edKey, "")
	if err != nil {
		t.Fatal(err)
	}
	priv := filepath.Join(dir, "id")
	if err := os.WriteFile(priv, pem.EncodeToMemory(pemBlock), 0o600); err != nil {
		t.Fatal(err)
	}
	known := filepath.Join(dir, "known_hosts")
	line := "[" + host + "]:" + port + " " + string(gossh.MarshalAuthorizedKey(c.srv.HostSigners[0].PublicKey()))
	if err := os.WriteFile(known, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(sshPath, "-F", "/dev/null", "-tt", "-p", port,
		"-o", "UserKnownHostsFile="+known, "-o", "StrictHostKeyChecking=yes",
		"-o", "IdentitiesOnly=yes", "-i", priv, "-o", "BatchMode=yes",
		"ada@"+host)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 110, Rows: 34})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var waitErr error
	exited := make(chan struct{})
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // fails harmlessly when ssh has ended
		<-exited
	})

	em := vt.NewSafeEmulator(110, 34)
	go func() { _, _ = io.Copy(f, em) }() // the terminal's answers go back to ssh
	defer closeEmulator(em)
	var mu sync.Mutex
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := f.Read(buf)
			mu.Lock()
			_, _ = em.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	waitScreen := func(subs ...string) {
		t.Helper()
		deadline := time.Now().Add(waitLimit)
		for {
			mu.Lock()
			s := em.String()
			mu.Unlock()
			ok := true
			for _, sub := range subs {
				ok = ok && strings.Contains(s, sub)
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("ssh never showed %q:\n%s", subs, s)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	press := func(keys ...string) {
		for _, k := range keys {
			_, _ = io.WriteString(f, k)
			time.Sleep(50 * time.Millisecond)
		}
	}

	waitScreen("Meet the server", "the instructor sees your progress")
	press("x", "e", "\r")
	waitScreen("step passed")
	rows := c.room.Roster()
	if len(rows) != 1 || rows[0].Name != "ada" || !rows[0].Passed[0] {
		t.Errorf("the roster after ssh: %+v", rows)
	}
	press("\x1b")
	time.Sleep(150 * time.Millisecond)
	press("q")
	select {
	case <-exited:
		var ee *exec.ExitError
		if waitErr != nil && !errors.As(waitErr, &ee) {
			t.Errorf("ssh: %v", waitErr)
		}
	case <-time.After(waitLimit):
		t.Fatal("ssh did not end after q")
	}
}
