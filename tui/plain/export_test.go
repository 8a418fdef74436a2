package plain

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/putpost/putpost/request"
)

func TestCopyShowsTheExchangeAsCurlAndCopiesOnlyOnATerminal(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "copy\nPUT /accounts/42 {\"balance\": 100}\nGET /accounts/42\ncopy 1\ncopy 99\ncopy x\n")
	if !strings.Contains(out, "Nothing copied: no such exchange yet") {
		t.Errorf("copy before any exchange:\n%s", out)
	}
	_, after, _ := strings.Cut(out, "As a curl command line:\n")
	curl, _, _ := strings.Cut(after, "\n")
	if r, err := request.Parse(curl); err != nil || r.Method != "PUT" || r.Body != `{"balance": 100}` {
		t.Errorf("copy 1 printed %q, which reads back as %+v (%v)", curl, r, err)
	}
	if !strings.Contains(out, "there is no exchange #99") || !strings.Contains(out, "Type copy and an exchange number") {
		t.Errorf("bad numbers are not explained:\n%s", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Error("copy wrote an escape sequence to a transcript")
	}

	var term bytes.Buffer
	if err := Run(context.Background(), Options{In: strings.NewReader("copy\n"), Out: &term, Session: h.sess, Clipboard: true}); err != nil {
		t.Fatal(err)
	}
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(strings.TrimSpace(lastLine(term.String())))) + "\x07"
	if !strings.Contains(term.String(), want) || !strings.Contains(term.String(), "Copied to the clipboard") {
		t.Errorf("on a terminal copy does not set the clipboard to the line it shows:\n%q", term.String())
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestExportWritesTheSessionsRequests(t *testing.T) {
	h := newHarness(t, false)
	dir := t.TempDir()
	sh, web, bad := filepath.Join(dir, "s.sh"), filepath.Join(dir, "s.http"), filepath.Join(dir, "s.txt")
	out := h.run(t, "export\nPUT /accounts/42 {\"balance\": 100}\nPOST /customers {\"name\":\"Joe\"} x2\nexport "+sh+"\nexport "+web+"\nexport "+bad+"\n")
	if !strings.Contains(out, "Exported 3 requests to "+sh) || !strings.Contains(out, "Exported 3 requests to "+web) {
		t.Errorf("exports not reported:\n%s", out)
	}
	if !strings.Contains(out, "Type export and a file name") || !strings.Contains(out, "Not exported: "+bad+": the file name must end in .http") {
		t.Errorf("bad exports not explained:\n%s", out)
	}
	script, err := os.ReadFile(sh)
	if err != nil || !strings.HasPrefix(string(script), "#!/bin/sh") || !strings.Contains(string(script), "PUTPOST_URL") {
		t.Errorf("the script: %v\n%s", err, script)
	}
	data, err := os.ReadFile(web)
	if err != nil {
		t.Fatal(err)
	}
	if lines, err := request.ParseHTTP(string(data)); err != nil || len(lines) != 3 || lines[2].Method != "POST" {
		t.Errorf("the .http file reads back as %+v (%v)", lines, err)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Error("a refused export wrote a file")
	}
}
