package suites

import (
	"fmt"
	"net/netip"
	"reflect"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Specs of query offload (suites/rules/query.go). Every query tree mirrors an offloaded initiate
// tree, or part of one, and its state structures are pre-filled with a sentinel pattern, so that
// a variable the target never wrote is seen: constant and cached structures must come back with
// the values offloaded (CONFLICT-QRY-01's reading), delegated ones with every variable written and,
// since no traffic reaches the connection, the sequence numbers and State it was offloaded with.

var _ = Describe("MiniportQueryOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when the query tree is a stand-alone block or the root of a tree", func() {
		DescribeTable("fills the state structures of every block it answers with NDIS_STATUS_SUCCESS", Rule(rules.QueryTreeStandAloneOrRoot),
			func(ctx SpecContext, build func() *ndis.MiniportOffloadBlockList, shape queryShape) {
				initiated := queryInitiate(ctx, s, build())
				q := queryTreeFor(shape(initiated), fixtures.DelegatedOnly)
				out := queryRecovering(ctx, s, initiated, q)
				queryExpectAnswered(rules.QueryTreeStandAloneOrRoot, out, q.source)
			},
			Entry("a stand-alone TCP block", fixtures.OneConnection, queryAlone("neighbor[0]/path[0]/tcp[0]")),
			Entry("a stand-alone path block", fixtures.OneConnection, queryAlone("neighbor[0]/path[0]")),
			Entry("a stand-alone neighbor block", fixtures.OneConnection, queryAlone("neighbor[0]")),
			Entry("the root of a neighbor -> path -> TCP tree", fixtures.OneConnection, queryWhole),
			Entry("the root of a tree with neighbors linked through NextBlock", func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(2) }, queryWhole),
			Entry("the root of a tree with paths linked through NextBlock", func() *ndis.MiniportOffloadBlockList { return fixtures.PathsOnOneNeighbor(2) }, queryWhole),
			Entry("the root of a tree with connections linked through NextBlock", func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(3) }, queryWhole),
		)
	})

	Context("when the host queries offloaded objects of each layer", func() {
		DescribeTable("writes a query status and, on NDIS_STATUS_SUCCESS, the object's state", Rule(rules.QueryAnyOffloadedState),
			func(ctx SpecContext, build func() *ndis.MiniportOffloadBlockList, shape queryShape) {
				initiated := queryInitiate(ctx, s, build())
				q := queryTreeFor(shape(initiated), fixtures.AllClasses)
				out := queryRecovering(ctx, s, initiated, q)
				queryExpectAnswered(rules.QueryAnyOffloadedState, out, q.source)
			},
			Entry("a neighbor queried alone", fixtures.OneConnection, queryAlone("neighbor[0]")),
			Entry("an IPv4 path queried alone", fixtures.OneConnection, queryAlone("neighbor[0]/path[0]")),
			Entry("an IPv6 path queried alone", Capability("ipv6"), fixtures.OneIPv6Connection, queryAlone("neighbor[0]/path[0]")),
			Entry("a TCP connection queried alone", fixtures.OneConnection, queryAlone("neighbor[0]/path[0]/tcp[0]")),
			Entry("a neighbor, an IPv4 and an IPv6 path and their connections queried together", Capability("ipv6"), fixtures.DualStack, queryWhole),
		)
	})

	Context("when a query of a one-connection tree is handed over", func() {
		It("returns from MiniportQueryOffload before calling NdisMQueryOffloadStateComplete", Rule(rules.QueryHandlerReturnsBeforeCompletion), func(ctx SpecContext) {
			initiated := queryInitiate(ctx, s, fixtures.OneConnection())
			q := queryTreeFor(initiated, fixtures.AllClasses)
			out := queryRecovering(ctx, s, initiated, q)
			Expect(out.Event.DuringCall).To(BeFalse(), harness.Because(rules.QueryHandlerReturnsBeforeCompletion, harness.Query, ""))
		})

		It("calls NdisMQueryOffloadStateComplete exactly once and no other completion with the tree", Rule(rules.QueryCompletesExactlyOnce), func(ctx SpecContext) {
			initiated := queryInitiate(ctx, s, fixtures.OneConnection())
			q := queryTreeFor(initiated, fixtures.AllClasses)
			queryRecovering(ctx, s, initiated, q)
			Expect(s.Host.CompletionsOf(harness.Query, q.tree)).To(HaveLen(1), harness.Because(rules.QueryCompletesExactlyOnce, harness.Query, ""))
			for _, e := range s.Host.Events() {
				if e.Tree == q.tree && e.Op != harness.Query {
					harness.Failf(rules.QueryCompletesExactlyOnce, harness.Query, "", "the query tree came back through %s", e.Op.Completion())
				}
			}
		})

		It("passes NdisMQueryOffloadStateComplete the OffloadBlockList pointer it was given", Rule(rules.QueryCompletionSamePointer), func(ctx SpecContext) {
			initiated := queryInitiate(ctx, s, fixtures.OneConnection())
			q := queryTreeFor(initiated, fixtures.AllClasses)
			out := queryRecovering(ctx, s, initiated, q)
			Expect(out.Event.Tree).To(BeIdenticalTo(q.tree), harness.Because(rules.QueryCompletionSamePointer, harness.Query, ""))
		})

		It("leaves the query tree's blocks and state structures unchanged after NdisMQueryOffloadStateComplete", Rule(rules.TargetLeavesQueryTreeAfterCompletion), func(ctx SpecContext) {
			initiated := queryInitiate(ctx, s, fixtures.OneConnection())
			q := queryTreeFor(initiated, fixtures.AllClasses)
			out := queryRecovering(ctx, s, initiated, q)
			By("handing the target another operation on the queried objects")
			if !queryFailed(out) {
				s.Terminate(ctx, fixtures.ReferenceTree(initiated, fixtures.DelegatedOnly))
			}
			if changes := harness.Diff(out.After, harness.Take(q.tree)); len(changes) > 0 {
				harness.Failf(rules.TargetLeavesQueryTreeAfterCompletion, harness.Query, changes[0].Path,
					"the tree changed after NdisMQueryOffloadStateComplete handed it back: %v", changes)
			}
		})
	})

	Context("when a query tree holds placeholders above a queried connection", func() {
		It("writes a Status into every block, placeholders included", Rule(rules.QueryStatusInEveryBlock), func(ctx SpecContext) {
			initiated := queryInitiate(ctx, s, fixtures.OneConnection())
			q := queryTreeFor(queryUnderPlaceholders("neighbor[0]/path[0]/tcp[0]")(initiated), fixtures.DelegatedOnly)
			out := queryRecovering(ctx, s, initiated, q)
			for _, b := range out.After.Blocks {
				Expect(b.Members.Status).NotTo(Equal(harness.StatusUnwritten), harness.Because(rules.QueryStatusInEveryBlock, harness.Query, b.Path))
			}
		})
	})

	Context("when the host queries blocks of every role and layer", func() {
		DescribeTable("writes only NDIS_STATUS_SUCCESS or NDIS_STATUS_FAILURE into Status", Rule(rules.QueryStatusSuccessOrFailure),
			func(ctx SpecContext, build func() *ndis.MiniportOffloadBlockList, shape queryShape) {
				initiated := queryInitiate(ctx, s, build())
				q := queryTreeFor(shape(initiated), fixtures.AllClasses)
				out := queryRecovering(ctx, s, initiated, q)
				for _, b := range out.After.Blocks {
					Expect(b.Members.Status).To(BeElementOf(ndis.StatusSuccess, ndis.StatusFailure),
						harness.Because(rules.QueryStatusSuccessOrFailure, harness.Query, b.Path))
				}
			},
			Entry("a neighbor -> path -> connections tree", func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(2) }, queryWhole),
			Entry("placeholders above a queried connection", fixtures.OneConnection, queryUnderPlaceholders("neighbor[0]/path[0]/tcp[0]")),
		)
	})

	Context("when the host queries every class of state of a one-connection tree", func() {
		DescribeTable("writes every variable of each state structure after a block that names an object", Rule(rules.QueryFillsEveryStateStructure),
			func(ctx SpecContext, classes fixtures.StateClasses) {
				initiated := queryInitiate(ctx, s, fixtures.OneConnection())
				q := queryTreeFor(initiated, classes)
				out := queryRecovering(ctx, s, initiated, q)
				queryExpectAnswered(rules.QueryFillsEveryStateStructure, out, q.source)
			},
			Entry("constant structures", fixtures.StateClasses{Const: true}),
			Entry("cached structures", fixtures.StateClasses{Cached: true}),
			Entry("delegated structures", fixtures.DelegatedOnly),
			Entry("all three classes", fixtures.AllClasses),
		)
	})

	Context("when several objects of one layer with distinct state are queried together", func() {
		DescribeTable("writes into each NDIS_STATUS_SUCCESS block the state of the object that block names", Rule(rules.QuerySuccessMeaning),
			func(ctx SpecContext, build func() *ndis.MiniportOffloadBlockList) {
				initiated := queryInitiate(ctx, s, queryDistinct(build()))
				q := queryTreeFor(initiated, fixtures.AllClasses)
				out := queryRecovering(ctx, s, initiated, q)
				queryExpectAnswered(rules.QuerySuccessMeaning, out, q.source)
			},
			Entry("two neighbors", func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(2) }),
			Entry("two paths on one neighbor", func() *ndis.MiniportOffloadBlockList { return fixtures.PathsOnOneNeighbor(2) }),
			Entry("three connections on one path", func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(3) }),
		)
	})

	Context("when each of several objects of one layer with distinct state is queried in a stand-alone block", func() {
		DescribeTable("writes into each NDIS_STATUS_SUCCESS block the state of the object its context names", Rule(rules.QuerySuccessMeaning),
			func(ctx SpecContext, build func() *ndis.MiniportOffloadBlockList, paths []string) {
				initiated := queryInitiate(ctx, s, queryDistinct(build()))
				for _, path := range paths {
					By("querying " + path + " alone")
					q := queryTreeFor(queryAlone(path)(initiated), fixtures.AllClasses)
					out := queryRecovering(ctx, s, initiated, q)
					queryExpectAnswered(rules.QuerySuccessMeaning, out, q.source)
				}
			},
			Entry("each of two neighbors", func() *ndis.MiniportOffloadBlockList { return fixtures.SeveralNeighbors(2) },
				[]string{"neighbor[0]", "neighbor[1]"}),
			Entry("each of two paths on one neighbor", func() *ndis.MiniportOffloadBlockList { return fixtures.PathsOnOneNeighbor(2) },
				[]string{"neighbor[0]/path[0]", "neighbor[0]/path[1]"}),
			Entry("each of three connections on one path", func() *ndis.MiniportOffloadBlockList { return fixtures.ConnectionsOnOnePath(3) },
				[]string{"neighbor[0]/path[0]/tcp[0]", "neighbor[0]/path[0]/tcp[1]", "neighbor[0]/path[0]/tcp[2]"}),
		)
	})

	Context("when a second query of a connection is handed over before the first is awaited", func() {
		It("completes each query on its own tree with the connection's state", Rule(rules.OverlappingQueriesOfOneObject), func(ctx SpecContext) {
			initiated := queryInitiate(ctx, s, fixtures.OneConnection())
			first := queryTreeFor(queryAlone("neighbor[0]/path[0]/tcp[0]")(initiated), fixtures.AllClasses)
			second := queryTreeFor(queryAlone("neighbor[0]/path[0]/tcp[0]")(initiated), fixtures.AllClasses)
			p1 := s.Begin(harness.Query, first.tree)
			p2 := s.Begin(harness.Query, second.tree)
			o1, o2 := p1.Await(ctx), p2.Await(ctx)
			if queryFailed(o1) || queryFailed(o2) {
				s.Terminate(ctx, fixtures.ReferenceTree(initiated, fixtures.DelegatedOnly))
			}
			By("checking the first query")
			queryExpectAnswered(rules.OverlappingQueriesOfOneObject, o1, first.source)
			By("checking the second query")
			queryExpectAnswered(rules.OverlappingQueriesOfOneObject, o2, second.source)
		})
	})

	Context("when a query of a one-connection tree comes back with NDIS_STATUS_FAILURE", func() {
		It("completes the host's terminate of the objects with NdisMTerminateOffloadComplete", Rule(rules.QueryCorruptCompleteTerminate), func(ctx SpecContext) {
			initiated := queryInitiate(ctx, s, fixtures.OneConnection())
			q := queryTreeFor(initiated, fixtures.AllClasses)
			out := s.Query(ctx, q.tree)
			if !queryFailed(out) {
				Skip("the target answered every block of the query with NDIS_STATUS_SUCCESS, so there is no failed query to recover from")
			}
			By("terminating the objects the failed query named (QRY-014)")
			terminate := fixtures.ReferenceTree(initiated, fixtures.DelegatedOnly)
			p := s.Begin(harness.Terminate, terminate)
			Eventually(func() []harness.Event { return s.Host.CompletionsOf(harness.Terminate, terminate) }).
				WithContext(ctx).WithTimeout(s.Timing.Completion).
				Should(HaveLen(1), harness.Because(rules.QueryCorruptCompleteTerminate, harness.Terminate, ""))
			p.Await(ctx)
		})
	})
})

