package suites

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Specs of the state structures (ddi/ns-ndischimney-_*_offload_state_*.md): the values a
// target writes back into them on query and terminate, and how it applies cached state on
// update. The fixture connections exchange no traffic (the contract has no wire yet), so the
// delegated values that do not count time stay as offloaded; the state structures of every
// query and terminate tree are filled with poison values first (fixtures.Poison), so that a
// variable the target never wrote is seen.

var _ = Describe("MiniportQueryOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when the delegated state structures of an idle tree are queried", func() {
		stIdleDelegatedSpecs(func() *harness.Session { return s }, harness.Query, rules.QueryReturnsCurrentDelegatedValues,
			"writes into each delegated state structure the current values, which are those offloaded")

		It("overwrites SendBacklogSize with 0xFFFFFFFF or the target's send backlog size", Rule(rules.UnsupportedSendBacklogIsAllOnes), func(ctx SpecContext) {
			stNeedConnections(s, 2)
			out := stOffloadThen(ctx, s, harness.Query, stTwoIdleConnections(), fixtures.DelegatedOnly)
			for _, v := range stConnections(out) {
				Expect(v.Block.TCPDelegated.SendBacklogSize).NotTo(Equal(fixtures.Poison32), harness.Because(rules.UnsupportedSendBacklogIsAllOnes, harness.Query, v.Path)+
					"\nSendBacklogSize still holds the value the host left there: the target wrote neither 0xFFFFFFFF nor a backlog size")
			}
		})

		It("writes 0xFFFFFFFF, or 0 bytes buffered, into ReceiveBacklogSize", Rule(rules.UnsupportedReceiveBacklogIsAllOnes), func(ctx SpecContext) {
			stNeedConnections(s, 2)
			out := stOffloadThen(ctx, s, harness.Query, stTwoIdleConnections(), fixtures.DelegatedOnly)
			for _, v := range stConnections(out) {
				Expect(v.Block.TCPDelegated.ReceiveBacklogSize).To(BeElementOf(ndis.BacklogNotSupported, uint32(0)), harness.Because(rules.UnsupportedReceiveBacklogIsAllOnes, harness.Query, v.Path)+
					"\nthe connection has received no data, so a target that supports the feature reports 0 and one that does not writes 0xFFFFFFFF")
			}
		})

		It("writes 0xFFFFFFFF, or the number of buffered bytes, into ReceiveBacklogSize of a connection offloaded with buffered receive data", Rule(rules.UnsupportedReceiveBacklogIsAllOnes), func(ctx SpecContext) {
			data := []byte("receive data the host had buffered but not delivered")
			tree := fixtures.OneConnection()
			fixtures.WithBufferedReceiveData(fixtures.TCPBlock(tree), data)
			out := stOffloadThen(ctx, s, harness.Query, tree, fixtures.DelegatedOnly)
			got, path := stTCPDelegated(out)
			// The contract has no receive path, so the target can have delivered none of the
			// data it copied at offload: all of it is still buffered in the target.
			Expect(got.ReceiveBacklogSize).To(BeElementOf(ndis.BacklogNotSupported, uint32(len(data))), harness.Because(rules.UnsupportedReceiveBacklogIsAllOnes, harness.Query, path)+
				fmt.Sprintf("\nthe target holds the %d bytes of buffered receive data handed over at offload, so a target that supports the feature reports them and one that does not writes 0xFFFFFFFF", len(data)))
		})

		It("returns a keepalive timer that runs as running: KeepAlive.TimeoutDelta neither 0xFFFFFFFF nor above the time left at offload", Rule(rules.QueryReturnsCurrentDelegatedValues), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			fixtures.KeepAliveRunning(fixtures.TCPBlock(tree), 0, stLongDelta)
			out := stOffloadThen(ctx, s, harness.Query, tree, fixtures.DelegatedOnly)
			got, path := stTCPDelegated(out)
			because := harness.Because(rules.QueryReturnsCurrentDelegatedValues, harness.Query, path) +
				fmt.Sprintf("\nkeepalive is enabled and its timer was handed over running with %d ticks left; without traffic it counts down, and it is stopped (-1) only when not running", stLongDelta)
			Expect(got.KeepAlive.TimeoutDelta).NotTo(Equal(ndis.TimerNotRunning), because)
			Expect(got.KeepAlive.TimeoutDelta).To(BeNumerically("<=", stLongDelta), because)
		})
	})

	Context("when the keepalive and retransmit timers in the TCP delegated state structure were not running at offload", func() {
		It("returns 0xFFFFFFFF in KeepAlive.TimeoutDelta and Retransmit.TimeoutDelta", Rule(rules.StoppedTimerReturnedAsMinusOne), func(ctx SpecContext) {
			out := stOffloadThen(ctx, s, harness.Query, fixtures.OneConnection(), fixtures.DelegatedOnly)
			stExpectTimersStopped(harness.Query, out)
		})
	})

	Context("when the TCP delegated state structures of connections offloaded in each offloadable State are queried", func() {
		It("writes a TCP_OFFLOAD_CONNECTION_STATE from TcpConnectionClosed to TcpConnectionTimeWait into State", Rule(rules.ConnectionStateValues), func(ctx SpecContext) {
			stNeedConnections(s, len(fixtures.OffloadableStates))
			out := stOffloadThen(ctx, s, harness.Query, fixtures.ConnectionsInEveryOffloadableState(), fixtures.DelegatedOnly)
			stExpectStateValues(harness.Query, out)
		})
	})

	Context("when the TCP delegated state structure of a connection offloaded with send data and buffered receive data is queried", func() {
		It("leaves SendDataHead, SendDataTail and BufferedData NULL", Rule(rules.DelegatedUnionMembersByOperation), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			conn := fixtures.TCPBlock(tree)
			fixtures.WithSendData(conn, 100, 100, 200)
			fixtures.WithBufferedReceiveData(conn, []byte("buffered receive data"))
			out := stOffloadThen(ctx, s, harness.Query, tree, fixtures.DelegatedOnly)
			got, path := stTCPDelegated(out)
			because := harness.Because(rules.DelegatedUnionMembersByOperation, harness.Query, path)
			Expect(got.SendDataHead).To(BeNil(), because+"\nSendDataHead is used only in initiate and terminate; a query fills SendBacklogSize in its place")
			Expect(got.SendDataTail).To(BeNil(), because+"\nSendDataTail is used only in initiate and terminate; a query fills SendBacklogSize in its place")
			Expect(got.BufferedData).To(BeNil(), because+"\nBufferedData is used only in initiate and terminate; a query fills ReceiveBacklogSize in its place")
		})
	})

	Context("when the constant state structures of an offloaded tree are queried", func() {
		It("returns in each constant state structure exactly the values offloaded", Rule(rules.ConstantVariablesNeverChange), func(ctx SpecContext) {
			tree := fixtures.DualStack()
			offloaded := stCopies(tree)
			out := stOffloadThen(ctx, s, harness.Query, tree, fixtures.StateClasses{Const: true})
			stExpectSameState(rules.ConstantVariablesNeverChange, out, offloaded, stConst)
		})
	})

	Context("when the cached state structures of a freshly offloaded tree are queried", func() {
		It("returns in each cached state structure exactly the values offloaded", Rule(rules.TargetNeverChangesCachedVariables), func(ctx SpecContext) {
			tree := fixtures.DualStack()
			offloaded := stCopies(tree)
			out := stOffloadThen(ctx, s, harness.Query, tree, fixtures.StateClasses{Cached: true})
			stExpectSameState(rules.TargetNeverChangesCachedVariables, out, offloaded, stCached)
		})
	})

	// beyondCase is an update of one cached variable beyond a declared limit, which a target may
	// refuse (NDIS_STATUS_FAILURE) but, once it accepts it, must keep as the host wrote it.
	type beyondCase struct {
		need   func(s *harness.Session) string
		change func(s *harness.Session) func(*ndis.MiniportOffloadBlockList) any
	}
	DescribeTable("when the cached state structures are queried after an accepted update beyond a declared limit",
		func(ctx SpecContext, c beyondCase) {
			if reason := c.need(s); reason != "" {
				Skip(reason)
			}
			tree := fixtures.OneConnection()
			s.MustInitiate(ctx, tree)
			change := c.change(s)
			update := fixtures.UpdateTree(tree, func(b *ndis.MiniportOffloadBlockList) any {
				if v := change(b); v != nil {
					return v
				}
				return stSameCached(b)
			})
			updated := stCopies(update)
			out := s.Update(ctx, update)
			for _, b := range out.After.Blocks {
				if b.Members.Status != ndis.StatusSuccess {
					Skip(fmt.Sprintf("the target completed %s of the update with %s; the rule binds the values of an update it accepted", b.Path, b.Members.Status))
				}
			}
			q := s.MustDo(ctx, harness.Query, fixtures.Poison(fixtures.ReferenceTree(tree, fixtures.StateClasses{Cached: true})))
			stExpectSameState(rules.TargetNeverChangesCachedVariables, q, updated, stCached)
		},
		Entry("returns the InitialRcvWnd above MaxInitialRcvWnd as the host wrote it", Rule(rules.TargetNeverChangesCachedVariables), Capability("maxInitialRcvWnd"),
			beyondCase{need: updNeedMaxInitialRcvWnd, change: updRcvWndAboveMax}),
		Entry("returns the PathMtu above MaxPathMTU as the host wrote it", Rule(rules.TargetNeverChangesCachedVariables), Capability("maxPathMTU"),
			beyondCase{need: updNeedMaxPathMTU, change: updPathMTUAboveMax}),
	)

	Context("when the cached state structures are queried after an update of every layer", func() {
		It("returns in each cached state structure the values of the update, Flags included", Rule(rules.TargetNeverChangesCachedVariables), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			s.MustInitiate(ctx, tree)
			update := fixtures.UpdateTree(tree, stNewCached)
			updated := stCopies(update)
			s.MustDo(ctx, harness.Update, update)
			out := s.MustDo(ctx, harness.Query, fixtures.Poison(fixtures.ReferenceTree(tree, fixtures.StateClasses{Cached: true})))
			stExpectSameState(rules.TargetNeverChangesCachedVariables, out, updated, stCached)
		})
	})
})

