// Package faults is a catalogue of deliberately faulty targets, each named after what it
// breaks. A fault wraps any target.Target (and the Host it is given) and changes one behaviour;
// the meta-tests run the specs of the rules a fault breaks against it and require them to fail,
// which shows that those specs can fail at all.
package faults

import (
	"fmt"
	"slices"
	"sort"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
)

// Fault is one deliberate defect.
type Fault struct {
	Name   string        // kebab-case, what it does wrong, e.g. "completes-twice"
	Breaks []*rules.Rule // the rules whose specs must catch it
	// Wrap returns a target that behaves like inner except for the fault.
	Wrap func(inner target.Target) target.Target
	// Configure, when set, changes the configuration of the run against the fault before any
	// target is made: for a rule whose specs only run under another reading of the pages or
	// with other reference limits.
	Configure func(cfg *config.Config)
}

var registry = map[string]*Fault{}

// Register adds a fault to the catalogue; a duplicate name panics at start.
func Register(f Fault) *Fault {
	if _, dup := registry[f.Name]; dup {
		panic(fmt.Sprintf("fault %q registered twice", f.Name))
	}
	f.Breaks = slices.Compact(f.Breaks) // rules merged in the catalog may be named twice
	p := &f
	registry[f.Name] = p
	return p
}

// All returns every fault, sorted by name.
func All() []*Fault {
	out := make([]*Fault, 0, len(registry))
	for _, f := range registry {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ByName returns the fault with the given name.
func ByName(name string) (*Fault, bool) {
	f, ok := registry[name]
	return f, ok
}
