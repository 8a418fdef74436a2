package request_test

import (
	"context"
	"fmt"
	"os"

	"github.com/putpost/putpost/request"
	"github.com/putpost/putpost/sim"
)

// One exchange of a session, as the curl command a learner can paste.
func ExampleLine_CurlCommand() {
	s := sim.New(sim.Options{})
	r, _ := request.Parse(`PUT /accounts/42 {"balance": 100} -H 'Idempotency-Key: "k1"'`)
	req, _ := r.NewRequest(context.Background())
	resp, _ := s.Client(sim.SourceComposer).Do(req)
	resp.Body.Close()

	e := s.EventsSince(0)[0]
	fmt.Println(request.FromMessage(e.Request).CurlCommand("http://127.0.0.1:8080"))
	// Output:
	// curl -i -X PUT http://127.0.0.1:8080/accounts/42 -H 'Content-Type: application/json' -H 'Idempotency-Key: "k1"' --data-raw '{"balance": 100}'
}

func ExampleWriteShell() {
	r, _ := request.Parse(`POST /accounts/42/interest {"rate": 0.1} x2`)
	request.WriteShell(os.Stdout, []request.Line{r}, "lesson 5: interest is not idempotent")
	// Output:
	// #!/bin/sh
	// # lesson 5: interest is not idempotent
	// # Sends 2 requests with curl. Point it at a server with PUTPOST_URL=http://HOST:PORT (default http://127.0.0.1:8080).
	// set -eu
	// base=${PUTPOST_URL:-http://127.0.0.1:8080}
	// base=${base%/}
	//
	// i=0
	// while [ "$i" -lt 2 ]; do
	//   i=$((i + 1))
	//   curl -sS -o /dev/null -w '%{http_code} POST /accounts/42/interest\n' -X POST "$base"/accounts/42/interest -H 'Content-Type: application/json' --data-raw '{"rate": 0.1}'
	// done
}

func ExampleWriteHTTP() {
	r, _ := request.Parse(`PATCH /flights/AC789 {"gate": "B12"}`)
	if err := request.WriteHTTP(os.Stdout, []request.Line{r}, ""); err != nil {
		fmt.Println(err)
	}
	// Output:
	// @base = http://127.0.0.1:8080
	//
	// ### 1
	// PATCH {{base}}/flights/AC789
	// Content-Type: application/merge-patch+json
	//
	// {"gate": "B12"}
}