// queryOf is a query tree and the initiate tree (or the part of one) it mirrors block for block,
// whose state structures hold the values offloaded.
type queryOf struct {
	tree, source *ndis.MiniportOffloadBlockList
}

// queryTreeFor mirrors source into a query tree carrying state structures of the given classes,
// every variable pre-filled with the sentinel pattern.
func queryTreeFor(source *ndis.MiniportOffloadBlockList, classes fixtures.StateClasses) queryOf {
	tree := fixtures.ReferenceTree(source, classes)
	for _, b := range ndis.Blocks(tree) {
		for _, st := range queryStates(b) {
			querySentinelFill(st.value.Elem())
		}
	}
	return queryOf{tree: tree, source: source}
}

// queryInitiate offloads tree as setup, first skipping the spec when a declared limit or the
// declared IP versions would not admit it at once.
func queryInitiate(ctx SpecContext, s *harness.Session, tree *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
	GinkgoHelper()
	count := map[ndis.Layer]int{}
	sources := map[netip.Addr]bool{}
	ipv6 := false
	for _, b := range ndis.Blocks(tree) {
		count[b.Layer()]++
		if b.PathConst != nil {
			sources[b.PathConst.SourceAddress] = true
			ipv6 = ipv6 || b.Header.Type.IsIPv6()
		}
	}
	lim := s.Limits
	for _, c := range []struct {
		name  string
		limit target.Limit
		need  int
	}{
		{"neighbor entries", lim.NeighborEntries, count[ndis.LayerNeighbor]},
		{"path entries", lim.PathEntries, count[ndis.LayerPath]},
		{"TCP entries", lim.TCPEntries, count[ndis.LayerTCP]},
		{"transmit buffers", lim.TransmitBuffers, count[ndis.LayerTCP]},
		{"receive buffers", lim.ReceiveBuffers, count[ndis.LayerTCP]},
		{"host memory objects", lim.HostMemoryObjects, count[ndis.LayerNeighbor] + count[ndis.LayerPath] + count[ndis.LayerTCP]},
		{"source IP address entries", lim.SourceIPAddressEntries, len(sources)},
	} {
		if c.limit.Declared && c.need > int(c.limit.Value) {
			Skip(fmt.Sprintf("the declared %s (%d) are fewer than the %d the spec offloads", c.name, c.limit.Value, c.need))
		}
	}
	if ipv6 && !s.Info.Capabilities.TCPConnectionOffload.SupportIPv6 {
		Skip("target does not declare IPv6 offload")
	}
	s.MustInitiate(ctx, tree)
	return tree
}

