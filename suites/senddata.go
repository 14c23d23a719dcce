package suites

import (
	"fmt"
	"strings"

	"github.com/ndis-chimney/conformance/fixtures"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Outstanding send data: the NET_BUFFER_LIST chain handed over with a connection at initiate,
// and how each list comes back, at terminate or through NdisTcpOffloadSendComplete
// (concepts/handling-outstanding-send-data-during-and-after-an-offload-operation.md,
// concepts/handling-outstanding-send-data-during-a-terminate-offload-operation.md,
// ddi/nf-ndischimney-ndismterminateoffloadcomplete.md).

// sendSizes are the data lengths of the lists a connection hands over: several lists, so
// that order, head and tail are visible, of different lengths, so that a sequence number
// placed on the wrong list is visible.
var sendSizes = []int{500, 700, 300}

// sendSent is how many of the first bytes the host already sent (SndUna..SndNxt).
const sendSent = 100

// sendSeqCanary is written into SndUna, SndNxt and SndMax of the terminate tree before it is
// handed over: far outside any sequence number of fixture connections, so that a value the
// target never wrote is seen.
const sendSeqCanary = fixtures.InitialSeq + 0xC0000000

// sendReading holds the readings the send-data specs take of the conflicts that name a switch.
// ginkgo.yml has no keys for them yet, so sendReadings returns the catalog's readings; once the
// keys exist under interpretations:, sendReadings reads them from interpretations().
type sendReading struct {
	// InitiateChainReturnable (CONFLICT-SEND-04, initiateSendDataReturnableAtTerminate): lists
	// of a successful initiate's chain may be handed back at terminate, like lists of
	// MiniportTcpOffloadSend calls. Otherwise they must all be send-completed.
	InitiateChainReturnable bool
	// MappingAtTerminate (CONFLICT-SEND-08, terminateChainStartsAtSndUna): the SndUna, SndNxt
	// and SndMax returned with a handed-back chain locate its bytes as at initiate.
	MappingAtTerminate bool
	// FailRestByPostedOrder (CONFLICT-SEND-11, failRestByPostedOrder): "later" lists are later in
	// the order they were handed over; otherwise, later in the same NdisTcpOffloadSendComplete call.
	FailRestByPostedOrder bool
}

func sendReadings() sendReading {
	in := interpretations()
	return sendReading{
		InitiateChainReturnable: !in.InitiateSendDataOnlySendCompleted,
		MappingAtTerminate:      !in.TerminateSndUnaAnywhereInChain,
		FailRestByPostedOrder:   !in.FailRestWithinOneCompletion,
	}
}

// sendSkipUnlessReturnable skips a spec about lists handed back at terminate when the selected
// reading of CONFLICT-SEND-04 has the target send-complete every list of the initiate chain:
// only lists of MiniportTcpOffloadSend calls, which need the data path, are handed back then.
func sendSkipUnlessReturnable() {
	if !sendReadings().InitiateChainReturnable {
		Skip("ginkgo.yml reads CONFLICT-SEND-04 as: lists of the initiate chain are never handed back at terminate; " +
			"only lists of MiniportTcpOffloadSend calls are, and the suite does not drive the data path yet")
	}
}

// sendConnections returns the TCP blocks of an initiate tree that carry state (new offloads, or
// linkers once the target wrote their contexts).
func sendConnections(tree *ndis.MiniportOffloadBlockList) []*ndis.MiniportOffloadBlockList {
	var out []*ndis.MiniportOffloadBlockList
	for _, v := range ndis.Walk(tree) {
		if v.Layer == ndis.LayerTCP && v.Block.Role() != ndis.RolePlaceholder {
			out = append(out, v.Block)
		}
	}
	return out
}

// sendOffload gives every connection of tree outstanding send data and offloads it.
func sendOffload(ctx SpecContext, s *harness.Session, tree *ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	for _, c := range sendConnections(tree) {
		fixtures.WithSendData(c, sendSent, sendSizes...)
	}
	s.MustInitiate(ctx, tree)
}

// sendOneListSize is the data length of the single list the second connection of the mixed
// tree hands over: one list, so that SendDataHead and SendDataTail name the same list.
const sendOneListSize = 400

// sendOffloadMixed offloads three connections on one path: the first with the lists of
// sendSizes, the second with one list, the third with no outstanding send data. A target
// that handles send data right for one shape only (several lists, one list, none, the first
// connection of a path) is seen on one of them. It returns the tree and its connections.
func sendOffloadMixed(ctx SpecContext, s *harness.Session) (*ndis.MiniportOffloadBlockList, []*ndis.MiniportOffloadBlockList) {
	GinkgoHelper()
	for _, l := range []struct {
		name  string
		limit target.Limit
	}{{"tcpEntries", s.Limits.TCPEntries}, {"transmitBuffers", s.Limits.TransmitBuffers}, {"receiveBuffers", s.Limits.ReceiveBuffers}} {
		if l.limit.Declared && l.limit.Value < 3 {
			Skip(fmt.Sprintf("the target declares %s = %d, fewer than the three connections this spec offloads", l.name, l.limit.Value))
		}
	}
	tree := fixtures.ConnectionsOnOnePath(3)
	conns := sendConnections(tree)
	fixtures.WithSendData(conns[0], sendSent, sendSizes...)
	fixtures.WithSendData(conns[1], sendSent, sendOneListSize)
	s.MustInitiate(ctx, tree)
	return tree, conns
}

// sendTerminate terminates everything offloaded for an initiate tree, with the send sequence
// variables of the delegated structures pre-filled with sendSeqCanary and the
// NetBufferListChain of every TCP block with a list of its own (sendUnsetChain): the target
// sets the member in the terminate completion (SEND-041), and a NULL the host left there
// would not show a target that never does.
func sendTerminate(ctx SpecContext, s *harness.Session, initiated *ndis.MiniportOffloadBlockList) harness.Outcome {
	GinkgoHelper()
	term := fixtures.ReferenceTree(initiated, fixtures.DelegatedOnly)
	for _, b := range ndis.Blocks(term) {
		if d := b.TCPDelegated; d != nil {
			d.SndUna, d.SndNxt, d.SndMax = sendSeqCanary, sendSeqCanary, sendSeqCanary
			b.NetBufferListChain = &ndis.NetBufferList{Status: sendUnsetChain}
		}
	}
	return s.Terminate(ctx, term)
}

// sendUnsetChain is the Status of the list sendTerminate leaves in NetBufferListChain, so that
// a failure shows the member was never set.
const sendUnsetChain ndis.Status = 0x0B1C0000

// sendSync counts the send completions made so far in the ledger, failing the spec for a list
// the host never handed over.
func sendSync(s *harness.Session) {
	GinkgoHelper()
	for _, l := range s.SyncSendCompletions() {
		harness.Failf(rules.SendCompleteOnlyOwnedNBLs, 0, "", "NdisTcpOffloadSendComplete returned %s, which the host never handed over", l)
	}
}

// sendBlockAt returns the block at path in a snapshot.
func sendBlockAt(snap harness.Snapshot, path string) harness.BlockSnapshot {
	GinkgoHelper()
	for _, b := range snap.Blocks {
		if b.Path == path {
			return b
		}
	}
	Fail(fmt.Sprintf("[harness] no block %s in the tree handed back", path))
	return harness.BlockSnapshot{}
}

// sendDelegated returns the TCP delegated state a block snapshot holds, if any.
func sendDelegated(b harness.BlockSnapshot) (ndis.TCPOffloadStateDelegated, bool) {
	for _, st := range b.States {
		if d, ok := st.(ndis.TCPOffloadStateDelegated); ok {
			return d, true
		}
	}
	return ndis.TCPOffloadStateDelegated{}, false
}

// sendStatuses returns, for every list passed to NdisTcpOffloadSendComplete so far, the Status
// it carried in its first send completion.
func sendStatuses(s *harness.Session) map[*ndis.NetBufferList]ndis.Status {
	out := map[*ndis.NetBufferList]ndis.Status{}
	for _, c := range s.Host.SendCompletions() {
		for i, l := range c.Lists {
			if _, seen := out[l]; !seen {
				out[l] = c.Statuses[i]
			}
		}
	}
	return out
}

// sendEnd returns the sequence number one past the last byte of the list at index in a
// connection's original chain.
func sendEnd(entries []harness.LedgerEntry, index int) ndis.SeqNum {
	n := 0
	for _, e := range entries[:index+1] {
		n += e.List.DataLength()
	}
	return fixtures.InitialSeq.Add(uint32(n))
}

// sendHandedBack returns the ledger entries of the lists chained from a block handed back, in
// chain order, and the lists the ledger does not know.
func sendHandedBack(s *harness.Session, b harness.BlockSnapshot) (known []harness.LedgerEntry, unknown []*ndis.NetBufferList) {
	for _, l := range b.Chain {
		if e, ok := s.Ledger.Entry(l.List); ok {
			known = append(known, e)
		} else {
			unknown = append(unknown, l.List)
		}
	}
	return known, unknown
}

func sendNames(entries []harness.LedgerEntry) string {
	parts := make([]string, len(entries))
	for i, e := range entries {
		parts[i] = fmt.Sprintf("%s (#%d of its chain)", e.List, e.Index)
	}
	return strings.Join(parts, ", ")
}

var _ = Describe("MiniportTerminateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	Context("when connections offloaded with three lists, one list and no outstanding send data are terminated together", func() {
		It("has returned every list, send-completed or in NetBufferListChain, by the time it calls NdisMTerminateOffloadComplete", Rule(rules.SendDataNoneLeftAtTerminateCompletion), func(ctx SpecContext) {
			tree, conns := sendOffloadMixed(ctx, s)
			term := sendTerminate(ctx, s, tree)
			sendSync(s)
			// What had come back when the terminate completion arrived: send completions recorded
			// before it, and the lists chained in the tree it handed back.
			back := map[*ndis.NetBufferList]bool{}
			for _, c := range s.Host.SendCompletions()[:term.Event.SendsBefore] {
				for _, l := range c.Lists {
					back[l] = true
				}
			}
			for _, b := range term.After.Blocks {
				for _, l := range b.Chain {
					back[l.List] = true
				}
			}
			for _, conn := range conns {
				for _, e := range s.Ledger.Of(conn) {
					if e.Owner == harness.OwnedByTarget && !back[e.List] {
						harness.Failf(rules.SendDataNoneLeftAtTerminateCompletion, harness.Terminate, ndis.PathOf(tree, conn),
							"%s (#%d of the initiate chain) was neither send-completed nor handed back when NdisMTerminateOffloadComplete was called", e.List, e.Index)
					}
				}
			}
		})

		It("returns every list of the initiate chain, through NdisTcpOffloadSendComplete or in NetBufferListChain", Rule(rules.SendDataReturnedAfterSuccessfulOffload), func(ctx SpecContext) {
			tree, _ := sendOffloadMixed(ctx, s)
			sendTerminate(ctx, s, tree)
			missing := func() []string {
				sendSync(s)
				var out []string
				for _, e := range s.Ledger.All() {
					switch {
					case e.Owner != harness.OwnedByTarget:
					case e.Returns() == 0:
						out = append(out, e.List.String()+" never came back")
					case e.SendCompleted == 0 && !sendReadings().InitiateChainReturnable:
						out = append(out, e.List.String()+" was handed back at terminate instead of send-completed (CONFLICT-SEND-04 as ginkgo.yml reads it)")
					}
				}
				return out
			}
			Eventually(missing).WithContext(ctx).WithTimeout(s.Timing.Completion).Should(BeEmpty(),
				harness.Because(rules.SendDataReturnedAfterSuccessfulOffload, harness.Terminate, ""))
		})

		It("returns no list twice, neither twice in the same way nor both send-completed and handed back", Rule(rules.SendDataEachNBLReturnedOnce), func(ctx SpecContext) {
			tree, _ := sendOffloadMixed(ctx, s)
			sendTerminate(ctx, s, tree)
			sendSync(s)
			for _, e := range s.Ledger.All() {
				if e.Returns() > 1 {
					harness.Failf(rules.SendDataEachNBLReturnedOnce, harness.Terminate, ndis.PathOf(tree, e.Connection),
						"%s came back %d times (send-completed %d, handed back %d)", e.List, e.Returns(), e.SendCompleted, e.HandedBack)
				}
			}
		})

		It("chains back in NetBufferListChain only the NET_BUFFER_LISTs the host handed over", Rule(rules.SendDataHandBackHostNBLs), func(ctx SpecContext) {
			sendSkipUnlessReturnable()
			tree, _ := sendOffloadMixed(ctx, s)
			out := sendTerminate(ctx, s, tree)
			for _, b := range out.After.Blocks {
				_, unknown := sendHandedBack(s, b)
				for _, l := range unknown {
					harness.Failf(rules.SendDataHandBackHostNBLs, harness.Terminate, b.Path,
						"NetBufferListChain holds %s, which is not a list the host handed over (a copy or a list of the target's own)", l)
				}
			}
		})

		It("links the lists it hands back in NetBufferListChain in their original order", Rule(rules.SendDataHandBackOriginalOrder), func(ctx SpecContext) {
			sendSkipUnlessReturnable()
			tree, _ := sendOffloadMixed(ctx, s)
			out := sendTerminate(ctx, s, tree)
			for _, b := range out.After.Blocks {
				known, _ := sendHandedBack(s, b)
				for i := 1; i < len(known); i++ {
					if known[i].Connection == known[i-1].Connection && known[i].Index <= known[i-1].Index {
						harness.Failf(rules.SendDataHandBackOriginalOrder, harness.Terminate, b.Path,
							"NetBufferListChain links %s; the initiate chain had them in increasing order", sendNames(known))
					}
				}
			}
		})

		It("sets SendDataHead to the first list of NetBufferListChain and SendDataTail to its last", Rule(rules.SendDataHandBackHeadTail), func(ctx SpecContext) {
			sendSkipUnlessReturnable()
			tree, _ := sendOffloadMixed(ctx, s)
			out := sendTerminate(ctx, s, tree)
			handed := 0
			for _, b := range out.After.Blocks {
				d, ok := sendDelegated(b)
				if !ok || len(b.Chain) == 0 {
					continue // SendDataHead/SendDataTail mean nothing with a NULL chain (SEND-042)
				}
				handed++
				if first := b.Chain[0].List; d.SendDataHead != first {
					harness.Failf(rules.SendDataHandBackHeadTail, harness.Terminate, b.Path,
						"SendDataHead = %s, want %s, the list NetBufferListChain points to", d.SendDataHead, first)
				}
				last := b.Chain[len(b.Chain)-1].List
				for i := len(b.Chain) - 1; i > 0 && b.Chain[i].List.DataLength() == 0; i-- {
					last = b.Chain[i-1].List // the tail is the last list that carries data
				}
				if d.SendDataTail != last {
					harness.Failf(rules.SendDataHandBackHeadTail, harness.Terminate, b.Path,
						"SendDataTail = %s, want %s, the last list of NetBufferListChain that carries data", d.SendDataTail, last)
				}
			}
			if handed == 0 {
				Skip("the target handed back no send data (it send-completed every list), so SendDataHead and SendDataTail carry nothing")
			}
		})

		It("returns SndUna at the first byte of the handed-back chain, and SndNxt and SndMax within or at the end of its data", Rule(rules.SendDataHandBackSequenceMapping), func(ctx SpecContext) {
			sendSkipUnlessReturnable()
			if !sendReadings().MappingAtTerminate {
				Skip("ginkgo.yml reads CONFLICT-SEND-08 as: the pages give no mapping of SndUna, SndNxt and SndMax onto a handed-back chain")
			}
			tree, _ := sendOffloadMixed(ctx, s)
			out := sendTerminate(ctx, s, tree)
			handed := 0
			for _, b := range out.After.Blocks {
				d, ok := sendDelegated(b)
				known, _ := sendHandedBack(s, b)
				if !ok || len(known) == 0 {
					continue
				}
				handed++
				// The first byte of the returned chain is the first byte of its earliest list in
				// the original chain: the lists before that one were completed.
				first := known[0].Index
				length := 0
				for _, e := range known {
					first = min(first, e.Index)
					length += e.List.DataLength()
				}
				entries := s.Ledger.Of(known[0].Connection)
				start := fixtures.InitialSeq
				if first > 0 {
					start = sendEnd(entries, first-1)
				}
				end := start.Add(uint32(length))
				why := harness.Because(rules.SendDataHandBackSequenceMapping, harness.Terminate, b.Path)
				Expect(d.SndUna).To(Equal(start), why+fmt.Sprintf("\n  SndUna is not the sequence number of the first byte of the returned chain %s", sendNames(known)))
				for _, v := range []struct {
					name string
					seq  ndis.SeqNum
				}{{"SndNxt", d.SndNxt}, {"SndMax", d.SndMax}} {
					if !start.LessThanEq(v.seq) || !v.seq.LessThanEq(end) {
						harness.Failf(rules.SendDataHandBackSequenceMapping, harness.Terminate, b.Path,
							"%s = %#x lies outside the returned data [%#x, %#x] (%d bytes from SndUna)", v.name, uint32(v.seq), uint32(start), uint32(end), length)
					}
				}
			}
			if handed == 0 {
				Skip("the target handed back no send data (it send-completed every list), so there is no chain to map SndUna onto")
			}
		})

		It("writes the connection's current SndUna, SndNxt and SndMax into TCP_OFFLOAD_STATE_DELEGATED", Rule(rules.TerminateHandBackWritesSendSequence), func(ctx SpecContext) {
			sendSkipUnlessReturnable()
			tree, _ := sendOffloadMixed(ctx, s)
			out := sendTerminate(ctx, s, tree)
			handed := 0
			for _, b := range out.After.Blocks {
				d, ok := sendDelegated(b)
				known, _ := sendHandedBack(s, b)
				if !ok || len(known) == 0 {
					continue
				}
				handed++
				total := 0
				for _, e := range s.Ledger.Of(known[0].Connection) {
					total += e.List.DataLength()
				}
				// The connection never had other data than the initiate chain, so each of its
				// current send sequence numbers lies within it.
				for _, v := range []struct {
					name string
					seq  ndis.SeqNum
				}{{"SndUna", d.SndUna}, {"SndNxt", d.SndNxt}, {"SndMax", d.SndMax}} {
					if off := fixtures.InitialSeq.Size(v.seq); off > uint32(total) {
						harness.Failf(rules.TerminateHandBackWritesSendSequence, harness.Terminate, b.Path,
							"%s = %#x is not a current send sequence number of the connection, whose data spans [%#x, %#x] (the host left %#x there)",
							v.name, uint32(v.seq), uint32(fixtures.InitialSeq), uint32(fixtures.InitialSeq.Add(uint32(total))), uint32(sendSeqCanary))
					}
				}
			}
			if handed == 0 {
				Skip("the target handed back no send data (it send-completed every list)")
			}
		})
	})

	Context("when connections offloaded with several, one and no lists of outstanding send data are terminated together", func() {
		It("hands each connection's lists back in NetBufferListChain of that connection's own TCP block", Rule(rules.SendDataHandBackOnConnectionBlock), func(ctx SpecContext) {
			sendSkipUnlessReturnable()
			tree, _ := sendOffloadMixed(ctx, s)
			out := sendTerminate(ctx, s, tree)
			for _, b := range out.After.Blocks {
				known, _ := sendHandedBack(s, b)
				for _, e := range known {
					if from := ndis.PathOf(tree, e.Connection); from != b.Path {
						harness.Failf(rules.SendDataHandBackOnConnectionBlock, harness.Terminate, b.Path,
							"NetBufferListChain holds %s, which the host handed over with the connection at %s", e.List, from)
					}
				}
			}
		})
	})

	Context("when a connection offloaded without outstanding send data is terminated", func() {
		It("sets NetBufferListChain to NULL on the connection's TCP block", Rule(rules.TerminateNetBufferListChainNullWithoutSendData), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			s.MustInitiate(ctx, tree)
			out := sendTerminate(ctx, s, tree)
			path := ndis.PathOf(tree, sendConnections(tree)[0])
			b := sendBlockAt(out.After, path)
			Expect(b.Members.NetBufferListChain).To(BeNil(), harness.Because(rules.TerminateNetBufferListChainNullWithoutSendData, harness.Terminate, path)+
				"\n  a list whose Status is 0x0B1C0000 is the one the host's memory held before the terminate: the target never set the member")
		})
	})

	Context("when a connection without outstanding send data is terminated beside connections with some", func() {
		It("sets NetBufferListChain to NULL on the TCP block of the connection that had none", Rule(rules.TerminateNetBufferListChainNullWithoutSendData), func(ctx SpecContext) {
			tree, conns := sendOffloadMixed(ctx, s)
			out := sendTerminate(ctx, s, tree)
			path := ndis.PathOf(tree, conns[2])
			b := sendBlockAt(out.After, path)
			Expect(b.Members.NetBufferListChain).To(BeNil(), harness.Because(rules.TerminateNetBufferListChainNullWithoutSendData, harness.Terminate, path)+
				"\n  a list whose Status is 0x0B1C0000 is the one the host's memory held before the terminate: the target never set the member")
		})
	})
})

