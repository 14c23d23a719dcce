package report

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Markdown renders the report for people: verdict and summary first, then failures with
// their messages, then every rule in a table, then the recorded conflicts.
func Markdown(c Conformance) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("# TCP chimney offload conformance report")
	p("")
	p("**Verdict: %s**", strings.ToUpper(c.Verdict))
	p("")
	for _, why := range c.RunProblems {
		p("> The run did not finish normally: %s. Rules whose specs did not run are marked not run.", why)
		p("")
	}
	p("Target: %s %s (%s), run %s, %s.", c.Target.Name, c.Target.Version, c.Target.Vendor, c.Generated.Format("2006-01-02 15:04:05 UTC"), c.RunTime)
	p("")
	s := c.Summary
	p("| rules | testable | passed | failed | skipped (not applicable) | not run | not testable |")
	p("|---|---|---|---|---|---|---|")
	p("| %d | %d | %d | %d | %d | %d | %d |", s.Rules, s.Testable, s.Passed, s.Failed, s.Skipped, s.NotRun, s.NotTestable)
	p("")
	var specs []string
	for _, k := range sortedKeys(c.SpecsByState) {
		specs = append(specs, fmt.Sprintf("%d %s", c.SpecsByState[k], k))
	}
	p("Specs: %s.", strings.Join(specs, ", "))
	p("")
	p("## Declared capabilities")
	p("")
	caps := c.Target.Capabilities
	t := caps.TCPConnectionOffload
	p("- IPv4 %v, IPv6 %v, IPv6 extension headers %v, SACK %v, encapsulation %#x, connection capacity %d",
		t.SupportIPv4, t.SupportIPv6, t.SupportIPv6ExtensionHeaders, t.SupportSack, t.Encapsulation, t.TCPConnectionOffloadCapacity)
	l := caps.Limits
	p("- limits in force: TCP entries %s, path entries %s, neighbor entries %s, host memory objects %s, source IP entries %s, configurable source MAC %s, source MAC entries %s, interface VLAN IDs %s, VLAN entries %s, max InitialRcvWnd %s, max path MTU %s, transmit buffers %s, receive buffers %s",
		l.TCPEntries, l.PathEntries, l.NeighborEntries, l.HostMemoryObjects, l.SourceIPAddressEntries, l.ConfigurableSourceMAC,
		l.SourceMACEntries, l.InterfaceVLANIDs, l.VLANEntries, l.MaxInitialRcvWnd, l.MaxPathMTU, l.TransmitBuffers, l.ReceiveBuffers)
	p("")
	if c.Configuration != nil {
		p("## Configuration")
		p("")
		p("The configuration in force (ginkgo.yml after flags), including the readings taken where pages disagree:")
		p("")
		p("```yaml")
		if out, err := yaml.Marshal(c.Configuration); err == nil {
			b.Write(out)
		} else {
			p("# cannot render the configuration: %v", err)
		}
		p("```")
		p("")
	}
	if s.Failed > 0 {
		p("## Failed rules")
		p("")
		for _, r := range c.Rules {
			if r.Outcome != Failed {
				continue
			}
			p("### %s (%s) — %s", r.ID, r.Level, r.Text)
			p("")
			p("Source: %s", strings.Join(r.Sources, ", "))
			p("")
			for _, sp := range r.Specs {
				if sp.State == "passed" || sp.State == "skipped" {
					continue
				}
				p("- %s: **%s**", sp.Name, sp.State)
				p("")
				p("  ```")
				for _, line := range strings.Split(sp.Message, "\n") {
					p("  %s", line)
				}
				p("  ```")
			}
			p("")
		}
	}
	p("## Rules")
	p("")
	p("| rule | level | outcome | rule text | why |")
	p("|---|---|---|---|---|")
	for _, r := range c.Rules {
		p("| %s | %s | %s | %s | %s |", r.ID, r.Level, r.Outcome, cell(r.Text), cell(r.Reason))
	}
	p("")
	if len(c.Unattributed) > 0 {
		p("## Specs with no rule")
		p("")
		for _, sp := range c.Unattributed {
			p("- %s: %s", sp.Name, sp.State)
		}
		p("")
	}
	p("## Conflicts between pages and the readings taken")
	p("")
	for _, cf := range c.Conflicts {
		sw := ""
		if cf.Switch != "" {
			sw = fmt.Sprintf(" Switch: `interpretations.%s`.", cf.Switch)
		}
		p("- **%s** (%s): %s Reading: %s%s", cf.ID, strings.Join(cf.Pages, ", "), cf.Summary, cf.Reading, sw)
	}
	return b.String()
}

func cell(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	return strings.ReplaceAll(s, "\n", " ")
}
