package suites

import (
	"fmt"
	"net/netip"
	"reflect"
	"slices"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

var _ = Describe("MiniportTerminateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	// terminateAll offloads shape and terminates everything it offloaded in one tree whose
	// delegated structures are pre-filled with the sentinel pattern.
	terminateAll := func(ctx SpecContext, shape func() *ndis.MiniportOffloadBlockList) harness.Outcome {
		GinkgoHelper()
		init := s.MustInitiate(ctx, shape())
		tree := fixtures.ReferenceTree(init.Tree, fixtures.DelegatedOnly)
		termFillDelegated(tree)
		return s.Terminate(ctx, tree)
	}

	// The completion contract is checked on every form a terminate tree takes: a target that
	// keeps it for one shape only (a stand-alone block, NextBlock siblings, several roots,
	// placeholders, handed-back send data) breaks it all the same.
	DescribeTable("returns from MiniportTerminateOffload before calling NdisMTerminateOffloadComplete",
		Rule(rules.TerminateHandlerReturnsBeforeCompletion),
		func(ctx SpecContext, build func(SpecContext, *harness.Session) *ndis.MiniportOffloadBlockList) {
			out := s.Terminate(ctx, build(ctx, s))
			Expect(out.Event.DuringCall).To(BeFalse(), harness.Because(rules.TerminateHandlerReturnsBeforeCompletion, harness.Terminate, ""))
		},
		termContractEntries(),
	)

	DescribeTable("passes NdisMTerminateOffloadComplete the OffloadBlockList pointer it was given",
		Rule(rules.TerminateCompletionSamePointer),
		func(ctx SpecContext, build func(SpecContext, *harness.Session) *ndis.MiniportOffloadBlockList) {
			out := s.Terminate(ctx, build(ctx, s))
			Expect(out.Event.Tree).To(BeIdenticalTo(out.Tree), harness.Because(rules.TerminateCompletionSamePointer, harness.Terminate, ""))
		},
		termContractEntries(),
	)

	DescribeTable("calls NdisMTerminateOffloadComplete exactly once",
		Rule(rules.TerminateCompletesExactlyOnce),
		func(ctx SpecContext, build func(SpecContext, *harness.Session) *ndis.MiniportOffloadBlockList) {
			out := s.Terminate(ctx, build(ctx, s))
			By("offloading and terminating another tree, to give a late second completion time to show")
			terminateAll(ctx, func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(1) })
			Expect(s.Host.CompletionsOf(harness.Terminate, out.Tree)).To(HaveLen(1), harness.Because(rules.TerminateCompletesExactlyOnce, harness.Terminate, ""))
		},
		termContractEntries(),
	)

	DescribeTable("leaves the tree, its delegated structures and the lists it hands back unchanged after NdisMTerminateOffloadComplete",
		Rule(rules.TargetLeavesTerminateTreeAfterCompletion),
		func(ctx SpecContext, build func(SpecContext, *harness.Session) *ndis.MiniportOffloadBlockList) {
			out := s.Terminate(ctx, build(ctx, s))
			By("running another offload and terminate, so that a late write has time to happen")
			terminateAll(ctx, func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(1) })
			changes := harness.Diff(out.After, harness.Take(out.Tree))
			path := ""
			if len(changes) > 0 {
				path = changes[0].Path
			}
			Expect(changes).To(BeEmpty(), harness.Because(rules.TargetLeavesTerminateTreeAfterCompletion, harness.Terminate, path))
		},
		termContractEntries(),
	)

	DescribeTable("writes a Status into every block, placeholders included, before NdisMTerminateOffloadComplete",
		Rule(rules.TerminateStatusInEveryBlock),
		func(ctx SpecContext, build func(SpecContext, *harness.Session) *ndis.MiniportOffloadBlockList) {
			out := s.Terminate(ctx, build(ctx, s))
			for _, b := range out.After.Blocks {
				Expect(b.Members.Status).NotTo(Equal(harness.StatusUnwritten), harness.Because(rules.TerminateStatusInEveryBlock, harness.Terminate, b.Path))
			}
		},
		termContractEntries(),
	)

	DescribeTable("writes only NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE into the Status of every block",
		Rule(rules.TerminateStatusSuccessOrFailure),
		func(ctx SpecContext, build func(SpecContext, *harness.Session) *ndis.MiniportOffloadBlockList) {
			tree := build(ctx, s)
			termFillDelegated(tree)
			out := s.Terminate(ctx, tree)
			for _, b := range out.After.Blocks {
				Expect(b.Members.Status).To(BeElementOf(ndis.StatusSuccess, ndis.StatusFailure),
					harness.Because(rules.TerminateStatusSuccessOrFailure, harness.Terminate, b.Path))
			}
		},
		Entry("when the host terminates a one-connection tree", termWholeTree(fixtures.OneConnection)),
		Entry("when the host terminates a dual-stack tree", termWholeTree(fixtures.DualStack)),
		Entry("when the host terminates three connections on one path", termWholeTree(func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(3) })),
		Entry("when the host terminates two neighbors' trees", termWholeTree(func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(2) })),
		Entry("when the host terminates a connection with outstanding send data", termWholeTree(termConnectionWithSendData)),
		Entry("when the host terminates one stand-alone TCP block", termStandAloneConnection),
		Entry("when the host terminates a TCP block under placeholder neighbor and path blocks", termConnectionUnderPlaceholders),
	)

	DescribeTable("writes every delegated variable of each block it completes with NDIS_STATUS_SUCCESS",
		Rule(rules.TerminateSuccessMeaning),
		func(ctx SpecContext, shape func() *ndis.MiniportOffloadBlockList) {
			out := terminateAll(ctx, shape)
			termExpectDelegatedWritten(out, rules.TerminateSuccessMeaning, false)
		},
		Entry("when the host terminates a one-connection tree", fixtures.OneConnection),
		Entry("when the host terminates an IPv6 connection", fixtures.OneIPv6Connection),
		Entry("when the host terminates two paths on one neighbor", func() *ndis.MiniportOffloadBlockList { return fixtures.PathsOnOneNeighbor(2) }),
		Entry("when the host terminates three connections on one path", func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(3) }),
		Entry("when the host terminates three neighbors' trees", func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(3) }),
		Entry("when the host terminates a dual-stack tree", fixtures.DualStack),
		Entry("when the host terminates a connection with outstanding send data", termConnectionWithSendData),
	)

	DescribeTable("terminates every object of the tree, whichever form OffloadBlockList takes",
		Rule(rules.TerminateTreeStandAloneOrRoot),
		func(ctx SpecContext, build func(SpecContext, *harness.Session) *ndis.MiniportOffloadBlockList) {
			tree := build(ctx, s)
			termFillDelegated(tree)
			out := s.Terminate(ctx, tree)
			termExpectDelegatedWritten(out, rules.TerminateTreeStandAloneOrRoot, true)
		},
		Entry("when OffloadBlockList is one stand-alone TCP block", termStandAloneConnection),
		Entry("when OffloadBlockList is the root of a tree with NextBlock connections", termWholeTree(func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(3) })),
		Entry("when OffloadBlockList is the root of a tree with NextBlock paths", termWholeTree(func() *ndis.MiniportOffloadBlockList { return fixtures.PathsOnOneNeighbor(3) })),
		Entry("when OffloadBlockList is the root of a tree with NextBlock neighbors", termWholeTree(func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(3) })),
	)

	DescribeTable("completes with NDIS_STATUS_SUCCESS in every block, whatever objects the tree names",
		Rule(rules.TerminateAnyObjectOrCombination),
		func(ctx SpecContext, build func(SpecContext, *harness.Session) *ndis.MiniportOffloadBlockList) {
			tree := build(ctx, s)
			termFillDelegated(tree)
			out := s.Terminate(ctx, tree)
			termExpectDelegatedWritten(out, rules.TerminateAnyObjectOrCombination, true)
		},
		Entry("when the host terminates one TCP connection alone", termStandAloneConnection),
		Entry("when the host terminates one TCP connection under placeholder neighbor and path blocks", termConnectionUnderPlaceholders),
		Entry("when the host terminates a path after its connections", termPathAfterConnections),
		Entry("when the host terminates a neighbor after its path and connection", termNeighborAfterDependents),
		Entry("when the host terminates a path together with its connections", termPathWithConnections),
		Entry("when the host terminates a whole one-connection tree at once", termWholeTree(fixtures.OneConnection)),
		Entry("when the host terminates a whole dual-stack tree at once", termWholeTree(fixtures.DualStack)),
	)

	DescribeTable("completes a terminate of a connection with NDIS_STATUS_SUCCESS whatever the connection's State",
		Rule(rules.TerminateInAnyConnectionState),
		func(ctx SpecContext, state ndis.TCPOffloadConnectionState) {
			out := terminateAll(ctx, func() *ndis.MiniportOffloadBlockList {
				tree := fixtures.OneConnection()
				tree.DependentBlockList.DependentBlockList.TCPDelegated.State = state
				return tree
			})
			judgeFailure(rules.TerminateInAnyConnectionState, out)
			for _, b := range out.After.Blocks {
				if b.Members.TCPDelegated != nil {
					Expect(b.Members.Status).To(Equal(ndis.StatusSuccess), harness.Because(rules.TerminateInAnyConnectionState, harness.Terminate, b.Path))
				}
			}
		},
		termStateEntries(),
	)

	DescribeTable("completes every outstanding state operation before calling NdisMTerminateOffloadComplete",
		Rule(rules.TerminateCompletesOutstandingStateOps),
		func(ctx SpecContext, op harness.Op, build func(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList) {
			init := s.MustInitiate(ctx, fixtures.NeighborOnly())
			other := build(init.Tree)
			pending := s.Begin(op, other)
			term := s.Begin(harness.Terminate, fixtures.ReferenceTree(init.Tree, fixtures.DelegatedOnly))
			otherOut := pending.Await(ctx)
			termOut := term.Await(ctx)
			Expect(termEventIndex(s, otherOut)).To(BeNumerically("<", termEventIndex(s, termOut)),
				harness.Because(rules.TerminateCompletesOutstandingStateOps, harness.Terminate, ""),
				fmt.Sprintf("%s arrived after %s", op.Completion(), harness.Terminate.Completion()))
		},
		Entry("when a query of the neighbor is outstanding", harness.Query, func(i *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
			return fixtures.ReferenceTree(i, fixtures.AllClasses)
		}),
		Entry("when an update of the neighbor is outstanding", harness.Update, func(i *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
			return fixtures.UpdateTree(i, func(b *ndis.MiniportOffloadBlockList) any {
				c := *b.NeighborCached
				c.HostReachabilityDelta++
				return &c
			})
		}),
		Entry("when an invalidate of the neighbor is outstanding", harness.Invalidate, func(i *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
			return fixtures.ReferenceTree(i, fixtures.NoState)
		}),
	)

	Context("when the host offloads objects and does not terminate them", func() {
		It("completes no terminate of its own and still holds every object when the host terminates", Rule(rules.OnlyHostInitiatesTerminate), func(ctx SpecContext) {
			init := s.MustInitiate(ctx, fixtures.OneConnection())
			By("querying the objects, so that the target has had time to act on its own")
			s.MustDo(ctx, harness.Query, fixtures.ReferenceTree(init.Tree, fixtures.AllClasses))
			for _, e := range s.Host.Events() {
				Expect(e.Op).NotTo(Equal(harness.Terminate), harness.Because(rules.OnlyHostInitiatesTerminate, harness.Terminate, ""),
					"NdisMTerminateOffloadComplete before any MiniportTerminateOffload call")
			}
			tree := fixtures.ReferenceTree(init.Tree, fixtures.DelegatedOnly)
			termFillDelegated(tree)
			out := s.Terminate(ctx, tree)
			termExpectDelegatedWritten(out, rules.OnlyHostInitiatesTerminate, true)
		})
	})

	Context("when the host offloads connections up to its declared limits, terminates them and offloads as many again", func() {
		It("writes no resource status into the second offload", Rule(rules.TerminateFreesResources), Capability("tcpEntries"), func(ctx SpecContext) {
			lim := s.Limits
			if !lim.TCPEntries.Declared {
				Skip("target does not declare its TCP entry limit")
			}
			// The connection limits that bind first: TCP entries, transmit and receive buffers,
			// context areas in host memory (two go to the neighbor and the path).
			n := int(lim.TCPEntries.Value)
			for _, l := range []struct {
				limit uint32
				ok    bool
				less  int
			}{
				{lim.TransmitBuffers.Value, lim.TransmitBuffers.Declared, 0},
				{lim.ReceiveBuffers.Value, lim.ReceiveBuffers.Declared, 0},
				{lim.HostMemoryObjects.Value, lim.HostMemoryObjects.Declared, 2},
			} {
				if l.ok && int(l.limit)-l.less < n {
					n = int(l.limit) - l.less
				}
			}
			if n < 1 || n > 64 {
				Skip(fmt.Sprintf("the declared limits allow %d connections on one path, outside what this spec offloads (1..64)", n))
			}
			termOffloadTwice(ctx, s, func(int) *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(n) }, termResourceStatuses)
		})
	})

	// TERM-020's entries are every resource, not only the connection limits: the neighbor and
	// path entries, and the source MAC, source IP address and VLAN entries the terminated
	// objects held (counted as distinct values, target.Limits). Those three are filled the
	// second time with other values, which need entries of their own.
	Context("when the host offloads objects of one kind up to a declared limit, terminates them and offloads as many again", func() {
		DescribeTable("writes no status of that limit into the second offload", Rule(rules.TerminateFreesResources),
			func(ctx SpecContext, c termLimitCase) {
				build := c.build(s)
				termOffloadTwice(ctx, s, build, append([]ndis.Status{c.status}, termResourceStatuses...))
			},
			termLimitEntries(),
		)
	})
})

