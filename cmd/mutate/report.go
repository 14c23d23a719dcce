package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

// Status is how a mutant fared.
type Status string

// Statuses.
const (
	StatusKilled     Status = "killed"     // a run of the suite failed (or crashed, or timed out)
	StatusSurvived   Status = "survived"   // the suite passed under every configuration
	StatusEquivalent Status = "equivalent" // survived, and listed as equivalent with a reason
	StatusNotViable  Status = "not-viable" // does not compile
)

// Result is one mutant's outcome.
type Result struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Col         int    `json:"col"`
	Operator    string `json:"operator"`
	Status      Status `json:"status"`
	// KilledBy is the configuration whose run failed.
	KilledBy string `json:"killedBy,omitempty"`
	// Detail is the failed spec or how the run ended for a killed mutant, the compile error of
	// one not viable, the listed reason of an equivalent one.
	Detail string `json:"detail,omitempty"`
	// ListedEquivalent is set when the equivalent list names the mutant; when it is killed, or
	// makes specs skip, the listing is wrong.
	ListedEquivalent bool `json:"listedEquivalent,omitempty"`
	// NewSkips are the specs a surviving mutant made skip that the unmutated reference runs,
	// as "configuration: spec": the mutant changed what the host sees, and a spec let it pass
	// by skipping.
	NewSkips []string `json:"newSkips,omitempty"`
	// Flaky are the runs, as "configuration: failure", that failed once and passed when run
	// again; they do not count as kills.
	Flaky   []string `json:"flaky,omitempty"`
	Seconds float64  `json:"seconds,omitempty"`
}

// Summary is the whole run, as written by -json.
type Summary struct {
	Packages       []string `json:"packages"`
	Build          string   `json:"build"` // schema or overlay
	Configurations []string `json:"configurations"`
	Mutants        int      `json:"mutants"`
	Viable         int      `json:"viable"`
	NotViable      int      `json:"notViable"`
	Equivalent     int      `json:"equivalent"`
	Killed         int      `json:"killed"`
	Survived       int      `json:"survived"`
	// Score is killed / (viable - equivalent), in percent.
	Score             float64  `json:"score"`
	BuildSeconds      float64  `json:"buildSeconds"`
	RunSeconds        float64  `json:"runSeconds"`
	TotalSeconds      float64  `json:"totalSeconds"`
	Stale             []string `json:"staleEquivalents,omitempty"`
	WrongEquivalences []string `json:"wrongEquivalences,omitempty"`
	Results           []Result `json:"results"`
}

// equivalents maps a mutant ID to the reason it cannot change what a host observes.
type equivalents map[string]string

// readEquivalents reads the list of equivalent mutants: one per line, the ID, then the reason.
// Blank lines and lines starting with # are skipped; an entry without a reason, or listed
// twice, is an error.
func readEquivalents(r io.Reader) (equivalents, error) {
	eq := equivalents{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("line %d: %s has no reason", n, id)
		}
		if _, dup := eq[id]; dup {
			return nil, fmt.Errorf("line %d: %s is listed twice", n, id)
		}
		eq[id] = reason
	}
	return eq, sc.Err()
}

