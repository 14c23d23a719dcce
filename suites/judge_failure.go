package suites

import (
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
)

// judgeFailure decides what NDIS_STATUS_FAILURE on a block of out means for a spec that needs
// the operation done. On an update it has no stated cause (UPD-019), so the spec skips. On a
// query, invalidate or terminate it reports corrupt hardware state or a catastrophic failure
// (QRY-013, INV-018, TERM-015), which nothing in a spec causes: by default it counts against
// rule; with acceptFailureWithoutCause (CONFLICT-TERM-02) the spec skips instead.
func judgeFailure(rule *rules.Rule, out harness.Outcome) {
	GinkgoHelper()
	if out.Op == harness.Initiate {
		return
	}
	for _, b := range out.After.Blocks {
		if b.Members.Status != ndis.StatusFailure {
			continue
		}
		if out.Op == harness.Update || interpretations().AcceptFailureWithoutCause {
			Skip(rule.ID + ": " + out.Op.Handler() + " answered NDIS_STATUS_FAILURE on " + b.Path +
				", which is taken at its word; the rule cannot be checked past it")
		}
		harness.Failf(rule, out.Op, b.Path, "NDIS_STATUS_FAILURE, which reports corrupt hardware state or a catastrophic failure; "+
			"nothing in this spec causes one, so the operation was not done as the rule requires "+
			"(CONFLICT-TERM-02; interpretations: acceptFailureWithoutCause makes such specs skip)")
	}
}
