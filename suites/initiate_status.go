package suites

import (
	"fmt"
	"math"
	"slices"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Specs of the initiate statuses tied to a cause the host can provoke: the declared resource
// limits (concepts/returning-completion-status-of-an-initiate-offload-operation.md) and the
// 802.1Q checks (concepts/determining-whether-to-fail-an-offload-request-because-of-802-1q-infor.md).
// Each provokes the cause one object past a declared limit, in a tree shaped so that no other
// declared limit binds first, and skips with the reason when that cannot be arranged.

var _ = Describe("MiniportInitiateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when an initiate tree holds one connection more than the target's connection capacity", func() {
		It("writes NDIS_STATUS_OFFLOAD_TCP_ENTRIES on that connection only when TCP entries are what ran out", Rule(rules.InitiateTCPEntriesCondition), Capability("tcpEntries"), func(ctx SpecContext) {
			checkConnectionLimit(ctx, s, rules.InitiateTCPEntriesCondition, s.Limits.TCPEntries, ndis.StatusOffloadTCPEntries)
		})

		It("writes NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER on that connection only when transmit buffers are what ran out", Rule(rules.InitiateTCPXmitBufferCondition), Capability("transmitBuffers"), func(ctx SpecContext) {
			checkConnectionLimit(ctx, s, rules.InitiateTCPXmitBufferCondition, s.Limits.TransmitBuffers, ndis.StatusOffloadTCPXmitBuffer)
		})

		It("writes NDIS_STATUS_OFFLOAD_TCP_RCV_BUFFER on that connection only when receive buffers are what ran out", Rule(rules.InitiateTCPRcvBufferCondition), Capability("receiveBuffers"), func(ctx SpecContext) {
			checkConnectionLimit(ctx, s, rules.InitiateTCPRcvBufferCondition, s.Limits.ReceiveBuffers, ndis.StatusOffloadTCPRcvBuffer)
		})
	})

	Context("when an initiate tree holds one path more than the declared path entries", Capability("pathEntries"), func() {
		It("writes NDIS_STATUS_OFFLOAD_PATH_ENTRIES on the last path and on no other", Rule(rules.InitiatePathEntriesCondition), func(ctx SpecContext) {
			rule := rules.InitiatePathEntriesCondition
			n := int(needLimit(s.Limits.PathEntries, "path entries"))
			limitAtLeast(s.Limits.SourceIPAddressEntries, 1, "source IP address entries")
			limitAtLeast(s.Limits.NeighborEntries, 1, "neighbor entries")
			roomFor(s, n+2)
			tree := fixtures.PathsWithoutConnections(n + 1)
			out := s.Initiate(ctx, tree)
			checkLast(out, rule, tree.Dependents(), ndis.StatusOffloadPathEntries)
		})
	})

	Context("when an initiate tree holds one neighbor more than the declared neighbor entries", Capability("neighborEntries"), func() {
		It("writes NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES on the last neighbor and on no other", Rule(rules.InitiateNeighborEntriesCondition), func(ctx SpecContext) {
			rule := rules.InitiateNeighborEntriesCondition
			n := int(needLimit(s.Limits.NeighborEntries, "neighbor entries"))
			roomFor(s, n+1)
			tree := fixtures.Neighbors(n + 1)
			out := s.Initiate(ctx, tree)
			checkLast(out, rule, tree.Siblings(), ndis.StatusOffloadNeighborEntries)
		})
	})

	Context("when an initiate tree holds one DlSourceAddress more than the target can configure", Capability("configurableSourceMAC"), Capability("sourceMACEntries"), func() {
		It("writes NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES on the last neighbor and on no other", Rule(rules.InitiateHwAddressEntriesCondition), func(ctx SpecContext) {
			rule := rules.InitiateHwAddressEntriesCondition
			if !s.Limits.ConfigurableSourceMAC.Declared {
				Skip("target does not declare whether it supports configurable source MAC addresses")
			}
			n := 0
			if s.Limits.ConfigurableSourceMAC.Value {
				n = int(needLimit(s.Limits.SourceMACEntries, "source MAC entries"))
			}
			limitAtLeast(s.Limits.NeighborEntries, n+1, "neighbor entries")
			roomFor(s, n+1)
			tree := fixtures.NeighborsWithSourceMACs(n + 1)
			out := s.Initiate(ctx, tree)
			checkLast(out, rule, tree.Siblings(), ndis.StatusOffloadHWAddressEntries)
		})
	})

	Context("when an initiate tree holds one path source address more than the declared source IP address entries", Capability("sourceIPAddressEntries"), func() {
		It("writes NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES on the last path and on no other", Rule(rules.InitiateIPAddressEntriesCondition), func(ctx SpecContext) {
			rule := rules.InitiateIPAddressEntriesCondition
			n := int(needLimit(s.Limits.SourceIPAddressEntries, "source IP address entries"))
			limitAtLeast(s.Limits.PathEntries, n+1, "path entries")
			roomFor(s, n+2)
			tree := fixtures.PathsFromDistinctSources(n + 1)
			out := s.Initiate(ctx, tree)
			checkLast(out, rule, tree.Dependents(), ndis.StatusOffloadIPAddressEntries)
		})
	})

	// The declared source MAC, source IP address and VLAN entries count distinct values
	// (target.Limits): a block whose value is already in use needs no further entry, so none
	// of the three statuses is its cause.
	Context("when a neighbor carries the DlSourceAddress of another, with every declared source MAC in use", Capability("configurableSourceMAC"), Capability("sourceMACEntries"), func() {
		It("does not write NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES on it: it needs no additional source MAC", Rule(rules.InitiateHwAddressEntriesCondition), func(ctx SpecContext) {
			rule := rules.InitiateHwAddressEntriesCondition
			if c := s.Limits.ConfigurableSourceMAC; !c.Declared || !c.Value {
				Skip("target does not declare configurable source MAC addresses")
			}
			n := int(needLimit(s.Limits.SourceMACEntries, "source MAC entries"))
			if n < 1 || n > 64 {
				Skip(fmt.Sprintf("the declared source MAC entries (%d) are outside what this spec fills (1..64)", n))
			}
			limitAtLeast(s.Limits.NeighborEntries, n+1, "neighbor entries")
			roomFor(s, n+1)
			tree := fixtures.NeighborsWithSourceMACs(n + 1)
			neighbors := tree.Siblings()
			neighbors[n].NeighborConst.DlSourceAddress = neighbors[0].NeighborConst.DlSourceAddress
			out := s.Initiate(ctx, tree)
			for _, b := range neighbors {
				Expect(b.Status).NotTo(Equal(ndis.StatusOffloadHWAddressEntries), harness.Because(rule, harness.Initiate, out.Path(b)))
			}
		})
	})

	Context("when a path comes from the SourceAddress of another, with every declared source IP address entry in use", Capability("sourceIPAddressEntries"), func() {
		It("does not write NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES on it: it needs no structure for another address", Rule(rules.InitiateIPAddressEntriesCondition), func(ctx SpecContext) {
			rule := rules.InitiateIPAddressEntriesCondition
			n := int(needLimit(s.Limits.SourceIPAddressEntries, "source IP address entries"))
			if n < 1 || n > 200 {
				Skip(fmt.Sprintf("the declared source IP address entries (%d) are outside what this spec fills (1..200)", n))
			}
			limitAtLeast(s.Limits.PathEntries, n+1, "path entries")
			roomFor(s, n+2)
			tree := fixtures.PathsFromDistinctSources(n)
			paths := tree.Dependents()
			again := fixtures.NewPath(ndis.Ip4OffloadState, paths[0].PathConst.SourceAddress, paths[n-1].PathConst.DestinationAddress.Next(), 1500)
			paths[n-1].NextBlock = again
			out := s.Initiate(ctx, tree)
			for _, b := range append(paths, again) {
				Expect(b.Status).NotTo(Equal(ndis.StatusOffloadIPAddressEntries), harness.Because(rule, harness.Initiate, out.Path(b)))
			}
		})
	})

	Context("when a neighbor repeats the VlanId of another, with every declared VLAN entry in use", Capability("vlanEntries"), Capability("interfaceVLANIDs"), func() {
		It("does not write NDIS_STATUS_OFFLOAD_VLAN_ENTRIES on it: it needs no additional VLAN ID", Rule(rules.InitiateVlanEntriesStatus), func(ctx SpecContext) {
			ids := acceptedVLANs(s, 1)
			tree := fixtures.NeighborsWithVLANs(append(ids, ids[0])...)
			out := s.Initiate(ctx, tree)
			expectNoVLANEntries(out, tree)
		})
	})

	Context("when an untagged neighbor (VlanId zero) precedes as many VLAN IDs as the declared VLAN entries", Capability("vlanEntries"), Capability("interfaceVLANIDs"), func() {
		It("does not write NDIS_STATUS_OFFLOAD_VLAN_ENTRIES on any of them: the untagged neighbor needs no VLAN ID", Rule(rules.InitiateVlanEntriesStatus), func(ctx SpecContext) {
			ids := acceptedVLANs(s, 1)
			tree := fixtures.NeighborsWithVLANs(append([]uint16{0}, ids...)...)
			out := s.Initiate(ctx, tree)
			expectNoVLANEntries(out, tree)
		})
	})

	Context("when a connection's InitialRcvWnd is one above the declared largest", Capability("maxInitialRcvWnd"), func() {
		It("writes NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW on that connection and not on one at the largest", Rule(rules.InitiateTCPRcvWindowCondition), func(ctx SpecContext) {
			rule := rules.InitiateTCPRcvWindowCondition
			w := needLimit(s.Limits.MaxInitialRcvWnd, "a largest InitialRcvWnd")
			if w == math.MaxUint32 {
				Skip("the declared largest InitialRcvWnd leaves no larger value")
			}
			if m, _ := connectionCapacity(s); m < 2 {
				Skip("the declared connection capacity is below two connections")
			}
			roomFor(s, 4)
			tree := fixtures.ConnectionsOnOnePath(2)
			atMax, over := tree.DependentBlockList.DependentBlockList, tree.DependentBlockList.DependentBlockList.NextBlock
			atMax.TCPCached.InitialRcvWnd, over.TCPCached.InitialRcvWnd = w, w+1
			out := s.Initiate(ctx, tree)
			for _, v := range ndis.Walk(tree) {
				if v.Block != over {
					Expect(v.Block.Status).NotTo(Equal(ndis.StatusOffloadTCPRcvWindow), harness.Because(rule, harness.Initiate, v.Path))
				}
			}
			Expect(over.Status).To(Equal(ndis.StatusOffloadTCPRcvWindow), harness.Because(rule, harness.Initiate, out.Path(over)))
		})
	})

	Context("when a path's PathMtu is one above the declared largest", Capability("maxPathMTU"), func() {
		It("writes NDIS_STATUS_OFFLOAD_PATH_MTU (or NDIS_STATUS_FAILURE) on that path or its connections and on no other block", Rule(rules.InitiatePathMTUCondition), func(ctx SpecContext) {
			rule := rules.InitiatePathMTUCondition
			u := needLimit(s.Limits.MaxPathMTU, "a largest path MTU")
			if u == math.MaxUint32 {
				Skip("the declared largest path MTU leaves no larger value")
			}
			limitAtLeast(s.Limits.PathEntries, 2, "path entries")
			if m, _ := connectionCapacity(s); m < 2 {
				Skip("the declared connection capacity is below two connections")
			}
			roomFor(s, 5)
			tree := fixtures.PathsOnOneNeighbor(2)
			atMax, over := tree.DependentBlockList, tree.DependentBlockList.NextBlock
			atMax.PathCached.PathMTU, over.PathCached.PathMTU = u, u+1
			out := s.Initiate(ctx, tree)
			overSubtree := map[*ndis.MiniportOffloadBlockList]bool{over: true}
			for _, b := range over.Dependents() {
				overSubtree[b] = true
			}
			for _, v := range ndis.Walk(tree) {
				if !overSubtree[v.Block] {
					Expect(v.Block.Status).NotTo(Equal(ndis.StatusOffloadPathMTU), harness.Because(rule, harness.Initiate, v.Path))
				}
			}
			mtuStatuses := []ndis.Status{ndis.StatusOffloadPathMTU, ndis.StatusFailure}
			if offloaded(over.Status) {
				for _, b := range over.Dependents() {
					Expect(b.Status).To(BeElementOf(mtuStatuses), harness.Because(rule, harness.Initiate, out.Path(b)))
				}
				return
			}
			Expect(over.Status).To(BeElementOf(mtuStatuses), harness.Because(rule, harness.Initiate, out.Path(over)))
		})
	})

	Context("when neighbors need one VLAN ID more than the target can track", Capability("vlanEntries"), Capability("interfaceVLANIDs"), func() {
		It("writes NDIS_STATUS_OFFLOAD_VLAN_ENTRIES on the last neighbor and on no other block", Rule(rules.InitiateVlanEntriesStatus), func(ctx SpecContext) {
			rule := rules.InitiateVlanEntriesStatus
			n := int(needLimit(s.Limits.VLANEntries, "VLAN entries"))
			if !s.Limits.InterfaceVLANIDs.Declared {
				Skip("target does not declare its interface VLAN IDs")
			}
			var ids []uint16
			for _, id := range s.Limits.InterfaceVLANIDs.IDs {
				if id != 0 && len(ids) <= n {
					ids = append(ids, id)
				}
			}
			if len(ids) == 0 { // an untagged interface: any VLAN ID is accepted (INIT-017)
				for i := range n + 1 {
					ids = append(ids, uint16(100+i))
				}
			}
			if len(ids) < n+1 {
				Skip(fmt.Sprintf("the interface has fewer than %d VLAN IDs configured, so VLAN_MISMATCH would bind first", n+1))
			}
			limitAtLeast(s.Limits.NeighborEntries, n+1, "neighbor entries")
			roomFor(s, 3*(n+1))
			if len(ids) > 8 { // the first seven and the last are enough to show a partial match
				ids = append(ids[:7:7], ids[len(ids)-1])
			}
			tree := fixtures.NeighborsWithVLANs(ids...)
			out := s.Initiate(ctx, tree)
			neighbors := tree.Siblings()
			for _, v := range ndis.Walk(tree) {
				if v.Block != neighbors[n] {
					Expect(v.Block.Status).NotTo(Equal(ndis.StatusOffloadVLANEntries), harness.Because(rule, harness.Initiate, v.Path))
				}
			}
			Expect(neighbors[n].Status).To(BeElementOf(entryStatuses(ndis.StatusOffloadVLANEntries)), harness.Because(rule, harness.Initiate, out.Path(neighbors[n])))
		})
	})

	Context("when the interface VLAN ID is zero and a neighbor carries a VlanId", Capability("interfaceVLANIDs"), func() {
		It("does not fail the neighbor with NDIS_STATUS_OFFLOAD_VLAN_MISMATCH", Rule(rules.InitiateUntaggedInterfaceAcceptsVlanID), func(ctx SpecContext) {
			rule := rules.InitiateUntaggedInterfaceAcceptsVlanID
			if !s.Limits.InterfaceVLANIDs.Declared {
				Skip("target does not declare its interface VLAN IDs")
			}
			for _, id := range s.Limits.InterfaceVLANIDs.IDs {
				if id != 0 {
					Skip("the interface has VLAN IDs configured")
				}
			}
			tree := fixtures.NeighborsWithVLANs(77)
			out := s.Initiate(ctx, tree)
			Expect(tree.Status).NotTo(BeElementOf(vlanFailures(s)), harness.Because(rule, harness.Initiate, out.Path(tree)))
		})
	})

	Context("when the interface has VLAN IDs and a neighbor's VlanId is zero", Capability("interfaceVLANIDs"), func() {
		It("does not fail the neighbor with a VLAN status", Rule(rules.InitiateZeroVlanIDAccepted), func(ctx SpecContext) {
			rule := rules.InitiateZeroVlanIDAccepted
			configuredVLANs(s)
			tree := fixtures.NeighborsWithVLANs(0)
			out := s.Initiate(ctx, tree)
			Expect(tree.Status).NotTo(BeElementOf(ndis.StatusOffloadVLANMismatch, ndis.StatusOffloadVLANEntries), harness.Because(rule, harness.Initiate, out.Path(tree)))
		})
	})

	Context("when a neighbor's VlanId is one of the interface VLAN IDs", Capability("interfaceVLANIDs"), func() {
		It("does not fail the neighbor with NDIS_STATUS_OFFLOAD_VLAN_MISMATCH, whichever configured VLAN ID it carries", Rule(rules.InitiateMatchingVlanIDAccepted), func(ctx SpecContext) {
			rule := rules.InitiateMatchingVlanIDAccepted
			ids := configuredVLANs(s)
			// One neighbor per configured VLAN ID: the first on a fresh target must find room
			// for its VLAN ID; the later ones may run out of VLAN entries (INIT-016) but none
			// may mismatch.
			if len(ids) > 8 { // the first seven and the last are enough to show a partial match
				ids = append(ids[:7:7], ids[len(ids)-1])
			}
			tree := fixtures.NeighborsWithVLANs(ids...)
			out := s.Initiate(ctx, tree)
			Expect(tree.Status).NotTo(BeElementOf(vlanFailures(s)), harness.Because(rule, harness.Initiate, out.Path(tree)))
			for _, n := range tree.Siblings()[1:] {
				Expect(n.Status).NotTo(Equal(ndis.StatusOffloadVLANMismatch), harness.Because(rule, harness.Initiate, out.Path(n)))
			}
		})
	})

	Context("when a neighbor's VlanId is non-zero and none of the interface VLAN IDs", Capability("interfaceVLANIDs"), func() {
		It("writes NDIS_STATUS_OFFLOAD_VLAN_MISMATCH on the neighbor", Rule(rules.InitiateVlanMismatchStatus), func(ctx SpecContext) {
			rule := rules.InitiateVlanMismatchStatus
			tree := fixtures.NeighborsWithVLANs(0)
			failNeighbor(s, tree)
			out := s.Initiate(ctx, tree)
			Expect(tree.Status).To(Equal(ndis.StatusOffloadVLANMismatch), harness.Because(rule, harness.Initiate, out.Path(tree)))
			for _, v := range ndis.Walk(tree.DependentBlockList) {
				Expect(v.Block.Status).NotTo(Equal(ndis.StatusOffloadVLANMismatch), harness.Because(rule, harness.Initiate, out.Path(v.Block)))
			}
		})
	})
})