var _ = Describe("MiniportTerminateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when an idle tree is terminated with its delegated state structures", func() {
		stIdleDelegatedSpecs(func() *harness.Session { return s }, harness.Terminate, rules.TerminateReturnsDelegatedValues,
			"writes into each delegated state structure the values of the terminated objects, which are those offloaded")
	})

	Context("when a connection whose keepalive and retransmit timers were not running at offload is terminated with its TCP delegated state structure", func() {
		It("returns 0xFFFFFFFF in KeepAlive.TimeoutDelta and Retransmit.TimeoutDelta", Rule(rules.StoppedTimerReturnedAsMinusOne), func(ctx SpecContext) {
			out := stOffloadThen(ctx, s, harness.Terminate, fixtures.OneConnection(), fixtures.DelegatedOnly)
			stExpectTimersStopped(harness.Terminate, out)
		})
	})

	Context("when connections offloaded in each offloadable State are terminated with their TCP delegated state structures", func() {
		It("writes a TCP_OFFLOAD_CONNECTION_STATE from TcpConnectionClosed to TcpConnectionTimeWait into State", Rule(rules.ConnectionStateValues), func(ctx SpecContext) {
			stNeedConnections(s, len(fixtures.OffloadableStates))
			out := stOffloadThen(ctx, s, harness.Terminate, fixtures.ConnectionsInEveryOffloadableState(), fixtures.DelegatedOnly)
			stExpectStateValues(harness.Terminate, out)
		})
	})

	Context("when a connection offloaded with outstanding send data is terminated with its TCP delegated state structure", func() {
		It("points SendDataHead and SendDataTail at the first and last NET_BUFFER_LIST of the block's NetBufferListChain", Rule(rules.SendDataHandBackHeadTail), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			fixtures.WithSendData(fixtures.TCPBlock(tree), 100, 100, 200, 300)
			out := stOffloadThen(ctx, s, harness.Terminate, tree, fixtures.DelegatedOnly)
			conn := fixtures.TCPBlock(out.Tree)
			path := out.Path(conn)
			chain := conn.NetBufferListChain.Chain()
			if len(chain) == 0 {
				Skip("the target completed all send data before the terminate, so its NetBufferListChain is NULL and SendDataHead/SendDataTail are not significant")
			}
			d := conn.TCPDelegated
			because := harness.Because(rules.SendDataHandBackHeadTail, harness.Terminate, path)
			Expect(d.SendDataHead).To(BeIdenticalTo(chain[0]), because+"\nSendDataHead must point to the first NET_BUFFER_LIST of NetBufferListChain")
			Expect(d.SendDataTail).To(BeIdenticalTo(chain[len(chain)-1]), because+"\nSendDataTail must point to the last NET_BUFFER_LIST of NetBufferListChain")
		})
	})

	Context("when a connection offloaded with buffered receive data is terminated with its TCP delegated state structure", func() {
		It("returns in BufferedData the buffered receive data the host handed over", Rule(rules.BufferedDataMeaning), func(ctx SpecContext) {
			data := []byte("receive data the host had buffered but not delivered")
			tree := fixtures.OneConnection()
			fixtures.WithBufferedReceiveData(fixtures.TCPBlock(tree), data)
			out := stOffloadThen(ctx, s, harness.Terminate, tree, fixtures.DelegatedOnly)
			got, path := stTCPDelegated(out)
			if got.BufferedData == nil {
				Skip("the target handed back no buffered receive data (BufferedData NULL); whether it had to is for the buffered-receive-data rules")
			}
			// The contract has no receive indication, so the target cannot have delivered any
			// of the data: what it hands back is all of it.
			Expect(stBytes(got.BufferedData)).To(Equal(data), harness.Because(rules.BufferedDataMeaning, harness.Terminate, path)+
				"\nBufferedData must point to the buffered receive data")
		})
	})
})

