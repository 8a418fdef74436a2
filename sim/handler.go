package sim

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// exchange is one request being answered.
type exchange struct {
	r       *http.Request
	method  string
	path    string
	req     Message // the request as recorded in the event
	body    []byte
	over    bool // the body was larger than maxBody
	readErr error
	key     string // Idempotency-Key, unquoted
	keyErr  error
	token   uint64         // the Idempotency-Key reservation this request holds, 0 for none
	doc     map[string]any // the parsed body of PUT, POST and PATCH
	canon   []byte         // doc as canonical JSON
	now     time.Time
	tx      txn
}

// ServeHTTP answers one request, records it as an Event and updates the store.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{r: r, method: r.Method, path: "/"}
	if r.URL != nil && r.URL.Path != "" {
		x.path = r.URL.Path
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	x.key, x.keyErr = idempotencyKey(r.Header)
	if x.method == http.MethodPost && x.key != "" && x.keyErr == nil {
		// Reserve the key before reading the body: while the body is still
		// arriving, the same key from another request gets 409.
		if x.token = s.reserve(x.key); x.token != 0 {
			defer s.release(x.key, x.token)
		}
	}
	switch b := r.Body.(type) {
	case nil:
	case *inProcessBody: // from Client: already in memory, no copy needed
		x.body, x.over = b.data[:min(len(b.data), maxBody)], len(b.data) > maxBody
	default:
		if b != http.NoBody {
			x.body, x.over, x.readErr = readLimited(b, r.ContentLength)
		}
	}
	x.req = requestMessage(r, x.body)

	l, labelled := labelOf(r.Context())
	if !labelled {
		l = label{src: SourceNetwork, attempt: 1}
	}
	s.mu.Lock()
	x.now = s.st.clock
	rep := s.dispatch(x).finish(x.method, x.now)
	e := Event{
		Time:     x.now,
		Source:   l.src,
		Attempt:  l.attempt,
		Fault:    l.fault,
		Request:  x.req,
		Response: rep.message(),
		Changes:  x.tx.changes,
		Replayed: rep.replayed,
	}
	if l.src == SourceNetwork {
		e.Remote = r.RemoteAddr
	}
	s.emit(e)
	s.remember(s.seq, &x.tx)
	s.st.clock = s.st.clock.Add(tick)
	s.mu.Unlock()

	rep.write(w)
}

// readLimited reads at most maxBody bytes; over says there was more.
// sizeHint (Content-Length, or -1) saves growing the buffer.
func readLimited(rd io.Reader, sizeHint int64) (body []byte, over bool, err error) {
	body = make([]byte, 0, min(max(sizeHint, 0), maxBody)+1)
	lr := io.LimitReader(rd, maxBody+1)
	for {
		if len(body) == cap(body) {
			body = append(body, 0)[:len(body)]
		}
		n, rerr := lr.Read(body[len(body):cap(body)])
		body = body[:len(body)+n]
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return body, false, rerr
		}
	}
	if len(body) > maxBody {
		return body[:maxBody], true, nil
	}
	if len(body) == 0 {
		body = nil
	}
	return body, false, nil
}

func requestMessage(r *http.Request, body []byte) Message {
	h := r.Header.Clone()
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	if host != "" {
		h.Set("Host", host)
	}
	target := r.RequestURI
	if target == "" && r.URL != nil {
		target = r.URL.RequestURI()
	}
	return Message{Method: r.Method, Target: target, Header: h, Body: body}
}

// dispatch decides the reply. The caller holds s.mu; writes go through x.tx.
func (s *Server) dispatch(x *exchange) reply {
	switch x.method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace:
	case http.MethodConnect:
		return errorReply(http.StatusNotImplemented, "CONNECT asks a proxy to open a tunnel; this server is not a proxy and does not implement CONNECT")
	default:
		return errorReply(http.StatusNotImplemented, "this server does not implement the method %s; it implements GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS and TRACE (methods are case-sensitive)", quoteInput(x.method))
	}
	if x.readErr != nil {
		return errorReply(http.StatusBadRequest, "the request body could not be read (%v); send the request again", x.readErr)
	}
	if x.method == http.MethodTrace {
		return traceReply(x)
	}
	rt, ok := routeOf(x.path)
	if !ok {
		return errorReply(http.StatusNotFound, "there is nothing at %s; this server has %s (GET / lists them)", quoteInput(x.path), strings.Join(collectionNames, ", "))
	}
	if x.method == http.MethodOptions {
		return optionsReply(rt)
	}
	if rt.kind == kindServer {
		return errorReply(http.StatusBadRequest, "the target * names the whole server and only works with OPTIONS; give a path such as /customers")
	}
	if !rt.allows(x.method) {
		rep := errorReply(http.StatusMethodNotAllowed, "%s is not allowed on %s; the Allow header lists what is: %s", x.method, rt.path, rt.allow())
		rep.header.Set("Allow", rt.allow())
		return rep
	}
	if x.over {
		return errorReply(http.StatusRequestEntityTooLarge, "the body is larger than 1 MiB, the most this server accepts; send a smaller one")
	}
	if x.method == http.MethodPut || x.method == http.MethodPost || x.method == http.MethodPatch {
		if rep, bad := readDoc(x); bad {
			return rep
		}
	}
	switch rt.kind {
	case kindIndex, kindCollection:
		if x.method == http.MethodPost {
			return s.idempotent(x, func() reply { return s.create(x, rt) })
		}
		return s.getCollection(x, rt)
	case kindProcessor:
		return s.idempotent(x, func() reply { return s.postInterest(x, rt) })
	}
	switch x.method {
	case http.MethodPut:
		return s.put(x, rt)
	case http.MethodPatch:
		return s.patch(x, rt)
	case http.MethodDelete:
		return s.delete(x, rt)
	}
	return s.get(x, rt)
}

