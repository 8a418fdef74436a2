package chart

import (
	"math"
	"strings"
	"testing"
)

// column returns the cells of plot column i, top row first.
func column(rows []string, i int) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteRune([]rune(r)[i])
	}
	return b.String()
}

func TestFlatSeriesIsDrawnHalfWayUpNotOnTheFloor(t *testing.T) {
	for _, rows := range []int{1, 2, 4, 8} {
		plot := PlotRows([]float64{100, 100, 100}, 100, 100, rows)
		for i := range 3 {
			col := column(plot, i)
			if strings.TrimSpace(col) == "" {
				t.Fatalf("%d rows: a flat series draws nothing in column %d", rows, i)
			}
			// Exactly one cell, in the middle row (counted from the top).
			if n := len([]rune(strings.ReplaceAll(col, " ", ""))); n != 1 {
				t.Errorf("%d rows: column %d is %q, want a single cell: a line", rows, i, col)
			}
		}
		if rows > 1 {
			top := plot[rows-1-(FlatLevel(rows)-1)/8]
			if strings.TrimSpace(top) == "" {
				t.Errorf("%d rows: the flat line is not in the middle: %q", rows, plot)
			}
			if strings.TrimSpace(plot[rows-1]) != "" {
				t.Errorf("%d rows: a flat series sits on the floor: %q", rows, plot)
			}
		}
	}
	if got := Sparkline([]float64{5, 5, 5, 5}, 10); got != "▄▄▄▄" {
		t.Errorf("flat sparkline %q, want ▄▄▄▄ (half-way up)", got)
	}
}

func TestChartScalesFromTheSmallestToTheLargestValue(t *testing.T) {
	// 80 → 100 ×3: the first column is the floor, the others the top.
	plot := PlotRows([]float64{80, 100, 100, 100}, 80, 100, 4)
	if got := column(plot, 0); got != "   ▁" {
		t.Errorf("the smallest value draws %q, want the lowest eighth", got)
	}
	if got := column(plot, 1); got != "████" {
		t.Errorf("the jump draws %q, want a connected bar to the top", got)
	}
	for i := 2; i < 4; i++ {
		if got := column(plot, i); got != "█   " {
			t.Errorf("column %d of the flat part draws %q, want one cell at the top", i, got)
		}
	}
	// A sparkline of values far from zero still uses its whole height.
	if got := Sparkline([]float64{1000, 1001}, 2); got != "▁█" {
		t.Errorf("sparkline of 1000, 1001 is %q, want ▁█", got)
	}
}

func TestCompoundingDrawsARisingCurve(t *testing.T) {
	var vals []float64
	for i := range 101 {
		vals = append(vals, 100*math.Pow(1.1, float64(i)))
	}
	lo, hi := MinMax(vals)
	plot := PlotRows(Resample(vals, 40), lo, hi, 8)
	// The top cell of each column never goes down, and it ends at the top.
	prev := -1
	for i := range 40 {
		col := column(plot, i)
		top := strings.IndexFunc(col, func(r rune) bool { return r != ' ' })
		height := len([]rune(col)) - top
		if height < prev {
			t.Fatalf("column %d is lower than the one before: %q", i, plot)
		}
		prev = height
	}
	if column(plot, 39)[0] == ' ' {
		t.Errorf("the largest value does not reach the top: %q", plot)
	}
}

func TestResampleKeepsTheWholeHistory(t *testing.T) {
	vals := make([]float64, 201)
	for i := range vals {
		vals[i] = float64(i)
	}
	got := Resample(vals, 51)
	if len(got) != 51 || got[0] != 0 || got[50] != 200 {
		t.Fatalf("resample to 51: len %d, first %v, last %v", len(got), got[0], got[len(got)-1])
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("resampled values out of order at %d: %v", i, got)
		}
	}
	if short := Resample(vals[:5], 51); len(short) != 5 {
		t.Errorf("fewer values than columns were stretched: %v", short)
	}
}

func TestTheTallestBarReachesTheTop(t *testing.T) {
	values := make([]float64, 500)
	for i := range values {
		values[i] = float64(i % 7)
	}
	values[251] = 1000 // a peak between two sampled columns
	cols := Resample(values, 40)
	if lo, hi := MinMax(cols); hi != 1000 || lo != 0 {
		t.Errorf("resampled extremes %v..%v, want 0..1000", lo, hi)
	}
	top := PlotRows(cols, 0, 1000, 4)[0]
	if !strings.ContainsRune(top, '█') {
		t.Errorf("no bar reaches the top row: %q", top)
	}
}

func TestShortKeepsTextThatFitsAndShortensTheRest(t *testing.T) {
	for _, tc := range []struct {
		text  string
		v     float64
		width int
		want  string
	}{
		{"80.00", 80, 5, "80.00"},
		{"19759574423565853184493529619014434864096378.40", 1.9759574423565853e43, 20, "1.98e+43"},
		{"1234567.89", 1234567.89, 6, "1.23e+06"},
		{"-0.000012345", -0.000012345, 8, "-1.23e-05"},
	} {
		if got := Short(tc.text, tc.v, tc.width); got != tc.want {
			t.Errorf("Short(%q, %v, %d) = %q, want %q", tc.text, tc.v, tc.width, got, tc.want)
		}
	}
}

// A value beyond float64's range is not drawn: the line stops at the last
// value that could be, and the scale is set by those.
func TestPlotStopsAtAValueTooLargeToDraw(t *testing.T) {
	values := []float64{1, 2, math.Inf(1), math.Inf(1)}
	if lo, hi := Extremes(values); lo != 0 || hi != 1 {
		t.Errorf("Extremes = %d, %d; want 0, 1", lo, hi)
	}
	rows := PlotRows(values, 1, 2, 2)
	for _, r := range rows {
		if got := []rune(r); got[2] != ' ' || got[3] != ' ' {
			t.Errorf("the columns of values too large are drawn: %q", rows)
		}
	}
	if lo, hi := Extremes([]float64{math.Inf(1)}); lo != 0 || hi != 0 {
		t.Errorf("Extremes of nothing drawable = %d, %d; want 0, 0", lo, hi)
	}
}
