package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/putpost/putpost/termsafe"
)

// idemTTL is how long an Idempotency-Key is remembered, on the sim clock
// (Stripe keeps keys for 24 hours).
const idemTTL = 24 * time.Hour

// idemRecord is the stored first response to a POST with an Idempotency-Key.
type idemRecord struct {
	fingerprint string // method, path and a hash of the canonical body, numbers by value (see numbersByValue)
	request     string // "POST /payments", for messages
	reply       reply
	created     time.Time
}

// size is about what the record stored under key holds in memory: a key or a
// path of 60 KB counts as much as a body of 60 KB.
func (r idemRecord) size(key string) int {
	return 128 + len(key) + len(r.fingerprint) + len(r.request) + len(r.reply.body) + headerSize(r.reply.header)
}

func (r idemRecord) live(now time.Time) bool { return now.Before(r.created.Add(idemTTL)) }

// idemDocs is where the Idempotency-Key errors point for documentation
// (a Link with rel="describedby", RFC 8288).
const idemDocs = `<https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/>; rel="describedby"`

// idemError is an error about the Idempotency-Key, linked to the draft that
// defines the field.
func idemError(status int, format string, args ...any) reply {
	rep := errorReply(status, format, args...)
	rep.header.Set("Link", idemDocs)
	return rep
}

// idempotencyKey reads Idempotency-Key (or X-Idempotency-Key). The draft
// makes the value a Structured Field String (RFC 9651): a quoted string,
// with \" and \\ escapes, perhaps followed by parameters, which are ignored.
// "" means none.
func idempotencyKey(h http.Header) (string, error) {
	name := "Idempotency-Key"
	vs := h[name]
	if len(vs) == 0 {
		name = "X-Idempotency-Key"
		vs = h[name]
	}
	switch {
	case len(vs) == 0:
		return "", nil
	case len(vs) > 1:
		return "", fmt.Errorf("send one %s header, not %d", name, len(vs))
	}
	v, err := ParseSFString(vs[0])
	if err != nil {
		return "", fmt.Errorf("%s: %v", name, err)
	}
	if v == "" || len(v) > 255 {
		return "", fmt.Errorf("%s must be a string of 1 to 255 characters, such as \"k1\" or a quoted UUID", name)
	}
	return v, nil
}

// ParseSFString reads a Structured Field Item whose bare item must be a
// String (RFC 9651 §3.3.3): printable ASCII in double quotes, where \" and
// \\ stand for a quote and a backslash. Parameters after it (";name" or
// ";name=value") are allowed and ignored. A token or a number is not a string.
func ParseSFString(v string) (string, error) {
	v = strings.Trim(v, " \t")
	if v == "" {
		return "", fmt.Errorf("the value is empty; write the key in double quotes, such as \"k1\"")
	}
	if v[0] != '"' {
		kind := "a token"
		if c := v[0]; c == '-' || '0' <= c && c <= '9' {
			kind = "a number"
		}
		end := strings.IndexByte(v, ';')
		if end < 0 {
			end = len(v)
		}
		return "", fmt.Errorf("%s is %s, not a string: write it in double quotes, such as \"%s\"", quoteInput(v[:end]), kind, strings.TrimSpace(v[:end]))
	}
	var b strings.Builder
	i := 1
	for ; ; i++ {
		if i >= len(v) {
			return "", fmt.Errorf("the string is never closed; end it with a double quote")
		}
		c := v[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			i++
			if i >= len(v) || (v[i] != '"' && v[i] != '\\') {
				return "", fmt.Errorf("a backslash in a string may only escape \" or \\")
			}
			c = v[i]
		} else if c < 0x20 || c > 0x7e {
			return "", notPrintableASCII(v[1:], i-1)
		}
		b.WriteByte(c)
	}
	if err := checkSFParams(v[i+1:]); err != nil {
		return "", err
	}
	return b.String(), nil
}

// notPrintableASCII says which character at byte i of s, the text inside
// the quotes, is not printable ASCII, counting characters as a person does
// (the first after the opening quote is 1).
func notPrintableASCII(s string, i int) error {
	n := utf8.RuneCountInString(s[:i]) + 1
	r, size := utf8.DecodeRuneInString(s[i:])
	what := termsafe.Describe(r)
	if r == utf8.RuneError && size <= 1 {
		what = fmt.Sprintf("the byte 0x%02x, which is not UTF-8 text", s[i])
	}
	return fmt.Errorf("a string holds only printable ASCII characters (RFC 9651 §3.3.3), but character %d inside the quotes is %s", n, what)
}

// checkSFParams checks the parameters after an item: ";key" or ";key=value",
// key lower case (RFC 9651 §3.1.2). Their values are not used, so any bare
// item that does not break the syntax is taken as it is.
func checkSFParams(s string) error {
	for s != "" {
		if s[0] != ';' {
			return fmt.Errorf("unexpected %s after the string; parameters start with ;", quoteInput(s))
		}
		s = strings.TrimLeft(s[1:], " ")
		n := 0
		for n < len(s) && (s[n] == '_' || s[n] == '-' || s[n] == '.' || s[n] == '*' || 'a' <= s[n] && s[n] <= 'z' || '0' <= s[n] && s[n] <= '9' && n > 0) {
			n++
		}
		if n == 0 || !('a' <= s[0] && s[0] <= 'z' || s[0] == '*') {
			return fmt.Errorf("a parameter name starts with a lower-case letter or *")
		}
		s = s[n:]
		if strings.HasPrefix(s, "=") {
			s = s[1:]
			if strings.HasPrefix(s, `"`) {
				end := 1
				for end < len(s) && s[end] != '"' {
					if s[end] == '\\' {
						end++
					}
					end++
				}
				if end >= len(s) {
					return fmt.Errorf("a parameter's string is never closed")
				}
				s = s[end+1:]
			} else {
				end := strings.IndexByte(s, ';')
				if end < 0 {
					end = len(s)
				}
				if strings.TrimSpace(s[:end]) == "" {
					return fmt.Errorf("a parameter has = but no value")
				}
				s = s[end:]
			}
		}
	}
	return nil
}

