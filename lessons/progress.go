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

// ProgressState is what a ProgressStore keeps: the lesson the learner was in
// and the passed steps of each lesson.
type ProgressState struct {
	Current string           // id of the lesson the learner was in, or ""
	Passed  map[string][]int // lesson id → passed steps (0-based), ascending, no repeats
}

// ProgressStore keeps a learner's progress between runs: a file for a learner
// at their own terminal (OpenProgress), one store per learner in a classroom.
type ProgressStore interface {
	// Load returns the saved state; the zero state when nothing is saved.
	Load() (ProgressState, error)
	// Update applies change to the saved state and saves the result, as one
	// step: what other users of the same store saved meanwhile is kept, and
	// nobody else's change slips in between. It returns the state now saved.
	Update(change func(*ProgressState)) (ProgressState, error)
}

// Progress records which steps a learner has passed and where they were, and
// saves every change to its store.
//
// Two programs may share a store (two terminals on one progress file): each
// change is applied to what the store holds at that moment, so neither loses
// the other's passed steps, and each then sees both. A cleared lesson is
// cleared for everyone, as of that moment.
//
// The zero value is usable and keeps progress in memory only. Methods are safe
// for concurrent use.
type Progress struct {
	mu    sync.Mutex
	store ProgressStore // nil: memory only
	path  string        // the file of a file store, for messages
	// firstRun: nothing was saved when opened
	firstRun bool
	st       ProgressState
	pending  []func(*ProgressState) // changes a failed save did not store yet

	// Saving in the background (SaveInBackground): background is set, a
	// writer goroutine runs while busy (started by a change, ending when
	// nothing is pending or a save failed), idle is signalled when it ends,
	// failed hears of a failure, bgErr keeps one nobody heard of yet.
	background bool
	busy       bool
	idle       *sync.Cond
	failed     func(error)
	bgErr      error
}

// NewProgress returns the progress kept in store (nil keeps it in memory).
func NewProgress(store ProgressStore) (*Progress, error) {
	p := &Progress{store: store}
	if store == nil {
		p.firstRun = true
		return p, nil
	}
	st, err := store.Load()
	if err != nil {
		return nil, fmt.Errorf("loading progress: %w", err)
	}
	p.st, p.firstRun = st, st.Current == "" && len(st.Passed) == 0
	return p, nil
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
	store := FileProgressStore{Path: path}
	store.removeLeftovers()
	st, rerr := store.Load()
	var bad *badProgressError
	switch {
	case rerr == nil:
		p.st = st
		p.firstRun = !exists(path)
	case !errors.As(rerr, &bad) && !exists(path):
		p.firstRun = true
		// Not there to read (say, a file stands where the folder should be);
		// checkWritable below says what that means for saving.
	case !errors.As(rerr, &bad):
		aside, merr := moveAside(path)
		if merr != nil {
			return p, fmt.Sprintf("Could not read the progress file %s (%v), nor move it aside (%v); progress will not be saved.", path, shortErr(rerr), shortErr(merr)), nil
		}
		notices = append(notices, fmt.Sprintf("Could not read the progress file (%v); moved it to %s and started fresh.", shortErr(rerr), aside))
	default:
		aside, merr := moveAside(path)
		if merr != nil {
			return p, fmt.Sprintf("The progress file %s is %s and could not be moved aside (%v); progress will not be saved.", path, bad.why, shortErr(merr)), nil
		}
		notices = append(notices, fmt.Sprintf("The progress file was %s; moved it to %s and started fresh.", bad.why, aside))
	}
	if werr := checkWritable(filepath.Dir(path)); werr != nil {
		notices = append(notices, fmt.Sprintf("Cannot write to %s (%v): the tutorial runs, but progress will not be saved.", filepath.Dir(path), shortErr(werr)))
	} else {
		p.store = store
	}
	return p, strings.Join(notices, " "), nil
}

// badProgressError says why a progress file's content is unusable.
type badProgressError struct{ why string }

func (e *badProgressError) Error() string { return "the progress file is " + e.why }

// decodeProgress reads a progress file's JSON.
func decodeProgress(data []byte) (ProgressState, error) {
	var f progressFile
	if err := json.Unmarshal(data, &f); err != nil {
		return ProgressState{}, &badProgressError{"corrupt (not valid JSON)"}
	}
	if f.Version != progressVersion {
		return ProgressState{}, &badProgressError{fmt.Sprintf("written by another version of putpost (format %d, expected %d)", f.Version, progressVersion)}
	}
	st := ProgressState{Current: f.Current}
	for id, steps := range f.Passed {
		for _, i := range steps {
			if i < 0 || i > 10000 {
				return ProgressState{}, &badProgressError{"corrupt (a step number is out of range)"}
			}
			st.markPassed(id, i)
		}
	}
	return st, nil
}