// termResourceStatuses are the initiate statuses that report exhausted offload capacity.
var termResourceStatuses = []ndis.Status{
	ndis.StatusOffloadTCPEntries, ndis.StatusOffloadPathEntries, ndis.StatusOffloadNeighborEntries,
	ndis.StatusOffloadTCPXmitBuffer, ndis.StatusOffloadTCPRcvBuffer, ndis.StatusResources,
}

// termSentinel fills every byte of a delegated variable before a terminate, so that a variable
// the target never wrote is seen.
const termSentinel = 0xA5

// termSkipped are the TCP_OFFLOAD_STATE_DELEGATED members a terminate is not required to
// write: Flags is reserved, the send/receive data pointers have rules of their own
// (SEND-012/013, STATE-067) and the backlog sizes are used only on query.
var termSkipped = map[string]bool{
	"Header": true, "Flags": true, "SendDataHead": true, "SendDataTail": true, "BufferedData": true,
	"SendBacklogSize": true, "ReceiveBacklogSize": true,
}

// termFillDelegated writes the sentinel into every delegated variable of every block.
func termFillDelegated(tree *ndis.MiniportOffloadBlockList) {
	for _, b := range ndis.Blocks(tree) {
		if b.NeighborDelegated != nil {
			termFill(reflect.ValueOf(b.NeighborDelegated).Elem())
		}
		if b.TCPDelegated != nil {
			termFill(reflect.ValueOf(b.TCPDelegated).Elem())
		}
	}
}

