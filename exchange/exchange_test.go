package exchange

import (
	"net/http"
	"testing"

	"github.com/putpost/putpost/sim"
)

func TestStatusSaysWhatTheNetworkDid(t *testing.T) {
	ok := sim.Event{Response: sim.Message{Status: 201}}
	lost := sim.Event{Response: sim.Message{Status: 201}, Fault: sim.FaultLostResponse}
	replayed := sim.Event{Response: sim.Message{Status: 200}, Replayed: true}
	dropped := sim.Event{Fault: sim.FaultDropped}
	for _, c := range []struct {
		ev   sim.Event
		want string
	}{
		{ok, "201 Created"}, {lost, "201 Created, response lost"}, {replayed, "200 OK, replayed"}, {dropped, "request dropped"},
	} {
		if got := Status(c.ev); got != c.want {
			t.Errorf("Status = %q, want %q", got, c.want)
		}
	}
}

func TestHeadersAreTheKeyOnesInOrder(t *testing.T) {
	ev := sim.Event{Response: sim.Message{Status: 201, Header: http.Header{
		"Etag": {`"v1"`}, "Location": {"/payments/1"}, "Content-Type": {"application/json"},
	}}}
	got := Headers(ev)
	if len(got) != 2 || got[0] != (Header{"Location", "/payments/1"}) || got[1] != (Header{"ETag", `"v1"`}) {
		t.Errorf("Headers = %+v", got)
	}
}
