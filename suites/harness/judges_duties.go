package harness

import (
	"fmt"
	"reflect"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Judges of the members a target leaves as the host wrote them (suites/rules/duties.go): on
// every completion of every operation, each block as handed back is held against the same
// block as handed over. A block the tree no longer reaches is not judged here: its Status
// counts as never written, and the link that lost it is the relinking block's.

func init() {
	judgeCompletions("members the host owns", judgeHostMembers,
		rules.NdisReservedUntouched, rules.BlockHeaderUntouched, rules.TreeLinksUntouched,
		rules.ContextPointerUntouched, rules.OffloadHandleUntouched, rules.NetBufferListChainUntouched)
	judgeCompletions("state headers and reserved flags", judgeStateHeaders,
		rules.StateLengthUntouched, rules.RecognizedOptionsUntouched, rules.DelegatedFlagsHoldHostValue)
}

// judgeHostMembers: NdisReserved, the header, the links, the MiniportOffloadContext pointer,
// NdisOffloadHandle and (outside the connections a terminate hands back) NetBufferListChain
// come back as the host wrote them.
func judgeHostMembers(j *Judging) {
	back := j.handedBack()
	for _, v := range j.views {
		if !back[v.Before.Block] {
			continue
		}
		b, a := v.Before.Members, v.After.Members
		j.Arose(rules.NdisReservedUntouched)
		if b.NdisReserved != a.NdisReserved {
			j.Violate(rules.NdisReservedUntouched, v.Path, "NdisReserved changed from %#x to %#x", b.NdisReserved, a.NdisReserved)
		}
		j.Arose(rules.BlockHeaderUntouched)
		if b.Header != a.Header {
			j.Violate(rules.BlockHeaderUntouched, v.Path, "Header changed from %s to %s", headerText(b.Header), headerText(a.Header))
		}
		j.Arose(rules.TreeLinksUntouched)
		if b.NextBlock != a.NextBlock {
			j.Violate(rules.TreeLinksUntouched, v.Path, "NextBlock changed from %s to %s", j.blockText(b.NextBlock), j.blockText(a.NextBlock))
		}
		if b.DependentBlockList != a.DependentBlockList {
			j.Violate(rules.TreeLinksUntouched, v.Path, "DependentBlockList changed from %s to %s", j.blockText(b.DependentBlockList), j.blockText(a.DependentBlockList))
		}
		j.Arose(rules.ContextPointerUntouched)
		if b.MiniportOffloadContext != a.MiniportOffloadContext {
			j.Violate(rules.ContextPointerUntouched, v.Path, "the MiniportOffloadContext member changed from %s to %s; the PVOID goes into the host's slot, the member stays",
				slotText(b.MiniportOffloadContext, "the host's slot"), slotText(a.MiniportOffloadContext, "another location"))
		}
		j.Arose(rules.OffloadHandleUntouched)
		if b.NdisOffloadHandle != a.NdisOffloadHandle {
			j.Violate(rules.OffloadHandleUntouched, v.Path, "NdisOffloadHandle changed from %#x to %#x", uint64(b.NdisOffloadHandle), uint64(a.NdisOffloadHandle))
		}
		if j.Out.Op == Terminate && v.Layer == ndis.LayerTCP && v.Role == ndis.RoleLinker {
			continue // where the target hands send data back (SEND-012, SEND-041)
		}
		j.Arose(rules.NetBufferListChainUntouched)
		if b.NetBufferListChain != a.NetBufferListChain {
			j.Violate(rules.NetBufferListChainUntouched, v.Path, "NetBufferListChain changed from %s to %s in a %s %s block of a %s tree, where only the host sets it",
				listText(b.NetBufferListChain), listText(a.NetBufferListChain), v.Layer, v.Role, j.Out.Op.Handler())
		}
	}
}

// judgeStateHeaders: every state structure the host placed after a block, and that is still
// there, comes back with its OFFLOAD_STATE_HEADER as the host set it, and TCP delegated state
// with Flags holding a value the host wrote.
func judgeStateHeaders(j *Judging) {
	back := j.handedBack()
	for _, v := range j.views {
		if !back[v.Before.Block] {
			continue
		}
		for i, name := range stateMembers {
			before, after := v.Before.States[i], v.After.States[i]
			if before == nil || after == nil {
				continue // a structure gone is the returned-state judges' (STATE-021, STATE-022)
			}
			hb, ha := stateHeaderOf(before), stateHeaderOf(after)
			j.Arose(rules.StateLengthUntouched)
			if hb.Length != ha.Length {
				j.Violate(rules.StateLengthUntouched, v.Path, "%s.Header.Length changed from %#x to %#x", name, hb.Length, ha.Length)
			}
			j.Arose(rules.RecognizedOptionsUntouched)
			if hb.RecognizedOptions != ha.RecognizedOptions {
				j.Violate(rules.RecognizedOptionsUntouched, v.Path, "%s.Header.RecognizedOptions changed from %#x to %#x", name, hb.RecognizedOptions, ha.RecognizedOptions)
			}
			if d, ok := before.(ndis.TCPOffloadStateDelegated); ok {
				j.judgeDelegatedFlags(v, d.Flags, after.(ndis.TCPOffloadStateDelegated).Flags)
			}
		}
	}
}

// judgeDelegatedFlags holds TCP_OFFLOAD_STATE_DELEGATED.Flags to the values CONFLICT-RSV-01
// accepts: as the host placed it in this structure or, where a query or terminate returns
// the object's delegated state, as the object was offloaded.
func (j *Judging) judgeDelegatedFlags(v blockView, placed, got uint16) {
	j.Arose(rules.DelegatedFlagsHoldHostValue)
	if got == placed {
		return
	}
	returns := (j.Out.Op == Query || j.Out.Op == Terminate) && v.Role == ndis.RoleLinker
	if returns {
		if o, ok := j.Model.Object(v.Before.Slot); ok && o.State.TCPDelegated != nil {
			if offloaded := o.State.TCPDelegated.Flags; got != offloaded {
				j.Violate(rules.DelegatedFlagsHoldHostValue, v.Path, "TCPDelegated.Flags = %#x, neither the %#x the host placed there nor the %#x the connection was offloaded with", got, placed, offloaded)
			}
			return
		}
	}
	j.Violate(rules.DelegatedFlagsHoldHostValue, v.Path, "TCPDelegated.Flags changed from %#x to %#x", placed, got)
}

// stateHeaderOf returns the OFFLOAD_STATE_HEADER of a state structure held by value.
func stateHeaderOf(s any) ndis.OffloadStateHeader {
	return reflect.ValueOf(s).FieldByName("Header").Interface().(ndis.OffloadStateHeader)
}

func headerText(h ndis.ObjectHeader) string {
	return fmt.Sprintf("{Type %s, Revision %d, Size %#x}", h.Type, h.Revision, h.Size)
}

// blockText names a block a link points to: its path in the tree as handed over, NULL, or a
// block the host never handed over.
func (j *Judging) blockText(b *ndis.MiniportOffloadBlockList) string {
	if b == nil {
		return "NULL"
	}
	for _, s := range j.Out.Before.Blocks {
		if s.Block == b {
			return s.Path
		}
	}
	return fmt.Sprintf("a block the host never handed over (%p)", b)
}

func slotText(p *ndis.Context, what string) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprintf("%s (%p)", what, p)
}

func listText(l *ndis.NetBufferList) string {
	if l == nil {
		return "NULL"
	}
	return fmt.Sprintf("a NET_BUFFER_LIST (%p)", l)
}
