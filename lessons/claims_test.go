package lessons

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func explainStep(lines ...string) *Step {
	st := &Step{}
	for i, l := range lines {
		st.explainSrc = append(st.explainSrc, numbered{n: 10 + i, text: l})
	}
	return st
}

func TestClaimsAreValuesTheExplanationWritesItself(t *testing.T) {
	ref := sight{
		texts: map[string]bool{"a7": true, "b12": true, "delayed": true},
		nums:  map[string]bool{"200": true, "80": true, "9110": true, "4": true, "9.3": true},
	}
	st := explainStep(
		"**{{status}}**: gate from `a7` to {{field /flights/AA123 gate}}, status `delayed`.",
		"The balance was 80.00; RFC 9110 §9.3.4 says 200 or 204, in 4 steps; a70.",
		"{{field /flights/AA123 status}} b12",
	)
	var got []string
	for _, c := range st.claims(ref) {
		got = append(got, c.String()+"@"+strconv.Itoa(c.line))
	}
	// a7 and delayed (written out), 80 (as 80.00), 9110 and 200 (numbers of
	// the reference), b12 on the third line; not the live values, not the
	// section number, not a one-digit number, not a7 inside a70.
	want := `"a7"@10 "delayed"@10 80@11 9110@11 200@11 "b12"@12`
	if strings.Join(got, " ") != want {
		t.Errorf("claims: %s\nwant:   %s", strings.Join(got, " "), want)
	}
}

func TestContainsWordNeedsAWordBoundary(t *testing.T) {
	for _, c := range []struct {
		text, v string
		want    bool
	}{
		{"gate `a7`.", "a7", true},
		{"gate a70", "a7", false},
		{"gate xa7 and a7", "a7", true},
		{"ACME Air pays", "ACME Air", true},
		{"délayed", "layed", false},
		{"", "a7", false},
	} {
		if got := containsWord(c.text, c.v); got != c.want {
			t.Errorf("containsWord(%q, %q) = %v", c.text, c.v, got)
		}
	}
}

// FuzzClaims feeds any explanation text through the claim finder: it must not
// panic, and every claim it finds must be written in the line it names.
func FuzzClaims(f *testing.F) {
	f.Add("gate from `a7` to b12, 200 OK, §9.3.4, 80.00")
	f.Add("{{field /a b}} {{ }} 1.2.3 a7a7")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		ref := sight{texts: map[string]bool{"a7": true, "ACME Air": true}, nums: map[string]bool{"200": true, "80": true, "1.5": true}}
		st := explainStep(strings.Split(text, "\n")...)
		for _, c := range st.claims(ref) {
			line := st.explainSrc[c.line-10].text
			if !c.num && !strings.Contains(line, c.value) {
				t.Errorf("claim %s is not in %q", c, line)
			}
			if !ref.has(c) {
				t.Errorf("claim %s is not in the reference sight", c)
			}
		}
	})
}
