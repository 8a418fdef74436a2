package lessons

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// sameLessons fails t unless got and want hold the same lessons, step by step.
func sameLessons(t *testing.T, what string, got, want []*Lesson) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d lessons, want %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Title != w.Title || g.File != w.File || len(g.Steps) != len(w.Steps) {
			t.Errorf("%s, lesson %d: %s %q (%s) with %d steps, want %s %q (%s) with %d", what, i,
				g.ID, g.Title, g.File, len(g.Steps), w.ID, w.Title, w.File, len(w.Steps))
			continue
		}
		for j := range g.Steps {
			if g.Steps[j].Title != w.Steps[j].Title || g.Steps[j].Line != w.Steps[j].Line {
				t.Errorf("%s, lesson %s step %d: %q at line %d, want %q at line %d", what, g.ID, j,
					g.Steps[j].Title, g.Steps[j].Line, w.Steps[j].Title, w.Steps[j].Line)
			}
		}
	}
}

// Parsed ahead, on a goroutine of their own and by whoever asks for them
// meanwhile, the built-in lessons are the ones Builtin returns, and every
// caller gets the same ones.
func TestBuiltinMeanwhileGivesEveryCallerTheSameLessons(t *testing.T) {
	want, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, background := range []bool{false, true} {
		get := BuiltinMeanwhile(background)
		got := make([][]*Lesson, 4)
		errs := make([]error, len(got))
		var wg sync.WaitGroup
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = get()
			}()
		}
		wg.Wait()
		for i := range got {
			if errs[i] != nil {
				t.Fatalf("background %v, caller %d: %v", background, i, errs[i])
			}
			sameLessons(t, "BuiltinMeanwhile", got[i], want)
			if &got[i][0] != &got[0][0] {
				t.Errorf("background %v: caller %d got lessons of its own, not the first caller's", background, i)
			}
		}
	}
}

// However many goroutines work on a folder, each file is read and parsed
// once, and the lessons and problems come out as from one goroutine: in
// file-name order, a lesson with problems left out, a duplicate id named.
func TestALoadSharedByGoroutinesParsesEachFileOnce(t *testing.T) {
	good, err := os.ReadFile("testdata/good/02-flights.md")
	if err != nil {
		t.Fatal(err)
	}
	tour, err := os.ReadFile("testdata/good/01-tour.md")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"f/01-tour.md":    {Data: tour},
		"f/02-flights.md": {Data: good},
		"f/03-broken.md":  {Data: []byte("no front matter\n")},
		"f/04-again.md":   {Data: good}, // the id of 02-flights.md again
		"f/05-tour.md":    {Data: tour},
		"f/README.md":     {Data: []byte("# not a lesson")},
	}
	read := func(name string) ([]byte, error) { return fs.ReadFile(fsys, name) }
	want, wantErr := loadFS(fsys, "f", "shown", read)
	if len(want) != 2 || want[0].ID != "tour" || want[1].ID != "flights-short" {
		t.Fatalf("one goroutine: %v", want)
	}
	var ps Problems
	if !errors.As(wantErr, &ps) || len(ps) < 3 {
		t.Fatalf("one goroutine: %v", wantErr)
	}

	for range 20 {
		var mu sync.Mutex
		reads := map[string]int{}
		ld, err := newLoad(fsys, "f", "shown", func(name string) ([]byte, error) {
			mu.Lock()
			reads[name]++
			mu.Unlock()
			return read(name)
		})
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			go ld.work()
		}
		got, gotErr := ld.wait()
		sameLessons(t, "shared", got, want)
		if gotErr == nil || gotErr.Error() != wantErr.Error() {
			t.Errorf("shared: %v\nwant %v", gotErr, wantErr)
		}
		mu.Lock()
		if len(reads) != 5 {
			t.Errorf("%d files read, want the 5 lesson files: %v", len(reads), reads)
		}
		for name, n := range reads {
			if n != 1 {
				t.Errorf("%s read %d times", filepath.Base(name), n)
			}
		}
		mu.Unlock()
	}
}

// The embedded curriculum is parsed without the text checks that only
// report (the tests run them on lessons/builtin through Lint): every file
// comes out as Parse makes it.
func TestParseBuiltinIsParseWithoutTheTextChecks(t *testing.T) {
	files, err := fs.Glob(builtinFS, "builtin/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("%v %v", files, err)
	}
	for _, f := range files {
		data, err := fs.ReadFile(builtinFS, f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Parse(f, data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		got, err := parseBuiltin(f, data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		sameLessons(t, f, []*Lesson{got}, []*Lesson{want})
		if got.Intro != want.Intro || got.Summary != want.Summary || got.Fixture != want.Fixture {
			t.Errorf("%s: intro, summary or fixture differ", f)
		}
	}
	// What is skipped: a line a terminal would act on.
	bad := []byte("---\nid: x\ntitle: X\nfixture: bank\n---\nIntro \x1b[2J\n\n## Step: s\n\nText.\n")
	if _, err := Parse("bad.md", bad); err == nil || !strings.Contains(err.Error(), "a terminal would act on") {
		t.Errorf("Parse of an escape sequence: %v", err)
	}
}
