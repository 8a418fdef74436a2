package tui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/request"

	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// composerField is one focusable field of the composer.
type composerField int

const (
	fieldLine    composerField = iota // one-line mode: the whole request
	fieldMethod                       // form mode fields, in tab order
	fieldPath                         //
	fieldHeaders                      //
	fieldBody                         //
	fieldRepeat                       //
)

var fieldNames = map[composerField]string{
	fieldLine: "request", fieldMethod: "method", fieldPath: "path",
	fieldHeaders: "headers", fieldBody: "body", fieldRepeat: "repeat",
}

// methods the method field cycles through. Typing picks by prefix; a name
// that matches none is kept as typed, so a learner can send FROB and see 501.
var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"}

// repeatSteps are the counts ctrl+r cycles through.
var repeatSteps = []int{1, 10, 100}

// maxInputBytes is the most a composer field holds: the parser's cap on a
// request line (sim refuses a longer one). Without it a runaway paste is
// kept whole and slows every key press.
const maxInputBytes = 64 << 10

// maxErrorRows is the most lines an error takes in the composer.
const maxErrorRows = 8

// composerError is input the composer refuses to send, explained in place.
type composerError struct {
	Field composerField
	Col   int // 1-based column in the one-line field, 0 when unknown
	Msg   string
	Note  bool // a remark on the input (a paste was cut), not a refusal
}

// composerOut is what a key press in the composer asks the root to do.
type composerOut struct {
	Send  *request.Line // a valid request to send (Repeat ≥ 1)
	Text  string        // the request as the learner wrote it, for history
	Leave bool          // esc: give the focus back
	Tab   int           // +1/-1: tabbed past the last/first field
}

// composer is the request editor: a one-line mode for the request-line
// language and curl command lines, and a form with method, path, headers,
// body and repeat count.
type composer struct {
	st *Styles

	scaffold string // the start of a request Fill put here, "" once sent or for a whole line

	form    bool
	field   composerField
	focused bool

	line   textinput.Model
	method string
	typed  string // letters typed on the method field, for picking by prefix
	path   textinput.Model
	// The form's two editors exist once the form is first opened: a
	// textarea holds room for 10,000 lines from the start (240 KB of
	// pointers each, which every garbage collection walks), and most
	// learners, and most sessions of a classroom, never open the form.
	// Until then editorsMade is false and pending holds their text.
	headers       textarea.Model
	body          textarea.Model
	editorsMade   bool
	pendingHeader string
	pendingBody   string
	repeat        int
	repText       string // digits typed on the repeat field

	err         *composerError
	status      string // last outcome: "sent …", "no response: …"
	statusShort string // the same without the request, for when status does not fit
	running     string // progress of a repeat that is running

	// The form's editors drawn in Update (refresh): a textarea redraws its
	// whole buffer, too much for every frame.
	headersView, bodyView string
	lineRepeat            int // ×N typed at the end of the one-line request, 0 if none
	// lineRepeatErr says why the count typed at the end of the one-line
	// request (x0, x99999, xabc) is not one; "" when it is, or none is
	// typed. lineRepeatShort says it in fewer words, for a narrow composer.
	lineRepeatErr, lineRepeatShort string

	history []string
	histIdx int // len(history) when not browsing
	queued  []string

	w, h int // inner size

	viewFor   composerViewFor // what viewLines were drawn from
	viewLines []string        // the one-line composer as View drew it last
}

func newComposer(st *Styles) composer {
	c := composer{st: st, method: "GET", repeat: 1}
	c.line = textinput.New()
	c.line.Prompt = "› "
	// The placeholders show the form of a request, not one: an example
	// names a resource that the lesson's server may not have, or gives a
	// step's answer away.
	c.line.Placeholder = `METHOD /path {JSON body}   or a curl command line`
	c.line.CharLimit = maxInputBytes
	c.path = textinput.New()
	c.path.Prompt = ""
	c.path.Placeholder = "/path"
	c.path.CharLimit = maxInputBytes
	c.field = fieldLine
	c.SetStyles(st)
	return c
}

// makeEditors creates the form's editors, with the composer's styles, size
// and the text filled in so far, the first time the form needs them.
func (c *composer) makeEditors() {
	if c.editorsMade {
		return
	}
	c.editorsMade = true
	c.headers = textarea.New()
	c.headers.ShowLineNumbers = false
	c.headers.Prompt = ""
	c.headers.Placeholder = "Name: value (one per line)"
	c.headers.CharLimit = maxInputBytes
	c.body = textarea.New()
	c.body.ShowLineNumbers = false
	c.body.Prompt = ""
	c.body.Placeholder = `{"field": "value"}`
	c.body.CharLimit = maxInputBytes
	c.headers.SetValue(c.pendingHeader)
	c.body.SetValue(c.pendingBody)
	c.pendingHeader, c.pendingBody = "", ""
	c.SetStyles(c.st)
	c.SetSize(c.w, c.h)
}

// headersValue and bodyValue are the form editors' text, made or not.
func (c *composer) headersValue() string {
	if !c.editorsMade {
		return c.pendingHeader
	}
	return c.headers.Value()
}

func (c *composer) bodyValue() string {
	if !c.editorsMade {
		return c.pendingBody
	}
	return c.body.Value()
}

