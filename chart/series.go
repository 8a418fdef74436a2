package chart

import (
	"bytes"
	"encoding/json"
	"math"
	"path"
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
	Picked bool      // someone chose Spec; otherwise it follows Want, else Default
	Want   *Spec     // what the lesson plots, while it can be read (lessons.Chart)
	Stale  bool      // Spec changed: its history is to be rebuilt (History, SetHistory)
	Values []float64 // the value after each exchange, oldest first
	Texts  []string  // each value as the server wrote it, for labels
	Reqs   int       // exchanges plotted (Values also has the starting point and resyncs)

	Cur     float64 // the value now
	CurText string
	Has     bool // the value exists now

	// read is the newest body a field was read from and what it gave: a
	// repeat stores the same body again and again, and decoding it costs
	// more than comparing it.
	read fieldRead
}

// fieldRead is a NumberField read: the body (a copy), the field and the result.
type fieldRead struct {
	body  []byte
	field string
	v     float64
	text  string
	ok    bool
}

// numberField is NumberField through the series' last read.
func (s *Series) numberField(body []byte, field string) (float64, string, bool) {
	r := &s.read
	if r.body == nil || r.field != field || !bytes.Equal(r.body, body) {
		v, text, ok := NumberField(body, field)
		*r = fieldRead{body: bytes.Clone(body), field: field, v: v, text: text, ok: ok}
	}
	return r.v, r.text, r.ok
}

// Observe takes in new events and the resources read after them. first says
// the viewer had seen nothing before: the value now is the first point;
// skipped says older events were left out (a flood), so the value now is
// taken from the state.
func (s *Series) Observe(evs []sim.Event, res []Resource, first, skipped bool) {
	if want := s.Wanted(res); want != s.Spec {
		// Another value (another lesson, its resource came or went): a
		// title over the old value's points would lie. Start afresh, and
		// let the viewer rebuild the history.
		s.Spec = want
		s.Clear()
		s.Stale = true
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
	} else {
		s.Has = false // gone (deleted, undone, restored away): no value now
	}
}

// Clear starts the series afresh.
func (s *Series) Clear() {
	s.Values, s.Texts = s.Values[:0], s.Texts[:0]
	s.Reqs = 0
	s.Has = false
}

// Pick plots spec from now on, starting from its value in res; the
// viewer rebuilds its history (Stale).
func (s *Series) Pick(spec Spec, res []Resource) {
	s.Spec, s.Picked = spec, true
	s.restart(res)
}

// Plot follows what a lesson plots (nil: Default), dropping a pick made
// before: a new lesson tells a new story.
func (s *Series) Plot(want *Spec, res []Resource) {
	s.Picked, s.Want = false, want
	if spec := s.Wanted(res); spec != s.Spec {
		s.Spec = spec
		s.restart(res)
	}
}

// restart starts the series at Spec's value in res and marks it Stale.
func (s *Series) restart(res []Resource) {
	s.Clear()
	if v, text, ok := Value(s.Spec, res); ok {
		s.add(v, text)
		s.Cur, s.CurText, s.Has = v, text, true
	}
	s.Stale = true
}

// Wanted is the value to plot: the pick, else the lesson's while its
// resource can be read, else Default.
func (s *Series) Wanted(res []Resource) Spec {
	switch {
	case s.Picked:
		return s.Spec
	case s.Want != nil:
		if _, _, ok := Value(*s.Want, res); ok {
			return *s.Want
		}
	}
	return Default(res)
}

// SetHistory takes a series History rebuilt for spec, if spec is still
// the one plotted.
func (s *Series) SetHistory(spec Spec, values []float64, texts []string, reqs int) {
	if spec != s.Spec || len(values) == 0 {
		return
	}
	s.Values, s.Texts, s.Reqs = values, texts, reqs
	n := len(values)
	s.Cur, s.CurText, s.Has = values[n-1], texts[n-1], true
}

