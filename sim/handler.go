package sim

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/putpost/putpost/termsafe"
)

// exchange is one request being answered.
type exchange struct {
	header  http.Header // the request's header fields (read-only)
	out     http.Header // where the answer's header is built: the ResponseWriter's own map, or nil (see reply)
	method  string
	path    string
	req     Message // the request as recorded in the event
	body    []byte
	over    bool // the body was larger than maxBody
	readErr error
	host    string // the Host field, which x.req.Header leaves out (see record)
	key     string // Idempotency-Key, unquoted
	keyErr  error
	token   uint64         // the Idempotency-Key reservation this request holds, 0 for none
	doc     map[string]any // the parsed body of PUT, POST and PATCH; see document
	canon   []byte         // the body as canonical JSON
	now     time.Time
	tx      txn
	// bySender says the answer goes out through net/http's own
	// ResponseWriter, which writes a short answer's Content-Length itself.
	bySender bool
}

// document is the parsed JSON object of the body. readDoc skips parsing a
// body that is already canonical; this parses it when a handler needs it.
func (x *exchange) document() map[string]any {
	if x.doc == nil && x.canon != nil {
		x.doc = decodeObject(x.canon)
	}
	return x.doc
}

// start begins answering a request for path with method and header in x
// (a zero exchange, which the caller keeps, so that it need not live on
// the heap); the caller must call s.done(x) when the exchange is over.
func (s *Server) start(x *exchange, method, path string, header http.Header) {
	if header == nil {
		header = http.Header{}
	}
	x.header, x.method, x.path = header, method, path
	x.key, x.keyErr = idempotencyKey(header)
	if x.method == http.MethodPost && x.key != "" && x.keyErr == nil {
		// Reserve the key before reading the body: while the body is still
		// arriving, the same key from another request gets 409.
		x.token = s.reserve(x.key)
	}
}

// done releases what the exchange holds.
func (s *Server) done(x *exchange) {
	if x.token != 0 {
		s.release(x.key, x.token)
	}
}

// targetPath is the path a request is for: "*" for the asterisk-form of
// OPTIONS (from a socket, or from a client whose URL is opaque "*"), "/" when
// there is none.
func targetPath(requestURI string, u *url.URL) string {
	switch {
	case requestURI == "*" || u != nil && u.Opaque == "*":
		return "*"
	case u != nil && u.Path != "":
		return u.Path
	}
	return "/"
}

// ServeHTTP answers one request, records it as an Event and updates the store.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l, labelled := labelOf(r.Context())
	if !labelled {
		l = label{src: SourceNetwork, attempt: 1}
	}
	s.answer(r, l, w.Header(), false).write(w)
}

// netHTTPServed is s as the handler of a net/http Server (see Serve): its
// ResponseWriter is net/http's own, which adds Content-Length to a short
// answer, so the answer's header need not carry it (see reply.finish).
type netHTTPServed struct{ s *Server }

func (h netHTTPServed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A request from net/http's own server carries no label: it came from a
	// socket, on its first attempt.
	h.s.answer(r, label{src: SourceNetwork, attempt: 1}, w.Header(), true).write(w)
}

// answer handles one request labelled l and returns the reply to write.
// The reply's header is built in out when it is not nil: pass the header
// of the ResponseWriter the reply is for; bySender says that ResponseWriter
// is net/http's own.
func (s *Server) answer(r *http.Request, l label, out http.Header, bySender bool) reply {
	x := new(exchange)
	s.start(x, r.Method, targetPath(r.RequestURI, r.URL), r.Header)
	x.out, x.bySender = out, bySender
	defer s.done(x)
	switch {
	case r.Body == nil || r.Body == http.NoBody:
	case r.ContentLength > maxBody:
		x.over = true // refused on Content-Length alone: the body is never read
	default: // chunked bodies (ContentLength -1) are caught by the read limit
		x.body, x.over, x.readErr = readLimited(r.Body, r.ContentLength)
		if bySender && !x.over && x.readErr == nil {
			// Read to its end: closing it now tells net/http so. Left open,
			// net/http reads it again before it writes the answer, to
			// discard what is left (a reader and a read more per request).
			r.Body.Close()
		}
	}
	target := r.RequestURI
	if target == "" && r.URL != nil {
		target = r.URL.RequestURI()
	}
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	x.record(r.Method, target, host)

	remote := ""
	if l.src == SourceNetwork {
		remote = r.RemoteAddr
	}
	return s.serve(x, l, remote)
}