// queryShape picks what of an offloaded initiate tree a query names.
type queryShape func(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList

// queryWhole queries the whole initiate tree.
func queryWhole(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
	return initiated
}

// queryAlone queries the block at path on its own: a stand-alone block.
func queryAlone(path string) queryShape {
	return func(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
		return queryCut(initiated, path)
	}
}

// queryUnderPlaceholders queries the block at path on its own, under one placeholder for each
// layer below it.
func queryUnderPlaceholders(path string) queryShape {
	return func(initiated *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
		b := queryCut(initiated, path)
		var below []ndis.Layer
		for l := ndis.LayerNeighbor; l != 0 && l != b.Layer(); l = l.Dependent() {
			below = append(below, l)
		}
		for i := len(below) - 1; i >= 0; i-- {
			b = fixtures.Under(fixtures.Placeholder(below[i]), b)
		}
		return b
	}
}

// queryCut returns a copy of the block at path without its links, sharing its context slot and
// state structures.
func queryCut(initiated *ndis.MiniportOffloadBlockList, path string) *ndis.MiniportOffloadBlockList {
	GinkgoHelper()
	for _, v := range ndis.Walk(initiated) {
		if v.Path == path {
			c := *v.Block
			c.NextBlock, c.DependentBlockList = nil, nil
			return &c
		}
	}
	Fail(fmt.Sprintf("[fixture] no block %s in the initiate tree", path))
	return nil
}

// queryDistinct gives the objects of an initiate tree distinct delegated state, so that a target
// answering one block with another object's state is seen.
func queryDistinct(tree *ndis.MiniportOffloadBlockList) *ndis.MiniportOffloadBlockList {
	for i, b := range ndis.Blocks(tree) {
		n := uint32(i+1) * 0x1000
		if d := b.NeighborDelegated; d != nil {
			d.NicReachabilityDelta += uint32(i + 1)
		}
		if d := b.TCPDelegated; d != nil {
			d.RcvNxt, d.SendWL1 = d.RcvNxt.Add(n), d.SendWL1.Add(n)
			d.SndUna, d.SndNxt, d.SndMax = d.SndUna.Add(n), d.SndNxt.Add(n), d.SndMax.Add(n)
		}
	}
	return tree
}

// queryRecovering queries q and, when a block comes back with NDIS_STATUS_FAILURE, terminates the
// objects of the initiate tree, as the host must (QRY-014).
func queryRecovering(ctx SpecContext, s *harness.Session, initiated *ndis.MiniportOffloadBlockList, q queryOf) harness.Outcome {
	GinkgoHelper()
	out := s.Query(ctx, q.tree)
	if queryFailed(out) {
		s.Terminate(ctx, fixtures.ReferenceTree(initiated, fixtures.DelegatedOnly))
	}
	return out
}

// queryFailed reports whether a block that names an object came back with NDIS_STATUS_FAILURE.
func queryFailed(out harness.Outcome) bool {
	for _, b := range out.After.Blocks {
		if b.Members.Status == ndis.StatusFailure && b.Block.Role() != ndis.RolePlaceholder {
			return true
		}
	}
	return false
}

// queryExpectAnswered checks every block of a completed query against the block it mirrors: a
// Status of SUCCESS or FAILURE, and for SUCCESS on a block that names an object, every variable
// written, constant and cached structures equal to what was offloaded, and the delegated
// sequence numbers and State of a connection no traffic reached.
func queryExpectAnswered(rule *rules.Rule, out harness.Outcome, source *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	want := ndis.Walk(source)
	Expect(out.After.Blocks).To(HaveLen(len(want)), harness.Because(rule, harness.Query, ""))
	judgeFailure(rule, out)
	checked := 0
	for i, got := range out.After.Blocks {
		Expect(got.Members.Status).To(BeElementOf(ndis.StatusSuccess, ndis.StatusFailure), harness.Because(rule, harness.Query, got.Path))
		if got.Block.Role() == ndis.RolePlaceholder || got.Members.Status != ndis.StatusSuccess {
			continue // FAILURE: the state could not be queried (QRY-013), and the host terminates
		}
		checked++
		Expect(queryUnwritten(got.Block)).To(BeEmpty(), harness.Because(rule, harness.Query, got.Path))
		Expect(queryMismatches(got.Block, want[i].Block)).To(BeEmpty(), harness.Because(rule, harness.Query, got.Path))
	}
	if checked == 0 {
		// FAILURE is legal, so this is no violation; but nothing of the rule was checked, and the
		// report must not count it as passed.
		Skip(fmt.Sprintf("%s: the target answered NDIS_STATUS_FAILURE for every queried object, so no state could be checked", rule.ID))
	}
}

// queryState is one state structure after a block.
type queryState struct {
	name  string
	value reflect.Value // a non-nil pointer to the structure
}

var queryStateMembers = []string{
	"NeighborConst", "NeighborCached", "NeighborDelegated", "PathConst", "PathCached",
	"PathDelegated", "TCPConst", "TCPCached", "TCPDelegated",
}

// queryStates returns the state structures present after b.
func queryStates(b *ndis.MiniportOffloadBlockList) []queryState {
	var out []queryState
	rv := reflect.ValueOf(b).Elem()
	for _, name := range queryStateMembers {
		if f := rv.FieldByName(name); !f.IsNil() {
			out = append(out, queryState{name: name, value: f})
		}
	}
	return out
}

// The sentinel pattern: 0xA5 in every byte of every integer, 0xA5 in every byte of a data-link
// address, and an IP address no fixture uses. No documented value of a state variable has it.
const querySentinelByte = 0xA5

var (
	querySentinelAddr = netip.MustParseAddr("233.252.0.165")
	queryAddrType     = reflect.TypeOf(netip.Addr{})
)

// queryReserved are the members a target need not write: the header the host fills, the
// reserved Flags of the TCP delegated state, and the send- and receive-data pointers, which
// are used only at initiate and terminate (STATE-062).
var queryReserved = map[string]bool{
	"Header": true, "TCPDelegated.Flags": true,
	"TCPDelegated.SendDataHead": true, "TCPDelegated.SendDataTail": true, "TCPDelegated.BufferedData": true,
}

// querySentinelFill writes the sentinel pattern into every variable of the structure v.
func querySentinelFill(v reflect.Value) {
	switch {
	case v.Type() == queryAddrType:
		v.Set(reflect.ValueOf(querySentinelAddr))
	case v.Kind() == reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).Name != "Header" {
				querySentinelFill(v.Field(i))
			}
		}
	case v.Kind() == reflect.Array:
		for i := 0; i < v.Len(); i++ {
			querySentinelFill(v.Index(i))
		}
	case v.Kind() >= reflect.Uint8 && v.Kind() <= reflect.Uint64:
		v.SetUint(querySentinel(v.Type().Size()))
	}
}