// encodeProgress writes a progress file's JSON.
func encodeProgress(st ProgressState) ([]byte, error) {
	f := progressFile{Version: progressVersion, Current: st.Current, Passed: map[string][]int{}}
	for id, steps := range st.Passed {
		if len(steps) > 0 {
			f.Passed[id] = steps
		}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	return append(data, '\n'), err
}

// The changes a Progress makes, as functions of the state, so that a store
// can apply them to what it holds when it saves.

func (st *ProgressState) markPassed(id string, step int) {
	steps := st.Passed[id]
	i, found := slices.BinarySearch(steps, step)
	if found {
		return
	}
	if st.Passed == nil {
		st.Passed = map[string][]int{}
	}
	st.Passed[id] = slices.Insert(slices.Clone(steps), i, step)
}

func (st *ProgressState) clone() ProgressState {
	out := ProgressState{Current: st.Current, Passed: make(map[string][]int, len(st.Passed))}
	for id, steps := range st.Passed {
		out.Passed[id] = slices.Clone(steps)
	}
	return out
}

// FirstRun reports whether nothing was saved when the progress was opened:
// the learner is new (or progress is not saved), so a front end may greet
// them.
func (p *Progress) FirstRun() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.firstRun
}

// Count returns how many of the lesson's steps are passed, and how many it has.
func (p *Progress) Count(l *Lesson) (done, total int) {
	return doneSteps(l, p), len(l.Steps)
}

// Path is where progress is saved ("" for memory only, or a store that is
// not a file).
func (p *Progress) Path() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.path
}

// Saving reports whether changes are written to a store.
func (p *Progress) Saving() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.store != nil
}

// Current is the id of the lesson the learner was in, or "".
func (p *Progress) Current() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st.Current
}

// SetCurrent records the lesson the learner is in and saves.
func (p *Progress) SetCurrent(lessonID string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.st.Current == lessonID {
		return nil
	}
	return p.changeLocked(func(st *ProgressState) { st.Current = lessonID })
}

// Passed reports whether step (0-based) of the lesson is passed.
func (p *Progress) Passed(lessonID string, step int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, found := slices.BinarySearch(p.st.Passed[lessonID], step)
	return found
}

// PassedSteps lists the passed steps of a lesson, ascending.
func (p *Progress) PassedSteps(lessonID string) []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]int{}, p.st.Passed[lessonID]...)
}

// MarkPassed records that step (0-based) of the lesson is passed and saves.
func (p *Progress) MarkPassed(lessonID string, step int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, found := slices.BinarySearch(p.st.Passed[lessonID], step); found {
		return nil
	}
	return p.changeLocked(func(st *ProgressState) { st.markPassed(lessonID, step) })
}

// ClearLesson forgets the passed steps of one lesson and saves.
func (p *Progress) ClearLesson(lessonID string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changeLocked(func(st *ProgressState) { delete(st.Passed, lessonID) })
}

// ClearAll forgets all progress and saves.
func (p *Progress) ClearAll() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changeLocked(func(st *ProgressState) { st.Passed, st.Current = nil, "" })
}

// Save writes the progress to its store now (it is also saved after every
// change), and takes in what others saved there.
func (p *Progress) Save() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changeLocked(nil)
}

// SaveInBackground makes every later change return once it is made in
// memory, and a goroutine of the Progress write it to the store: a saving
// file store syncs to disk twice, which can take from milliseconds to half
// a second, too long for a screen's event loop to wait. A save that fails is
// tried again with the next change; its error goes to failed (called on the
// writer's goroutine), or when failed is nil is returned by the next change
// or Flush. Call Flush before the program ends. Calling it twice changes
// nothing.
func (p *Progress) SaveInBackground(failed func(error)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.background || p.store == nil {
		return
	}
	p.background = true
	p.idle = sync.NewCond(&p.mu)
	p.failed = failed
}

// Flush waits until every change made so far has been tried on the store,
// and returns the error of a background save not reported yet.
func (p *Progress) Flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.busy {
		p.idle.Wait()
	}
	err := p.bgErr
	p.bgErr = nil
	return err
}

