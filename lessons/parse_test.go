package lessons

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Each file in testdata/broken is one small valid lesson with one mistake;
// lint must report exactly that mistake, at its line, in words that say what
// to do.
func TestBrokenLessonFilesReportFileLineMessage(t *testing.T) {
	tests := []struct{ file, want string }{
		{"any-empty.md", `18: "any:" needs at least one indented check on the lines below it`},
		{"any-no-colon.md", `18: write "any:" with a colon, then the alternatives on the lines below it, indented`},
		{"bad-id.md", `2: id "Broken Lesson" must be lower-case letters, digits and single hyphens, like "broken-lesson"`},
		{"bad-indent.md", `20: indentation does not line up with the line above; only lines under "any:" or "all:" are indented further`},
		{"bad-json-value.md", `17: field value {"x":} is not JSON: invalid character '}' looking for beginning of value`},
		{"bad-path.md", `17: path "accounts/42" must start with /; did you mean "/accounts/42"?`},
		{"bad-status.md", `18: "2000" is not a status code; status codes are numbers from 100 to 599 (several: 200|204)`},
		{"bare-word-value.md", `17: field value hundred is not JSON; text needs double quotes: "hundred"`},
		{"block-in-intro.md", `8: hint block before the first step; put it under a "## Step: title" heading`},
		{"check-in-quiz.md", `33: a quiz is passed by its answer; remove the check block (or make this a "## Step:")`},
		{"duplicate-key.md", `5: title is given twice (first on line 3)`},
		{"empty-check.md", `15: check block is empty; add at least one check, like "request PUT /accounts/42"`},
		{"empty-solution.md", `24: the solution block is empty; write the request lines that complete the step`},
		{"front-matter-line.md", `5: expected "key: value" in the front matter, got "this line has no colon"`},
		{"heading-no-colon.md", `8: write the heading as "## Step: Set the balance" (with a colon)`},
		{"lost-extra.md", `18: lost takes nothing after it; remove "twice"`},
		{"changed-by-stale.md", `18: a request with a stale If-Match is refused (412) and changes nothing; write "changed-by PUT /accounts/42 with If-Match etag" for the guarded update that made the change, or "request PUT /accounts/42 with If-Match stale" for the refusal`},
		{"missing-id.md", `4: the front matter has no id; add "id: …"`},
		{"network-unknown.md", `21: unknown network setting "loose-responses"; did you mean "lose-responses"? (settings: lose-responses, drop-requests, delay, retry)`},
		{"no-check.md", `8: step "Set the balance" has no check block; add one so the step knows when it is done`},
		{"no-front-matter.md", `1: missing front matter: a lesson starts with a line "---", then "id: …", "title: …", "fixture: …" on their own lines, then "---"`},
		{"no-solution.md", `8: step "Set the balance" has no solution block; add the request lines that complete it`},
		{"no-steps.md", `6: the lesson has no steps; add a "## Step: title" or "## Quiz: question" section`},
		{"no-text.md", `8: step "Set the balance" has no text; say what the learner should do`},
		{"no-title.md", `8: the step has no title; write one after "## Step:"`},
		{"quiz-in-step.md", `28: a quiz block belongs under a "## Quiz: question" heading, not under "## Step:"`},
		{"quiz-no-block.md", "32: the quiz has no ```quiz block with its choices"},
		{"quiz-no-box.md", `34: a choice needs a box: "- [ ] text | why it is wrong" or "- [x] text" for the right one`},
		{"quiz-no-right.md", `33: the quiz has no right answer; mark exactly one choice with [x]`},
		{"quiz-no-why.md", `34: wrong choice "PUT /accounts/42/interest" needs a reason: "- [ ] text | why it is wrong"`},
		{"quiz-one-choice.md", `33: a quiz needs at least two choices, one of them marked [x]`},
		{"quiz-two-right.md", `33: the quiz has 2 choices marked [x]; mark exactly one`},
		{"request-count-x.md", `16: request counts with ">= 100" (at least) or "== 100" (exactly), not "x100"`},
		{"request-no-method.md", `16: request needs a method and a path, like "request PUT /accounts/42" or "request POST /customers >= 2"`},
		{"two-checks.md", `20: a second check block in this step (the first is on line 15); put every check in one block (they must all hold)`},
		{"two-suggestions.md", `13: the request block holds one request line (the suggestion); put a sequence of requests in the solution block`},
		{"unclosed-at-end.md", "33: this ``` block is never closed; add a line ``` after its last line"},
		{"unclosed-block.md", "28: this explain block is not closed before line 31; add a line ``` after its last line"},
		{"unclosed-front-matter.md", `1: the front matter that starts here is never closed; add a line "---" after the last key`},
		{"unknown-block.md", `20: unknown block "hnit"; did you mean "hint"? (blocks: request, check, hint, solution, explain, quiz, network, setup, accept)`},
		{"unknown-check.md", `17: unknown check "feild"; did you mean "field"? (checks: request, field, exists, absent, members, status, saw-status, header, sent-header, replayed, lost, new-members, last-request, retried, unchanged, changed-by)`},
		{"unknown-fixture.md", `4: unknown fixture "bnak"; did you mean "bank"? (fixtures: all, bank, customers, empty, flights, payments)`},
		{"unknown-key.md", `3: unknown front matter key "titel"; did you mean "title"? (keys: id, title, summary, fixture, chart)`},
		{"unknown-section.md", `6: unknown section "## Background"; sections are "## Step: title" and "## Quiz: question" (use ### for headings inside the text)`},
		{"url-path.md", `16: path "http://localhost:8080/accounts/42" must start with /; write just the path: "/accounts/42"`},
		{"wildcard-field.md", `17: path "/accounts/*/balance": "*" stands for members only at the end of a request or field check's path, as in "/customers/*"; name one resource here`},
		{"bad-request-line.md", `25: invalid request line at column 30: the body is not valid JSON: a value is missing here: after a colon comes a value, like 100 or "ontime"`},
		{"bad-suggestion.md", `12: invalid request line at column 32: the JSON body is not finished: expected } to close the { at column 18`},
	}
	files, _ := filepath.Glob("testdata/broken/*.md")
	var covered []string
	for _, tt := range tests {
		covered = append(covered, filepath.Join("testdata/broken", tt.file))
		t.Run(strings.TrimSuffix(tt.file, ".md"), func(t *testing.T) {
			name := filepath.Join("testdata/broken", tt.file)
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse(name, data)
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Parse = %v, want Problems", err)
			}
			want := name + ":" + tt.want
			if len(ps) != 1 || ps[0].String() != want {
				t.Errorf("problems:\n%v\nwant exactly:\n%s", ps, want)
			}
		})
	}
	for _, f := range files {
		if !slices.Contains(covered, f) {
			t.Errorf("%s has no expected message in this table", f)
		}
	}
}