func querySentinel(size uintptr) uint64 {
	var x uint64
	for range size {
		x = x<<8 | querySentinelByte
	}
	return x
}

// queryUnwritten returns the variables after b that still hold the sentinel pattern.
func queryUnwritten(b *ndis.MiniportOffloadBlockList) []string {
	var out []string
	var walk func(name string, v reflect.Value)
	walk = func(name string, v reflect.Value) {
		switch {
		case queryReserved[name]:
		case v.Type() == queryAddrType:
			if v.Interface() == querySentinelAddr {
				out = append(out, name+" still holds the sentinel "+querySentinelAddr.String())
			}
		case v.Kind() == reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i).Name
				if f != "Header" {
					walk(name+"."+f, v.Field(i))
				}
			}
		case v.Kind() == reflect.Array:
			all := v.Len() > 0
			for i := 0; i < v.Len(); i++ {
				all = all && v.Index(i).Uint() == querySentinelByte
			}
			if all {
				out = append(out, name+" still holds the sentinel pattern")
			}
		case v.Kind() >= reflect.Uint8 && v.Kind() <= reflect.Uint64:
			if v.Uint() == querySentinel(v.Type().Size()) {
				out = append(out, fmt.Sprintf("%s still holds the sentinel %#x", name, v.Uint()))
			}
		}
	}
	for _, st := range queryStates(b) {
		walk(st.name, st.value.Elem())
	}
	return out
}

