package report

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Markdown renders the report for people: verdict and why first, what produced the report,
// then failures, warnings and rules not judged with their messages, every rule in a table, and
// the recorded conflicts. Everything the target or an error supplies is escaped (see text and
// fenced): the only line that begins "**Verdict:" is the verdict's own.
func Markdown(c Conformance) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("# TCP chimney offload conformance report")
	p("")
	p("**Verdict: %s**", strings.ToUpper(string(c.Verdict)))
	p("")
	p("%s.", text(upperFirst(c.Why)))
	p("")
	if c.State != StateFinished {
		p("> This run is **%s**.", c.State)
		p("")
	}
	if len(c.RunProblems) > 0 {
		p("Problems with this run:")
		p("")
		for _, why := range c.RunProblems {
			if strings.Contains(why, "\n") {
				head, rest, _ := strings.Cut(why, "\n")
				p("- %s", text(head))
				p("")
				b.WriteString(fenced(rest, "  "))
				continue
			}
			p("- %s", text(why))
		}
		p("")
	}
	pv := c.Provenance
	p("| | |")
	p("|---|---|")
	p("| target | %s |", targetLine(c))
	p("| run started | %s, report written %s, %s |", pv.Started.Format("2006-01-02 15:04:05 UTC"), c.Generated.Format("2006-01-02 15:04:05 UTC"), c.RunTime)
	p("| suite | %s %s, revision %s |", text(pv.Suite), text(pv.SuiteVersion), text(pv.SuiteRevision))
	p("| rule catalog | %d rules, %s |", pv.CatalogRules, text(pv.Catalog))
	p("| configuration | %s, SHA-256 %s |", text(orNone(pv.ConfigFile)), text(pv.ConfigSHA256))
	p("| selection | %s |", selectionLine(c.Selection))
	p("")
	s := c.Summary
	p("| rules | testable | passed | failed | warnings | not judged | skipped (not applicable) | not run | not testable |")
	p("|---|---|---|---|---|---|---|---|---|")
	p("| %d | %d | %d | %d | %d | %d | %d | %d | %d |", s.Rules, s.Testable, s.Passed, s.Failed, s.Warnings, s.NotJudged, s.Skipped, s.NotRun, s.NotTestable)
	p("")
	var specs []string
	for _, k := range sortedKeys(c.SpecsByState) {
		specs = append(specs, fmt.Sprintf("%d %s", c.SpecsByState[k], k))
	}
	if len(specs) == 0 {
		specs = []string{"none ran"}
	}
	p("Specs: %s.", strings.Join(specs, ", "))
	p("")
	if c.Target.Name != "" {
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
	}
	if c.Configuration != nil {
		p("## Configuration")
		p("")
		p("The configuration in force (ginkgo.yml after flags), including the readings taken where pages disagree:")
		p("")
		if out, err := yaml.Marshal(c.Configuration); err == nil {
			b.WriteString(fenced(string(out), ""))
		} else {
			p("(cannot render the configuration: %s)", text(err.Error()))
		}
		p("")
	}
	broken(&b, c, Failed, "Failed rules", "Rules that bind (MUST, MUST NOT, definitions) that the target broke.")
	broken(&b, c, Warning, fmt.Sprintf("Warnings (%d)", s.Warnings), "SHOULD, SHOULD NOT and MAY rules the target broke. A warning never makes a target non-conformant.")
	if s.NotJudged > 0 {
		p("## Rules not judged")
		p("")
		for _, r := range c.Rules {
			if r.Outcome == NotJudged {
				p("- %s (%s): %s", r.ID, r.Level, text(r.Reason))
			}
		}
		p("")
	}
	p("## Rules")
	p("")
	p("| rule | level | outcome | rule text | why |")
	p("|---|---|---|---|---|")
	for _, r := range c.Rules {
		p("| %s | %s | %s | %s | %s |", r.ID, r.Level, r.Outcome, cell(r.Text), text(r.Reason))
	}
	p("")
	if len(c.Unattributed) > 0 {
		p("## Specs with no rule")
		p("")
		for _, sp := range c.Unattributed {
			p("- %s: %s", cell(sp.Name), sp.State)
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

// broken writes the section of the rules with the given outcome, each with what its specs
// found.
func broken(b *strings.Builder, c Conformance, outcome, title, intro string) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	headed := false
	for _, r := range c.Rules {
		if r.Outcome != outcome {
			continue
		}
		if !headed {
			p("## %s", title)
			p("")
			p("%s", intro)
			p("")
			headed = true
		}
		p("### %s (%s) — %s", r.ID, r.Level, cell(r.Text))
		p("")
		p("Source: %s", strings.Join(r.Sources, ", "))
		p("")
		for _, v := range r.Violations {
			where := strings.TrimSpace(v.Op + " " + v.Block)
			if where != "" {
				where = " (" + text(where) + ")"
			}
			p("- %s%s:", cell(v.Spec), where)
			p("")
			b.WriteString(fenced(v.Message, "  "))
		}
		p("")
	}
}

func targetLine(c Conformance) string {
	if c.Target.Name == "" && c.Target.Vendor == "" && c.Target.Version == "" {
		if c.TargetNote != "" {
			return text(c.TargetNote)
		}
		return "no target was opened in this run"
	}
	return fmt.Sprintf("%s %s (%s)", text(c.Target.Name), text(c.Target.Version), text(c.Target.Vendor))
}

func selectionLine(s Selection) string {
	var parts []string
	if s.DryRun {
		parts = append(parts, "dry run")
	}
	if s.LabelFilter != "" {
		parts = append(parts, "label filter "+text(s.LabelFilter))
	}
	list := func(name string, l []string) {
		if len(l) > 0 {
			parts = append(parts, name+" "+text(strings.Join(l, ", ")))
		}
	}
	list("focus", s.Focus)
	list("skip", s.Skip)
	list("focus files", s.FocusFiles)
	list("skip files", s.SkipFiles)
	parts = append(parts, fmt.Sprintf("%d of %d specs", s.Selected, s.Specs))
	return strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
