package lessons

import (
	"fmt"
	"strings"
)

// Closest returns the candidate a mistyped word most likely meant, or "".
// A word is near a candidate when the edit distance is at most 1 (2 for
// words of five letters or more), or when it is the start of exactly one
// candidate. Case is ignored. Lesson lint and line mode's commands share it.
func Closest(word string, candidates []string) string {
	w := strings.ToLower(word)
	if len([]rune(w)) > 32 { // long words are never typos of our keywords
		return ""
	}
	best, bestD := "", -1
	for _, c := range candidates {
		if d := editDistance(w, strings.ToLower(c)); bestD < 0 || d < bestD {
			best, bestD = c, d
		}
	}
	limit := 1
	if len([]rune(w)) >= 5 {
		limit = 2
	}
	if bestD >= 0 && bestD <= limit {
		return best
	}
	if len(w) >= 2 {
		var prefixed []string
		for _, c := range candidates {
			if strings.HasPrefix(strings.ToLower(c), w) {
				prefixed = append(prefixed, c)
			}
		}
		if len(prefixed) == 1 {
			return prefixed[0]
		}
	}
	return ""
}

// didYouMean returns `; did you mean "x"?` for a likely typo, else "".
func didYouMean(word string, candidates []string) string {
	if c := Closest(word, candidates); c != "" {
		return fmt.Sprintf("; did you mean %q?", c)
	}
	return ""
}

// editDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
