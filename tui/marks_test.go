package tui

import "testing"

// TestAnExchangeThatChangedNothingClearsTheMarks: the ● marks say what the
// newest exchange did. After a PUT the flight is marked with its change;
// a later request that changed nothing (a 405, a 415, a 404, a GET) leaves
// no mark that could read as its doing. An undo marks what it reverted.
func TestAnExchangeThatChangedNothingClearsTheMarks(t *testing.T) {
	const put = `PUT /flights/AA123 {"gate":"b1","status":"delayed"}`
	for _, tc := range []struct{ name, line, status string }{
		{"405", `POST /flights/AA123 {"gate":"b2"}`, "405 Method Not Allowed"},
		{"415", `curl -X PUT http://localhost/flights/AA123 -H 'Content-Type: text/plain' -d 'b2'`, "415 Unsupported Media Type"},
		{"404", `GET /flights/ZZ999`, "404 Not Found"},
		{"GET", `GET /flights/AA123`, "200 OK"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t, 120, 40, testOpts{sandbox: true})
			sendPut(d, put)
			d.mustContain("● /flights/AA123", `gate "a7" → "b1"`)
			sendPut(d, tc.line)
			d.mustContain(tc.status)
			d.mustNotContain("● /flights/AA123", `gate "a7" → "b1"`)
			d.keys("u")
			d.mustContain("● /flights/AA123", `gate "b1" → "a7"`)
		})
	}
}

// TestTheLastExchangeSaysAnUndoCameAfterIt: under the state, the newest
// exchange stays shown after an undo, and its heading says the undo came
// after it, so its body is not read as what the server holds now.
func TestTheLastExchangeSaysAnUndoCameAfterIt(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{sandbox: true})
	sendPut(d, `PUT /flights/AA123 {"gate":"b1","status":"delayed"}`)
	d.mustContain("last exchange · #")
	d.mustNotContain("before the undo")
	d.keys("u")
	d.mustContain("before the undo #")
	sendPut(d, `GET /flights/AA123`)
	d.mustNotContain("before the undo")
}