var _ = Describe("NdisTcpOffloadSendComplete", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	// Under either reading of CONFLICT-SEND-04 (initiate send data handed back or send-completed at
	// terminate), a connection with nothing outstanding gives the target nothing to complete.
	Context("when connections with and without outstanding send data are terminated", func() {
		It("is never called with a NULL NetBufferList", Rule(rules.SendCompleteNonNullList), func(ctx SpecContext) {
			tree, _ := sendOffloadMixed(ctx, s)
			sendTerminate(ctx, s, tree)
			sendRoundTrip(ctx, s)
			for i, c := range s.Host.SendCompletions() {
				Expect(c.Lists).NotTo(BeEmpty(), harness.Because(rules.SendCompleteNonNullList, 0, "")+
					fmt.Sprintf("\n  NdisTcpOffloadSendComplete call %d passed a NULL NetBufferList", i+1))
			}
		})
	})

	Context("when a connection offloaded with outstanding send data is terminated", func() {
		It("receives only lists handed over with an offloaded connection and not returned before", Rule(rules.SendCompleteOnlyOwnedNBLs), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			sendOffload(ctx, s, tree)
			sendTerminate(ctx, s, tree)
			seen := map[*ndis.NetBufferList]int{}
			handedBack := map[*ndis.NetBufferList]bool{}
			for _, c := range s.Host.Events() {
				if c.Op != harness.Terminate {
					continue
				}
				for _, b := range c.Snapshot.Blocks {
					for _, l := range b.Chain {
						handedBack[l.List] = true
					}
				}
			}
			for _, c := range s.Host.SendCompletions() {
				for _, l := range c.Lists {
					seen[l]++
					e, ok := s.Ledger.Entry(l)
					switch {
					case !ok:
						harness.Failf(rules.SendCompleteOnlyOwnedNBLs, 0, "", "NdisTcpOffloadSendComplete returned %s, which the host never handed over", l)
					case e.Owner != harness.OwnedByTarget:
						harness.Failf(rules.SendCompleteOnlyOwnedNBLs, 0, ndis.PathOf(tree, e.Connection), "NdisTcpOffloadSendComplete returned %s of a connection that was not offloaded", l)
					case seen[l] > 1 || handedBack[l]:
						harness.Failf(rules.SendCompleteOnlyOwnedNBLs, 0, ndis.PathOf(tree, e.Connection), "NdisTcpOffloadSendComplete returned %s, which the host had already got back", l)
					}
				}
			}
		})

		It("finds a completion status in Status of every list", Rule(rules.SendCompleteWritesStatus), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			sendOffload(ctx, s, tree)
			sendTerminate(ctx, s, tree)
			statuses := sendStatuses(s)
			if len(statuses) == 0 {
				Skip("the target send-completed no list (it handed every list back at terminate), so no completion status to check")
			}
			for l, st := range statuses {
				path := ""
				if e, ok := s.Ledger.Entry(l); ok {
					path = ndis.PathOf(tree, e.Connection)
				}
				Expect(st).NotTo(Equal(harness.StatusCanary), harness.Because(rules.SendCompleteWritesStatus, 0, path)+
					fmt.Sprintf("\n  %s was completed with the Status the host left in it", l))
			}
		})

		It("finds NDIS_STATUS_SUCCESS only in lists whose data lies before the SndUna the terminate returns", Rule(rules.SendCompleteSuccessMeansAcked), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			sendOffload(ctx, s, tree)
			conn := sendConnections(tree)[0]
			path := ndis.PathOf(tree, conn)
			out := sendTerminate(ctx, s, tree)
			statuses := sendStatuses(s)
			d, ok := sendDelegated(sendBlockAt(out.After, path))
			Expect(ok).To(BeTrue(), harness.Because(rules.SendCompleteSuccessMeansAcked, harness.Terminate, path)+"\n  the terminate tree lost its TCP_OFFLOAD_STATE_DELEGATED")
			entries := s.Ledger.Of(conn)
			succeeded := 0
			for i, e := range entries {
				if st, done := statuses[e.List]; !done || st != ndis.StatusSuccess {
					continue
				}
				succeeded++
				if end := sendEnd(entries, i); !end.LessThanEq(d.SndUna) {
					harness.Failf(rules.SendCompleteSuccessMeansAcked, 0, path,
						"%s was completed with NDIS_STATUS_SUCCESS, but its data ends at %#x and the SndUna the terminate returned is %#x: not all of it was acknowledged",
						e.List, uint32(end), uint32(d.SndUna))
				}
			}
			if succeeded == 0 {
				Skip("the target completed no list with NDIS_STATUS_SUCCESS")
			}
		})

		It("finds a failure status in every list completed after one that failed", Rule(rules.SendCompleteFailRestOfList), func(ctx SpecContext) {
			tree := fixtures.OneConnection()
			sendOffload(ctx, s, tree)
			conn := sendConnections(tree)[0]
			path := ndis.PathOf(tree, conn)
			sendTerminate(ctx, s, tree)
			// Each sequence is one order in which "later" is judged: the connection's lists in the
			// order they were handed over, or (CONFLICT-SEND-11's other reading) each call's lists.
			type completed struct {
				list   *ndis.NetBufferList
				status ndis.Status
			}
			var orders [][]completed
			before := "handed over before it"
			if sendReadings().FailRestByPostedOrder {
				statuses := sendStatuses(s)
				var order []completed
				for _, e := range s.Ledger.Of(conn) {
					if st, done := statuses[e.List]; done {
						order = append(order, completed{e.List, st})
					}
				}
				orders = append(orders, order)
			} else {
				before = "before it in the same NdisTcpOffloadSendComplete call"
				for _, c := range s.Host.SendCompletions() {
					var order []completed
					for i, l := range c.Lists {
						order = append(order, completed{l, c.Statuses[i]})
					}
					orders = append(orders, order)
				}
			}
			anyFailed := false
			for _, order := range orders {
				var failed *completed
				for _, c := range order {
					switch {
					case c.status != ndis.StatusSuccess && failed == nil:
						failed, anyFailed = &c, true
					case c.status == ndis.StatusSuccess && failed != nil:
						harness.Failf(rules.SendCompleteFailRestOfList, 0, path,
							"%s was completed with NDIS_STATUS_SUCCESS though %s, %s, failed with %s", c.list, failed.list, before, failed.status)
					}
				}
			}
			if !anyFailed {
				Skip("the target failed no send-completed list")
			}
		})
	})
})