// serve decides the reply to x, records the event and returns the reply for
// the caller to write.
func (s *Server) serve(x *exchange, l label, remote string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	x.now = s.st.clock
	// The exchange's change list is the server's one slice, which the event
	// and the undo record copy what they keep out of: one allocation fewer per
	// write. It is emptied (of bodies too) before the lock is let go.
	x.tx.changes, x.tx.tags = s.changes[:0], s.tags[:0]
	defer func() {
		clear(x.tx.changes)
		s.changes, s.tags = x.tx.changes[:0], x.tx.tags[:0]
		x.tx.changes, x.tx.tags = nil, nil
	}()
	date := x.now
	if l.src == SourceNetwork && s.opts.WallClockDate {
		date = time.Now() // a real socket: Date is the time of origination (§6.6.1)
	}
	rep := s.dispatch(x).finish(x.method, date, x.out, x.bySender)
	changes := x.tx.changes
	if len(changes) == 0 {
		changes = nil // an exchange that changed nothing records no list, as before
	}
	s.emit(Event{
		Time:     x.now,
		Source:   l.src,
		Remote:   remote,
		Attempt:  l.attempt,
		Fault:    l.fault,
		Request:  x.req,
		Response: rep.message(),
		Changes:  changes,
		Replayed: rep.replayed,
		Stale:    rep.stale,

		requestHost:    x.host,
		responseLength: rep.sentLength(),
	})
	s.remember(s.seq, &x.tx)
	s.st.clock = s.st.clock.Add(tick)
	return rep
}