// connectionLimits are the declared limits that each bound how many connections a target can
// offload, with the status each stands for.
func connectionLimits(s *harness.Session) map[ndis.Status]target.Limit {
	return map[ndis.Status]target.Limit{
		ndis.StatusOffloadTCPEntries:    s.Limits.TCPEntries,
		ndis.StatusOffloadTCPXmitBuffer: s.Limits.TransmitBuffers,
		ndis.StatusOffloadTCPRcvBuffer:  s.Limits.ReceiveBuffers,
	}
}

// connectionCapacity returns the smallest declared connection bound and the statuses of the
// limits that have that value (the causes a connection past it may be failed for). It returns
// MaxInt when none is declared.
func connectionCapacity(s *harness.Session) (int, []ndis.Status) {
	m, binding := math.MaxInt, []ndis.Status(nil)
	for st, l := range connectionLimits(s) {
		switch {
		case !l.Declared:
		case int(l.Value) < m:
			m, binding = int(l.Value), []ndis.Status{st}
		case int(l.Value) == m:
			binding = append(binding, st)
		}
	}
	return m, binding
}

// checkConnectionLimit offloads one connection more than the smallest declared connection
// bound. The last connection must carry want when lim is (one of) the bounds that ran out, and
// must not carry it otherwise: the target still had what want says it lacked. No connection
// within the bound carries want.
func checkConnectionLimit(ctx SpecContext, s *harness.Session, rule *rules.Rule, lim target.Limit, want ndis.Status) {
	GinkgoHelper()
	needLimit(lim, fmt.Sprintf("the limit behind %s", want))
	m, binding := connectionCapacity(s)
	if m > 256 {
		Skip(fmt.Sprintf("the declared connection capacity (%d) is too large to exhaust in one tree", m))
	}
	limitAtLeast(s.Limits.PathEntries, 1, "path entries")
	limitAtLeast(s.Limits.NeighborEntries, 1, "neighbor entries")
	roomFor(s, m+3)
	tree := fixtures.ConnectionsOnOnePath(m + 1)
	out := s.Initiate(ctx, tree)
	conns := tree.DependentBlockList.Dependents()
	for _, c := range conns[:m] {
		Expect(c.Status).NotTo(Equal(want), harness.Because(rule, harness.Initiate, out.Path(c)))
	}
	last := conns[m]
	if int(lim.Value) == m {
		accepted := binding
		if interpretations().AcceptResourcesForEntryLimits {
			accepted = append(accepted, ndis.StatusResources)
		}
		Expect(last.Status).To(BeElementOf(accepted), harness.Because(rule, harness.Initiate, out.Path(last)))
		return
	}
	Expect(last.Status).NotTo(Equal(want), harness.Because(rule, harness.Initiate, out.Path(last)))
}

