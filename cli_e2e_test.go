//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

func TestManPageIsWritten(t *testing.T) {
	out, err := exec.Command(binary(t, "."), "man").Output()
	if err != nil {
		t.Fatalf("putpost man: %v", err)
	}
	for _, want := range []string{".TH PUTPOST 1", "serve", "--listen"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("man page lacks %q:\n%.600s", want, out)
		}
	}
}

// startServe runs `putpost serve` on a free loopback port until the test
// ends and returns its base URL.
func startServe(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(binary(t, "."), "serve", "--listen", "127.0.0.1:0")
	cmd.Env = childEnv(dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	})
	first, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("putpost serve said nothing: %v", err)
	}
	go io.Copy(io.Discard, stdout) // one line per exchange follows
	m := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("no address in %q", first)
	}
	return m[1]
}

// get fetches path from base and returns the status, ETag and body.
func get(t *testing.T, base, path string) string {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.Status + " " + resp.Header.Get("Etag") + " " + string(body)
}

// TestExportedScriptReplayedWithCurlAgainstPutpostServe: a session's requests,
// exported as a shell script and run with the real curl against the real
// `putpost serve`, leave every resource as the session left it.
func TestExportedScriptReplayedWithCurlAgainstPutpostServe(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("curl is not installed, and CI must replay exports with it (.ci/run installs it): %v", err)
		}
		t.Skip("curl is not installed: install it to replay an exported script with real curl")
	}
	here := sim.New(sim.Options{})
	c := here.Client(sim.SourceComposer)
	for _, line := range []string{
		`PUT /accounts/42 {"balance": 100}`,
		`POST /accounts/42/interest {"rate": 0.1} x2`,
		`POST /customers {"name": "Joe"}`,
		`POST /payments {"amount": 5} -H 'Idempotency-Key: "k1"' x2`,
		`curl -X PATCH /flights/AC789 --json '{"gate": "B12"}'`,
		`DELETE /flights/AA123`,
		`PUT /accounts/7 {"balance": 0}`,
	} {
		r, err := request.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		for range r.Repeat {
			req, _ := r.NewRequest(context.Background())
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
	}
	lines, _ := request.Exchanges(here.EventsSince(0))
	var script bytes.Buffer
	if err := request.WriteShell(&script, lines); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "session.sh")
	if err := os.WriteFile(file, script.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	base := startServe(t)
	sh := exec.Command("sh", file)
	sh.Env = append(os.Environ(), request.BaseEnv+"="+base)
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("sh %s: %v\n%s", file, err, out)
	}
	paths := append(here.Paths(), "/flights/AA123", "/customers", "/payments", "/accounts/42/transactions")
	for _, p := range paths {
		want := http.Header{}
		body, etag, ok := here.Resource(p)
		if !ok {
			// Not stored (deleted, or a collection): ask the session's server too.
			req, _ := http.NewRequest("GET", "http://putpost.local"+p, nil)
			resp, err := here.Client(sim.SourceLesson).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			want.Set("Status", resp.Status)
			etag = resp.Header.Get("Etag")
		} else {
			want.Set("Status", "200 OK")
		}
		if got, w := get(t, base, p), want.Get("Status")+" "+etag+" "+string(body); got != w {
			t.Errorf("GET %s after the replay:\n got %s\nwant %s", p, got, w)
		}
	}
}