func termFill(v reflect.Value) {
	for i := 0; i < v.NumField(); i++ {
		if termSkipped[v.Type().Field(i).Name] {
			continue
		}
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Struct:
			termFill(f)
		case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			f.SetUint(termPattern(f.Type().Size()))
		}
	}
}

func termPattern(size uintptr) uint64 {
	var p uint64
	for range size {
		p = p<<8 | termSentinel
	}
	return p
}

// termUnwritten names the delegated variables of a state structure that still hold the sentinel.
func termUnwritten(state any) []string {
	var out []string
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		for i := 0; i < v.NumField(); i++ {
			name := v.Type().Field(i).Name
			if termSkipped[name] {
				continue
			}
			f := v.Field(i)
			switch f.Kind() {
			case reflect.Struct:
				walk(f, prefix+name+".")
			case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				if f.Uint() == termPattern(f.Type().Size()) {
					out = append(out, prefix+name)
				}
			}
		}
	}
	walk(reflect.ValueOf(state), "")
	return out
}

// termExpectDelegatedWritten checks every block that names an object: with success, it must be
// NDIS_STATUS_SUCCESS; in any case a SUCCESS block's delegated variables must all be written.
func termExpectDelegatedWritten(out harness.Outcome, rule *rules.Rule, success bool) {
	GinkgoHelper()
	if success {
		judgeFailure(rule, out)
	}
	for _, b := range out.After.Blocks {
		if b.Members.MiniportOffloadContext == nil {
			continue
		}
		if success {
			Expect(b.Members.Status).To(Equal(ndis.StatusSuccess), harness.Because(rule, harness.Terminate, b.Path))
		}
		if b.Members.Status != ndis.StatusSuccess {
			continue
		}
		for _, st := range b.States {
			switch d := st.(type) {
			case ndis.NeighborOffloadStateDelegated, ndis.TCPOffloadStateDelegated:
				Expect(termUnwritten(d)).To(BeEmpty(), harness.Because(rule, harness.Terminate, b.Path),
					fmt.Sprintf("delegated variables still holding the sentinel 0x%02X bytes", termSentinel))
			}
		}
	}
}