var _ = Describe("MiniportUpdateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when an update tree carries new cached state structures for a neighbor, a path and a connection", func() {
		It("leaves every cached state structure of the update tree as the host wrote it", Rule(rules.TargetNeverChangesCachedVariables), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			s.MustInitiate(ctx, tree)
			out := s.Update(ctx, fixtures.UpdateTree(tree, stNewCached))
			for _, c := range out.Changes() {
				if strings.Contains(c.Member, "Cached.") {
					harness.Failf(rules.TargetNeverChangesCachedVariables, harness.Update, c.Path, "the target changed %s from %v to %v", c.Member, c.Before, c.After)
				}
			}
		})
	})

	Context("when an update sets TCP_FLAG_KEEP_ALIVE_RESTART in the TCP cached state structure of a connection whose keepalive timer runs", func() {
		It("restarts the keepalive timer, so that KeepAlive.TimeoutDelta is above its running value and not above KaTimeout", Rule(rules.KeepAliveRestartFlagRestartsTimer), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			fixtures.KeepAliveRunning(fixtures.TCPBlock(tree), 0, stRunningDelta)
			var kaTimeout uint32
			got, path := stUpdateThenQuery(ctx, s, tree, func(c *ndis.TCPOffloadStateCached) {
				c.Flags |= ndis.TCPFlagKeepAliveRestart
				kaTimeout = c.KaTimeout
			})
			because := harness.Because(rules.KeepAliveRestartFlagRestartsTimer, harness.Query, path)
			Expect(got.KeepAlive.TimeoutDelta).To(BeNumerically(">", stRunningDelta), because+
				fmt.Sprintf("\nKeepAlive.TimeoutDelta was %d ticks before the update; a restarted timer has KaTimeout (%d) ticks to run", stRunningDelta, kaTimeout))
			Expect(got.KeepAlive.TimeoutDelta).To(BeNumerically("<=", kaTimeout), because+"\na restarted keepalive timer has at most KaTimeout ticks to run")
		})
	})

	Context("when an update sets TCP_FLAG_MAX_RT_RESTART in the TCP cached state structure, MaxRT staying 0", func() {
		It("resets the delegated TotalRT to zero", Rule(rules.MaxRTRestartFlagZeroesTotalRT), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			fixtures.TCPBlock(tree).TCPDelegated.TotalRT = stTotalRT
			got, path := stUpdateThenQuery(ctx, s, tree, func(c *ndis.TCPOffloadStateCached) {
				c.Flags |= ndis.TCPFlagMaxRTRestart
			})
			Expect(got.TotalRT).To(BeZero(), harness.Because(rules.MaxRTRestartFlagZeroesTotalRT, harness.Query, path)+
				fmt.Sprintf("\nTotalRT was %d at offload", stTotalRT))
		})
	})

	Context("when an update sets a non-zero MaxRT in the TCP cached state structure without TCP_FLAG_MAX_RT_RESTART", func() {
		It("resets the delegated TotalRT to zero", Rule(rules.NonZeroMaxRTResetsTotalRT), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			fixtures.TCPBlock(tree).TCPDelegated.TotalRT = stTotalRT
			got, path := stUpdateThenQuery(ctx, s, tree, func(c *ndis.TCPOffloadStateCached) {
				c.Flags &^= ndis.TCPFlagMaxRTRestart
				c.MaxRT = 5000
			})
			Expect(got.TotalRT).To(BeZero(), harness.Because(rules.NonZeroMaxRTResetsTotalRT, harness.Query, path)+
				fmt.Sprintf("\nTotalRT was %d at offload", stTotalRT))
		})
	})

	Context("when an update changes KaProbeCount in the TCP cached state structure with the keepalive reset flag set", func() {
		It("resets the delegated KeepAlive.ProbeCount to zero", Rule(rules.ResetKeepaliveProbeCount), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			fixtures.KeepAliveRunning(fixtures.TCPBlock(tree), 3, stRunningDelta)
			flag := stKeepaliveResetFlag()
			got, path := stUpdateThenQuery(ctx, s, tree, func(c *ndis.TCPOffloadStateCached) {
				c.Flags |= flag
				c.KaProbeCount = 5
			})
			Expect(got.KeepAlive.ProbeCount).To(BeZero(), harness.Because(rules.ResetKeepaliveProbeCount, harness.Query, path)+
				fmt.Sprintf("\nKeepAlive.ProbeCount was 3 at offload; the update set %s and changed KaProbeCount", stFlagName(flag)))
		})
	})

	Context("when an update changes KaTimeout and KaInterval in the TCP cached state structure with the keepalive reset flag set", func() {
		It("restarts KeepAlive.TimeoutDelta, so that it is above its running value and not above the new KaTimeout", Rule(rules.ResetKeepaliveTimeoutDelta), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			fixtures.KeepAliveRunning(fixtures.TCPBlock(tree), 0, stRunningDelta)
			flag := stKeepaliveResetFlag()
			const newTimeout, newInterval = 3600000, 2000
			got, path := stUpdateThenQuery(ctx, s, tree, func(c *ndis.TCPOffloadStateCached) {
				c.Flags |= flag
				c.KaTimeout, c.KaInterval = newTimeout, newInterval
			})
			because := harness.Because(rules.ResetKeepaliveTimeoutDelta, harness.Query, path) +
				fmt.Sprintf("\nKeepAlive.TimeoutDelta was %d ticks before the update, which set %s and KaTimeout %d", stRunningDelta, stFlagName(flag), newTimeout)
			Expect(got.KeepAlive.TimeoutDelta).To(BeNumerically(">", stRunningDelta), because)
			Expect(got.KeepAlive.TimeoutDelta).To(BeNumerically("<=", newTimeout), because)
		})
	})

	Context("when an update changes KaProbeCount, KaTimeout and KaInterval with neither restart flag set and MaxRT 0", func() {
		It("leaves the delegated KeepAlive.ProbeCount, KeepAlive.TimeoutDelta and TotalRT unreset", Rule(rules.NoResetWithoutRestartFlag), func(ctx SpecContext) {
			const probes = 3
			tree := fixtures.OneConnection()
			fixtures.KeepAliveRunning(fixtures.TCPBlock(tree), probes, stRunningDelta)
			fixtures.TCPBlock(tree).TCPDelegated.TotalRT = stTotalRT
			const newTimeout, newInterval = 3600000, 2000
			got, path := stUpdateThenQuery(ctx, s, tree, func(c *ndis.TCPOffloadStateCached) {
				c.Flags &^= ndis.TCPFlagKeepAliveRestart | ndis.TCPFlagMaxRTRestart
				c.MaxRT = 0
				c.KaProbeCount, c.KaTimeout, c.KaInterval = 5, newTimeout, newInterval
			})
			because := harness.Because(rules.NoResetWithoutRestartFlag, harness.Query, path) +
				fmt.Sprintf("\nat offload: KeepAlive.ProbeCount %d, KeepAlive.TimeoutDelta %d ticks, TotalRT %d; the update set neither restart flag", probes, stRunningDelta, stTotalRT)
			Expect(got.KeepAlive.ProbeCount).To(BeNumerically(">=", probes), because)
			Expect(got.KeepAlive.TimeoutDelta).To(BeNumerically("<=", max(stRunningDelta, newInterval)), because+
				"\na keepalive timer that was not restarted has counted down, or sent a probe and waits KaInterval")
			Expect(got.TotalRT).NotTo(BeZero(), because)
		})
	})
})

