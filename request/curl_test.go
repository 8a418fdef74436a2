package request

import (
	"net/http"
	"testing"
)

func TestParseAcceptsCurlCommands(t *testing.T) {
	form := "application/x-www-form-urlencoded"
	none := http.Header{}
	checkGoodLines(t, []goodLine{
		{"put with JSON", `curl -X PUT http://localhost:8080/accounts/42 -H 'Content-Type: application/json' -d '{"balance":100}'`,
			Line{Method: "PUT", Target: "/accounts/42", Header: lineHeader("Content-Type", "application/json"), Body: `{"balance":100}`, Repeat: 1, Curl: true}},
		{"plain get", `curl http://localhost:8080/flights`,
			Line{Method: "GET", Target: "/flights", Header: none, Repeat: 1, Curl: true}},
		{"-d means POST with a form content type", `curl -d '{"name":"Joe"}' http://localhost:8080/customers`,
			Line{Method: "POST", Target: "/customers", Header: lineHeader("Content-Type", form), Body: `{"name":"Joe"}`, Repeat: 1, Curl: true}},
		{"data options are joined with &", `curl -d 'a=1' --data b=2 --data-ascii c=3 localhost:8080/customers`,
			Line{Method: "POST", Target: "/customers", Header: lineHeader("Content-Type", form), Body: "a=1&b=2&c=3", Repeat: 1, Curl: true}},
		{"--json sets content type and accept", `curl --json '{"amount":5}' https://example.com/payments`,
			Line{Method: "POST", Target: "/payments", Header: lineHeader("Accept", "application/json", "Content-Type", "application/json"), Body: `{"amount":5}`, Repeat: 1, Curl: true}},
		{"a header overrides --json", `curl --json '{}' -H 'Accept: text/plain' /payments`,
			Line{Method: "POST", Target: "/payments", Header: lineHeader("Accept", "text/plain", "Content-Type", "application/json"), Body: `{}`, Repeat: 1, Curl: true}},
		{"long options", `curl --request PATCH --header 'Content-Type: application/merge-patch+json' --data-raw '{"gate":"b2"}' /flights/AA123`,
			Line{Method: "PATCH", Target: "/flights/AA123", Header: lineHeader("Content-Type", "application/merge-patch+json"), Body: `{"gate":"b2"}`, Repeat: 1, Curl: true}},
		{"clustered flags, attached values, removed header, repeat", `curl -sSi -XPOST /customers -H'Content-Type:' -d hello x4`,
			Line{Method: "POST", Target: "/customers", Header: none, Body: "hello", Repeat: 4, Curl: true}},
		{"-G puts the data in the query", `curl -G -d 'status=late' -d 'gate=b 2' http://localhost/flights`,
			Line{Method: "GET", Target: "/flights?status=late&gate=b%202", Header: none, Repeat: 1, Curl: true}},
		{"-G appends to a query", `curl --get -d b=2 'http://localhost/flights?a=1'`,
			Line{Method: "GET", Target: "/flights?a=1&b=2", Header: none, Repeat: 1, Curl: true}},
		{"-I is HEAD", `curl -I /flights`,
			Line{Method: "HEAD", Target: "/flights", Header: none, Repeat: 1, Curl: true}},
		{"--head is HEAD", `curl --head http://localhost:8080/flights/AA123`,
			Line{Method: "HEAD", Target: "/flights/AA123", Header: none, Repeat: 1, Curl: true}},
		{"a pasted prompt", `$ curl /flights`,
			Line{Method: "GET", Target: "/flights", Header: none, Repeat: 1, Curl: true}},
		{"curl.exe", `curl.exe /flights`,
			Line{Method: "GET", Target: "/flights", Header: none, Repeat: 1, Curl: true}},
		{"continued over lines", "curl -X POST \\\n  http://localhost:8080/payments \\\r\n  -H 'Idempotency-Key: \"k1\"' \\\n  --json '{\"amount\":5}'",
			Line{Method: "POST", Target: "/payments", Header: lineHeader("Accept", "application/json", "Content-Type", "application/json", "Idempotency-Key", `"k1"`), Body: `{"amount":5}`, Repeat: 1, Curl: true}},
		{"quoted data spans lines", "curl -X POST /customers -d '{\"name\":\"Joe\",\n  \"age\":29}'",
			Line{Method: "POST", Target: "/customers", Header: lineHeader("Content-Type", form), Body: "{\"name\":\"Joe\",\n  \"age\":29}", Repeat: 1, Curl: true}},
		{"delete twice", `curl -X DELETE http://localhost:8080/flights/AC789 x2`,
			Line{Method: "DELETE", Target: "/flights/AC789", Header: none, Repeat: 2, Curl: true}},
		{"options with no effect", `curl -v -s -S -i -f -k --silent --include --fail --fail-with-body --verbose --show-error --insecure --no-progress-meter /flights`,
			Line{Method: "GET", Target: "/flights", Header: none, Repeat: 1, Curl: true}},
		{"user agent", `curl -A 'learner/1.0' /flights`,
			Line{Method: "GET", Target: "/flights", Header: lineHeader("User-Agent", "learner/1.0"), Repeat: 1, Curl: true}},
		{"a header sent empty", `curl -H 'X-Empty;' --user-agent '' /flights`,
			Line{Method: "GET", Target: "/flights", Header: lineHeader("X-Empty", ""), Repeat: 1, Curl: true}},
		{"--data-raw sends a leading @", `curl --data-raw '@not-a-file' /customers`,
			Line{Method: "POST", Target: "/customers", Header: lineHeader("Content-Type", form), Body: "@not-a-file", Repeat: 1, Curl: true}},
		{"--data-binary with -X after the data", `curl --data-binary '{"a":1}' -H 'Content-Type: application/json' -X PUT /x`,
			Line{Method: "PUT", Target: "/x", Header: lineHeader("Content-Type", "application/json"), Body: `{"a":1}`, Repeat: 1, Curl: true}},
		{"--url", `curl --url http://localhost:8080/flights`,
			Line{Method: "GET", Target: "/flights", Header: none, Repeat: 1, Curl: true}},
		{"the body is not checked", `curl -X PUT /accounts/42 -d 'not json'`,
			Line{Method: "PUT", Target: "/accounts/42", Header: lineHeader("Content-Type", form), Body: "not json", Repeat: 1, Curl: true}},
		{"empty data still means POST", `curl -d '' /customers`,
			Line{Method: "POST", Target: "/customers", Header: lineHeader("Content-Type", form), Repeat: 1, Curl: true}},
		{"double quotes with escapes", `curl -d "{\"name\":\"it's\"}" /customers`,
			Line{Method: "POST", Target: "/customers", Header: lineHeader("Content-Type", form), Body: `{"name":"it's"}`, Repeat: 1, Curl: true}},
		{"an unknown method", `curl -XFROB /customers`,
			Line{Method: "FROB", Target: "/customers", Header: none, Repeat: 1, Curl: true}},
		{"a quoted URL with a query", `curl 'http://localhost:8080/flights?status=late&gate=b2'`,
			Line{Method: "GET", Target: "/flights?status=late&gate=b2", Header: none, Repeat: 1, Curl: true}},
		{"a host name with a dot", `curl example.com/flights`,
			Line{Method: "GET", Target: "/flights", Header: none, Repeat: 1, Curl: true}},
	})
}

