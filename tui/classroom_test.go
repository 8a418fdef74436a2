package tui

import (
	"strings"
	"testing"

	"github.com/putpost/putpost/session"
)

func TestClassroomSignalKeysRaiseAndLowerTheLearnersSignals(t *testing.T) {
	raised := map[bool]bool{}
	class := &Classroom{Signal: func(help bool) bool {
		raised[help] = !raised[help]
		return raised[help]
	}}
	sess := newSession(t, session.Options{Mode: session.Tutorial, Lessons: testLessons(t)})
	d := startDriver(t, 120, 40, sess, Options{Classroom: class}, "")

	d.keys("d")
	if !raised[false] {
		t.Fatal("d did not raise the done signal")
	}
	d.mustContain("the instructor sees that you are done")
	d.keys("!")
	if !raised[true] {
		t.Fatal("! did not raise the need-help signal")
	}
	d.mustContain("would like help")
	d.keys("!")
	if raised[true] {
		t.Error("a second ! did not take the help request back")
	}
	d.keys("?")
	d.mustContain("I need help", "I'm done")
}

func TestSignalKeysDoNothingOutsideAClassroom(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{})
	d.keys("d", "!")
	if s := d.screen(); strings.Contains(s, "instructor") {
		t.Errorf("a learner on their own was told about an instructor:\n%s", s)
	}
}

func TestANoticeFromTheClassroomStaysUntilAKey(t *testing.T) {
	d := newDriver(t, 120, 40, testOpts{})
	d.send(NoticeMsg{Text: "Message from the instructor: break until 11:00"})
	d.mustContain("break until 11:00")
	d.keys("j")
	if strings.Contains(d.screen(), "break until 11:00") {
		t.Error("the notice stayed after a key")
	}
}
