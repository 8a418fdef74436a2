package chart

import (
	"slices"
	"testing"

	"github.com/putpost/putpost/sim"
)

// A series follows the field through every exchange, whether the stored
// body repeats (a PUT ×N reads it once) or changes, even in the same bytes.
func TestSeriesReadsEachStoredBody(t *testing.T) {
	res := []Resource{{Path: "/accounts/42", Body: []byte(`{"balance":80}`)}}
	var s Series
	s.Observe(nil, res, true, false)
	body := []byte(`{"balance":100}`)
	put := func() sim.Event {
		return sim.Event{Kind: sim.KindExchange, Changes: []sim.Change{{Path: "/accounts/42", Before: []byte(`{}`), After: body}}}
	}
	now := func() []Resource { return []Resource{{Path: "/accounts/42", Body: slices.Clone(body)}} }
	s.Observe([]sim.Event{put(), put()}, now(), false, false)
	copy(body, `{"balance":250}`) // the same slice, new content
	s.Observe([]sim.Event{put()}, now(), false, false)
	body = []byte(`{"balance":7}`)
	s.Observe([]sim.Event{put()}, now(), false, false)
	if want := []float64{80, 100, 100, 250, 7}; !slices.Equal(s.Values, want) {
		t.Fatalf("values %v, want %v", s.Values, want)
	}
	if want := []string{"80", "100", "100", "250", "7"}; !slices.Equal(s.Texts, want) {
		t.Fatalf("texts %v, want %v", s.Texts, want)
	}
}

// A picked value whose resource goes away (a restore, an undo, a DELETE)
// has no value now: the chart does not keep showing the last one.
func TestAPickedValueWhoseResourceIsGoneHasNoValueNow(t *testing.T) {
	tx := Resource{Path: "/accounts/42/transactions/3", Body: []byte(`{"balance":133.10}`)}
	acct := Resource{Path: "/accounts/42", Body: []byte(`{"balance":80}`)}
	var s Series
	s.Observe(nil, []Resource{acct, tx}, true, false)
	s.Pick(Spec{Path: tx.Path, Field: "balance"}, []Resource{acct, tx})
	if !s.Has || s.CurText != "133.10" {
		t.Fatalf("picked: has %v, value %q; want 133.10", s.Has, s.CurText)
	}
	s.Observe([]sim.Event{{Kind: sim.KindRestore}}, []Resource{acct}, false, false)
	if s.Has {
		t.Errorf("after the resource went, the series still has a value now: %q", s.CurText)
	}
	s.Observe([]sim.Event{{Kind: sim.KindExchange}}, []Resource{acct, tx}, false, false)
	if !s.Has || s.CurText != "133.10" {
		t.Errorf("back again: has %v, value %q; want 133.10", s.Has, s.CurText)
	}
}
