// Command specsummary prints the closing line CI reads, "N passed, N failed, N skipped", from a
// Ginkgo JSON report, counting specs (not suite-level nodes).
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/onsi/ginkgo/v2/types"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: specsummary ginkgo.json")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "specsummary: %v\n", err)
		os.Exit(1)
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil {
		fmt.Fprintf(os.Stderr, "specsummary: %s is not a Ginkgo JSON report: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	var passed, failed, skipped int
	for _, r := range reports {
		for _, s := range r.SpecReports {
			if s.LeafNodeType != types.NodeTypeIt {
				continue
			}
			switch {
			case s.State.Is(types.SpecStatePassed):
				passed++
			case s.State.Is(types.SpecStateSkipped | types.SpecStatePending):
				skipped++
			default:
				failed++
			}
		}
	}
	fmt.Printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped)
}
