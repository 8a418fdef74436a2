package present

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// An asciicast v2 file is a JSON header line, then one JSON array a line:
// [seconds since the start, "o", text written to the terminal] (or "r" and
// "COLSxROWS" for a resize). asciinema plays it back.

// CastHeader is the first line of an asciicast v2 file.
type CastHeader struct {
	Version   int               `json:"version"`
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Timestamp int64             `json:"timestamp,omitempty"`
	Title     string            `json:"title,omitempty"`
	Env       map[string]string `json:"env,omitempty"`
}

// CastEvent is one event of a recording.
type CastEvent struct {
	Time float64
	Code string // "o" output, "r" resize
	Data string
}

// Recorder writes what passes through it to w and records it, with the
// time it passed, as asciicast v2 events to cast.
type Recorder struct {
	mu    sync.Mutex
	w     io.Writer
	cast  *bufio.Writer
	start time.Time
	now   func() time.Time
	carry []byte // an incomplete UTF-8 sequence held for the next write
	err   error
}

// NewRecorder starts a recording of a w×h terminal; the header is written
// at once.
func NewRecorder(w io.Writer, cast io.Writer, width, height int, title string, now func() time.Time) (*Recorder, error) {
	if now == nil {
		now = time.Now
	}
	r := &Recorder{w: w, cast: bufio.NewWriter(cast), start: now(), now: now}
	h := CastHeader{Version: 2, Width: width, Height: height, Timestamp: r.start.Unix(), Title: title, Env: map[string]string{"TERM": "xterm-256color"}}
	b, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	if _, err := r.cast.Write(append(b, '\n')); err != nil {
		return nil, err
	}
	return r, r.cast.Flush()
}

// Write passes p on and records it.
func (r *Recorder) Write(p []byte) (int, error) {
	n, err := r.w.Write(p)
	r.mu.Lock()
	defer r.mu.Unlock()
	data := append(r.carry, p[:n]...)
	// Keep an incomplete UTF-8 sequence at the end for the next write: an
	// event's text must be valid JSON text.
	cut := len(data)
	for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				cut = i
			}
			break
		}
	}
	r.carry = append([]byte(nil), data[cut:]...)
	if cut > 0 {
		r.event("o", string(data[:cut]))
	}
	return n, err
}

// Resize records a new terminal size.
func (r *Recorder) Resize(width, height int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.event("r", fmt.Sprintf("%dx%d", width, height))
}

func (r *Recorder) event(code, data string) {
	if r.err != nil {
		return
	}
	t := r.now().Sub(r.start).Seconds()
	b, err := json.Marshal([]any{float64(int64(t*1e6)) / 1e6, code, strings.ToValidUTF8(data, "\uFFFD")})
	if err == nil {
		_, err = r.cast.Write(append(b, '\n'))
	}
	if err == nil {
		err = r.cast.Flush()
	}
	r.err = err
}

// Err is the first error writing the recording.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// ReadCast parses an asciicast v2 recording.
func ReadCast(rd io.Reader) (CastHeader, []CastEvent, error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var h CastHeader
	if !sc.Scan() {
		return h, nil, errors.New("empty recording: no header line")
	}
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
		return h, nil, fmt.Errorf("line 1: the header is not a JSON object: %w", err)
	}
	if h.Version != 2 {
		return h, nil, fmt.Errorf("line 1: version %d, want 2", h.Version)
	}
	if h.Width <= 0 || h.Height <= 0 {
		return h, nil, fmt.Errorf("line 1: size %dx%d is not a terminal size", h.Width, h.Height)
	}
	var evs []CastEvent
	last := 0.0
	for n := 2; sc.Scan(); n++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil || len(raw) != 3 {
			return h, nil, fmt.Errorf("line %d: an event is [time, code, data]", n)
		}
		var ev CastEvent
		if json.Unmarshal(raw[0], &ev.Time) != nil || json.Unmarshal(raw[1], &ev.Code) != nil || json.Unmarshal(raw[2], &ev.Data) != nil {
			return h, nil, fmt.Errorf("line %d: an event is [number, string, string]", n)
		}
		if ev.Time < last {
			return h, nil, fmt.Errorf("line %d: time %.6f goes back from %.6f", n, ev.Time, last)
		}
		last = ev.Time
		evs = append(evs, ev)
	}
	return h, evs, sc.Err()
}
