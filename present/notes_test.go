package present

import (
	"bufio"
	"encoding/json"
	"net"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// failingListener fails its first fails Accepts the way a process out of
// file descriptors does, then accepts for real.
type failingListener struct {
	net.Listener
	mu    sync.Mutex
	fails int
}

func (l *failingListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.fails > 0 {
		l.fails--
		l.mu.Unlock()
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: syscall.EMFILE}
	}
	l.mu.Unlock()
	return l.Listener.Accept()
}

func startHub(t *testing.T, fails int) *Hub {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := serveNotes(&failingListener{Listener: ln, fails: fails}, filepath.Join(t.TempDir(), "present.addr"))
	t.Cleanup(h.Close)
	return h
}

// readPosition connects a notes view to h and returns the first position
// it is sent.
func readPosition(t *testing.T, c net.Conn) (Position, error) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(c).ReadBytes('\n')
	if err != nil {
		return Position{}, err
	}
	var p Position
	return p, json.Unmarshal(line, &p)
}

func dial(t *testing.T, h *Hub) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", h.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestNotesKeepAcceptingAfterAcceptFails(t *testing.T) {
	h := startHub(t, 5)
	h.Publish(Position{Demo: "two-tellers", Pos: 3, Total: 9})
	p, err := readPosition(t, dial(t, h))
	if err != nil {
		t.Fatalf("after 5 failed Accepts the notes view got nothing: %v", err)
	}
	if p.Demo != "two-tellers" || p.Pos != 3 {
		t.Fatalf("position %+v, want two-tellers at 3", p)
	}
}

func TestNotesDropClosedViewsAndCloseTheOldestWhenFull(t *testing.T) {
	h := startHub(t, 0)
	h.Publish(Position{Demo: "d", Pos: 1})

	// 100 views that connect and leave are all forgotten, without waiting
	// for a position to fail to reach them.
	for range 100 {
		c := dial(t, h)
		if _, err := readPosition(t, c); err != nil {
			t.Fatal(err)
		}
		_ = c.Close()
	}
	waitViews(t, h, 0)

	// A view that sends anything is not a notes view: it is closed.
	talker := dial(t, h)
	if _, err := readPosition(t, talker); err != nil {
		t.Fatal(err)
	}
	if _, err := talker.Write([]byte("hello\n")); err != nil {
		t.Fatal(err)
	}
	waitViews(t, h, 0)

	// Past the cap, the oldest views are closed and the newest is served.
	var first []net.Conn
	for range maxNotesViews + 3 {
		c := dial(t, h)
		if _, err := readPosition(t, c); err != nil {
			t.Fatal(err)
		}
		first = append(first, c)
	}
	if n := h.views(); n > maxNotesViews {
		t.Fatalf("%d views are open, more than the cap of %d", n, maxNotesViews)
	}
	r := bufio.NewReader(first[0])
	_ = first[0].SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := r.ReadByte(); err == nil {
		t.Fatal("the oldest view was not closed when the cap was reached")
	}
	h.Publish(Position{Demo: "d", Pos: 2})
	last := first[len(first)-1]
	p, err := readPosition(t, last)
	if err != nil || p.Pos != 2 {
		t.Fatalf("the newest view got %+v, %v; want position 2", p, err)
	}
}

func waitViews(t *testing.T, h *Hub, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.views() != want {
		if time.Now().After(deadline) {
			t.Fatalf("%d notes views are still held, want %d", h.views(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