func TestParseReadsEveryPartOfALesson(t *testing.T) {
	data, err := os.ReadFile("testdata/good/01-tour.md")
	if err != nil {
		t.Fatal(err)
	}
	l, err := Parse("tour.md", data)
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != "tour" || l.Title != "A tour of every kind of check" || l.Fixture != "all" || l.File != "tour.md" ||
		l.Summary != "Test lesson that uses every check, block and form the format allows." {
		t.Errorf("front matter = %q %q %q %q %q", l.ID, l.Title, l.Fixture, l.File, l.Summary)
	}
	if !strings.Contains(l.Intro, "## Not a heading") || !strings.HasPrefix(l.Intro, "This lesson exists") {
		t.Errorf("intro should keep its code block with a ## line inside; got %q", l.Intro)
	}
	if len(l.Steps) != 7 {
		t.Fatalf("%d steps, want 7", len(l.Steps))
	}
	s := l.Steps[0]
	if s.Title != "Create a customer" || s.Text != "Create the customer Joe with POST." || s.Line != 14 {
		t.Errorf("step 1 = %q %q line %d", s.Title, s.Text, s.Line)
	}
	if s.Suggest != `POST /customers {"name":"Joe","age":"29","city":"ajax"}` {
		t.Errorf("suggest = %q", s.Suggest)
	}
	if len(s.Hints) != 2 || s.Hints[0] != "POST to the collection." {
		t.Errorf("hints = %q", s.Hints)
	}
	if s.Explain != "The server chose the URL: `/customers/1`." {
		t.Errorf("explain = %q", s.Explain)
	}
	if got, want := s.Check.String(), "request POST /customers\nmembers /customers == 1\nheader Location\nstatus 201"; got != want {
		t.Errorf("check =\n%s\nwant\n%s", got, want)
	}
	if got, want := l.Steps[1].Check.String(), "request PUT /customers/*\nfield /customers/1 city \"toronto\"\nany:\n  status 200\n  status 204"; got != want {
		t.Errorf("check =\n%s\nwant\n%s", got, want)
	}
	if s.IsQuiz() || s.Network != nil {
		t.Errorf("step 1 is a quiz or has a network")
	}
	if n := l.Steps[5].Network; n == nil || !n.Faults.LoseResponses || n.Faults.DropRequests || n.Retry != "none" {
		t.Errorf("network = %+v", n)
	}
	if got := l.Steps[3].Solution; !slices.Equal(got, []string{"DELETE /flights/AC789 x2"}) {
		t.Errorf("solution = %q", got)
	}
	q := l.Steps[6]
	if !q.IsQuiz() || q.Check != nil || q.Quiz.Question != "Which method adds interest?" || q.Text != "Pick one." {
		t.Fatalf("quiz step = %+v", q)
	}
	want := []Choice{
		{Text: "PUT /accounts/42/interest", Why: `PUT replaces the state at a URL; "+10%" is not a state.`},
		{Text: "POST /accounts/42/interest", Correct: true, Why: "A processing resource takes POST."},
		{Text: "GET /accounts/42", Why: "GET is safe: it changes nothing."},
	}
	if !slices.Equal(q.Quiz.Choices, want) {
		t.Errorf("choices = %+v\nwant %+v", q.Quiz.Choices, want)
	}
}