// readLimited reads at most maxBody bytes; over says there was more.
// sizeHint (Content-Length, or -1) saves growing the buffer.
func readLimited(rd io.Reader, sizeHint int64) (body []byte, over bool, err error) {
	body = make([]byte, 0, min(max(sizeHint, 0), maxBody)+1)
	lr := &io.LimitedReader{R: rd, N: maxBody + 1} // not io.LimitReader: this one need not live on the heap
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

// record sets the request the exchange's event records. Unlike
// requestMessage it does not copy the header: the event is packed, with host
// as its Host field, before the request is answered (see serve), and nobody
// changes a request's header while it is being answered.
func (x *exchange) record(method, target, host string) {
	x.req = Message{Method: method, Target: target, Header: x.header, Body: x.body}
	x.host = host
}

// requestMessage records a request: its own copy of the header (the caller
// may reuse its map), with Host, as it was on the wire.
func requestMessage(method, target, host string, header http.Header, body []byte) Message {
	return Message{Method: method, Target: target, Header: cloneHeaderWith(header, "Host", host), Body: body}
}

// dispatch decides the reply. The caller holds s.mu; writes go through x.tx.
func (s *Server) dispatch(x *exchange) reply {
	switch x.method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace:
	case http.MethodConnect:
		return errorReply(http.StatusNotImplemented, "CONNECT asks a proxy to open a tunnel; this server is not a proxy and does not implement CONNECT")
	default:
		if up := strings.ToUpper(x.method); up != x.method && knownMethod(up) {
			return errorReply(http.StatusNotImplemented, "%s is not %s: method names are case-sensitive (RFC 9110 §9.1), so this server does not know %s; send %s", quoteInput(x.method), up, quoteInput(x.method), up)
		}
		return errorReply(http.StatusNotImplemented, "this server does not implement the method %s; it implements GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS and TRACE (methods are case-sensitive)", quoteInput(x.method))
	}
	if x.readErr != nil {
		return errorReply(http.StatusBadRequest, "the request body could not be read (%v); send the request again", x.readErr)
	}
	if x.method == http.MethodTrace {
		if x.path == "*" {
			return errorReply(http.StatusBadRequest, "the target * only works with OPTIONS; TRACE a path, such as /flights/AA123")
		}
		return traceReply(x)
	}
	rt, ok := routeOf(x.path)
	if !ok {
		// A trailing slash makes a different URL (RFC 3986 compares paths
		// as written), so the server does not serve it; but it names the
		// URL the client most likely meant.
		if bare := strings.TrimRight(x.path, "/"); bare != x.path && bare != "" {
			if _, ok := routeOf(bare); ok {
				return errorReply(http.StatusNotFound, "there is nothing at %s: with the trailing slash it is a different URL; did you mean %s?", quoteInput(x.path), bare)
			}
		}
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
		if rep, bad := readDoc(x, rt); bad {
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

// knownMethod reports whether m is one of the methods this server implements
// or knows of, in upper case.
func knownMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodTrace, http.MethodConnect:
		return true
	}
	return false
}

// field is h.Get(name) for a name in canonical form, which Get would
// canonicalise again on every request.
func field(h http.Header, name string) string {
	if vs := h[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// readDoc checks and parses the JSON body of PUT, POST and PATCH sent to
// rt.
func readDoc(x *exchange, rt route) (reply, bool) {
	if ce := strings.TrimSpace(field(x.header, "Content-Encoding")); ce != "" && !strings.EqualFold(ce, "identity") {
		rep := errorReply(http.StatusUnsupportedMediaType, "this server does not decode the content coding %s: send the body unencoded, without Content-Encoding", quoteInput(ce))
		rep.header.Set("Accept-Encoding", "identity")
		return rep, true
	}
	if len(x.body) == 0 {
		example := bodyExample(rt)
		switch x.method {
		case http.MethodPut:
			example = "the complete new state, " + example
		case http.MethodPatch:
			example = "a merge patch, " + strings.Replace(example, `"status":"ontime",`, "", 1)
		}
		return errorReply(http.StatusBadRequest, "%s needs a JSON body: %s", x.method, example), true
	}
	ct := field(x.header, "Content-Type")
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
	if !utf8.Valid(x.body) {
		return errorReply(http.StatusBadRequest, "the body is not valid UTF-8 (the first bad byte is at offset %d); JSON text must be UTF-8 (RFC 8259 §8.1), so nothing was stored", termsafe.InvalidAt(x.body)), true
	}
	// Most bodies need no maps to be made canonical; the result is exactly
	// what decoding and encoding again would give.
	if isCanonicalObject(x.body) {
		x.canon = x.body
		return reply{}, false
	}
	if canon, ok := canonicalObject(x.body); ok {
		x.canon = canon
		return reply{}, false
	}
	v, err := decodeJSONValue(x.body)
	if err != nil {
		return errorReply(http.StatusBadRequest, "%s; fix it and send the request again", err), true
	}
	doc, ok := v.(map[string]any)
	switch {
	case !ok && x.method == http.MethodPatch:
		return errorReply(http.StatusUnprocessableEntity, `this server applies only merge patches that are JSON objects, such as {"gate":"b12"}; RFC 7396 makes %s replace the whole resource, which PUT does here`, jsonKindOf(v)), true
	case !ok:
		return errorReply(http.StatusUnprocessableEntity, `the body must be a JSON object, such as {"status":"ontime"}, not %s`, jsonKindOf(v)), true
	}
	canon, err := canonicalJSON(doc)
	if err != nil {
		return errorReply(http.StatusUnprocessableEntity, "the body could not be stored as JSON (%v)", err), true
	}
	x.doc, x.canon = doc, canon
	return reply{}, false
}

// mediaTypeOf is the type/subtype of a Content-Type value, lower case;
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

// credentialHeaders are never echoed by TRACE (RFC 9110 §9.3.8), nor is any
// field whose name contains one of credentialWords (case-insensitive), such
// as X-Auth-Token, X-Api-Key, Set-Cookie or X-Session-Id.
var (
	credentialHeaders = []string{"Authorization", "Cookie", "Proxy-Authorization"}
	credentialWords   = []string{"auth", "token", "secret", "api-key", "apikey", "session", "password", "cookie"}
)

// likelyCredential says whether a header field may carry a credential.
func likelyCredential(name string) bool {
	for _, h := range credentialHeaders {
		if strings.EqualFold(name, h) {
			return true
		}
	}
	lower := strings.ToLower(name)
	for _, w := range credentialWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

func traceReply(x *exchange) reply {
	if len(x.body) > 0 || x.over {
		return errorReply(http.StatusBadRequest, "a TRACE request must not carry a body; send it without one")
	}
	m := x.req
	m.Header = make(http.Header, len(x.req.Header)+1)
	if x.host != "" {
		m.Header["Host"] = []string{x.host}
	}
	for k, v := range x.req.Header {
		if !likelyCredential(k) && (k != "Host" || x.host == "") {
			m.Header[k] = v
		}
	}
	return reply{status: http.StatusOK, header: http.Header{"Content-Type": {"message/http"}}, body: []byte(m.wire(true, "\r\n", false))}
}

func (s *Server) get(x *exchange, rt route) reply {
	cur, exists := s.st.res[rt.path]
	if rep, failed := s.precondition(x, cur.etag, exists); failed {
		return rep
	}
	if !exists {
		return notFound(rt)
	}
	return x.reply(http.StatusOK, cur.body, "Content-Type", "application/json", "Etag", cur.etag)
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
	if rep, failed := s.precondition(x, etag, true); failed {
		return rep
	}
	return x.reply(http.StatusOK, body, "Content-Type", "application/json", "Etag", etag)
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
	if len(x.header["Content-Range"]) > 0 && x.header["Content-Range"][0] != "" {
		return errorReply(http.StatusBadRequest, "this server does not support partial PUT (Content-Range); PUT the complete new state")
	}
	cur, exists := s.st.res[rt.path]
	if rep, failed := s.precondition(x, cur.etag, exists); failed {
		return rep
	}
	if rep, full := s.room(!exists, len(cur.body), len(x.canon)); full {
		return rep
	}
	etag := s.st.set(&x.tx, rt.path, x.canon)
	// Content-Location says the body is the new state of the target (§9.3.4).
	kv := [8]string{"Content-Type", "application/json", "Content-Location", rt.path}
	n := 4
	// RFC 9110 §9.3.4: a validator only when the content was stored unchanged.
	if bytes.Equal(x.canon, x.body) {
		kv[n], kv[n+1] = "Etag", etag
		n += 2
	}
	if !exists {
		kv[n], kv[n+1] = "Location", rt.path
		return representation(x, x.reply(http.StatusCreated, x.canon, kv[:n+2]...))
	}
	return representation(x, x.reply(http.StatusOK, x.canon, kv[:n]...))
}

func (s *Server) patch(x *exchange, rt route) reply {
	cur, exists := s.st.res[rt.path]
	if rep, failed := s.precondition(x, cur.etag, exists); failed {
		return rep
	}
	if !exists {
		return errorReply(http.StatusNotFound, "there is nothing at %s to patch; PUT creates it", rt.path)
	}
	canon, err := canonicalJSON(mergePatch(decodeObject(cur.body), x.document()))
	if err != nil {
		return errorReply(http.StatusUnprocessableEntity, "the patched resource could not be encoded (%v)", err)
	}
	if rep, full := s.room(false, len(cur.body), len(canon)); full {
		return rep
	}
	s.st.set(&x.tx, rt.path, canon)
	return representation(x, x.reply(http.StatusOK, canon, "Content-Type", "application/json", "Content-Location", rt.path, "Etag", s.st.res[rt.path].etag))
}

func (s *Server) delete(x *exchange, rt route) reply {
	cur, exists := s.st.res[rt.path]
	if rep, failed := s.precondition(x, cur.etag, exists); failed {
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
	if hasPreconditions(x.header) {
		if rep, failed := s.precondition(x, etagOf(s.listing(rt)), true); failed {
			return rep
		}
	}
	if rep, full := s.room(true, 0, len(x.canon)); full {
		return rep
	}
	path := s.st.newMemberPath(&x.tx, rt.collection)
	s.st.set(&x.tx, path, x.canon)
	return representation(x, x.reply(http.StatusCreated, x.canon,
		"Content-Type", "application/json",
		"Location", path,
		"Content-Location", path,
		"Etag", s.st.res[path].etag,
	))
}

// representation answers with the stored representation rep, or without it
// when the client asked for Prefer: return=minimal (RFC 7240).
func representation(x *exchange, rep reply) reply {
	if !prefersMinimal(x.header) {
		return rep
	}
	rep.header.Set("Preference-Applied", "return=minimal")
	rep.header.Del("Content-Type")
	rep.header.Del("Content-Location")
	if rep.status == http.StatusOK {
		rep.status = http.StatusNoContent
	}
	rep.body = nil
	return rep
}

func prefersMinimal(h http.Header) bool {
	for _, v := range h["Prefer"] {
		for p := range strings.SplitSeq(v, ",") {
			p, _, _ = strings.Cut(p, ";")
			if strings.EqualFold(strings.ReplaceAll(strings.TrimSpace(p), " ", ""), "return=minimal") {
				return true
			}
		}
	}
	return false
}

// kibWords is a byte count for the 507's words: 16 MiB, 16452 KiB.
func kibWords(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", (n+1023)>>10)
}

// room refuses a write that would take the server past its limits.
func (s *Server) room(creating bool, oldLen, newLen int) (reply, bool) {
	if creating && len(s.st.res) >= s.opts.MaxResources {
		return errorReply(http.StatusInsufficientStorage, "this server already holds %d resources, its limit; DELETE some or reset the fixture", s.opts.MaxResources), true
	}
	if s.st.bytes-oldLen+newLen > s.opts.MaxBytes {
		return errorReply(http.StatusInsufficientStorage, "storing this would take the server's stored JSON to %s, past its limit of %s: nothing was stored; DELETE some resources or reset the fixture", kibWords(s.st.bytes-oldLen+newLen), kibWords(s.opts.MaxBytes)), true
	}
	return reply{}, false
}

// bodyExample is a body that fits rt, for an answer that asks for one.
func bodyExample(rt route) string {
	switch {
	case rt.kind == kindProcessor:
		return `such as {"rate":0.10}`
	case rt.collection == "/accounts":
		return `such as {"balance":100}`
	case rt.collection == "/customers":
		return `such as {"name":"Joe"}`
	case rt.collection == "/payments":
		return `such as {"amount":25,"to":"ACME Air"}`
	}
	return `such as {"status":"ontime","gate":"b12"}`
}