// History rebuilds spec's series from a server's kept events (from the
// newest reset on), ending at the state in res: what a viewer shows when
// the plotted value changes, so that the history is kept.
func History(spec Spec, evs []sim.Event, res []Resource) (values []float64, texts []string, reqs int) {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Kind == sim.KindReset {
			evs = evs[i+1:]
			break
		}
	}
	now, nowText, ok := Value(spec, res)
	// The value before the first event: the count minus what was created
	// since; a field as the first change to its resource found it.
	var cur float64
	var curText string
	has := false
	if spec.Field == "" {
		created := 0
		for _, ev := range evs {
			for _, c := range ev.Changes {
				switch {
				case c.Before == nil && c.After != nil:
					created++
				case c.Before != nil && c.After == nil:
					created--
				}
			}
		}
		cur, has = now-float64(created), true
		curText = strconv.Itoa(int(cur))
	} else {
		found := false
		for _, ev := range evs {
			for _, c := range ev.Changes {
				if c.Path == spec.Path && !found {
					found = true
					if c.Before != nil {
						cur, curText, has = NumberField(c.Before, spec.Field)
					}
				}
			}
		}
		if !found {
			cur, curText, has = now, nowText, ok
		}
	}
	if has {
		values, texts = append(values, cur), append(texts, curText)
	}
	for _, ev := range evs {
		if !has {
			// Not there yet: the series starts when the resource appears.
			for _, c := range ev.Changes {
				if c.Path == spec.Path && c.After != nil {
					cur, curText, has = NumberField(c.After, spec.Field)
				}
			}
			if !has {
				continue
			}
		} else {
			cur, curText = step(spec, cur, curText, ev, NumberField)
		}
		if ev.Kind == sim.KindExchange {
			values, texts = append(values, cur), append(texts, curText)
			reqs++
		}
	}
	if len(values) > maxPoints {
		values, texts = values[len(values)-keepPoints:], texts[len(texts)-keepPoints:]
	}
	return values, texts, reqs
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
	s.Cur, s.CurText = step(s.Spec, s.Cur, s.CurText, ev, s.numberField)
	s.add(s.Cur, s.CurText)
	s.Reqs++
}

// step is the plotted value after ev, from cur: the resource count moves
// with what ev created and deleted; a field takes the value the newest
// change to its resource left, as number reads it (NumberField).
func step(spec Spec, cur float64, curText string, ev sim.Event, number func([]byte, string) (float64, string, bool)) (float64, string) {
	if spec.Field == "" {
		for _, c := range ev.Changes {
			switch {
			case c.Before == nil && c.After != nil:
				cur++
			case c.Before != nil && c.After == nil:
				cur--
			}
		}
		return cur, strconv.Itoa(int(cur))
	}
	for _, c := range ev.Changes {
		if c.Path != spec.Path || c.After == nil {
			continue
		}
		if v, text, ok := number(c.After, spec.Field); ok {
			cur, curText = v, text
		}
	}
	return cur, curText
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

// Choices lists what a chart can plot: the resource count, then the
// numeric top-level fields of each resource (up to a sane number), of a
// collection's members only the first few: interest posted a thousand
// times makes a thousand transactions, and c would otherwise step through
// their fields one by one.
func Choices(res []Resource) []Spec {
	out := []Spec{{}}
	parent, members := "", 0
	for _, r := range res {
		if dir := path.Dir(r.Path); dir != parent {
			parent, members = dir, 0
		}
		if members++; members > membersListed {
			continue
		}
		for _, f := range numericFields(r.Body) {
			out = append(out, Spec{Path: r.Path, Field: f})
			if len(out) > 50 {
				return out
			}
		}
	}
	return out
}

// membersListed is how many members of one collection Choices lists.
const membersListed = 3

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
// and its text as stored. A number beyond float64's range (JSON sets no
// limit, and the server computes money exactly) reads as ±Inf: it is there,
// but too large to plot (TooLarge).
func NumberField(body []byte, field string) (float64, string, bool) {
	raw, ok := decodeObject(body)[field]
	if !ok {
		return 0, "", false
	}
	return number(raw)
}

// number reads a JSON value as a number (see NumberField).
func number(raw json.RawMessage) (float64, string, bool) {
	text := string(bytes.TrimSpace(raw))
	v, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, "", false
	}
	return v, text, true
}

// TooLarge reports whether the value now is beyond float64's range: the
// plot's line stops at the last value it could draw.
func (s *Series) TooLarge() bool { return s.Has && math.IsInf(s.Cur, 0) }

func numericFields(body []byte) []string {
	m := decodeObject(body)
	var out []string
	for k, raw := range m {
		if _, _, ok := number(raw); ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
