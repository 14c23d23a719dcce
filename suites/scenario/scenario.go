// Package scenario generates what a host may do to an offload target, and plays it: trees of
// every shape the pages allow (new offloads, placeholders and linkers at every layer and
// position, IPv4 and IPv6 paths, chains of any length) with distinct state values, and
// sequences of the five operations on the objects offloaded, interleaved and overlapping,
// repeated on the same object and after an invalidate.
//
// A scenario is plain data, so that a failing one, shrunk by pgregory.net/rapid, prints as a
// Go literal that replays it with Play. Objects are referred to by their position among the
// objects the target holds when the step is played, so a scenario stays meaningful whatever
// the target offloaded before it.
package scenario

import (
	"fmt"
	"strings"
)

// Scenario is a sequence of steps a host takes towards one freshly opened target.
type Scenario struct {
	Steps []Step
}

// Op names of steps.
const (
	OpInitiate   = "initiate"
	OpQuery      = "query"
	OpUpdate     = "update"
	OpInvalidate = "invalidate"
	OpTerminate  = "terminate"
)

// Step is one operation handed to the target.
type Step struct {
	Op string
	// Roots are the root-level blocks of an initiate tree, in NextBlock order.
	Roots []Root
	// Pick refers to offloaded objects, each by its position (modulo their number) among the
	// objects the target holds, in the order they were offloaded. A terminate also takes
	// every object that depends on a picked one.
	Pick []int
	// Alone hands only the first picked object over, as a stand-alone block.
	Alone bool
	// Classes of a query: which state structures follow each block (bit 0 constant, bit 1
	// cached, bit 2 delegated; zero is taken as all three).
	Classes uint8
	// Seed picks the new cached values of an update, distinct per object.
	Seed uint32
	// Relink moves the first picked path under another offloaded neighbor (by position among
	// the neighbors) in an update; negative: no relink.
	Relink int
	// Extra makes an update carry constant and delegated structures too, with other values
	// than the object's, which the target must not apply.
	Extra bool
	// MaxRTRestart and KeepAliveRestart set TCP_FLAG_MAX_RT_RESTART and
	// TCP_FLAG_KEEP_ALIVE_RESTART in an update's TCP cached Flags (otherwise both are clear).
	MaxRTRestart     bool
	KeepAliveRestart bool
	// Keepalive picks what an update changes of a connection's keepalive: bit 0 KaProbeCount,
	// bit 1 KaTimeout, bit 2 KaInterval (each to a new value), bit 3 toggles
	// TCP_FLAG_KEEP_ALIVE_ENABLED.
	Keepalive uint8
	// MaxRT sets an update's MaxRT: 0 leaves it as it was, 1 makes it 0, 2 a new non-zero value.
	MaxRT uint8
	// Overlap hands the next step over before this one's completion is awaited.
	Overlap bool
}

// Roles of the blocks of an initiate tree.
const (
	New         = "new"         // new state to offload
	Linker      = "linker"      // names an offloaded object, by Link
	Placeholder = "placeholder" // only links
)

// Root is a root-level block of an initiate tree, and the path-level blocks below it.
type Root struct {
	Role     string
	Link     int // a linker's object, by position among the offloaded neighbors
	Neighbor Neighbor
	Paths    []PathNode
}

// PathNode is a path-level block of an initiate tree, and the new connections below it.
type PathNode struct {
	Role  string
	Link  int // a linker's object, by position among the offloaded paths
	Path  Path
	Conns []Conn
}

// Neighbor is the state of a new neighbor.
type Neighbor struct {
	Seed uint32
	// VLAN picks the VlanId: 0 none, 1..n the n-th interface VLAN ID, above that an ID the
	// interface does not have.
	VLAN uint8
	// SourceMAC picks a DlSourceAddress: 0 none, else one of a few distinct addresses.
	SourceMAC uint8
}

// Path is the state of a new path.
type Path struct {
	Seed   uint32
	IPv6   bool
	Source uint8 // one of a few source addresses
	// MTUOver sets PathMtu above the target's declared largest.
	MTUOver bool
}

// Conn is the state of a new connection.
type Conn struct {
	Seed        uint32
	State       uint8 // index into the offloadable connection states
	ConstFlags  uint16
	CachedFlags uint16
	// WindowOver sets InitialRcvWnd above the target's declared largest.
	WindowOver bool
	// Send are the sizes of the NET_BUFFER_LISTs of outstanding send data; Sent of their bytes
	// were sent and not acknowledged.
	Send []uint16
	Sent uint16
	// Buffered is the size of buffered receive data handed over, in BufferedLists lists
	// (at least one).
	Buffered      uint16
	BufferedLists uint8
}

// GoString renders the scenario as Go source that builds it, for a failure's snippet.
func (s Scenario) GoString() string {
	var b strings.Builder
	b.WriteString("scenario.Scenario{Steps: []scenario.Step{\n")
	for _, st := range s.Steps {
		fmt.Fprintf(&b, "\t%#v,\n", st)
	}
	b.WriteString("}}")
	return b.String()
}

// Size is a measure of the scenario for reports: steps and blocks.
func (s Scenario) Size() (steps, blocks int) {
	for _, st := range s.Steps {
		blocks += len(st.Pick)
		for _, r := range st.Roots {
			blocks++
			for _, p := range r.Paths {
				blocks += 1 + len(p.Conns)
			}
		}
	}
	return len(s.Steps), blocks
}
