package harness

import "fmt"

// Op is one of the five state-manipulation operations. Zero is left unused.
type Op int

// The operations, in the order the documents list them.
const (
	_ Op = iota
	Initiate
	Query
	Update
	Invalidate
	Terminate
)

// Ops lists every operation.
var Ops = []Op{Initiate, Query, Update, Invalidate, Terminate}

var opNames = map[Op][3]string{
	Initiate:   {"initiate", "MiniportInitiateOffload", "NdisMInitiateOffloadComplete"},
	Query:      {"query", "MiniportQueryOffload", "NdisMQueryOffloadStateComplete"},
	Update:     {"update", "MiniportUpdateOffload", "NdisMUpdateOffloadComplete"},
	Invalidate: {"invalidate", "MiniportInvalidateOffload", "NdisMInvalidateOffloadComplete"},
	Terminate:  {"terminate", "MiniportTerminateOffload", "NdisMTerminateOffloadComplete"},
}

// String returns the short name used in labels, e.g. "initiate".
func (o Op) String() string {
	if n, ok := opNames[o]; ok {
		return n[0]
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

// Handler returns the NDIS name of the operation's handler, e.g. "MiniportInitiateOffload".
func (o Op) Handler() string { return opNames[o][1] }

// Completion returns the NDIS name of the operation's completion function.
func (o Op) Completion() string { return opNames[o][2] }
