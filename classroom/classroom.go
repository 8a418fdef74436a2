// Package classroom serves putpost over SSH to a room of learners: each
// connection gets the full-screen tutorial on a session of its own (its own
// simulated server and progress), the instructor gets a live roster of
// everyone, and the room can watch the instructor's own screen.
//
// It is built on wish: one ssh.Handler routes a connection by its command
// (none for a learner, teach, demo, present, watch) to a Bubble Tea program made
// with wish's bubbletea middleware. Every program runs on its SSH session's
// input, output, environment and window, never on this process's own, and
// none of them handles signals: the server does, once, for everyone.
package classroom

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	charmlog "charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/present"
	"github.com/putpost/putpost/sim"
	"github.com/putpost/putpost/termsafe"
)

// Config is how a classroom runs. Zero durations and limits take the
// defaults below.
type Config struct {
	Listen      string // host:port to listen on
	AllowRemote bool   // permit an address that is not loopback
	Dir         string // the state folder: host key, learners' progress
	Lessons     []*lessons.Lesson
	// TeacherKeys is an authorized_keys file of the instructor's keys; ""
	// lets the instructor in with the token printed at start instead.
	TeacherKeys string
	// Demos are the host's own demos for the presenter (present NAME),
	// beside the built-in ones; names must differ from theirs.
	Demos []*present.Demo

	MaxSessions      int           // connections with a session at once
	RatePerMinute    int           // new connections per address, after the burst
	Burst            int           // connections one address may open at once
	HandshakeTimeout time.Duration // to finish the SSH handshake
	MaxSession       time.Duration // the longest a connection may last
	Idle             time.Duration // without a key press before disconnecting
	IdleWarning      time.Duration // how long before that the learner is warned
	MaxWidth         int           // the render area is capped to this
	MaxHeight        int

	Log io.Writer // the server's log; nil: discarded
}

// Defaults of Config.
const (
	DefaultMaxSessions      = 200
	DefaultRatePerMinute    = 30
	DefaultBurst            = 60
	DefaultHandshakeTimeout = 30 * time.Second
	DefaultMaxSession       = 8 * time.Hour
	DefaultIdle             = 30 * time.Minute
	DefaultIdleWarning      = 2 * time.Minute
	DefaultMaxWidth         = 160
	DefaultMaxHeight        = 50
)

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.MaxSessions, DefaultMaxSessions)
	def(&c.RatePerMinute, DefaultRatePerMinute)
	def(&c.Burst, DefaultBurst)
	def(&c.MaxWidth, DefaultMaxWidth)
	def(&c.MaxHeight, DefaultMaxHeight)
	defDur(&c.HandshakeTimeout, DefaultHandshakeTimeout)
	defDur(&c.MaxSession, DefaultMaxSession)
	defDur(&c.Idle, DefaultIdle)
	defDur(&c.IdleWarning, DefaultIdleWarning)
	if c.IdleWarning >= c.Idle {
		c.IdleWarning = c.Idle / 2
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return c
}

// DefaultDir is the classroom's state folder: $XDG_STATE_HOME/putpost/classroom,
// next to the tutorial's own progress.
func DefaultDir() string {
	p := lessons.DefaultProgressPath()
	if p == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(p), "classroom")
}

// hostKeyFile is the host key's name in the state folder.
const hostKeyFile = "host_ed25519"

// Classroom is a running SSH classroom.
type Classroom struct {
	cfg     Config
	room    *Room
	srv     *ssh.Server
	ln      net.Listener
	log     *log.Logger
	limiter *rateLimiter

	teacherKeys []ssh.PublicKey
	token       string // lets the instructor in when there are no teacher keys
	hostFP      string

	demos      map[string]*present.Demo // what present can play, by name
	demoNames  []string                 // sorted
	stage      *mirror                  // the presenter's screen, for watch
	presenting atomic.Bool              // one presenter at a time

	// signal raises or lowers a learner's signal: the room's, replaced in
	// a test to make a learner's program panic.
	signal func(l *learner, help bool) bool

	sessions atomic.Int64
	perConn  connSessions
	closing  atomic.Bool
	served   atomic.Bool
	stop     chan struct{}
	flushed  chan struct{}
	once     sync.Once
}