// KeyHeld reports whether the Idempotency-Key (or X-Idempotency-Key) in h
// names a request the server still remembers: a POST carrying it would be
// replayed, or refused with 422 if it differs, and change nothing.
func (s *Server) KeyHeld(h http.Header) bool {
	key, err := idempotencyKey(h)
	if err != nil || key == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.st.idem[key]
	return ok && rec.live(s.st.clock)
}

func (s *Server) reserve(key string) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, busy := s.inflight[key]; busy {
		return 0
	}
	s.nextToken++
	s.inflight[key] = s.nextToken
	return s.nextToken
}

func (s *Server) release(key string, token uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[key] == token {
		delete(s.inflight, key)
	}
}

// idempotent runs process for a POST, honouring an Idempotency-Key: the first
// response is stored (unless it is a 5xx); a retry with the same key and body gets it again, byte
// for byte; the same key with a different request gets 422; the same key
// while the first request is still arriving gets 409.
func (s *Server) idempotent(x *exchange, process func() reply) reply {
	if x.keyErr != nil {
		return idemError(http.StatusBadRequest, "%v", x.keyErr)
	}
	if x.key == "" {
		return process()
	}
	sum := sha256.Sum256(numbersByValue(x.canon))
	request := x.method + " " + x.path
	fp := request + " " + hex.EncodeToString(sum[:])
	if rec, ok := s.st.idem[x.key]; ok && rec.live(x.now) {
		switch {
		case rec.request != request:
			return idemError(http.StatusUnprocessableEntity, "the Idempotency-Key %s was first used for %s, not %s; use a new key for a new request", quoteInput(x.key), rec.request, request)
		case rec.fingerprint != fp:
			return idemError(http.StatusUnprocessableEntity, "the Idempotency-Key %s was first used with a different body; a retry must repeat the request exactly, and a new request needs a new key", quoteInput(x.key))
		}
		rep := rec.reply
		rep.header = maps.Clone(rep.header)
		rep.spare = nil // the record's values are shared by every replay
		rep.header.Set("Idempotent-Replayed", "true")
		rep.replayed = true
		return rep
	}
	if holder, busy := s.inflight[x.key]; busy && holder != x.token {
		return idemError(http.StatusConflict, "a request with the Idempotency-Key %s is still being processed; wait for its response, then retry", quoteInput(x.key))
	}
	if len(s.st.idem) >= s.opts.MaxResources || s.st.idemSize > s.opts.MaxBytes {
		s.st.forgetExpired(x.now)
		if len(s.st.idem) >= s.opts.MaxResources || s.st.idemSize > s.opts.MaxBytes {
			return errorReply(http.StatusInsufficientStorage, "this server already remembers %d idempotency keys (%d KiB of responses), its limit; wait for them to expire or reset the fixture", len(s.st.idem), s.st.idemSize>>10)
		}
	}
	rep := process()
	if rep.status >= 500 { // 507: once there is room, a retry should be processed
		return rep
	}
	stored := rep
	stored.header = maps.Clone(rep.header)
	stored.spare = nil // rep's finish writes into its spare values
	s.st.setIdem(&x.tx, x.key, idemRecord{fingerprint: fp, request: request, reply: stored, created: x.now}, true)
	return rep
}

// numbersByValue rewrites the numbers of canonical JSON so that two that
// have the same value read the same: 25, 25.00 and 2.5e1 all become 25e0.
// A retry of a request is then told from a new one by what its body
// means, as its key order already is, not by how a number is spelled.
// A number whose exponent does not fit an int32 is kept as written.
func numbersByValue(canon []byte) []byte {
	var out []byte
	inString := false
	for i := 0; i < len(canon); i++ {
		c := canon[i]
		switch {
		case inString:
			if c == '\\' && i+1 < len(canon) {
				out = append(out, c)
				i++
				c = canon[i]
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '-' || '0' <= c && c <= '9':
			j := i
			for j < len(canon) && strings.IndexByte("+-.eE0123456789", canon[j]) >= 0 {
				j++
			}
			out = append(out, numberByValue(string(canon[i:j]))...)
			i = j - 1
			continue
		}
		out = append(out, c)
	}
	return out
}

// numberByValue writes the JSON number n as its significant digits and a
// power of ten: "-120.50" is "-1205e-1", "0.0" is "0e0".
func numberByValue(n string) string {
	sign, rest := "", n
	if strings.HasPrefix(rest, "-") {
		sign, rest = "-", rest[1:]
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(rest), "e")
	e := 0
	if hasExp {
		v, err := strconv.ParseInt(exp, 10, 32)
		if err != nil {
			return n
		}
		e = int(v)
	}
	whole, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(whole+frac, "0")
	e -= len(frac)
	for strings.HasSuffix(digits, "0") {
		digits = digits[:len(digits)-1]
		e++
	}
	if digits == "" {
		return "0e0"
	}
	return sign + digits + "e" + strconv.Itoa(e)
}
