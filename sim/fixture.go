package sim

import (
	"fmt"
	"slices"
	"strings"
)

// seed is one resource a fixture starts with; bodies are canonical JSON.
type seed struct{ path, body string }

var (
	seedFlight  = seed{"/flights/AA123", `{"gate":"a7","status":"delayed"}`}
	seedAccount = seed{"/accounts/42", `{"balance":80.00}`}
)

// fixtureSeeds is the fixture contract lessons and tests rely on. Every
// fixture has the same collections (see routes.go); fixtures differ in data.
var fixtureSeeds = map[string][]seed{
	"all":       {seedAccount, seedFlight},
	"bank":      {seedAccount},
	"customers": nil,
	"empty":     nil,
	"flights":   {seedFlight},
	"payments":  nil,
}

const defaultFixture = "all"

// Fixtures lists the fixture names New and Reset accept, sorted.
func Fixtures() []string {
	names := make([]string, 0, len(fixtureSeeds))
	for n := range fixtureSeeds {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func checkFixture(name string) error {
	if _, ok := fixtureSeeds[name]; ok {
		return nil
	}
	return fmt.Errorf("unknown fixture %q: choose one of %s", name, strings.Join(Fixtures(), ", "))
}
