package main

import (
	"context"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/putpost/putpost/lessons"
)

// collectorSettings reads the garbage collector's target (-1: off) and
// memory limit without changing them.
func collectorSettings() (percent, limit int64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
}

// waitForRestore waits up to 10 s for a collector hold to end, and fails t
// unless the collector's target and limit are then percent and limit.
func waitForRestore(t *testing.T, restored <-chan struct{}, percent, limit int64) {
	t.Helper()
	select {
	case <-restored:
	case <-time.After(10 * time.Second):
		t.Fatal("the collector's settings were not restored within 10 s")
	}
	if p, l := collectorSettings(); p != percent || l != limit {
		t.Errorf("after the first frame the collector's target is %d%% and its limit %d, not %d%% and %d as before", p, l, percent, limit)
	}
}

// The collector waits for the full screen's first frame, with the heap
// capped, and afterwards runs as it did before: a long session's heap is
// collected as usual.
func TestTheCollectorRunsAgainAfterTheFirstFrame(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 40))
	restored := collectAfterFirstFrame(math.MaxInt64)
	if percent, limit := collectorSettings(); percent != startUpGCPercent || limit != startUpHeapLimit {
		t.Errorf("while the first frame is drawn: target %d%%, limit %d; want %d%% and %d", percent, limit, startUpGCPercent, startUpHeapLimit)
	}
	waitForRestore(t, restored, 150, 1<<40)
}

// With --listen the collector gets serve's soft limit after the first
// frame (a lower GOMEMLIMIT stays): strangers can fill every budget of the
// sim and the screen at once, and the heap is collected harder rather than
// left to double.
func TestListenCapsTheHeapAfterTheFirstFrame(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 40))
	waitForRestore(t, collectAfterFirstFrame(serveMemoryLimit), 100, serveMemoryLimit)
	debug.SetMemoryLimit(64 << 20)
	waitForRestore(t, collectAfterFirstFrame(serveMemoryLimit), 100, 64<<20)
}

// A lower GOMEMLIMIT and a higher GOGC (or GOGC=off) are kept while the
// first frame is drawn, and are what the collector has afterwards.
func TestTheCollectorHoldKeepsStricterSettings(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(32 << 20))
	restored := collectAfterFirstFrame(math.MaxInt64)
	if percent, limit := collectorSettings(); percent != -1 || limit != 32<<20 {
		t.Errorf("GOGC=off GOMEMLIMIT=32MiB held: target %d%%, limit %d", percent, limit)
	}
	waitForRestore(t, restored, -1, 32<<20)
	debug.SetGCPercent(50000)
	restored = collectAfterFirstFrame(math.MaxInt64)
	if percent, _ := collectorSettings(); percent != 50000 {
		t.Errorf("GOGC=50000 held: target %d%%", percent)
	}
	waitForRestore(t, restored, 50000, 32<<20)
}

// The lessons parsed before the command line was read are the ones the
// tutorial plays, asked for once; the sandbox does not ask for them.
func TestTheTutorialPlaysTheLessonsHandedToIt(t *testing.T) {
	isolateState(t)
	ls, err := lessons.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	builtin := func() ([]*lessons.Lesson, error) {
		calls.Add(1)
		return ls[1:], nil // a curriculum that starts at the second lesson
	}
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	root := newRootCommand(strings.NewReader("GET /flights/AA123\n"), &stdout, &stderr, builtin)
	root.SetArgs([]string{"--plain"})
	if err := root.ExecuteContext(ctx); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("the lessons were asked for %d times, want once", n)
	}
	if want := "Lesson 1 of 12: " + ls[1].Title; !strings.Contains(stdout.String(), want) {
		t.Errorf("the tutorial did not play the lessons handed to it (no %q):\n%s", want, stdout.String())
	}

	calls.Store(0)
	stdout = syncBuffer{}
	root = newRootCommand(strings.NewReader("GET /accounts/42\n"), &stdout, &stderr, builtin)
	root.SetArgs([]string{"sandbox", "--plain"})
	if err := root.ExecuteContext(ctx); err != nil || !strings.Contains(stdout.String(), "200 OK") {
		t.Fatalf("sandbox: %v\n%s", err, stdout.String())
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the sandbox asked for the lessons %d times", n)
	}
}

// The context main runs in ends when one of its signals arrives, once its
// goroutine listens; SIGWINCH, ignored by default, can be sent before then.
func TestStopContextEndsOnASignal(t *testing.T) {
	ctx, stop := stopContext(context.Background(), syscall.SIGWINCH)
	defer stop()
	deadline := time.Now().Add(10 * time.Second)
	for ctx.Err() == nil {
		if time.Now().After(deadline) {
			t.Fatal("10 s of SIGWINCH and the context has not ended")
		}
		if err := syscall.Kill(os.Getpid(), syscall.SIGWINCH); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// stop ends the context too, and can be called at once.
	ctx, stop = stopContext(context.Background(), syscall.SIGWINCH)
	stop()
	if ctx.Err() == nil {
		t.Error("the context is not done after stop")
	}
}

// The full screen runs on one processor once its first frame is drawn,
// unless the GOMAXPROCS variable names a number of its own.
func TestTheFullScreenKeepsOneProcessorAfterItsFirstFrame(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(before)
	runtime.GOMAXPROCS(2)
	waitSet := func(set <-chan struct{}) {
		t.Helper()
		select {
		case <-set:
		case <-time.After(10 * time.Second):
			t.Fatal("the processor setting was not made within 10 s")
		}
	}
	t.Setenv("GOMAXPROCS", "2")
	waitSet(oneProcessorAfterFirstFrame())
	if n := runtime.GOMAXPROCS(0); n != 2 {
		t.Errorf("with GOMAXPROCS=2 set, the full screen runs on %d processors", n)
	}
	os.Unsetenv("GOMAXPROCS")
	set := oneProcessorAfterFirstFrame()
	if n := runtime.GOMAXPROCS(0); n != 2 {
		t.Errorf("start-up runs on %d processors, want all (2)", n)
	}
	waitSet(set)
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Errorf("after the first frame the full screen runs on %d processors, want 1", n)
	}
}
