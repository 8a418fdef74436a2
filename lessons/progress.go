package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// progressVersion is the version of the progress file's format. A file with
// another version is moved aside, as a corrupt one is.
const progressVersion = 1

// progressFile is the JSON saved on disk.
type progressFile struct {
	Version int              `json:"version"`
	Current string           `json:"current,omitempty"` // id of the lesson the learner was in
	Passed  map[string][]int `json:"passed"`            // lesson id → passed step indices (0-based), ascending
}

// Progress records which steps a learner has passed and where they were. It
// is saved as JSON after every change, atomically: written to a temporary
// file in the same folder, synced, then renamed over the old file, so a crash
// leaves either the old or the new progress, never half of one.
//
// The zero value is usable and keeps progress in memory only. Methods are safe
// for concurrent use.
type Progress struct {
	mu     sync.Mutex
	path   string // "" = memory only
	saving bool   // false when path is "" or its folder cannot be written
	// firstRun: no progress file existed when opened
	firstRun bool
	current  string
	passed   map[string]map[int]bool
}

// DefaultProgressPath is where progress lives: $XDG_STATE_HOME/putpost/progress.json,
// or ~/.local/state/putpost/progress.json when XDG_STATE_HOME is unset or not
// an absolute path (as the XDG spec asks). It is "" when neither is known.
func DefaultProgressPath() string {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "putpost", "progress.json")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".local", "state", "putpost", "progress.json")
}

// OpenProgress loads the progress saved at path, or starts fresh when there is
// none. It always returns a usable Progress, so the tutorial can run whatever
// state the file is in; notice, when not empty, is a sentence or two to show
// the learner:
//
//   - a corrupt file, or one written by another version of putpost, is moved
//     aside to path.corrupt-<time> and the notice says where;
//   - when the folder cannot be written (read-only, no permission) or path is
//     "", progress is kept in memory only and the notice says it will not be
//     saved.
//
// OpenProgress does not fail: err is always nil (the signature leaves room for
// a future failure that should stop the program). When the old file can be
// neither read nor moved aside, progress is kept in memory only and the
// notice says so.
func OpenProgress(path string) (p *Progress, notice string, err error) {
	p = &Progress{path: path}
	if path == "" {
		p.firstRun = true
		return p, "Progress will not be saved: no state folder is known (set XDG_STATE_HOME or HOME).", nil
	}
	var notices []string
	removeLeftovers(path)
	data, rerr := readRegular(path, maxProgressSize)
	switch {
	case errors.Is(rerr, fs.ErrNotExist):
		p.firstRun = true
	case rerr != nil && !exists(path):
		p.firstRun = true
		// Not there to read (say, a file stands where the folder should be);
		// checkWritable below says what that means for saving.
	case rerr != nil:
		aside, merr := moveAside(path)
		if merr != nil {
			return p, fmt.Sprintf("Could not read the progress file %s (%v), nor move it aside (%v); progress will not be saved.", path, shortErr(rerr), shortErr(merr)), nil
		}
		notices = append(notices, fmt.Sprintf("Could not read the progress file (%v); moved it to %s and started fresh.", shortErr(rerr), aside))
	default:
		if why := p.load(data); why != "" {
			aside, merr := moveAside(path)
			if merr != nil {
				return p, fmt.Sprintf("The progress file %s is %s and could not be moved aside (%v); progress will not be saved.", path, why, shortErr(merr)), nil
			}
			notices = append(notices, fmt.Sprintf("The progress file was %s; moved it to %s and started fresh.", why, aside))
		}
	}
	if werr := checkWritable(filepath.Dir(path)); werr != nil {
		notices = append(notices, fmt.Sprintf("Cannot write to %s (%v): the tutorial runs, but progress will not be saved.", filepath.Dir(path), shortErr(werr)))
	} else {
		p.saving = true
	}
	return p, strings.Join(notices, " "), nil
}

// maxProgressSize bounds a progress file; a real one is a few kilobytes.
const maxProgressSize = 1 << 20

// load fills p from data; it returns why the data is unusable, or "".
func (p *Progress) load(data []byte) string {
	var f progressFile
	if err := json.Unmarshal(data, &f); err != nil {
		return "corrupt (not valid JSON)"
	}
	if f.Version != progressVersion {
		return fmt.Sprintf("written by another version of putpost (format %d, expected %d)", f.Version, progressVersion)
	}
	passed := map[string]map[int]bool{}
	for id, steps := range f.Passed {
		for _, i := range steps {
			if i < 0 || i > 10000 {
				return "corrupt (a step number is out of range)"
			}
			if passed[id] == nil {
				passed[id] = map[int]bool{}
			}
			passed[id][i] = true
		}
	}
	p.current, p.passed = f.Current, passed
	return ""
}

// FirstRun reports whether no progress file existed when the progress was
// opened: the learner is new (or progress is not saved), so a front end may
// greet them.
func (p *Progress) FirstRun() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.firstRun
}

// Count returns how many of the lesson's steps are passed, and how many it has.
func (p *Progress) Count(l *Lesson) (done, total int) {
	return doneSteps(l, p), len(l.Steps)
}

// Path is where progress is saved ("" for memory only).
func (p *Progress) Path() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.path
}