var _ = Describe("MiniportInitiateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when a tree of new offloads carries constant state structures", func() {
		It("leaves every constant state structure of the tree unchanged", Rule(rules.ConstantVariablesNeverChange), func(ctx SpecContext) {
			out := s.Initiate(ctx, fixtures.DualStack())
			for _, c := range out.Changes() {
				if strings.Contains(c.Member, "Const.") {
					harness.Failf(rules.ConstantVariablesNeverChange, harness.Initiate, c.Path, "the target changed %s from %v to %v", c.Member, c.Before, c.After)
				}
			}
		})
	})

	Context("when a tree of new offloads carries cached state structures", func() {
		It("leaves every cached state structure of the tree unchanged", Rule(rules.TargetNeverChangesCachedVariables), func(ctx SpecContext) {
			out := s.Initiate(ctx, fixtures.DualStack())
			for _, c := range out.Changes() {
				if strings.Contains(c.Member, "Cached.") {
					harness.Failf(rules.TargetNeverChangesCachedVariables, harness.Initiate, c.Path, "the target changed %s from %v to %v", c.Member, c.Before, c.After)
				}
			}
		})
	})

	Context("when a neighbor state structure carries a non-zero DlSourceAddress and the target declares no software-configurable MAC", func() {
		It("fails the neighbor offload, writing no success status into the neighbor block", Rule(rules.NonZeroDlSourceAddressNeedsConfigurableMAC), Capability("configurableSourceMAC"), func(ctx SpecContext) {
			mac := s.Limits.ConfigurableSourceMAC
			if !mac.Declared {
				Skip("target does not declare whether it supports software-configurable source MAC addresses")
			}
			if mac.Value {
				Skip("target declares software-configurable source MAC addresses; the rule binds targets without them")
			}
			tree := fixtures.NeighborOnly()
			tree.NeighborConst.DlSourceAddress = ndis.MAC(0x02, 0x00, 0x5e, 0x20, 0x00, 0x01)
			s.Initiate(ctx, tree)
			Expect(tree.Status).NotTo(BeElementOf(ndis.StatusSuccess, ndis.StatusOffloadPartialSuccess),
				harness.Because(rules.NonZeroDlSourceAddressNeedsConfigurableMAC, harness.Initiate, "neighbor[0]"))
		})
	})
})

