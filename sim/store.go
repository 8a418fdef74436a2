package sim

import (
	"bytes"
	"maps"
	"strconv"
	"strings"
	"time"
)

// resource is one stored representation: canonical JSON and its strong ETag.
// Bodies are never modified once stored, so the store, events, undo records
// and snapshots share them freely.
type resource struct {
	body []byte
	etag string
}

func newResource(body []byte) resource { return resource{body: body, etag: etagOf(body)} }

// etagOf derives a strong entity tag from the stored bytes (64-bit FNV-1a):
// equal bytes, equal tag.
func etagOf(body []byte) string {
	h := uint64(14695981039346656037)
	for _, c := range body {
		h = (h ^ uint64(c)) * 1099511628211
	}
	var b [18]byte
	b[0], b[17] = '"', '"'
	const digits = "0123456789abcdef"
	for i := 16; i >= 1; i-- {
		b[i] = digits[h&15]
		h >>= 4
	}
	return string(b[:])
}

// state is everything Checkpoint copies and Restore puts back.
type state struct {
	fixture  string
	clock    time.Time
	res      map[string]resource
	counters map[string]int // the last id handed out, per collection
	idem     map[string]idemRecord
	bytes    int // stored body bytes, for the storage cap
	idemSize int // bytes kept in idem: keys, requests and responses (idemRecord.size)

	undo      []undoEntry // newest last
	undoBytes int

	// shared says the maps are also held by a Snapshot: copy them before
	// writing. That makes Checkpoint O(1) and keeps snapshots immutable.
	shared bool
}

func freshState(fixture string, start time.Time) state {
	st := state{
		fixture:  fixture,
		clock:    start,
		res:      make(map[string]resource),
		counters: make(map[string]int),
		idem:     make(map[string]idemRecord),
	}
	for _, sd := range fixtureSeeds[fixture] {
		st.res[sd.path] = newResource([]byte(sd.body))
		st.bytes += len(sd.body)
	}
	return st
}

// own makes the maps private to the live state before a write.
func (st *state) own() {
	if !st.shared {
		return
	}
	st.res = maps.Clone(st.res)
	st.counters = maps.Clone(st.counters)
	st.idem = maps.Clone(st.idem)
	st.shared = false
}

// txn journals what one exchange (or one undo) wrote, so the event can list
// the changes and Undo can put back the old values.
type txn struct {
	changes  []Change // per touched path: the first Before, the latest After
	tags     []string // per change: the ETag of its Before ("" for none)
	counters []counterWas
	idem     []idemWas
}

type counterWas struct {
	collection string
	was        int
}

type idemWas struct {
	key     string
	was     idemRecord
	present bool
}

// changed says whether the transaction changed anything (a PUT of identical
// state touches a resource without changing it).
func (tx *txn) changed() bool {
	for _, c := range tx.changes {
		if (c.Before == nil) != (c.After == nil) || !bytes.Equal(c.Before, c.After) {
			return true
		}
	}
	return len(tx.counters) > 0 || len(tx.idem) > 0
}

// set stores body at path and returns its ETag; a nil body deletes.
func (st *state) set(tx *txn, path string, body []byte) (etag string) {
	st.own()
	old, had := st.res[path]
	i := 0
	for i < len(tx.changes) && tx.changes[i].Path != path {
		i++
	}
	if i == len(tx.changes) {
		tx.changes = append(tx.changes, Change{Path: path, Before: old.body})
		tx.tags = append(tx.tags, old.etag)
	}
	tx.changes[i].After = body
	if had {
		st.bytes -= len(old.body)
	}
	if body == nil {
		delete(st.res, path)
		return ""
	}
	st.bytes += len(body)
	if had && bytes.Equal(old.body, body) {
		return old.etag // equal bytes, equal tag: the stored resource stays as it is
	}
	r := newResource(body)
	st.res[path] = r
	return r.etag
}

func (st *state) setCounter(tx *txn, collection string, v int) {
	st.own()
	if !hasCounter(tx.counters, collection) {
		tx.counters = append(tx.counters, counterWas{collection, st.counters[collection]})
	}
	if v == 0 {
		delete(st.counters, collection)
	} else {
		st.counters[collection] = v
	}
}

func hasCounter(cs []counterWas, collection string) bool {
	for _, c := range cs {
		if c.collection == collection {
			return true
		}
	}
	return false
}

func (st *state) setIdem(tx *txn, key string, rec idemRecord, present bool) {
	st.own()
	seen := false
	for _, w := range tx.idem {
		seen = seen || w.key == key
	}
	if !seen {
		was, had := st.idem[key]
		tx.idem = append(tx.idem, idemWas{key, was, had})
	}
	if old, ok := st.idem[key]; ok {
		st.idemSize -= old.size(key)
	}
	if present {
		st.idem[key] = rec
		st.idemSize += rec.size(key)
	} else {
		delete(st.idem, key)
	}
}

// forgetExpired drops idempotency records past their expiry; it is
// housekeeping, not a change Undo needs to see.
func (st *state) forgetExpired(now time.Time) {
	st.own()
	for k, r := range st.idem {
		if !r.live(now) {
			st.idemSize -= r.size(k)
			delete(st.idem, k)
		}
	}
}

// newMemberPath hands out the next free numeric id in a collection.
func (st *state) newMemberPath(tx *txn, collection string) string {
	n := st.counters[collection]
	for {
		n++
		var buf [64]byte
		p := string(strconv.AppendInt(append(append(buf[:0], collection...), '/'), int64(n), 10))
		if _, taken := st.res[p]; !taken {
			st.setCounter(tx, collection, n)
			return p
		}
	}
}

// members lists the stored paths directly below collection, in natural order.
func (st *state) members(collection string) []string {
	prefix := collection + "/"
	if collection == "/" {
		prefix = "/"
	}
	var out []string
	for p := range st.res {
		if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" && !strings.Contains(rest, "/") {
			out = append(out, p)
		}
	}
	sortNatural(out)
	return out
}

// diffStates lists every resource that differs between two stores.
func diffStates(before, after map[string]resource) []Change {
	var paths []string
	for p, r := range before {
		if a, ok := after[p]; !ok || !bytes.Equal(a.body, r.body) {
			paths = append(paths, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			paths = append(paths, p)
		}
	}
	sortNatural(paths)
	out := make([]Change, len(paths))
	for i, p := range paths {
		out[i] = Change{Path: p, Before: before[p].body, After: after[p].body}
	}
	return out
}
