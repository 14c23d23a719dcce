// Command specsummary prints the verdict of the conformance report of a run, then the closing
// line CI reads, "N passed, N failed, N skipped", from the Ginkgo JSON report of the same run,
// counting specs (not suite-level nodes):
//
//	verdict CONFORMANT
//	311 passed, 0 failed, 9 skipped
//
// A dry run counts its specs as not run (Ginkgo marks them passed), a failed suite node (a
// target that could not start) is counted on its own, and a conformance report that is from
// another run, or says its run is still in progress, is named as such.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: specsummary ginkgo.json [conformance.json]")
		os.Exit(2)
	}
	conformance := filepath.Join(filepath.Dir(os.Args[1]), "conformance.json")
	if len(os.Args) == 3 {
		conformance = os.Args[2]
	}
	line, err := summarize(os.Args[1], conformance, len(os.Args) == 3)
	if err != nil {
		fmt.Fprintf(os.Stderr, "specsummary: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(line)
}

// summarize returns the line for the Ginkgo JSON report at path and the conformance report at
// conformance; the latter may be missing unless required.
func summarize(path, conformance string, required bool) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil {
		return "", fmt.Errorf("%s is not a Ginkgo JSON report: %v", path, err)
	}
	var passed, failed, skipped, notRun int
	var suiteNodes []string
	var start time.Time
	for _, r := range reports {
		if start.IsZero() || r.StartTime.Before(start) {
			start = r.StartTime
		}
		for _, s := range r.SpecReports {
			if s.LeafNodeType.Is(types.NodeTypesForSuiteLevelNodes) && s.State.Is(types.SpecStateFailureStates) {
				suiteNodes = append(suiteNodes, s.LeafNodeType.String())
			}
			if s.LeafNodeType != types.NodeTypeIt {
				continue
			}
			switch {
			case r.SuiteConfig.DryRun:
				notRun++
			case s.State.Is(types.SpecStatePassed):
				passed++
			case s.State.Is(types.SpecStateSkipped | types.SpecStatePending):
				skipped++
			default:
				failed++
			}
		}
	}
	line := fmt.Sprintf("%d passed, %d failed, %d skipped", passed, failed, skipped)
	if notRun > 0 {
		line += fmt.Sprintf(", %d not run (dry run)", notRun)
	}
	if len(suiteNodes) > 0 {
		line += fmt.Sprintf(", %d suite nodes failed (%s)", len(suiteNodes), strings.Join(suiteNodes, ", "))
	}
	verdict, err := verdictOf(conformance, start)
	switch {
	case err == nil:
		// The counts come last and alone on their line: CI reads "N passed, N failed" there.
		line = verdict + "\n" + line
	case required || !os.IsNotExist(err):
		return "", err
	}
	return line, nil
}

// verdictOf reads the verdict of a conformance report, saying so when the report is not of
// the run that started at start.
func verdictOf(path string, start time.Time) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var c struct {
		State      string    `json:"state"`
		Verdict    string    `json:"verdict"`
		Generated  time.Time `json:"generated"`
		Provenance struct {
			Started time.Time `json:"started"`
		} `json:"provenance"`
	}
	if err := json.Unmarshal(data, &c); err != nil || c.Verdict == "" {
		return "", fmt.Errorf("%s is not a conformance report: %v", path, err)
	}
	v := "verdict " + strings.ToUpper(c.Verdict)
	switch {
	case c.State != "finished":
		v += fmt.Sprintf(" (run %s: it did not finish)", c.State)
	case !start.IsZero() && (c.Provenance.Started.After(start) || c.Generated.Before(start)):
		v += fmt.Sprintf(" (but %s is from another run than the Ginkgo report)", filepath.Base(path))
	}
	return v, nil
}
