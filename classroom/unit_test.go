package classroom

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestStuckMeansFarLongerThanTheRoomsMedian(t *testing.T) {
	min := time.Minute
	rows := []Row{
		{Name: "a", Online: true, OnStep: 2 * min, Step: 1, Passed: []bool{false}},
		{Name: "b", Online: true, OnStep: 3 * min, Step: 1, Passed: []bool{false}},
		{Name: "c", Online: true, OnStep: 2 * min, Step: 1, Passed: []bool{false}},
		{Name: "slow", Online: true, OnStep: 20 * min, Step: 1, Passed: []bool{false}},
		{Name: "slow but passed", Online: true, OnStep: 20 * min, Step: 1, Passed: []bool{true}},
		{Name: "gone", Online: false, OnStep: 40 * min, Step: 1, Passed: []bool{false}},
	}
	markStuck(rows)
	for _, r := range rows {
		if want := r.Name == "slow"; r.Stuck != want {
			t.Errorf("%s: stuck %v, want %v", r.Name, r.Stuck, want)
		}
	}
	// A whole room slow on a hard step is not stuck: nobody is far from
	// the median.
	same := []Row{{Online: true, OnStep: 10 * min}, {Online: true, OnStep: 12 * min}, {Online: true, OnStep: 11 * min}}
	markStuck(same)
	for _, r := range same {
		if r.Stuck {
			t.Errorf("%v on the step in a room around 11m is marked stuck", r.OnStep)
		}
	}
}

func TestTheRateLimitLetsAClassBehindOneAddressIn(t *testing.T) {
	now := time.Unix(0, 0)
	rl := newRateLimiter(DefaultRatePerMinute/60.0, DefaultBurst)
	rl.now = func() time.Time { return now }
	nat := &net.TCPAddr{IP: net.IPv4(203, 0, 113, 5), Port: 40000}
	for i := range DefaultBurst {
		if !rl.allow(nat) {
			t.Fatalf("connection %d of a class behind one address refused", i+1)
		}
	}
	if rl.allow(nat) {
		t.Error("a connection beyond the burst was let in at once")
	}
	other := &net.TCPAddr{IP: net.IPv4(198, 51, 100, 7), Port: 1}
	if !rl.allow(other) {
		t.Error("another address paid for the first one's burst")
	}
	now = now.Add(2 * time.Second) // 30 a minute: one every 2 s
	if !rl.allow(nat) {
		t.Error("no new connection after the refill")
	}
}

func TestCapSize(t *testing.T) {
	for _, c := range []struct{ w, h, ww, wh int }{{100, 30, 100, 30}, {400, 200, 160, 50}, {0, 0, 80, 24}, {-5, 70, 80, 50}, {200, 0, 160, 24}} {
		if w, h := capSize(c.w, c.h, 160, 50); w != c.ww || h != c.wh {
			t.Errorf("capSize(%d, %d) = %d×%d, want %d×%d", c.w, c.h, w, h, c.ww, c.wh)
		}
	}
}

func TestExportWritesEveryLearnerAsCSVAndJSONWithoutFormulas(t *testing.T) {
	dir := t.TempDir()
	c := startClassroom(t, Config{Dir: dir})
	a := open(t, dial(t, c, "=HYPERLINK(\"x\")", nil), "", 100, 30)
	a.passFirstStep()
	open(t, dial(t, c, "bob", nil), "", 100, 30).waitFor("Meet the server")
	ctxShutdown(t, c) // export reads what a stopped classroom saved

	out := t.TempDir()
	csvPath, jsonPath, err := Export(dir, out, c.cfg.Lessons, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(csvPath) != "putpost-classroom-20261201-090000.csv" {
		t.Errorf("csv file %s", csvPath)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[0][0] != "name" || recs[0][15] != c.cfg.Lessons[0].ID {
		t.Fatalf("csv %q", recs)
	}
	byName := map[string][]string{}
	for _, r := range recs[1:] {
		byName[r[0]] = r
	}
	eve := byName[`'=HYPERLINK("x")`]
	if eve == nil {
		t.Fatalf("the formula-like name is not quoted: %q", recs)
	}
	if eve[5] != "1" || eve[7] != "1" || eve[15] != fmt.Sprintf("1/%d", len(c.cfg.Lessons[0].Steps)) {
		t.Errorf("the learner who passed step 1: %q", eve)
	}
	if bob := byName["bob"]; bob == nil || bob[5] != "0" {
		t.Errorf("bob: %q", bob)
	}

	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Learners []LearnerExport `json:"learners"`
	}
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Learners) != 2 {
		t.Fatalf("json %s: %v", data, err)
	}
	for _, l := range doc.Learners {
		if l.Name == "bob" && (l.StepsPassed != 0 || l.Identity != "name bob") {
			t.Errorf("bob in json: %+v", l)
		}
	}
}

func TestExportOfAFolderWithoutAClassroomSaysSo(t *testing.T) {
	_, _, err := Export(filepath.Join(t.TempDir(), "nothing"), t.TempDir(), nil, time.Now())
	if err == nil || !strings.Contains(err.Error(), "no classroom in") {
		t.Errorf("export of nothing: %v", err)
	}
}

func TestTeacherKeysFileProblemsAreReportedWithTheLine(t *testing.T) {
	k := newKey(t)
	good := string(gossh.MarshalAuthorizedKey(k.PublicKey()))
	for _, c := range []struct{ data, want string }{
		{"# comment\n\n" + good, ""},
		{good + "not a key\n", ":2: not a public key"},
		{"# only a comment\n", ": no keys in the file"},
	} {
		keys, err := parseAuthorizedKeys([]byte(c.data))
		switch {
		case c.want == "" && (err != nil || len(keys) != 1):
			t.Errorf("%q: %v %v", c.data, keys, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
			t.Errorf("%q: error %v, want %q", c.data, err, c.want)
		}
	}
}

func FuzzParseAuthorizedKeys(f *testing.F) {
	f.Add([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMU0 a@b\n"))
	f.Add([]byte("# c\n\nfrom=\"x\" ssh-rsa AAAA\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := parseAuthorizedKeys(data)
		if err == nil && len(keys) == 0 {
			t.Error("no keys and no error")
		}
	})
}

func TestAConnectionThatNeverFinishesTheHandshakeIsClosed(t *testing.T) {
	c := startClassroom(t, Config{HandshakeTimeout: 200 * time.Millisecond})
	conn, err := net.Dial("tcp", c.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(waitLimit))
	// The server's version line comes, then nothing more: it closes.
	buf := make([]byte, 256)
	for {
		if _, err := conn.Read(buf); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("the server kept a silent connection open")
			}
			return
		}
	}
}

// A learner's name reaches the CSV as sent over SSH; whoever runs cat on
// the file must not have their terminal retitled, recoloured or cleared.
func TestExportCSVCarriesNoTerminalControls(t *testing.T) {
	hostile := "e\x1b]0;PWNED\x07vil\u009b2J\u202eevil\u200b"
	out := []LearnerExport{{Name: hostile, Identity: "name " + hostile, Lesson: "meet-the-server",
		Mistakes: []string{"meet-the-server step 1: " + hostile}}}
	data := string(exportCSV(out, nil))
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\u200b"} {
		if strings.Contains(data, bad) {
			t.Errorf("the CSV holds %q:\n%q", bad, data)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(data)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv %q: %v", data, err)
	}
	if !strings.Contains(recs[1][0], `\x1b]0;PWNED`) {
		t.Errorf("the name is not shown escaped: %q", recs[1][0])
	}
}