func TestParseAcceptsCRLFAndByteOrderMark(t *testing.T) {
	data, err := os.ReadFile("testdata/good/02-flights.md")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Parse("f.md", data)
	if err != nil {
		t.Fatal(err)
	}
	windows := "\uFEFF" + strings.ReplaceAll(string(data), "\n", "\r\n")
	l, err := Parse("f.md", []byte(windows))
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != plain.ID || len(l.Steps) != len(plain.Steps) || l.Steps[1].Check.String() != plain.Steps[1].Check.String() ||
		l.Steps[0].Text != plain.Steps[0].Text || l.Intro != plain.Intro {
		t.Errorf("CRLF lesson differs: %+v vs %+v", l, plain)
	}
}

func TestParseReportsEveryProblemInAFile(t *testing.T) {
	src := "---\nid: x\ntitle: T\nfixture: bank\ncolour: red\n---\n## Step: A\nDo it.\n```check\nfeild /a x 1\nexists b\n```\n```solution\nGET /a\n```\n"
	_, err := Parse("x.md", []byte(src))
	var ps Problems
	errors.As(err, &ps)
	want := []string{
		`x.md:5: unknown front matter key "colour" (keys: id, title, summary, fixture, chart)`,
		`x.md:10: unknown check "feild"; did you mean "field"? (checks: request, field, exists, absent, members, status, saw-status, header, sent-header, replayed, lost, new-members, last-request, retried, unchanged, changed-by)`,
		`x.md:11: path "b" must start with /; did you mean "/b"?`,
	}
	if got := strings.Split(ps.Error(), "\n"); !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", ps.Error(), strings.Join(want, "\n"))
	}
}

func TestParseRejectsTextThatIsNotUTF8(t *testing.T) {
	src := "---\nid: x\ntitle: caf\xe9\nfixture: bank\n---\n## Quiz: Q\n```quiz\n- [x] a\n- [ ] b | c\n```\n"
	_, err := Parse("x.md", []byte(src))
	if err == nil || err.Error() != "x.md:3: the file is not UTF-8 text; save it as UTF-8" {
		t.Errorf("err = %v", err)
	}
}

func TestParseEmptyFile(t *testing.T) {
	for _, src := range []string{"", "\n\n  \n"} {
		l, err := Parse("e.md", []byte(src))
		if l == nil || err == nil || !strings.HasPrefix(err.Error(), "e.md: the file is empty") {
			t.Errorf("Parse(%q) = %v, %v", src, l, err)
		}
	}
}

func TestProblemsFormat(t *testing.T) {
	ps := Problems{{File: "a.md", Line: 3, Msg: "x"}, {File: "dir", Msg: "y"}, {Msg: "z"}}
	if got := ps.Error(); got != "a.md:3: x\ndir: y\nz" {
		t.Errorf("Error() = %q", got)
	}
	if Problems(nil).Err() != nil {
		t.Error("no problems must be a nil error")
	}
}

func TestDidYouMeanCatchesTyposOnly(t *testing.T) {
	tests := []struct{ word, want string }{
		{"feild", "field"}, {"reqeust", "request"}, {"satus", "status"}, {"exist", "exists"},
		{"Field", "field"}, {"balance", ""}, {"x", ""}, {"sawstatus", "saw-status"},
	}
	for _, tt := range tests {
		if got := Closest(tt.word, predicateNames); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// Cutting a valid lesson anywhere must give problems, not a panic (the fuzz
// target explores further).
func TestParseSurvivesTruncatedFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/*/*.md")
	builtin, _ := filepath.Glob("builtin/*.md")
	for _, f := range append(files, builtin...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(data); i += 1 + i%13 {
			Parse(f, data[:i])
		}
	}
}

func TestParseRefusesAHugeFile(t *testing.T) {
	_, err := Parse("big.md", make([]byte, maxLessonSize+1))
	if err == nil || err.Error() != "big.md: the file is 1048577 bytes; a lesson file may be at most 1 MiB" {
		t.Errorf("err = %v", err)
	}
}

func TestEditDistanceCountsSwapsAsOneEdit(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"next", "next", 0}, {"nxet", "next", 1}, {"kitten", "sitting", 3}, {"ab", "ba", 1},
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