// setEditors sets the form editors' text, made or not.
func (c *composer) setEditors(headers, body string) {
	if !c.editorsMade {
		c.pendingHeader, c.pendingBody = headers, body
		return
	}
	c.headers.SetValue(headers)
	c.body.SetValue(body)
}

func (c *composer) SetStyles(st *Styles) {
	c.st = st
	c.line.SetStyles(st.textinputStyles())
	c.path.SetStyles(st.textinputStyles())
	if c.editorsMade {
		c.headers.SetStyles(st.textareaStyles())
		c.body.SetStyles(st.textareaStyles())
	}
}

const labelWidth = 9 // "headers  "

func (c *composer) SetSize(w, h int) {
	c.w, c.h = w, h
	// The field draws its prompt, Width cells of text and one for the
	// cursor.
	c.line.SetWidth(max(1, w-ansi.StringWidth(c.line.Prompt)-1))
	fw := max(1, w-labelWidth-1)
	c.path.SetWidth(max(1, fw-20))
	if c.editorsMade {
		c.headers.SetWidth(fw)
		c.headers.SetHeight(2)
		c.body.SetWidth(fw)
		c.body.SetHeight(c.formBodyHeight())
	}
}

// formBodyHeight is the body editor's height in the form: what the method
// row, two header lines, the repeat row and the status (or the whole
// error) leave.
func (c *composer) formBodyHeight() int {
	return max(1, c.h-4-max(1, c.ErrorRows()))
}

// Focus gives the composer the focus, on its first field (or last when
// entered backwards with shift+tab).
func (c *composer) Focus(backwards bool) {
	c.focused = true
	switch {
	case !c.form:
		c.field = fieldLine
	case backwards:
		c.field = fieldRepeat
	default:
		c.field = fieldMethod
	}
	c.applyFocus()
}

func (c *composer) Blur() {
	c.focused = false
	// Without the focus, show a long request from its start (the method
	// and path), not scrolled to where the cursor was.
	c.line.CursorStart()
	c.path.CursorStart()
	c.applyFocus()
}

func (c *composer) applyFocus() {
	c.line.Blur()
	c.path.Blur()
	if c.editorsMade {
		c.headers.Blur()
		c.body.Blur()
	}
	if !c.focused {
		return
	}
	switch c.field {
	case fieldLine:
		c.line.Focus()
		if strings.HasPrefix(c.line.Value(), "/") {
			c.line.CursorStart() // a scaffold: the method goes in front
		} else {
			c.line.CursorEnd()
		}
	case fieldPath:
		c.path.Focus()
	case fieldHeaders:
		c.makeEditors()
		c.headers.Focus()
	case fieldBody:
		c.makeEditors()
		c.body.Focus()
	}
}

// Fill puts a request line in the composer (suggestion, solution, history).
// It is never sent by this.
func (c *composer) Fill(line string) {
	c.err = nil
	// The repeat count belongs to the request it was set for: a new one
	// starts at ×1 unless it says otherwise (x10 at its end).
	c.repeat, c.repText = 1, ""
	c.line.SetValue(line)
	c.scaffold = ""
	if strings.HasPrefix(line, "/") {
		c.scaffold = line
	}
	if c.focused && !strings.HasPrefix(line, "/") {
		c.line.CursorEnd()
	} else {
		c.line.CursorStart()
	}
	c.lineChanged()
	if c.form {
		if rl, err := request.Parse(line); err == nil {
			c.fillForm(rl)
		}
	}
}

// Value is the request as currently written, in the one-line language.
func (c *composer) Value() string {
	if !c.form {
		return c.line.Value()
	}
	rl, err := c.buildForm()
	if err != nil {
		return ""
	}
	return rl.String()
}

func (c *composer) fillForm(rl request.Line) {
	c.method = rl.Method
	c.typed = ""
	c.path.SetValue(rl.Target)
	var hs []string
	for _, name := range sortedKeys(rl.Header) {
		for _, v := range rl.Header[name] {
			hs = append(hs, name+": "+v)
		}
	}
	c.setEditors(strings.Join(hs, "\n"), prettyJSON(rl.Body))
	c.repeat, c.repText = max(1, rl.Repeat), ""
}

// ToggleForm switches between the one-line mode and the form, carrying the
// request across.
func (c *composer) ToggleForm() {
	c.err = nil
	if c.form {
		if rl, err := c.buildForm(); err == nil {
			c.line.SetValue(rl.String())
			c.line.CursorEnd()
			c.lineChanged()
		}
		c.form = false
		c.field = fieldLine
	} else {
		if v := strings.TrimSpace(c.line.Value()); v != "" {
			rl, err := request.Parse(v)
			if err != nil {
				c.err = &composerError{Field: fieldLine, Msg: "the line does not parse, so the form keeps its old values: " + err.Error()}
			} else {
				c.fillForm(rl)
			}
		}
		c.form = true
		c.field = fieldMethod
		c.makeEditors()
	}
	c.applyFocus()
}