// The operations other than query for which STATE-050 is checked, each on connections offloaded
// in every offloadable State.
var _ = Describe("MiniportUpdateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when the TCP cached state structures of connections offloaded in each offloadable State are updated", func() {
		It("completes the update with a Status in every connection block", Rule(rules.OperationsAllowedInAnyState), func(ctx SpecContext) {
			stNeedConnections(s, len(fixtures.OffloadableStates))
			tree := fixtures.ConnectionsInEveryOffloadableState()
			s.MustInitiate(ctx, tree)
			stExpectEveryStatus(harness.Update, s.Update(ctx, fixtures.UpdateTree(tree, stSameCached)))
		})
	})
})

var _ = Describe("MiniportQueryOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when every state structure of connections offloaded in each offloadable State is queried", func() {
		It("completes the query with a Status in every connection block", Rule(rules.OperationsAllowedInAnyState), func(ctx SpecContext) {
			stNeedConnections(s, len(fixtures.OffloadableStates))
			tree := fixtures.ConnectionsInEveryOffloadableState()
			s.MustInitiate(ctx, tree)
			stExpectEveryStatus(harness.Query, s.Query(ctx, fixtures.Poison(fixtures.ReferenceTree(tree, fixtures.AllClasses))))
		})
	})
})

var _ = Describe("MiniportInvalidateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when connections offloaded in each offloadable State of their TCP delegated state structure are invalidated", func() {
		It("completes the invalidate with a Status in every connection block", Rule(rules.OperationsAllowedInAnyState), func(ctx SpecContext) {
			stNeedConnections(s, len(fixtures.OffloadableStates))
			tree := fixtures.ConnectionsInEveryOffloadableState()
			s.MustInitiate(ctx, tree)
			stExpectEveryStatus(harness.Invalidate, s.Invalidate(ctx, fixtures.ReferenceTree(tree, fixtures.NoState)))
		})
	})
})

var _ = Describe("MiniportTerminateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when connections offloaded in each offloadable State are terminated with their delegated state structures", func() {
		It("completes the terminate with a Status in every connection block", Rule(rules.OperationsAllowedInAnyState), func(ctx SpecContext) {
			stNeedConnections(s, len(fixtures.OffloadableStates))
			tree := fixtures.ConnectionsInEveryOffloadableState()
			s.MustInitiate(ctx, tree)
			stExpectEveryStatus(harness.Terminate, s.Terminate(ctx, fixtures.Poison(fixtures.ReferenceTree(tree, fixtures.DelegatedOnly))))
		})
	})
})

// stRunningDelta is the KeepAlive.TimeoutDelta of a keepalive timer handed over as running: far
// below KaTimeout, so that a restarted timer is seen above it.
const stRunningDelta uint32 = 500

// stLongDelta is the KeepAlive.TimeoutDelta of a keepalive timer handed over as running with
// much time left (below the fixtures' KaTimeout), so that it cannot expire during a spec.
const stLongDelta uint32 = 3600000

// stTwoIdleConnections is one neighbor, one path and two connections, the first established
// and the second in TcpConnectionCloseWait: two states that only traffic leaves, so that a
// target reporting another connection's values, or one State for all, is seen.
func stTwoIdleConnections() *ndis.MiniportOffloadBlockList {
	tree := fixtures.ConnectionsOnOnePath(2)
	ndis.Walk(tree)[3].Block.TCPDelegated.State = ndis.TcpConnectionCloseWait
	return tree
}

// stConnections returns the blocks of the outcome's tree that carry a TCP delegated state
// structure, failing when there is none.
func stConnections(out harness.Outcome) []ndis.Visit {
	GinkgoHelper()
	var conns []ndis.Visit
	for _, v := range ndis.Walk(out.Tree) {
		if v.Block.TCPDelegated != nil {
			conns = append(conns, v)
		}
	}
	if len(conns) == 0 {
		Fail("[harness] the tree has no connection block with a TCP delegated state structure")
	}
	return conns
}

// stTotalRT is the TotalRT handed over where a spec checks that it is reset.
const stTotalRT uint32 = 40

