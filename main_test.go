package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/sim"
)

// testTimeout bounds every call of run and every wait in these tests. It is
// generous: the machines that run them are shared and sometimes slow.
const testTimeout = 30 * time.Second

// syncBuffer is a bytes.Buffer that a program may write while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or the timeout passes; then it fails the
// test with what describes the last state seen.
func waitFor(t testing.TB, timeout time.Duration, cond func() bool, what func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting for %s", timeout, what())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// result is what one call of run left behind.
type result struct {
	err            error
	stdout, stderr string
}

// runCmd calls run with args and stdin, isolating it from the user's state:
// XDG_STATE_HOME and HOME point into a temporary folder.
func runCmd(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	isolateState(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var stdout, stderr syncBuffer
	err := run(ctx, args, stdin, &stdout, &stderr)
	return result{err: err, stdout: stdout.String(), stderr: stderr.String()}
}

// isolateState points the progress file's default location into a temporary
// folder for the rest of the test, and returns that folder.
func isolateState(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("PUTPOST_TEST_STATE"); d != "" {
		return d // already isolated by this test
	}
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv("PUTPOST_TEST_STATE", dir)
	return dir
}

func TestHelpListsEveryCommandAndFlagAndSucceeds(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		r := runCmd(t, nil, args...)
		if r.err != nil {
			t.Fatalf("%q: %v", args, r.err)
		}
		for _, want := range []string{"USAGE", "putpost [command]", "sandbox", "lessons", "lint DIR|FILE.md...", "serve", "completion",
			"--lesson", "--lessons", "--only-lessons", "--plain", "--listen", "--allow-remote", "--progress", "-v --verbose", "--color", "--version"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%q: help lacks %q:\n%s", args, want, r.stdout)
			}
		}
		if r.stderr != "" {
			t.Errorf("%q wrote to stderr: %q", args, r.stderr)
		}
	}
}

func TestHelpForOneCommandShowsItsFlags(t *testing.T) {
	for _, args := range [][]string{{"help", "serve"}, {"serve", "--help"}, {"serve", "-h"}} {
		r := runCmd(t, nil, args...)
		if r.err != nil {
			t.Fatalf("%q: %v", args, r.err)
		}
		for _, want := range []string{"putpost serve", "--listen", "(127.0.0.1:8080)", "--fixture", "bank", "--allow-remote"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%q: help lacks %q:\n%s", args, want, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "--plain") {
			t.Errorf("%q: serve's help shows the tutorial's --plain:\n%s", args, r.stdout)
		}
	}
}

func TestHelpShowsOnlyTheFlagsThatMeanSomethingThere(t *testing.T) {
	for _, tc := range []struct {
		args          []string
		want, without []string
	}{
		{[]string{"help", "sandbox"}, []string{"--plain", "--listen", "--progress"}, []string{"--lesson "}},
		{[]string{"help", "lessons"}, []string{"--lessons", "--only-lessons", "--progress"}, []string{"--lesson ", "--plain", "--listen"}},
		{[]string{"help", "lint"}, []string{"lint DIR|FILE.md...", "--play"}, []string{"--progress"}},
	} {
		r := runCmd(t, nil, tc.args...)
		if r.err != nil {
			t.Fatalf("%q: %v", tc.args, r.err)
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%q lacks %q:\n%s", tc.args, w, r.stdout)
			}
		}
		for _, w := range tc.without {
			if strings.Contains(r.stdout, w) {
				t.Errorf("%q shows %q:\n%s", tc.args, w, r.stdout)
			}
		}
	}
}

func TestVersionPrintsAndSucceeds(t *testing.T) {
	r := runCmd(t, nil, "--version")
	if r.err != nil || !strings.HasPrefix(r.stdout, "putpost version ") || !strings.Contains(r.stdout, "go1.") {
		t.Fatalf("--version: %v\n%q", r.err, r.stdout)
	}
}

