//go:build unix

package lessons

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// goodLesson is a small valid lesson; hostile tests change one thing in it.
func goodLesson(title, text string) string {
	return "---\nid: x\ntitle: " + title + "\nfixture: bank\n---\nIntro.\n\n## Step: Look\n" + text + "\n\n```request\nGET /accounts/42\n```\n\n```check\nstatus 200\n```\n\n```solution\nGET /accounts/42\n```\n"
}

func writeLesson(t *testing.T, dir, name, content string) {
	t.Helper()
	must(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
}

// lintWithin runs Lint and fails the test when it does not come back soon:
// a lesson that is /dev/zero or a named pipe must not be read forever.
func lintWithin(t *testing.T, dir string) Problems {
	t.Helper()
	done := make(chan Problems, 1)
	go func() { done <- Lint(dir) }()
	select {
	case ps := <-done:
		return ps
	case <-time.After(30 * time.Second):
		t.Fatal("Lint did not return: the file was read without a limit or waited for a writer")
		return nil
	}
}

func TestLessonFilesThatAreNotRegularFilesAreRefused(t *testing.T) {
	cases := map[string]func(t *testing.T, path string){
		"a link to /dev/zero": func(t *testing.T, path string) { must(t, os.Symlink("/dev/zero", path)) },
		"a named pipe":        func(t *testing.T, path string) { must(t, syscall.Mkfifo(path, 0o600)) },
	}
	for name, prepare := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeLesson(t, dir, "a.md", goodLesson("Fine", "Fine."))
			prepare(t, filepath.Join(dir, "x.md"))
			ps := lintWithin(t, dir)
			want := filepath.Join(dir, "x.md") + ": not a regular file"
			if len(ps) != 1 || ps[0].String() != want {
				t.Fatalf("problems = %v, want just %q", ps, want)
			}
			ls, err := LoadDir(dir)
			if err == nil || len(ls) != 1 || ls[0].ID != "x" {
				t.Fatalf("LoadDir = %d lessons, %v", len(ls), err)
			}
		})
	}
}

func TestAHugeLessonFileIsRefusedWithoutReadingItWhole(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.md"))
	must(t, err)
	must(t, f.Truncate(1<<30)) // sparse: 1 GB that takes no disk
	must(t, f.Close())
	ps := lintWithin(t, dir)
	want := filepath.Join(dir, "big.md") + ": the file is 1073741824 bytes; a lesson file may be at most 1 MiB"
	if len(ps) != 1 || ps[0].String() != want {
		t.Fatalf("problems = %v, want %q", ps, want)
	}
}

