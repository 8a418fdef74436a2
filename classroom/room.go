package classroom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/session"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// recordVersion is the version of learner.json's format.
const recordVersion = 1

// Bounds on what a learner can make the classroom keep.
const (
	maxIdentityName = 64 // a learner known by name only: the longest name taken
	// maxNameBytes is the name kept and shown: all of a name-only
	// learner's, so that long names which differ only at the end stay
	// apart in the roster.
	maxNameBytes = maxIdentityName
	maxLineBytes = 120 // the last request as the roster shows it
	maxMistakes  = 200 // distinct mistakes kept per learner
	// learnerServerBytes is each memory budget of a learner's simulated
	// server (stored JSON, event log, undo, replays). The lessons need a few
	// KiB; the default 16 MiB each would let one learner who pastes big
	// bodies and repeats them ×100 take the classroom's memory.
	learnerServerBytes = 4 << 20
	learnersFolder     = "learners"
	recordFile         = "learner.json"
	progressFile       = "progress.json"
	instructorsSeat    = "instructor" // the instructor's own tutorial, for watch
)

// record is what the classroom keeps of a learner besides their lesson
// progress: saved as learner.json next to progress.json, read back by a
// restarted classroom and by export.
type record struct {
	Version   int       `json:"version"`
	Identity  string    `json:"identity"` // "key SHA256:…" or "name alice"
	Name      string    `json:"name"`     // as sent, cut; sanitised when shown
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`

	Requests    int       `json:"requests"`     // every request sent
	Attempts    int       `json:"attempts"`     // requests and answers on the current step
	Step        string    `json:"step"`         // the current step, "lesson-id#index"
	StepSince   time.Time `json:"step_since"`   // when the learner entered it
	LastRequest string    `json:"last_request"` // method and target, as sent
	LastStatus  int       `json:"last_status"`  // 0: no response (lost)
	Hints       int       `json:"hints"`
	Solutions   int       `json:"solutions"`
	// Quiz is each quiz step's first answer: right or not.
	Quiz     map[string]bool `json:"quiz"`
	Mistakes []mistake       `json:"mistakes"`
	Done     bool            `json:"done"`
	Help     bool            `json:"help"`
}

// mistake is one kind of wrong turn on a step: an error status, or a wrong
// quiz answer. Learners with the same mistake make a cluster.
type mistake struct {
	Lesson string `json:"lesson"`
	Step   int    `json:"step"` // 0-based
	What   string `json:"what"` // "got 415", "answered 2"
}

// learner is one seat in the room. The room's mu guards every field but
// the ones noted.
type learner struct {
	id       string // folder name: a hash of the identity
	dir      string
	rec      record
	progress *lessons.Progress // shared with the session's engine; safe on its own
	sess     *session.Session  // nil while nobody is connected
	conns    map[*conn]struct{}
	mirror   *mirror // the learner's screen, for peek; safe on its own
	dirty    bool
	stop     context.CancelFunc // ends follow
	followed chan struct{}      // closed when follow returned
}

// Room is every learner of a classroom, online or not, with what the
// roster shows of them.
type Room struct {
	dir     string
	lessons []*lessons.Lesson
	now     func() time.Time

	mu       sync.Mutex
	learners map[string]*learner
	conns    map[*conn]struct{} // every live connection, whatever its role
}

// errBusy: a learner known only by name is already connected.
var errBusy = errors.New("someone is already connected with that name")

// openRoom reads the learners saved under dir.
func openRoom(dir string, ls []*lessons.Lesson) (*Room, error) {
	r := &Room{dir: dir, lessons: ls, now: time.Now, learners: map[string]*learner{}, conns: map[*conn]struct{}{}}
	base := filepath.Join(dir, learnersFolder)
	if err := os.MkdirAll(base, 0o700); err != nil {
		return nil, fmt.Errorf("classroom folder: %w", err)
	}
	ents, err := os.ReadDir(base)
	if err != nil {
		return nil, fmt.Errorf("classroom folder: %w", err)
	}
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		l, err := loadLearner(filepath.Join(base, e.Name()))
		if err != nil {
			continue // not a learner's folder, or unreadable: export says so
		}
		r.learners[l.id] = l
	}
	return r, nil
}

func loadLearner(dir string) (*learner, error) {
	data, err := os.ReadFile(filepath.Join(dir, recordFile))
	if err != nil {
		return nil, err
	}
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, recordFile), err)
	}
	if rec.Version != recordVersion {
		return nil, fmt.Errorf("%s: version %d, want %d", filepath.Join(dir, recordFile), rec.Version, recordVersion)
	}
	p, _, _ := lessons.OpenProgress(filepath.Join(dir, progressFile))
	return &learner{id: filepath.Base(dir), dir: dir, rec: rec, progress: p, conns: map[*conn]struct{}{}, mirror: newMirror()}, nil
}

// seatID is the folder name of an identity: a hash, so no name can reach
// outside the classroom folder or collide with another's.
func seatID(identity string) string {
	sum := sha256.Sum256([]byte(identity))
	return hex.EncodeToString(sum[:8])
}

// join seats a connection: the learner with that identity (created on
// first sight), with a session that is started when nobody else of theirs
// is connected. A learner known only by name gets one connection at a time.
func (r *Room) join(c *conn, identity, name string) (*learner, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l, err := r.seatLocked(identity)
	if err != nil {
		return nil, err
	}
	now := r.now()
	if len(l.conns) > 0 && strings.HasPrefix(identity, "name ") {
		return nil, errBusy
	}
	l.rec.Name = cutBytes(name, maxNameBytes)
	l.rec.LastSeen = now
	l.dirty = true
	if l.sess == nil {
		sess, err := session.New(session.Options{Mode: session.Tutorial, Lessons: r.lessons, Progress: l.progress,
			Server: sim.New(sim.Options{MaxBytes: learnerServerBytes}), Remote: true})
		if err != nil {
			return nil, err
		}
		l.sess = sess
		ctx, cancel := context.WithCancel(context.Background())
		l.stop, l.followed = cancel, make(chan struct{})
		w := sess.Watch()
		r.enterStepLocked(l)
		go r.follow(ctx, l, sess, w)
	}
	l.conns[c] = struct{}{}
	r.conns[c] = struct{}{}
	return l, nil
}

// seat returns the learner with that identity, created on first sight.
func (r *Room) seat(identity string) *learner {
	r.mu.Lock()
	defer r.mu.Unlock()
	l, err := r.seatLocked(identity)
	if err != nil { // no folder for it: a seat that is never saved still works
		l = &learner{id: seatID(identity), conns: map[*conn]struct{}{}, mirror: newMirror(), progress: &lessons.Progress{}}
		r.learners[l.id] = l
	}
	return l
}

func (r *Room) seatLocked(identity string) (*learner, error) {
	id := seatID(identity)
	if l := r.learners[id]; l != nil {
		return l, nil
	}
	dir := filepath.Join(r.dir, learnersFolder, id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("a folder for the learner: %w", err)
	}
	p, _, _ := lessons.OpenProgress(filepath.Join(dir, progressFile))
	l := &learner{id: id, dir: dir, progress: p, conns: map[*conn]struct{}{}, mirror: newMirror(),
		rec: record{Version: recordVersion, Identity: identity, FirstSeen: r.now()}}
	r.learners[id] = l
	return l, nil
}

// leave ends a connection; the learner's last one closes their session and
// saves their record.
func (r *Room) leave(c *conn, l *learner) {
	r.mu.Lock()
	delete(r.conns, c)
	if l == nil {
		r.mu.Unlock()
		return
	}
	delete(l.conns, c)
	end := func() {}
	if len(l.conns) == 0 {
		end = r.unseatLocked(l)
	}
	r.mu.Unlock()
	end()
	r.flush()
}

// unseatLocked takes the learner's session away (the caller holds mu) and
// returns what finishes the job without mu: waiting for the follower, then
// closing the session.
func (r *Room) unseatLocked(l *learner) func() {
	if l.sess == nil {
		return func() {}
	}
	sess, followed := l.sess, l.followed
	l.stop()
	l.sess = nil
	l.rec.LastSeen = r.now()
	l.dirty = true
	return func() {
		<-followed
		sess.Close()
	}
}

// addConn counts a connection that is not a learner's seat
// (the roster, watch) so that messages and the closing reach it.
func (r *Room) addConn(c *conn) {
	r.mu.Lock()
	r.conns[c] = struct{}{}
	r.mu.Unlock()
}

// follow turns a learner's session updates into what the roster shows.
func (r *Room) follow(ctx context.Context, l *learner, sess *session.Session, w *session.Watcher) {
	defer close(l.followed)
	defer w.Close()
	for {
		ups, err := w.Next(ctx)
		if err != nil {
			return
		}
		r.mu.Lock()
		for _, u := range ups {
			r.applyLocked(l, sess, u)
		}
		r.mu.Unlock()
	}
}

func stepKey(lessonID string, step int) string { return fmt.Sprintf("%s#%d", lessonID, step) }

// enterStepLocked notes the step the learner's session is on, restarting
// the clock and the attempts when it is another one.
func (r *Room) enterStepLocked(l *learner) {
	les := l.sess.Lesson()
	if les == nil {
		return
	}
	k := stepKey(les.ID, l.sess.StepIndex())
	if k != l.rec.Step {
		l.rec.Step, l.rec.StepSince, l.rec.Attempts = k, r.now(), 0
		l.dirty = true
	}
}

func (r *Room) applyLocked(l *learner, sess *session.Session, u session.Update) {
	l.dirty = true
	les, step := sess.Lesson(), sess.StepIndex()
	switch u.Kind {
	case session.UpdateEvent:
		ev := u.Event
		if ev.Kind != sim.KindExchange || ev.Source == sim.SourceLesson || ev.Attempt > 1 {
			return
		}
		l.rec.Requests++
		l.rec.Attempts++
		l.rec.LastRequest = cutBytes(ev.Request.Method+" "+ev.Request.Target, maxLineBytes)
		l.rec.LastStatus = ev.Response.Status
		if ev.Response.Status >= 400 && les != nil && !sess.Status().Passed {
			l.addMistake(mistake{Lesson: les.ID, Step: step, What: fmt.Sprintf("got %d", ev.Response.Status)})
		}
	case session.UpdateStep:
		r.enterStepLocked(l)
	case session.UpdateHint:
		l.rec.Hints++
	case session.UpdateSolution:
		l.rec.Solutions++
	case session.UpdateAnswer:
		l.rec.Attempts++
		if les == nil {
			return
		}
		k := stepKey(les.ID, step)
		if _, ok := l.rec.Quiz[k]; !ok {
			if l.rec.Quiz == nil {
				l.rec.Quiz = map[string]bool{}
			}
			l.rec.Quiz[k] = u.Quiz.Correct
		}
		if !u.Quiz.Correct {
			l.addMistake(mistake{Lesson: les.ID, Step: step, What: fmt.Sprintf("answered %d", u.Quiz.Picked+1)})
		}
	}
}

func (l *learner) addMistake(m mistake) {
	if slices.Contains(l.rec.Mistakes, m) || len(l.rec.Mistakes) >= maxMistakes {
		return
	}
	l.rec.Mistakes = append(l.rec.Mistakes, m)
}

// signal toggles a learner's done or need-help signal; it reports whether
// the signal is now raised.
func (r *Room) signal(l *learner, help bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	l.dirty = true
	if help {
		l.rec.Help = !l.rec.Help
		return l.rec.Help
	}
	l.rec.Done = !l.rec.Done
	return l.rec.Done
}

// clearSignals lowers a learner's signals (the instructor came by).
func (r *Room) clearSignals(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if l := r.learners[id]; l != nil {
		l.rec.Done, l.rec.Help, l.dirty = false, false, true
	}
}

// flush saves every changed record.
func (r *Room) flush() {
	type job struct {
		path string
		data []byte
	}
	var jobs []job
	r.mu.Lock()
	for _, l := range r.learners {
		if !l.dirty || l.dir == "" {
			continue
		}
		data, err := json.MarshalIndent(l.rec, "", "  ")
		if err != nil {
			continue
		}
		jobs = append(jobs, job{filepath.Join(l.dir, recordFile), append(data, '\n')})
		l.dirty = false
	}
	r.mu.Unlock()
	for _, j := range jobs {
		_ = writeAtomic(j.path, j.data)
	}
}

// writeAtomic writes data to path through a temporary file and a rename,
// so a kill leaves the old file or the new one.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}

// cutBytes cuts s to at most n bytes on a character boundary.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// --- what the roster shows ---------------------------------------------------

// Row is one learner as the roster shows them.
type Row struct {
	ID                   string
	Name                 string // safe to print; quoted when it starts or ends with a space
	Key                  bool   // known by an SSH key, not by the name alone
	Online               bool
	Idle                 time.Duration // since the last key press (online), or since they left
	Lesson               int           // 1-based; 0 when none
	Step                 int           // 1-based
	Passed               []bool        // the current lesson's steps
	OnStep               time.Duration
	Stuck                bool
	Attempts             int
	Last                 string // the last request line and its status, safe to print
	Hints                int
	Solution             int
	QuizRight, QuizTotal int
	Done, Help           bool
}

// Roster is every learner, online first, then by name.
func (r *Room) Roster() []Row {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	rows := make([]Row, 0, len(r.learners))
	for _, l := range r.learners {
		if l.rec.Identity == "" || l.id == seatID(instructorsSeat) {
			continue
		}
		row := Row{ID: l.id, Name: shownName(l.rec.Name), Key: strings.HasPrefix(l.rec.Identity, "key "), Online: l.sess != nil,
			Attempts: l.rec.Attempts, Hints: l.rec.Hints, Solution: l.rec.Solutions, Done: l.rec.Done, Help: l.rec.Help}
		if row.Online {
			last := l.rec.LastSeen
			for c := range l.conns {
				if k := c.lastKey(); k.After(last) {
					last = k
				}
			}
			row.Idle = now.Sub(last)
			row.OnStep = now.Sub(l.rec.StepSince)
		} else {
			row.Idle = now.Sub(l.rec.LastSeen)
		}
		if l.rec.LastRequest != "" {
			st := "no response"
			if l.rec.LastStatus != 0 {
				st = fmt.Sprint(l.rec.LastStatus)
			}
			row.Last = termsafe.Cut(l.rec.LastRequest, maxLineBytes) + " → " + st
		}
		for _, right := range l.rec.Quiz {
			row.QuizTotal++
			if right {
				row.QuizRight++
			}
		}
		r.placeLocked(l, &row)
		rows = append(rows, row)
	}
	markStuck(rows)
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Online != rows[j].Online {
			return rows[i].Online
		}
		if rows[i].Name != rows[j].Name {
			return rows[i].Name < rows[j].Name
		}
		return rows[i].ID < rows[j].ID
	})
	return rows
}

// shownName is a learner's name as the instructor reads it: escaped by
// termsafe, and in quotes when it starts or ends with a space, so that
// "ada " is not read as ada.
func shownName(name string) string {
	s := termsafe.Cut(name, maxNameBytes)
	if s != strings.TrimSpace(s) {
		return `"` + s + `"`
	}
	return s
}

// placeLocked fills in where the learner is: their lesson, step, and the
// lesson's passed steps.
func (r *Room) placeLocked(l *learner, row *Row) {
	lessonID, step := "", -1
	if i := strings.LastIndexByte(l.rec.Step, '#'); i > 0 {
		lessonID = l.rec.Step[:i]
		_, _ = fmt.Sscan(l.rec.Step[i+1:], &step)
	}
	if lessonID == "" {
		lessonID = l.progress.Current()
	}
	for i, les := range r.lessons {
		if les.ID != lessonID {
			continue
		}
		row.Lesson = i + 1
		row.Step = step + 1
		row.Passed = make([]bool, len(les.Steps))
		for _, s := range l.progress.PassedSteps(les.ID) {
			if s >= 0 && s < len(row.Passed) {
				row.Passed[s] = true
			}
		}
		if row.Step < 1 || row.Step > len(les.Steps) {
			row.Step = 1
		}
	}
}

// Stuck: far longer on a step than the room's median, and long enough to
// matter.
const (
	stuckFactor  = 3
	stuckAtLeast = 3 * time.Minute
)

// markStuck marks the online learners who have been on their current step
// (not passed yet) far longer than the median of the room.
func markStuck(rows []Row) {
	var ds []time.Duration
	for _, r := range rows {
		if r.Online {
			ds = append(ds, r.OnStep)
		}
	}
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	median := ds[len(ds)/2]
	if len(ds)%2 == 0 {
		median = (ds[len(ds)/2-1] + ds[len(ds)/2]) / 2
	}
	for i := range rows {
		r := &rows[i]
		passed := r.Step >= 1 && r.Step <= len(r.Passed) && r.Passed[r.Step-1]
		r.Stuck = r.Online && !passed && r.OnStep >= stuckAtLeast && r.OnStep > stuckFactor*median
	}
}

// Cluster is a mistake several learners made.
type Cluster struct {
	Learners int
	Lesson   int // 1-based
	Step     int // 1-based
	What     string
}

func (c Cluster) String() string {
	who := "learners"
	if c.Learners == 1 {
		who = "learner"
	}
	return fmt.Sprintf("%d %s %s on lesson %d step %d", c.Learners, who, c.What, c.Lesson, c.Step)
}

// Clusters lists the mistakes two or more learners made, the most shared
// first.
func (r *Room) Clusters() []Cluster {
	r.mu.Lock()
	defer r.mu.Unlock()
	count := map[mistake]int{}
	for _, l := range r.learners {
		if l.id == seatID(instructorsSeat) {
			continue
		}
		for _, m := range l.rec.Mistakes {
			count[m]++
		}
	}
	index := map[string]int{}
	for i, l := range r.lessons {
		index[l.ID] = i + 1
	}
	var out []Cluster
	for m, n := range count {
		if n < 2 || index[m.Lesson] == 0 {
			continue
		}
		out = append(out, Cluster{Learners: n, Lesson: index[m.Lesson], Step: m.Step + 1, What: m.What})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Learners != b.Learners {
			return a.Learners > b.Learners
		}
		if a.Lesson != b.Lesson {
			return a.Lesson < b.Lesson
		}
		if a.Step != b.Step {
			return a.Step < b.Step
		}
		return a.What < b.What
	})
	return out
}

// broadcast tells every connection something (a message to the room, the
// classroom closing).
func (r *Room) broadcast(text string) {
	r.mu.Lock()
	cs := make([]*conn, 0, len(r.conns))
	for c := range r.conns {
		cs = append(cs, c)
	}
	r.mu.Unlock()
	for _, c := range cs {
		c.notify(text)
	}
}

// gotoLesson moves every online learner to lesson n (1-based) and says so.
func (r *Room) gotoLesson(n int) (moved int, err error) {
	if n < 1 || n > len(r.lessons) {
		return 0, fmt.Errorf("there is no lesson %d: choose 1 to %d", n, len(r.lessons))
	}
	les := r.lessons[n-1]
	r.mu.Lock()
	var sessions []*session.Session
	var cs []*conn
	for _, l := range r.learners {
		if l.sess != nil && l.id != seatID(instructorsSeat) {
			sessions = append(sessions, l.sess)
			for c := range l.conns {
				cs = append(cs, c)
			}
		}
	}
	r.mu.Unlock()
	for _, s := range sessions {
		if s.Goto(les.ID) == nil {
			moved++
		}
	}
	for _, c := range cs {
		c.notify(fmt.Sprintf("The instructor moved everyone to lesson %d: %s.", n, les.Title))
	}
	return moved, nil
}

// learnerByID returns a learner for peek.
func (r *Room) learnerByID(id string) *learner {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.learners[id]
}

// close ends every learner's session and saves every record.
func (r *Room) close() {
	r.mu.Lock()
	var ls []*learner
	for _, l := range r.learners {
		if l.sess != nil {
			ls = append(ls, l)
		}
	}
	r.mu.Unlock()
	for _, l := range ls {
		r.mu.Lock()
		end := r.unseatLocked(l)
		r.mu.Unlock()
		end()
	}
	r.flush()
}
