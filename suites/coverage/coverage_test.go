// Package coverage checks the specs against the rule catalog without running them: every
// testable rule has a spec, every spec checks exactly one known testable rule, every label is
// of a known kind, and no two specs share a name.
package coverage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ndis-chimney/conformance/suites"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"
)

func TestEveryTestableRuleHasASpec(t *testing.T) {
	if err := rules.Validate(); err != nil {
		t.Fatalf("the rule catalog is malformed:\n%v", err)
	}
	gomega.RegisterFailHandler(ginkgo.Fail)
	report := ginkgo.PreviewSpecs("TCP chimney offload conformance")
	if len(report.SpecReports) == 0 {
		t.Fatal("the preview found no specs at all")
	}
	for _, p := range suites.CheckCoverage(report.SpecReports) {
		t.Error(p)
	}
}

// The ginkgo CLI passes its flags (-p, --label-filter, --randomize-all) only to a package one of
// whose _test.go files names Ginkgo's import path; without it the README's commands would
// silently run every spec, serially.
func TestTheGinkgoCLIRecognisesTheSuite(t *testing.T) {
	files, err := filepath.Glob("../*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no _test.go files in suites/ (%v)", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), `"github.com/onsi/ginkgo/v2"`) {
			return
		}
	}
	t.Errorf("no _test.go file of suites/ imports github.com/onsi/ginkgo/v2, so the ginkgo CLI would not treat it as a suite")
}

// TestEveryTestableRuleHasAJudge: every rule a host can check through the contract is judged
// on every observation where its situation arises (suites/harness/judges_*.go), and so has a
// property spec over generated scenarios (suites/properties.go).
func TestEveryTestableRuleHasAJudge(t *testing.T) {
	judged := harness.JudgedRules()
	for _, r := range rules.All() {
		if _, ok := judged[r.ID]; r.Testable() && !ok {
			t.Errorf("%s is testable but no judge applies it", r.ID)
		}
	}
}