// readDoc checks and parses the JSON body of PUT, POST and PATCH.
func readDoc(x *exchange) (reply, bool) {
	if len(x.body) == 0 {
		example := `the complete new state, such as {"status":"ontime","gate":"b12"}`
		switch x.method {
		case http.MethodPost:
			example = `such as {"name":"Joe"}`
		case http.MethodPatch:
			example = `a merge patch, such as {"gate":"b12"}`
		}
		return errorReply(http.StatusBadRequest, "%s needs a JSON body: %s", x.method, example), true
	}
	ct := x.r.Header.Get("Content-Type")
	mt := mediaTypeOf(ct)
	if x.method == http.MethodPatch {
		if mt != "application/merge-patch+json" {
			rep := errorReply(http.StatusUnsupportedMediaType, "PATCH here takes a JSON merge patch (RFC 7396): send Content-Type: application/merge-patch+json, not %s", quoteInput(ct))
			rep.header.Set("Accept-Patch", "application/merge-patch+json")
			return rep, true
		}
	} else if mt != "application/json" {
		return errorReply(http.StatusUnsupportedMediaType, "this server stores JSON: send the body with Content-Type: application/json, not %s", quoteInput(ct)), true
	}
	v, err := decodeJSONValue(x.body)
	if err != nil {
		return errorReply(http.StatusBadRequest, "%s; fix it and send the request again", err), true
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return errorReply(http.StatusUnprocessableEntity, `the body must be a JSON object, such as {"status":"ontime"}, not %s`, jsonKindOf(v)), true
	}
	canon, err := canonicalJSON(doc)
	if err != nil {
		return errorReply(http.StatusUnprocessableEntity, "the body could not be stored as JSON (%v)", err), true
	}
	x.doc, x.canon = doc, canon
	return reply{}, false
}