// Saving reports whether changes are written to disk.
func (p *Progress) Saving() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.saving
}

// Current is the id of the lesson the learner was in, or "".
func (p *Progress) Current() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.current
}

// SetCurrent records the lesson the learner is in and saves.
func (p *Progress) SetCurrent(lessonID string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current == lessonID {
		return nil
	}
	p.current = lessonID
	return p.saveLocked()
}

// Passed reports whether step (0-based) of the lesson is passed.
func (p *Progress) Passed(lessonID string, step int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.passed[lessonID][step]
}

// PassedSteps lists the passed steps of a lesson, ascending.
func (p *Progress) PassedSteps(lessonID string) []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return sortedSteps(p.passed[lessonID])
}

// MarkPassed records that step (0-based) of the lesson is passed and saves.
func (p *Progress) MarkPassed(lessonID string, step int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.passed[lessonID][step] {
		return nil
	}
	if p.passed == nil {
		p.passed = map[string]map[int]bool{}
	}
	if p.passed[lessonID] == nil {
		p.passed[lessonID] = map[int]bool{}
	}
	p.passed[lessonID][step] = true
	return p.saveLocked()
}

// ClearLesson forgets the passed steps of one lesson and saves.
func (p *Progress) ClearLesson(lessonID string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.passed, lessonID)
	return p.saveLocked()
}

// ClearAll forgets all progress and saves.
func (p *Progress) ClearAll() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.passed, p.current = nil, ""
	return p.saveLocked()
}

// Save writes the progress to disk now (it is also saved after every change).
func (p *Progress) Save() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.saveLocked()
}

func (p *Progress) saveLocked() error {
	if !p.saving {
		return nil
	}
	f := progressFile{Version: progressVersion, Current: p.current, Passed: map[string][]int{}}
	for id, steps := range p.passed {
		if len(steps) > 0 {
			f.Passed[id] = sortedSteps(steps)
		}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	target, err := saveTarget(p.path)
	if err == nil {
		err = writeAtomic(target, append(data, '\n'))
	}
	if err != nil {
		return fmt.Errorf("saving progress: %w", err)
	}
	return nil
}

// saveTarget is the file a save replaces: path itself or, when path is a
// symbolic link, the file it leads to. Progress is written through the link
// (a learner who keeps the file elsewhere, say in a dotfiles repository,
// keeps it there) and the link stays a link. A link to something other than
// a regular file, or to nothing, is not written through.
func saveTarget(path string) (string, error) {
	info, err := os.Lstat(path)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("%s is a symbolic link to a file that cannot be reached (%v); remove the link or restore its file", path, shortErr(err))
	}
	if info, err := os.Stat(target); err == nil && !info.Mode().IsRegular() {
		return "", &fs.PathError{Op: "write", Path: target, Err: ErrNotRegular}
	}
	return target, nil
}

func sortedSteps(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for i, ok := range m {
		if ok {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// tempPattern names the temporary files of writeAtomic; leftovers of a crash
// match it and are removed when progress is opened.
func tempPattern(path string) string { return filepath.Base(path) + ".tmp-*" }

// writeAtomic replaces path with data so that a crash at any moment leaves
// either the old file or the new one.
func writeAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil { // make the rename itself durable; best effort
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// removeLeftovers deletes temporary files left by a save that was killed.
func removeLeftovers(path string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(path), tempPattern(path)))
	for _, m := range matches {
		os.Remove(m)
	}
}

// moveAside renames path to path.corrupt-<UTC time> and returns the new name.
func moveAside(path string) (string, error) {
	base := path + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z")
	aside := base
	for i := 2; ; i++ {
		if !exists(aside) {
			break
		}
		if i > 100 {
			return "", fmt.Errorf("too many files named %s*", base)
		}
		aside = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(path, aside); err != nil {
		return "", err
	}
	return aside, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// checkWritable makes dir if needed and proves a file can be created in it.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".putpost-write-test-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// shortErr drops the path an *fs.PathError repeats.
func shortErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// LessonProgress is one line of the `putpost lessons` listing.
type LessonProgress struct {
	ID, Title   string
	Done, Total int  // passed steps, all steps
	Percent     int  // 0–100, rounded down so 100 means every step is passed
	Current     bool // the lesson the learner was in
}

// Overview lists the lessons in order with the learner's progress in each.
// p may be nil (no progress).
func Overview(ls []*Lesson, p *Progress) []LessonProgress {
	if p == nil {
		p = &Progress{}
	}
	cur := p.Current()
	out := make([]LessonProgress, len(ls))
	for i, l := range ls {
		done := doneSteps(l, p)
		lp := LessonProgress{ID: l.ID, Title: l.Title, Done: done, Total: len(l.Steps), Current: l.ID == cur}
		if lp.Total > 0 {
			lp.Percent = done * 100 / lp.Total
		}
		out[i] = lp
	}
	return out
}

// doneSteps counts the passed steps that exist in the lesson (a file edited
// since may have fewer steps than were once passed).
func doneSteps(l *Lesson, p *Progress) int {
	n := 0
	for _, i := range p.PassedSteps(l.ID) {
		if i < len(l.Steps) {
			n++
		}
	}
	return n
}