func TestCompletionScriptsAreOffered(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		r := runCmd(t, nil, "completion", sh)
		if r.err != nil || !strings.Contains(r.stdout, "putpost") || len(r.stdout) < 500 {
			t.Errorf("completion %s: %v, %d bytes", sh, r.err, len(r.stdout))
		}
	}
	// Completion knows the lessons and the fixtures.
	r := runCmd(t, nil, "__complete", "--lesson", "")
	if r.err != nil || !strings.Contains(r.stdout, "put-replace\t") {
		t.Errorf("completing --lesson: %v\n%s", r.err, r.stdout)
	}
	r = runCmd(t, nil, "__complete", "serve", "--fixture", "")
	if r.err != nil || !strings.Contains(r.stdout, "bank\n") {
		t.Errorf("completing --fixture: %v\n%s", r.err, r.stdout)
	}
}

func TestUnknownCommandNamesItAndExitsWithUsage(t *testing.T) {
	r := runCmd(t, nil, "frobnicate")
	if !errors.Is(r.err, errUsage) {
		t.Fatalf("err = %v, want errUsage", r.err)
	}
	if got := exitCode(r.err); got != 2 {
		t.Errorf("exit code %d, want 2", got)
	}
	if !strings.Contains(r.stderr, `unknown command "frobnicate"`) || !strings.Contains(r.stderr, "putpost --help") {
		t.Errorf("stderr should name the command and point at --help:\n%s", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}
	if r := runCmd(t, nil, "serv"); !strings.Contains(r.stderr, `did you mean "serve"?`) {
		t.Errorf("a near miss gets no suggestion:\n%s", r.stderr)
	}
	r = runCmd(t, nil, "help", "serv")
	if exitCode(r.err) != 2 || !strings.Contains(r.stderr, `unknown command "serv"; did you mean "serve"?`) || r.stdout != "" {
		t.Errorf("help for a command that does not exist: %v\nstdout %q\nstderr %q", r.err, r.stdout, r.stderr)
	}
}

func TestBadFlagsAreUsageErrorsThatNameTheFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "-bogus"},
		{[]string{"sandbox", "--bogus"}, "-bogus"},
		{[]string{"lessons", "--nope"}, "-nope"},
		{[]string{"serve", "--fixture"}, "-fixture"},
		{[]string{"--lesson"}, "-lesson"},
		{[]string{"sandbox", "stray"}, `unexpected argument "stray"`},
		{[]string{"lessons", "stray"}, `unexpected argument "stray"`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runCmd(t, nil, tc.args...)
			if !errors.Is(r.err, errUsage) {
				t.Fatalf("err = %v, want errUsage", r.err)
			}
			if exitCode(r.err) != 2 {
				t.Errorf("exit code %d, want 2", exitCode(r.err))
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr should mention %q:\n%s", tc.want, r.stderr)
			}
		})
	}
}