// checkLast requires the last of blocks to carry want (or NDIS_STATUS_RESOURCES under
// acceptResourcesForEntryLimits) and no other block of the tree to carry it.
func checkLast(out harness.Outcome, rule *rules.Rule, blocks []*ndis.MiniportOffloadBlockList, want ndis.Status) {
	GinkgoHelper()
	last := blocks[len(blocks)-1]
	for _, v := range ndis.Walk(out.Tree) {
		if v.Block != last {
			Expect(v.Block.Status).NotTo(Equal(want), harness.Because(rule, harness.Initiate, v.Path))
		}
	}
	Expect(last.Status).To(BeElementOf(entryStatuses(want)), harness.Because(rule, harness.Initiate, out.Path(last)))
}

// entryStatuses returns the statuses accepted when a declared entry or buffer limit is exceeded:
// the specific one, and NDIS_STATUS_RESOURCES under acceptResourcesForEntryLimits
// (CONFLICT-INIT-07).
func entryStatuses(specific ndis.Status) []ndis.Status {
	if interpretations().AcceptResourcesForEntryLimits {
		return []ndis.Status{specific, ndis.StatusResources}
	}
	return []ndis.Status{specific}
}

// vlanFailures are the statuses a neighbor must not get for a VlanId the interface accepts:
// VLAN_MISMATCH always, VLAN_ENTRIES too when the target declares room for a VLAN ID on a
// fresh target.
func vlanFailures(s *harness.Session) []ndis.Status {
	if l := s.Limits.VLANEntries; l.Declared && l.Value >= 1 {
		return []ndis.Status{ndis.StatusOffloadVLANMismatch, ndis.StatusOffloadVLANEntries}
	}
	return []ndis.Status{ndis.StatusOffloadVLANMismatch}
}

