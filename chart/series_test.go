package chart

import (
	"math"
	"slices"
	"strconv"
	"strings"
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

// A number beyond float64's range is still the field's value (JSON sets no
// limit): the series keeps it, as +Inf with its text, and says it is too
// large; Default and Choices still offer it.
func TestAValueBeyondFloat64IsTooLargeNotGone(t *testing.T) {
	huge := []Resource{{Path: "/accounts/42", Body: []byte(`{"balance":2e308}`)}}
	if got := Default(huge); got != (Spec{Path: "/accounts/42", Field: "balance"}) {
		t.Fatalf("Default = %+v, want the balance", got)
	}
	var s Series
	s.Observe(nil, []Resource{{Path: "/accounts/42", Body: []byte(`{"balance":1e308}`)}}, true, false)
	s.Observe([]sim.Event{{Kind: sim.KindExchange, Changes: []sim.Change{{Path: "/accounts/42", Before: []byte(`{}`), After: huge[0].Body}}}}, huge, false, false)
	if !s.Has || !s.TooLarge() || s.CurText != "2e308" || len(s.Values) != 2 {
		t.Errorf("has %v, too large %v, text %q, values %v", s.Has, s.TooLarge(), s.CurText, s.Values)
	}
	if got := Short(strings.Repeat("9", 320)+".00", math.Inf(1), 20); got != "1e+320" {
		t.Errorf("Short of a 320-digit value = %q, want 1e+320", got)
	}
}

// Choices lists a few members of a collection, not each of a thousand.
func TestChoicesListAFewMembersOfACollection(t *testing.T) {
	res := []Resource{{Path: "/accounts/42", Body: []byte(`{"balance":80}`)}}
	for i := 1; i <= 1000; i++ {
		res = append(res, Resource{Path: "/accounts/42/transactions/" + strconv.Itoa(i), Body: []byte(`{"amount":8,"balance":88}`)})
	}
	got := Choices(res)
	if len(got) != 1+1+2*membersListed {
		t.Errorf("Choices = %v, want the count, the balance and the fields of %d transactions", got, membersListed)
	}
}
