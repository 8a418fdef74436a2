package classroom

import (
	"fmt"
	"io"
	"time"
)

// Bounds on what one session's input can make its program hold. Bubble
// Tea's reader (ultraviolet's TerminalReader) keeps a bracketed paste whole
// until its end marker, and keeps every byte from an escape sequence it
// cannot finish yet until the input pauses, scanning all of them again at
// every read: a stranger who never ends either makes the room hold as much
// as they send, and spend time on the square of it (docs/CLASSROOM.md,
// "Limits").
const (
	// maxPasteBytes bounds a bracketed paste. A learner pastes a request
	// body of a few KiB (the composer keeps 64 KiB of it); a body of
	// 100 KB still fits. A paste under way at this bound takes the room
	// about 2.4 MB more (what the reader keeps and the collector's
	// slack), on top of the session's own 1.6 MB: 1 MiB took 5.3 MB.
	maxPasteBytes = 256 << 10
	// maxSequenceBytes bounds an escape sequence, and the input held
	// behind one the reader cannot finish. A terminal's longest answers
	// (colours, device attributes, a clipboard the program never asks
	// for) are well under a KiB. The reader's cost grows with the square
	// of this: 64 KiB costs about 4 ms of processor, 1 MiB about a second.
	maxSequenceBytes = 64 << 10
	// inputPause is a pause after which the reader has given up on an
	// unfinished sequence (it waits escTimeout) and shown its bytes as keys.
	inputPause = 500 * time.Millisecond
	// escTimeout is how long the reader waits for what follows an ESC
	// (ultraviolet's DefaultEscTimeout). A byte read that much later
	// finds the ESC shown as the Esc key: it is no alt+key.
	escTimeout = 50 * time.Millisecond
	// inputBurst and inputPerSecond bound all input, whatever it holds:
	// a backstop for anything the guard reads differently from the
	// reader. Four pastes at their bound fit in the burst.
	inputBurst     = 1 << 20
	inputPerSecond = keyPerSecond
	// keyBurst and keyPerSecond bound the input outside a paste. The
	// program spends on it what it spends on keys (an event, an update
	// and a frame each: about 5 s of processor a MB), where a paste is
	// one event. A typist sends about 10 bytes a second, a held key 30
	// (an arrow key 90), a mouse wheel turned fast or a drag 125 reports
	// a second of 12 to 16 bytes (\x1b[<64;120;33M): under 2 KB. At the
	// rate a session costs the room what a learner turning the wheel
	// does; the burst costs about a third of a second of processor.
	keyBurst     = 64 << 10
	keyPerSecond = 2 << 10
)

// tooMuchInputText is what a learner whose input went past a bound reads.
const tooMuchInputText = "This session sent more input than the classroom takes (a paste over 256 KiB, a terminal " +
	"sequence that never ended, or keys faster than anyone types), so it was closed. Your progress is saved: connect again to go on."

// inputState is where an inputGuard is in the escape sequences it follows.
type inputState uint8

const (
	inGround    inputState = iota // text, keys, finished sequences
	inEsc                         // after ESC
	inCSI                         // ESC [ or CSI: parameters, intermediates, a final byte
	inSS3                         // ESC O or SS3: a modifier, then one key
	inDCS                         // ESC P or DCS: parameters, intermediates, a final byte, then a string
	inString                      // OSC, DCS, APC, PM, SOS: up to a terminator
	inStringEsc                   // an ESC inside a string: ST if \ follows
	inX10                         // the three bytes of an X10 mouse report (CSI M)
)

// oscPart is where an OSC is: the reader reads its command's digits, then
// its data after a ';'. An OSC whose data is empty (OSC 0;BEL, OSC ;BEL) is
// one the reader cannot decode even when it ends: it holds it, and all that
// follows, until a pause.
type oscPart uint8

const (
	oscCommand oscPart = iota // the digits of the command
	oscNoData                 // a ';', and no data yet
	oscData                   // data, or no ';' after the digits
)

// maxSeparators is the most parameter separators a CSI or DCS may hold
// before the reader stops reading its parameters (at 16 for a DCS) and
// cannot finish it.
const maxSeparators = 15

// inputGuard follows a session's input byte by byte as Bubble Tea's reader
// reads it, and measures what that reader must hold: the paste under way,
// the bytes from the start of an unfinished sequence, and everything after
// input the reader will not decode before a pause (a broken sequence,
// invalid UTF-8, an OSC with empty data, an alt+key, whose reader waits to
// see what follows). It
// mirrors the reader closely enough to never count less than the reader
// holds for what terminals send; where it is unsure it counts more, which
// only matters past the bounds above, far from anything a terminal sends.
// Whatever it still reads differently, the budget on all input bounds.
type inputGuard struct {
	state    inputState
	seq      int  // bytes since the unfinished sequence began
	str      byte // the string's introducer: ']' OSC ends at BEL too, 'P' DCS only at ST or ESC
	osc      oscPart
	param    int  // a CSI's first parameter, as the reader computes it
	first    bool // still in the first parameter
	plain    bool // no prefix (<=>?) and no intermediate byte: ~ may mark a paste
	seps     int
	inter    bool // an intermediate byte was read
	x10      int  // bytes of an X10 mouse report still to come
	held     bool // the reader holds what follows until a pause
	heldLen  int
	paste    bool
	pasteLen int
	utfLeft  int  // continuation bytes the current UTF-8 character still needs
	utfLo    byte // the range of the next one
	utfHi    byte
	budget   float64 // bytes of input the session may still send now
	keys     float64 // bytes outside a paste it may still send now
	last     time.Time
	now      time.Time // when the bytes being followed were read
	escAt    time.Time // when the ESC being followed was read
}

