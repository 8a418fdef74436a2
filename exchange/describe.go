package exchange

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// TeachingHeaders are the response fields the full screen and line mode
// show with an exchange: every one the lessons ask the learner to read,
// most telling first, since a short pane shows only the first few.
// (KeyHeaders are the fewer a projector shows in large type.)
var TeachingHeaders = []string{"Location", "Allow", "ETag", "Idempotent-Replayed", "Preference-Applied", "Accept-Patch", "Content-Location", "Content-Type"}

// Description is one exchange as the full screen and line mode show it:
// who sent what, what came back, the headers that teach, and the body or
// the server's own explanation, made safe to print (termsafe). Describe
// makes one; Lines lays it out.
type Description struct {
	Seq     uint64
	From    string      // "you", "lesson", "retry", "curl 127.0.0.1:52144"
	Request string      // "PUT /accounts/42"
	Status  string      // as Status says: "200 OK", "201 Created, response lost", "request dropped"
	Code    int         // the status code; 0 when no response was made
	Headers [][2]string // teaching headers present, spelled as HTTP spells them
	Body    string      // the response body on one line (JSON compacted)
	Error   string      // the server's explanation of an error response, when it gave one
}

// Describe turns an event into what the views show of it.
func Describe(ev sim.Event) Description {
	x := Description{
		Seq:     ev.Seq,
		From:    Sender(ev),
		Request: termsafe.Cut(Request(ev), maxShown),
		Code:    ev.Response.Status,
		Status:  Status(ev),
	}
	if ev.Fault == sim.FaultDropped || ev.Response.Status == 0 {
		x.Code = 0
		return x
	}
	for _, name := range TeachingHeaders {
		if v := ev.Response.Header.Values(name); len(v) > 0 {
			x.Headers = append(x.Headers, [2]string{name, termsafe.Cut(strings.Join(v, ", "), maxShown)})
		}
	}
	x.Error = ServerError(ev)
	if x.Error == "" {
		x.Body = oneLine(ev.Response.Body)
	}
	return x
}

// ServerError is the sentence an error response carries in its JSON body
// ({"error":"…"}), or "".
func ServerError(ev sim.Event) string {
	if ev.Response.Status < 400 || len(ev.Response.Body) == 0 {
		return ""
	}
	var body struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(ev.Response.Body, &body) != nil {
		return ""
	}
	return termsafe.Cut(strings.Join(strings.Fields(body.Error), " "), maxShown)
}

// oneLine is a body on one line: JSON compacted, other text with its line
// breaks as spaces.
func oneLine(body []byte) string {
	body = body[:min(len(body), 4*maxShown)] // more never shows
	var b bytes.Buffer
	if json.Compact(&b, body) == nil {
		return termsafe.Cut(b.String(), maxShown)
	}
	return termsafe.Cut(strings.Join(strings.Fields(string(body)), " "), maxShown)
}

// maxShown is how much of a string from outside an Exchange keeps: more
// than a pane or a projector shows; the wire view has the rest.
const maxShown = 4 << 10

// Sender names who sent an exchange: "you", "lesson", "retry", or for a
// request that came over --listen the client's name from its User-Agent
// and its address ("curl 127.0.0.1:52144").
func Sender(ev sim.Event) string {
	name := senderName(ev)
	if ev.Source != sim.SourceNetwork || ev.Remote == "" {
		return name
	}
	return name + " " + termsafe.Cut(ev.Remote, 64)
}

// ShortSender is who sent an exchange in at most w cells, for a log's
// narrow column: a client over --listen by its name alone, a well-known
// long one by the name people call it ("Go-http-client" → "Go"), and a
// name still too long cut with "…". Sender is the full tag.
func ShortSender(ev sim.Event, w int) string {
	name := senderName(ev)
	if short, ok := shortAgents[strings.ToLower(name)]; ok && ev.Source == sim.SourceNetwork {
		name = short
	}
	return ansi.Truncate(name, max(0, w), "…")
}

// shortAgents are the usual names of clients whose User-Agent product is
// long, by that product in lower case.
var shortAgents = map[string]string{
	"go-http-client":    "Go",
	"java-http-client":  "Java",
	"apache-httpclient": "Apache",
	"python-requests":   "python",
	"python-urllib":     "python",
	"python-httpx":      "httpx",
	"node-fetch":        "node",
}

