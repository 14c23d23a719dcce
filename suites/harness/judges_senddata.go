package harness

import (
	"bytes"
	"fmt"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Judges of outstanding send data and buffered receive data: what a terminate hands back in
// NetBufferListChain, SendDataHead/SendDataTail and SndUna/SndNxt/SndMax, held against the
// ledger of the lists each connection was handed at initiate; what NdisTcpOffloadSendComplete
// returns, judged once the session ends, and against the SndUna a later query or terminate
// returns; the pointer members of TCP_OFFLOAD_STATE_DELEGATED a
// query must leave alone; and the buffered receive data a terminate hands back, which must be
// the bytes handed over at initiate although the host overwrote its buffer since
// (concepts/handling-outstanding-send-data-during-a-terminate-offload-operation.md,
// concepts/mapping-snduna--sndnxt--and-sndmax-to-the-mdls.md,
// ddi/nf-ndischimney-ndismterminateoffloadcomplete.md,
// ddi/nc-ndischimney-ndis_tcp_offload_send_complete.md,
// ddi/ns-ndischimney-_tcp_offload_state_delegated.md).

func init() {
	judgeCompletions("send data handed back at terminate", judgeSendDataHandBack,
		rules.SendDataNoneLeftAtTerminateCompletion, rules.SendDataHandBackHostNBLs, rules.SendDataHandBackOriginalOrder,
		rules.SendDataHandBackOnConnectionBlock, rules.SendDataHandBackHeadTail, rules.SendDataHandBackSequenceMapping,
		rules.SendDataReturnedAfterSuccessfulOffload, rules.TerminateNetBufferListChainNullWithoutSendData,
		rules.TerminateHandBackWritesSendSequence)
	judgeCompletions("successful send completions against SndUna", judgeSuccessMeansAcked, rules.SendCompleteSuccessMeansAcked)
	judgeCompletions("delegated pointers of a query", judgeQueryLeavesDelegatedPointers, rules.DelegatedUnionMembersByOperation)
	judgeCompletions("buffered receive data handed back", judgeBufferedDataHandedBack,
		rules.BufferedDataMeaning, rules.InitiateCopiesBufferedReceiveData)
}

// sendDataSessionRules are the send-data rules judged once the session ends, over every send
// completion and every list of a terminated connection (sendDataSessionViolations).
var sendDataSessionRules = []*rules.Rule{
	rules.SendDataReturnedAfterSuccessfulOffload, rules.SendCompleteWritesStatus, rules.SendCompleteFailRestOfList,
	rules.SendCompleteNonNullList,
}

// tcpDelegatedAt returns the TCP delegated state a block snapshot holds, if any, pointer
// members included.
func tcpDelegatedAt(b BlockSnapshot) (ndis.TCPOffloadStateDelegated, bool) {
	for _, st := range b.States {
		if d, ok := st.(ndis.TCPOffloadStateDelegated); ok {
			return d, true
		}
	}
	return ndis.TCPOffloadStateDelegated{}, false
}

// connectionAt returns the connection a block names, when it is a linker naming a connection
// the host holds offloaded.
func (j *Judging) connectionAt(v blockView) (*Object, bool) {
	if v.Role != ndis.RoleLinker {
		return nil, false
	}
	o, ok := j.Model.Object(v.Before.Slot)
	if !ok || o.Layer != ndis.LayerTCP {
		return nil, false
	}
	return o, true
}

// connectionWith returns the connection, live or terminated, offloaded with the initiate
// block b.
func (m *Model) connectionWith(b *ndis.MiniportOffloadBlockList) *Object {
	for _, o := range m.objects {
		if o.Block == b {
			return o
		}
	}
	for _, o := range m.Terminated {
		if o.Block == b {
			return o
		}
	}
	return nil
}

// sendCompletedBefore returns the lists passed to NdisTcpOffloadSendComplete before the
// outcome's completion arrived.
func (j *Judging) sendCompletedBefore() map[*ndis.NetBufferList]bool {
	out := map[*ndis.NetBufferList]bool{}
	sends := j.S.Host.SendCompletions()
	for _, c := range sends[:min(j.Out.Event.SendsBefore, len(sends))] {
		for _, l := range c.Lists {
			out[l] = true
		}
	}
	return out
}

// handedBack is one list chained back from a terminate block.
type handedBack struct {
	list  *ndis.NetBufferList
	entry LedgerEntry
	known bool // the ledger knows it: the host handed it over
}

// judgeSendDataHandBack: on every terminate, each connection's lists are all back by the
// completion (send-completed before it, or chained in the tree); each list chained back is
// one the host handed over, with the connection the block names, in the original order;
// SendDataHead, SendDataTail and the send sequence numbers describe the chain handed back; a
// block that hands back no data has a NULL chain.
func judgeSendDataHandBack(j *Judging) {
	if j.Out.Op != Terminate || j.Out.Event.Tree == nil {
		return
	}
	chained := map[*ndis.NetBufferList]bool{}
	for _, v := range j.views {
		for _, l := range v.After.Chain {
			chained[l.List] = true
		}
	}
	sent := j.sendCompletedBefore()
	for _, v := range j.views {
		o, isConn := j.connectionAt(v)
		back := j.chainHandedBack(v)
		if isConn {
			j.judgeNoneLeft(v, o, chained, sent)
			j.judgeNullChain(v, back)
		}
		if len(back) == 0 {
			continue
		}
		j.judgeHandedBackLists(v, o, back)
		d, hasDelegated := tcpDelegatedAt(v.After)
		if !hasDelegated {
			continue
		}
		j.judgeHeadTail(v, d)
		if isConn {
			j.judgeSendSequence(v, o, d, back)
		}
	}
}

// chainHandedBack returns the lists chained from a block of the tree handed back that were
// not there when the host handed the tree over.
func (j *Judging) chainHandedBack(v blockView) []handedBack {
	given := map[*ndis.NetBufferList]bool{}
	for _, l := range v.Before.Chain {
		given[l.List] = true
	}
	var out []handedBack
	for _, l := range v.After.Chain {
		if given[l.List] {
			continue
		}
		e, ok := j.S.Ledger.Entry(l.List)
		out = append(out, handedBack{list: l.List, entry: e, known: ok})
	}
	return out
}

// judgeNoneLeft: every list the target took with the connection has come back by the time the
// terminate completes, whatever the block's Status (SEND-008).
func (j *Judging) judgeNoneLeft(v blockView, o *Object, chained, sent map[*ndis.NetBufferList]bool) {
	for _, e := range j.S.Ledger.Of(o.Block) {
		if e.Owner != OwnedByTarget {
			continue
		}
		j.Arose(rules.SendDataNoneLeftAtTerminateCompletion)
		if e.HandedBack == 0 && !chained[e.List] && !sent[e.List] {
			j.Violate(rules.SendDataNoneLeftAtTerminateCompletion, v.Path,
				"%s (#%d of the initiate chain) was neither send-completed nor handed back when NdisMTerminateOffloadComplete was called", e.List, e.Index)
		}
	}
}

// judgeNullChain: a connection's block whose chain carries no data has a NULL chain (SEND-041).
func (j *Judging) judgeNullChain(v blockView, back []handedBack) {
	j.Arose(rules.TerminateNetBufferListChainNullWithoutSendData)
	if len(v.After.Chain) == 0 || len(back) == 0 {
		return
	}
	n := 0
	for _, b := range back {
		n += b.list.DataLength()
	}
	if n == 0 {
		j.Violate(rules.TerminateNetBufferListChainNullWithoutSendData, v.Path,
			"NetBufferListChain = %s, which carries no data: with no send data handed back it is NULL", v.After.Members.NetBufferListChain)
	}
}

// judgeHandedBackLists: the lists chained back are the host's own (SEND-010), each on the
// block of the connection it was handed over with (SEND-012), in their original order
// (SEND-011), and, under the reading that lists of the initiate chain are only ever
// send-completed, there are none (SEND-020, CONFLICT-SEND-04).
func (j *Judging) judgeHandedBackLists(v blockView, o *Object, back []handedBack) {
	var prev *LedgerEntry
	for _, b := range back {
		j.Arose(rules.SendDataHandBackHostNBLs)
		if !b.known {
			j.Violate(rules.SendDataHandBackHostNBLs, v.Path,
				"NetBufferListChain holds %s, which is not a list the host handed over (a copy or a list of the target's own)", b.list)
			continue
		}
		e := b.entry
		j.Arose(rules.SendDataHandBackOnConnectionBlock)
		if o == nil || e.Connection != o.Block {
			j.Violate(rules.SendDataHandBackOnConnectionBlock, v.Path, "NetBufferListChain holds %s, which the host handed over with %s, not with the %s this block names",
				e.List, j.describeConnection(e.Connection), describeBlock(v))
		}
		if j.S.Readings.InitiateSendDataOnlySendCompleted && e.Owner == OwnedByTarget && !e.Sent {
			j.Arose(rules.SendDataReturnedAfterSuccessfulOffload)
			j.Violate(rules.SendDataReturnedAfterSuccessfulOffload, v.Path,
				"%s of the initiate chain was handed back at terminate instead of send-completed (CONFLICT-SEND-04 as ginkgo.yml reads it)", e.List)
		}
		if prev != nil && prev.Connection == e.Connection {
			j.Arose(rules.SendDataHandBackOriginalOrder)
			if e.Index <= prev.Index {
				j.Violate(rules.SendDataHandBackOriginalOrder, v.Path,
					"NetBufferListChain links %s (#%d of its initiate chain) after %s (#%d): the initiate chain had them the other way round",
					e.List, e.Index, prev.List, prev.Index)
			}
		}
		prev = &e
	}
}

// describeConnection names the connection an initiate block offloaded, for messages.
func (j *Judging) describeConnection(b *ndis.MiniportOffloadBlockList) string {
	if o := j.Model.connectionWith(b); o != nil {
		return fmt.Sprintf("the connection of context %#x", o.Context)
	}
	return "a connection the target did not offload"
}

// describeBlock names what a block of a terminate tree stands for, for messages.
func describeBlock(v blockView) string {
	if v.Role == ndis.RoleLinker {
		return fmt.Sprintf("%s of context %#x", v.Layer, v.Before.Slot)
	}
	return fmt.Sprintf("%s %s", v.Role, v.Layer)
}

// judgeHeadTail: SendDataHead names the list NetBufferListChain points to, SendDataTail the
// last list of the chain that carries data (SEND-013).
func (j *Judging) judgeHeadTail(v blockView, d ndis.TCPOffloadStateDelegated) {
	chain := v.After.Chain
	j.Arose(rules.SendDataHandBackHeadTail)
	if first := chain[0].List; d.SendDataHead != first {
		j.Violate(rules.SendDataHandBackHeadTail, v.Path, "SendDataHead = %s, want %s, the list NetBufferListChain points to", d.SendDataHead, first)
	}
	last := chain[len(chain)-1].List
	for i := len(chain) - 1; i > 0 && chain[i].List.DataLength() == 0; i-- {
		last = chain[i-1].List // the tail is the last list that carries data
	}
	if d.SendDataTail != last {
		j.Violate(rules.SendDataHandBackHeadTail, v.Path, "SendDataTail = %s, want %s, the last list of NetBufferListChain that carries data", d.SendDataTail, last)
	}
}

// judgeSendSequence: with its own lists handed back, a connection's SndUna, SndNxt and SndMax
// are current send sequence numbers of it, within the data it was handed (SEND-044), and,
// unless ginkgo.yml reads CONFLICT-SEND-08 otherwise, SndUna is the first byte of the chain
// handed back and SndNxt and SndMax lie within or at the end of its data (SEND-015).
func (j *Judging) judgeSendSequence(v blockView, o *Object, d ndis.TCPOffloadStateDelegated, back []handedBack) {
	var own []LedgerEntry
	for _, b := range back {
		if b.known && b.entry.Connection == o.Block {
			own = append(own, b.entry)
		}
	}
	if len(own) == 0 || o.State.TCPDelegated == nil {
		return
	}
	entries := j.S.Ledger.Of(o.Block)
	una0 := o.State.TCPDelegated.SndUna // the first byte of the initiate chain
	total := 0
	for _, e := range entries {
		total += e.Length
	}
	seqs := []struct {
		name string
		seq  ndis.SeqNum
	}{{"SndUna", d.SndUna}, {"SndNxt", d.SndNxt}, {"SndMax", d.SndMax}}
	j.Arose(rules.TerminateHandBackWritesSendSequence)
	for _, s := range seqs {
		if off := una0.Size(s.seq); off > uint32(total) {
			j.Violate(rules.TerminateHandBackWritesSendSequence, v.Path,
				"%s = %#x is not a current send sequence number of the connection, whose data spans [%#x, %#x]",
				s.name, uint32(s.seq), uint32(una0), uint32(una0.Add(uint32(total))))
		}
	}
	if j.S.Readings.TerminateSndUnaAnywhereInChain {
		return
	}
	// The first byte of the chain handed back is the first byte of its earliest list in the
	// connection's order, past what the target advanced that list's data start by (the bytes
	// of it acknowledged): the lists before that one were completed.
	first, length := own[0].Index, 0
	for _, e := range own {
		first = min(first, e.Index)
		length += e.List.DataLength()
	}
	start := una0
	for _, e := range entries {
		switch {
		case e.Index < first:
			start = start.Add(uint32(e.Length))
		case e.Index == first:
			start = start.Add(uint32(max(0, e.Length-e.List.DataLength())))
		}
	}
	end := start.Add(uint32(length))
	j.Arose(rules.SendDataHandBackSequenceMapping)
	if d.SndUna != start {
		j.Violate(rules.SendDataHandBackSequenceMapping, v.Path, "SndUna = %#x, want %#x, the sequence number of the first byte of the chain handed back (%s)",
			uint32(d.SndUna), uint32(start), listNames(own))
	}
	for _, s := range seqs[1:] {
		if !start.LessThanEq(s.seq) || !s.seq.LessThanEq(end) {
			j.Violate(rules.SendDataHandBackSequenceMapping, v.Path, "%s = %#x lies outside the data handed back [%#x, %#x] (%d bytes from SndUna)",
				s.name, uint32(s.seq), uint32(start), uint32(end), length)
		}
	}
}

func listNames(entries []LedgerEntry) string {
	var b bytes.Buffer
	for i, e := range entries {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s (#%d of its chain)", e.List, e.Index)
	}
	return b.String()
}

// sendDataSessionViolations judges, once the session ends, what only the whole session shows:
// every list of a terminated connection came back at last (SEND-020); every call to
// NdisTcpOffloadSendComplete passed a list (SEND-047), each with a completion status (SEND-024); after a failed list, no
// later one succeeded (SEND-027, "later" as ginkgo.yml reads CONFLICT-SEND-11). It expects the
// ledger's send completions counted (SyncSendCompletions).
func (s *Session) sendDataSessionViolations() []Violation {
	var found []Violation
	add := func(rule *rules.Rule, op Op, format string, args ...any) {
		found = append(found, Violation{Rule: rule, Op: op, Message: fmt.Sprintf(format, args...)})
	}
	terminated := map[*ndis.MiniportOffloadBlockList]bool{}
	for _, o := range s.Model.Terminated {
		if o.Block != nil {
			terminated[o.Block] = true
		}
	}
	for _, e := range s.Ledger.All() {
		if e.Owner != OwnedByTarget || !terminated[e.Connection] {
			continue
		}
		s.judged(rules.SendDataReturnedAfterSuccessfulOffload)
		if e.Returns() == 0 {
			add(rules.SendDataReturnedAfterSuccessfulOffload, Terminate,
				"%s (#%d of an initiate chain) never came back: its connection was terminated, and it was neither send-completed nor handed back", e.List, e.Index)
		}
	}
	// The Status each list carried in its first send completion.
	first := map[*ndis.NetBufferList]ndis.Status{}
	sends := s.Host.SendCompletions()
	for i, c := range sends {
		s.judged(rules.SendCompleteNonNullList)
		if len(c.Lists) == 0 {
			add(rules.SendCompleteNonNullList, 0, "NdisTcpOffloadSendComplete call %d of %d passed a NULL NetBufferList: it completed no send request", i+1, len(sends))
		}
		for i, l := range c.Lists {
			if _, seen := first[l]; seen {
				continue
			}
			first[l] = c.Statuses[i]
			if _, known := s.Ledger.Entry(l); !known {
				continue // SEND-021's
			}
			s.judged(rules.SendCompleteWritesStatus)
			if c.Statuses[i] == StatusCanary {
				add(rules.SendCompleteWritesStatus, 0, "%s was passed to NdisTcpOffloadSendComplete with the Status the host left in it", l)
			}
		}
	}
	found = append(found, s.failRestViolations(first, sends)...)
	return found
}

// failRestViolations: once a list is send-completed with a status other than
// NDIS_STATUS_SUCCESS, no later list is completed with NDIS_STATUS_SUCCESS (SEND-027). Later is
// in the order each connection's lists were handed over, or, under failRestWithinOneCompletion,
// within one NdisTcpOffloadSendComplete call.
func (s *Session) failRestViolations(first map[*ndis.NetBufferList]ndis.Status, sends []SendCompletion) []Violation {
	type completed struct {
		list   *ndis.NetBufferList
		status ndis.Status
	}
	var orders [][]completed
	before := "handed over before it"
	if s.Readings.FailRestWithinOneCompletion {
		before = "before it in the same NdisTcpOffloadSendComplete call"
		for _, c := range sends {
			var order []completed
			for i, l := range c.Lists {
				order = append(order, completed{l, c.Statuses[i]})
			}
			orders = append(orders, order)
		}
	} else {
		byConn := map[*ndis.MiniportOffloadBlockList][]completed{}
		var conns []*ndis.MiniportOffloadBlockList
		for _, e := range s.Ledger.All() {
			st, done := first[e.List]
			if !done {
				continue
			}
			if _, seen := byConn[e.Connection]; !seen {
				conns = append(conns, e.Connection)
			}
			byConn[e.Connection] = append(byConn[e.Connection], completed{e.List, st})
		}
		for _, c := range conns {
			orders = append(orders, byConn[c])
		}
	}
	var found []Violation
	for _, order := range orders {
		var failed *completed
		for i, c := range order {
			switch {
			case c.status != ndis.StatusSuccess && failed == nil:
				failed = &order[i]
			case failed != nil:
				s.judged(rules.SendCompleteFailRestOfList)
				if c.status == ndis.StatusSuccess {
					found = append(found, Violation{Rule: rules.SendCompleteFailRestOfList, Message: fmt.Sprintf(
						"%s was completed with NDIS_STATUS_SUCCESS though %s, %s, failed with %s", c.list, failed.list, before, failed.status)})
				}
			}
		}
	}
	return found
}

// judgeSuccessMeansAcked: every list of a connection send-completed with NDIS_STATUS_SUCCESS
// before a query or terminate completes ends at or before the SndUna it returns: the peer has
// acknowledged all of its data (SEND-025).
func judgeSuccessMeansAcked(j *Judging) {
	if j.Out.Op != Query && j.Out.Op != Terminate || j.Out.Event.Tree == nil {
		return
	}
	var succeeded map[*ndis.NetBufferList]bool
	for _, v := range j.views {
		o, isConn := j.connectionAt(v)
		if !isConn || v.After.Members.Status != ndis.StatusSuccess || o.State.TCPDelegated == nil {
			continue
		}
		d, ok := tcpDelegatedAt(v.After)
		given, _ := tcpDelegatedAt(v.Before)
		if !ok || d.SndUna == given.SndUna {
			continue // SndUna not returned, or never written: the returned-state judges say so
		}
		if succeeded == nil {
			succeeded = j.succeededBefore()
		}
		end := o.State.TCPDelegated.SndUna // the first byte of the initiate chain
		for _, e := range j.S.Ledger.Of(o.Block) {
			end = end.Add(uint32(e.Length))
			if !succeeded[e.List] {
				continue
			}
			j.Arose(rules.SendCompleteSuccessMeansAcked)
			if !end.LessThanEq(d.SndUna) {
				j.Violate(rules.SendCompleteSuccessMeansAcked, v.Path,
					"%s was send-completed with NDIS_STATUS_SUCCESS, but its data ends at %#x and the SndUna returned is %#x: not all of it was acknowledged",
					e.List, uint32(end), uint32(d.SndUna))
			}
		}
	}
}

// succeededBefore returns the lists whose first send completion, before the outcome's
// completion arrived, carried NDIS_STATUS_SUCCESS.
func (j *Judging) succeededBefore() map[*ndis.NetBufferList]bool {
	out, seen := map[*ndis.NetBufferList]bool{}, map[*ndis.NetBufferList]bool{}
	sends := j.S.Host.SendCompletions()
	for _, c := range sends[:min(j.Out.Event.SendsBefore, len(sends))] {
		for i, l := range c.Lists {
			if !seen[l] {
				seen[l], out[l] = true, c.Statuses[i] == ndis.StatusSuccess
			}
		}
	}
	return out
}

// judgeQueryLeavesDelegatedPointers: a query writes no SendDataHead, SendDataTail or
// BufferedData, which only initiate and terminate use (STATE-062).
func judgeQueryLeavesDelegatedPointers(j *Judging) {
	if j.Out.Op != Query {
		return
	}
	for _, v := range j.views {
		after, ok := tcpDelegatedAt(v.After)
		if !ok {
			continue
		}
		before, _ := tcpDelegatedAt(v.Before)
		j.Arose(rules.DelegatedUnionMembersByOperation)
		for _, m := range []struct {
			name          string
			before, after *ndis.NetBufferList
			size          string
		}{
			{"SendDataHead", before.SendDataHead, after.SendDataHead, "SendBacklogSize"},
			{"SendDataTail", before.SendDataTail, after.SendDataTail, "SendBacklogSize"},
			{"BufferedData", before.BufferedData, after.BufferedData, "ReceiveBacklogSize"},
		} {
			if m.after != nil && m.after != m.before {
				j.Violate(rules.DelegatedUnionMembersByOperation, v.Path,
					"%s = %s after the query: it is used only in initiate and terminate; a query fills %s in its place", m.name, m.after, m.size)
			}
		}
	}
}

// listBytes returns the data bytes of a chain of NET_BUFFER_LISTs.
func listBytes(l *ndis.NetBufferList) []byte {
	var buf bytes.Buffer
	for _, n := range l.Chain() {
		for nb := n.FirstNetBuffer; nb != nil; nb = nb.Next {
			buf.Write(nb.Data)
		}
	}
	return buf.Bytes()
}

// judgeBufferedDataHandedBack: buffered receive data a terminate hands back is the data handed
// over at initiate (STATE-067; no receive path can have delivered or added any), and not the
// host's buffer, which the host overwrote once the initiate completed (INIT-007).
func judgeBufferedDataHandedBack(j *Judging) {
	if j.Out.Op != Terminate || j.Out.Event.Tree == nil {
		return
	}
	for _, v := range j.views {
		o, isConn := j.connectionAt(v)
		if !isConn {
			continue
		}
		after, ok := tcpDelegatedAt(v.After)
		before, _ := tcpDelegatedAt(v.Before)
		if !ok || after.BufferedData == nil || after.BufferedData == before.BufferedData || o.OnTheWire {
			continue // on the wire, data received since is what the byte ledgers hold it against
		}
		got := listBytes(after.BufferedData)
		j.Arose(rules.BufferedDataMeaning)
		if o.BufferedList == nil {
			j.Violate(rules.BufferedDataMeaning, v.Path,
				"BufferedData = %s (%d bytes), but no buffered receive data was handed over with the connection and none can have been received since", after.BufferedData, len(got))
			continue
		}
		j.Arose(rules.InitiateCopiesBufferedReceiveData)
		overwritten := listBytes(o.BufferedList)
		switch {
		case after.BufferedData == o.BufferedList:
			j.Violate(rules.InitiateCopiesBufferedReceiveData, v.Path,
				"BufferedData is the host's own list, which the host overwrote once the initiate completed: the target kept the host's buffer, not a copy")
		case !bytes.Equal(got, o.Buffered) && bytes.Equal(got, overwritten):
			j.Violate(rules.InitiateCopiesBufferedReceiveData, v.Path,
				"BufferedData holds the bytes the host wrote into its buffer after the initiate completed, not those handed over: the target copied the host's buffer too late")
		case !bytes.Equal(got, o.Buffered):
			j.Violate(rules.BufferedDataMeaning, v.Path, "BufferedData holds %d bytes that are not the %d bytes of buffered receive data handed over at initiate (%s)",
				len(got), len(o.Buffered), firstDifference(got, o.Buffered))
		}
	}
}

// firstDifference says where two byte strings first differ.
func firstDifference(got, want []byte) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("byte %d is %#02x, want %#02x", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("%d bytes, want %d", len(got), len(want))
}

// scribbleBufferedData plays the host freeing the buffered receive data of every connection an
// initiate offloaded, as it may once the initiate completes (INIT-024): it keeps a copy of the
// bytes in the model, for the judges of what a terminate hands back, then overwrites every byte
// of the host's buffer. A target that kept the host's buffer instead of copying it before
// completing (INIT-007) hands back other bytes. Await calls it after the judges and the model
// have seen the completion.
func (s *Session) scribbleBufferedData(out Outcome) {
	if out.Op != Initiate || out.Event.Tree == nil {
		return
	}
	after := map[*ndis.MiniportOffloadBlockList]BlockSnapshot{}
	for _, b := range out.After.Blocks {
		after[b.Block] = b
	}
	kept := map[*ndis.NetBufferList][]byte{} // a list handed over twice is overwritten once
	for _, b := range out.Before.Blocks {
		a, ok := after[b.Block]
		if !ok || roleOf(b) != ndis.RoleNewOffload || !Offloaded(a.Members.Status) || a.Slot == 0 {
			continue
		}
		d, ok := tcpDelegatedAt(b)
		o, live := s.Model.Object(a.Slot)
		if !ok || d.BufferedData == nil || !live || o.Block != b.Block {
			continue
		}
		if data, done := kept[d.BufferedData]; done {
			o.Buffered, o.BufferedList = data, d.BufferedData
			continue
		}
		kept[d.BufferedData] = listBytes(d.BufferedData)
		o.Buffered, o.BufferedList = kept[d.BufferedData], d.BufferedData
		for _, l := range d.BufferedData.Chain() {
			for nb := l.FirstNetBuffer; nb != nil; nb = nb.Next {
				for i := range nb.Data {
					nb.Data[i] = ^nb.Data[i]
				}
			}
		}
	}
}
