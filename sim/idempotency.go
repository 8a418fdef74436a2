package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"time"
)

// idemTTL is how long an Idempotency-Key is remembered, on the sim clock
// (Stripe keeps keys for 24 hours).
const idemTTL = 24 * time.Hour

// idemRecord is the stored first response to a POST with an Idempotency-Key.
type idemRecord struct {
	fingerprint string // method, path and a hash of the canonical body
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

// idempotencyKey reads Idempotency-Key (or X-Idempotency-Key). The draft
// makes the key a quoted string; a bare token is accepted too. "" means none.
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
	v := strings.TrimSpace(vs[0])
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	if v == "" || len(v) > 255 || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '"' }) {
		return "", fmt.Errorf("%s must be a quoted string of 1 to 255 printable characters, such as \"k1\" or a UUID", name)
	}
	return v, nil
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
		return errorReply(http.StatusBadRequest, "%v", x.keyErr)
	}
	if x.key == "" {
		return process()
	}
	sum := sha256.Sum256(x.canon)
	request := x.method + " " + x.path
	fp := request + " " + hex.EncodeToString(sum[:])
	if rec, ok := s.st.idem[x.key]; ok && rec.live(x.now) {
		switch {
		case rec.request != request:
			return errorReply(http.StatusUnprocessableEntity, "the Idempotency-Key %s was first used for %s, not %s; use a new key for a new request", quoteInput(x.key), rec.request, request)
		case rec.fingerprint != fp:
			return errorReply(http.StatusUnprocessableEntity, "the Idempotency-Key %s was first used with a different body; a retry must repeat the request exactly, and a new request needs a new key", quoteInput(x.key))
		}
		rep := rec.reply
		rep.header = maps.Clone(rep.header)
		rep.header.Set("Idempotent-Replayed", "true")
		rep.replayed = true
		return rep
	}
	if holder, busy := s.inflight[x.key]; busy && holder != x.token {
		return errorReply(http.StatusConflict, "a request with the Idempotency-Key %s is still being processed; wait for its response, then retry", quoteInput(x.key))
	}
	if len(s.st.idem) >= s.opts.MaxResources || s.st.idemSize > maxIdemBytes {
		s.st.forgetExpired(x.now)
		if len(s.st.idem) >= s.opts.MaxResources || s.st.idemSize > maxIdemBytes {
			return errorReply(http.StatusInsufficientStorage, "this server already remembers %d idempotency keys (%d KiB of responses), its limit; wait for them to expire or reset the fixture", len(s.st.idem), s.st.idemSize>>10)
		}
	}
	rep := process()
	if rep.status >= 500 { // 507: once there is room, a retry should be processed
		return rep
	}
	stored := rep
	stored.header = maps.Clone(rep.header)
	s.st.setIdem(&x.tx, x.key, idemRecord{fingerprint: fp, request: request, reply: stored, created: x.now}, true)
	return rep
}