// mediaType is the type/subtype of a Content-Type value, lower case;
// parameters such as charset do not matter for JSON.
func mediaTypeOf(v string) string {
	mt, _, _ := strings.Cut(v, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

func jsonKindOf(v any) string {
	switch v.(type) {
	case []any:
		return "an array"
	case string:
		return "a string"
	case nil:
		return "null"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}

func optionsReply(rt route) reply {
	rep := reply{status: http.StatusNoContent, header: http.Header{"Allow": {rt.allow()}}}
	if rt.allows(http.MethodPatch) {
		rep.header.Set("Accept-Patch", "application/merge-patch+json")
	}
	return rep
}

// credentialHeaders are never echoed by TRACE (RFC 9110 §9.3.8).
var credentialHeaders = []string{"Authorization", "Cookie", "Proxy-Authorization"}

func traceReply(x *exchange) reply {
	if len(x.body) > 0 {
		return errorReply(http.StatusBadRequest, "a TRACE request must not carry a body; send it without one")
	}
	m := x.req
	m.Header = m.Header.Clone()
	for _, h := range credentialHeaders {
		m.Header.Del(h)
	}
	return reply{status: http.StatusOK, header: http.Header{"Content-Type": {"message/http"}}, body: []byte(m.wire(true, "\r\n", false))}
}

func (s *Server) get(x *exchange, rt route) reply {
	cur, exists := s.st.res[rt.path]
	if rep, failed := precondition(x, cur.etag, exists); failed {
		return rep
	}
	if !exists {
		return notFound(rt)
	}
	rep := jsonReply(http.StatusOK, cur.body)
	rep.header.Set("ETag", cur.etag)
	return rep
}

func notFound(rt route) reply {
	if rt.kind == kindMember && !topCollections[strings.TrimPrefix(rt.collection, "/")] {
		return errorReply(http.StatusNotFound, "there is nothing at %s; PUT a complete JSON object there to create it", rt.path)
	}
	return errorReply(http.StatusNotFound, "there is nothing at %s (it never existed, or it was deleted); GET %s lists what exists", rt.path, rt.collection)
}

func (s *Server) getCollection(x *exchange, rt route) reply {
	body := s.listing(rt)
	etag := etagOf(body)
	if rep, failed := precondition(x, etag, true); failed {
		return rep
	}
	rep := jsonReply(http.StatusOK, body)
	rep.header.Set("ETag", etag)
	return rep
}

// listing is a collection's representation: {"items":[member paths]}.
func (s *Server) listing(rt route) []byte {
	items := collectionNames
	if rt.kind == kindCollection {
		items = s.st.members(rt.collection)
	}
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i, p := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(p)) // paths are plain ASCII (see validID)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func (s *Server) put(x *exchange, rt route) reply {
	if x.r.Header.Get("Content-Range") != "" {
		return errorReply(http.StatusBadRequest, "this server does not support partial PUT (Content-Range); PUT the complete new state")
	}
	cur, exists := s.st.res[rt.path]
	if rep, failed := precondition(x, cur.etag, exists); failed {
		return rep
	}
	if rep, full := s.room(!exists, len(cur.body), len(x.canon)); full {
		return rep
	}
	s.st.set(&x.tx, rt.path, x.canon)
	h := http.Header{"Content-Type": {"application/json"}}
	// RFC 9110 §9.3.4: a validator only when the content was stored unchanged.
	if bytes.Equal(x.canon, x.body) {
		h.Set("ETag", etagOf(x.canon))
	}
	if !exists {
		h.Set("Location", rt.path)
		return representation(x, http.StatusCreated, h, x.canon)
	}
	return representation(x, http.StatusOK, h, x.canon)
}

func (s *Server) patch(x *exchange, rt route) reply {
	cur, exists := s.st.res[rt.path]
	if rep, failed := precondition(x, cur.etag, exists); failed {
		return rep
	}
	if !exists {
		return errorReply(http.StatusNotFound, "there is nothing at %s to patch; PUT creates it", rt.path)
	}
	canon, err := canonicalJSON(mergePatch(decodeObject(cur.body), x.doc))
	if err != nil {
		return errorReply(http.StatusUnprocessableEntity, "the patched resource could not be encoded (%v)", err)
	}
	if rep, full := s.room(false, len(cur.body), len(canon)); full {
		return rep
	}
	s.st.set(&x.tx, rt.path, canon)
	h := http.Header{"Content-Type": {"application/json"}, "Etag": {etagOf(canon)}}
	return representation(x, http.StatusOK, h, canon)
}

func (s *Server) delete(x *exchange, rt route) reply {
	cur, exists := s.st.res[rt.path]
	if rep, failed := precondition(x, cur.etag, exists); failed {
		return rep
	}
	if !exists {
		return errorReply(http.StatusNotFound, "there is nothing at %s: it does not exist, or it was already deleted", rt.path)
	}
	s.st.set(&x.tx, rt.path, nil)
	return reply{status: http.StatusNoContent, header: http.Header{}}
}

// create answers POST to a collection: the server picks the new member's id.
func (s *Server) create(x *exchange, rt route) reply {
	if hasPreconditions(x.r.Header) {
		if rep, failed := precondition(x, etagOf(s.listing(rt)), true); failed {
			return rep
		}
	}
	if rep, full := s.room(true, 0, len(x.canon)); full {
		return rep
	}
	path := s.st.newMemberPath(&x.tx, rt.collection)
	s.st.set(&x.tx, path, x.canon)
	h := http.Header{
		"Content-Type":     {"application/json"},
		"Location":         {path},
		"Content-Location": {path},
		"Etag":             {etagOf(x.canon)},
	}
	return representation(x, http.StatusCreated, h, x.canon)
}

// representation answers with the stored representation, or without it when
// the client asked for Prefer: return=minimal (RFC 7240).
func representation(x *exchange, status int, h http.Header, body []byte) reply {
	if !prefersMinimal(x.r.Header) {
		return reply{status: status, header: h, body: body}
	}
	h.Set("Preference-Applied", "return=minimal")
	h.Del("Content-Type")
	h.Del("Content-Location")
	if status == http.StatusOK {
		status = http.StatusNoContent
	}
	return reply{status: status, header: h}
}

func prefersMinimal(h http.Header) bool {
	for _, v := range h.Values("Prefer") {
		for p := range strings.SplitSeq(v, ",") {
			p, _, _ = strings.Cut(p, ";")
			if strings.EqualFold(strings.ReplaceAll(strings.TrimSpace(p), " ", ""), "return=minimal") {
				return true
			}
		}
	}
	return false
}

// room refuses a write that would take the server past its limits.
func (s *Server) room(creating bool, oldLen, newLen int) (reply, bool) {
	if creating && len(s.st.res) >= s.opts.MaxResources {
		return errorReply(http.StatusInsufficientStorage, "this server already holds %d resources, its limit; DELETE some or reset the fixture", s.opts.MaxResources), true
	}
	if s.st.bytes-oldLen+newLen > maxStoreBytes {
		return errorReply(http.StatusInsufficientStorage, "storing this would take the server past %d MiB of JSON, its limit; DELETE some resources or reset the fixture", maxStoreBytes>>20), true
	}
	return reply{}, false
}
