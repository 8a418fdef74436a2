// Package chart follows one value of the simulated server (the balance by
// default) after every exchange and draws it with block characters, so that
// PUT ×100 draws a flat line and POST interest ×100 a curve. The full
// screen's server pane and the presenter both draw from it.
//
// A plot is scaled from the smallest to the largest value; a series that
// never changes is drawn half-way up, so that "flat" is visible and not
// mistaken for an empty chart. When there are more values than columns, the
// whole history is squeezed into the width (the first and the last value
// always keep their column), so the flat part and the curve stay side by
// side.
package chart

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Short is text, a value as the server wrote it, when it takes at most
// width characters; a longer one (interest compounded a thousand times) is
// the value to three significant figures, such as 1.98e+43, which still
// says how far it went where cut digits would not — read from the text
// when v is beyond float64's range (±Inf).
func Short(text string, v float64, width int) string {
	if utf8.RuneCountInString(text) <= width {
		return text
	}
	if math.IsInf(v, 0) {
		if f, ok := new(big.Float).SetString(text); ok {
			return f.Text('g', 3)
		}
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// sparkBlocks are the eighths of a cell, from one eighth to a full block.
var sparkBlocks = []rune("▁▂▃▄▅▆▇█")

// Resample picks width values from values, evenly spread over the whole
// series, keeping the first and the last, and the smallest and the largest
// (in the nearest column), so that the tallest bar reaches the top and the
// lowest the bottom, as the axis labels say. Fewer values than columns are
// returned as they are.
func Resample(values []float64, width int) []float64 {
	n := len(values)
	if width <= 0 || n == 0 {
		return nil
	}
	if n <= width {
		return values
	}
	if width == 1 {
		return values[n-1:]
	}
	idx := make([]int, width)
	for i := range idx {
		idx[i] = int(math.Round(float64(i) * float64(n-1) / float64(width-1)))
	}
	iLo, iHi := Extremes(values)
	for _, keep := range []int{iLo, iHi} {
		if keep == 0 || keep == n-1 || width < 3 {
			continue // the first and the last values always have a column
		}
		col := int(math.Round(float64(keep) * float64(width-1) / float64(n-1)))
		idx[min(max(col, 1), width-2)] = keep
	}
	out := make([]float64, width)
	for i, j := range idx {
		out[i] = values[j]
	}
	return out
}

// PlotRows draws values as a line rows cells high, top row first, scaled so
// that lo is the lowest eighth of a cell and hi the top one; lo == hi draws
// every column half-way up. Each column is drawn from its value down to the
// previous column's, so a jump stays connected and a flat run is a line.
// A value beyond float64's range (±Inf) leaves its column empty: the line
// stops at the last value it could draw.
func PlotRows(values []float64, lo, hi float64, rows int) []string {
	if rows <= 0 {
		return nil
	}
	total := rows * 8
	levels := make([]int, len(values)) // in eighths, 1..total; 0: not drawn
	for i, v := range values {
		if !finite(v) {
			continue
		}
		lv := FlatLevel(rows)
		if hi > lo {
			lv = 1 + int(math.Round((v-lo)/(hi-lo)*float64(total-1)))
		}
		levels[i] = min(max(lv, 1), total)
	}
	grid := make([][]rune, rows)
	for r := range grid {
		grid[r] = []rune(strings.Repeat(" ", len(levels)))
	}
	for i, lv := range levels {
		if lv == 0 {
			continue
		}
		from := lv
		if i > 0 && levels[i-1] > 0 {
			from = min(from, levels[i-1])
		}
		top := (lv - 1) / 8      // the row (from the bottom) the value ends in
		bottom := (from - 1) / 8 // the lowest row the column reaches
		for rb := bottom; rb <= top; rb++ {
			fill := 8
			if rb == top {
				fill = lv - top*8
			}
			grid[rows-1-rb][i] = sparkBlocks[fill-1]
		}
	}
	out := make([]string, rows)
	for r, row := range grid {
		out[r] = string(row)
	}
	return out
}

// FlatLevel is where a series that never changed is drawn, in eighths from
// the bottom: half-way up the middle row, or just above the middle when the
// number of rows is even, so that it reads as a line in the middle.
func FlatLevel(rows int) int {
	if rows%2 == 1 {
		return rows/2*8 + 4
	}
	return rows/2*8 + 1
}

// FlatRow is the row, counted from the top, that a series that never
// changed is drawn in.
func FlatRow(rows int) int { return rows - 1 - (FlatLevel(rows)-1)/8 }

// Sparkline is a one-row plot of the whole series squeezed into width.
func Sparkline(values []float64, width int) string {
	cols := Resample(values, width)
	if len(cols) == 0 {
		return ""
	}
	lo, hi := MinMax(values)
	return PlotRows(cols, lo, hi, 1)[0]
}

// MinMax returns the smallest and largest values (0, 0 for none).
func MinMax(values []float64) (lo, hi float64) {
	i, j := Extremes(values)
	if i < 0 {
		return 0, 0
	}
	return values[i], values[j]
}

// Extremes returns the indexes of the smallest and largest values that can
// be plotted (finite), 0 when none can, -1 for an empty series.
func Extremes(values []float64) (lo, hi int) {
	if len(values) == 0 {
		return -1, -1
	}
	lo, hi = -1, -1
	for i, v := range values {
		if !finite(v) {
			continue
		}
		if lo < 0 || v < values[lo] {
			lo = i
		}
		if hi < 0 || v > values[hi] {
			hi = i
		}
	}
	if lo < 0 {
		return 0, 0
	}
	return lo, hi
}

func finite(v float64) bool { return !math.IsInf(v, 0) && !math.IsNaN(v) }
