package classroom

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func ctxShutdown(t testing.TB, c *Classroom) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
}

// dirOf is the only learner folder under a classroom folder.
func dirOf(t testing.TB, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, learnersFolder))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, e := range ents {
		if e.IsDir() && e.Name() != seatID(instructorsSeat) {
			found = append(found, e.Name())
		}
	}
	if len(found) != 1 {
		t.Fatalf("learner folders %v, want one", found)
	}
	return filepath.Join(dir, learnersFolder, found[0])
}

// eventually waits until ok holds.
func eventually(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