// New prepares a classroom: the state folder, its host key, the teacher
// keys, and the listener (loopback unless AllowRemote). Serve runs it.
func New(cfg Config) (*Classroom, error) {
	cfg = cfg.withDefaults()
	if cfg.Dir == "" {
		return nil, errors.New("no state folder for the classroom: set XDG_STATE_HOME or HOME, or pass --dir")
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("classroom folder: %w", err)
	}
	c := &Classroom{cfg: cfg, log: log.New(cfg.Log, "classroom ", log.LstdFlags),
		limiter: newRateLimiter(float64(cfg.RatePerMinute)/60, cfg.Burst),
		stop:    make(chan struct{}), flushed: make(chan struct{}), stage: newMirror()}
	demos, names, err := loadDemos(cfg.Demos)
	if err != nil {
		return nil, err
	}
	c.demos, c.demoNames = demos, names
	if cfg.TeacherKeys != "" {
		keys, err := readAuthorizedKeys(cfg.TeacherKeys)
		if err != nil {
			return nil, err
		}
		c.teacherKeys = keys
	} else {
		c.token = newToken()
	}
	// wish reports through charm's default logger: into our log, not over
	// the terminal the classroom was started from. It reports every program
	// that ends because its learner disconnected as an error; that is how a
	// session normally ends, so those lines are left out.
	charmlog.SetOutput(disconnectsLeftOut{cfg.Log})

	room, err := openRoom(cfg.Dir, cfg.Lessons)
	if err != nil {
		return nil, err
	}
	c.room = room
	c.signal = room.signal

	srv, err := wish.NewServer(
		wish.WithHostKeyPath(filepath.Join(cfg.Dir, hostKeyFile)),
		// Anyone may take a seat: a key names the learner, and without
		// one the user name does (keyboard-interactive with no questions).
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }),
		wish.WithKeyboardInteractiveAuth(func(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }),
		wish.WithMaxTimeout(cfg.MaxSession),
		wish.WithMiddleware(func(ssh.Handler) ssh.Handler { return c.handle }),
	)
	if err != nil {
		return nil, fmt.Errorf("host key in %s: %w", cfg.Dir, err)
	}
	srv.HandshakeTimeout = cfg.HandshakeTimeout
	srv.ConnCallback = func(_ ssh.Context, conn net.Conn) net.Conn {
		if c.closing.Load() || !c.limiter.allow(conn.RemoteAddr()) {
			return nil
		}
		return conn
	}
	c.srv = srv
	if len(srv.HostSigners) > 0 {
		c.hostFP = gossh.FingerprintSHA256(srv.HostSigners[0].PublicKey())
	}
	ln, err := sim.Listen(cfg.Listen, cfg.AllowRemote)
	if err != nil {
		return nil, err
	}
	c.ln = ln
	return c, nil
}

func newToken() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// readAuthorizedKeys reads the instructor's keys.
func readAuthorizedKeys(path string) ([]ssh.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--teacher-keys: %w", err)
	}
	keys, err := parseAuthorizedKeys(data)
	if err != nil {
		return nil, fmt.Errorf("--teacher-keys %s%w", path, err)
	}
	return keys, nil
}

// parseAuthorizedKeys reads keys in authorized_keys format, one a line;
// blank lines and # comments are skipped. An error starts with ":LINE: ".
func parseAuthorizedKeys(data []byte) ([]ssh.PublicKey, error) {
	var keys []ssh.PublicKey
	for i, line := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(t))
		if err != nil {
			return nil, fmt.Errorf(":%d: not a public key in authorized_keys format (%v)", i+1, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New(": no keys in the file")
	}
	return keys, nil
}

// Addr is where the classroom listens.
func (c *Classroom) Addr() net.Addr { return c.ln.Addr() }

// HostKeyFingerprint is the host key's SHA256 fingerprint, for the
// projector: learners compare it with what ssh asks them to accept.
func (c *Classroom) HostKeyFingerprint() string { return c.hostFP }

// Token is what the instructor types after teach when there are no teacher
// keys; "" when there are.
func (c *Classroom) Token() string { return c.token }

