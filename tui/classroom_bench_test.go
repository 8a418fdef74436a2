package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/session"
)

// classSize is how many full screens BenchmarkClassroom runs in one process.
const classSize = 50

// BenchmarkClassroom runs a room of learners in one process, the shape of a
// classroom server: classSize sessions, each with its own full screen
// running as a real Bubble Tea program (keys written to its input as a
// terminal sends them, frames written to an output that counts them, 120×40,
// true colour), all in lesson "idempotence". Each iteration makes every
// learner send PUT /accounts/42 {"balance":100} ×100 at the same moment
// and waits until all 100 exchanges of every learner are in, then until
// every screen has drawn its last frame. Reported per session:
//
//   - fps-min, fps-median: frames written per second while its ×100 ran;
//
//   - s-per-×100: how long a learner's ×100 took (median);
//
//   - cpu-%-busy: CPU (user + system) of the whole process while the room
//     animates, per session, as a percentage of one core;
//
//   - cpu-%-idle: the same over two seconds with every screen idle;
//
//   - heap-MiB: live heap after start-up, per session (the process's live
//     heap with the room open, less the heap before it opened, ÷ classSize).
//
//     go test ./tui -run '^$' -bench Classroom -benchtime 3x
//
// docs/BENCHMARKS.md has the numbers.
func BenchmarkClassroom(b *testing.B) {
	ls, err := lessons.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	heapBefore := liveHeap()
	room := make([]*learner, classSize)
	for i := range room {
		room[i] = startLearner(b, ls)
	}
	defer func() {
		for _, l := range room {
			l.stop()
		}
	}()
	// Wait for every first frame, then let start-up settle.
	for _, l := range room {
		l.waitQuiet(b, 10*time.Second)
	}
	heap := float64(liveHeap()-heapBefore) / classSize / (1 << 20)

	idleCPU := cpuOver(2 * time.Second)

	var fps, runs []float64
	var busy time.Duration
	var busyWall time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		cpu0 := cpuTime()
		var wg sync.WaitGroup
		for _, l := range room {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l.sendRepeat(b, 100)
			}()
		}
		wg.Wait()
		for _, l := range room {
			l.waitQuiet(b, 30*time.Second)
		}
		busy += cpuTime() - cpu0
		busyWall += time.Since(start)
		for _, l := range room {
			fps = append(fps, l.lastFPS)
			runs = append(runs, l.lastRun.Seconds())
		}
	}
	b.StopTimer()
	sort.Float64s(fps)
	sort.Float64s(runs)
	b.ReportMetric(runs[len(runs)/2], "s-per-×100")
	b.ReportMetric(fps[0], "fps-min")
	b.ReportMetric(fps[len(fps)/2], "fps-median")
	b.ReportMetric(100*busy.Seconds()/busyWall.Seconds()/classSize, "cpu-%-busy")
	b.ReportMetric(100*idleCPU/classSize, "cpu-%-idle")
	b.ReportMetric(heap, "heap-MiB")
}

// learner is one full screen of the room: its session, the program's input
// (a pipe the benchmark writes keys into) and a count of frames written.
type learner struct {
	sess    *session.Session
	in      *io.PipeWriter
	out     *frameCounter
	cancel  context.CancelFunc
	done    chan error
	lastFPS float64
	lastRun time.Duration // how long its ×100 took
}

func startLearner(b *testing.B, ls []*lessons.Lesson) *learner {
	sess, err := session.New(session.Options{Mode: session.Tutorial, Lessons: ls, Lesson: "idempotence"})
	if err != nil {
		b.Fatal(err)
	}
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	l := &learner{sess: sess, in: pw, out: &frameCounter{}, cancel: cancel, done: make(chan error, 1)}
	go func() {
		l.done <- run(ctx, Options{Session: sess}, []tea.ProgramOption{
			tea.WithInput(pr), tea.WithOutput(l.out), tea.WithWindowSize(120, 40),
			tea.WithColorProfile(colorprofile.TrueColor), tea.WithoutSignalHandler(),
		})
	}()
	return l
}