// senderName is who sent an exchange without the address of a network
// client: "you", "lesson", "retry", "curl".
func senderName(ev sim.Event) string {
	switch ev.Source {
	case sim.SourceComposer:
		return "you"
	case sim.SourceLesson:
		return "lesson"
	case sim.SourceRetry:
		return "retry"
	case sim.SourceNetwork:
		return agentName(ev.Request.Header.Get("User-Agent"))
	case "":
		return "sim"
	}
	return termsafe.Cut(string(ev.Source), 64)
}

// agentName is the product of a User-Agent ("curl/8.5.0" → "curl"), kept to
// letters, digits, '.', '_' and '-' and a few of them; "client" when none.
func agentName(ua string) string {
	product, _, _ := strings.Cut(strings.TrimSpace(ua), "/")
	product, _, _ = strings.Cut(product, " ")
	var b strings.Builder
	for _, r := range product {
		if b.Len() >= 20 {
			break
		}
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "client"
	}
	return b.String()
}

// LineKind says what a line of an exchange's layout holds, for styling.
type LineKind int

// The kinds of line in an exchange's layout.
const (
	LineStatus LineKind = iota + 1 // request → status
	LineFirst                      // the first of a repeat, on one line
	LineHeader                     // one teaching header
	LineBody                       // (part of) the response body
	LineError                      // (part of) the server's explanation
)

// Line is one line of an exchange's layout.
type Line struct {
	Kind LineKind
	Text string
}

// Lines lays the exchange out in at most height lines of width cells: the
// request and its status, the first exchange of a repeat when first is not
// nil (times is how many were sent), the teaching headers, then the body or
// the server's explanation. What does not fit is cut with a visible "…";
// the body (or explanation) always keeps a line when there is one.
func (x Description) Lines(width, height int, first *Description, times int) []Line {
	if width <= 0 || height <= 0 {
		return nil
	}
	head := x.Request + " → " + x.Status
	if times > 1 {
		head = x.Request + " ×" + strconv.Itoa(times) + " → last: " + x.Status
	}
	out := []Line{{LineStatus, Fit(head, width)}}
	if first != nil && times > 1 && len(out) < height {
		text := "first: " + first.Status
		if first.Error != "" {
			text += " — " + first.Error
		} else if first.Body != "" {
			text += " " + first.Body
		}
		out = append(out, Line{LineFirst, Fit(text, width)})
	}
	kind, text := LineBody, x.Body
	if x.Error != "" {
		kind, text = LineError, "server says: "+x.Error
	}
	var wrapped []string
	if text != "" {
		wrapped = strings.Split(ansi.Wrap(text, width, " ,"), "\n")
	}
	room := height - len(out)
	headers := min(len(x.Headers), room-min(1, len(wrapped)))
	for _, h := range x.Headers[:max(0, headers)] {
		out = append(out, Line{LineHeader, Fit(h[0]+": "+h[1], width)})
	}
	room = height - len(out)
	if room > 0 && len(wrapped) > 0 {
		cut := len(wrapped) > room
		wrapped = wrapped[:min(len(wrapped), room)]
		if cut {
			last := wrapped[len(wrapped)-1]
			wrapped[len(wrapped)-1] = ansi.Truncate(last, width-1, "") + "…"
		}
		for _, l := range wrapped {
			out = append(out, Line{kind, Fit(l, width)}) // Wrap can leave a word wider than the box
		}
	}
	return out
}

// Fit cuts a line of plain text to width cells, ending it with "…" when
// something was cut.
func Fit(s string, width int) string {
	if ansi.StringWidth(s) <= width {
		return s
	}
	return ansi.Truncate(s, max(0, width), "…")
}

// Repeats reports whether b is a repeat of a with the same outcome: the
// same sender sent the same request (method, target, body) and got the
// same status, fault and replay mark. Views fold such runs into one line
// ("POST /accounts/42/interest 201 ×100") and show its first and last.
func Repeats(a, b sim.Event) bool {
	return a.Kind == sim.KindExchange && b.Kind == sim.KindExchange &&
		a.Source == b.Source && a.Request.Header.Get("User-Agent") == b.Request.Header.Get("User-Agent") &&
		a.Request.Method == b.Request.Method && a.Request.Target == b.Request.Target &&
		bytes.Equal(a.Request.Body, b.Request.Body) &&
		a.Response.Status == b.Response.Status && a.Fault == b.Fault && a.Replayed == b.Replayed
}