// TestCommandMayFollowFlags: "putpost --plain sandbox" and "putpost
// sandbox --plain" mean the same, and a flag's value is never taken for the
// command.
func TestCommandMayFollowFlags(t *testing.T) {
	progress := filepath.Join(t.TempDir(), "lessons")
	for _, args := range [][]string{
		{"--progress", progress, "lessons"},
		{"lessons", "--progress", progress},
		{"--progress=" + progress, "lessons"},
	} {
		r := runCmd(t, nil, args...)
		if r.err != nil {
			t.Errorf("%q: %v\n%s", args, r.err, r.stderr)
			continue
		}
		lessonRow(t, r.stdout, "put-replace")
	}

	// The value after a flag that takes one is never taken for the command.
	r := runCmd(t, strings.NewReader("GET /flights/AA123\n"), "--progress", progress, "--lesson", "put-replace")
	if r.err != nil || !strings.Contains(r.stdout, "Lesson 2 of 13") {
		t.Errorf("--progress lessons --lesson put-replace: %v\n%s", r.err, r.stdout)
	}

	for _, args := range [][]string{{"--plain", "sandbox"}, {"sandbox", "--plain"}} {
		r := runCmd(t, strings.NewReader("GET /accounts/42\n"), args...)
		if r.err != nil || !strings.Contains(r.stdout, "Sandbox") || !strings.Contains(r.stdout, "200 OK") {
			t.Errorf("%q: %v\n%s", args, r.err, r.stdout)
		}
	}
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{errUsage, 2},
		{errLint, 1},
		{errors.New("anything else"), 1},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestLintBuiltinLessonsHaveNoProblems(t *testing.T) {
	r := runCmd(t, nil, "lint", filepath.Join("lessons", "builtin"))
	if r.err != nil {
		t.Fatalf("lint lessons/builtin: %v\nstdout:\n%s\nstderr:\n%s", r.err, r.stdout, r.stderr)
	}
	if strings.TrimSpace(r.stdout) != "no problems" {
		t.Errorf("stdout = %q, want \"no problems\"", r.stdout)
	}
}

func TestLintPlayBuiltinLessonsIsClean(t *testing.T) {
	r := runCmd(t, nil, "lint", "--play", filepath.Join("lessons", "builtin"))
	if r.err != nil || strings.TrimSpace(r.stdout) != "no problems" {
		t.Fatalf("lint --play lessons/builtin: %v\nstdout:\n%s\nstderr:\n%s", r.err, r.stdout, r.stderr)
	}
}

func TestLintPlayOneFileReportsAFalsePassAtItsLine(t *testing.T) {
	file := filepath.Join("lessons", "testdata", "play", "01-false-pass.md")
	r := runCmd(t, nil, "lint", "--play", file)
	if !errors.Is(r.err, errLint) {
		t.Fatalf("err = %v, want errLint\nstdout:\n%s", r.err, r.stdout)
	}
	want := filepath.ToSlash(file) + ":17: step 1 \"Put AA123 on time\" passes with wrong answers"
	if !strings.HasPrefix(r.stdout, want) {
		t.Errorf("stdout = %q, want it to start with %q", r.stdout, want)
	}
	// Without --play the same file loads cleanly: the defect is only visible in play.
	if r := runCmd(t, nil, "lint", file); r.err != nil {
		t.Errorf("lint without --play: %v\n%s", r.err, r.stdout)
	}
}

// brokenLesson is a valid lesson but for one check on line 13, which asks
// for a status code that does not exist.
const brokenLesson = `---
id: broken-status
title: A lesson with an impossible status
fixture: bank
---
Set the balance.

## Step: Set the balance
Send the new balance.

` + "```check" + `
request PUT /accounts/42
status 2000
` + "```" + `

` + "```solution" + `
PUT /accounts/42 {"balance":100}
` + "```" + `
`

// goodLesson is a small valid lesson for --lessons tests.
const goodLesson = `---
id: house-rules
title: The house rules of this bank
summary: One PUT.
fixture: bank
---
A lesson written by a host.

## Step: Set the balance
Set the balance of account 42 to 100.

` + "```request" + `
PUT /accounts/42 {"balance":100}
` + "```" + `

` + "```check" + `
field /accounts/42 balance 100
` + "```" + `

` + "```solution" + `
PUT /accounts/42 {"balance":100}
` + "```" + `
`

func writeLessonDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLintReportsFileAndLineOfEachProblem(t *testing.T) {
	dir := writeLessonDir(t, map[string]string{"01-broken.md": brokenLesson})
	r := runCmd(t, nil, "lint", dir)
	if !errors.Is(r.err, errLint) {
		t.Fatalf("err = %v, want errLint\nstdout:\n%s", r.err, r.stdout)
	}
	if exitCode(r.err) != 1 {
		t.Errorf("exit code %d, want 1", exitCode(r.err))
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	re := regexp.MustCompile(`^(.+):(\d+): (.+)$`)
	file := filepath.Join(dir, "01-broken.md")
	foundStatus := false
	for _, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("lint line %q is not file:line: problem", l)
			continue
		}
		if m[1] != file {
			t.Errorf("lint line %q names %q, want %q", l, m[1], file)
		}
		if m[2] == "13" && strings.Contains(m[3], "2000") {
			foundStatus = true
		}
	}
	if !foundStatus {
		t.Errorf("no problem reported on line 13 naming the status 2000:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "problem(s)") {
		t.Errorf("stderr should count the problems: %q", r.stderr)
	}
}

func TestLintWithoutFolderIsAUsageError(t *testing.T) {
	r := runCmd(t, nil, "lint")
	if !errors.Is(r.err, errUsage) {
		t.Fatalf("err = %v, want errUsage", r.err)
	}
	if !strings.Contains(r.stderr, "name at least one folder") {
		t.Errorf("stderr should say what is missing:\n%s", r.stderr)
	}
}

func TestLintMissingFolderIsReported(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-folder")
	r := runCmd(t, nil, "lint", missing)
	if !errors.Is(r.err, errLint) {
		t.Fatalf("err = %v, want errLint\nstdout:\n%s", r.err, r.stdout)
	}
	if !strings.Contains(r.stdout, missing) {
		t.Errorf("the problem should name the folder %s:\n%s", missing, r.stdout)
	}
}

// lessonRow finds the row of a lesson in `putpost lessons` output.
func lessonRow(t *testing.T, out, id string) string {
	t.Helper()
	for l := range strings.SplitSeq(out, "\n") {
		if f := strings.Fields(strings.TrimPrefix(l, "▶")); len(f) > 1 && f[1] == id {
			return l
		}
	}
	t.Fatalf("no row for lesson %s in:\n%s", id, out)
	return ""
}

func TestLessonsListsTheCurriculumOnAFirstRun(t *testing.T) {
	r := runCmd(t, nil, "lessons")
	if r.err != nil {
		t.Fatalf("lessons: %v\n%s", r.err, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if len(lines) != 13 {
		t.Errorf("%d lessons listed, want the 13 built-in ones:\n%s", len(lines), r.stdout)
	}
	row := lessonRow(t, r.stdout, "put-replace")
	if !strings.Contains(row, "PUT replaces what is at a URL you know") || !strings.Contains(row, "0/4") || !strings.Contains(row, "0%") {
		t.Errorf("put-replace row = %q, want its title and 0/4 0%%", row)
	}
	if strings.Contains(r.stdout, "▶") {
		t.Errorf("a first run has no current lesson, but one is marked:\n%s", r.stdout)
	}
	// Listing must not create the progress file: nothing has happened yet.
	if _, err := os.Stat(filepath.Join(os.Getenv("XDG_STATE_HOME"), "putpost", "progress.json")); err == nil {
		t.Errorf("lessons created a progress file")
	}
}

// TestLineModeStepPassesAndProgressIsSaved plays the first step of
// put-replace through run with a non-terminal stdin (line mode), then lists
// the lessons from the same progress file.
func TestLineModeStepPassesAndProgressIsSaved(t *testing.T) {
	progress := filepath.Join(t.TempDir(), "state", "progress.json")
	in := "PUT /flights/AA123 {\"status\":\"ontime\",\"gate\":\"b12\"}\n"
	r := runCmd(t, strings.NewReader(in), "--lesson", "put-replace", "--progress", progress)
	if r.err != nil {
		t.Fatalf("tutorial: %v\nstderr:\n%s", r.err, r.stderr)
	}
	for _, want := range []string{
		"PUT replaces what is at a URL you know",
		"Step 1 of 4: Put the flight on time",
		"> PUT /flights/AA123", // echoed, because stdin is not a terminal
		"200 OK",
		"✓ step passed",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("line mode output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.ContainsRune(r.stdout, '\x1b') {
		t.Errorf("line mode printed an escape sequence:\n%q", r.stdout)
	}

	data, err := os.ReadFile(progress)
	if err != nil {
		t.Fatalf("progress was not saved: %v", err)
	}
	var saved struct {
		Current string           `json:"current"`
		Passed  map[string][]int `json:"passed"`
	}
	if err := json.Unmarshal(data, &saved); err != nil {
		t.Fatalf("progress file is not JSON: %v\n%s", err, data)
	}
	if saved.Current != "put-replace" || len(saved.Passed["put-replace"]) != 1 || saved.Passed["put-replace"][0] != 0 {
		t.Errorf("progress file = %s, want current put-replace with step 0 passed", data)
	}

	l := runCmd(t, nil, "lessons", "--progress", progress)
	if l.err != nil {
		t.Fatalf("lessons: %v", l.err)
	}
	row := lessonRow(t, l.stdout, "put-replace")
	if !strings.HasPrefix(row, "▶") || !strings.Contains(row, "1/4") || !strings.Contains(row, "25%") {
		t.Errorf("put-replace row = %q, want it current (▶) with 1/4 25%%", row)
	}
}

func TestLineModeWrongAnswerDoesNotPass(t *testing.T) {
	progress := filepath.Join(t.TempDir(), "progress.json")
	r := runCmd(t, strings.NewReader("PUT /flights/AA123 {\"status\":\"ontime\"}\n"), "--lesson", "put-replace", "--progress", progress)
	if r.err != nil {
		t.Fatalf("tutorial: %v", r.err)
	}
	if strings.Contains(r.stdout, "step passed") {
		t.Errorf("half a state passed the step:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "Not yet") {
		t.Errorf("line mode should say what is missing:\n%s", r.stdout)
	}
}

func TestProgressFromXDGStateHome(t *testing.T) {
	state := isolateState(t)
	r := runCmd(t, strings.NewReader("PUT /flights/AA123 {\"status\":\"ontime\",\"gate\":\"b12\"}\n"), "--lesson", "put-replace")
	if r.err != nil || !strings.Contains(r.stdout, "step passed") {
		t.Fatalf("tutorial: %v\n%s", r.err, r.stdout)
	}
	if _, err := os.Stat(filepath.Join(state, "putpost", "progress.json")); err != nil {
		t.Fatalf("no progress in $XDG_STATE_HOME/putpost: %v", err)
	}
	l := runCmd(t, nil, "lessons")
	if row := lessonRow(t, l.stdout, "put-replace"); !strings.Contains(row, "1/4") {
		t.Errorf("put-replace row = %q, want 1/4", row)
	}
}

func TestCorruptProgressIsMovedAsideWithANotice(t *testing.T) {
	dir := t.TempDir()
	progress := filepath.Join(dir, "progress.json")
	if err := os.WriteFile(progress, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCmd(t, nil, "lessons", "--progress", progress)
	if r.err != nil {
		t.Fatalf("lessons: %v", r.err)
	}
	if !strings.Contains(r.stderr, "moved it to") {
		t.Errorf("stderr should say where the corrupt file went: %q", r.stderr)
	}
	aside, _ := filepath.Glob(progress + ".corrupt-*")
	if len(aside) != 1 {
		t.Errorf("corrupt file not moved aside; folder holds %v", aside)
	}
}

func TestUnknownLessonIsRefusedWithASuggestion(t *testing.T) {
	r := runCmd(t, nil, "--lesson", "put-replce", "--progress", filepath.Join(t.TempDir(), "p.json"))
	if r.err == nil {
		t.Fatalf("an unknown lesson was accepted:\n%s", r.stdout)
	}
	if !strings.Contains(r.err.Error(), `"put-replce"`) || !strings.Contains(r.err.Error(), "put-replace") {
		t.Errorf("error = %q, want it to name the lesson and suggest put-replace", r.err)
	}
	if r.stdout != "" {
		t.Errorf("nothing should be printed before the error; stdout:\n%s", r.stdout)
	}
}

func TestMissingLessonsFolderFailsAtStart(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "my-lessons")
	for _, args := range [][]string{
		{"--lessons", missing},
		{"lessons", "--lessons", missing},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// Input that would pass a step proves nothing ran.
			r := runCmd(t, strings.NewReader("GET /accounts/42\n"), args...)
			if r.err == nil {
				t.Fatalf("a missing --lessons folder was accepted:\n%s", r.stdout)
			}
			msg := r.err.Error()
			if !strings.Contains(msg, "--lessons") || !strings.Contains(msg, missing) {
				t.Errorf("error = %q, want it to name --lessons and the folder", msg)
			}
			if r.stdout != "" {
				t.Errorf("nothing should run before the error; stdout:\n%s", r.stdout)
			}
		})
	}
}

func TestLessonsFolderAddsOrReplacesLessons(t *testing.T) {
	dir := writeLessonDir(t, map[string]string{"01-house.md": goodLesson})

	r := runCmd(t, nil, "lessons", "--lessons", dir)
	if r.err != nil {
		t.Fatalf("lessons --lessons: %v", r.err)
	}
	if n := strings.Count(r.stdout, "\n"); n != 14 {
		t.Errorf("%d lessons listed, want 13 built-in + 1:\n%s", n, r.stdout)
	}
	lessonRow(t, r.stdout, "house-rules")

	r = runCmd(t, nil, "lessons", "--lessons", dir, "--only-lessons")
	if r.err != nil {
		t.Fatalf("lessons --only-lessons: %v", r.err)
	}
	if n := strings.Count(r.stdout, "\n"); n != 1 {
		t.Errorf("%d lessons listed, want only the folder's one:\n%s", n, r.stdout)
	}
	lessonRow(t, r.stdout, "house-rules")

	// And the host's lesson plays in line mode.
	r = runCmd(t, strings.NewReader("PUT /accounts/42 {\"balance\":100}\n"),
		"--lessons", dir, "--only-lessons", "--progress", filepath.Join(t.TempDir(), "p.json"))
	if r.err != nil || !strings.Contains(r.stdout, "The house rules of this bank") || !strings.Contains(r.stdout, "step passed") {
		t.Errorf("host lesson in line mode: err %v\n%s", r.err, r.stdout)
	}
}

func TestBrokenLessonsFolderFailsWithFileAndLine(t *testing.T) {
	dir := writeLessonDir(t, map[string]string{"01-broken.md": brokenLesson})
	r := runCmd(t, nil, "--lessons", dir)
	if r.err == nil {
		t.Fatal("a broken lesson folder was accepted")
	}
	if want := filepath.Join(dir, "01-broken.md") + ":13:"; !strings.Contains(r.err.Error(), want) {
		t.Errorf("error = %q, want it to contain %q", r.err, want)
	}
}

func TestOnlyLessonsNeedsLessons(t *testing.T) {
	for _, args := range [][]string{{"--only-lessons"}, {"lessons", "--only-lessons"}} {
		r := runCmd(t, nil, args...)
		if !errors.Is(r.err, errUsage) || !strings.Contains(r.stderr, "--only-lessons needs --lessons") {
			t.Errorf("%v: err = %v, stderr %q; want a usage error saying --only-lessons needs --lessons", args, r.err, r.stderr)
		}
	}
}

func TestSandboxRefusesLesson(t *testing.T) {
	r := runCmd(t, nil, "sandbox", "--lesson", "put-replace")
	if r.err == nil || !strings.Contains(r.err.Error(), "--lesson has no meaning in the sandbox") {
		t.Errorf("err = %v, want the sandbox to refuse --lesson", r.err)
	}
}

func TestSandboxInLineMode(t *testing.T) {
	r := runCmd(t, strings.NewReader("GET /accounts/42\nPUT /flights/AA123 {\"status\":\"ontime\"}\n"), "sandbox")
	if r.err != nil {
		t.Fatalf("sandbox: %v", r.err)
	}
	for _, want := range []string{"Sandbox", "200 OK", `"ontime"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("sandbox output lacks %q:\n%s", want, r.stdout)
		}
	}
	// The sandbox has no lesson, so it must not touch the progress file.
	if _, err := os.Stat(filepath.Join(os.Getenv("XDG_STATE_HOME"), "putpost", "progress.json")); err == nil {
		t.Error("the sandbox wrote a progress file")
	}
}

func TestServeRefusesBadAddresses(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"no port", []string{"serve", "--listen", "localhost"}, []string{`"localhost"`, "host:port"}},
		{"all interfaces", []string{"serve", "--listen", "0.0.0.0:0"}, []string{"not a loopback address", "127.0.0.1:0", "allow"}},
		{"empty host", []string{"serve", "--listen", ":0"}, []string{"not a loopback address"}},
		{"tutorial too", []string{"--listen", "0.0.0.0:0", "--progress", "/dev/null/p.json"}, []string{"not a loopback address"}},
		{"unknown fixture", []string{"serve", "--listen", "127.0.0.1:0", "--fixture", "zoo"}, []string{`"zoo"`, "flights"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCmd(t, nil, tc.args...)
			if r.err == nil {
				t.Fatalf("%v was accepted", tc.args)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.err.Error(), w) {
					t.Errorf("error = %q, want it to contain %q", r.err, w)
				}
			}
		})
	}
}

func TestServeRefusesAPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := runCmd(t, nil, "serve", "--listen", ln.Addr().String())
	if r.err == nil || !strings.Contains(r.err.Error(), "choose another port") {
		t.Errorf("err = %v, want it to say the port is taken", r.err)
	}
}

// TestServePrintsOneLinePerExchangeAndStopsCleanly runs serve on a loopback
// listener, sends real HTTP requests, and cancels the context.
func TestServePrintsOneLinePerExchangeAndStopsCleanly(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	srv := sim.New(sim.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, &out, false) }()

	client := &http.Client{Timeout: testTimeout}
	get, err := client.Get("http://" + addr + "/accounts/42")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if get.StatusCode != 200 || !strings.Contains(string(body), "80") {
		t.Errorf("GET /accounts/42 = %d %s", get.StatusCode, body)
	}
	req, _ := http.NewRequest(http.MethodPut, "http://"+addr+"/accounts/42", strings.NewReader(`{"balance":100}`))
	req.Header.Set("Content-Type", "application/json")
	put, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	put.Body.Close()

	waitFor(t, testTimeout, func() bool {
		s := out.String()
		return strings.Contains(s, "#1 GET /accounts/42") && strings.Contains(s, "#2 PUT /accounts/42")
	}, func() string { return "a line per exchange; output so far:\n" + out.String() })

	s := out.String()
	if first := strings.SplitN(s, "\n", 2)[0]; !strings.Contains(first, "http://"+addr) || !strings.Contains(first, "curl") {
		t.Errorf("first line = %q, want the address and a curl example", first)
	}
	if !regexp.MustCompile(`#2 PUT /accounts/42 .*200`).MatchString(s) || !strings.Contains(s, "balance 80.00 → 100") {
		t.Errorf("PUT line should give the status and the new balance:\n%s", s)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancel, want nil", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	if !strings.HasSuffix(out.String(), "stopped\n") {
		t.Errorf("output should end with \"stopped\":\n%s", out.String())
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after serve stopped", addr)
	}
}

// TestLineModeListenAnswersAndAdvancesTheLesson: with --listen on port 0,
// line mode prints the port actually bound; a request sent there with Go's
// HTTP client is reported and passes the step; the listener closes with the
// session.
func TestLineModeListenAnswersAndAdvancesTheLesson(t *testing.T) {
	isolateState(t)
	pr, pw := io.Pipe()
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--lesson", "put-replace", "--listen", "127.0.0.1:0"}, pr, &stdout, &stderr)
	}()
	defer pw.Close()

	re := regexp.MustCompile(`listens on http://(127\.0\.0\.1:(\d+))`)
	waitFor(t, testTimeout, func() bool { return re.MatchString(stdout.String()) },
		func() string { return "the listen hint; output so far:\n" + stdout.String() + stderr.String() })
	m := re.FindStringSubmatch(stdout.String())
	if m[2] == "0" {
		t.Fatalf("the hint names port 0, not the port bound: %s", m[0])
	}
	addr := m[1]

	req, _ := http.NewRequest(http.MethodPut, "http://"+addr+"/flights/AA123", strings.NewReader(`{"status":"ontime","gate":"b12"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: testTimeout}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("PUT over the network = %d, want 200", resp.StatusCode)
	}
	waitFor(t, testTimeout, func() bool {
		s := stdout.String()
		return regexp.MustCompile(`From Go-http-client 127\.0\.0\.1:\d+: PUT /flights/AA123`).MatchString(s) && strings.Contains(s, "step passed")
	}, func() string { return "the network exchange and a passed step; output so far:\n" + stdout.String() })

	pw.Close() // end of input ends the session
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(testTimeout):
		t.Fatal("line mode did not end at the end of its input")
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after the session ended", addr)
	}
}

func TestLineModeStopsWhenContextIsCancelled(t *testing.T) {
	isolateState(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"sandbox"}, pr, &stdout, &stderr) }()
	waitFor(t, testTimeout, func() bool { return strings.Contains(stdout.String(), "Sandbox") },
		func() string { return "the sandbox greeting; output:\n" + stdout.String() })
	cancel()
	select {
	case err := <-done:
		// run may report the cancellation or treat it as a normal end;
		// what matters is that it returns.
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("run = %v, want nil or context.Canceled", err)
		}
		// Ctrl-C is a stop the learner asked for, not an error to print.
		if stderr.String() != "" {
			t.Errorf("stderr after Ctrl-C: %q", stderr.String())
		}
	case <-time.After(testTimeout):
		t.Fatal("line mode ignored the cancelled context (Ctrl-C would hang)")
	}
}

// TestServeSuggestsAPathTheFixtureHas: the curl example printed at start
// names a resource that exists in the chosen fixture.
func TestServeSuggestsAPathTheFixtureHas(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := sim.New(sim.Options{Fixture: "flights"})
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, &out, false) }()
	waitFor(t, testTimeout, func() bool { return strings.Contains(out.String(), "\n") },
		func() string { return "no start line; output so far:\n" + out.String() })
	cancel()
	<-done
	first := strings.SplitN(out.String(), "\n", 2)[0]
	if !strings.Contains(first, "/flights/AA123") {
		t.Errorf("start line = %q, want a curl example naming /flights/AA123", first)
	}
}

// TestFailedStartKeepsWhereTheLearnerLeftOff: a start that fails on its
// --listen address must not move the learner to the lesson it named.
func TestFailedStartKeepsWhereTheLearnerLeftOff(t *testing.T) {
	prog := filepath.Join(t.TempDir(), "progress.json")
	if r := runCmd(t, strings.NewReader(""), "--plain", "--progress", prog, "--lesson", "put-create"); r.err != nil {
		t.Fatalf("first run: %v\n%s", r.err, r.stderr)
	}
	r := runCmd(t, nil, "--plain", "--progress", prog, "--lesson", "idempotence", "--listen", "nonsense")
	if r.err == nil {
		t.Fatal("a start with --listen nonsense succeeded")
	}
	p, _, _ := lessons.OpenProgress(prog)
	if got := p.Current(); got != "put-create" {
		t.Errorf("after a failed start the current lesson is %q, want put-create", got)
	}
}

// gatedWriter holds every write after the first until open is closed, like
// a terminal that cannot keep up.
type gatedWriter struct {
	syncBuffer
	writes atomic.Int32
	open   chan struct{}
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	if g.writes.Add(1) > 1 {
		<-g.open
	}
	return g.syncBuffer.Write(p)
}

// TestServePrintsEveryExchangeUnderLoad: when exchanges arrive faster than
// lines can be written, every exchange still gets its line, in order.
func TestServePrintsEveryExchangeUnderLoad(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := sim.New(sim.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &gatedWriter{open: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, out, false) }()
	waitFor(t, testTimeout, func() bool { return strings.Contains(out.String(), "serving") },
		func() string { return "no start line; output so far:\n" + out.String() })
	// With the writer stuck, 3000 exchanges overflow serve's subscription.
	client := srv.Client(sim.SourceLesson)
	const n = 3000
	for range n {
		req, _ := http.NewRequest(http.MethodGet, "http://putpost.local/accounts/42", nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	close(out.open)
	count := func() int { return strings.Count(out.String(), " GET /accounts/42 ") }
	waitFor(t, testTimeout, func() bool { return count() == n },
		func() string { return fmt.Sprintf("%d of %d lines", count(), n) })
	cancel()
	<-done
	if !strings.Contains(out.String(), fmt.Sprintf("#%d GET", n)) {
		t.Errorf("the last exchange #%d is missing", n)
	}
}
