package faults

import (
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
)

// Faults of the declared capabilities: a target that reports an NDIS_TCP_CONNECTION_OFFLOAD
// other than the one it has.

// declares is a target that changes what the inner target declares when opened.
type declares struct {
	target.Target
	change func(*target.TCPConnectionOffload)
}

func (d declares) Open(host target.Host) (target.Info, error) {
	info, err := d.Target.Open(host)
	d.change(&info.Capabilities.TCPConnectionOffload)
	return info, err
}

func declaring(change func(*target.TCPConnectionOffload)) func(target.Target) target.Target {
	return func(inner target.Target) target.Target { return declares{Target: inner, change: change} }
}

func init() {
	Register(Fault{
		Name:   "declares-null-encapsulation",
		Breaks: []*rules.Rule{rules.ChimneyEncapsulation},
		Wrap:   declaring(func(c *target.TCPConnectionOffload) { c.Encapsulation = 0x1 }), // NDIS_ENCAPSULATION_NULL
	})

	Register(Fault{
		Name:   "declares-no-ip-version",
		Breaks: []*rules.Rule{rules.IPv4OrIPv6},
		Wrap:   declaring(func(c *target.TCPConnectionOffload) { c.SupportIPv4, c.SupportIPv6 = false, false }),
	})
}
