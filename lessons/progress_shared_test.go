package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// Two terminals open the tutorial on the same progress file: each passes
// steps the other does not know of. Neither loses the other's.
func TestTwoProgramsOnOneFileKeepEachOthersPassedSteps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	a := openTestProgress(t, path)
	b := openTestProgress(t, path)
	must(t, a.MarkPassed("01-meet", 0))
	must(t, b.MarkPassed("01-meet", 1))
	must(t, b.MarkPassed("02-put", 0))
	must(t, a.MarkPassed("01-meet", 2))
	must(t, a.SetCurrent("01-meet"))

	want := []int{0, 1, 2}
	if got := a.PassedSteps("01-meet"); !slices.Equal(got, want) {
		t.Errorf("the first program sees %v, want %v", got, want)
	}
	c := openTestProgress(t, path)
	if got := c.PassedSteps("01-meet"); !slices.Equal(got, want) {
		t.Errorf("the file holds %v, want %v", got, want)
	}
	if !c.Passed("02-put", 0) || c.Current() != "01-meet" {
		t.Errorf("the file lost 02-put or the current lesson: %v, %q", c.PassedSteps("02-put"), c.Current())
	}
}

// A lesson cleared in one program stays cleared when the other saves next;
// what the other passes afterwards is kept.
func TestClearedLessonIsNotBroughtBackByTheOtherProgram(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	a := openTestProgress(t, path)
	b := openTestProgress(t, path)
	must(t, a.MarkPassed("05-idem", 0))
	must(t, b.MarkPassed("05-idem", 1))
	must(t, a.ClearLesson("05-idem"))
	must(t, b.MarkPassed("05-idem", 3))
	if got := openTestProgress(t, path).PassedSteps("05-idem"); !slices.Equal(got, []int{3}) {
		t.Errorf("after a clear then a pass: %v, want [3]", got)
	}
}

// Saves racing from two programs: the lock keeps every change.
func TestConcurrentSavesFromTwoProgramsLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.json")
	progs := []*Progress{openTestProgress(t, path), openTestProgress(t, path)}
	const n = 40
	var wg sync.WaitGroup
	for k, p := range progs {
		wg.Go(func() {
			for i := k; i < n; i += 2 {
				if err := p.MarkPassed("race", i); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got := openTestProgress(t, path).PassedSteps("race")
	if len(got) != n {
		t.Fatalf("%d of %d passed steps survived: %v", len(got), n, got)
	}
}

// memoryStore is a ProgressStore that is not a file, as a classroom keeps.
type memoryStore struct {
	mu    sync.Mutex
	st    ProgressState
	fails bool
}

func (m *memoryStore) Load() (ProgressState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st.clone(), nil
}

func (m *memoryStore) Update(change func(*ProgressState)) (ProgressState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fails {
		return ProgressState{}, errors.New("the store is down")
	}
	st := m.st.clone()
	change(&st)
	m.st = st
	return st.clone(), nil
}

// Progress works over any store; a change a failed save could not store is
// stored by the next save that works.
func TestProgressOverAnotherStoreKeepsChangesAcrossAFailedSave(t *testing.T) {
	store := &memoryStore{}
	p, err := NewProgress(store)
	must(t, err)
	if !p.FirstRun() || !p.Saving() {
		t.Fatalf("FirstRun %v, Saving %v", p.FirstRun(), p.Saving())
	}
	must(t, p.MarkPassed("a", 0))
	store.fails = true
	if err := p.MarkPassed("a", 1); err == nil {
		t.Fatal("no error from a failed save")
	}
	if !p.Passed("a", 1) {
		t.Fatal("the step was forgotten in memory after a failed save")
	}
	store.fails = false
	must(t, p.SetCurrent("a"))
	q, err := NewProgress(store)
	must(t, err)
	if got := q.PassedSteps("a"); !slices.Equal(got, []int{0, 1}) || q.Current() != "a" || q.FirstRun() {
		t.Fatalf("store holds %v, current %q", got, q.Current())
	}
}

// A file another program garbled after we opened it is moved aside, not
// overwritten, and what this program knows is saved in its place.
func TestFileGarbledUnderneathIsMovedAsideOnSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.json")
	p := openTestProgress(t, path)
	must(t, p.MarkPassed("a", 0))
	must(t, os.WriteFile(path, []byte("not json"), 0o600))
	must(t, p.MarkPassed("a", 1))
	aside, _ := filepath.Glob(filepath.Join(dir, "progress.json.corrupt-*"))
	if len(aside) != 1 {
		t.Fatalf("moved aside: %v", aside)
	}
	if got := openTestProgress(t, path).PassedSteps("a"); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("after the garbled file: %v", got)
	}
}
