package present

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/putpost/putpost/chart"
	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// A demo is a line-mode script — what `putpost sandbox --plain < FILE` plays —
// read as a list of steps the presenter sends one at a time:
//
//	# A caption: shown above the next request (the file's first line is the title)
//	#> A speaker note: shown only by --notes
//	#! watch balance of /accounts/42   (the value in big digits; or: #! watch resources)
//	PUT /accounts/42 {"balance":100.00} x100
//	faults on | faults drop | faults off
//	retry none | retry rfc9110 | retry go | retry browser
//	undo
//	reset
//
// Line mode skips every line that starts with #, so a demo is also a test
// of the same requests.

// StepKind says what a step of a demo does.
type StepKind int

const (
	// StepRequest sends a request line (Repeat times).
	StepRequest StepKind = iota + 1
	// StepFaults sets the network's faults.
	StepFaults
	// StepRetry sets the client's retry policy.
	StepRetry
	// StepUndo undoes the newest change to the server.
	StepUndo
	// StepReset puts every fixture back to its start.
	StepReset
)

// Step is one line of a demo that does something.
type Step struct {
	Line     int    // 1-based line in the file
	Text     string // the line as written, trimmed
	Kind     StepKind
	Request  request.Line    // StepRequest
	Faults   string          // StepFaults: on, drop or off
	Retry    sim.RetryPolicy // StepRetry
	Captions []string        // the caption lines just before it (none: the previous caption stays)
	Notes    []string        // the speaker notes just before it
}

// Demo is a parsed demo script.
type Demo struct {
	Name  string // the built-in name or the file's name
	Title string // the first line's caption, or Name
	Steps []Step
	Hash  string // identifies the text, so notes follow only the same demo
	// Watch is the value shown in big digits and charted, when the demo
	// names one (#! watch); otherwise the balance, as everywhere.
	Watch   chart.Spec
	Watched bool
}

// Limits of a demo file: it is read whole, and every line becomes a step.
const (
	MaxDemoBytes = 1 << 20
	MaxSteps     = 1000
)

// DemoError says where a demo file is wrong: "demo.txt:4: …".
type DemoError struct {
	File string
	Line int
	Msg  string
}

func (e *DemoError) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// demoWords are the line-mode words a demo can play, beside requests.
var demoWords = []string{"faults", "retry", "undo", "reset"}

// ParseDemo reads a demo script. name is used in errors and as the
// demo's name.
func ParseDemo(name string, src []byte) (*Demo, error) {
	errf := func(line int, format string, args ...any) error {
		return &DemoError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if len(src) > MaxDemoBytes {
		return nil, errf(0, "the file is %d bytes; a demo can be up to %d", len(src), MaxDemoBytes)
	}
	if !utf8.Valid(src) {
		return nil, errf(0, "the file is not UTF-8 text")
	}
	d := &Demo{Name: name, Hash: hashText(src)}
	var caps, notes []string
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	for i, raw := range lines {
		n := i + 1
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "#!"):
			spec, err := parseWatch(strings.TrimSpace(line[2:]))
			if err != nil {
				return nil, errf(n, "%s", err)
			}
			d.Watch, d.Watched = spec, true
			continue
		case strings.HasPrefix(line, "#>"):
			notes = append(notes, strings.TrimSpace(line[2:]))
			continue
		case strings.HasPrefix(line, "#"):
			text := strings.TrimSpace(strings.TrimLeft(line, "#"))
			if text == "" {
				continue
			}
			if n == 1 {
				d.Title = text
				continue
			}
			caps = append(caps, text)
			continue
		}
		st, err := parseStep(line)
		if err != nil {
			return nil, errf(n, "%s", err)
		}
		if len(d.Steps) == MaxSteps {
			return nil, errf(n, "a demo can have up to %d steps", MaxSteps)
		}
		st.Line, st.Text, st.Captions, st.Notes = n, line, caps, notes
		caps, notes = nil, nil
		d.Steps = append(d.Steps, st)
	}
	if len(d.Steps) == 0 {
		return nil, errf(0, "no requests: a demo needs at least one request line, such as GET /accounts/42")
	}
	if d.Title == "" {
		d.Title = name
	}
	return d, nil
}

// parseWatch reads a watch directive: "watch FIELD of PATH" or "watch
// resources".
func parseWatch(text string) (chart.Spec, error) {
	f := strings.Fields(text)
	switch {
	case len(f) == 2 && f[0] == "watch" && f[1] == "resources":
		return chart.Spec{}, nil
	case len(f) == 4 && f[0] == "watch" && f[2] == "of" && strings.HasPrefix(f[3], "/"):
		return chart.Spec{Field: f[1], Path: f[3]}, nil
	}
	return chart.Spec{}, errors.New(`a #! line is "#! watch FIELD of PATH" (such as #! watch balance of /accounts/42) or "#! watch resources"`)
}