// feed follows p, read at now; it returns what went past its bound, or "".
func (g *inputGuard) feed(p []byte, now time.Time) string {
	if g.last.IsZero() {
		g.budget, g.keys = inputBurst, keyBurst
	} else {
		g.budget = min(inputBurst, g.budget+now.Sub(g.last).Seconds()*inputPerSecond)
		g.keys = min(keyBurst, g.keys+now.Sub(g.last).Seconds()*keyPerSecond)
		if now.Sub(g.last) >= inputPause {
			// The reader has shown what it held as keys; a paste stays
			// open until its end marker.
			g.state, g.seq, g.held, g.heldLen, g.utfLeft = inGround, 0, false, 0, 0
		}
	}
	g.last, g.now = now, now
	if g.budget -= float64(len(p)); g.budget < 0 {
		return fmt.Sprintf("more than %d MiB of input at once, or more than %d KiB a second after it", inputBurst>>20, inputPerSecond>>10)
	}
	keys := 0
	for _, b := range p {
		g.step(b)
		if g.paste {
			g.pasteLen++
			if g.pasteLen > maxPasteBytes {
				return fmt.Sprintf("a paste longer than %d bytes", maxPasteBytes)
			}
		} else {
			keys++
		}
		if g.state != inGround {
			g.seq++
		}
		if g.held {
			g.heldLen++
		}
		if g.seq > maxSequenceBytes || g.heldLen > maxSequenceBytes {
			return fmt.Sprintf("an escape sequence (or input held behind one) longer than %d bytes", maxSequenceBytes)
		}
	}
	if g.keys -= float64(keys); g.keys < 0 {
		return fmt.Sprintf("more than %d KiB of keys at once, or more than %d KiB a second after it", keyBurst>>10, keyPerSecond>>10)
	}
	if g.state == inX10 && !g.held {
		// The reader, which had read everything before the report, takes
		// a report cut by the end of a read as it is, and reads the rest
		// afresh.
		g.state, g.seq = inGround, 0
	}
	return ""
}

// hold notes that the reader cannot decode what it reads now before a
// pause; the byte is then read afresh, as the reader does after the pause.
func (g *inputGuard) hold(b byte) {
	g.held = true
	g.state, g.seq = inGround, 0
	g.ground(b)
}

// step moves the guard on by one byte.
func (g *inputGuard) step(b byte) {
	switch g.state {
	case inGround:
		g.ground(b)
	case inEsc:
		if g.now.Sub(g.escAt) >= escTimeout {
			// The reader showed the ESC alone before this byte came.
			g.state, g.seq = inGround, 0
			g.ground(b)
			return
		}
		switch b {
		case '[':
			g.startCSI()
		case 'P':
			g.state, g.seps, g.inter = inDCS, 0, false
		case ']', '_', '^', 'X':
			g.state, g.str, g.osc = inString, b, oscCommand
		case 'O':
			g.state = inSS3
		default:
			// alt+key: the reader waits for what follows a two-byte
			// ESC sequence, and holds everything after it until a pause.
			g.hold(b)
		}
	case inCSI:
		g.csi(b)
	case inSS3:
		switch {
		case b >= '0' && b <= '9': // a modifier
		case b >= 0x21 && b <= 0x7e: // the key
			g.state, g.seq = inGround, 0
		default:
			g.hold(b)
		}
	case inDCS:
		switch {
		case b >= 0x30 && b <= 0x3f && !g.inter:
			if b == ';' || b == ':' {
				if g.seps++; g.seps >= maxSeparators {
					g.held = true
				}
			}
		case b >= 0x20 && b <= 0x2f:
			g.inter = true
		case b >= 0x40 && b <= 0x7e:
			g.state, g.str = inString, 'P'
		default:
			g.hold(b)
		}
	case inString:
		switch {
		case b == 0x1b:
			g.state = inStringEsc
		case b == 0x9c, b == 0x07 && g.str == ']':
			g.endString()
		case (b == 0x18 || b == 0x1a) && g.str != 'P': // cancelled: ignored
			g.state, g.seq = inGround, 0
		case g.osc == oscCommand && b >= '0' && b <= '9':
		case g.osc == oscCommand && b == ';':
			g.osc = oscNoData
		default:
			g.osc = oscData
		}
	case inStringEsc:
		if b == '\\' { // ST
			g.endString()
			return
		}
		// An ESC that cancels a string, which no terminal sends: the
		// reader may hold it (and read the string again as keys after
		// the pause).
		g.hold(b)
	case inX10:
		if g.x10--; g.x10 == 0 {
			g.state, g.seq = inGround, 0
		}
	}
}