// termEventIndex returns the position of an outcome's completion among all completions.
func termEventIndex(s *harness.Session, out harness.Outcome) int {
	GinkgoHelper()
	for i, e := range s.Host.Events() {
		if e.Op == out.Op && e.Tree == out.Tree {
			return i
		}
	}
	Fail("[harness] completion not recorded")
	return -1
}

// termConnectionWithSendData is a one-connection tree whose connection carries outstanding send
// data: two lists, the first partly sent.
func termConnectionWithSendData() *ndis.MiniportOffloadBlockList {
	tree := fixtures.OneConnection()
	fixtures.WithSendData(tree.DependentBlockList.DependentBlockList, 100, 300, 200)
	return tree
}

// termWholeTree offloads shape and returns a terminate tree naming everything offloaded.
func termWholeTree(shape func() *ndis.MiniportOffloadBlockList) func(SpecContext, *harness.Session) *ndis.MiniportOffloadBlockList {
	return func(ctx SpecContext, s *harness.Session) *ndis.MiniportOffloadBlockList {
		GinkgoHelper()
		init := s.MustInitiate(ctx, shape())
		return fixtures.ReferenceTree(init.Tree, fixtures.DelegatedOnly)
	}
}

// termReference offloads one connection and returns the terminate tree naming all three objects.
func termReference(ctx SpecContext, s *harness.Session) *ndis.MiniportOffloadBlockList {
	GinkgoHelper()
	return termWholeTree(fixtures.OneConnection)(ctx, s)
}

