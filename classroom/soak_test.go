package classroom

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"runtime/pprof"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// lightLearner is a learner's connection that keeps no screen, only the
// last bytes received: the soak and the memory measurement want the
// server's cost, not an emulator's.
type lightLearner struct {
	cl   *gossh.Client
	sess *gossh.Session
	in   io.WriteCloser
	mu   sync.Mutex
	tail []byte
	seen map[string]bool
	want []string
	done chan struct{}
}

func connectLight(c *Classroom, user string, w, h int, want ...string) (*lightLearner, error) {
	cl, err := gossh.Dial("tcp", c.Addr().String(), &gossh.ClientConfig{
		User:            user,
		Auth:            []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		HostKeyCallback: gossh.FixedHostKey(c.srv.HostSigners[0].PublicKey()),
		Timeout:         waitLimit,
	})
	if err != nil {
		return nil, err
	}
	s, err := cl.NewSession()
	if err != nil {
		_ = cl.Close()
		return nil, err
	}
	l := &lightLearner{cl: cl, sess: s, seen: map[string]bool{}, want: want, done: make(chan struct{})}
	if err := s.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		l.close()
		return nil, err
	}
	l.in, _ = s.StdinPipe()
	out, _ := s.StdoutPipe()
	go func() {
		defer close(l.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := out.Read(buf)
			l.mu.Lock()
			l.tail = append(l.tail, buf[:n]...)
			for _, w := range l.want {
				if bytes.Contains(l.tail, []byte(w)) {
					l.seen[w] = true
				}
			}
			if len(l.tail) > 4096 {
				l.tail = append(l.tail[:0], l.tail[len(l.tail)-4096:]...)
			}
			l.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	if err := s.Shell(); err != nil {
		l.close()
		return nil, err
	}
	return l, nil
}

// await waits until the output has shown text (one of those asked for).
func (l *lightLearner) await(text string) error {
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		ok := l.seen[text]
		l.mu.Unlock()
		if ok {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("never saw %q", text)
}

func (l *lightLearner) keys(ks ...string) {
	for _, k := range ks {
		_, _ = io.WriteString(l.in, k)
		time.Sleep(30 * time.Millisecond)
	}
}

func (l *lightLearner) close() {
	_ = l.sess.Close()
	_ = l.cl.Close()
}

// sent waits until the learner called name has sent a request.
func sent(c *Classroom, name string) error {
	deadline := time.Now().Add(waitLimit)
	for time.Now().Before(deadline) {
		c.room.mu.Lock()
		ok := false
		for _, l := range c.room.learners {
			if l.rec.Name == name && l.rec.Requests > 0 {
				ok = true
			}
		}
		c.room.mu.Unlock()
		if ok {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s: no request arrived", name)
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func settle(t testing.TB, c *Classroom) {
	t.Helper()
	eventually(t, "every session ends", func() bool {
		c.room.mu.Lock()
		defer c.room.mu.Unlock()
		for _, l := range c.room.learners {
			if l.sess != nil {
				return false
			}
		}
		return c.sessions.Load() == 0 && len(c.room.conns) == 0
	})
}

// TestSoakFiftyLearnersComeAndGo: fifty learners at once, each sending
// requests; once they all leave, the goroutines and the heap are back
// where they were.
func TestSoakFiftyLearnersComeAndGo(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak takes a while")
	}
	c := startClassroom(t, Config{})
	round := func(prefix string, n int) {
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := fmt.Sprintf("%s%02d", prefix, i)
				l, err := connectLight(c, name, 100, 30, "Meet the server")
				if err != nil {
					errs <- err
					return
				}
				defer l.close()
				if err := l.await("Meet the server"); err != nil {
					errs <- fmt.Errorf("%s: %w", name, err)
					return
				}
				// Keys then a wait for their request: a key still on its way
				// when the connection closes can pin Bubble Tea's input
				// goroutine (see the gate in conn), which is not what this
				// soak measures.
				l.keys("x", "e", "\r")
				if err := sent(c, name); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		settle(t, c)
	}
	round("warm", 1) // warm up what is built once (lessons, styles)
	baseG, baseHeap := runtime.NumGoroutine(), heapInUse()

	round("learner", 50)
	rows := c.room.Roster()
	if len(rows) != 51 {
		t.Fatalf("%d learners in the roster, want 51", len(rows))
	}
	for _, r := range rows {
		if r.Online || r.Attempts < 1 {
			t.Errorf("after leaving: %+v", r)
		}
	}
	// Goroutines end a moment after their connections: wait for them, then
	// compare the heap.
	deadline := time.Now().Add(waitLimit)
	for runtime.NumGoroutine() > baseG {
		if time.Now().After(deadline) {
			var b bytes.Buffer
			_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
			t.Fatalf("%d goroutines after everyone left, %d before:\n%s", runtime.NumGoroutine(), baseG, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	// 51 learner records stay (a few KB each); every session is gone.
	after := heapInUse()
	t.Logf("live heap: %.1f MiB before, %.1f MiB after; %d goroutines", float64(baseHeap)/(1<<20), float64(after)/(1<<20), baseG)
	if after > baseHeap+4<<20 {
		t.Errorf("live heap %d MiB after everyone left, %d MiB before", after>>20, baseHeap>>20)
	}
}

// BenchmarkMemoryPerLearner measures the heap one connected learner costs,
// at a common window and at the render cap (the client's side of each SSH
// connection, in the same process, is counted too).
func BenchmarkMemoryPerLearner(b *testing.B) {
	for _, size := range []struct{ w, h int }{{100, 30}, {DefaultMaxWidth, DefaultMaxHeight}} {
		b.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(b *testing.B) {
			const n = 20
			c := startClassroom(b, Config{})
			warm, err := connectLight(c, "warm", size.w, size.h, "Meet the server")
			if err != nil {
				b.Fatal(err)
			}
			if err := warm.await("Meet the server"); err != nil {
				b.Fatal(err)
			}
			warm.close()
			settle(b, c)
			for range b.N {
				before := heapInUse()
				var ls []*lightLearner
				for i := range n {
					l, err := connectLight(c, fmt.Sprintf("l%d", i), size.w, size.h, "Meet the server")
					if err != nil {
						b.Fatal(err)
					}
					ls = append(ls, l)
				}
				for _, l := range ls {
					if err := l.await("Meet the server"); err != nil {
						b.Fatal(err)
					}
					l.keys("x", "e", "\r")
				}
				for i := range ls {
					if err := sent(c, fmt.Sprintf("l%d", i)); err != nil {
						b.Fatal(err)
					}
				}
				after := heapInUse()
				b.ReportMetric(float64(after-before)/n/(1<<20), "MiB/learner")
				for _, l := range ls {
					l.close()
				}
				settle(b, c)
			}
		})
	}
}
