package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestBuiltinLessonsLoadCleanlyInFileOrder(t *testing.T) {
	ls, err := Builtin()
	if err != nil {
		t.Fatalf("built-in lessons have problems:\n%v", err)
	}
	if len(ls) == 0 {
		t.Fatal("no built-in lessons")
	}
	files, _ := filepath.Glob("builtin/*.md")
	slices.Sort(files)
	if len(files) != len(ls) {
		t.Fatalf("%d files, %d lessons", len(files), len(ls))
	}
	for i, l := range ls {
		if want := "lessons/" + filepath.ToSlash(files[i]); l.File != want {
			t.Errorf("lesson %d is %s, want %s (file-name order)", i, l.File, want)
		}
	}
	// lint on the source folder agrees with the embedded copy
	if ps := Lint("builtin"); len(ps) != 0 {
		t.Errorf("lint builtin:\n%v", ps)
	}
}

func TestLoadDirReadsAHostsFolder(t *testing.T) {
	ls, err := LoadDir("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 2 || ls[0].ID != "tour" || ls[1].ID != "flights-short" || ls[0].File != filepath.Join("testdata/good", "01-tour.md") {
		t.Errorf("lessons: %v", ls)
	}
}

func TestLoadDirExplainsAFolderItCannotUse(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "lesson.md")
	must(t, os.WriteFile(file, []byte("x"), 0o600))
	readme := filepath.Join(dir, "only-readme")
	must(t, os.Mkdir(readme, 0o700))
	must(t, os.WriteFile(filepath.Join(readme, "README.md"), []byte("# About these lessons"), 0o600))
	tests := []struct{ dir, want string }{
		{filepath.Join(dir, "missing"), filepath.Join(dir, "missing") + ": no such folder"},
		{t.TempDir(), "no lesson files here; a lesson is a file ending in .md (see docs/LESSONS.md)"},
		{readme, readme + ": no lesson files here; a lesson is a file ending in .md (see docs/LESSONS.md)"},
		{file, file + ": is a file, not a folder of lessons; give the folder that holds the .md files"},
	}
	for _, tt := range tests {
		ls, err := LoadDir(tt.dir)
		if ls != nil || err == nil || !strings.HasSuffix(err.Error(), tt.want) {
			t.Errorf("LoadDir(%s) = %v, %v\nwant %s", tt.dir, ls, err, tt.want)
		}
	}
}

func TestLoadDirReportsAnUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile("testdata/good/02-flights.md")
	must(t, os.WriteFile(filepath.Join(dir, "01-good.md"), good, 0o600))
	must(t, os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "02-dangling.md")))
	ls, err := LoadDir(dir)
	var ps Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].File != filepath.Join(dir, "02-dangling.md") ||
		!strings.HasPrefix(ps[0].Msg, "cannot read the file: ") {
		t.Fatalf("err = %v", err)
	}
	if len(ls) != 1 || ls[0].ID != "flights-short" {
		t.Errorf("the readable lesson should still load: %v", ls)
	}
	if os.Geteuid() != 0 {
		must(t, os.Chmod(filepath.Join(dir, "01-good.md"), 0))
		if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), "01-good.md: cannot read the file: permission denied") {
			t.Errorf("unreadable file: %v", err)
		}
	}
}

func TestDuplicateLessonIDsInAFolder(t *testing.T) {
	ls, err := LoadDir("testdata/dupids")
	want := "testdata/dupids/b.md:2: lesson id \"same-id\" is already used by testdata/dupids/a.md:2; every lesson needs its own id"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	if len(ls) != 1 || ls[0].File != filepath.Join("testdata/dupids", "a.md") {
		t.Errorf("lessons = %v", ls)
	}
}

func TestLintReturnsEveryProblemOfEveryFile(t *testing.T) {
	ps := Lint("testdata/broken")
	files, _ := filepath.Glob("testdata/broken/*.md")
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.File] = true
	}
	if len(seen) != len(files) {
		t.Errorf("problems in %d of %d files", len(seen), len(files))
	}
	if ps := Lint("testdata/good"); ps != nil {
		t.Errorf("good lessons: %v", ps)
	}
}

func TestCombineAddsOrReplacesBuiltinLessons(t *testing.T) {
	builtin := []*Lesson{{ID: "a", File: "lessons/builtin/01-a.md", idLine: 2}, {ID: "b", File: "lessons/builtin/02-b.md", idLine: 2}}
	extra := []*Lesson{{ID: "c", File: "ws/c.md", idLine: 2}}
	got, err := Combine(builtin, extra, false)
	if err != nil || len(got) != 3 || got[2].ID != "c" || got[0].ID != "a" {
		t.Errorf("add: %v, %v", got, err)
	}
	got, err = Combine(builtin, extra, true)
	if err != nil || len(got) != 1 || got[0].ID != "c" {
		t.Errorf("replace: %v, %v", got, err)
	}
	clash := []*Lesson{{ID: "b", File: "ws/mine.md", idLine: 3}}
	_, err = Combine(builtin, clash, false)
	want := `ws/mine.md:3: lesson id "b" is already used by lessons/builtin/02-b.md:2; every lesson needs its own id (rename it, or use only the folder's lessons)`
	if err == nil || err.Error() != want {
		t.Errorf("clash: %v\nwant %s", err, want)
	}
	if got, err := Combine(builtin, clash, true); err != nil || len(got) != 1 {
		t.Errorf("replace with a built-in's id: %v, %v", got, err)
	}
}
