package main

import (
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// collectorSettings reads the garbage collector's target (-1: off) and
// memory limit without changing them.
func collectorSettings() (percent, limit int64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
}

// The collector waits for the full screen's first frame, with the heap
// capped, and afterwards runs as it did before: a long session's heap is
// collected as usual.
func TestTheCollectorRunsAgainAfterTheFirstFrame(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 40))
	collectAfterFirstFrame()
	if percent, limit := collectorSettings(); limit != startUpHeapLimit {
		t.Errorf("while the first frame is drawn: target %d%%, limit %d; want the limit %d", percent, limit, startUpHeapLimit)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		percent, limit := collectorSettings()
		if percent == 150 && limit == 1<<40 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s after start the collector's target is %d%% and its limit %d, not 150%% and %d as before", percent, limit, int64(1<<40))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
