package harness

import (
	"fmt"
	"strings"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/onsi/ginkgo/v2"
)

// Because returns the description Gomega prints before a failed assertion: the rule, the
// handler and the block, then the rule's wording and page. Use it as the optional description
// of Expect so that every failure explains itself.
func Because(rule *rules.Rule, op Op, path string) string {
	return fmt.Sprintf("%s\n%s", Where(rule, op, path), ruleLine(rule))
}

// Where returns "[ID] Handler path" for a failure message.
func Where(rule *rules.Rule, op Op, path string) string {
	parts := []string{"[" + ruleID(rule) + "]"}
	if op != 0 {
		parts = append(parts, op.Handler())
	}
	if path != "" {
		parts = append(parts, path)
	}
	return strings.Join(parts, " ")
}

// Failf fails the running spec with a message that names the rule, the handler and the block,
// followed by what was found and the rule's wording.
func Failf(rule *rules.Rule, op Op, path, format string, args ...any) {
	ginkgo.GinkgoHelper()
	ginkgo.Fail(fmt.Sprintf("%s: %s\n%s", Where(rule, op, path), fmt.Sprintf(format, args...), ruleLine(rule)))
}

func ruleID(r *rules.Rule) string {
	if r == nil {
		return "harness"
	}
	return r.ID
}

func ruleLine(r *rules.Rule) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf("  rule %s (%s): %s\n  source: %s", r.ID, r.Level, r.Text, strings.Join(r.Sources, ", "))
}
