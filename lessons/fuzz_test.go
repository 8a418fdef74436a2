package lessons

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// FuzzParse feeds the lesson parser arbitrary bytes: it must never panic, and
// a lesson it accepts must be complete enough for the engine.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.md")
	builtin, _ := filepath.Glob("builtin/*.md")
	for _, name := range append(files, builtin...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("---\nid: a\ntitle: A\nfixture: payments\n---\n## Step: s\nDo it.\n```check\nreplayed\n```\n```solution\n{{keyed POST /payments}} x3\n{{keyed post}}\n{{keyed /p POST}}\n```\n"))
	f.Add([]byte("---\n---\n## Step:\n```check\nany:\n  any:\n```\n"))
	f.Add([]byte("````\n```check\n````\n## Quiz: q\n```quiz\n- [x] a |\n  b\n"))
	for _, check := range []string{
		"retried PUT /accounts/42", "retried DELETE /flights/* answered 404|204 == 2", "retried POST /p with Idempotency-Key answered",
		"request PUT /a answered 200 >= 3", "request PUT /a with If-Match etag answered 2OO", "last-request PUT /a with If-Match etag",
		"last-request PUT /a answered 200", "request PUT /a with If-Match stale", "last-request PUT /a with if-match STALE", "request PUT /a with ETag stale",
		"unchanged /a", "request PUT /a with If-None-Match * >= 2", "last-request PUT /a with X *", "request PUT /a with * *", "request PUT /a with If-Match * stale", "unchanged /a /b", "unchanged", "changed-by PUT /a with If-Match etag", "changed-by PUT /a/*", "changed-by PUT /a == 1", "request POST /a heard == 0", "request POST /a answered 201 heard", "retried POST /a heard", "last-request PUT /a heard", "request POST /a heard heard", "changed-by PUT /a >= 2", "changed-by PUT /a == 0", "changed-by PUT /a with If-Match etag == 1", "changed-by PUT /a == 1 x", "changed-by PUT /a with If-Match stale", "request PUT /a with etag", "field /customers/* name \"Ann\"", "field /*/* x 1", "field /+/* x 1",
	} {
		f.Add([]byte("---\nid: a\ntitle: A\nfixture: bank\n---\n## Step: s\nDo it.\n```check\n" + check + "\n```\n```solution\nGET /a\n```\n"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse("fuzz.md", data)
		if l == nil {
			t.Fatal("Parse returned no lesson")
		}
		if err != nil {
			return
		}
		if l.ID == "" || l.Title == "" || l.Fixture == "" || len(l.Steps) == 0 {
			t.Fatalf("accepted an incomplete lesson: %+v", l)
		}
		for _, s := range l.Steps {
			switch {
			case s.Quiz != nil:
				right := 0
				for _, c := range s.Quiz.Choices {
					if c.Correct {
						right++
					} else if c.Why == "" {
						t.Fatalf("accepted a wrong choice without a reason: %+v", c)
					}
				}
				if right != 1 {
					t.Fatalf("accepted a quiz with %d right choices", right)
				}
			case s.Check == nil || len(s.Solution) == 0 || len(s.solution) != len(s.Solution):
				t.Fatalf("accepted a task step without check or solution: %+v", s)
			default:
				_ = s.Check.String()
			}
		}
	})
}

// FuzzForView: the words for one front end never leave a {screen: behind
// when the markup is complete, and never panic.
func FuzzForView(f *testing.F) {
	for _, s := range []string{"a {screen: press `w`|line: type `wire`} b", "{screen:|line:x}", "{screen: a", "{screen:{}|line:}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range []View{Screen, Line} {
			out := ForView(s, v)
			if checkPerView(s) && strings.Count(out, "{screen:") > strings.Count(s, "{screen:")-len(perView.FindAllString(s, -1)) {
				t.Fatalf("%q → %q keeps a complete {screen:…}", s, out)
			}
		}
	})
}

// decodeJSON's shortcut for a number alone gives what the decoder gives:
// the same value, or an error where the decoder has one.
func FuzzDecodeJSONNumber(f *testing.F) {
	for _, s := range []string{"100", " -1.5e3 ", "0", "01", "-", "1 2", "1\u00a0", "\u00a01", "\t7\n", "1e", "1.", "-0", "100x", `"100"`, "[1]", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeJSON(data)
		want, werr := decodeJSONValue(data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("decodeJSON(%q): error %v, the decoder's %v", data, err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeJSON(%q) = %#v, the decoder gives %#v", data, got, want)
		}
	})
}

// choicePattern is what a quiz choice was matched with before choiceOf:
// the fuzzer holds choiceOf to the same answers on any line.
var choicePattern = regexp.MustCompile(`^[-*+]\s*\[\s*([xX]?)\s*\]\s*(.*)$`)

func FuzzChoiceOf(f *testing.F) {
	for _, s := range []string{"- [ ] text | why", "- [x] right", "* [X]", "+[ x ]  a", "- [xx] no", "- [] empty",
		"-\n[ ] a", "- [ ] a\nb", "- ( ) a", "[ ] a", "", "-", "- [", "- [ x", "\xff [ ] a", "- [ ] \xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		right, text, ok := choiceOf(line)
		m := choicePattern.FindStringSubmatch(line)
		if ok != (m != nil) {
			t.Fatalf("choiceOf(%q) ok = %v, the pattern says %v", line, ok, m != nil)
		}
		if ok && (right != (m[1] != "") || text != m[2]) {
			t.Fatalf("choiceOf(%q) = %v %q, the pattern says %q %q", line, right, text, m[1], m[2])
		}
	})
}