// CycleRepeat moves ×1 → ×10 → ×100 → ×1.
func (c *composer) CycleRepeat() {
	c.repText = ""
	next := repeatSteps[0]
	for i, n := range repeatSteps {
		if c.repeat == n {
			next = repeatSteps[(i+1)%len(repeatSteps)]
			break
		}
		if c.repeat < n {
			next = n
			break
		}
	}
	c.repeat = next
}

// Update handles a key while the composer has the focus.
func (c *composer) Update(msg tea.Msg, keys KeyMap) (tea.Cmd, composerOut) {
	var out composerOut
	var cutNote *composerError
	if pm, ok := msg.(tea.PasteMsg); ok {
		msg, cutNote = c.capPaste(pm)
		defer func() {
			if cutNote != nil {
				c.err = cutNote
			}
		}()
	}
	km, isKey := msg.(tea.KeyPressMsg)
	if isKey {
		switch {
		case key.Matches(km, keys.Close):
			out.Leave = true
			return nil, out
		case key.Matches(km, keys.FocusNext):
			return nil, c.tab(+1)
		case key.Matches(km, keys.FocusPrev):
			return nil, c.tab(-1)
		case key.Matches(km, keys.SendAlways):
			return nil, c.Submit()
		case key.Matches(km, keys.Send) && c.field != fieldBody && c.field != fieldHeaders:
			return nil, c.Submit()
		case key.Matches(km, keys.Repeat):
			c.CycleRepeat()
			return nil, out
		case key.Matches(km, keys.Form):
			c.ToggleForm()
			return nil, out
		case key.Matches(km, keys.Clear):
			c.Clear()
			return nil, out
		}
	}

	var cmd tea.Cmd
	switch c.field {
	case fieldLine:
		if isKey && (km.String() == "up" || km.String() == "down") {
			c.browseHistory(km.String() == "up")
			return nil, out
		}
		before := c.line.Value()
		c.line, cmd = c.line.Update(msg)
		if c.line.Value() != before {
			c.err = nil
			c.lineChanged()
		}
	case fieldMethod:
		if isKey {
			c.methodKey(km)
		}
	case fieldPath:
		c.path, cmd = c.path.Update(msg)
	case fieldHeaders:
		c.makeEditors()
		c.headers, cmd = c.headers.Update(msg)
	case fieldBody:
		c.makeEditors()
		c.body, cmd = c.body.Update(msg)
	case fieldRepeat:
		if isKey {
			c.repeatKey(km)
		}
	}
	if c.err != nil && c.err.Field == c.field && c.field != fieldLine && isKey {
		c.err = nil
	}
	return cmd, out
}

// capPaste cuts a paste so the field it goes into holds at most
// maxInputBytes, and says so.
func (c *composer) capPaste(pm tea.PasteMsg) (tea.PasteMsg, *composerError) {
	cur := 0
	switch c.field {
	case fieldLine:
		cur = len(c.line.Value())
	case fieldPath:
		cur = len(c.path.Value())
	case fieldHeaders:
		cur = len(c.headersValue())
	case fieldBody:
		cur = len(c.bodyValue())
	default:
		return pm, nil
	}
	room := max(0, maxInputBytes-cur)
	if len(pm.Content) <= room {
		return pm, nil
	}
	cut := room
	for cut > 0 && !utf8.RuneStart(pm.Content[cut]) {
		cut--
	}
	left := len(pm.Content) - cut
	pm.Content = pm.Content[:cut]
	return pm, &composerError{Field: c.field, Note: true, Msg: fmt.Sprintf(
		"the paste was cut: a request holds at most 64 KiB, so its last %s were left out; check the end before sending", sizeText(left))}
}

// sizeText is a byte count for people: 812 bytes, 1.9 MiB.
func sizeText(n int) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
}

func (c *composer) tab(dir int) composerOut {
	if !c.form {
		return composerOut{Tab: dir}
	}
	next := c.field + composerField(dir)
	if next < fieldMethod || next > fieldRepeat {
		return composerOut{Tab: dir}
	}
	c.field = next
	c.applyFocus()
	return composerOut{}
}

// ResetRepeat sets the repeat count back to ×1, the field's and one typed
// at the end of the line ("x100"): the count was for the request it was
// sent with, not for whatever the learner writes next.
func (c *composer) ResetRepeat() {
	c.repeat, c.repText = 1, ""
	if c.lineRepeat > 1 {
		if m := typedRepeat.FindStringIndex(c.line.Value()); m != nil {
			c.line.SetValue(c.line.Value()[:m[0]])
			c.line.CursorEnd()
		}
		c.lineChanged()
	}
}

// DropScaffold empties the composer when it still holds, untouched, the
// start of a request a step filled in: it belongs to that step, and the
// cursor would sit in front of it. Anything the learner wrote stays.
func (c *composer) DropScaffold() {
	if c.scaffold != "" && c.Value() == c.scaffold {
		c.Clear()
	}
	c.scaffold = ""
}

// typedRepeat is a repeat count at the end of a request line, as the
// request language writes it: x3 or ×3 after a space.
var typedRepeat = regexp.MustCompile(`\s+(x|×)[0-9]+\s*$`)

func (c *composer) Clear() {
	c.err = nil
	c.repeat, c.repText = 1, "" // the count goes with the request
	if !c.form {
		c.line.SetValue("")
		c.lineChanged()
		return
	}
	c.method = "GET"
	c.typed = ""
	c.path.SetValue("")
	c.setEditors("", "")
	c.repeat = 1
	c.repText = ""
}