// sendFailedOffload is a case of an initiate that fails for a connection carrying send data.
type sendFailedOffload struct {
	// Why says what makes the offload fail.
	Why string
	// Limit picks the declared limit the case exceeds.
	Limit func(target.Limits) target.Limit
	// Name is the limit's name in ginkgo.yml.
	Name string
	// Exceed changes the tree so that the limit is exceeded.
	Exceed func(tree, conn *ndis.MiniportOffloadBlockList, limit uint32)
}

var sendFailedOffloads = []sendFailedOffload{
	{
		Why:   "the connection's initial receive window exceeds the declared maximum",
		Limit: func(l target.Limits) target.Limit { return l.MaxInitialRcvWnd },
		Name:  "maxInitialRcvWnd",
		Exceed: func(_, conn *ndis.MiniportOffloadBlockList, limit uint32) {
			conn.TCPCached.InitialRcvWnd = limit + 1
		},
	},
	{
		Why:   "the connection's path MTU exceeds the declared maximum, so the connection is never attempted",
		Limit: func(l target.Limits) target.Limit { return l.MaxPathMTU },
		Name:  "maxPathMTU",
		Exceed: func(tree, _ *ndis.MiniportOffloadBlockList, limit uint32) {
			for _, b := range ndis.Blocks(tree) {
				if b.PathCached != nil {
					b.PathCached.PathMTU = limit + 1
				}
			}
		},
	},
}

