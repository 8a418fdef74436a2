package plain

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// hostileSession sends requests from the network, then plays line mode's
// commands that show them, with colour so its own styling is in play too.
func hostileSession(t *testing.T, send func(srv *sim.Server)) string {
	t.Helper()
	srv := sim.New(sim.Options{})
	send(srv)
	var out bytes.Buffer
	in := strings.NewReader("log all\nwire 1\nwire 2\nwire 3\nwire 4\nstate\n")
	sess := newSession(t, session.Options{Mode: session.Sandbox, Server: srv})
	if err := Run(context.Background(), Options{Session: sess, In: in, Out: &out, Color: true}); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// colours accepts line mode's own SGR sequences: attributes, and the
// colours it uses for titles, good and bad lines and code.
func colours(params string) bool {
	switch params {
	case "31", "32", "36":
		return true
	}
	return termsafe.Attributes(params)
}

func TestLineModeShowsZeroWidthAndEveryOtherHostileCharacterEscaped(t *testing.T) {
	out := hostileSession(t, func(srv *sim.Server) {
		r := httptest.NewRequest("PUT", "/flights/evil", strings.NewReader(`{"status":"a\u200bb\u202ec\u009bd\u0085","\u001b]8;;https://evil.example\u0007CLICKME":1}`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Evil", "\x1b]0;title\x07")
		srv.ServeHTTP(httptest.NewRecorder(), r)
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/accounts/\xff%E2%80%8B%E2%80%AE", nil))
	})
	if err := termsafe.CheckStyled(out, colours); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{`\u200b`, `\u202e`, `\u009b`, `\u001b]8;;https://evil.example\u0007CLICKME`, `X-Evil: \x1b]0;title\x07`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}

func FuzzLineModeShowsOutsideTextEscaped(f *testing.F) {
	f.Add("accounts/42", `{"balance":5}`, "x")
	f.Add("flights/%1b%5b2J\u202e", `{"\u001b]8;;x\u0007":"\u009b","n":1}`, "\x1b[5m")
	f.Fuzz(func(t *testing.T, path, body, header string) {
		out := hostileSession(t, func(srv *sim.Server) {
			for _, m := range []string{"PUT", "POST", "GET", "PATCH"} {
				r, err := http.NewRequest(m, "http://127.0.0.1:8080/", strings.NewReader(body))
				if err != nil {
					return
				}
				r.URL.Path = "/" + path
				r.RemoteAddr = "127.0.0.1:5555"
				r.Header.Set("Content-Type", "application/json")
				r.Header["X-F"] = []string{header}
				srv.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
		// Line mode keeps tabs (a body's indentation); they move nothing
		// but the cursor to the next tab stop.
		if err := termsafe.CheckStyled(strings.ReplaceAll(out, "\t", " "), colours); err != nil {
			t.Fatal(err)
		}
	})
}
