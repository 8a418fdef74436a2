package present

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/termsafe"
)

// Speaker notes follow the presenter over a loopback connection: the
// presenter listens on 127.0.0.1 on a port the system picks and writes the
// address to a file in the user's state folder; `present --notes` reads it
// and connects. Each message is one JSON line with the position.

// Position is where the presenter is in its demo.
type Position struct {
	Demo    string `json:"demo"`
	Hash    string `json:"hash"`
	Pos     int    `json:"pos"` // steps done
	Total   int    `json:"total"`
	Sending bool   `json:"sending"`
}

// LinkFile is where a presenter tells notes its address.
func LinkFile() string {
	return filepath.Join(filepath.Dir(lessons.DefaultProgressPath()), "present.addr")
}

// Hub is the presenter's side of the notes link: it sends the newest
// position to every connected notes view and never waits for a slow one.
// Any local process can connect, so the hub keeps at most maxNotesViews
// connections (a new one closes the oldest), drops a connection as soon as
// its client closes it or sends anything (a notes view only reads), and
// keeps accepting after an error such as running out of file descriptors.
type Hub struct {
	ln     net.Listener
	file   string
	mu     sync.Mutex
	pos    Position
	has    bool
	closed bool
	seq    int
	conns  map[net.Conn]*notesPeer
}

// notesPeer is one connected notes view: the newest position waiting for
// it, and when it connected (to close the oldest first).
type notesPeer struct {
	ch  chan Position
	seq int
}

// maxNotesViews is how many notes views one presenter serves at once: a
// speaker has one or two; more are closed oldest first, so a view that
// reconnects always gets in.
const maxNotesViews = 8

// Listen starts the notes link on loopback and writes its address to file.
func Listen(file string) (*Hub, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("speaker notes: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err == nil {
		err = os.WriteFile(file, []byte(ln.Addr().String()+"\n"), 0o600)
		if err != nil {
			_ = ln.Close()
			return nil, fmt.Errorf("speaker notes: %w", err)
		}
	} else {
		_ = ln.Close()
		return nil, fmt.Errorf("speaker notes: %w", err)
	}
	return serveNotes(ln, file), nil
}

// serveNotes runs a hub on ln, whose address is in file.
func serveNotes(ln net.Listener, file string) *Hub {
	h := &Hub{ln: ln, file: file, conns: map[net.Conn]*notesPeer{}}
	go h.accept()
	return h
}

// Addr is where the hub listens.
func (h *Hub) Addr() string { return h.ln.Addr().String() }

// accept takes connections until the hub is closed. An Accept error (too
// many open files, a connection reset before it was taken) is waited out,
// from 5 ms doubling to 1 s, as net/http's server does, and never ends the
// link.
func (h *Hub) accept() {
	var delay time.Duration
	for {
		c, err := h.ln.Accept()
		if err != nil {
			h.mu.Lock()
			closed := h.closed
			h.mu.Unlock()
			if closed || errors.Is(err, net.ErrClosed) {
				return
			}
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		h.add(c)
	}
}

// add serves c, closing the oldest view when maxNotesViews are open.
func (h *Hub) add(c net.Conn) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		_ = c.Close()
		return
	}
	if len(h.conns) >= maxNotesViews {
		var oldest net.Conn
		for oc, p := range h.conns {
			if oldest == nil || p.seq < h.conns[oldest].seq {
				oldest = oc
			}
		}
		h.dropLocked(oldest)
	}
	h.seq++
	p := &notesPeer{ch: make(chan Position, 1), seq: h.seq}
	h.conns[c] = p
	if h.has {
		p.ch <- h.pos
	}
	h.mu.Unlock()
	go h.serve(c, p.ch)
	go h.watch(c)
}

// watch drops c when its client closes it or sends anything: a notes view
// never writes, so one read returning is the end of it.
func (h *Hub) watch(c net.Conn) {
	var b [1]byte
	_, _ = c.Read(b[:])
	h.drop(c)
}

// drop forgets c and closes it; dropping it twice does nothing.
func (h *Hub) drop(c net.Conn) {
	h.mu.Lock()
	h.dropLocked(c)
	h.mu.Unlock()
}

func (h *Hub) dropLocked(c net.Conn) {
	if p, ok := h.conns[c]; ok {
		delete(h.conns, c)
		close(p.ch)
		_ = c.Close()
	}
}

// views is how many notes views are connected.
func (h *Hub) views() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns)
}

func (h *Hub) serve(c net.Conn, ch chan Position) {
	defer h.drop(c)
	enc := json.NewEncoder(c)
	for p := range ch {
		_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if enc.Encode(p) != nil {
			return
		}
	}
}

// Publish sends p to every notes view; one that has not read the previous
// position gets only the newest.
func (h *Hub) Publish(p Position) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pos, h.has = p, true
	for _, peer := range h.conns {
		select {
		case <-peer.ch:
		default:
		}
		peer.ch <- p
	}
}

// Close stops the link and removes the address file if it is still ours.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	for c := range h.conns {
		h.dropLocked(c)
	}
	h.mu.Unlock()
	_ = h.ln.Close()
	if b, err := os.ReadFile(h.file); err == nil && strings.TrimSpace(string(b)) == h.Addr() {
		_ = os.Remove(h.file)
	}
}

// --- the notes view ----------------------------------------------------------

// notesModel shows the presenter's caption, the next lines and their notes.
type notesModel struct {
	ctx    context.Context
	demo   *Demo
	file   string
	st     *Styles
	w, h   int
	pos    Position
	linked bool
	status string
}

