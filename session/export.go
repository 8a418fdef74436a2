package session

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// ErrNoExchange says there is no exchange to copy: none was sent yet, or
// the number names none the server still keeps.
var ErrNoExchange = errors.New("no such exchange")

// base is the URL a copied curl line or an exported .http file addresses:
// the session's own listener when it has one, else where putpost serve
// listens by default.
func (s *Session) base() string {
	if s.addr != "" {
		return "http://" + s.addr
	}
	return request.DefaultBase
}

// CurlOf returns exchange seq (0: the newest) as a curl command line that
// sends the same request to the session's listener, or to putpost serve's
// default address.
func (s *Session) CurlOf(seq uint64) (string, error) {
	exs := s.Exchanges()
	for i := len(exs) - 1; i >= 0; i-- {
		if seq == 0 || exs[i].Seq == seq {
			return request.FromMessage(exs[i].Request).CurlCommand(s.base()), nil
		}
	}
	if seq == 0 {
		return "", fmt.Errorf("%w yet: send a request first", ErrNoExchange)
	}
	return "", fmt.Errorf("%w: there is no exchange #%d", ErrNoExchange, seq)
}

// Exported says what Export wrote.
type Exported struct {
	Path     string
	Requests int    // request lines written (a repeated one counts once)
	Note     string // what a replay should know, or ""
}

// ErrExportRemote is Export's answer in a session whose learner is not at
// this machine (Options.Remote).
var ErrExportRemote = errors.New("exporting to a file is not available here: the file would be written on the machine that serves this session, not yours; y copies an exchange as a curl command instead")

// Export writes the session's requests to path: an .http file for VS Code's
// REST Client and JetBrains' HTTP Client when path ends in .http, a shell
// script of curl commands (reading the server from $PUTPOST_URL) when it ends
// in .sh. The requests are the ones that reached the server since it last
// started from a fixture, minus what was undone, so that a replay on a fresh
// server with that fixture reaches the same state. Nothing is written when
// the requests cannot be written in that form, and an existing file is
// never overwritten. A Remote session writes nothing (ErrExportRemote).
func (s *Session) Export(path string) (Exported, error) {
	if s.remote {
		return Exported{}, ErrExportRemote
	}
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".http" && ext != ".sh" {
		return Exported{}, fmt.Errorf("%s: the file name must end in .http (for an HTTP client) or .sh (a script of curl commands)", path)
	}
	evs := s.srv.EventsSince(0)
	lines, note := request.Exchanges(evs)
	if len(evs) > 0 && evs[0].Seq > 1 && !startsFresh(evs) {
		note = strings.TrimSpace(note + " The oldest exchanges are no longer kept, so the file starts later than the session did.")
	}
	about := []string{s.describe()}
	if note != "" {
		about = append(about, note)
	}
	var b bytes.Buffer
	var err error
	mode := os.FileMode(0o644)
	if ext == ".sh" {
		err = request.WriteShell(&b, lines, about...)
		mode = 0o755
	} else {
		err = request.WriteHTTP(&b, lines, s.base(), about...)
	}
	if err != nil {
		return Exported{}, fmt.Errorf("%s: %w", path, err)
	}
	if err := writeNew(path, b.Bytes(), mode); err != nil {
		return Exported{}, err
	}
	return Exported{Path: path, Requests: len(lines), Note: note}, nil
}

// writeNew writes a file that does not exist yet: an export never
// overwrites anything.
func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s already exists: choose another name (an export never overwrites a file)", path)
	}
	if err != nil {
		return fmt.Errorf("could not write the export: %w", err)
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path) // half a script is worse than none
		return fmt.Errorf("could not write the export: %w", werr)
	}
	return nil
}

// startsFresh reports whether the kept events begin with the server starting
// from a fixture again, so nothing before them matters to a replay.
func startsFresh(evs []sim.Event) bool {
	for _, e := range evs {
		if e.Kind == sim.KindReset {
			return true
		}
	}
	return false
}

// describe says what an export came from, for its first comment line.
func (s *Session) describe() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.eng.Lesson(); l != nil && s.mode == Tutorial {
		return fmt.Sprintf("Requests from a putpost session: lesson %q, on the %q fixture (putpost serve --fixture %s).", l.ID, fixtureOf(l.Fixture), fixtureOf(l.Fixture))
	}
	return "Requests from a putpost sandbox session, on the \"all\" fixture (putpost serve --fixture all)."
}

func fixtureOf(name string) string {
	if name == "" {
		return "all"
	}
	return name
}