// sendFailOffload initiates a one-connection tree with send data that c makes fail for the
// connection, and returns the connection's block and the outcome. It skips when the limit is
// not declared or the target offloaded the connection anyway.
func sendFailOffload(ctx SpecContext, s *harness.Session, c sendFailedOffload) (*ndis.MiniportOffloadBlockList, harness.Outcome) {
	GinkgoHelper()
	limit := c.Limit(s.Limits)
	if !limit.Declared {
		Skip("target does not declare " + c.Name)
	}
	tree := fixtures.OneConnection()
	conn := sendConnections(tree)[0]
	fixtures.WithSendData(conn, sendSent, sendSizes...)
	c.Exceed(tree, conn, limit.Value)
	out := s.Initiate(ctx, tree)
	if st := sendBlockAt(out.After, out.Path(conn)).Members.Status; st == ndis.StatusSuccess {
		Skip(fmt.Sprintf("the target offloaded the connection although %s; the initiate specs judge that", c.Why))
	}
	return conn, out
}

// sendRoundTrip offloads and terminates another connection after a failed offload: a target
// that deals with a failed connection's lists later, at its next operation, shows it then.
func sendRoundTrip(ctx SpecContext, s *harness.Session) {
	GinkgoHelper()
	By("offloading and terminating another connection, so that a later change to the failed connection's lists has a chance to show")
	init := s.MustInitiate(ctx, fixtures.OneConnection())
	s.MustDo(ctx, harness.Terminate, fixtures.ReferenceTree(init.Tree, fixtures.DelegatedOnly))
}

