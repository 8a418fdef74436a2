package sim

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"time"
	"unsafe"
)

// keptEvent is how the event ring holds an event: everything but the
// sequence number and the time packed into one byte slice. Ten thousand kept
// events full of header maps and slices cost every garbage collection a walk
// over all of them; one pointer-free slice each costs next to nothing.
type keptEvent struct {
	seq  uint64
	time time.Time
	data []byte
}

// keep packs e into the free end of *slab when it fits there, or else in
// *scratch (keeping the grown buffer there for the next call) and copies
// the result into *slab (see slabbed). The bytes are never modified afterwards, so the events
// that unpack returns may share them.
func keep(e *Event, scratch, slab *[]byte) keptEvent {
	// Most events are packed straight into the free end of the block, which
	// saves copying them there afterwards. The bytes written past the block's
	// length belong to no event until the length moves past them, so an
	// event that turns out not to fit leaves nothing behind.
	if s := *slab; cap(s)-len(s) >= slabDirect {
		free := cap(s) - len(s)
		b := pack(s[len(s):], e)
		if cap(b) == free && len(b) <= slabSize/4 { // append stayed in the block, and the event is not one slabbed gives its own
			*slab = s[:len(s)+len(b)]
			return keptEvent{seq: e.Seq, time: e.Time, data: b[:len(b):len(b)]}
		}
		if cap(b) != free && cap(b) <= 64<<10 {
			*scratch = b // grown past the block into an array of its own: keep it, as below
		}
		return keptEvent{seq: e.Seq, time: e.Time, data: slabbed(slab, b)}
	}
	b := pack((*scratch)[:0], e)
	if cap(b) <= 64<<10 { // a huge event's buffer is not worth keeping
		*scratch = b
	}
	return keptEvent{seq: e.Seq, time: e.Time, data: slabbed(slab, b)}
}

// slabDirect is the free room in a block below which keep packs an event
// in its scratch buffer first: growing a slice from a small tail would take
// several allocations.
const slabDirect = 1 << 10

// pack appends e's packed form (all but the sequence number and time) to b.
// The two header maps come last, so that a reader who wants none of them
// (the printer, see unpackInto) stops before them.
func pack(b []byte, e *Event) []byte {
	b = appendString(b, string(e.Kind))
	b = appendString(b, string(e.Source))
	b = appendString(b, e.Remote)
	b = binary.AppendVarint(b, int64(e.Attempt))
	b = appendString(b, string(e.Fault))
	b = appendMessage(b, e.Request)
	b = appendMessage(b, e.Response)
	if e.Changes == nil {
		b = append(b, 0)
	} else {
		b = binary.AppendUvarint(b, uint64(len(e.Changes))+1)
		for _, c := range e.Changes {
			b = appendString(b, c.Path)
			b = appendBytes(b, c.Before)
			b = appendBytes(b, c.After)
		}
	}
	var flags byte // bit 0: Replayed, bit 1: Stale
	if e.Replayed {
		flags |= 1
	}
	if e.Stale {
		flags |= 2
	}
	b = append(b, flags)
	b = appendHeader(b, e.Request.Header, "Host", e.requestHost)
	return appendHeader(b, e.Response.Header, "Content-Length", e.responseLength)
}

// slabSize is the size of the blocks kept events are copied into: one
// allocation for dozens of events instead of one each. A block lives as
// long as any event in it (or a string unpacked from one); the log drops
// events oldest first, so at most one block is partly dead.
const slabSize = 16 << 10

// slabbed copies b to the free end of the block *slab (a new block when b
// does not fit there), or on its own when b is over a quarter of a block
// or slab is nil. Bytes once copied are never written again: later copies
// go past them.
func slabbed(slab *[]byte, b []byte) []byte {
	if slab == nil || len(b) > slabSize/4 {
		return bytes.Clone(b)
	}
	s := *slab
	if cap(s)-len(s) < len(b) {
		s = make([]byte, 0, slabSize)
	}
	start := len(s)
	s = append(s, b...)
	*slab = s
	return s[start:len(s):len(s)]
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendBytes keeps nil apart from empty.
func appendBytes(b, p []byte) []byte {
	if p == nil {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(p))+1)
	return append(b, p...)
}

// appendMessage packs m but its header (see appendHeader).
func appendMessage(b []byte, m Message) []byte {
	b = appendString(b, m.Method)
	b = appendString(b, m.Target)
	b = binary.AppendVarint(b, int64(m.Status))
	return appendBytes(b, m.Body)
}

// appendHeader packs h; when value is not empty, with the field name set to
// value (in place of any value h has for it).
func appendHeader(b []byte, h http.Header, name, value string) []byte {
	if h == nil && value == "" {
		return append(b, 0)
	}
	n := len(h)
	if _, ok := h[name]; value != "" && !ok {
		n++
	}
	b = binary.AppendUvarint(b, uint64(n)+1)
	if value != "" {
		b = appendString(b, name)
		b = binary.AppendUvarint(b, 2)
		b = appendString(b, value)
	}
	for k, vv := range h {
		if value != "" && k == name {
			continue
		}
		b = appendString(b, k)
		if vv == nil {
			b = append(b, 0)
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(vv))+1)
		for _, v := range vv {
			b = appendString(b, v)
		}
	}
	return b
}

