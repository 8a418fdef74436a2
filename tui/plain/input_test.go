package plain

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func collectLines(r io.Reader) []inputLine {
	ch := make(chan inputLine)
	done := make(chan struct{})
	defer close(done)
	go readLines(r, ch, done)
	var got []inputLine
	for l := range ch {
		got = append(got, l)
	}
	return got
}

func TestReadLinesSplitsOnAnyLineEnding(t *testing.T) {
	got := collectLines(strings.NewReader("one\r\ntwo\n\nthree"))
	want := []string{"one", "two", "", "three"}
	if len(got) != len(want) {
		t.Fatalf("got %d lines %+v, want %q", len(got), got, want)
	}
	for i := range want {
		if got[i].text != want[i] || got[i].tooLong != 0 || got[i].err != nil {
			t.Errorf("line %d = %+v, want %q", i, got[i], want[i])
		}
	}
}

func TestReadLinesReportsLongLinesWholeAndGoesOn(t *testing.T) {
	for _, n := range []int{MaxLine, MaxLine + 1, MaxLine + 2, 3 * MaxLine} {
		in := "before\n" + strings.Repeat("x", n) + "\r\nafter\n"
		got := collectLines(strings.NewReader(in))
		if len(got) != 3 || got[0].text != "before" || got[2].text != "after" {
			t.Fatalf("n=%d: lines = %d, want before, long, after", n, len(got))
		}
		switch {
		case n <= MaxLine && (got[1].tooLong != 0 || len(got[1].text) != n):
			t.Errorf("n=%d: a line at the limit must be read, got tooLong=%d len=%d", n, got[1].tooLong, len(got[1].text))
		case n > MaxLine && (got[1].tooLong != n || got[1].text != ""):
			t.Errorf("n=%d: tooLong = %d, want %d and no text", n, got[1].tooLong, n)
		}
	}
}

func TestReadLinesPassesOnReadErrors(t *testing.T) {
	boom := errors.New("boom")
	got := collectLines(io.MultiReader(strings.NewReader("ok\n"), iotest.ErrReader(boom)))
	if len(got) != 2 || got[0].text != "ok" || !errors.Is(got[1].err, boom) {
		t.Fatalf("got %+v, want ok then the error", got)
	}
}
