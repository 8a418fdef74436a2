package present

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemoCaptionsAndNotesBelongToTheNextLine(t *testing.T) {
	d, err := ParseDemo("d.txt", []byte("# The title\n\n# first caption\n#> first note\nGET /accounts/42\nfaults on\n# second\n## also second\n#>   note two  \nPOST /payments {\"amount\":1} x3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "The title" || len(d.Steps) != 3 {
		t.Fatalf("title %q, %d steps", d.Title, len(d.Steps))
	}
	s := d.Steps
	if s[0].Line != 5 || s[0].Kind != StepRequest || strings.Join(s[0].Captions, "|") != "first caption" || strings.Join(s[0].Notes, "|") != "first note" {
		t.Errorf("step 1: %+v", s[0])
	}
	if s[1].Kind != StepFaults || s[1].Faults != "on" || s[1].Captions != nil {
		t.Errorf("step 2: %+v", s[1])
	}
	if s[2].Request.Repeat != 3 || strings.Join(s[2].Captions, "|") != "second|also second" || strings.Join(s[2].Notes, "|") != "note two" {
		t.Errorf("step 3: %+v", s[2])
	}
}

func TestBadDemoLinesSayWhereAndWhat(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"", "d.txt: no requests"},
		{"# only a title\n# and a caption\n", "d.txt: no requests"},
		{"GET /a\nfaults maybe\n", `d.txt:2: unknown faults setting "maybe"`},
		{"faults\n", "d.txt:1: faults needs one setting"},
		{"retry sometimes\n", "d.txt:1: "},
		{"undo now\n", "d.txt:1: undo takes nothing after it"},
		{"GET /a\n\nnext\n", `d.txt:3: "next" is not something a demo can play`},
		{"PUT /accounts/42 {\"balance\":\n", "d.txt:1: column"},
		{"GET /a\xff\n", "d.txt: the file is not UTF-8"},
	} {
		_, err := ParseDemo("d.txt", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseDemo(%q) = %v, want %q", c.src, err, c.want)
		}
	}
	if _, err := ParseDemo("d.txt", []byte(strings.Repeat("GET /a\n", MaxSteps+1))); err == nil || !strings.Contains(err.Error(), "up to 1000 steps") {
		t.Errorf("too many steps: %v", err)
	}
}