func sendFailedEntries() []TableEntry {
	var out []TableEntry
	for _, c := range sendFailedOffloads {
		out = append(out, Entry("when "+c.Why, Capability(c.Name), c))
	}
	return out
}

var _ = Describe("MiniportInitiateOffload", func() {
	var s *harness.Session
	BeforeEach(func() { s = open() })

	DescribeTable("leaves Status of every list of a failed connection's NetBufferListChain untouched", Rule(rules.FailedInitiateLeavesNBLStatus),
		func(ctx SpecContext, c sendFailedOffload) {
			conn, out := sendFailOffload(ctx, s, c)
			path := out.Path(conn)
			sendRoundTrip(ctx, s)
			for _, l := range sendBlockAt(out.After, path).Chain {
				Expect(l.Status).To(Equal(harness.StatusCanary), harness.Because(rules.FailedInitiateLeavesNBLStatus, harness.Initiate, path)+
					fmt.Sprintf("\n  %s's Status changed by the time NdisMInitiateOffloadComplete was called", l.List))
			}
			for _, l := range conn.NetBufferListChain.Chain() {
				Expect(l.Status).To(Equal(harness.StatusCanary), harness.Because(rules.FailedInitiateLeavesNBLStatus, harness.Initiate, path)+
					fmt.Sprintf("\n  %s's Status changed after NdisMInitiateOffloadComplete", l))
			}
		},
		sendFailedEntries(),
	)

	DescribeTable("never passes a failed connection's lists to NdisTcpOffloadSendComplete", Rule(rules.FailedInitiateNoSendComplete),
		func(ctx SpecContext, c sendFailedOffload) {
			conn, out := sendFailOffload(ctx, s, c)
			sendRoundTrip(ctx, s)
			sendSync(s)
			for _, e := range s.Ledger.Of(conn) {
				Expect(e.SendCompleted).To(BeZero(), harness.Because(rules.FailedInitiateNoSendComplete, harness.Initiate, out.Path(conn))+
					fmt.Sprintf("\n  %s (#%d of the chain) was send-completed, though the host keeps the data of a failed offload", e.List, e.Index))
			}
		},
		sendFailedEntries(),
	)
})