// stIdleDelegatedSpecs declares, inside a Context of op's Describe, the specs of the delegated
// values an idle tree gets back from op (a query or a terminate): the values offloaded, on
// IPv4 and IPv6 paths, with SRtt and RttVar in their scaled form. rule is op's rule for
// returning delegated values; first is the text of its first spec.
func stIdleDelegatedSpecs(session func() *harness.Session, op harness.Op, rule *rules.Rule, first string) {
	It(first, Rule(rule), func(ctx SpecContext) {
		s := session()
		stNeedConnections(s, 2)
		tree := stTwoIdleConnections()
		offloaded := stCopies(tree)
		stExpectIdleDelegated(rule, stOffloadThen(ctx, s, op, tree, fixtures.DelegatedOnly), offloaded)
	})

	It("writes into the delegated state structures of connections on an IPv4 and an IPv6 path the values offloaded", Rule(rule), Capability("ipv6"), func(ctx SpecContext) {
		s := session()
		stNeedIPv6(s)
		tree := fixtures.DualStack()
		offloaded := stCopies(tree)
		stExpectIdleDelegated(rule, stOffloadThen(ctx, s, op, tree, fixtures.DelegatedOnly), offloaded)
	})

	It("returns SRtt as eight times the smoothed RTT, the scaled value offloaded", Rule(rules.SRttScaledByEight), func(ctx SpecContext) {
		tree := fixtures.OneConnection()
		want := fixtures.TCPBlock(tree).TCPDelegated.SRtt
		got, path := stTCPDelegated(stOffloadThen(ctx, session(), op, tree, fixtures.DelegatedOnly))
		Expect(got.SRtt).To(Equal(want), harness.Because(rules.SRttScaledByEight, op, path))
	})

	It("returns RttVar as four times the RTT variation, the scaled value offloaded", Rule(rules.RttVarScaledByFour), func(ctx SpecContext) {
		tree := fixtures.OneConnection()
		want := fixtures.TCPBlock(tree).TCPDelegated.RttVar
		got, path := stTCPDelegated(stOffloadThen(ctx, session(), op, tree, fixtures.DelegatedOnly))
		Expect(got.RttVar).To(Equal(want), harness.Because(rules.RttVarScaledByFour, op, path))
	})
}

// stOffloadThen offloads tree, requiring success, then hands a poisoned reference tree of the
// given classes to op (query or terminate), requiring every block to succeed, and returns its
// outcome.
func stOffloadThen(ctx context.Context, s *harness.Session, op harness.Op, tree *ndis.MiniportOffloadBlockList, classes fixtures.StateClasses) harness.Outcome {
	GinkgoHelper()
	s.MustInitiate(ctx, tree)
	return s.MustDo(ctx, op, fixtures.Poison(fixtures.ReferenceTree(tree, classes)))
}

// stUpdateThenQuery offloads tree, updates the cached state of its first connection with the
// offloaded values changed by change (the other blocks get their cached state unchanged), then
// queries the delegated state and returns the connection's TCP delegated state and its path.
func stUpdateThenQuery(ctx context.Context, s *harness.Session, tree *ndis.MiniportOffloadBlockList, change func(*ndis.TCPOffloadStateCached)) (ndis.TCPOffloadStateDelegated, string) {
	GinkgoHelper()
	s.MustInitiate(ctx, tree)
	conn := fixtures.TCPBlock(tree)
	s.MustDo(ctx, harness.Update, fixtures.UpdateTree(tree, func(b *ndis.MiniportOffloadBlockList) any {
		if b == conn {
			c := *b.TCPCached
			change(&c)
			return &c
		}
		return stSameCached(b)
	}))
	out := s.MustDo(ctx, harness.Query, fixtures.Poison(fixtures.ReferenceTree(tree, fixtures.DelegatedOnly)))
	return stTCPDelegated(out)
}

// stSameCached returns a copy of the cached state an initiate block offloaded, for an update
// tree that changes nothing.
func stSameCached(b *ndis.MiniportOffloadBlockList) any {
	switch {
	case b.NeighborCached != nil:
		c := *b.NeighborCached
		return &c
	case b.PathCached != nil:
		c := *b.PathCached
		return &c
	case b.TCPCached != nil:
		c := *b.TCPCached
		return &c
	}
	return nil
}

// stNewCached returns new cached state for an initiate block: every variable of each layer
// changed, the TCP cached Flags included.
func stNewCached(b *ndis.MiniportOffloadBlockList) any {
	switch {
	case b.NeighborCached != nil:
		c := *b.NeighborCached
		c.DlDestinationAddress = ndis.MAC(0x02, 0x00, 0x5e, 0x30, 0x00, 0x07)
		c.HostReachabilityDelta = 77
		return &c
	case b.PathCached != nil:
		c := *b.PathCached
		c.PathMTU = 1400
		return &c
	case b.TCPCached != nil:
		c := *b.TCPCached
		c.Flags = ndis.TCPFlagKeepAliveEnabled | ndis.TCPFlagMaxRTRestart
		c.InitialRcvWnd = 32768
		c.RcvIndicationSize = 4096
		c.KaProbeCount, c.KaTimeout, c.KaInterval = 5, 3600000, 2000
		c.MaxRT = 9000
		c.TtlOrHopLimit, c.TosOrTrafficClass, c.UserPriority = 100, 0x20, 5
		return &c
	}
	return nil
}

// stCopies returns, by walk path, a copy of every block of tree with copies of its state
// structures: the values as they were before the tree was handed over.
func stCopies(tree *ndis.MiniportOffloadBlockList) map[string]*ndis.MiniportOffloadBlockList {
	out := map[string]*ndis.MiniportOffloadBlockList{}
	for _, v := range ndis.Walk(tree) {
		b := *v.Block
		stCopyPtr(&b.NeighborConst)
		stCopyPtr(&b.NeighborCached)
		stCopyPtr(&b.NeighborDelegated)
		stCopyPtr(&b.PathConst)
		stCopyPtr(&b.PathCached)
		stCopyPtr(&b.PathDelegated)
		stCopyPtr(&b.TCPConst)
		stCopyPtr(&b.TCPCached)
		stCopyPtr(&b.TCPDelegated)
		out[v.Path] = &b
	}
	return out
}

func stCopyPtr[T any](p **T) {
	if *p != nil {
		v := **p
		*p = &v
	}
}

// stClass selects one class of state structure of a block.
type stClass int

const (
	stConst stClass = iota + 1
	stCached
)

