package sim

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
	"unsafe"

	"github.com/putpost/putpost/termsafe"
)

// Serve serves s over HTTP on ln, writing one line per exchange to w, until
// ctx ends; then it shuts the HTTP server down and writes "stopped". Unless
// allowRemote is set, requests for a host name other than the listening
// address or a loopback name are refused (see CheckHost).
//
// Whatever clients send, Serve holds at most about maxPrinterBytes of lines
// that w has not taken yet: when w is not read (a pipe nobody drains, a
// pager, a terminal stopped with Ctrl-S), the oldest waiting lines make room
// for the newest, and once w takes lines again a summary says how many
// exchanges were left out and which, before the newest lines.
func (s *Server) Serve(ctx context.Context, ln net.Listener, w io.Writer, allowRemote bool) error {
	feed := s.Feed(s.LastSeq())
	defer feed.Close()
	hs := NewHTTPServer(CheckHost(netHTTPServed{s}, ln.Addr().String(), allowRemote))
	done := make(chan error, 1)
	go func() { done <- ServeWithTimeouts(hs, ln) }()
	try := "/"
	if paths := s.Paths(); len(paths) > 0 {
		try = paths[0]
	}
	q := newLineQueue(maxPrinterBytes)
	q.add(0, fmt.Sprintf("serving a simulated server on http://%s — try: curl -i http://%s%s   (Ctrl-C stops)", ln.Addr(), ln.Addr(), try))
	written := make(chan struct{})
	go func() { q.writeTo(w); close(written) }()
	finish := func(last string) {
		if last != "" {
			q.add(0, last)
		}
		q.close()
		select { // a reader that never reads must not keep us here
		case <-written:
		case <-time.After(time.Second):
		}
	}

	// Under load, reading the log and writing per exchange would cost more
	// than the exchange (a goroutine woken and a system call per request):
	// print at most once per printEvery, which a person watching the lines
	// cannot tell from at once.
	var printed time.Time
	for {
		select {
		case <-feed.Ready():
			if wait := printEvery - time.Since(printed); wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
				}
			}
			printed = time.Now()
			printFeed(feed, q)
		case err := <-done:
			finish("")
			return err
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			err := hs.Shutdown(sctx)
			if err == nil {
				if err = <-done; errors.Is(err, http.ErrServerClosed) {
					err = nil
				}
			}
			printFeed(feed, q)
			if err != nil {
				finish("")
				return err
			}
			finish("stopped")
			return nil
		}
	}
}

// printEvery is how often Serve prints the exchanges that came in since it
// last printed.
const printEvery = 20 * time.Millisecond

// maxPrinterBytes bounds the lines Serve holds for a writer that is behind.
const maxPrinterBytes = 1 << 20

// maxShownTarget and maxShownSummary bound what one line shows of a
// request target and of the change it made.
const (
	maxShownTarget  = 200
	maxShownSummary = 300
)

// ExchangeLine is how Serve prints one exchange: "#12 PUT /accounts/42 204
// No Content — …", with everything that came from the client escaped and
// cut (termsafe).
func ExchangeLine(e Event) string {
	var buf [256]byte
	return string(appendExchangeLine(buf[:0], e))
}

// appendExchangeLine appends ExchangeLine(e) to b: under load the printer
// makes a line per request, into one buffer per batch (see printFeed).
func appendExchangeLine(b []byte, e Event) []byte {
	b = append(b, '#')
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, ' ')
	b = append(b, termsafe.Cut(e.Request.Method, 32)...)
	b = append(b, ' ')
	b = append(b, termsafe.Cut(e.Request.Target, maxShownTarget)...)
	b = append(b, ' ')
	start := len(b)
	b = e.appendSummary(b)
	// The summary is cut where it lies; only a summary that Cut changes
	// (too long, or with characters to escape) is copied over it.
	if len(b) > start {
		sum := unsafe.String(&b[start], len(b)-start)
		if cut := termsafe.Cut(sum, maxShownSummary); cut != sum {
			b = append(b[:start], cut...)
		}
	}
	return b
}

// printFeed queues a line for every exchange the feed has, and a summary
// of those the log dropped before they could be printed. The feed reads
// the log a batch at a time, never a copy of the whole log, and each event
// is unpacked only for its line, without its headers.
func printFeed(feed *Feed, q *lineQueue) {
	var changes []Change // each event's, one after another
	lines, ends := q.batch, q.ends
	defer func() {
		if cap(lines) <= 64<<10 { // a flood's long lines are not worth keeping
			q.batch, q.ends = lines[:0], ends[:0]
		}
	}()
	for {
		from := feed.Seq() + 1
		kept, missed := feed.take()
		if missed > 0 {
			q.miss(from, from+missed-1)
		}
		lines, ends = lines[:0], ends[:0]
		for _, k := range kept {
			e := k.unpackInto(false, changes)
			if e.Kind == KindExchange {
				lines = appendExchangeLine(lines, e)
				ends = append(ends, lineEnd{e.Seq, len(lines)})
			}
			if cap(e.Changes) > cap(changes) {
				changes = e.Changes
			}
		}
		// One string for the batch, which its lines share: one allocation
		// and one lock of the queue per batch rather than per exchange.
		q.addLines(string(lines), ends)
		// Nothing of the batch may outlive it: the log may drop these
		// events, and a flood's are megabytes each.
		clear(kept)
		clear(changes[:cap(changes)])
		if len(kept) < FeedBatch {
			return
		}
	}
}