// Welcome is the text printed at start: how learners connect, the host key
// to compare, how the instructor connects.
func (c *Classroom) Welcome() string {
	host, port, _ := net.SplitHostPort(c.Addr().String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "THIS-MACHINE"
	}
	p := ""
	if port != "22" {
		p = "-p " + port + " "
	}
	auth, how := "", "with a key from --teacher-keys"
	if c.token != "" {
		auth, how = " "+c.token, "the token is new at every start"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "putpost classroom on %s  (state in %s)\n\n", c.Addr(), c.cfg.Dir)
	fmt.Fprintf(&b, "Learners type:    ssh %sYOURNAME@%s\n", p, host)
	fmt.Fprintf(&b, "Host key:         %s\n", c.hostFP)
	fmt.Fprintf(&b, "Instructor:       ssh %s-t %s teach%s   (%s)\n", p, host, auth, how)
	fmt.Fprintf(&b, "Your own screen:  ssh %s-t %s demo%s   (the room follows it: ssh %s-t %s watch)\n", p, host, auth, p, host)
	fmt.Fprintf(&b, "Presenter:        ssh %s-t %s present%s [DEMO]   (watch shows it while it runs; demos: %s)\n", p, host, auth, strings.Join(c.demoNames, ", "))
	fmt.Fprintf(&b, "\nCtrl-C closes the classroom; progress is kept in the state folder.\n")
	return b.String()
}

// Serve runs the classroom until Shutdown.
func (c *Classroom) Serve() error {
	c.served.Store(true)
	go c.flusher()
	err := c.srv.Serve(c.ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// flusher saves changed learner records now and then, off every program's
// goroutine; a kill loses at most the last few seconds of counters (a
// passed step is saved the moment it passes).
func (c *Classroom) flusher() {
	defer close(c.flushed)
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			c.room.flush()
		}
	}
}

// closingText is what everyone connected reads when the classroom closes.
const closingText = "The classroom is closing. Your progress is saved; thank you!"

// Shutdown tells everyone connected that the classroom is closing, ends
// their programs, waits for the connections to end (or ctx), and saves
// every learner's record.
func (c *Classroom) Shutdown(ctx context.Context) error {
	var err error
	c.once.Do(func() {
		c.closing.Store(true)
		c.room.mu.Lock()
		var cs []*conn
		for cn := range c.room.conns {
			cs = append(cs, cn)
		}
		c.room.mu.Unlock()
		for _, cn := range cs {
			cn.end(closingText)
		}
		// Each handler says the closing text once its program has
		// ended; then the connections can go.
		for c.sessions.Load() > 0 && ctx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		err = ctx.Err()
		_ = c.srv.Close()
		close(c.stop)
		if c.served.Load() {
			<-c.flushed
		}
		c.room.close()
	})
	return err
}

// --- connections -------------------------------------------------------------

// conn is one SSH session with a program on it.
type conn struct {
	lastNano atomic.Int64 // the last key press

	// gate closes when the program is about to end (the session closed, or
	// the server ended it): input read after that is dropped, since a key
	// handed to a program that stopped reading pins its input goroutine
	// (Bubble Tea's reader sends without looking at its context).
	gate     context.Context
	shutGate context.CancelFunc

	mu     sync.Mutex
	prog   *tea.Program
	notice func(string) // shows a text in the program
	ended  string       // said after the program ends
}

func newConn() *conn {
	c := &conn{}
	c.gate, c.shutGate = context.WithCancel(context.Background())
	c.touch()
	return c
}

func (c *conn) touch()             { c.lastNano.Store(time.Now().UnixNano()) }
func (c *conn) lastKey() time.Time { return time.Unix(0, c.lastNano.Load()) }

func (c *conn) setProgram(p *tea.Program, notice func(string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prog, c.notice = p, notice
	if c.ended != "" { // ended before it started
		go p.Quit()
	}
}

// notify shows text in the connection's program.
func (c *conn) notify(text string) {
	c.mu.Lock()
	f := c.notice
	c.mu.Unlock()
	if f != nil {
		go f(text) // Send waits for the program's loop
	}
}

// end stops the program; text is said on the terminal after it.
func (c *conn) end(text string) {
	c.mu.Lock()
	if c.ended == "" {
		c.ended = text
	}
	p := c.prog
	c.mu.Unlock()
	c.shutGate()
	if p != nil {
		p.Quit()
	}
}

func (c *conn) endedText() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ended
}