func loadEquivalents(path string) (equivalents, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	eq, err := readEquivalents(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return eq, nil
}

// stale returns the listed IDs that name no viable mutant any more, sorted.
func (eq equivalents) stale(all []*Mutant) []string {
	viable := map[string]bool{}
	for _, m := range all {
		if m.Viable() {
			viable[m.ID()] = true
		}
	}
	var out []string
	for id := range eq {
		if !viable[id] {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

func newResult(m *Mutant) Result {
	return Result{ID: m.ID(), Description: m.String(), File: m.File, Line: m.Line, Col: m.Col, Operator: m.Operator}
}

// tally fills the counts and the score from the results.
func (s *Summary) tally() {
	s.Mutants, s.Viable, s.NotViable, s.Equivalent, s.Killed, s.Survived = len(s.Results), 0, 0, 0, 0, 0
	s.WrongEquivalences = nil
	for _, r := range s.Results {
		switch r.Status {
		case StatusNotViable:
			s.NotViable++
			continue
		case StatusEquivalent:
			s.Equivalent++
			if len(r.NewSkips) > 0 {
				s.WrongEquivalences = append(s.WrongEquivalences, r.ID)
			}
		case StatusKilled:
			s.Killed++
			if r.ListedEquivalent {
				s.WrongEquivalences = append(s.WrongEquivalences, r.ID)
			}
		case StatusSurvived:
			s.Survived++
		}
		s.Viable++
	}
	if d := s.Viable - s.Equivalent; d > 0 {
		s.Score = 100 * float64(s.Killed) / float64(d)
	}
}

// print writes the end-of-run report: counts, score, times, survivors, and problems with the
// equivalent list.
func (s *Summary) print(w io.Writer) {
	fmt.Fprintf(w, "\nmutants: %d (%d viable, %d not viable); %d killed, %d survived, %d equivalent\n",
		s.Mutants, s.Viable, s.NotViable, s.Killed, s.Survived, s.Equivalent)
	fmt.Fprintf(w, "score: %d killed / (%d viable - %d equivalent) = %.1f%%\n", s.Killed, s.Viable, s.Equivalent, s.Score)
	ran := s.Viable
	if ran > 0 {
		how := "once, every mutant in one schema"
		if s.Build == "overlay" {
			how = fmt.Sprintf("the unmutated suite and each mutant, %s per mutant on average", seconds(s.BuildSeconds/float64(ran+1)))
		}
		fmt.Fprintf(w, "time: build %s (%s), runs %s (%s per mutant), total %s\n",
			seconds(s.BuildSeconds), how, seconds(s.RunSeconds), seconds(s.RunSeconds/float64(ran)), seconds(s.TotalSeconds))
	}
	if s.Survived > 0 {
		fmt.Fprintf(w, "\nsurvivors (%d):\n", s.Survived)
		for _, r := range s.Results {
			if r.Status == StatusSurvived {
				fmt.Fprintf(w, "  %s\n      %s\n", r.ID, r.Description)
				if len(r.NewSkips) > 0 {
					fmt.Fprintf(w, "      %s\n", skipSummary(r.NewSkips))
				}
			}
		}
	}
	if len(s.WrongEquivalences) > 0 {
		fmt.Fprintf(w, "\nlisted as equivalent, but a host can tell (remove them from the list):\n")
		for _, r := range s.Results {
			switch {
			case r.ListedEquivalent && r.Status == StatusKilled:
				fmt.Fprintf(w, "  %s\n      killed by %s: %s\n", r.ID, r.KilledBy, r.Detail)
			case r.Status == StatusEquivalent && len(r.NewSkips) > 0:
				fmt.Fprintf(w, "  %s\n      %s\n", r.ID, skipSummary(r.NewSkips))
			}
		}
	}
	var flaky []string
	for _, r := range s.Results {
		for _, f := range r.Flaky {
			flaky = append(flaky, r.ID+" under "+f)
		}
	}
	if len(flaky) > 0 {
		fmt.Fprintf(w, "\nfailures that did not repeat, not counted as kills (%d):\n", len(flaky))
		for _, f := range flaky {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
	if len(s.Stale) > 0 {
		fmt.Fprintf(w, "\nstale equivalent entries (no such viable mutant any more):\n")
		for _, id := range s.Stale {
			fmt.Fprintf(w, "  %s\n", id)
		}
	}
}

// skipSummary says how many specs a mutant made skip, given as "configuration: spec".
func skipSummary(skips []string) string {
	specs, configs := map[string]bool{}, map[string]bool{}
	for _, s := range skips {
		c, spec, _ := strings.Cut(s, ": ")
		specs[spec], configs[c] = true, true
	}
	return fmt.Sprintf("makes %d specs skip that the unmutated reference runs (in %d configurations), e.g. %s", len(specs), len(configs), skips[0])
}

func seconds(s float64) string {
	return time.Duration(s * float64(time.Second)).Round(100 * time.Millisecond).String()
}

func (s *Summary) writeJSON(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
