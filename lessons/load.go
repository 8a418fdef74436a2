package lessons

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

//go:embed builtin/*.md
var builtinFS embed.FS

// builtinPrefix is how built-in lesson files are named in problems: their
// place in the source tree.
const builtinPrefix = "lessons/"

// Builtin returns the embedded curriculum, lessons/builtin/*.md, in file-name
// order. An error (Problems) means a built-in lesson is broken, which the
// tests prevent; the lessons that did load are returned with it.
func Builtin() ([]*Lesson, error) {
	return BuiltinMeanwhile(false)()
}

// BuiltinMeanwhile starts parsing the built-in curriculum, on a goroutine of
// its own when background is true, and returns the function that returns
// what Builtin does. Called before the background goroutine has finished,
// that function parses the files it has not reached on the caller's
// goroutine too, rather than wait idle; it may be called any number of
// times, from any goroutine, and always returns the same lessons.
func BuiltinMeanwhile(background bool) func() ([]*Lesson, error) {
	ld, err := newLoad(builtinFS, "builtin", builtinPrefix+"builtin", func(name string) ([]byte, error) {
		return fs.ReadFile(builtinFS, name)
	})
	if err != nil {
		return func() ([]*Lesson, error) { return nil, err }
	}
	ld.parse = parseBuiltin
	if background {
		go ld.work()
	}
	return ld.wait
}

// LoadDir loads every lesson file in a folder: the files ending in ".md"
// (except README.md), in name order; sub-folders are not read. The error, when
// not nil, is Problems listing every problem in every file, including a
// missing or empty folder, an unreadable file and a lesson id used twice. The
// lessons without problems are returned with it; a program should refuse to
// start with a folder that has problems.
func LoadDir(dir string) ([]*Lesson, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, Problems{{File: dir, Msg: "no such folder"}}
	case err != nil:
		return nil, Problems{{File: dir, Msg: fmt.Sprintf("cannot open the folder: %v", shortErr(err))}}
	case !info.IsDir():
		return nil, Problems{{File: dir, Msg: "is a file, not a folder of lessons; give the folder that holds the .md files"}}
	}
	return loadFS(os.DirFS(dir), ".", dir, func(name string) ([]byte, error) {
		return ReadRegular(filepath.Join(dir, filepath.FromSlash(name)), maxLessonSize)
	})
}

// Lint checks every lesson file in dir and returns all problems (none when
// the folder is clean).
func Lint(dir string) Problems {
	_, err := LoadDir(dir)
	var ps Problems
	errors.As(err, &ps)
	return ps
}

// readProblem is the problem of a lesson file that could not be read.
func readProblem(file string, err error) Problem {
	var big errTooLarge
	switch {
	case errors.Is(err, ErrNotRegular):
		return Problem{File: file, Msg: ErrNotRegular.Error()}
	case errors.As(err, &big):
		return Problem{File: file, Msg: fmt.Sprintf("the file is %d bytes; a lesson file may be at most 1 MiB", big.size)}
	}
	return Problem{File: file, Msg: fmt.Sprintf("cannot read the file: %v", shortErr(err))}
}

// LoadFile loads one lesson file, as LoadDir loads each file of a folder.
func LoadFile(file string) ([]*Lesson, error) {
	data, err := ReadRegular(file, maxLessonSize)
	if err != nil {
		return nil, Problems{readProblem(file, err)}
	}
	l, err := Parse(filepath.ToSlash(file), data)
	if err != nil {
		return nil, err
	}
	return []*Lesson{l}, nil
}

// placeInFolder is the 0-based place of a lesson file among the lesson files
// of its folder, in the order LoadDir runs them.
func placeInFolder(file string) int {
	entries, err := os.ReadDir(filepath.Dir(file))
	if err != nil {
		return 0
	}
	base, n := filepath.Base(file), 0
	for _, e := range entries { // ReadDir sorts by name, as loadFS does
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(path.Ext(name), ".md") || strings.EqualFold(name, "README.md") {
			continue
		}
		if name == base {
			return n
		}
		n++
	}
	return n
}

// LintPaths checks lesson folders and single lesson files, as `putpost lint`
// does: the problems that stop a lesson from loading, then, with play, what
// Play finds in the lessons that loaded, and the warnings of Warnings.
// Lessons are warned about in the order of their folder.
func LintPaths(paths []string, play bool, o PlayOptions) (probs, warnings Problems) {
	for _, p := range paths {
		var (
			ls  []*Lesson
			err error
		)
		if info, statErr := os.Stat(p); statErr == nil && !info.IsDir() {
			ls, err = LoadFile(p)
			warnings = append(warnings, warningsFrom(ls, placeInFolder(p))...)
		} else {
			ls, err = LoadDir(p)
			warnings = append(warnings, Warnings(ls)...)
		}
		var ps Problems
		errors.As(err, &ps)
		probs = append(probs, ps...)
		if play {
			probs = append(probs, Play(ls, o)...)
		}
	}
	return probs, warnings
}

// loadFS loads the lesson files in folder sub of fsys, reading each with
// read (given its path in fsys); shown is the folder's name in problems.
func loadFS(fsys fs.FS, sub, shown string, read func(name string) ([]byte, error)) ([]*Lesson, error) {
	ld, err := newLoad(fsys, sub, shown, read)
	if err != nil {
		return nil, err
	}
	return ld.wait()
}