// sendRepeat types the PUT ×n into the composer as a terminal would send
// the keys, waits for all n exchanges, and records the frame rate.
func (l *learner) sendRepeat(b *testing.B, n int) {
	srv := l.sess.Server()
	before := srv.LastSeq()
	frames := l.out.frames.Load()
	start := time.Now()
	// e focuses the composer, ctrl+l clears it, enter sends, esc leaves.
	if _, err := fmt.Fprintf(l.in, "e\x0cPUT /accounts/42 {\"balance\":100} x%d\r", n); err != nil {
		b.Error(err)
		return
	}
	deadline := time.Now().Add(60 * time.Second)
	for srv.LastSeq() < before+uint64(n) {
		if time.Now().After(deadline) {
			b.Errorf("after 60 s only %d of %d exchanges were sent", srv.LastSeq()-before, n)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	elapsed := time.Since(start)
	l.lastRun = elapsed
	l.lastFPS = float64(l.out.frames.Load()-frames) / elapsed.Seconds()
	if _, err := io.WriteString(l.in, "\x1b"); err != nil {
		b.Error(err)
	}
}

// waitQuiet waits until the screen has written no frame for 200 ms.
func (l *learner) waitQuiet(b *testing.B, timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	last := l.out.frames.Load()
	for quiet := time.Duration(0); quiet < 200*time.Millisecond; {
		if time.Now().After(deadline) {
			b.Fatalf("the screen kept drawing for %s", timeout)
		}
		time.Sleep(20 * time.Millisecond)
		if n := l.out.frames.Load(); n != last {
			last, quiet = n, 0
		} else {
			quiet += 20 * time.Millisecond
		}
	}
	if last == 0 {
		b.Fatal("the screen drew nothing")
	}
}

func (l *learner) stop() {
	l.cancel()
	_ = l.in.Close()
	select {
	case err := <-l.done:
		if err != nil && !errors.Is(err, context.Canceled) {
			fmt.Println("learner:", err)
		}
	case <-time.After(5 * time.Second):
	}
	l.sess.Close()
}

// frameCounter is the program's terminal: it counts the writes, one per
// frame Bubble Tea flushes.
type frameCounter struct{ frames, bytes atomic.Int64 }

func (f *frameCounter) Write(p []byte) (int, error) {
	f.frames.Add(1)
	f.bytes.Add(int64(len(p)))
	return len(p), nil
}

// liveHeap is the heap still in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuOver is the share of one core the process used over d.
func cpuOver(d time.Duration) float64 {
	c := cpuTime()
	time.Sleep(d)
	return (cpuTime() - c).Seconds() / d.Seconds()
}

// BenchmarkAnimate runs one full screen as BenchmarkClassroom runs each of
// its room (a real Bubble Tea program, 120×40, true colour, lesson
// "idempotence") and makes it animate PUT /accounts/42 {"balance":100}
// ×1000, the repeat docs/bench/screen.sh watches from outside. Each
// iteration waits for the 1,000 exchanges and for the screen to settle.
// Reported per ×1000:
//
//   - cpu-ms: CPU (user + system) of the whole process, the sim's
//     exchanges and the settling included; it depends on the work done,
//     not on how long the machine made the repeat take;
//
//   - frames, KiB: the frames written to the terminal and their size.
//
//     go test ./tui -run '^$' -bench Animate -benchtime 5x
func BenchmarkAnimate(b *testing.B) {
	ls, err := lessons.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	l := startLearner(b, ls)
	defer l.stop()
	l.waitQuiet(b, 10*time.Second)
	var cpu time.Duration
	var frames, bytes int64
	var work [2]uint64 // goroutines started, bytes allocated: work that does not move with the load
	b.ResetTimer()
	for range b.N {
		cpu0, f0, n0 := cpuTime(), l.out.frames.Load(), l.out.bytes.Load()
		w0 := runWork()
		l.sendRepeat(b, 1000)
		l.waitQuiet(b, 30*time.Second)
		cpu += cpuTime() - cpu0
		frames += l.out.frames.Load() - f0
		bytes += l.out.bytes.Load() - n0
		w1 := runWork()
		work[0] += w1[0] - w0[0]
		work[1] += w1[1] - w0[1]
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(work[0])/n, "goroutines")
	b.ReportMetric(float64(work[1])/(1<<20)/n, "alloc-MiB")
	b.ReportMetric(float64(cpu.Milliseconds())/n, "cpu-ms")
	b.ReportMetric(float64(frames)/n, "frames")
	b.ReportMetric(float64(bytes)/1024/n, "KiB")
}

// runWork reads how many goroutines the process has started and how many
// bytes it has allocated so far.
func runWork() [2]uint64 {
	m := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}, {Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(m)
	return [2]uint64{m[0].Value.Uint64(), m[1].Value.Uint64()}
}