func (c *composer) methodKey(km tea.KeyPressMsg) {
	switch km.String() {
	case "left", "up":
		c.cycleMethod(-1)
	case "right", "down", "space":
		c.cycleMethod(+1)
	case "backspace":
		if c.typed != "" {
			c.typed = c.typed[:len(c.typed)-1]
			c.pickMethod()
		}
	default:
		if len(km.Text) == 1 && isTokenChar(km.Text[0]) {
			c.typed += strings.ToUpper(km.Text)
			c.pickMethod()
		}
	}
}

func (c *composer) cycleMethod(dir int) {
	c.typed = ""
	i := slices.Index(methods, c.method)
	if i < 0 {
		c.method = methods[0]
		return
	}
	c.method = methods[(i+dir+len(methods))%len(methods)]
}

func (c *composer) pickMethod() {
	if c.typed == "" {
		return
	}
	for _, m := range methods {
		if strings.HasPrefix(m, c.typed) {
			c.method = m
			return
		}
	}
	c.method = c.typed
}

func (c *composer) repeatKey(km tea.KeyPressMsg) {
	switch km.String() {
	case "left", "right", "space", "up", "down":
		c.CycleRepeat()
	case "backspace":
		if c.repText != "" {
			c.repText = c.repText[:len(c.repText)-1]
		}
		c.repeat = 1
		if n, err := strconv.Atoi(c.repText); err == nil && n > 0 {
			c.repeat = n
		}
	default:
		if len(km.Text) == 1 && km.Text[0] >= '0' && km.Text[0] <= '9' {
			c.repText += km.Text
			n, _ := strconv.Atoi(c.repText)
			c.repeat = max(1, n)
		}
	}
}

func (c *composer) browseHistory(up bool) {
	if len(c.history) == 0 {
		return
	}
	if up {
		c.histIdx = max(0, c.histIdx-1)
	} else {
		c.histIdx = min(len(c.history), c.histIdx+1)
	}
	if c.histIdx == len(c.history) {
		c.line.SetValue("")
		c.lineChanged()
		return
	}
	c.line.SetValue(c.history[c.histIdx])
	c.line.CursorEnd()
	c.lineChanged()
	c.err = nil
}

// Submit validates the request; nothing is sent when it is invalid.
func (c *composer) Submit() composerOut {
	var (
		rl   request.Line
		err  error
		text string
	)
	if c.err != nil && c.err.Note {
		// A cut paste is not what the learner meant to send: the first
		// send after it only asks them to look.
		c.err = &composerError{Field: c.err.Field, Msg: "the paste was cut to fit 64 KiB; check its end, then send again to send what is shown"}
		return composerOut{}
	}
	if c.form {
		rl, err = c.buildForm()
		if err == nil {
			text = rl.String()
		}
	} else {
		text = strings.TrimSpace(c.line.Value())
		if text == "" {
			c.err = &composerError{Field: fieldLine, Msg: "type a request first, e.g. GET /accounts/42"}
			return composerOut{}
		}
		rl, err = request.Parse(text)
		if err != nil {
			c.err = lineError(err)
			return composerOut{}
		}
		if rl.Repeat == 1 && c.repeat > 1 {
			rl.Repeat = c.repeat
		}
	}
	if err != nil {
		var ce *composerError
		if errors.As(err, &ce) {
			c.err = ce
		} else {
			c.err = &composerError{Field: c.field, Msg: err.Error()}
		}
		return composerOut{}
	}
	if rl.Repeat > request.MaxRepeat {
		c.err = &composerError{Field: fieldRepeat, Msg: fmt.Sprintf("at most ×%d at a time", request.MaxRepeat)}
		return composerOut{}
	}
	c.err = nil
	c.remember(text)
	return composerOut{Send: &rl, Text: text}
}

func (c *composer) remember(text string) {
	if text != "" && (len(c.history) == 0 || c.history[len(c.history)-1] != text) {
		c.history = append(c.history, text)
		if len(c.history) > 200 {
			c.history = c.history[len(c.history)-200:]
		}
	}
	c.histIdx = len(c.history)
}

func lineError(err error) *composerError {
	var se *request.SyntaxError
	if errors.As(err, &se) {
		return &composerError{Field: fieldLine, Col: se.Col, Msg: se.Msg}
	}
	return &composerError{Field: fieldLine, Msg: err.Error()}
}

func (e *composerError) Error() string { return fieldNames[e.Field] + ": " + e.Msg }

