package request

// curl command lines, so that what a learner types here also works against a
// real server later. The line is split into words the way a POSIX shell
// would (quotes, backslashes, backslash-newline continuations) and read the
// way curl would:
//
//	-X, --request METHOD        the method, sent exactly as typed (as curl does)
//	-H, --header 'Name: value'  a header; 'Name:' removes one curl would add, 'Name;' sends it empty
//	-d, --data, --data-ascii, --data-binary, --data-raw DATA
//	                            a body; several are joined with &; without -X the method is POST;
//	                            Content-Type defaults to application/x-www-form-urlencoded
//	--json DATA                 a body with Content-Type and Accept application/json
//	-G, --get                   send the data in the query string of a GET instead
//	-I, --head                  HEAD
//	-A, --user-agent NAME       User-Agent
//	--url URL                   the URL
//	--request-target '*'        OPTIONS * (the whole server) instead of the URL's path
//	-i -s -S -v -f -k -g and their long names, --fail-with-body, --no-progress-meter,
//	--path-as-is                accepted and change nothing (paths are always kept as typed)
//
// Short options combine (-sSi) and take attached values (-XPUT). The URL may
// name any host, or none (/accounts/42); only its path and query are kept.
// The body is sent as typed, not checked as JSON, so a learner can provoke
// a 400 or a 415. Anything else is refused with an error naming the option.

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// isCurlWord reports whether a line's first word starts a curl command.
func isCurlWord(s string) bool { return s == "curl" || s == "curl.exe" }

// curlUnsupported says why an option curl knows is refused here.
var curlUnsupported = func() map[string]string {
	m := map[string]string{}
	add := func(why string, names ...string) {
		for _, n := range names {
			m[n] = why
		}
	}
	add("multipart forms are not simulated; send JSON with --json '{…}' or -d '{…}'", "-F", "--form", "--form-string")
	add("the practice server needs no login; delete the option", "-u", "--user", "--basic", "--digest", "--oauth2-bearer")
	add("responses are shown on screen, not saved to files; delete the option", "-o", "--output", "-O", "--remote-name")
	add("bodies come from the line, not from files; use -X PUT with -d '…'", "-T", "--upload-file")
	add("redirects are not followed automatically; send a second request to the Location yourself", "-L", "--location")
	add("cookies are not simulated; delete the option", "-b", "--cookie", "-c", "--cookie-jar")
	add("there is no network to go through a proxy; delete the option", "-x", "--proxy")
	add("send the header itself, like -H 'Referer: /flights'", "-e", "--referer")
	add("send the header itself, like -H 'Range: bytes=0-99'", "-r", "--range")
	add("use -d with the data already encoded, like -d 'name=Joe%20Bloggs'", "--data-urlencode")
	add("config files are not read here; put the options in the line", "-K", "--config")
	return m
}()

// curlReason returns the advice for an unsupported option.
func curlReason(opt string) string {
	if why, ok := curlUnsupported[opt]; ok {
		return why
	}
	return "the options understood are -X, -H, -d, --data-raw, --data-binary, --json, -G, -I, -A and --url (and -i, -s, -S, -v, -f, -k, -g, which change nothing here)"
}

// curlState gathers a curl command's options before they are combined.
type curlState struct {
	method   string
	head     bool
	get      bool
	json     bool
	hasData  bool
	data     strings.Builder
	dataAt   int // offset of the first data option, for errors
	urlSeen  bool
	removed  map[string]bool // headers removed with 'Name:'
	agent    string          // -A; empty sends none
	asterisk bool            // --request-target '*'
}

// parseCurl parses the rest of a line that started with curl.
func (p *lineParser) parseCurl() (Line, error) {
	p.curl = true
	r := Line{Header: http.Header{}, Repeat: 1, Curl: true}
	st := curlState{removed: map[string]bool{}}
	for {
		w, ok, err := p.nextWord()
		if err != nil {
			return r, err
		}
		if !ok {
			break
		}
		if digits, ok := repeatDigits(w.val); ok && w.plain {
			if !p.isLast() {
				return r, p.errAt(w.start, "the repeat count goes at the end of the line, like curl -X PUT /accounts/42 -d '…' x3")
			}
			if r.Repeat, err = p.repeat(digits, w.off(len(w.val)-len(digits))); err != nil {
				return r, err
			}
			break
		}
		if len(w.val) > 1 && w.val[0] == '-' {
			if err := p.curlOption(&w, &r, &st); err != nil {
				return r, err
			}
			continue
		}
		if err := p.curlURL(&w, &r, &st); err != nil {
			return r, err
		}
	}
	if !st.urlSeen {
		return r, p.errAt(p.pos, "expected a URL after curl, like curl http://localhost:8080/accounts/42")
	}

	switch {
	case st.method != "":
		r.Method = st.method
	case st.head:
		r.Method = http.MethodHead
	case st.hasData && !st.get:
		r.Method = http.MethodPost
	default:
		r.Method = http.MethodGet
	}
	if st.asterisk {
		if r.Method != http.MethodOptions {
			return r, p.errAt(p.pos, "--request-target '*' goes with -X OPTIONS: only OPTIONS asks about the whole server")
		}
		if st.get && st.hasData {
			return r, p.errAt(st.dataAt, "OPTIONS * has no query for -G to add the data to: delete the data or the -G")
		}
		r.Target = "*"
	}
	data := st.data.String()
	if st.get && !st.asterisk {
		if data != "" {
			switch {
			case !strings.Contains(r.Target, "?"):
				r.Target += "?"
			case !strings.HasSuffix(r.Target, "?"):
				r.Target += "&"
			}
			r.Target += escapeTarget(data)
		}
	} else {
		r.Body = data
	}
	if r.Body != "" {
		switch r.Method {
		case http.MethodGet, http.MethodTrace:
			return r, p.errAt(st.dataAt, "a %s request has no body here: delete the data, add -G to send it in the query string, or use -X PUT or -X POST", r.Method)
		case http.MethodHead:
			return r, p.errAt(st.dataAt, "a HEAD request has no body: delete the data or the -I")
		}
	}
	setDefault := func(name, value string) {
		if _, ok := r.Header[name]; !ok && !st.removed[name] {
			r.Header[name] = []string{value}
		}
	}
	if st.hasData && !st.get {
		if st.json {
			setDefault("Content-Type", contentTypeJSON)
		} else {
			setDefault("Content-Type", contentTypeForm)
		}
	}
	if st.json {
		setDefault("Accept", contentTypeJSON)
	}
	if st.agent != "" {
		setDefault("User-Agent", st.agent)
	}
	return r, nil
}