// queryMismatches compares the structures after a queried block with those its object was
// offloaded with: constant and cached ones in full, and of a TCP delegated structure the State
// and the sequence numbers, which only traffic changes.
func queryMismatches(b, offloaded *ndis.MiniportOffloadBlockList) []string {
	var out []string
	src := reflect.ValueOf(offloaded).Elem()
	for _, st := range queryStates(b) {
		want := src.FieldByName(st.name)
		if want.IsNil() {
			out = append(out, st.name+": the initiate block carried no such structure")
			continue
		}
		got, w := st.value.Elem(), want.Elem()
		var fields []string
		switch st.name {
		case "NeighborDelegated", "PathDelegated":
			continue
		case "TCPDelegated":
			fields = []string{"State", "RcvNxt", "SndUna", "SndNxt", "SndMax"}
		default:
			for i := 0; i < got.NumField(); i++ {
				if f := got.Type().Field(i).Name; f != "Header" {
					fields = append(fields, f)
				}
			}
		}
		for _, f := range fields {
			if x, y := got.FieldByName(f).Interface(), w.FieldByName(f).Interface(); !reflect.DeepEqual(x, y) {
				out = append(out, fmt.Sprintf("%s.%s = %v, want %v (as offloaded)", st.name, f, x, y))
			}
		}
	}
	return out
}