func TestLowerCaseMethodsAndCurlAreRequests(t *testing.T) {
	d, err := ParseDemo("d.txt", []byte("get /accounts/42\ncurl -X PUT http://localhost/accounts/42 -d '{\"balance\":1}'\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Steps[0].Kind != StepRequest || d.Steps[1].Kind != StepRequest || d.Steps[1].Request.Method != "PUT" {
		t.Errorf("steps %+v", d.Steps)
	}
}

func TestBigDigitsAreAsWideAsTheySay(t *testing.T) {
	for _, s := range []string{"0", "80.00", "-1,378,177.24", "×1.10", "+20", "abc"} {
		for _, scale := range []int{0, 1, 2, 3} {
			rows := bigText(s, scale)
			if len(rows) != bigHeight(scale) {
				t.Errorf("%q at %d: %d rows, want %d", s, scale, len(rows), bigHeight(scale))
			}
			for _, r := range rows {
				if n := len([]rune(r)); n != bigWidth(s, scale) {
					t.Errorf("%q at %d: row of %d columns, want %d", s, scale, n, bigWidth(s, scale))
				}
			}
		}
	}
}

func TestDescribeChange(t *testing.T) {
	for _, c := range []struct {
		prev, cur float64
		pt, ct    string
		want      string
	}{
		{80, 100, "80.00", "100.00", "+20.00 ×1.25"},
		{100, 110, "100.00", "110.00", "+10.00 ×1.10"},
		{100, 70, "100.00", "70.00", "-30.00 ×0.70"},
		{100, 100, "100.00", "100.00", "unchanged"},
		{2, 3, "2", "3", "+1 ×1.50"},
		{0, 5, "0", "5", "+5"},
	} {
		if got := describeChange(c.prev, c.cur, c.pt, c.ct); got != c.want {
			t.Errorf("describeChange(%v, %v) = %q, want %q", c.prev, c.cur, got, c.want)
		}
	}
}

func TestWatchLineChoosesTheBigValue(t *testing.T) {
	d, err := ParseDemo("d.txt", []byte("# t\n#! watch resources\nPOST /payments {\"amount\":1}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Watched || d.Watch.Field != "" {
		t.Errorf("watch: %v %+v", d.Watched, d.Watch)
	}
	dr := newDriver(t, d, 80, 24)
	dr.keys("space")
	if dr.m.series.Spec.Label() != "resources stored" || !strings.HasPrefix(dr.m.change, "+1 ×") {
		t.Errorf("watching %q, change %q", dr.m.series.Spec.Label(), dr.m.change)
	}
	if _, err := ParseDemo("d.txt", []byte("#! watch the balance\nGET /a\n")); err == nil || !strings.HasPrefix(err.Error(), "d.txt:1: a #! line is") {
		t.Errorf("a bad watch line: %v", err)
	}
}

func TestShortSeriesAreStretchedToBeSeen(t *testing.T) {
	got := stretch([]float64{1, 2}, 100)
	if len(got) != 12 || got[0] != 1 || got[5] != 1 || got[6] != 2 {
		t.Errorf("stretch of 2 values over 100 columns: %v", got)
	}
	long := make([]float64, 90)
	if len(stretch(long, 100)) != 90 {
		t.Error("a series nearly as wide as the chart was stretched")
	}
}

func TestAFolderOfDemosIsReadByNameAndCheckedWhole(t *testing.T) {
	write := func(dir, name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	write(dir, "retry-story.txt", "# A retry story\nGET /accounts/42\n")
	write(dir, "README.md", "not a demo")
	if err := os.Mkdir(filepath.Join(dir, "old.txt"), 0o700); err != nil {
		t.Fatal(err)
	}
	demos, err := LoadDemoDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(demos) != 1 || demos[0].Name != "retry-story" || demos[0].Title != "A retry story" {
		t.Fatalf("demos: %+v", demos)
	}

	for _, c := range []struct{ name, src, want string }{
		{"broken.txt", "GET /a\nfaults maybe\n", `broken.txt:2: unknown faults setting "maybe"`},
		{DefaultDemo + ".txt", "GET /a\n", `"put-vs-post" is a built-in demo's name; rename the file`},
		{"two words.txt", "GET /a\n", "can have only letters, digits"},
	} {
		bad := t.TempDir()
		write(bad, "fine.txt", "GET /a\n")
		write(bad, c.name, c.src)
		if _, err := LoadDemoDir(bad); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := LoadDemoDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no demo files (NAME.txt)") {
		t.Errorf("an empty folder: %v", err)
	}
	if _, err := LoadDemoDir(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing folder was read")
	}
}

// A value too long to read (interest compounded a thousand times) is drawn
// to three significant figures, in the big digits, on the axis and below
// the chart, as the full screen draws it.
func TestHugeValuesAreDrawnShort(t *testing.T) {
	d, err := ParseDemo("d.txt", []byte("# t\n#! watch balance of /accounts/42\nPOST /accounts/42/interest {\"rate\":0.1} x1000\n"))
	if err != nil {
		t.Fatal(err)
	}
	dr := newDriver(t, d, 120, 40)
	dr.keys("space")
	text := dr.text()
	for _, want := range []string{"1.98e+43 ┤", "→ last 1.98e+43"} {
		if !strings.Contains(text, want) {
			t.Errorf("the screen lacks %q:\n%s", want, text)
		}
	}
	if got := valueText(dr.m); got != "1.98e+43" {
		t.Errorf("the big digits draw %q, want 1.98e+43", got)
	}
}
