// Package coverage checks the specs against the rule catalog without running them: every
// testable rule has a spec, every spec checks exactly one known testable rule, every label is
// of a known kind, and no two specs share a name.
package coverage

import (
	"testing"

	"github.com/ndis-chimney/conformance/suites"
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
