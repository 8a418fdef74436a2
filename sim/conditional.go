package sim

import (
	"fmt"
	"net/http"
	"strings"
)

// etagList is a parsed If-Match or If-None-Match value.
type etagList struct {
	any  bool // "*"
	tags []entityTag
}

type entityTag struct {
	weak   bool
	opaque string // with its quotes
}

// parseETags reads `*` or a comma-separated list of entity tags (quoted,
// optionally W/-prefixed). Commas may appear inside the quotes.
func parseETags(v string) (etagList, error) {
	if strings.TrimSpace(v) == "*" {
		return etagList{any: true}, nil
	}
	var l etagList
	for {
		v = strings.TrimLeft(v, " \t,")
		if v == "" {
			break
		}
		var t entityTag
		if rest, ok := strings.CutPrefix(v, "W/"); ok {
			t.weak, v = true, rest
		}
		if !strings.HasPrefix(v, `"`) {
			return etagList{}, fmt.Errorf("an entity tag is a quoted string such as \"a1b2\" (or * for any), not %s", quoteInput(v))
		}
		end := strings.IndexByte(v[1:], '"')
		if end < 0 {
			return etagList{}, fmt.Errorf("the entity tag %s has no closing quote", quoteInput(v))
		}
		t.opaque, v = v[:end+2], v[end+2:]
		l.tags = append(l.tags, t)
	}
	if len(l.tags) == 0 {
		return etagList{}, fmt.Errorf("the header is empty; give an entity tag such as \"a1b2\" or *")
	}
	return l, nil
}

// HoldsETags reports whether v, the value of an If-Match or If-None-Match
// field, names entity tags the server compares with a version ("a1b2",
// W/"a1b2"), rather than "*", which any current version matches, or
// something that is not an entity tag at all.
func HoldsETags(v string) bool {
	l, err := parseETags(v)
	return err == nil && !l.any
}

// matches compares with etag (always strong here): strongly for If-Match,
// weakly for If-None-Match (RFC 9110 §8.8.3.2).
func (l etagList) matches(etag string, strong bool) bool {
	for _, t := range l.tags {
		if t.opaque == etag && (!strong || !t.weak) {
			return true
		}
	}
	return false
}

// sent says what the client sent, for a message about an If-Match that
// matched nothing.
func (l etagList) sent() string {
	if len(l.tags) == 1 {
		return "the ETag you sent is not"
	}
	return "none of the ETags you sent is"
}

func hasPreconditions(h http.Header) bool {
	return len(h["If-Match"]) > 0 || len(h["If-None-Match"]) > 0 // canonical names: no lookup work
}

// precondition evaluates If-Match and If-None-Match (RFC 9110 §13.2.2) against
// the target's current ETag; exists is false when it has no representation.
// A failed precondition changes nothing: 412, or 304 for GET and HEAD.
func (s *Server) precondition(x *exchange, etag string, exists bool) (reply, bool) {
	h := x.header
	if vs := h["If-Match"]; len(vs) > 0 {
		l, err := parseETags(strings.Join(vs, ","))
		if err != nil {
			return errorReply(http.StatusBadRequest, "If-Match: %v", err), true
		}
		switch {
		case !exists && (x.method == http.MethodGet || x.method == http.MethodHead || x.method == http.MethodDelete || x.method == http.MethodPatch):
			// §13.2.1: preconditions count only when the answer would
			// otherwise be 2xx or 412; these methods answer 404 first.
		case !exists:
			return errorReply(http.StatusPreconditionFailed, "If-Match failed: there is nothing at %s, so nothing was changed", x.path), true
		case !l.any && !l.matches(etag, true) && l.matches(etag, false):
			rep := errorReply(http.StatusPreconditionFailed, "If-Match failed: a weak entity tag (W/…) never matches If-Match, which compares strongly, so nothing was changed; send the strong tag %s, without W/", etag)
			rep.header.Set("ETag", etag)
			return rep, true
		case !l.any && !l.matches(etag, true):
			var rep reply
			if s.st.namedEarlier(x.path, l) {
				rep = errorReply(http.StatusPreconditionFailed, "If-Match failed: %s has changed, its ETag is now %s, so nothing was changed; GET it again, then retry with the new ETag", x.path, etag)
			} else {
				// A tag this resource never had (a typo, a placeholder, another
				// resource's) says nothing about a change: say only what is true.
				rep = errorReply(http.StatusPreconditionFailed, "If-Match failed: %s the current ETag of %s, which is %s, so nothing was changed; GET it for its ETag, then retry with that", l.sent(), x.path, etag)
			}
			rep.header.Set("ETag", etag)
			return rep, true
		}
	}
	if vs := h["If-None-Match"]; len(vs) > 0 {
		l, err := parseETags(strings.Join(vs, ","))
		if err != nil {
			return errorReply(http.StatusBadRequest, "If-None-Match: %v", err), true
		}
		if exists && (l.any || l.matches(etag, false)) {
			if x.method == http.MethodGet || x.method == http.MethodHead {
				return reply{status: http.StatusNotModified, header: http.Header{"Etag": {etag}}}, true
			}
			if l.any {
				return errorReply(http.StatusPreconditionFailed, "If-None-Match: * means create only, and %s already exists, so nothing was changed", x.path), true
			}
			return errorReply(http.StatusPreconditionFailed, "If-None-Match failed: %s still has the ETag %s, so nothing was changed", x.path, etag), true
		}
	}
	return reply{}, false
}