// writer saves what is pending until nothing is, holding p.mu only to take
// the changes and to take the store's state back: readers of the progress
// never wait for the disk. After a failure it stops; the next change starts
// it again, and retries. It holds no goroutine while there is nothing to do.
func (p *Progress) writer() {
	p.mu.Lock()
	defer func() {
		p.busy = false
		p.idle.Broadcast()
		p.mu.Unlock()
	}()
	for len(p.pending) > 0 {
		batch := p.pending
		p.pending = nil
		p.mu.Unlock()
		saved, err := p.storeChanges(batch, func() ProgressState {
			p.mu.Lock()
			defer p.mu.Unlock()
			return p.st.clone()
		})
		p.mu.Lock()
		if err != nil {
			p.pending = append(batch, p.pending...)
			if p.failed != nil {
				p.mu.Unlock()
				p.failed(err)
				p.mu.Lock()
			} else {
				p.bgErr = err
			}
			return
		}
		// Changes made while the store was written stay on top.
		for _, c := range p.pending {
			c(&saved)
		}
		p.st, p.bgErr = saved, nil
	}
}

// storeChanges applies changes to what the store holds and returns the
// state saved; when what was saved is unreadable (and kept aside) it saves
// mine() instead.
func (p *Progress) storeChanges(changes []func(*ProgressState), mine func() ProgressState) (ProgressState, error) {
	saved, err := p.store.Update(func(st *ProgressState) {
		for _, c := range changes {
			c(st)
		}
	})
	if bad := (*badProgressError)(nil); errors.As(err, &bad) {
		saved, err = p.store.Update(func(st *ProgressState) { *st = mine() })
	}
	if err != nil {
		return saved, fmt.Errorf("saving progress: %w", err)
	}
	return saved, nil
}

// changeLocked applies change (nil for none) in memory, then to the store
// with any change a failed save left pending, and takes the store's state;
// in the background when SaveInBackground was called.
func (p *Progress) changeLocked(change func(*ProgressState)) error {
	if change != nil {
		st := p.st.clone()
		change(&st)
		p.st = st
	}
	if p.store == nil {
		return nil
	}
	if change != nil {
		p.pending = append(p.pending, change)
	}
	if p.background {
		if change == nil {
			// Save asks to take in what others saved: a save with no change.
			p.pending = append(p.pending, func(*ProgressState) {})
		}
		if !p.busy { // a running writer takes all that is pending
			p.busy = true
			go p.writer()
		}
		err := p.bgErr
		p.bgErr = nil
		return err
	}
	saved, err := p.storeChanges(p.pending, p.st.clone)
	if err != nil {
		return err
	}
	p.pending, p.st = nil, saved
	return nil
}

// FileProgressStore keeps progress in a JSON file. Saves are atomic (written
// to a temporary file in the same folder, synced, then renamed over the old
// one, so a crash leaves either the old or the new progress) and, where the
// system has file locks, serialised by a lock on Path+".lock", so that two
// programs saving at once both keep their changes.
type FileProgressStore struct {
	Path string
}

// Load reads the file; a missing file is the zero state. The file must be a
// regular file of at most maxProgressSize bytes (see readRegular): a named
// pipe or a link to /dev/zero is refused at once, not read forever.
func (f FileProgressStore) Load() (ProgressState, error) {
	data, err := ReadRegular(f.Path, maxProgressSize)
	if errors.Is(err, fs.ErrNotExist) {
		return ProgressState{}, nil
	}
	if err != nil {
		return ProgressState{}, err
	}
	return decodeProgress(data)
}

// Update reads the file under the lock, applies change and writes it back. A
// file another program left unreadable is moved aside, not overwritten, and
// Update fails with a *badProgressError: the caller then saves what it knows.
func (f FileProgressStore) Update(change func(*ProgressState)) (ProgressState, error) {
	unlock, err := lockFile(f.Path + ".lock")
	if err != nil {
		return ProgressState{}, err
	}
	defer unlock()
	st, err := f.Load()
	var bad *badProgressError
	if errors.As(err, &bad) {
		aside, merr := moveAside(f.Path)
		if merr != nil {
			return ProgressState{}, fmt.Errorf("%w, and could not be moved aside: %v", err, merr)
		}
		return ProgressState{}, fmt.Errorf("%w; moved it to %s", err, aside)
	}
	if err != nil {
		return ProgressState{}, err
	}
	change(&st)
	data, err := encodeProgress(st)
	if err != nil {
		return ProgressState{}, err
	}
	target, err := saveTarget(f.Path)
	if err != nil {
		return ProgressState{}, err
	}
	if err := writeAtomic(target, data); err != nil {
		return ProgressState{}, err
	}
	return st, nil
}

// maxProgressSize bounds a progress file; a real one is a few kilobytes.
const maxProgressSize = 1 << 20

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

// removeLeftovers deletes temporary files left by a save that was killed,
// under the lock, so that a save in flight in another program keeps its own.
func (f FileProgressStore) removeLeftovers() {
	unlock, err := lockFile(f.Path + ".lock")
	if err != nil {
		return
	}
	defer unlock()
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(f.Path), tempPattern(f.Path)))
	for _, m := range matches {
		os.Remove(m)
	}
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