// parseStep reads one line that is not a comment.
func parseStep(line string) (Step, error) {
	fields := strings.Fields(line)
	word := strings.ToLower(fields[0])
	args := fields[1:]
	switch word {
	case "faults":
		if len(args) != 1 {
			return Step{}, errors.New("faults needs one setting: faults on, faults drop or faults off")
		}
		if _, err := session.ParseFaults(args[0], sim.FaultSettings{}); err != nil {
			return Step{}, err
		}
		return Step{Kind: StepFaults, Faults: strings.ToLower(args[0])}, nil
	case "retry":
		if len(args) != 1 {
			return Step{}, fmt.Errorf("retry needs one policy: %s", policyNames())
		}
		p, err := sim.ParseRetryPolicy(strings.ToLower(args[0]))
		if err != nil {
			return Step{}, err
		}
		return Step{Kind: StepRetry, Retry: p}, nil
	case "undo", "reset":
		if len(args) > 0 {
			return Step{}, fmt.Errorf("%s takes nothing after it in a demo", word)
		}
		if word == "undo" {
			return Step{Kind: StepUndo}, nil
		}
		return Step{Kind: StepReset}, nil
	}
	// Line mode reads a lower-case word that is not a method as one of its
	// commands (state, log, next, …), never as a request: so does a demo,
	// and refuses the ones it cannot play.
	if isWord(fields[0]) && fields[0] != "curl" && !slices.Contains(request.Methods, strings.ToUpper(fields[0])) {
		return Step{}, fmt.Errorf("%q is not something a demo can play: a demo line is a request, a # caption, a #> note, or one of %s", termsafe.Cut(fields[0], 40), strings.Join(demoWords, ", "))
	}
	rl, err := request.Parse(line)
	if err != nil {
		return Step{}, err
	}
	return Step{Kind: StepRequest, Request: rl}, nil
}

// isWord reports whether w is a lower-case word, such as a line-mode
// command, rather than a request's method.
func isWord(w string) bool {
	return w != "" && strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) < 0
}

func policyNames() string {
	var names []string
	for _, p := range session.RetryPolicies {
		names = append(names, string(p))
	}
	return strings.Join(names, ", ")
}

// hashText is a short FNV-1a hash of a demo's text.
func hashText(b []byte) string {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return fmt.Sprintf("%016x", h)
}

//go:embed demos/*.txt
var builtin embed.FS

// Builtin lists the built-in demos' names, sorted.
func Builtin() []string {
	entries, _ := fs.ReadDir(builtin, "demos")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".txt"))
	}
	slices.Sort(names)
	return names
}

// DefaultDemo is the built-in demo played when none is named.
const DefaultDemo = "put-vs-post"

// LoadDemoDir reads every .txt file of dir as a demo named after the file
// without .txt (a host's own demos, for the classroom). A name must be
// letters, digits, '-', '_' or '.', so that it can be typed after an ssh
// command, and must not be a built-in demo's.
func LoadDemoDir(dir string) ([]*Demo, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var demos []*Demo
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".txt")
		if !ok || e.IsDir() {
			continue
		}
		file := filepath.Join(dir, e.Name())
		if !isDemoName(name) {
			return nil, &DemoError{File: termsafe.String(file), Msg: "a demo's name (the file name without .txt) can have only letters, digits, '-', '_' and '.'; rename the file"}
		}
		if slices.Contains(Builtin(), name) {
			return nil, &DemoError{File: file, Msg: fmt.Sprintf("%q is a built-in demo's name; rename the file", name)}
		}
		d, err := LoadDemo(file)
		if err != nil {
			return nil, err
		}
		d.Name = name
		demos = append(demos, d)
	}
	if len(demos) == 0 {
		return nil, fmt.Errorf("%s: no demo files (NAME.txt) in the folder", dir)
	}
	return demos, nil
}

// isDemoName reports whether name can name a demo in a folder of demos.
func isDemoName(name string) bool {
	return name != "" && len(name) <= 64 && strings.IndexFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
	}) < 0
}

// LoadDemo reads a built-in demo by name, or else a demo file.
func LoadDemo(nameOrFile string) (*Demo, error) {
	if src, err := builtin.ReadFile(path.Join("demos", nameOrFile+".txt")); err == nil && !strings.ContainsAny(nameOrFile, "/\\") {
		return ParseDemo(nameOrFile, src)
	}
	src, err := lessons.ReadRegular(nameOrFile, MaxDemoBytes)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no demo called %q: not a built-in demo (%s) nor a file", nameOrFile, strings.Join(Builtin(), ", "))
		}
		if errors.Is(err, lessons.ErrNotRegular) {
			return nil, fmt.Errorf("%s: not a regular file", nameOrFile)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, err
		}
		return nil, &DemoError{File: nameOrFile, Msg: err.Error()} // too large
	}
	return ParseDemo(nameOrFile, src)
}