func termStandAloneConnection(ctx SpecContext, s *harness.Session) *ndis.MiniportOffloadBlockList {
	return termReference(ctx, s).DependentBlockList.DependentBlockList
}

func termConnectionUnderPlaceholders(ctx SpecContext, s *harness.Session) *ndis.MiniportOffloadBlockList {
	tcp := termReference(ctx, s).DependentBlockList.DependentBlockList
	return fixtures.Under(fixtures.Placeholder(ndis.LayerNeighbor), fixtures.Under(fixtures.Placeholder(ndis.LayerPath), tcp))
}

func termPathAfterConnections(ctx SpecContext, s *harness.Session) *ndis.MiniportOffloadBlockList {
	GinkgoHelper()
	ref := termReference(ctx, s)
	path := ref.DependentBlockList
	s.MustDo(ctx, harness.Terminate, path.DependentBlockList)
	path.DependentBlockList = nil
	return path
}

func termNeighborAfterDependents(ctx SpecContext, s *harness.Session) *ndis.MiniportOffloadBlockList {
	GinkgoHelper()
	ref := termReference(ctx, s)
	path := ref.DependentBlockList
	s.MustDo(ctx, harness.Terminate, path.DependentBlockList)
	path.DependentBlockList = nil
	s.MustDo(ctx, harness.Terminate, path)
	ref.DependentBlockList = nil
	return ref
}