func TestParseRejectsBadCurl(t *testing.T) {
	checkBadLines(t, []badLine{
		{"no URL", `curl`, 5, "expected a URL after curl"},
		{"no URL after options", `curl -s -X PUT`, 15, "expected a URL after curl"},
		{"-X without a method", `curl -X`, 8, "expected a method after -X, like -X PUT"},
		{"-X without a method in a cluster", `curl /x -sX`, 12, "expected a method after -X, like -X PUT"},
		{"--data without data", `curl /x --data`, 15, `expected the data to send after --data, like --data '{"name":"Joe"}'`},
		{"method that is not a token", `curl -X 'P T' /x`, 11, "a space cannot be part of a method name"},
		{"empty method", `curl -X '' /x`, 10, "expected a method such as GET, PUT or POST"},
		{"method with a tab", "curl -X 'P\tT' /x", 11, "a tab cannot be part of a method name"},
		{"-F", `curl -F a=b /x`, 6, "curl option -F is not supported here"},
		{"--form", `curl --form a=b /x`, 6, "curl option --form is not supported here"},
		{"-u", `curl -u me:pw /x`, 6, "curl option -u is not supported here"},
		{"-o", `curl -o out.json /x`, 6, "curl option -o is not supported here"},
		{"-O", `curl -O /x`, 6, "curl option -O is not supported here"},
		{"-T", `curl -T body.json /x`, 6, "curl option -T is not supported here"},
		{"--upload-file", `curl --upload-file body.json /x`, 6, "curl option --upload-file is not supported here"},
		{"-L", `curl -L /x`, 6, "curl option -L is not supported here"},
		{"-L in a cluster", `curl -sL /x`, 8, "curl option -L is not supported here"},
		{"unknown long option", `curl --compressed /x`, 6, "curl option --compressed is not supported here: the options understood are -X, -H"},
		{"data from a file", `curl -d @data.json /x`, 9, "reading data from a file"},
		{"headers from a file", `curl -H @headers.txt /x`, 9, "reading headers from a file"},
		{"data on GET", `curl -X GET -d 'a=1' /x`, 13, "add -G to send it in the query string"},
		{"data on HEAD", `curl -I -d a=1 /x`, 9, "a HEAD request has no body"},
		{"two URLs", `curl /a /b`, 9, "a second URL"},
		{"header without colon", `curl -H 'NoColon' /x`, 17, "expected a colon after the header name"},
		{"unbalanced quote", `curl -X POST /x -d '{"a":1}`, 20, "this ' is never closed"},
		{"other URL scheme", `curl ftp://host/x`, 6, "only http:// and https://"},
		{"relative path", `curl accounts/42`, 6, "try /accounts/42"},
		{"a pipe", `curl /x | jq .`, 9, "shell pipes"},
		{"repeat over the cap", `curl /x x1000000`, 10, "capped at 1000"},
		{"repeat not last", `curl x3 /x`, 6, "goes at the end of the line"},
		{"a trailing backslash", `curl -X POST /x \`, 17, "the line ends with \\"},
		{"a line break outside quotes", "curl /x\n-d a", 8, "breaks onto a new line"},
		{"a line break in a quoted URL", "curl '/a\nb'", 9, "a URL cannot contain a line break"},
		{"content length", `curl -H 'Content-Length: 3' -d abc /x`, 10, "Content-Length is worked out from the body"},
	})
}

func TestCurlStringIsACurlCommand(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{`curl -d 'a=1' /customers x2`, `curl -X POST /customers --data-raw 'a=1' x2`},
		{`curl -H 'Content-Type:' -d "it's" /x`, `curl -X POST /x -H 'Content-Type:' --data-raw 'it'\''s'`},
		{`curl --json '{}' '/x?a=1'`, `curl -X POST '/x?a=1' -H 'Accept: application/json' -H 'Content-Type: application/json' --data-raw '{}'`},
		{`curl -H 'X-Empty;' /x`, `curl /x -H 'X-Empty;'`},
	} {
		r, err := Parse(tc.line)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.line, err)
		}
		if got := r.String(); got != tc.want {
			t.Errorf("Parse(%q).String()\n got %s\nwant %s", tc.line, got, tc.want)
		}
	}
}

func TestRequestFormStringIsCanonical(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{`PUT /accounts/42 -d ' {"balance": 100} ' -H 'Content-Type: application/json' ×003`, `PUT /accounts/42 {"balance": 100} x3`},
		{`put /accounts/42 {"balance": 100}`, `put /accounts/42 {"balance": 100}`}, // case-sensitive: kept as typed
		{`PATCH /x {} -H 'Content-Type: application/json'`, `PATCH /x {} -H 'Content-Type: application/json'`},
		{`GET /x -H 'b: 2' -H 'A: 1' -H 'B: 3' -H 'C:'`, `GET /x -H 'A: 1' -H 'B: 2' -H 'B: 3' -H 'C:'`},
	} {
		r, err := Parse(tc.line)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tc.line, err)
		}
		if got := r.String(); got != tc.want {
			t.Errorf("Parse(%q).String()\n got %s\nwant %s", tc.line, got, tc.want)
		}
	}
}
