// Package rules is the rule catalog: the only place where the text of a rule lives.
//
// Every normative statement the suite knows of, from the pages of the TCP chimney offload
// documentation, is one Rule with a stable ID. Specs refer to rules by their Go identifiers,
// so a misspelt rule does not compile, and the report lists every rule with its outcome.
package rules

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Level is how strongly a page states a rule.
type Level int

// Levels. Zero is left unused so that an unset level is visible.
const (
	_ Level = iota
	Must
	MustNot
	Should
	ShouldNot
	May
	Definition
)

var levelNames = map[Level]string{
	Must: "MUST", MustNot: "MUST NOT", Should: "SHOULD", ShouldNot: "SHOULD NOT", May: "MAY", Definition: "DEFINITION",
}

func (l Level) String() string {
	if s, ok := levelNames[l]; ok {
		return s
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Label returns the level as a Ginkgo label value, such as "must-not".
func (l Level) Label() string { return strings.ReplaceAll(strings.ToLower(l.String()), " ", "-") }

// Observability says whether, and through what, a host can check a rule.
type Observability int

// Observability classes. Only Observable rules need specs today; the others say why not.
const (
	_ Observability = iota
	// Observable: the host sees it through the state-manipulation contract: the trees it
	// hands over and gets back, statuses, context slots, completions, NET_BUFFER_LIST chains.
	Observable
	// NeedsDataPath: only visible through send, receive, disconnect, forward or indications,
	// which the contract does not carry yet.
	NeedsDataPath
	// NeedsWire: only visible in frames on the wire.
	NeedsWire
	// HostObligation: binds the host stack; the harness obeys it rather than checks it.
	HostObligation
	// Internal: concerns the target's insides (memory, internal tracking); no host can see it.
	Internal
	// Permission: grants the target a choice (a MAY); no target can break it, so there is
	// nothing to check. The specs of the rules around it accept every choice it allows.
	Permission
)

var observabilityNames = map[Observability]string{
	Observable: "observable", NeedsDataPath: "needs-data-path", NeedsWire: "needs-wire",
	HostObligation: "host-obligation", Internal: "internal", Permission: "permission",
}

func (o Observability) String() string {
	if s, ok := observabilityNames[o]; ok {
		return s
	}
	return fmt.Sprintf("Observability(%d)", int(o))
}

// Operation names, used as op: labels: the five state operations, then the data-path calls of
// offloaded connections (each with its completion, indication or return).
const (
	OpInitiate   = "initiate"
	OpQuery      = "query"
	OpUpdate     = "update"
	OpInvalidate = "invalidate"
	OpTerminate  = "terminate"

	OpSend       = "send"       // MiniportTcpOffloadSend and NdisTcpOffloadSendComplete
	OpReceive    = "receive"    // posted receives, receive indications and receive returns
	OpDisconnect = "disconnect" // MiniportTcpOffloadDisconnect and NdisTcpOffloadDisconnectComplete
	OpForward    = "forward"    // MiniportTcpOffloadForward and NdisTcpOffloadForwardComplete
)

// Layer names, used as layer: labels.
const (
	LayerNeighbor = "neighbor"
	LayerPath     = "path"
	LayerTCP      = "tcp"
)

// Rule is one normative statement of the documentation, in the project's own words.
type Rule struct {
	ID            string        // stable, e.g. "INIT-012"; never reused
	Level         Level         // how strongly the page states it
	Text          string        // one line, our own wording
	Sources       []string      // page file names under the documentation set, e.g. "ddi/nc-...md"
	Observability Observability // whether a host can check it
	Ops           []string      // operations it concerns (Op* constants); empty for all or none
	Layers        []string      // layers it concerns (Layer* constants); empty for all or none
	Conflict      string        // ID of the Conflict whose reading this rule follows, if any
	Note          string        // why it is not observable, or how the suite reads it
}

// Testable reports whether a rule needs a spec: a host can observe it today.
func (r *Rule) Testable() bool { return r.Observability == Observable }

// String returns the rule's ID.
func (r *Rule) String() string { return r.ID }

// Describe returns the rule's wording and sources, for failure messages and reports.
func (r *Rule) Describe() string {
	return fmt.Sprintf("[%s] %s %s (%s)", r.ID, r.Level, r.Text, strings.Join(r.Sources, ", "))
}

// Conflict records two or more pages that disagree, and the reading the suite takes.
type Conflict struct {
	ID      string   // stable, e.g. "CONFLICT-003"
	Pages   []string // the pages that disagree
	Summary string   // what each says, in our words
	Reading string   // what the suite does
	Switch  string   // the ginkgo.yml key under interpretations: that selects the other reading, if any
}

var (
	catalog   []*Rule
	byID      = map[string]*Rule{}
	conflicts []*Conflict
	conflByID = map[string]*Conflict{}
	defErrors []string
)

// Define adds a rule to the catalog and returns it. A duplicate ID or a malformed rule is
// recorded and reported by Validate, which the bootstrap and the tests call before any spec.
func Define(r Rule) *Rule {
	p := &r
	if _, dup := byID[r.ID]; dup {
		defErrors = append(defErrors, fmt.Sprintf("rule %s is defined twice", r.ID))
	}
	if why, gone := Retired[r.ID]; gone {
		defErrors = append(defErrors, fmt.Sprintf("rule %s reuses a retired ID (%s)", r.ID, why))
	}
	p.Sources = slices.Compact(slices.Sorted(slices.Values(r.Sources))) // one page once, whichever file named it
	byID[r.ID] = p
	catalog = append(catalog, p)
	return p
}

// DefineConflict adds a recorded conflict between pages and returns it.
func DefineConflict(c Conflict) *Conflict {
	p := &c
	if _, dup := conflByID[c.ID]; dup {
		defErrors = append(defErrors, fmt.Sprintf("conflict %s is defined twice", c.ID))
	}
	conflByID[c.ID] = p
	conflicts = append(conflicts, p)
	return p
}

// All returns every rule, sorted by ID.
func All() []*Rule {
	out := append([]*Rule(nil), catalog...)
	sort.Slice(out, func(i, j int) bool { return lessID(out[i].ID, out[j].ID) })
	return out
}

// Conflicts returns every recorded conflict, sorted by ID.
func Conflicts() []*Conflict {
	out := append([]*Conflict(nil), conflicts...)
	sort.Slice(out, func(i, j int) bool { return lessID(out[i].ID, out[j].ID) })
	return out
}

// ByID returns the rule with the given ID.
func ByID(id string) (*Rule, bool) {
	r, ok := byID[id]
	return r, ok
}

// ConflictByID returns the conflict with the given ID.
func ConflictByID(id string) (*Conflict, bool) {
	c, ok := conflByID[id]
	return c, ok
}

// lessID orders IDs by prefix, then by number, so that INIT-2 sorts before INIT-10.
func lessID(a, b string) bool {
	pa, na := splitID(a)
	pb, nb := splitID(b)
	if pa != pb {
		return pa < pb
	}
	if na != nb {
		return na < nb
	}
	return a < b
}

func splitID(id string) (string, int) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 {
		return id, 0
	}
	n := 0
	for _, c := range id[i+1:] {
		if c < '0' || c > '9' {
			return id, 0
		}
		n = n*10 + int(c-'0')
	}
	return id[:i], n
}