func termPathWithConnections(ctx SpecContext, s *harness.Session) *ndis.MiniportOffloadBlockList {
	GinkgoHelper()
	init := s.MustInitiate(ctx, fixtures.ConnectionsOnOnePath(2))
	return fixtures.ReferenceTree(init.Tree, fixtures.DelegatedOnly).DependentBlockList
}

// termContractEntries are the forms of terminate tree the completion contract is checked on.
func termContractEntries() []TableEntry {
	return []TableEntry{
		Entry("when the host terminates a one-connection tree", termReference),
		Entry("when the host terminates one stand-alone TCP block", termStandAloneConnection),
		Entry("when the host terminates a TCP block under placeholder neighbor and path blocks", termConnectionUnderPlaceholders),
		Entry("when the host terminates three connections linked through NextBlock", termWholeTree(func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(3) })),
		Entry("when the host terminates two neighbors' trees linked through NextBlock", termWholeTree(func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(2) })),
		Entry("when the host terminates a connection with outstanding send data", termWholeTree(termConnectionWithSendData)),
	}
}

// termStateEntries returns one entry per State in which a connection may be offloaded.
func termStateEntries() []TableEntry {
	var out []TableEntry
	for st := ndis.TcpConnectionClosed; st < ndis.TcpConnectionMaxState; st++ {
		if st.Offloadable() {
			out = append(out, Entry(fmt.Sprintf("when the connection was offloaded in %s", st), st))
		}
	}
	return out
}

// termLimitCase is one declared limit TERM-020's table fills, frees and fills again: build
// returns a builder of the tree that fills it, or skips the spec when the declared limits do not
// allow it.
type termLimitCase struct {
	what   string
	status ndis.Status
	caps   []string
	build  func(s *harness.Session) func(round int) *ndis.MiniportOffloadBlockList
}