// stStructures returns, by name, the state structures of class c that follow b, each with its
// header cleared (the header is the host's; only the variables are compared).
func stStructures(b *ndis.MiniportOffloadBlockList, c stClass) map[string]any {
	out := map[string]any{}
	switch c {
	case stConst:
		if p := b.NeighborConst; p != nil {
			v := *p
			v.Header = ndis.OffloadStateHeader{}
			out["NeighborConst"] = v
		}
		if p := b.PathConst; p != nil {
			v := *p
			v.Header = ndis.OffloadStateHeader{}
			out["PathConst"] = v
		}
		if p := b.TCPConst; p != nil {
			v := *p
			v.Header = ndis.OffloadStateHeader{}
			out["TCPConst"] = v
		}
	case stCached:
		if p := b.NeighborCached; p != nil {
			v := *p
			v.Header = ndis.OffloadStateHeader{}
			out["NeighborCached"] = v
		}
		if p := b.PathCached; p != nil {
			v := *p
			v.Header = ndis.OffloadStateHeader{}
			out["PathCached"] = v
		}
		if p := b.TCPCached; p != nil {
			v := *p
			v.Header = ndis.OffloadStateHeader{}
			out["TCPCached"] = v
		}
	}
	return out
}

// stExpectSameState requires every state structure of class c in the outcome's tree to hold
// the values want holds for the block at the same path.
func stExpectSameState(rule *rules.Rule, out harness.Outcome, want map[string]*ndis.MiniportOffloadBlockList, c stClass) {
	GinkgoHelper()
	for _, v := range ndis.Walk(out.Tree) {
		w, ok := want[v.Path]
		if !ok {
			continue
		}
		got, exp := stStructures(v.Block, c), stStructures(w, c)
		if len(got) == 0 || len(got) != len(exp) {
			Fail(fmt.Sprintf("[harness] %s: the tree handed over does not carry the state structures to compare", v.Path))
		}
		for name, g := range got {
			var diffs []string
			gv, ev := reflect.ValueOf(g), reflect.ValueOf(exp[name])
			for i := 0; i < gv.NumField(); i++ {
				if a, b := gv.Field(i).Interface(), ev.Field(i).Interface(); !reflect.DeepEqual(a, b) {
					diffs = append(diffs, fmt.Sprintf("%s.%s = %v, want %v", name, gv.Type().Field(i).Name, a, b))
				}
			}
			if len(diffs) > 0 {
				harness.Failf(rule, out.Op, v.Path, "%s", strings.Join(diffs, "; "))
			}
		}
	}
}

// stExpectIdleDelegated requires every delegated state structure of the outcome's tree to hold
// the current values of an object that has exchanged no traffic since it was offloaded with
// the values in offloaded: the values offloaded for every variable that does not count time,
// and a written value for those that do (NicReachabilityDelta, TsRecentAge, TsTime, and the
// timer deltas, whose -1 convention is STATE-060's).
func stExpectIdleDelegated(rule *rules.Rule, out harness.Outcome, offloaded map[string]*ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	checked := 0
	for _, v := range ndis.Walk(out.Tree) {
		w := offloaded[v.Path]
		var diffs []string
		same := func(name string, got, want any) {
			if !reflect.DeepEqual(got, want) {
				diffs = append(diffs, fmt.Sprintf("%s = %v, want %v", name, got, want))
			}
		}
		written := func(name string, got, poison any) {
			if reflect.DeepEqual(got, poison) {
				diffs = append(diffs, fmt.Sprintf("%s = %#x, the poison the host left there: never written", name, got))
			}
		}
		if g := v.Block.NeighborDelegated; g != nil {
			checked++
			written("NeighborDelegated.NicReachabilityDelta", g.NicReachabilityDelta, fixtures.Poison32)
		}
		if v.Block.PathDelegated != nil {
			checked++ // PATH_OFFLOAD_STATE_DELEGATED has no variable to write
		}
		if g := v.Block.TCPDelegated; g != nil && w != nil && w.TCPDelegated != nil {
			checked++
			e := w.TCPDelegated
			same("TCPDelegated.State", g.State, e.State)
			same("TCPDelegated.RcvNxt", g.RcvNxt, e.RcvNxt)
			same("TCPDelegated.RcvWnd", g.RcvWnd, e.RcvWnd)
			same("TCPDelegated.SndUna", g.SndUna, e.SndUna)
			same("TCPDelegated.SndNxt", g.SndNxt, e.SndNxt)
			same("TCPDelegated.SndMax", g.SndMax, e.SndMax)
			same("TCPDelegated.SndWnd", g.SndWnd, e.SndWnd)
			same("TCPDelegated.MaxSndWnd", g.MaxSndWnd, e.MaxSndWnd)
			same("TCPDelegated.SendWL1", g.SendWL1, e.SendWL1)
			same("TCPDelegated.CWnd", g.CWnd, e.CWnd)
			same("TCPDelegated.SsThresh", g.SsThresh, e.SsThresh)
			same("TCPDelegated.SRtt", g.SRtt, e.SRtt)
			same("TCPDelegated.RttVar", g.RttVar, e.RttVar)
			same("TCPDelegated.TsRecent", g.TsRecent, e.TsRecent)
			same("TCPDelegated.TotalRT", g.TotalRT, e.TotalRT)
			same("TCPDelegated.DupAckCount", g.DupAckCount, e.DupAckCount)
			same("TCPDelegated.SndWndProbeCount", g.SndWndProbeCount, e.SndWndProbeCount)
			same("TCPDelegated.KeepAlive.ProbeCount", g.KeepAlive.ProbeCount, e.KeepAlive.ProbeCount)
			same("TCPDelegated.Retransmit.Count", g.Retransmit.Count, e.Retransmit.Count)
			written("TCPDelegated.TsRecentAge", g.TsRecentAge, fixtures.Poison32)
			written("TCPDelegated.TsTime", g.TsTime, fixtures.Poison32)
			written("TCPDelegated.KeepAlive.TimeoutDelta", g.KeepAlive.TimeoutDelta, fixtures.Poison32)
			written("TCPDelegated.Retransmit.TimeoutDelta", g.Retransmit.TimeoutDelta, fixtures.Poison32)
		}
		if len(diffs) > 0 {
			harness.Failf(rule, out.Op, v.Path, "%s\n  (no traffic has been exchanged since the offload, so every variable that does not count time "+
				"still has the value offloaded; the fields were poisoned before the tree was handed over)", strings.Join(diffs, "; "))
		}
	}
	if checked < 3 {
		Fail("[harness] the tree handed over carries no delegated state structures")
	}
}