// endString reads a string's terminator.
func (g *inputGuard) endString() {
	if g.str == ']' && g.osc == oscNoData {
		g.held, g.heldLen = true, g.heldLen+g.seq
	}
	g.state, g.seq = inGround, 0
}

func (g *inputGuard) startCSI() {
	g.state, g.seq = inCSI, 0
	g.param, g.first, g.plain, g.seps, g.inter = 0, true, true, 0, false
}

// csi reads a byte of a CSI sequence. The reader's paste markers are
// CSI 200 ~ and CSI 201 ~, with any further parameters; it reads the first
// parameter as below, overflow and all, and keeps its low 31 bits.
func (g *inputGuard) csi(b byte) {
	switch {
	case b >= 0x30 && b <= 0x3f:
		if g.inter { // a parameter after an intermediate: never finished
			g.held = true
		}
		switch {
		case b >= '<' && g.seq == 1: // the first byte: a prefix
			g.plain = false
		case b >= '0' && b <= '9' && g.first:
			g.param = g.param*10 + int(b-'0')
		case b == ';' || b == ':':
			g.first = false
			if g.seps++; g.seps >= 2*maxSeparators {
				g.held = true
			}
		}
	case b >= 0x20 && b <= 0x2f:
		g.inter, g.plain = true, false
	case b >= 0x40 && b <= 0x7e:
		g.state, g.seq = inGround, 0
		if !g.plain {
			return
		}
		switch p := g.param & 0x7fffffff; {
		case b == '~' && p == 200 && !g.paste:
			// A start inside a paste is ignored by the reader too.
			g.paste, g.pasteLen = true, 0
		case b == '~' && p == 201:
			g.paste = false
		case b == 'M': // an X10 mouse report: three bytes follow
			g.state, g.x10 = inX10, 3
		}
	default: // not a CSI the reader can finish
		g.hold(b)
	}
}

// c1String is the 7-bit introducer (after ESC) of each 8-bit C1 control
// that starts a string, by its value less 0x90.
var c1String = [16]byte{0x0: 'P', 0x8: 'X', 0xd: ']', 0xe: '^', 0xf: '_'}

// ground reads a byte outside any sequence: the start of one, a key, or
// part of a UTF-8 character.
func (g *inputGuard) ground(b byte) {
	if g.utfLeft > 0 {
		if b >= g.utfLo && b <= g.utfHi {
			g.utfLeft--
			g.utfLo, g.utfHi = 0x80, 0xbf
			return
		}
		// Invalid UTF-8: the reader cannot decode it before a pause.
		// The byte is read afresh.
		g.utfLeft = 0
		g.held = true
	}
	switch {
	case b == 0x1b:
		g.state, g.seq, g.escAt = inEsc, 0, g.now
	case b == 0x9b: // CSI
		g.startCSI()
	case b == 0x90: // DCS
		g.state, g.seq, g.seps, g.inter = inDCS, 0, 0, false
	case b >= 0x90 && b <= 0x9f && c1String[b-0x90] != 0: // SOS, OSC, PM, APC
		g.state, g.seq, g.str, g.osc = inString, 0, c1String[b-0x90], oscCommand
	case b == 0x8f: // SS3
		g.state, g.seq = inSS3, 0
	case b < 0xa0: // ASCII, and the other C1 controls: keys
	case b < 0xc2 || b > 0xf4: // a lone continuation byte, or never UTF-8
		g.held = true
	default: // the first byte of a UTF-8 character
		g.utfLeft, g.utfLo, g.utfHi = 1, 0x80, 0xbf
		switch {
		case b >= 0xf0:
			g.utfLeft = 3
		case b >= 0xe0:
			g.utfLeft = 2
		}
		switch b {
		case 0xe0:
			g.utfLo = 0xa0
		case 0xed:
			g.utfHi = 0x9f
		case 0xf0:
			g.utfLo = 0x90
		case 0xf4:
			g.utfHi = 0x8f
		}
	}
}

// activity is a session's input that notes every key press (idleness is
// counted from the last one, not from output) and ends the session when
// its input goes past what the room holds for one connection.
type activity struct {
	r     io.Reader
	c     *conn
	guard inputGuard
	over  func(what string) // logs what went past its bound
}

func (a *activity) Read(p []byte) (int, error) {
	if a.c.gate.Err() != nil {
		return 0, io.EOF
	}
	n, err := a.r.Read(p)
	if a.c.gate.Err() != nil {
		return 0, io.EOF
	}
	if n > 0 {
		a.c.touch()
		if what := a.guard.feed(p[:n], time.Now()); what != "" {
			// Nothing of this read reaches the program: it ends now.
			if a.over != nil {
				a.over(what)
			}
			a.c.end(tooMuchInputText)
			return 0, io.EOF
		}
	}
	return n, err
}