// limitAtLeast skips the spec when a declared limit is below n, so that it would bind before the
// cause the spec provokes.
func limitAtLeast(l target.Limit, n int, name string) {
	GinkgoHelper()
	if l.Declared && int(l.Value) < n {
		Skip(fmt.Sprintf("the declared %s (%d) bind before the spec's cause", name, l.Value))
	}
}

// acceptedVLANs returns sets times as many distinct VLAN IDs as the declared VLAN entries,
// each one the interface accepts (a configured one, or any on an untagged interface), skipping
// the spec when the interface has too few configured or the other declared limits leave no
// room for one more neighbor than the entries, each with a path and a connection.
func acceptedVLANs(s *harness.Session, sets int) []uint16 {
	GinkgoHelper()
	n := int(needLimit(s.Limits.VLANEntries, "VLAN entries"))
	if !s.Limits.InterfaceVLANIDs.Declared {
		Skip("target does not declare its interface VLAN IDs")
	}
	if n < 1 || n > 16 {
		Skip(fmt.Sprintf("the declared VLAN entries (%d) are outside what this spec fills (1..16)", n))
	}
	var ids []uint16
	for _, id := range s.Limits.InterfaceVLANIDs.IDs {
		if id != 0 && !slices.Contains(ids, id) && len(ids) < sets*n {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 { // an untagged interface: any VLAN ID is accepted (INIT-017)
		for i := range sets * n {
			ids = append(ids, uint16(100+i))
		}
	}
	if len(ids) < sets*n {
		Skip(fmt.Sprintf("the interface has fewer than %d VLAN IDs configured, so VLAN_MISMATCH would bind first", sets*n))
	}
	limitAtLeast(s.Limits.NeighborEntries, n+1, "neighbor entries")
	limitAtLeast(s.Limits.PathEntries, n+1, "path entries")
	if m, _ := connectionCapacity(s); m < n+1 {
		Skip(fmt.Sprintf("the declared connection capacity is below %d connections", n+1))
	}
	roomFor(s, 3*(n+1))
	return ids
}

// expectNoVLANEntries requires no neighbor of tree to carry NDIS_STATUS_OFFLOAD_VLAN_ENTRIES:
// its neighbors need no more distinct VLAN IDs than the declared VLAN entries.
func expectNoVLANEntries(out harness.Outcome, tree *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	for _, b := range tree.Siblings() {
		Expect(b.Status).NotTo(Equal(ndis.StatusOffloadVLANEntries), harness.Because(rules.InitiateVlanEntriesStatus, harness.Initiate, out.Path(b)))
	}
}