// curlURL takes the URL word.
func (p *lineParser) curlURL(w *word, r *Line, st *curlState) error {
	if st.urlSeen {
		return p.errAt(w.start, "a second URL %q: send one request per line", w.val)
	}
	t, err := p.target(w)
	if err != nil {
		return err
	}
	r.Target, st.urlSeen = t, true
	return nil
}

// curlOption applies one option word, reading its argument if it takes one.
func (p *lineParser) curlOption(w *word, r *Line, st *curlState) error {
	if strings.HasPrefix(w.val, "--") {
		switch name := w.val; name {
		case "--include", "--silent", "--show-error", "--verbose", "--fail", "--fail-with-body", "--insecure", "--no-progress-meter", "--globoff", "--path-as-is":
			return nil
		case "--head":
			st.head = true
			return nil
		case "--get":
			st.get = true
			return nil
		case "--request", "--header", "--data", "--data-ascii", "--data-binary", "--data-raw", "--json", "--user-agent", "--url", "--request-target":
			arg, err := p.optionArg(name, w, "", false, curlWants(name))
			if err != nil {
				return err
			}
			return p.curlApply(name, w, &arg, r, st)
		default:
			return p.errAt(w.start, "curl option %s is not supported here: %s", name, curlReason(name))
		}
	}
	// A cluster of short options: -sSi, -sXPUT, -H'Name: value'.
	for i := 1; i < len(w.val); i++ {
		switch c := w.val[i]; c {
		case 's', 'S', 'i', 'v', 'f', 'k', 'g':
		case 'I':
			st.head = true
		case 'G':
			st.get = true
		case 'X', 'H', 'd', 'A':
			name := "-" + string(c)
			arg, err := p.optionArg(name, w, w.val[i+1:], i+1 < len(w.val), curlWants(name))
			if err != nil {
				return err
			}
			return p.curlApply(name, w, &arg, r, st)
		default:
			_, size := utf8.DecodeRuneInString(w.val[i:])
			name := "-" + w.val[i:i+size]
			at := w.off(i) // the letter, or the dash for a single option
			if i == 1 {
				at = w.off(0)
			}
			return p.errAt(at, "curl option %s is not supported here: %s", name, curlReason(name))
		}
	}
	return nil
}

// curlWants names the argument an option expects, for errors.
func curlWants(name string) string {
	switch name {
	case "-X", "--request":
		return "a method"
	case "-H", "--header":
		return "a header"
	case "-A", "--user-agent":
		return "a client name"
	case "--url":
		return "a URL"
	case "--request-target":
		return "'*'"
	}
	return "the data to send"
}

// curlApply applies an option that takes an argument.
func (p *lineParser) curlApply(name string, opt, arg *word, r *Line, st *curlState) error {
	switch name {
	case "-X", "--request":
		if _, err := p.method(arg.val, arg.off); err != nil {
			return err
		}
		st.method = arg.val // curl sends -X exactly as typed: -X get reaches the server as "get"
	case "-H", "--header":
		if strings.HasPrefix(arg.val, "@") {
			return p.errAt(arg.off(0), "reading headers from a file (@…) is not supported here: give each header with -H 'Name: value'")
		}
		h, err := p.header(arg, true)
		if err != nil {
			return err
		}
		if h.remove {
			delete(r.Header, h.name)
			st.removed[h.name] = true
		} else {
			r.Header[h.name] = append(r.Header[h.name], h.value)
			delete(st.removed, h.name)
		}
	case "-A", "--user-agent":
		v, err := p.headerValue(arg, 0)
		if err != nil {
			return err
		}
		st.agent = v
	case "--url":
		return p.curlURL(arg, r, st)
	case "--request-target":
		if arg.val != "*" {
			return p.errAt(arg.off(0), "--request-target is understood here only as '*', for OPTIONS *: put the path in the URL instead")
		}
		st.asterisk = true
	default: // the data options
		if name != "--data-raw" && strings.HasPrefix(arg.val, "@") {
			return p.errAt(arg.off(0), "reading data from a file (@…) is not supported here: put the data itself in the line, or use --data-raw to send a leading @")
		}
		if !st.hasData {
			st.dataAt = opt.start
		} else if name != "--json" {
			st.data.WriteByte('&')
		}
		st.data.WriteString(arg.val)
		st.hasData = true
		st.json = st.json || name == "--json"
	}
	return nil
}
