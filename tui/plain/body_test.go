package plain

import (
	"strings"
	"testing"
)

// TestAResponseBodyIsPrintedAndHeadSaysItHasNone: lesson 1 asks the
// learner to read the flight a GET returns and to compare it with HEAD's
// answer; line mode must print the body, and say when there is none.
func TestAResponseBodyIsPrintedAndHeadSaysItHasNone(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "GET /flights/AA123\nHEAD /flights/AA123\n")
	get, head, ok := strings.Cut(out, "> HEAD")
	if !ok {
		t.Fatalf("no HEAD in the transcript:\n%s", out)
	}
	if !strings.Contains(get, `Body: {"gate":"a7","status":"delayed"}`) {
		t.Errorf("the GET's body is not printed:\n%s", get)
	}
	if strings.Contains(head, "Body: {") || !strings.Contains(head, "No body.") {
		t.Errorf("the HEAD's answer does not say it has no body:\n%s", head)
	}
}

// TestAnErrorOrALostResponsePrintsNoBody: an error's sentence is printed
// as "The server says", and a response the client never got has no body
// the client saw.
func TestAnErrorOrALostResponsePrintsNoBody(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "GET /flights/ZZ1\nfaults on\nretry none\nGET /flights/AA123\n")
	if strings.Contains(out, "Body:") || strings.Contains(out, "No body.") {
		t.Errorf("a body line was printed for an error or a lost response:\n%s", out)
	}
}

// TestALostErrorIsNotWhatTheServerSaysToTheClient: a 404 whose answer was
// lost is not read out as "The server says" just above "The client got no
// response"; the server's words are labelled as the answer the client never
// got, and so are a lost answer's headers.
func TestALostErrorIsNotWhatTheServerSaysToTheClient(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "faults on\nretry none\nDELETE /flights/ZZ1\nPOST /customers {\"name\":\"Ann\"}\n")
	if strings.Contains(out, "The server says:") || !strings.Contains(out, "The server said, in the answer the client never got: ") {
		t.Errorf("a lost 404's words read as said to the client:\n%s", out)
	}
	if strings.Contains(out, "Headers: Location") || !strings.Contains(out, "Headers of the lost answer: Location: /customers/") {
		t.Errorf("a lost 201's headers read as received:\n%s", out)
	}
}

// TestTwoHiddenOutcomesAreListedOnce: lesson 3's POST step hides two
// outcomes; the step's checklist lists them as one line that counts them.
func TestTwoHiddenOutcomesAreListedOnce(t *testing.T) {
	h := newHarness(t, true)
	out := h.run(t, "lesson put-create\nnext\nnext\nnext\n")
	_, step4, _ := strings.Cut(out, "Step 4 of 5")
	if n := strings.Count(step4, "see what the server does"); n != 1 || !strings.Contains(step4, "(2 things to find out)") {
		t.Errorf("step 4 lists \"see what the server does\" %d times:\n%s", n, step4)
	}
}

// TestAnUnknownLowerCaseMethodIsNamedAsTyped: "frob" is what the learner
// sent; the note must not call it FROB, and must say why it is not the
// FROB a step asks for.
func TestAnUnknownLowerCaseMethodIsNamedAsTyped(t *testing.T) {
	h := newHarness(t, false)
	out := h.run(t, "frob /customers\n")
	if strings.Contains(out, "FROB is not one of") || !strings.Contains(out, "frob is not one of the methods") ||
		!strings.Contains(out, "frob is not FROB either") {
		t.Errorf("the note does not name the method as typed:\n%s", out)
	}
}

// TestAResetInAChecklistSaysTheCommand: a check that only a reset of the
// step can satisfy says how in line mode's words, not the full screen's
// keys or the lesson markup.
func TestAResetInAChecklistSaysTheCommand(t *testing.T) {
	h := newHarness(t, true)
	out := h.run(t, "lesson put-replace\nnext\nnext\nPATCH /flights/AA123 {\"gate\":\"b12\"}\n")
	if !strings.Contains(out, "reset the step (type reset) to start over") || strings.Contains(out, "{screen:") || strings.Contains(out, "R, then s") {
		t.Errorf("the checklist's reset reads:\n%s", out)
	}
}
