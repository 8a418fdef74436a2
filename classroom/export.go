package classroom

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/putpost/putpost/lessons"
	"github.com/putpost/putpost/termsafe"
)

// LearnerExport is one learner's progress as export writes it.
type LearnerExport struct {
	Name         string         `json:"name"`
	Identity     string         `json:"identity"`
	FirstSeen    time.Time      `json:"first_seen"`
	LastSeen     time.Time      `json:"last_seen"`
	Lesson       string         `json:"lesson"` // the lesson they were in
	StepsPassed  int            `json:"steps_passed"`
	StepsTotal   int            `json:"steps_total"`
	Passed       map[string]int `json:"passed"` // lesson id → steps passed
	Requests     int            `json:"requests"`
	Hints        int            `json:"hints"`
	Solutions    int            `json:"solutions"`
	QuizFirstTry int            `json:"quiz_first_try_right"`
	QuizAnswered int            `json:"quiz_answered"`
	Done         bool           `json:"done"`
	NeedsHelp    bool           `json:"needs_help"`
	Mistakes     []string       `json:"mistakes"`
}

// Export reads every learner saved in the classroom folder dir and writes
// their progress as CSV and JSON into outDir. It works while the classroom
// runs (it reads what is saved) and after it stopped. It returns the two
// files' paths.
func Export(dir, outDir string, ls []*lessons.Lesson, now time.Time) (csvPath, jsonPath string, err error) {
	base := filepath.Join(dir, learnersFolder)
	ents, err := os.ReadDir(base)
	if err != nil {
		return "", "", fmt.Errorf("no classroom in %s: %w", dir, err)
	}
	total := 0
	for _, l := range ls {
		total += len(l.Steps)
	}
	var out []LearnerExport
	for _, e := range ents {
		if !e.IsDir() || e.Name() == seatID(instructorsSeat) {
			continue
		}
		l, err := loadLearner(filepath.Join(base, e.Name()))
		if err != nil {
			continue
		}
		x := LearnerExport{Name: l.rec.Name, Identity: l.rec.Identity, FirstSeen: l.rec.FirstSeen, LastSeen: l.rec.LastSeen,
			Lesson: l.progress.Current(), StepsTotal: total, Passed: map[string]int{},
			Requests: l.rec.Requests, Hints: l.rec.Hints, Solutions: l.rec.Solutions,
			Done: l.rec.Done, NeedsHelp: l.rec.Help, Mistakes: []string{}}
		for _, les := range ls {
			n := 0
			for _, s := range l.progress.PassedSteps(les.ID) {
				if s >= 0 && s < len(les.Steps) {
					n++
				}
			}
			x.Passed[les.ID] = n
			x.StepsPassed += n
		}
		for _, right := range l.rec.Quiz {
			x.QuizAnswered++
			if right {
				x.QuizFirstTry++
			}
		}
		for _, m := range l.rec.Mistakes {
			x.Mistakes = append(x.Mistakes, fmt.Sprintf("%s step %d: %s", m.Lesson, m.Step+1, m.What))
		}
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Identity < out[j].Identity
	})

	stamp := now.UTC().Format("20060102-150405")
	csvPath = filepath.Join(outDir, "putpost-classroom-"+stamp+".csv")
	jsonPath = filepath.Join(outDir, "putpost-classroom-"+stamp+".json")
	data, err := json.MarshalIndent(struct {
		Exported time.Time       `json:"exported"`
		Lessons  []string        `json:"lessons"`
		Learners []LearnerExport `json:"learners"`
	}{now.UTC(), lessonIDs(ls), out}, "", "  ")
	if err != nil {
		return "", "", err
	}
	if err := writeAtomic(jsonPath, data); err != nil {
		return "", "", fmt.Errorf("export: %w", err)
	}
	if err := writeAtomic(csvPath, exportCSV(out, ls)); err != nil {
		return "", "", fmt.Errorf("export: %w", err)
	}
	return csvPath, jsonPath, nil
}

func lessonIDs(ls []*lessons.Lesson) []string {
	ids := make([]string, len(ls))
	for i, l := range ls {
		ids[i] = l.ID
	}
	return ids
}

func exportCSV(out []LearnerExport, ls []*lessons.Lesson) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := []string{"name", "identity", "first_seen", "last_seen", "lesson", "steps_passed", "steps_total",
		"requests", "hints", "solutions", "quiz_first_try_right", "quiz_answered", "done", "needs_help", "mistakes"}
	for _, l := range ls {
		head = append(head, l.ID)
	}
	_ = w.Write(head)
	for _, x := range out {
		row := []string{cell(x.Name), cell(x.Identity), x.FirstSeen.UTC().Format(time.RFC3339), x.LastSeen.UTC().Format(time.RFC3339),
			cell(x.Lesson), fmt.Sprint(x.StepsPassed), fmt.Sprint(x.StepsTotal), fmt.Sprint(x.Requests), fmt.Sprint(x.Hints),
			fmt.Sprint(x.Solutions), fmt.Sprint(x.QuizFirstTry), fmt.Sprint(x.QuizAnswered), fmt.Sprint(x.Done),
			fmt.Sprint(x.NeedsHelp), cell(strings.Join(x.Mistakes, "; "))}
		for _, l := range ls {
			row = append(row, fmt.Sprintf("%d/%d", x.Passed[l.ID], len(l.Steps)))
		}
		_ = w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

// cell keeps a learner's text from being read as a formula by a
// spreadsheet that opens the CSV, and from acting on the terminal of whoever
// prints the file: controls and invisible characters are shown escaped
// (the JSON keeps the name exactly as sent).
func cell(s string) string {
	s = termsafe.String(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