// stTCPDelegated returns the TCP delegated state of the first connection of the outcome's tree
// and the connection's path.
func stTCPDelegated(out harness.Outcome) (ndis.TCPOffloadStateDelegated, string) {
	GinkgoHelper()
	b := fixtures.TCPBlock(out.Tree)
	if b == nil || b.TCPDelegated == nil {
		Fail("[harness] the tree has no connection block with a TCP delegated state structure")
	}
	return *b.TCPDelegated, out.Path(b)
}

// stExpectTimersStopped requires -1 in both timer deltas of every connection of the outcome.
func stExpectTimersStopped(op harness.Op, out harness.Outcome) {
	GinkgoHelper()
	for _, v := range ndis.Walk(out.Tree) {
		if d := v.Block.TCPDelegated; d != nil {
			because := harness.Because(rules.StoppedTimerReturnedAsMinusOne, op, v.Path)
			Expect(d.KeepAlive.TimeoutDelta).To(Equal(ndis.TimerNotRunning), because+
				"\nkeepalive is disabled (TCP_FLAG_KEEP_ALIVE_ENABLED clear) and its timer was handed over as not running (-1)")
			Expect(d.Retransmit.TimeoutDelta).To(Equal(ndis.TimerNotRunning), because+
				"\nno send data is outstanding and the retransmit timer was handed over as not running (-1)")
		}
	}
}

// stExpectStateValues requires every connection's State to be one of the eleven
// TCP_OFFLOAD_CONNECTION_STATE values.
func stExpectStateValues(op harness.Op, out harness.Outcome) {
	GinkgoHelper()
	n := 0
	for _, v := range ndis.Walk(out.Tree) {
		if d := v.Block.TCPDelegated; d != nil {
			n++
			Expect(d.State).To(BeNumerically("<=", ndis.TcpConnectionTimeWait), harness.Because(rules.ConnectionStateValues, op, v.Path)+
				fmt.Sprintf("\nState = %s is not a TCP_OFFLOAD_CONNECTION_STATE from TcpConnectionClosed (0) to TcpConnectionTimeWait (10)", d.State))
		}
	}
	if n != len(fixtures.OffloadableStates) {
		Fail("[harness] the tree does not carry a TCP delegated state structure for every connection")
	}
}

// stExpectEveryStatus requires a Status written into every connection block of the outcome.
func stExpectEveryStatus(op harness.Op, out harness.Outcome) {
	GinkgoHelper()
	for _, b := range out.After.Blocks {
		if b.Block.Layer() == ndis.LayerTCP {
			Expect(b.Members.Status).NotTo(Equal(harness.StatusUnwritten), harness.Because(rules.OperationsAllowedInAnyState, op, b.Path))
		}
	}
}

// stKeepaliveResetFlag returns the cached flag that resets the keepalive state on update under
// the reading selected in ginkgo.yml (CONFLICT-UPD-02).
func stKeepaliveResetFlag() uint16 {
	if interpretations().KeepaliveResetFlag == config.ResetOnKeepAliveRestart {
		return ndis.TCPFlagKeepAliveRestart
	}
	return ndis.TCPFlagMaxRTRestart
}

func stFlagName(f uint16) string {
	if f == ndis.TCPFlagKeepAliveRestart {
		return "TCP_FLAG_KEEP_ALIVE_RESTART"
	}
	return "TCP_FLAG_MAX_RT_RESTART"
}

// stBytes returns the data bytes of a chain of NET_BUFFER_LISTs.
func stBytes(l *ndis.NetBufferList) []byte {
	var buf bytes.Buffer
	for _, n := range l.Chain() {
		for nb := n.FirstNetBuffer; nb != nil; nb = nb.Next {
			buf.Write(nb.Data)
		}
	}
	return buf.Bytes()
}

// stNeedIPv6 skips the running spec when the target does not declare IPv6 offload.
func stNeedIPv6(s *harness.Session) {
	GinkgoHelper()
	if !s.Info.Capabilities.TCPConnectionOffload.SupportIPv6 {
		Skip("target does not declare IPv6 offload")
	}
}

// stNeedConnections skips the running spec when a declared limit does not allow one neighbor,
// one path and n connections offloaded at once.
func stNeedConnections(s *harness.Session, n int) {
	GinkgoHelper()
	lim := s.Limits
	for _, l := range []struct {
		name  string
		limit target.Limit
		need  int
	}{
		{"tcpEntries", lim.TCPEntries, n},
		{"transmitBuffers", lim.TransmitBuffers, n},
		{"receiveBuffers", lim.ReceiveBuffers, n},
		{"hostMemoryObjects", lim.HostMemoryObjects, n + 2},
	} {
		if l.limit.Declared && int(l.limit.Value) < l.need {
			Skip(fmt.Sprintf("the target declares %s = %d, fewer than the %d this spec offloads at once", l.name, l.limit.Value, l.need))
		}
	}
}
