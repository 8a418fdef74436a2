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

// keep packs e, using *scratch as the buffer it builds in (and keeps the
// grown buffer there for the next call), and copies the result into *slab
// (see slabbed). The bytes are never modified afterwards, so the events
// that unpack returns may share them.
func keep(e *Event, scratch, slab *[]byte) keptEvent {
	b := (*scratch)[:0]
	b = appendString(b, string(e.Kind))
	b = appendString(b, string(e.Source))
	b = appendString(b, e.Remote)
	b = binary.AppendVarint(b, int64(e.Attempt))
	b = appendString(b, string(e.Fault))
	b = appendMessage(b, e.Request, "Host", e.requestHost)
	b = appendMessage(b, e.Response, "", "")
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
	if e.Replayed {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	if cap(b) <= 64<<10 { // a huge event's buffer is not worth keeping
		*scratch = b
	}
	return keptEvent{seq: e.Seq, time: e.Time, data: slabbed(slab, b)}
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

// appendMessage packs m; when value is not empty, its header is packed with
// the field name set to value (in place of any value m.Header has for it).
func appendMessage(b []byte, m Message, name, value string) []byte {
	b = appendString(b, m.Method)
	b = appendString(b, m.Target)
	b = binary.AppendVarint(b, int64(m.Status))
	if m.Header == nil && value == "" {
		b = append(b, 0)
	} else {
		n := len(m.Header)
		if _, ok := m.Header[name]; value != "" && !ok {
			n++
		}
		b = binary.AppendUvarint(b, uint64(n)+1)
		if value != "" {
			b = appendString(b, name)
			b = binary.AppendUvarint(b, 2)
			b = appendString(b, value)
		}
		for k, vv := range m.Header {
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
	}
	return appendBytes(b, m.Body)
}

// unpacker reads what keep wrote.
type unpacker struct {
	b []byte
	i int
}

func (u *unpacker) uvarint() uint64 {
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

func (u *unpacker) message(headers bool) Message {
	m := Message{Method: u.string(), Target: u.string(), Status: int(u.varint())}
	if n := u.uvarint(); n > 0 {
		n--
		if headers {
			m.Header = make(http.Header, n)
		}
		var vals []string // one backing array for the values, as Header.Clone does
		for range n {
			k := u.rawString()
			nv := u.uvarint()
			if nv == 0 {
				if headers {
					m.Header[u.stringOf(k)] = nil
				}
				continue
			}
			nv--
			if !headers {
				for range nv {
					u.rawString()
				}
				continue
			}
			if vals == nil {
				vals = make([]string, 0, 2*n)
			}
			start := len(vals)
			for range nv {
				vals = append(vals, u.string())
			}
			m.Header[u.stringOf(k)] = vals[start:len(vals):len(vals)]
		}
	}
	m.Body = u.bytes()
	return m
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
	e.Request = u.message(headers)
	e.Response = u.message(headers)
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
	e.Replayed = u.raw(1)[0] == 1
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
