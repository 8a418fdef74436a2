package session

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

func TestCurlOfIsTheExchangeAsACurlLine(t *testing.T) {
	s := newTest(t, Options{})
	if _, err := s.CurlOf(0); !errors.Is(err, ErrNoExchange) {
		t.Fatalf("before any exchange: %v", err)
	}
	s.Send(context.Background(), line(t, `PUT /accounts/42 {"balance": 100}`), 1)
	s.Send(context.Background(), line(t, `GET /accounts/42`), 1)
	first := s.Exchanges()[0].Seq
	got, err := s.CurlOf(first)
	if err != nil {
		t.Fatal(err)
	}
	back, err := request.Parse(got)
	if err != nil || back.Method != "PUT" || back.Target != "/accounts/42" || back.Body != `{"balance": 100}` {
		t.Fatalf("%s reads back as %+v (%v)", got, back, err)
	}
	if !strings.Contains(got, request.DefaultBase) {
		t.Errorf("without a listener the line should address %s: %s", request.DefaultBase, got)
	}
	if newest, _ := s.CurlOf(0); !strings.Contains(newest, "/accounts/42") || strings.Contains(newest, "balance") {
		t.Errorf("the newest exchange is the GET: %s", newest)
	}
	if _, err := s.CurlOf(999); !errors.Is(err, ErrNoExchange) || !strings.Contains(err.Error(), "#999") {
		t.Errorf("an unknown number: %v", err)
	}
}

func TestExportRefusesOtherFileNamesAndWritesNothing(t *testing.T) {
	s := newTest(t, Options{})
	path := filepath.Join(t.TempDir(), "requests.txt")
	if _, err := s.Export(path); err == nil || !strings.Contains(err.Error(), ".http") {
		t.Fatalf("a .txt export: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a refused export left a file: %v", err)
	}
	mine := filepath.Join(t.TempDir(), "mine.sh")
	if err := os.WriteFile(mine, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Export(mine); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("an export over an existing file: %v", err)
	}
	if data, _ := os.ReadFile(mine); string(data) != "precious" {
		t.Errorf("the existing file now holds %q", data)
	}
	if _, err := s.Export(filepath.Join(t.TempDir(), "missing", "x.sh")); err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Errorf("an export into a missing folder: %v", err)
	}
}

func TestExportedHTTPReadsBackAsTheSessionsRequests(t *testing.T) {
	s := newTest(t, Options{})
	for _, l := range []string{`PUT /accounts/42 {"balance": 100}`, `POST /customers {"name":"Joe"}`, `DELETE /flights/AA123`} {
		s.Send(context.Background(), line(t, l), 1)
	}
	s.Undo() // the DELETE is not part of the state any more
	path := filepath.Join(t.TempDir(), "s.http")
	ex, err := s.Export(path)
	if err != nil || ex.Requests != 2 {
		t.Fatalf("export: %+v %v", ex, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := request.ParseHTTP(string(data))
	if err != nil || len(lines) != 2 || lines[0].Method != "PUT" || lines[1].Method != "POST" {
		t.Fatalf("read back %+v (%v) from:\n%s", lines, err, data)
	}
}

// TestExportedScriptReplayedWithCurlReachesTheSameState: the session's
// requests, exported as a shell script and run by the real curl against a
// fresh server, leave that server as the session left its own.
func TestExportedScriptReplayedWithCurlReachesTheSameState(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("curl is not installed; .ci/run installs it")
		}
		t.Skip("curl is not installed")
	}
	s := tutorial(t, "idempotence")
	for _, l := range []string{
		`PUT /accounts/42 {"balance": 100} x3`,
		`POST /accounts/42/interest {"rate": 0.05} x2`,
		`POST /customers {"name":"Ann"}`,
		`DELETE /customers/1`,
	} {
		s.Send(context.Background(), line(t, l), line(t, l).Repeat)
	}
	s.SetFaults(sim.FaultSettings{DropRequests: true}) // a dropped attempt never reached the server
	s.Send(context.Background(), line(t, `POST /customers {"name":"Bob"}`), 1)
	path := filepath.Join(t.TempDir(), "replay.sh")
	if _, err := s.Export(path); err != nil {
		t.Fatal(err)
	}

	fresh := newTest(t, Options{Server: sim.New(sim.Options{Fixture: s.Lesson().Fixture}), Listen: "127.0.0.1:0"})
	cmd := exec.Command("sh", path)
	cmd.Env = append(os.Environ(), "PUTPOST_URL=http://"+fresh.Addr())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the script failed: %v\n%s", err, out)
	}
	if a, b := world(s.Server()), world(fresh.Server()); a != b {
		t.Fatalf("after the replay\n%s\nthe session holds\n%s", b, a)
	}
}

// world is what a server stores, for comparisons.
func world(srv *sim.Server) string {
	var b strings.Builder
	for _, p := range srv.Paths() {
		body, etag, _ := srv.Resource(p)
		b.WriteString(p + " " + string(body) + " " + etag + "\n")
	}
	return b.String()
}

// A session whose learner is elsewhere (the classroom) writes no file
// whatever the name: it would land on the server, not with the learner.
func TestARemoteSessionExportsNothing(t *testing.T) {
	s := newTest(t, Options{Remote: true})
	s.Send(context.Background(), line(t, `PUT /accounts/42 {"balance": 100}`), 1)
	for _, name := range []string{"x.sh", "x.http", "../x.sh"} {
		path := filepath.Join(t.TempDir(), name)
		if _, err := s.Export(path); !errors.Is(err, ErrExportRemote) {
			t.Errorf("export to %s: %v", name, err)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("export to %s left a file: %v", name, err)
		}
	}
}
