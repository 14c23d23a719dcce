package faults

import (
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of targets that write members the host owns (suites/rules/duties.go), one per rule,
// each a plausible slip: a header copied from another layout, a link or pointer reused for the
// target's own bookkeeping, a reserved member cleared.
func init() {
	Register(Fault{
		Name:   "clears-ndis-reserved",
		Breaks: []*rules.Rule{rules.NdisReservedUntouched},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				b.NdisReserved = [2]uint64{}
			}
		})),
	})
	Register(Fault{
		// The x86 size of the block list, as a target built for 32 bits would write it back.
		Name:   "writes-its-own-block-size-into-headers",
		Breaks: []*rules.Rule{rules.BlockHeaderUntouched},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				b.Header.Size = 0x4C
			}
		})),
	})
	Register(Fault{
		// NextBlock used as the link of the target's own work queue, cleared once a block is done.
		Name:   "clears-next-block-links",
		Breaks: []*rules.Rule{rules.TreeLinksUntouched},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) { // the blocks are listed before any link is cleared
				b.NextBlock = nil
			}
		})),
	})
	Register(Fault{
		// The PVOID kept in a slot of the target's own, which the member is pointed at.
		Name:   "points-miniport-offload-context-at-its-own-slot",
		Breaks: []*rules.Rule{rules.ContextPointerUntouched},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if p := b.MiniportOffloadContext; p != nil {
					own := *p
					b.MiniportOffloadContext = &own
				}
			}
		})),
	})
	Register(Fault{
		// The two references confused: the target's PVOID written into the host's handle too.
		Name:   "writes-its-context-into-ndis-offload-handle",
		Breaks: []*rules.Rule{rules.OffloadHandleUntouched},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if ctx := b.Context(); ctx != 0 {
					b.NdisOffloadHandle = ndis.Handle(ctx)
				}
			}
		})),
	})
	Register(Fault{
		// The NDIS 6.0 size of TCP_OFFLOAD_STATE_DELEGATED (without DWnd), written with the state.
		Name:   "writes-ndis60-length-into-tcp-delegated-state",
		Breaks: []*rules.Rule{rules.StateLengthUntouched},
		Wrap: With(treeRewrite([]Op{OpQuery, OpTerminate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if d := b.TCPDelegated; d != nil {
					d.Header.Length = 0x78
				}
			}
		})),
	})
	Register(Fault{
		Name:   "writes-recognized-options",
		Breaks: []*rules.Rule{rules.RecognizedOptionsUntouched},
		Wrap: With(treeRewrite(treeOps, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				for _, h := range stateHeaders(b) {
					h.RecognizedOptions |= 1
				}
			}
		})),
	})
	Register(Fault{
		Name:   "clears-tcp-delegated-flags",
		Breaks: []*rules.Rule{rules.DelegatedFlagsHoldHostValue},
		Wrap: With(treeRewrite([]Op{OpQuery, OpTerminate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				if d := b.TCPDelegated; d != nil {
					d.Flags = 0
				}
			}
		})),
	})
	Register(Fault{
		// The host's pointer to the send data cleared once the target has taken the lists.
		Name:   "clears-net-buffer-list-chain-it-takes-at-initiate",
		Breaks: []*rules.Rule{rules.NetBufferListChainUntouched},
		Wrap: With(treeRewrite([]Op{OpInitiate}, func(tree *ndis.MiniportOffloadBlockList) {
			for _, b := range ndis.Blocks(tree) {
				b.NetBufferListChain = nil
			}
		})),
	})
}

// stateHeaders returns the headers of the state structures that follow b.
func stateHeaders(b *ndis.MiniportOffloadBlockList) []*ndis.OffloadStateHeader {
	var out []*ndis.OffloadStateHeader
	if s := b.NeighborConst; s != nil {
		out = append(out, &s.Header)
	}
	if s := b.NeighborCached; s != nil {
		out = append(out, &s.Header)
	}
	if s := b.NeighborDelegated; s != nil {
		out = append(out, &s.Header)
	}
	if s := b.PathConst; s != nil {
		out = append(out, &s.Header)
	}
	if s := b.PathCached; s != nil {
		out = append(out, &s.Header)
	}
	if s := b.PathDelegated; s != nil {
		out = append(out, &s.Header)
	}
	if s := b.TCPConst; s != nil {
		out = append(out, &s.Header)
	}
	if s := b.TCPCached; s != nil {
		out = append(out, &s.Header)
	}
	if s := b.TCPDelegated; s != nil {
		out = append(out, &s.Header)
	}
	return out
}
