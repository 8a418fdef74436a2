package tui

import (
	"strings"
	"testing"
)

// TestChartShowsFirstAndLastValues: after PUT ×100 and POST interest ×100
// the chart's axis and footer give the range and the first and last values,
// and the flat part and the curve are both on screen.
func TestChartShowsFirstAndLastValues(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, `PUT /accounts/42 {"balance": 100} x100`)
	sendPut(d, `POST /accounts/42/interest {"rate": 0.10} x100`)
	last := d.m.srv.series.CurText
	d.mustContain("first 80.00 → last "+last, "200 requests", last+" ┤", "80.00 ┤")
	// The flat run of PUTs is on the floor row, left of the curve.
	for _, ln := range strings.Split(d.screen(), "\n") {
		if strings.Contains(ln, "80.00 ┤") && !strings.Contains(ln, "▁▁▁▁▁▁▁▁▁▁") {
			t.Errorf("the flat part is not drawn along the floor: %q", ln)
		}
	}
}

func TestUndoAddsAPointToTheChart(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, `PUT /accounts/42 {"balance": 100}`)
	n := len(d.m.srv.series.Values)
	d.keys("u")
	if len(d.m.srv.series.Values) != n+1 || d.m.srv.series.Values[n] != 80 {
		t.Errorf("chart after undo: %v, want a point back at 80", d.m.srv.series.Values)
	}
}

// Values too long to read at the chart's width (interest compounded a
// thousand times) are given to three significant figures, on the axis and
// in the lines above and below it, rather than cut or left out.
func TestChartLabelsHugeValuesShort(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, `POST /accounts/42/interest {"rate": 0.10} x1000`)
	d.mustContain("1.98e+43 ┤", "80.00 ┤", "first 80.00 → last 1.98e+43", "balance of /accounts/42 = 1.98e+43")
}

// TestAValueTooLargeToPlotKeepsItsChart: interest posted until the balance
// passes float64's range (the server keeps it exact) leaves the chart on
// the balance, saying it is too large to plot, its line stopped at the last
// value it could draw, rather than jumping to another resource; and c
// steps through a few transactions' fields, not every one.
func TestAValueTooLargeToPlotKeepsItsChart(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, `PUT /accounts/42 {"balance":1e308}`)
	sendPut(d, `POST /accounts/42/interest {"rate":1} x10`)
	d.mustContain("balance of /accounts/42 = 1.02e+311", "too large to plot", "1e308 ┤")
	if got := d.m.srv.series.Values; len(got) < 3 || got[len(got)-1] <= 1e308 {
		t.Errorf("the series lost the balance after it passed float64's range: %v", got)
	}
	seen := map[string]bool{}
	for range 40 {
		d.keys("c")
		seen[d.m.srv.series.Spec.Label()] = true
	}
	if len(seen) > 12 {
		t.Errorf("c steps through %d values, want the count, the balance and a few transactions' fields:\n%v", len(seen), seen)
	}
	if !seen["balance of /accounts/42"] || !seen["amount of /accounts/42/transactions/1"] || seen["amount of /accounts/42/transactions/10"] {
		t.Errorf("c steps through %v", seen)
	}
}