// load is a folder of lesson files being parsed: any number of goroutines
// may call work, which parses the files no one has taken yet, one at a
// time; wait joins in and puts the lessons together once all are parsed.
type load struct {
	sub, shown string
	names      []string
	read       func(name string) ([]byte, error)
	parse      func(file string, data []byte) (*Lesson, error) // Parse unless set
	next       atomic.Int64                                    // the index of the next file to take
	pending    sync.WaitGroup                                  // the files not parsed yet
	files      []loadedFile                                    // one per name, written by whoever took it
	done       func() ([]*Lesson, error)
}

// loadedFile is one lesson file parsed: its lesson (nil when it could not
// be read), whether it has problems, and those problems.
type loadedFile struct {
	lesson *Lesson
	bad    bool
	probs  Problems
}

// newLoad lists the lesson files of fsys's folder sub (named shown in
// problems), reading each with read; nothing is parsed yet.
func newLoad(fsys fs.FS, sub, shown string, read func(name string) ([]byte, error)) (*load, error) {
	entries, err := fs.ReadDir(fsys, sub)
	if err != nil {
		return nil, Problems{{File: shown, Msg: fmt.Sprintf("cannot list the folder: %v", shortErr(err))}}
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.EqualFold(path.Ext(n), ".md") || strings.EqualFold(n, "README.md") {
			continue
		}
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) == 0 {
		return nil, Problems{{File: shown, Msg: "no lesson files here; a lesson is a file ending in .md (see docs/LESSONS.md)"}}
	}
	ld := &load{sub: sub, shown: shown, names: names, read: read, parse: Parse, files: make([]loadedFile, len(names))}
	ld.pending.Add(len(names))
	ld.done = sync.OnceValues(ld.combine)
	return ld, nil
}

// work parses files until none is left to take.
func (ld *load) work() {
	for {
		i := int(ld.next.Add(1) - 1)
		if i >= len(ld.names) {
			return
		}
		ld.files[i] = ld.parseFile(ld.names[i])
		ld.pending.Done()
	}
}

// parseFile reads and parses the file called n.
func (ld *load) parseFile(n string) loadedFile {
	file := filepath.Join(ld.shown, n)
	if ld.shown == "." {
		file = n
	}
	data, err := ld.read(path.Join(ld.sub, n))
	if err != nil {
		return loadedFile{bad: true, probs: Problems{readProblem(file, err)}}
	}
	l, err := ld.parse(filepath.ToSlash(file), data)
	var ps Problems
	if err != nil {
		errors.As(err, &ps)
	}
	return loadedFile{lesson: l, bad: err != nil, probs: ps}
}

// wait parses the files no goroutine has taken yet, waits for those that
// others are parsing, and returns the lessons without problems in file-name
// order, with every problem (Problems) as the error.
func (ld *load) wait() ([]*Lesson, error) {
	ld.work()
	ld.pending.Wait()
	return ld.done()
}

// combine puts the parsed files together, once all are parsed.
func (ld *load) combine() ([]*Lesson, error) {
	var (
		probs  Problems
		good   []*Lesson
		parsed []*Lesson
	)
	for _, f := range ld.files {
		probs = append(probs, f.probs...)
		if f.lesson == nil {
			continue
		}
		parsed = append(parsed, f.lesson)
		if !f.bad {
			good = append(good, f.lesson)
		}
	}
	dups := duplicateIDs(parsed, nil)
	probs = append(probs, dups...)
	if len(dups) > 0 {
		good = slices.DeleteFunc(good, func(l *Lesson) bool {
			return slices.ContainsFunc(dups, func(p Problem) bool { return p.File == l.File })
		})
	}
	return good, probs.Err()
}

// duplicateIDs reports every lesson in ls whose id is used by an earlier
// lesson in ls or by one in before.
func duplicateIDs(ls, before []*Lesson) Problems {
	first := map[string]*Lesson{}
	for _, l := range before {
		if l.ID != "" {
			if _, ok := first[l.ID]; !ok {
				first[l.ID] = l
			}
		}
	}
	var probs Problems
	for _, l := range ls {
		if l.ID == "" {
			continue
		}
		if f, ok := first[l.ID]; ok {
			probs = append(probs, Problem{File: l.File, Line: l.idLine,
				Msg: fmt.Sprintf("lesson id %q is already used by %s; every lesson needs its own id", l.ID, where(f))})
			continue
		}
		first[l.ID] = l
	}
	return probs
}

func where(l *Lesson) string {
	if l.idLine > 0 {
		return fmt.Sprintf("%s:%d", l.File, l.idLine)
	}
	return l.File
}

// Combine merges a workshop's lessons with the built-in ones for
// `--lessons DIR`: the extra lessons come after the built-in ones, or, when
// replace is true, stand alone. An extra lesson whose id is already taken is
// a Problem (the host should rename it or replace the built-in lessons).
func Combine(builtin, extra []*Lesson, replace bool) ([]*Lesson, error) {
	if replace {
		if probs := duplicateIDs(extra, nil); len(probs) > 0 {
			return nil, probs
		}
		return slices.Clone(extra), nil
	}
	if probs := duplicateIDs(extra, builtin); len(probs) > 0 {
		for i := range probs {
			probs[i].Msg += " (rename it, or use only the folder's lessons)"
		}
		return nil, probs
	}
	return slices.Concat(builtin, extra), nil
}