func TestLintFlagsEscapeSequencesAndInvisibleCharactersInLessons(t *testing.T) {
	tests := []struct{ name, title, text, want string }{
		{"window title", "Hi\x1b]0;pwned\x07", "Fine.", `a.md:3: the line holds \x1b, which a terminal would act on or not show; remove it`},
		{"colour", "\x1b[31mRed", "Fine.", `a.md:3: the line holds \x1b`},
		{"OSC 8 link", "Fine", "\x1b]8;;https://evil.example\x07CLICKME\x1b]8;;\x07", `a.md:9: the line holds \x1b`},
		{"C1 CSI", "Fine\u009b2J", "Fine.", `a.md:3: the line holds \u009b`},
		{"bidi override", "Fine", "abc\u202edcba", `a.md:9: the line holds \u202e`},
		{"zero-width", "Fi\u200bne", "Fine.", `a.md:3: the line holds \u200b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeLesson(t, dir, "a.md", goodLesson(tt.title, tt.text))
			ps := Lint(dir)
			if len(ps) != 1 || !strings.HasPrefix(ps[0].String(), filepath.Join(dir, tt.want)) {
				t.Fatalf("problems = %q, want one starting %q", ps, filepath.Join(dir, tt.want))
			}
			for _, p := range ps {
				if strings.ContainsAny(p.String(), "\x1b\u009b\u202e\u200b") {
					t.Errorf("the problem itself holds the raw character: %q", p.String())
				}
			}
		})
	}
	t.Run("tabs are fine", func(t *testing.T) {
		dir := t.TempDir()
		writeLesson(t, dir, "a.md", goodLesson("Fine", "Some\ttext."))
		if ps := Lint(dir); len(ps) != 0 {
			t.Fatalf("problems = %v", ps)
		}
	})
}

func TestProblemsShowFileNamesEscaped(t *testing.T) {
	p := Problem{File: "x\x1b]0;t\x07.md", Line: 2, Msg: "bad"}
	if got, want := p.String(), `x\x1b]0;t\x07.md:2: bad`; got != want {
		t.Fatalf("String = %q, want %q", got, want)
	}
}

func TestLintFlagsDeepNestingAndLoadsTheIssuesLessonQuickly(t *testing.T) {
	dir := t.TempDir()
	// The issue's lesson: 400 KB of nested quotes and lists took 76 s.
	deep := strings.Repeat("> - ", 100_000)
	writeLesson(t, dir, "a.md", goodLesson("Deep", deep))
	ps := lintWithin(t, dir)
	if len(ps) != 1 || !strings.Contains(ps[0].String(), "a.md:9: block quotes and lists nest 200000 deep here; at most 8 levels are allowed") {
		t.Fatalf("problems = %v", ps)
	}
	for _, ok := range []string{
		"> quote\n> > nested quote\n\n- a\n  - b\n    - c\n      1. d",
		"```json\n" + strings.Repeat(" ", 40) + "{\"deep\": \"indentation in code is fine\"}\n```",
		strings.Repeat("> ", 8) + "eight levels",
	} {
		writeLesson(t, dir, "a.md", goodLesson("Fine", ok))
		if ps := Lint(dir); len(ps) != 0 {
			t.Errorf("%q: problems = %v", ok, ps)
		}
	}
}

func TestASymlinkedProgressFileIsWrittenThrough(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "putpost-progress.json")
	must(t, os.MkdirAll(filepath.Dir(target), 0o700))
	must(t, os.WriteFile(target, []byte(`{"version":1,"passed":{"a":[0]}}`), 0o600))
	link := filepath.Join(dir, "state", "progress.json")
	must(t, os.MkdirAll(filepath.Dir(link), 0o700))
	must(t, os.Symlink(target, link))

	p, notice, err := OpenProgress(link)
	if err != nil || notice != "" || !p.Passed("a", 0) {
		t.Fatalf("OpenProgress through a link: %v, notice %q, passed a/0 %v", err, notice, p.Passed("a", 0))
	}
	must(t, p.MarkPassed("b", 1))
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file: %v %v", info.Mode(), err)
	}
	if q := openTestProgress(t, target); !q.Passed("a", 0) || !q.Passed("b", 1) {
		t.Fatal("the link's target does not hold the saved progress")
	}
}

func TestProgressFilesThatAreNotRegularFilesAreMovedAside(t *testing.T) {
	cases := map[string]func(t *testing.T, path string){
		"a link to /dev/zero": func(t *testing.T, path string) { must(t, os.Symlink("/dev/zero", path)) },
		"a named pipe":        func(t *testing.T, path string) { must(t, syscall.Mkfifo(path, 0o600)) },
		"1 GB": func(t *testing.T, path string) {
			f, err := os.Create(path)
			must(t, err)
			must(t, f.Truncate(1<<30))
			must(t, f.Close())
		},
	}
	for name, prepare := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "progress.json")
			prepare(t, path)
			type opened struct {
				p      *Progress
				notice string
			}
			done := make(chan opened, 1)
			go func() { p, n, _ := OpenProgress(path); done <- opened{p, n} }()
			var o opened
			select {
			case o = <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("OpenProgress did not return")
			}
			if !strings.HasPrefix(o.notice, "Could not read the progress file (") || !strings.Contains(o.notice, "moved it to") {
				t.Fatalf("notice = %q", o.notice)
			}
			if name != "1 GB" && !strings.Contains(o.notice, "(not a regular file)") {
				t.Errorf("notice = %q, want it to say not a regular file", o.notice)
			}
			must(t, o.p.MarkPassed("x", 0))
			if q := openTestProgress(t, path); !q.Passed("x", 0) {
				t.Error("progress is not saved after the bad file was moved aside")
			}
		})
	}
}

// lint FILE.md names a single file: a named pipe there is refused too.
func TestASingleLessonFileThatIsAPipeIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.md")
	must(t, syscall.Mkfifo(path, 0o600))
	done := make(chan Problems, 1)
	go func() { probs, _ := LintPaths([]string{path}, false, PlayOptions{}); done <- probs }()
	select {
	case ps := <-done:
		if len(ps) != 1 || ps[0].String() != path+": not a regular file" {
			t.Fatalf("problems = %v", ps)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("lint waited for a writer on the pipe")
	}
}
