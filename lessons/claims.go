package lessons

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/putpost/putpost/sim"
)

// An explanation must not state what the learner did not see. Lint --play
// checks the part of that it can check mechanically: a value the explanation
// names in its own words — a status code, a number, a stored text such as
// "a7" — that the learner saw in the straight play (the step's solution after
// the previous steps' solutions) is a claim about what happened. Every other
// play that passes the step (a random learner history, or a half-right
// attempt followed by the solution) must have shown it too; otherwise the
// explanation tells that learner something that did not happen to them.
//
// What a play "showed" is its sight: every status answered since the step
// began, and the top-level field values of what the solution's own requests
// sent and got back and of the resources they changed, before and after.
// Live values are left out of the explanation first: they are filled in from
// the learner's own server. Texts shorter than two characters, booleans and
// whole numbers below 10 are not treated as claims: prose uses them too often
// ("step 2", "true") for a match to mean anything.

// sight is what a learner saw in one passing play of a step.
type sight struct {
	texts map[string]bool // stored or sent texts ("a7", "ontime")
	nums  map[string]bool // numbers and statuses, canonical ("200", "121")
}

// sightOf collects what the exchanges after event start showed (statuses),
// and what those after event sol — the solution's — showed in full.
func sightOf(w World, start, sol uint64) sight {
	s := sight{texts: map[string]bool{}, nums: map[string]bool{}}
	for _, ev := range w.EventsSince(start) {
		if ev.Kind != sim.KindExchange || ev.Response.Status == 0 {
			continue
		}
		s.nums[strconv.Itoa(ev.Response.Status)] = true
		if ev.Seq <= sol {
			continue
		}
		s.addJSON(ev.Request.Body)
		s.addJSON(ev.Response.Body)
		for _, ch := range ev.Changes {
			s.addJSON(ch.Before)
			s.addJSON(ch.After)
		}
	}
	return s
}

// addJSON adds the top-level field values of a JSON object.
func (s sight) addJSON(b []byte) {
	var obj map[string]json.RawMessage
	if len(b) == 0 || json.Unmarshal(b, &obj) != nil {
		return
	}
	for _, raw := range obj {
		switch v, err := decodeJSON(raw); v := v.(type) {
		case string:
			if err == nil && len([]rune(v)) >= 2 {
				s.texts[v] = true
			}
		case json.Number:
			if n, ok := canonicalNumber(string(v)); ok {
				s.nums[n] = true
			}
		}
	}
}

// canonicalNumber writes a number so that 100, 100.0 and 100.00 compare equal.
func canonicalNumber(s string) (string, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", false
	}
	return strconv.FormatFloat(f, 'f', -1, 64), true
}

// claim is one value an explanation names, at a line of the lesson file.
type claim struct {
	line  int
	value string // as the sight holds it
	num   bool
}

func (c claim) String() string {
	if c.num {
		return c.value
	}
	return strconv.Quote(c.value)
}

// numberInProse is a number as prose writes one: 200, 121.00. Section
// numbers (§9.3.4) have more than one dot and are skipped.
var numberInProse = regexp.MustCompile(`§?[0-9]+(?:\.[0-9]+)*`)

// claims lists the values the step's explanation names in its own words
// (outside live values) that the reference play showed.
func (st *Step) claims(ref sight) []claim {
	var out []claim
	for _, l := range st.explainSrc {
		text := livePattern.ReplaceAllString(l.text, " ")
		for _, tok := range numberInProse.FindAllString(text, -1) {
			if strings.HasPrefix(tok, "§") || strings.Count(tok, ".") > 1 {
				continue
			}
			n, ok := canonicalNumber(tok)
			if !ok || !ref.nums[n] || (!strings.Contains(n, ".") && len(n) < 2) {
				continue
			}
			out = append(out, claim{line: l.n, value: n, num: true})
		}
		for _, v := range slices.Sorted(mapKeys(ref.texts)) {
			if containsWord(text, v) {
				out = append(out, claim{line: l.n, value: v})
			}
		}
	}
	return out
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// containsWord reports whether v occurs in text with no letter or digit
// right before or after it.
func containsWord(text, v string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], v)
		if j < 0 {
			return false
		}
		at := i + j
		end := at + len(v)
		if !wordRune(lastRune(text[:at])) && !wordRune(firstRune(text[end:])) {
			return true
		}
		i = at + 1
	}
}

func wordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func lastRune(s string) rune {
	r := []rune(s)
	if len(r) == 0 {
		return 0
	}
	return r[len(r)-1]
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

func (s sight) has(c claim) bool {
	if c.num {
		return s.nums[c.value]
	}
	return s.texts[c.value]
}

// compareClaims reports each claim of step i's explanation that a passing
// play, described by how, did not show.
func (p *player) compareClaims(i int, st *Step, got sight, how string) {
	for _, c := range p.claimed[i] {
		key := fmt.Sprintf("%d\x00%s", c.line, c)
		if got.has(c) || p.claimSeen[key] {
			continue
		}
		p.claimSeen[key] = true
		p.report(c.line, "%s: its explanation says %s, which a learner who passes the step this way never saw: %s; write a live value ({{field PATH NAME}}, {{status}}, …), reword it, or give the step a setup so that it always holds",
			stepRef(i, st), c, how)
	}
}
