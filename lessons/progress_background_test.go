package lessons

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// gatedStore is a memoryStore whose saves wait until the test opens the
// gate: a disk that is slow to sync.
type gatedStore struct {
	memoryStore
	gate chan struct{}
}

func (g *gatedStore) Update(change func(*ProgressState)) (ProgressState, error) {
	<-g.gate
	return g.memoryStore.Update(change)
}

// A change returns at once, its effect visible in memory, while the store
// is still being written; Flush waits for the write.
func TestBackgroundSavesDoNotWaitForTheStore(t *testing.T) {
	store := &gatedStore{gate: make(chan struct{})}
	p, err := NewProgress(store)
	if err != nil {
		t.Fatal(err)
	}
	p.SaveInBackground(nil)
	returned := make(chan error, 1)
	go func() { returned <- p.MarkPassed("intro", 0) }()
	select {
	case err := <-returned:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("MarkPassed waited for the store")
	}
	if !p.Passed("intro", 0) {
		t.Error("the passed step is not in memory")
	}
	if err := p.SetCurrent("intro"); err != nil {
		t.Fatal(err)
	}
	close(store.gate)
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	saved, _ := store.Load()
	if saved.Current != "intro" || !slices.Contains(saved.Passed["intro"], 0) {
		t.Errorf("after Flush the store holds %+v", saved)
	}
}

// A failed background save is said to the callback once, the change stays
// in memory, and the next change that can be saved stores both.
func TestBackgroundSaveFailureIsReportedAndRetried(t *testing.T) {
	store := &memoryStore{fails: true}
	p, _ := NewProgress(store)
	var mu sync.Mutex
	var failures []error
	p.SaveInBackground(func(err error) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, err)
	})
	if err := p.MarkPassed("intro", 0); err != nil {
		t.Fatalf("the change itself failed: %v", err)
	}
	_ = p.Flush()
	mu.Lock()
	if len(failures) != 1 || !strings.Contains(failures[0].Error(), "the store is down") {
		t.Errorf("failures reported: %v", failures)
	}
	mu.Unlock()
	if !p.Passed("intro", 0) {
		t.Error("the step is forgotten because it could not be saved")
	}
	store.mu.Lock()
	store.fails = false
	store.mu.Unlock()
	if err := p.MarkPassed("intro", 1); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(); err != nil {
		t.Fatal(err)
	}
	saved, _ := store.Load()
	if !slices.Contains(saved.Passed["intro"], 0) || !slices.Contains(saved.Passed["intro"], 1) {
		t.Errorf("the store holds %+v, want steps 0 and 1 of intro", saved)
	}
}
