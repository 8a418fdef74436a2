package sim

import "slices"

// Snapshot is an immutable copy of a Server's whole state: resources, id
// counters, idempotency records, the sim clock and the undo history. The zero
// Snapshot holds nothing; restoring it does nothing.
type Snapshot struct {
	st *state
}

// undoEntry is what Undo needs to revert one state-changing exchange. The
// paths and old bodies are packed into one byte slice (see keptEvent): the
// history holds thousands of entries that every garbage collection would
// otherwise walk.
type undoEntry struct {
	seq      uint64
	changes  []byte // per change: path, the body before (nil kept apart from empty), its ETag
	size     int
	counters []counterWas
	idem     []idemWas
}

func newUndoEntry(seq uint64, tx *txn) undoEntry {
	n := 0
	for i, c := range tx.changes {
		n += 12 + len(c.Path) + len(c.Before) + len(tx.tags[i])
	}
	b := make([]byte, 0, n)
	for i, c := range tx.changes {
		b = appendString(b, c.Path)
		b = appendBytes(b, c.Before)
		b = appendString(b, tx.tags[i])
	}
	// Everything the entry holds counts: paths and bodies, and the
	// idempotency records it would put back.
	size := 64 + len(b)
	for _, c := range tx.counters {
		size += 32 + len(c.collection)
	}
	for _, w := range tx.idem {
		size += 32 + w.was.size(w.key)
	}
	return undoEntry{seq: seq, changes: b, size: size, counters: tx.counters, idem: tx.idem}
}

// befores unpacks the changes: their paths and the bodies before, in order.
func (u undoEntry) befores() []Change {
	var out []Change
	for up := (unpacker{b: u.changes}); up.i < len(up.b); {
		out = append(out, Change{Path: up.string(), Before: up.bytes()})
		up.rawString() // the ETag
	}
	return out
}

// Checkpoint returns the whole state. It is cheap: the maps are shared and
// copied only when the server next writes.
func (s *Server) Checkpoint() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	// A full-capacity slice makes the next append reallocate, so the snapshot's
	// entries are never overwritten.
	s.st.undo = slices.Clip(s.st.undo)
	s.st.shared = true
	cp := s.st
	return Snapshot{st: &cp}
}

// Restore puts the state of a checkpoint back and emits a "restore" event
// whose Changes say what it did. Event sequence numbers keep counting up.
func (s *Server) Restore(snap Snapshot) {
	if snap.st == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	before := s.st.res
	s.st = *snap.st
	s.st.shared = true
	s.emit(Event{Kind: KindRestore, Time: s.st.clock, Changes: diffStates(before, s.st.res)})
}

// Reset loads a fresh fixture, restarts the sim clock and forgets undo
// history and idempotency records; it emits a "reset" event. An unknown name
// is an error listing the valid ones.
//
// On a server that has emitted no event yet, Reset emits none: loading the
// fixture a session starts from is where the server begins, not something
// that happened to it. Events number everything a log shows, so the first
// exchange is then #1 rather than #3 after a session's two start-up resets.
func (s *Server) Reset(fixture string) error {
	if fixture == "" {
		fixture = defaultFixture
	}
	if err := checkFixture(fixture); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	before := s.st.res
	s.st = freshState(fixture, s.opts.Start)
	if s.seq == 0 {
		return nil
	}
	s.emit(Event{Kind: KindReset, Time: s.st.clock, Changes: diffStates(before, s.st.res)})
	return nil
}

// Undo reverts the newest state-changing exchange not yet undone: resources,
// id counters and idempotency records go back to what they were before it.
// It emits an "undo" event and reports whether there was anything to undo.
func (s *Server) Undo() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.st.undo)
	if n == 0 {
		return false
	}
	u := s.st.undo[n-1]
	s.st.undo = slices.Clip(s.st.undo[:n-1])
	s.st.undoBytes -= u.size

	var tx txn
	changes := u.befores()
	for i := len(changes) - 1; i >= 0; i-- {
		s.st.set(&tx, changes[i].Path, changes[i].Before)
	}
	for _, c := range u.counters {
		s.st.setCounter(&tx, c.collection, c.was)
	}
	for _, w := range u.idem {
		s.st.setIdem(&tx, w.key, w.was, w.present)
	}
	s.emit(Event{Kind: KindUndo, Time: s.st.clock, Changes: tx.changes})
	return true
}

// remember keeps what an exchange changed so that Undo can revert it.
func (s *Server) remember(seq uint64, tx *txn) {
	if !tx.changed() {
		return
	}
	u := newUndoEntry(seq, tx)
	s.st.undo = append(s.st.undo, u)
	s.st.undoBytes += u.size
	for len(s.st.undo) > 1 && (len(s.st.undo) > s.opts.MaxEvents || s.st.undoBytes > s.opts.MaxBytes) {
		s.st.undoBytes -= s.st.undo[0].size
		s.st.undo = s.st.undo[1:]
	}
}

// versionScan bounds how many undo entries namedEarlier reads: a failed
// If-Match must not cost a walk through the whole history.
const versionScan = 512

// namedEarlier says whether one of l's strong tags was the ETag of an earlier
// version of path that the newest undo entries still hold. False says only
// that none of those was: the tag may be older still, or never have been one.
// It compares the tags the entries keep: it hashes no body.
func (st *state) namedEarlier(path string, l etagList) bool {
	for i, n := len(st.undo)-1, 0; i >= 0 && n < versionScan; i, n = i-1, n+1 {
		for up := (unpacker{b: st.undo[i].changes}); up.i < len(up.b); {
			p, before, tag := up.rawString(), up.bytes(), up.rawString()
			if string(p) == path && before != nil && l.matches(string(tag), true) {
				return true
			}
		}
	}
	return false
}
