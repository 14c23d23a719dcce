package suites

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// Rule returns the labels of a spec that checks r: its rule ID, level, operations and layers.
// Every It carries exactly one Rule; the coverage check counts them.
func Rule(r *rules.Rule) ginkgo.Labels {
	coverage.mu.Lock()
	coverage.uses[r.ID]++
	coverage.mu.Unlock()
	labels := ginkgo.Label(r.Label(), "level:"+r.Level.Label())
	for _, op := range r.Ops {
		labels = append(labels, "op:"+op)
	}
	for _, l := range r.Layers {
		labels = append(labels, "layer:"+l)
	}
	return labels
}

// Capability returns a cap: label for specs that need a declared capability or limit. name is
// the limit's key in ginkgo.yml (declared:), or "ipv6" for the IPv6 offload capability, so
// that a user selects or excludes the same name they configure; any other name panics while
// the specs are built.
func Capability(name string) ginkgo.Labels {
	if !capabilityNames[name] {
		panic(fmt.Sprintf("Capability(%q): not a limit key of ginkgo.yml nor \"ipv6\"", name))
	}
	return ginkgo.Label("cap:" + name)
}

var capabilityNames = func() map[string]bool {
	names := map[string]bool{"ipv6": true}
	t := reflect.TypeFor[config.Limits]()
	for i := range t.NumField() {
		names[strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]] = true
	}
	return names
}()

var coverage = struct {
	mu   sync.Mutex
	uses map[string]int
}{uses: map[string]int{}}

var labelPrefixes = []string{"rule:", "level:", "op:", "layer:", "cap:"}

// labelsWhole are the labels known as they stand: "generated" marks the property specs, so
// that a run can select or leave out the generated scenarios (--label-filter='!generated');
// "wire" marks the specs that put the target on a wire with a TCP peer, so that a run can
// leave them out (--label-filter='!wire') for a target with no data path.
var labelsWhole = map[string]bool{"generated": true, "wire": true}

// CheckCoverage checks the specs of a suite against the catalog: every testable rule has a
// spec, every spec names exactly one known, testable rule, every label is of a known kind, and
// no two specs share a name. It returns one line per problem.
func CheckCoverage(specs types.SpecReports) []string {
	var problems []string
	names := map[string]int{}
	for _, s := range specs {
		if s.LeafNodeType != types.NodeTypeIt {
			continue
		}
		name := s.FullText()
		names[name]++
		var ids []string
		for _, l := range s.Labels() {
			if !knownLabel(l) {
				problems = append(problems, fmt.Sprintf("spec %q: unknown label %q", name, l))
			}
			if id, ok := strings.CutPrefix(l, "rule:"); ok {
				ids = append(ids, id)
				r, found := rules.ByID(id)
				switch {
				case !found:
					problems = append(problems, fmt.Sprintf("spec %q: label names rule %s, which is not in the catalog", name, id))
				case !r.Testable():
					problems = append(problems, fmt.Sprintf("spec %q: rule %s is %s, so a spec cannot check it", name, id, r.Observability))
				}
			}
		}
		if len(ids) != 1 {
			problems = append(problems, fmt.Sprintf("spec %q: names %d rules, want exactly one", name, len(ids)))
		}
	}
	for name, n := range names {
		if n > 1 {
			problems = append(problems, fmt.Sprintf("%d specs share the name %q", n, name))
		}
	}
	coverage.mu.Lock()
	defer coverage.mu.Unlock()
	for _, r := range rules.All() {
		if r.Testable() && coverage.uses[r.ID] == 0 {
			problems = append(problems, fmt.Sprintf("rule %s is testable but no spec checks it", r.ID))
		}
	}
	sort.Strings(problems)
	return problems
}

func knownLabel(l string) bool {
	if labelsWhole[l] {
		return true
	}
	for _, p := range labelPrefixes {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}
