package sim

import (
	"slices"
	"strings"
)

// sortNatural sorts paths so that numbers compare by value: /customers/2
// comes before /customers/10.
func sortNatural(paths []string) {
	slices.SortFunc(paths, compareNatural)
}

func compareNatural(a, b string) int {
	for a != "" && b != "" {
		if isDigitByte(a[0]) && isDigitByte(b[0]) {
			na, nb := digitRun(a), digitRun(b)
			ta, testHelper := strings.TrimLeft(na, "0"), strings.TrimLeft(nb, "0")
			if c := len(ta) - len(testHelper); c != 0 {
				return c
			}
			if c := strings.Compare(ta, testHelper); c != 0 {
				return c
			}
			if c := len(na) - len(nb); c != 0 {
				return c
			}
			a, b = a[len(na):], b[len(nb):]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

func digitRun(s string) string {
	i := 0
	for i < len(s) && isDigitByte(s[i]) {
		i++
	}
	return s[:i]
}