// buildForm turns the form into a request line, checking each field so the
// message can name it.
func (c *composer) buildForm() (request.Line, error) {
	method := strings.TrimSpace(c.method)
	if method == "" {
		return request.Line{}, &composerError{Field: fieldMethod, Msg: "pick a method with ←/→"}
	}
	path := strings.TrimSpace(c.path.Value())
	switch {
	case path == "":
		return request.Line{}, &composerError{Field: fieldPath, Msg: "type the target path, e.g. /accounts/42"}
	case !strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://"):
		return request.Line{}, &composerError{Field: fieldPath, Msg: "a path starts with / (for example /flights/AA123)"}
	case strings.ContainsAny(path, " \t"):
		return request.Line{}, &composerError{Field: fieldPath, Msg: "a path has no spaces; write a space as %20"}
	}
	if c.repeat > request.MaxRepeat {
		return request.Line{}, &composerError{Field: fieldRepeat, Msg: fmt.Sprintf("at most ×%d at a time; type a smaller count or press ctrl+r", request.MaxRepeat)}
	}
	h := http.Header{}
	var headerLines []int // the headers field line of each header, in order
	for i, ln := range strings.Split(c.headersValue(), "\n") {
		ln = strings.TrimSpace(ln)
		if ln == "" {
			continue
		}
		name, val, ok := strings.Cut(ln, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return request.Line{}, &composerError{Field: fieldHeaders, Msg: fmt.Sprintf("line %d: write a header as Name: value", i+1)}
		}
		h.Add(name, strings.TrimSpace(val))
		headerLines = append(headerLines, i+1)
	}
	body := strings.TrimSpace(c.bodyValue())
	if body != "" {
		switch strings.ToUpper(method) {
		case "GET", "HEAD", "TRACE":
			return request.Line{}, &composerError{Field: fieldBody, Msg: method + " sends no body here; clear the body or pick another method"}
		}
		if err := checkJSON(body); err != nil {
			return request.Line{}, &composerError{Field: fieldBody, Msg: err.Error()}
		}
	}
	rl := request.Line{Method: method, Target: path, Header: h, Body: compactJSON(body), Repeat: max(1, c.repeat)}
	// Round-trip through the parser so the form gets exactly the defaults
	// and checks of the one-line language.
	parsed, err := request.Parse(rl.String())
	if err != nil {
		return request.Line{}, formError(rl, c.headersValue(), headerLines, err)
	}
	return parsed, nil
}

// formError finds the field that the parser's error on the form's request
// line is about. The line is one the learner never saw, so its column means
// nothing to them: each field is parsed again on its own, and the message
// names that field (and the column in the path, or the header's line).
func formError(rl request.Line, headersText string, headerLines []int, err error) *composerError {
	fails := func(r request.Line) *request.SyntaxError {
		_, err := request.Parse(r.String())
		if err == nil {
			return nil
		}
		var se *request.SyntaxError
		if !errors.As(err, &se) {
			se = &request.SyntaxError{Msg: err.Error()}
		}
		return se
	}
	mlen := utf8.RuneCountInString(rl.Method)
	if se := fails(request.Line{Method: rl.Method, Target: rl.Target, Repeat: 1}); se != nil {
		if se.Col > 0 && se.Col <= mlen {
			return &composerError{Field: fieldMethod, Msg: se.Msg}
		}
		if col := se.Col - mlen - 1; col >= 1 && col <= utf8.RuneCountInString(rl.Target)+1 {
			return &composerError{Field: fieldPath, Msg: fmt.Sprintf("column %d: %s", col, se.Msg)}
		}
		return &composerError{Field: fieldPath, Msg: se.Msg}
	}
	withBody := request.Line{Method: rl.Method, Target: rl.Target, Body: rl.Body, Repeat: 1}
	if se := fails(withBody); se != nil {
		return &composerError{Field: fieldBody, Msg: se.Msg}
	}
	// Each header on its own, in the order they were typed.
	i := 0
	for _, ln := range strings.Split(headersText, "\n") {
		name, val, ok := strings.Cut(strings.TrimSpace(ln), ":")
		if !ok || i >= len(headerLines) {
			continue
		}
		one := withBody
		one.Header = http.Header{}
		one.Header.Add(strings.TrimSpace(name), strings.TrimSpace(val))
		if se := fails(one); se != nil {
			return &composerError{Field: fieldHeaders, Msg: fmt.Sprintf("line %d: %s", headerLines[i], se.Msg)}
		}
		i++
	}
	if se := fails(request.Line{Method: rl.Method, Target: rl.Target, Body: rl.Body, Header: rl.Header, Repeat: 1}); se != nil {
		return &composerError{Field: fieldHeaders, Msg: se.Msg}
	}
	var se *request.SyntaxError
	if errors.As(err, &se) {
		return &composerError{Field: fieldRepeat, Msg: se.Msg}
	}
	return &composerError{Field: fieldRepeat, Msg: err.Error()}
}

// checkJSON explains malformed JSON with a line and column.
func checkJSON(s string) error {
	var v any
	err := json.Unmarshal([]byte(s), &v)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		at, words, _ := sim.ExplainJSON([]byte(s)) // the same words as the server's
		line, col := lineCol(s, at+1)
		return fmt.Errorf("not valid JSON at line %d, column %d: %s", line, col, words)
	}
	return fmt.Errorf("not valid JSON: %w", err)
}