var termLimitCases = []termLimitCase{
	{what: "neighbors", status: ndis.StatusOffloadNeighborEntries, caps: []string{"neighborEntries"},
		build: func(s *harness.Session) func(round int) *ndis.MiniportOffloadBlockList {
			n := termLimit(s, s.Limits.NeighborEntries, "neighbor entries")
			return func(int) *ndis.MiniportOffloadBlockList { return fixtures.Neighbors(n) }
		}},
	{what: "paths", status: ndis.StatusOffloadPathEntries, caps: []string{"pathEntries"},
		build: func(s *harness.Session) func(round int) *ndis.MiniportOffloadBlockList {
			limitAtLeast(s.Limits.SourceIPAddressEntries, 1, "source IP address entries")
			n := termLimit(s, s.Limits.PathEntries, "path entries")
			return func(int) *ndis.MiniportOffloadBlockList { return fixtures.PathsWithoutConnections(n) }
		}},
	{what: "source MAC addresses", status: ndis.StatusOffloadHWAddressEntries, caps: []string{"configurableSourceMAC", "sourceMACEntries"},
		build: func(s *harness.Session) func(round int) *ndis.MiniportOffloadBlockList {
			if c := s.Limits.ConfigurableSourceMAC; !c.Declared || !c.Value {
				Skip("target does not declare configurable source MAC addresses")
			}
			n := termLimit(s, s.Limits.SourceMACEntries, "source MAC entries")
			limitAtLeast(s.Limits.NeighborEntries, n, "neighbor entries")
			return func(round int) *ndis.MiniportOffloadBlockList {
				tree := fixtures.NeighborsWithSourceMACs(n)
				for i, b := range tree.Siblings() { // other addresses the second time
					b.NeighborConst.DlSourceAddress = ndis.MAC(0x02, 0x00, 0x5e, 0x30+byte(round), byte(i>>8), byte(i))
				}
				return tree
			}
		}},
	{what: "path source addresses", status: ndis.StatusOffloadIPAddressEntries, caps: []string{"sourceIPAddressEntries"},
		build: func(s *harness.Session) func(round int) *ndis.MiniportOffloadBlockList {
			n := termLimit(s, s.Limits.SourceIPAddressEntries, "source IP address entries")
			limitAtLeast(s.Limits.PathEntries, n, "path entries")
			return func(round int) *ndis.MiniportOffloadBlockList {
				tree := fixtures.PathsFromDistinctSources(n)
				for i, p := range tree.Dependents() { // other addresses the second time
					p.PathConst.SourceAddress = netip.AddrFrom4([4]byte{192, 0, 2, byte(10 + 100*round + i)})
				}
				return tree
			}
		}},
	{what: "VLAN IDs", status: ndis.StatusOffloadVLANEntries, caps: []string{"vlanEntries", "interfaceVLANIDs"},
		build: func(s *harness.Session) func(round int) *ndis.MiniportOffloadBlockList {
			ids := acceptedVLANs(s, 2)
			n := len(ids) / 2
			return func(round int) *ndis.MiniportOffloadBlockList { // other VLAN IDs the second time
				return fixtures.NeighborsWithVLANs(ids[round*n : (round+1)*n]...)
			}
		}},
}

func termLimitEntries() []TableEntry {
	var out []TableEntry
	for _, c := range termLimitCases {
		var args []any
		for _, name := range c.caps {
			args = append(args, Capability(name))
		}
		out = append(out, Entry(fmt.Sprintf("as many %s as declared (%s)", c.what, c.status), append(args, c)...))
	}
	return out
}

// termLimit returns a declared limit's value, skipping the spec when it is not declared, is
// zero or too large to fill in one tree, or when the host memory bound would stop that many
// objects and one below them first.
func termLimit(s *harness.Session, l target.Limit, name string) int {
	GinkgoHelper()
	n := int(needLimit(l, name))
	if n < 1 || n > 64 {
		Skip(fmt.Sprintf("the declared %s (%d) are outside what this spec fills (1..64)", name, n))
	}
	roomFor(s, n+1)
	return n
}

// termOffloadTwice offloads build's first tree, terminates it, and offloads its second, as
// large: no block of the second offload may carry one of statuses, the limits the first one
// filled.
func termOffloadTwice(ctx SpecContext, s *harness.Session, build func(round int) *ndis.MiniportOffloadBlockList, statuses []ndis.Status) {
	GinkgoHelper()
	init := s.MustInitiate(ctx, build(0))
	s.MustDo(ctx, harness.Terminate, fixtures.ReferenceTree(init.Tree, fixtures.DelegatedOnly))
	// The terminate sequence frees resources after the completion, so capacity may come
	// back a moment later: a second offload that still meets a resource status is
	// terminated again and retried until the completion timeout.
	var short []string
	Eventually(func() []string {
		again := s.Initiate(ctx, build(1))
		short = nil
		for _, b := range again.After.Blocks {
			if slices.Contains(statuses, b.Members.Status) {
				short = append(short, fmt.Sprintf("%s: %s", b.Path, b.Members.Status))
			}
		}
		if len(short) > 0 {
			s.MustDo(ctx, harness.Terminate, fixtures.ReferenceTree(again.Tree, fixtures.DelegatedOnly))
		}
		return short
	}).WithContext(ctx).WithTimeout(s.Timing.Completion).WithPolling(s.Timing.Completion/20).
		Should(BeEmpty(), harness.Because(rules.TerminateFreesResources, harness.Initiate, "")+
			"\n  the second offload of as many objects still met a status of a limit the first one filled")
}
