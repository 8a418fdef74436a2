package plain

import (
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// cmdCopy prints an exchange as a curl command line and, on a terminal,
// puts it on the clipboard too (OSC 52, which works over SSH).
func (s *view) cmdCopy(args []string) {
	var seq uint64
	switch {
	case len(args) == 0:
	case len(args) == 1 && isNumber(strings.TrimPrefix(args[0], "#")):
		seq, _ = strconv.ParseUint(strings.TrimPrefix(args[0], "#"), 10, 64)
	default:
		s.out.styled(styleBad, "Type copy and an exchange number from the log, for example: copy 1")
		return
	}
	curl, err := s.sess.CurlOf(seq)
	if err != nil {
		s.out.styled(styleBad, "Nothing copied: "+err.Error()+". Type log to see the exchanges.")
		return
	}
	if s.o.Clipboard {
		s.out.clipboard(curl)
		s.out.line("Copied to the clipboard as a curl command line:")
	} else {
		s.out.line("As a curl command line:")
	}
	s.out.line(curl)
}

// cmdExport writes the session's requests to a file.
func (s *view) cmdExport(args []string) {
	if len(args) == 0 {
		s.out.styled(styleBad, "Type export and a file name ending in .http or .sh, for example: export session.sh")
		return
	}
	ex, err := s.sess.Export(strings.Join(args, " "))
	if err != nil {
		s.out.styled(styleBad, "Not exported: "+err.Error())
		return
	}
	s.out.line(fmt.Sprintf("Exported %s to %s.", plural(ex.Requests, "request"), ex.Path))
	if ex.Note != "" {
		s.out.line(ex.Note)
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// clipboard asks the terminal to put text on the clipboard (OSC 52). It
// writes nothing visible.
func (p *printer) clipboard(text string) {
	if p.err != nil {
		return
	}
	_, p.err = io.WriteString(p.w, "\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte(text))+"\x07")
}