type linkMsg struct {
	pos Position
	ok  bool
	err string
}

// follow connects to the presenter (again and again until it is there) and
// forwards every position it sends to out, with a status when it is lost.
func follow(ctx context.Context, file string, out chan<- linkMsg) {
	for ctx.Err() == nil {
		b, err := os.ReadFile(file)
		var c net.Conn
		if err == nil {
			d := net.Dialer{Timeout: 2 * time.Second}
			c, err = d.DialContext(ctx, "tcp", strings.TrimSpace(string(b)))
		}
		if err != nil {
			select {
			case out <- linkMsg{err: "waiting for the presenter (putpost present) to start…"}:
			case <-ctx.Done():
				return
			}
			select {
			case <-time.After(300 * time.Millisecond):
			case <-ctx.Done():
				return
			}
			continue
		}
		stop := context.AfterFunc(ctx, func() { _ = c.Close() })
		sc := bufio.NewScanner(c)
		for sc.Scan() {
			var p Position
			if json.Unmarshal(sc.Bytes(), &p) != nil {
				continue
			}
			select {
			case out <- linkMsg{pos: p, ok: true}:
			case <-ctx.Done():
			}
		}
		stop()
		_ = c.Close()
	}
}

// RunNotes shows speaker notes for demo, following the presenter that
// wrote file, until ctx ends or q is pressed. opts are passed to Bubble Tea.
func RunNotes(ctx context.Context, demo *Demo, file string, opts ...tea.ProgramOption) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan linkMsg, 1)
	go follow(ctx, file, ch)
	m := notesModel{ctx: ctx, demo: demo, file: file, st: NewStyles(true, false), status: "waiting for the presenter (putpost present) to start…"}
	p := tea.NewProgram(notesRoot{m: m, ch: ch}, append([]tea.ProgramOption{tea.WithContext(ctx)}, opts...)...)
	_, err := p.Run()
	if err != nil && ctx.Err() != nil {
		return nil
	}
	return err
}

type notesRoot struct {
	m     notesModel
	ch    chan linkMsg
	frame string // drawn by Update
}

func (r notesRoot) wait() tea.Cmd {
	return func() tea.Msg {
		select {
		case msg := <-r.ch:
			return msg
		case <-r.m.ctx.Done():
			return nil
		}
	}
}

func (r notesRoot) Init() tea.Cmd { return tea.Batch(tea.RequestBackgroundColor, r.wait()) }

// Update follows the link and the keys, then draws the frame once.
func (r notesRoot) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	nr, cmd := r.update(msg)
	next := nr.(notesRoot)
	next.frame = next.m.Screen()
	return next, cmd
}

func (r notesRoot) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		r.m.w, r.m.h = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		r.m.st = NewStyles(msg.IsDark(), false)
	case tea.KeyPressMsg:
		if s := msg.String(); s == "q" || s == "ctrl+c" || s == "esc" {
			return r, tea.Quit
		}
	case linkMsg:
		if msg.ok {
			r.m.pos, r.m.linked, r.m.status = msg.pos, true, ""
			if msg.pos.Hash != r.m.demo.Hash {
				r.m.status = fmt.Sprintf("the presenter plays %q, not this demo file", termsafe.Cut(msg.pos.Demo, 80))
			}
		} else if !r.m.linked || msg.err != "" {
			r.m.status = msg.err
		}
		return r, r.wait()
	}
	return r, nil
}

func (r notesRoot) View() tea.View {
	v := tea.NewView(r.frame)
	v.AltScreen = true
	v.WindowTitle = "putpost notes"
	return v
}

// Screen draws the notes: where the presenter is, the caption now, then
// the next few steps with their notes.
func (m notesModel) Screen() string {
	w, h := m.w, m.h
	if w <= 0 || h <= 0 {
		return ""
	}
	st := m.st
	steps := m.demo.Steps
	pos := min(m.pos.Pos, len(steps))
	head := fmt.Sprintf(" NOTES · step %d/%d · %s ", min(pos+1, len(steps)), len(steps), termsafe.Cut(m.demo.Title, 200))
	if pos >= len(steps) {
		head = fmt.Sprintf(" NOTES · done · %s ", termsafe.Cut(m.demo.Title, 200))
	}
	if m.pos.Sending {
		head += "· sending… "
	}
	lines := []string{st.Title.Render(head)}
	if m.status != "" {
		lines = append(lines, st.Bad.Render(" "+m.status))
	}
	lines = append(lines, "")
	for i := pos; i < len(steps) && len(lines) < h-1; i++ {
		s := steps[i]
		label := "NEXT"
		if i > pos {
			label = fmt.Sprintf("then %d", i+1)
		} else {
			label = fmt.Sprintf("NEXT %d", i+1)
		}
		for _, c := range s.Captions {
			for _, l := range wrap(termsafe.Cut(c, 1000), w-4) {
				lines = append(lines, "  "+st.Caption.Render(l))
			}
		}
		for _, n := range s.Notes {
			for _, l := range wrap("▸ "+termsafe.Cut(n, 1000), w-4) {
				lines = append(lines, "  "+st.Up.Render(l))
			}
		}
		lines = append(lines, " "+st.Request.Render(label+": ")+st.Text.Render(termsafe.Cut(s.Text, 400)), "")
	}
	if pos >= len(steps) {
		lines = append(lines, st.Dim.Render(" The demo is over."))
	}
	return fill(lines, w, h)
}