// lineQueue hands lines from Serve to the goroutine that writes them,
// holding at most about limit bytes. When a new line does not fit, the
// oldest waiting lines make room and become a summary: a reader who comes
// back after a while gets what it missed in one line, then the newest.
type lineQueue struct {
	mu      sync.Mutex
	dropped queued   // the oldest lines left out to make room (n == 0: none)
	items   []queued // what waits to be written after dropped, oldest first
	spare   []queued // an emptied slice writeTo is done with, to become items next
	bytes   int      // of the lines in items
	limit   int
	closed  bool
	wake    chan struct{}

	// printFeed's buffers for a batch's lines and where each ends, kept
	// from one batch to the next; only the goroutine that adds uses them.
	batch []byte
	ends  []lineEnd
}

// maxSpareLines bounds the slice writeTo hands back to add: a flood's
// batch may have been far longer than any usual one.
const maxSpareLines = 4096

// queued is a line to write (seq is its exchange's), or (text == "") a run
// of n exchanges from..to left out.
type queued struct {
	text     string
	seq      uint64
	from, to uint64
	n        int
}

func newLineQueue(limit int) *lineQueue {
	return &lineQueue{limit: limit, wake: make(chan struct{}, 1)}
}

func (q *lineQueue) add(seq uint64, line string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.addLocked(seq, line)
	q.signal()
}

// lineEnd is where the line of exchange seq ends in a batch's text.
type lineEnd struct {
	seq uint64
	end int
}

// addLines adds the lines of text, which end where ends says, as add adds
// each. (A line dropped to make room keeps text alive until the batch's
// other lines are written or dropped too: at most one batch beyond limit.)
func (q *lineQueue) addLines(text string, ends []lineEnd) {
	if len(ends) == 0 {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	start := 0
	for _, l := range ends {
		q.addLocked(l.seq, text[start:l.end])
		start = l.end
	}
	q.signal()
}

func (q *lineQueue) addLocked(seq uint64, line string) {
	q.items = append(q.items, queued{text: line, seq: seq})
	q.bytes += len(line)
	drop := 0
	for q.bytes > q.limit && drop < len(q.items)-1 {
		it := q.items[drop]
		drop++
		if it.text != "" {
			q.bytes -= len(it.text)
			it = queued{from: it.seq, to: it.seq, n: 1}
		}
		if q.dropped.n == 0 {
			q.dropped.from = it.from
		}
		q.dropped.to = it.to
		q.dropped.n += it.n
	}
	clear(q.items[:drop])    // the slice may be handed back to be filled again (see writeTo): hold no dropped line
	q.items = q.items[drop:] // the next append that grows it copies only these
}

// miss records that the exchanges from..to (some of them may not be
// exchanges) were not printed.
func (q *lineQueue) miss(from, to uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.missLocked(from, to, int(to-from+1))
}

func (q *lineQueue) missLocked(from, to uint64, n int) {
	if k := len(q.items) - 1; k >= 0 && q.items[k].text == "" {
		q.items[k].to = to
		q.items[k].n += n
		return
	}
	q.items = append(q.items, queued{from: from, to: to, n: n})
	q.signal()
}

func (q *lineQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *lineQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

// writeTo writes the queued lines to w until the queue is closed and empty,
// flushing whenever it has caught up. A write error ends it; the lines
// after it are dropped.
func (q *lineQueue) writeTo(w io.Writer) {
	out := bufio.NewWriter(w)
	for {
		q.mu.Lock()
		items, closed := q.items, q.closed
		if q.dropped.n > 0 {
			items = append([]queued{q.dropped}, items...)
		}
		// add fills the slice writeTo handed back last, emptied, instead of
		// growing one from nothing.
		q.dropped, q.items, q.spare, q.bytes = queued{}, q.spare, nil, 0
		q.mu.Unlock()
		for _, it := range items {
			if it.text == "" {
				fmt.Fprintf(out, "… %d exchange(s) not shown (#%d–#%d): the output was not read as fast as they came\n", it.n, it.from, it.to)
				continue
			}
			out.WriteString(it.text)
			out.WriteByte('\n')
		}
		if cap(items) <= maxSpareLines {
			clear(items) // hold no line
			q.mu.Lock()
			q.spare = items[:0]
			q.mu.Unlock()
		}
		if len(items) == 0 {
			if out.Flush() != nil || closed {
				return
			}
			<-q.wake
		}
	}
}