// say writes lines to the SSH session's terminal.
func say(s ssh.Session, lines ...string) {
	_, _ = io.WriteString(s, strings.Join(lines, "\r\n")+"\r\n")
}

// handle routes one SSH session.
func (c *Classroom) handle(s ssh.Session) {
	defer func() {
		if r := recover(); r != nil {
			c.log.Printf("panic in a session of %q: %v\n%s", termsafe.Cut(s.User(), maxNameBytes), r, debug.Stack())
			say(s, "", "putpost hit a bug and ended this session; your progress is saved. Connect again to go on.")
			_ = s.Exit(1)
		}
	}()
	if c.closing.Load() {
		say(s, closingText)
		_ = s.Exit(1)
		return
	}
	id := s.Context().SessionID()
	if !c.perConn.take(id) {
		say(s, fmt.Sprintf("This connection already carries %d sessions: close one, or connect again.", maxSessionsPerConn))
		_ = s.Exit(1)
		return
	}
	defer c.perConn.done(id)
	if n := c.sessions.Add(1); n > int64(c.cfg.MaxSessions) {
		c.sessions.Add(-1)
		say(s, fmt.Sprintf("The classroom is full (%d sessions). Try again in a minute, or ask the instructor.", c.cfg.MaxSessions))
		_ = s.Exit(1)
		return
	}
	defer c.sessions.Add(-1)

	args := s.Command()
	if _, _, ok := s.Pty(); !ok {
		say(s, c.noPTY(args))
		_ = s.Exit(1)
		return
	}
	cmd := ""
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "":
		c.serveLearner(s)
	case "teach", "demo":
		if !c.isTeacher(s, args[1:]) {
			say(s, c.refuseTeacher(cmd))
			_ = s.Exit(1)
			return
		}
		if cmd == "teach" {
			c.serveRoster(s)
		} else {
			c.serveDemo(s)
		}
	case "present":
		rest, ok := c.teacherArgs(s, args[1:])
		if !ok {
			say(s, c.refuseTeacher(cmd))
			_ = s.Exit(1)
			return
		}
		c.servePresent(s, rest)
	case "watch":
		c.serveWatch(s)
	default:
		say(s, fmt.Sprintf("putpost classroom: unknown command %q. Connect with no command for the tutorial, or with watch to follow the instructor's screen.", termsafe.Cut(cmd, 40)))
		_ = s.Exit(1)
	}
}

// noPTY is the one line for a connection without a terminal; it repeats
// the command when it is one of the classroom's.
func (c *Classroom) noPTY(args []string) string {
	_, port, _ := net.SplitHostPort(c.Addr().String())
	cmd := ""
	if len(args) > 0 && (args[0] == "teach" || args[0] == "demo" || args[0] == "present" || args[0] == "watch") {
		cmd = " " + termsafe.Cut(strings.Join(args, " "), 60)
	}
	return fmt.Sprintf("putpost needs a terminal: connect with  ssh -t -p %s NAME@HOST%s", port, cmd)
}

// isTeacher checks, inside the session, the key that authenticated it
// against the teacher keys; without teacher keys it checks the token.
func (c *Classroom) isTeacher(s ssh.Session, args []string) bool {
	if len(c.teacherKeys) > 0 {
		pk := s.PublicKey()
		if pk == nil {
			return false
		}
		for _, k := range c.teacherKeys {
			if ssh.KeysEqual(pk, k) {
				return true
			}
		}
		return false
	}
	return len(args) == 1 && subtle.ConstantTimeCompare([]byte(args[0]), []byte(c.token)) == 1
}

// teacherArgs checks the instructor like isTeacher for a command that takes
// arguments of its own (present [DEMO]): the token, when there are no
// teacher keys, comes first. It returns the arguments after the token.
func (c *Classroom) teacherArgs(s ssh.Session, args []string) ([]string, bool) {
	if len(c.teacherKeys) > 0 {
		return args, c.isTeacher(s, nil)
	}
	if len(args) == 0 || !c.isTeacher(s, args[:1]) {
		return nil, false
	}
	return args[1:], true
}

