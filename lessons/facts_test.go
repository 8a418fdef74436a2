package lessons

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestBuiltinLessonsAgreeWithTheHTTPFacts: claims HTTP-FACTS.md contradicts
// must not come back into the built-in lessons.
func TestBuiltinLessonsAgreeWithTheHTTPFacts(t *testing.T) {
	wrong := []struct {
		re  *regexp.Regexp
		why string
	}{
		{regexp.MustCompile(`(?s)PUT[^.]{0,200}\b202\b|\b202\b[^.]{0,200}\bPUT\b`),
			"PUT's success codes are 201 (created), 200 and 204 (replaced), RFC 9110 §9.3.4"},
		{regexp.MustCompile(`W3C draft`),
			"the 1992 draft predates the W3C, founded in 1994; it is only kept on the W3C's site"},
	}
	files, err := fs.Glob(builtinFS, "builtin/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no built-in lessons: %v", err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(builtinFS, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wrong {
			if m := w.re.Find(b); m != nil {
				t.Errorf("%s says %q: %s", f, m, w.why)
			}
		}
	}
}
