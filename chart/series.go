package chart

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// maxPoints bounds a series: past it, the oldest points are dropped down to
// keepPoints.
const (
	maxPoints  = 8000
	keepPoints = 2000
)

// Spec names the value a chart plots: a numeric field of a resource, or the
// number of resources when Field is empty.
type Spec struct{ Path, Field string }

// Longest field name and path a label shows; they came from outside.
const (
	maxLabelField = 60
	maxLabelPath  = 512
)

// Label says what is plotted: "balance of /accounts/42", made safe to print.
func (c Spec) Label() string {
	if c.Field == "" {
		return "resources stored"
	}
	return termsafe.Cut(c.Field, maxLabelField) + " of " + termsafe.Cut(c.Path, maxLabelPath)
}

// Resource is one stored resource as read from the server.
type Resource struct {
	Path string
	Body []byte
}

// Resources reads every stored resource of srv.
func Resources(srv *sim.Server) []Resource {
	var out []Resource
	for _, p := range srv.Paths() {
		if body, _, ok := srv.Resource(p); ok {
			out = append(out, Resource{Path: p, Body: body})
		}
	}
	return out
}

// Series is one value after every exchange, oldest first. The zero value
// plots the default value (see Default) from the first Observe on.
type Series struct {
	Spec   Spec
	Picked bool      // someone chose Spec; otherwise it follows Default
	Values []float64 // the value after each exchange, oldest first
	Texts  []string  // each value as the server wrote it, for labels
	Reqs   int       // exchanges plotted (Values also has the starting point and resyncs)

	Cur     float64 // the value now
	CurText string
	Has     bool // the value exists now
}

// Observe takes in new events and the resources read after them. first says
// the viewer had seen nothing before: the value now is the first point;
// skipped says older events were left out (a flood), so the value now is
// taken from the state.
func (s *Series) Observe(evs []sim.Event, res []Resource, first, skipped bool) {
	if !s.Picked {
		s.Spec = Default(res)
	}
	admin := skipped
	for _, ev := range evs {
		if ev.Kind == sim.KindReset {
			s.Clear()
		}
		if ev.Kind == sim.KindUndo || ev.Kind == sim.KindRestore {
			admin = true
		}
		s.sample(ev)
	}
	// Resync with the state: the first point at start or after a reset, and
	// a point for what an undo or a restore put back.
	if v, text, ok := Value(s.Spec, res); ok {
		if first || !s.Has || admin && (len(s.Values) == 0 || s.Values[len(s.Values)-1] != v) {
			s.add(v, text)
		}
		s.Cur, s.CurText, s.Has = v, text, true
	}
}

// Clear starts the series afresh.
func (s *Series) Clear() {
	s.Values, s.Texts = s.Values[:0], s.Texts[:0]
	s.Reqs = 0
	s.Has = false
}

// Pick plots spec from now on, starting from its value in res.
func (s *Series) Pick(spec Spec, res []Resource) {
	s.Spec, s.Picked = spec, true
	s.Clear()
	if v, text, ok := Value(s.Spec, res); ok {
		s.add(v, text)
		s.Cur, s.CurText, s.Has = v, text, true
	}
}

// Clone is a copy that shares nothing with s.
func (s Series) Clone() Series {
	s.Values = slices.Clone(s.Values)
	s.Texts = slices.Clone(s.Texts)
	return s
}

// First and Last are the texts of the first and the newest point ("" for none).
func (s *Series) First() string {
	if len(s.Texts) == 0 {
		return ""
	}
	return s.Texts[0]
}

// Last is the text of the newest point, or "".
func (s *Series) Last() string {
	if len(s.Texts) == 0 {
		return ""
	}
	return s.Texts[len(s.Texts)-1]
}

// add appends a point, dropping the oldest ones when the series gets very
// long.
func (s *Series) add(v float64, text string) {
	s.Values = append(s.Values, v)
	s.Texts = append(s.Texts, text)
	if len(s.Values) > maxPoints {
		s.Values = append(s.Values[:0:0], s.Values[len(s.Values)-keepPoints:]...)
		s.Texts = append(s.Texts[:0:0], s.Texts[len(s.Texts)-keepPoints:]...)
	}
}

// sample adds the value after ev.
func (s *Series) sample(ev sim.Event) {
	if ev.Kind != sim.KindExchange || !s.Has {
		return
	}
	if s.Spec.Field == "" {
		for _, c := range ev.Changes {
			switch {
			case c.Before == nil && c.After != nil:
				s.Cur++
			case c.Before != nil && c.After == nil:
				s.Cur--
			}
		}
		s.CurText = strconv.Itoa(int(s.Cur))
	} else {
		for _, c := range ev.Changes {
			if c.Path != s.Spec.Path || c.After == nil {
				continue
			}
			if v, text, ok := NumberField(c.After, s.Spec.Field); ok {
				s.Cur, s.CurText = v, text
			}
		}
	}
	s.add(s.Cur, s.CurText)
	s.Reqs++
}

// Default plots the account balance when there is one (the course's running
// example), else the first numeric field, else the resource count.
func Default(res []Resource) Spec {
	specs := Choices(res)
	for _, c := range specs {
		if c.Path == "/accounts/42" && c.Field == "balance" {
			return c
		}
	}
	for _, c := range specs {
		if c.Field == "balance" {
			return c
		}
	}
	if len(specs) > 1 {
		return specs[1]
	}
	return Spec{}
}

// Choices lists what a chart can plot: the resource count, then every
// numeric top-level field (up to a sane number).
func Choices(res []Resource) []Spec {
	out := []Spec{{}}
	for _, r := range res {
		for _, f := range numericFields(r.Body) {
			out = append(out, Spec{Path: r.Path, Field: f})
			if len(out) > 50 {
				return out
			}
		}
	}
	return out
}

// Next is the choice after c, wrapping around.
func Next(c Spec, res []Resource) Spec {
	specs := Choices(res)
	next := specs[0]
	for i, x := range specs {
		if x == c {
			next = specs[(i+1)%len(specs)]
		}
	}
	return next
}

// Value reads what c plots from res: the number, its text as stored, and
// whether it is there.
func Value(c Spec, res []Resource) (float64, string, bool) {
	if c.Field == "" {
		n := len(res)
		return float64(n), strconv.Itoa(n), true
	}
	for _, r := range res {
		if r.Path == c.Path {
			return NumberField(r.Body, c.Field)
		}
	}
	return 0, "", false
}

func decodeObject(body []byte) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	return m
}

// NumberField reads a numeric top-level field of a JSON object: its value
// and its text as stored.
func NumberField(body []byte, field string) (float64, string, bool) {
	raw, ok := decodeObject(body)[field]
	if !ok {
		return 0, "", false
	}
	text := string(bytes.TrimSpace(raw))
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, "", false
	}
	return v, text, true
}

func numericFields(body []byte) []string {
	m := decodeObject(body)
	var out []string
	for k, raw := range m {
		if _, err := strconv.ParseFloat(string(bytes.TrimSpace(raw)), 64); err == nil {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