// refuseTeacher says why cmd (teach, demo, present) was refused.
func (c *Classroom) refuseTeacher(cmd string) string {
	if len(c.teacherKeys) > 0 {
		return "This is for the instructor, whose keys are in the classroom's --teacher-keys. Connect without a command for the tutorial."
	}
	usage := cmd + " TOKEN"
	if cmd == "present" {
		usage += " [DEMO]"
	}
	return "This is for the instructor: add the token printed when the classroom started (" + usage + "). Connect without a command for the tutorial."
}

// identify names a learner: the public key's fingerprint when they used
// one, else the user name.
func identify(s ssh.Session) (identity, name string) {
	name = s.User()
	if pk := s.PublicKey(); pk != nil {
		return "key " + gossh.FingerprintSHA256(pk), name
	}
	return "name " + name, name
}

// programOptions runs a program on the SSH session: its input (noting key
// presses), its output (copied to mir when not nil), its environment and
// window, capped in size, and no signal handling.
func (c *Classroom) programOptions(s ssh.Session, cn *conn, mir *mirror) []tea.ProgramOption {
	pty, _, _ := s.Pty()
	w, h := capSize(pty.Window.Width, pty.Window.Height, c.cfg.MaxWidth, c.cfg.MaxHeight)
	var out io.Writer = s
	if mir != nil {
		// The session turns the program's \n into \r\n on its way to the
		// terminal (a pty's ONLCR); the copy must see the same bytes, or
		// its lines drift right wherever the renderer moved down with \n.
		out = io.MultiWriter(s, ssh.NewPtyWriter(mir))
		mir.resize(w, h)
	}
	return append(bubbletea.MakeOptions(s),
		tea.WithInput(&activity{r: s, c: cn, over: func(what string) {
			c.log.Printf("ended a session of %q: its input held %s", termsafe.Cut(s.User(), maxNameBytes), what)
		}}),
		tea.WithOutput(out),
		tea.WithWindowSize(w, h),
		tea.WithoutSignalHandler(),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			switch m := msg.(type) {
			case tea.SuspendMsg: // ctrl+z cannot suspend a program on a server
				return tea.ResumeMsg{}
			case tea.WindowSizeMsg:
				m.Width, m.Height = capSize(m.Width, m.Height, c.cfg.MaxWidth, c.cfg.MaxHeight)
				if mir != nil {
					mir.resize(m.Width, m.Height)
				}
				return m
			}
			return msg
		}),
	)
}

// run runs the program made by mk on the session through wish's bubbletea
// middleware, with the idle watch, and says afterwards why it ended.
func (c *Classroom) run(s ssh.Session, cn *conn, mk func(ssh.Session) *tea.Program) {
	ctx, cancel := context.WithCancel(s.Context())
	defer cancel()
	go func() {
		<-ctx.Done()
		cn.shutGate()
	}()
	go c.watchIdle(ctx, cn)
	bubbletea.MiddlewareWithProgramHandler(mk)(func(ssh.Session) {})(s)
	if t := cn.endedText(); t != "" {
		say(s, t)
	}
}

// watchIdle warns, then disconnects, a connection without key presses.
func (c *Classroom) watchIdle(ctx context.Context, cn *conn) {
	every := min(c.cfg.IdleWarning/4, 10*time.Second)
	t := time.NewTicker(max(every, 10*time.Millisecond))
	defer t.Stop()
	warned := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		idle := time.Since(cn.lastKey())
		switch {
		case idle >= c.cfg.Idle:
			cn.end(fmt.Sprintf("Disconnected after %s without a key press. Your progress is saved: connect again to go on.", c.cfg.Idle.Round(time.Second)))
			return
		case idle >= c.cfg.Idle-c.cfg.IdleWarning && !warned:
			warned = true
			cn.notify(fmt.Sprintf("No key pressed for a while: this session ends in %s unless you press a key.", (c.cfg.Idle - idle).Round(time.Second)))
		case idle < c.cfg.Idle-c.cfg.IdleWarning:
			warned = false
		}
	}
}

// disconnectsLeftOut drops wish's log lines for programs that ended because
// their connection closed, and passes every other line on. Each Write is one
// log line.
type disconnectsLeftOut struct{ w io.Writer }

func (d disconnectsLeftOut) Write(p []byte) (int, error) {
	if strings.Contains(string(p), "program was killed: context canceled") {
		return len(p), nil
	}
	return d.w.Write(p)
}