// unpacker reads what keep wrote.
type unpacker struct {
	b []byte
	i int
}

func (u *unpacker) uvarint() uint64 {
	if c := u.b[u.i]; c < 0x80 { // one byte (every length under 128, which is most), read inline
		u.i++
		return uint64(c)
	}
	return u.longUvarint()
}

func (u *unpacker) longUvarint() uint64 {
	v, n := binary.Uvarint(u.b[u.i:])
	u.i += n
	return v
}

func (u *unpacker) varint() int64 {
	v, n := binary.Varint(u.b[u.i:])
	u.i += n
	return v
}

func (u *unpacker) raw(n int) []byte {
	p := u.b[u.i : u.i+n : u.i+n]
	u.i += n
	return p
}

// string returns a string of the kept bytes, sharing them: the packed bytes
// are never modified (see keep), so the string cannot change. Unpacking the
// newest two thousand events of a flood of 60 KB targets then costs their
// headers, not another 120 MB of copies.
func (u *unpacker) string() string { return u.stringOf(u.rawString()) }

// stringOf is the string of kept bytes b, sharing them.
func (u *unpacker) stringOf(b []byte) string {
	if s := intern(b); s != "" || len(b) == 0 {
		return s
	}
	return unsafe.String(&b[0], len(b))
}

// bytes returns a slice of the kept bytes (capped, so an append copies).
func (u *unpacker) bytes() []byte {
	n := u.uvarint()
	if n == 0 {
		return nil
	}
	return u.raw(int(n - 1))
}

func (u *unpacker) message() Message {
	m := Message{Method: u.string(), Target: u.string(), Status: int(u.varint())}
	m.Body = u.bytes()
	return m
}

// header reads what appendHeader wrote.
func (u *unpacker) header() http.Header {
	n := u.uvarint()
	if n == 0 {
		return nil
	}
	n--
	h := make(http.Header, n)
	var vals []string // one backing array for the values, as Header.Clone does
	for range n {
		k := u.rawString()
		nv := u.uvarint()
		if nv == 0 {
			h[u.stringOf(k)] = nil
			continue
		}
		nv--
		if vals == nil {
			vals = make([]string, 0, 2*n)
		}
		start := len(vals)
		for range nv {
			vals = append(vals, u.string())
		}
		h[u.stringOf(k)] = vals[start:len(vals):len(vals)]
	}
	return h
}

// rawString returns the next string's kept bytes.
func (u *unpacker) rawString() []byte { return u.raw(int(u.uvarint())) }

// unpack gives the event back as it was emitted.
func (k keptEvent) unpack() Event { return k.unpackWith(true) }

// unpackWith gives the event back, without its messages' header maps
// unless headers is set.
func (k keptEvent) unpackWith(headers bool) Event { return k.unpackInto(headers, nil) }

// unpackInto is unpackWith with the event's changes in spare when they fit
// there: for a reader that is done with each event before the next.
func (k keptEvent) unpackInto(headers bool, spare []Change) Event {
	u := unpacker{b: k.data}
	e := Event{Seq: k.seq, Time: k.time}
	e.Kind = EventKind(u.string())
	e.Source = Source(u.string())
	e.Remote = u.string()
	e.Attempt = int(u.varint())
	e.Fault = Fault(u.string())
	e.Request = u.message()
	e.Response = u.message()
	if n := u.uvarint(); n > 0 {
		if spare != nil && cap(spare) >= int(n-1) {
			e.Changes = spare[:n-1]
		} else {
			e.Changes = make([]Change, n-1)
		}
		for i := range e.Changes {
			e.Changes[i] = Change{Path: u.string(), Before: u.bytes(), After: u.bytes()}
		}
	}
	flags := u.raw(1)[0]
	e.Replayed, e.Stale = flags&1 != 0, flags&2 != 0
	if headers { // the rest is the two header maps
		e.Request.Header = u.header()
		e.Response.Header = u.header()
	}
	return e
}

// intern returns the common strings of events without allocating; "" for
// the others.
func intern(b []byte) string {
	switch string(b) {
	case "":
		return ""
	case "composer":
		return "composer"
	case "lesson":
		return "lesson"
	case "retry":
		return "retry"
	case "network":
		return "network"
	case "lost-response":
		return "lost-response"
	case "dropped-request":
		return "dropped-request"
	case "delayed":
		return "delayed"
	case "undo":
		return "undo"
	case "reset":
		return "reset"
	case "restore":
		return "restore"
	case "GET":
		return "GET"
	case "HEAD":
		return "HEAD"
	case "POST":
		return "POST"
	case "PUT":
		return "PUT"
	case "PATCH":
		return "PATCH"
	case "DELETE":
		return "DELETE"
	case "OPTIONS":
		return "OPTIONS"
	case "Content-Type":
		return "Content-Type"
	case "Content-Length":
		return "Content-Length"
	case "Date":
		return "Date"
	case "Etag":
		return "Etag"
	case "Host":
		return "Host"
	case "Location":
		return "Location"
	case "Content-Location":
		return "Content-Location"
	case "Allow":
		return "Allow"
	case "application/json":
		return "application/json"
	case "putpost.local":
		return "putpost.local"
	}
	return ""
}
