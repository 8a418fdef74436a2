package present

import (
	"bufio"
	"context"
	"encoding/json"
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
type Hub struct {
	ln    net.Listener
	file  string
	mu    sync.Mutex
	pos   Position
	has   bool
	conns map[net.Conn]chan Position
}

// Listen starts the notes link on loopback and writes its address to file.
func Listen(file string) (*Hub, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("speaker notes: %w", err)
	}
	h := &Hub{ln: ln, file: file, conns: map[net.Conn]chan Position{}}
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
	go h.accept()
	return h, nil
}

// Addr is where the hub listens.
func (h *Hub) Addr() string { return h.ln.Addr().String() }

func (h *Hub) accept() {
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return
		}
		ch := make(chan Position, 1)
		h.mu.Lock()
		h.conns[c] = ch
		if h.has {
			ch <- h.pos
		}
		h.mu.Unlock()
		go h.serve(c, ch)
	}
}

func (h *Hub) serve(c net.Conn, ch chan Position) {
	defer func() {
		h.mu.Lock()
		delete(h.conns, c)
		h.mu.Unlock()
		_ = c.Close()
	}()
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
	for _, ch := range h.conns {
		select {
		case <-ch:
		default:
		}
		ch <- p
	}
}

// Close stops the link and removes the address file if it is still ours.
func (h *Hub) Close() {
	_ = h.ln.Close()
	h.mu.Lock()
	for c, ch := range h.conns {
		close(ch)
		_ = c.Close()
	}
	h.conns = map[net.Conn]chan Position{}
	h.mu.Unlock()
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
