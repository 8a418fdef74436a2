package classroom

import (
	"bytes"
	"testing"
)

func TestWishLogLeavesOutOrdinaryDisconnectsOnly(t *testing.T) {
	var b bytes.Buffer
	w := disconnectsLeftOut{&b}
	w.Write([]byte(`ERROR app exit with error error="program was killed: context canceled"` + "\n"))
	if b.Len() != 0 {
		t.Errorf("a learner leaving was logged as an error: %q", b.String())
	}
	w.Write([]byte("ERROR could not start session: pty request refused\n"))
	if !bytes.Contains(b.Bytes(), []byte("pty request refused")) {
		t.Errorf("another error was dropped: %q", b.String())
	}
}