func lineCol(s string, off int) (line, col int) {
	line, col = 1, 1
	for i, r := range s {
		if i >= off-1 {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

func compactJSON(s string) string {
	if s == "" {
		return ""
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}

func prettyJSON(s string) string {
	if s == "" {
		return ""
	}
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return s
	}
	return b.String()
}

func isTokenChar(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0
}

// lineChanged notes the repeat count typed in the line (x10), so the note
// beside the field shows what ⏎ will do; or, when the line ends in a count
// that the request language refuses, why (the badge shows ×?).
func (c *composer) lineChanged() {
	c.lineRepeat, c.lineRepeatErr, c.lineRepeatShort = 0, "", ""
	val := c.line.Value()
	rl, err := request.Parse(val)
	if err == nil {
		if rl.Repeat > 1 {
			c.lineRepeat = rl.Repeat
		}
		return
	}
	var se *request.SyntaxError
	if m := countWord.FindStringIndex(val); m != nil && errors.As(err, &se) &&
		se.Col > utf8.RuneCountInString(val[:m[0]+1]) {
		word := strings.TrimSpace(val[m[0]:])
		c.lineRepeatErr = se.Msg
		c.lineRepeatShort = fmt.Sprintf("%s is not a repeat count: x1 to x%d", termsafe.Cut(word, 12), request.MaxRepeat)
	}
}

// countWord is the last word of a request line when it is written as a
// repeat count, valid or not: x3, ×3, x0, x, xabc.
var countWord = regexp.MustCompile(`\s(x|X|×)\S*\s*$`)

// effectiveRepeat is how many times ⏎ sends the one-line request.
func (c *composer) effectiveRepeat() int {
	if c.lineRepeat > 1 {
		return c.lineRepeat
	}
	return c.repeat
}

// SetStatus shows the outcome of a send; short is used when the whole line
// does not fit.
func (c *composer) SetStatus(long, short string) {
	c.status, c.statusShort = long, short
}

// Refresh draws the form's editors for View. The root calls it after every
// Update.
func (c *composer) Refresh() {
	if !c.form {
		return
	}
	c.makeEditors()
	c.headersView = c.editorView(c.headers, c.focused && c.field == fieldHeaders)
	c.bodyView = c.editorView(c.body, c.focused && c.field == fieldBody)
}

// editorView draws a form editor: as the textarea draws it, or, when its
// text holds what a terminal would act on or not show, line by line as
// visibleLine draws the one-line request (long lines cut, not wrapped).
func (c *composer) editorView(ta textarea.Model, focused bool) string {
	val := ta.Value()
	if termsafe.Safe(val) {
		return ta.View()
	}
	lines := strings.Split(val, "\n")
	row := min(ta.Line(), len(lines)-1)
	first := max(0, row-ta.Height()+1)
	var out []string
	for i := first; i < min(len(lines), first+ta.Height()); i++ {
		cursor := -1
		if focused && i == row {
			cursor = ta.Column()
		}
		out = append(out, c.visibleLine([]rune(lines[i]), cursor, ta.Width()))
	}
	return strings.Join(out, "\n")
}

// inputView draws the form's path field, as visibleInputView when it
// holds what a terminal would not show.
func (c *composer) inputView(in textinput.Model) string {
	if termsafe.Safe(in.Value()) {
		return in.View()
	}
	return c.visibleInputView(in)
}

// composerViewFor is everything the one-line composer's lines are drawn
// from, when they can be kept (see View): the request line's, then the
// status line's.
type composerViewFor struct {
	line                         composerLineFor
	running, status, statusShort string
	queued, lineRepeat, repeat   int
	lineRepeatErr                string
	w                            int
}

// composerLineFor is what the request line is drawn from.
type composerLineFor struct {
	value                string
	pos, lineW           int
	focused, lineFocused bool
	st                   *Styles
}

// View draws the composer's inner lines (the root draws the border). The
// one-line composer's lines are kept until what they are drawn from
// changes (composerViewFor), the request line on its own (a repeat's count
// changes the line under it), except while the learner edits a request
// too long for the line: the field then scrolls with the cursor, which the
// text input keeps to itself. The caller must not change them.
func (c *composer) View() []string {
	kept := c.viewLines
	c.viewLines = nil
	if c.form {
		return c.formView()
	}
	if c.err != nil {
		return c.draw(c.lineView())
	}
	val := c.line.Value()
	key := composerViewFor{
		line: composerLineFor{value: val, pos: c.line.Position(), lineW: c.line.Width(),
			focused: c.focused, lineFocused: c.line.Focused(), st: c.st},
		running: c.running, status: c.status, statusShort: c.statusShort,
		queued: len(c.queued), lineRepeat: c.lineRepeat, repeat: c.repeat, w: c.w,
		lineRepeatErr: c.lineRepeatErr}
	if c.focused && ansi.StringWidth(val) > c.line.Width() {
		return c.draw(c.lineView())
	}
	switch {
	case kept != nil && key == c.viewFor:
		c.viewLines = kept
	case kept != nil && key.line == c.viewFor.line:
		c.viewFor, c.viewLines = key, c.draw(kept[0])
	default:
		c.viewFor, c.viewLines = key, c.draw(c.lineView())
	}
	return c.viewLines
}

// draw draws the one-line composer's inner lines for View, under the
// request line as lineView drew it.
func (c *composer) draw(line string) []string {
	n := c.effectiveRepeat()
	right := c.st.Muted.Render(fmt.Sprintf("×%d ⏎ send", n))
	switch {
	case c.lineRepeatErr != "":
		right = c.st.Error.Render("×?") + c.st.Muted.Render(" ⏎ send")
	case n > 1:
		right = c.st.Mark.Render(fmt.Sprintf("×%d", n)) + c.st.Muted.Render(" ⏎ send")
	}
	// The request gets the whole first line; what ⏎ will do sits at the
	// end of the status line. An error takes the lines under the request,
	// as many as it needs (the root grows the pane; see errorRows).
	if c.err != nil {
		return append([]string{line}, c.errorLines(c.w)...)
	}
	rw := ansi.StringWidth(right)
	status := fitLine(c.statusLine(c.w-rw-1), max(1, c.w-rw-1)) + " " + right
	return []string{line, status}
}

// lineView is the one-line request as drawn: never cut without a "…".
// While the learner is not typing, a request too long for the line keeps
// both ends — method and target, and the headers at the end (lesson 10's
// Idempotency-Key) — and elides the middle; while typing, the field scrolls
// with the cursor and "…" marks each side that runs on out of view.
func (c *composer) lineView() string {
	val := c.line.Value()
	room := c.line.Width()
	if !termsafe.Safe(val) {
		return c.visibleInputView(c.line)
	}
	if ansi.StringWidth(val) <= room {
		return c.line.View()
	}
	if !c.focused {
		head := (room - 1) / 2
		tail := room - 1 - head
		w := ansi.StringWidth(val)
		shown := ansi.Truncate(val, head, "") + "…" + ansi.TruncateLeft(val, w-tail, "")
		return c.line.Prompt + c.st.Text.Render(shown)
	}
	v := c.line.View()
	shown := strings.TrimRight(strings.TrimPrefix(ansi.Strip(v), c.line.Prompt), " ")
	at := strings.Index(val, shown)
	if shown == "" || at < 0 {
		return v
	}
	pw := ansi.StringWidth(c.line.Prompt)
	if at+len(shown) < len(val) { // more to the right
		v = ansi.Truncate(v, pw+ansi.StringWidth(shown)-1, "") + c.st.Faint.Render("…")
	}
	if at > 0 { // more to the left
		v = c.line.Prompt + c.st.Faint.Render("…") + ansi.TruncateLeft(v, pw+1, "")
	}
	return v
}

// visibleInputView draws a text input whose text holds what a terminal
// would act on or not show — a bidi control, a zero-width character, a
// soft hyphen, typed or pasted — with each such character as the escape
// termsafe writes everywhere else (\u202e), so that the request on screen
// is the request that will be sent; the text itself is kept as typed. The
// cursor and the focused prompt are drawn while in has the focus (which it
// has only while the composer has it: see applyFocus).
func (c *composer) visibleInputView(in textinput.Model) string {
	cursor := -1
	prompt := c.st.Label
	if in.Focused() {
		cursor = in.Position()
		prompt = c.st.LabelFocused
	}
	return prompt.Render(in.Prompt) + c.visibleLine([]rune(in.Value()), cursor, in.Width()+1)
}

// visibleLine is one line of an editor's text in w cells, escaped as
// termsafe does, with the cursor on rune cursor (none when -1). A line too
// wide keeps the cursor in view, and "…" marks each side that runs on.
func (c *composer) visibleLine(rs []rune, cursor, w int) string {
	text := c.st.Text
	if cursor < 0 {
		shown := termsafe.Cut(string(rs[:min(len(rs), 4*w)]), 12*w)
		if ansi.StringWidth(shown) > w || len(rs) > 4*w {
			shown = ansi.Truncate(shown, max(0, w-1), "") + "…"
		}
		return text.Render(shown)
	}
	cursor = min(cursor, len(rs))
	lo, hi := max(0, cursor-w), min(len(rs), cursor+1+w)
	before := termsafe.String(string(rs[lo:cursor]))
	at, after := " ", ""
	if cursor < len(rs) {
		at, after = termsafe.String(string(rs[cursor])), termsafe.String(string(rs[cursor+1:hi]))
	}
	wb, wa, wr := ansi.StringWidth(before), ansi.StringWidth(at), ansi.StringWidth(after)
	switch {
	case lo == 0 && hi == len(rs) && wb+wa+wr <= w: // it all fits
		after += strings.Repeat(" ", w-wb-wa-wr)
	case lo == 0 && wb+wa+1 <= w: // the start fits: the end runs on
		after = ansi.Truncate(after, w-wb-wa-1, "") + "…"
		after += strings.Repeat(" ", max(0, w-wb-wa-ansi.StringWidth(after)))
	default: // the cursor at the right, what comes before it cut
		room := w - wa - 1
		if wr > 0 {
			room-- // for the "…" after the cursor
		}
		before = "…" + ansi.TruncateLeft(before, max(0, wb-max(0, room)), "")
		after = ""
		if wr > 0 {
			after = "…"
		}
	}
	cur := lipgloss.NewStyle().Foreground(c.st.cursorColor()).Reverse(true)
	return text.Render(before) + cur.Render(at) + text.Render(after)
}

// ErrorRows is how many lines the error takes at the composer's width, at
// most maxErrorRows; 0 without an error.
func (c *composer) ErrorRows() int {
	if c.err == nil || c.w <= 0 {
		return 0
	}
	return min(maxErrorRows, len(c.errorLines(c.w)))
}

// errorLines is the whole error wrapped to w cells: under the column it
// points at when the request line is all on screen, else from the left.
func (c *composer) errorLines(w int) []string {
	e := c.err
	if e == nil || w <= 0 {
		return nil
	}
	st, tail := c.st.Error, " — nothing sent"
	if e.Note {
		st, tail = c.st.Mark, ""
	}
	msg := e.Msg
	if e.Field == fieldLine && e.Col > 0 {
		col := "column " + strconv.Itoa(e.Col) + ": "
		if pad, ok := c.caretPad(e.Col); ok {
			if pad <= w/2 {
				// The message hangs under the caret.
				return wrapLines("^ "+col+msg+tail, w-pad, strings.Repeat(" ", pad), st)
			}
			// Little room right of the caret: the message goes below it.
			return append([]string{strings.Repeat(" ", pad) + st.Render("^")}, wrapLines(col+msg+tail, w, "", st)...)
		}
		msg = col + msg
	}
	mark := "✗ "
	if e.Note {
		mark = "! "
	}
	return wrapLines(mark+fieldNames[e.Field]+": "+msg+tail, w, "", st)
}

// caretPad is the cell under column col of the request line, when the whole
// line is on screen.
func (c *composer) caretPad(col int) (int, bool) {
	val := c.line.Value()
	if len(val) > 4*c.w {
		return 0, false // cannot all be on screen; spares measuring a long paste
	}
	pre := ansi.StringWidth(c.line.Prompt)
	rs := []rune(val)
	if ansi.StringWidth(val)+pre >= c.line.Width() || col-1 > len(rs) {
		return 0, false
	}
	return pre + ansi.StringWidth(string(rs[:col-1])), true
}

// wrapLines wraps text to w cells at spaces, each line styled and after
// indent.
func wrapLines(text string, w int, indent string, st ink) []string {
	lines := strings.Split(ansi.Wrap(text, max(1, w), " "), "\n")
	for i, ln := range lines {
		lines[i] = indent + st.Render(strings.TrimRight(ln, " "))
	}
	return lines
}

// statusLine is the line under the request: a repeat's progress, the last
// outcome or a tip (errors have errorLines). room is the width it gets.
func (c *composer) statusLine(room int) string {
	switch {
	case c.running != "":
		return c.st.Mark.Render(c.running)
	case c.lineRepeatErr != "":
		if ansi.StringWidth(c.lineRepeatErr) > room {
			return c.st.Error.Render(c.lineRepeatShort)
		}
		return c.st.Error.Render(c.lineRepeatErr)
	case c.status != "":
		if c.statusShort != "" && ansi.StringWidth(c.status) > room {
			return c.st.Muted.Render(c.statusShort)
		}
		return c.st.Muted.Render(c.status)
	case len(c.queued) > 0:
		return c.st.Muted.Render(fmt.Sprintf("solution has %d more request(s): they fill in after you send this one", len(c.queued)))
	case c.form:
		return c.st.Faint.Render("method: ←/→ or type it · body: JSON · esc leaves the editor")
	default:
		return c.st.Faint.Render("ctrl+o form · ctrl+r ×1/×10/×100 · ↑ history")
	}
}

func (c *composer) label(f composerField) string {
	name := fieldNames[f]
	st := c.st.Label
	if c.focused && c.field == f {
		st = c.st.LabelFocused
		name = "▸" + name
	} else {
		name = " " + name
	}
	if c.err != nil && c.err.Field == f && !c.err.Note {
		st = c.st.Error
	}
	return st.Render(fitLine(name, labelWidth-1)) + " "
}

func (c *composer) formView() []string {
	var lines []string

	method := c.method
	mst := c.st.Method
	if c.focused && c.field == fieldMethod {
		method = "‹ " + method + " ›"
		mst = mst.Reverse(true)
	} else {
		method = "  " + method + "  "
	}
	row := c.label(fieldMethod) + mst.Render(method) + "  " + c.label(fieldPath) + c.inputView(c.path)
	lines = append(lines, row)

	// An editor takes rows lines, labelled on the first.
	editor := func(f composerField, view string, rows int) {
		vl := strings.Split(view, "\n")
		for i := range rows {
			prefix := strings.Repeat(" ", labelWidth)
			if i == 0 {
				prefix = c.label(f)
			}
			ln := ""
			if i < len(vl) {
				ln = vl[i]
			}
			lines = append(lines, prefix+ln)
		}
	}
	editor(fieldHeaders, c.headersView, 2)
	editor(fieldBody, c.bodyView, c.formBodyHeight())
	rep := fmt.Sprintf("×%d", c.repeat)
	rst := c.st.Mark
	if c.focused && c.field == fieldRepeat {
		rep = "‹ " + rep + " ›"
		rst = rst.Reverse(true)
	}
	lines = append(lines, c.label(fieldRepeat)+rst.Render(rep)+c.st.Faint.Render("   ctrl+s send · ctrl+o one line · tab next field"))
	if c.err != nil {
		return append(lines, c.errorLines(c.w)...)
	}
	lines = append(lines, c.statusLine(c.w))
	return lines
}

// sortedKeys is the header's field names in order.
func sortedKeys(h http.Header) []string { return slices.Sorted(maps.Keys(h)) }
