package ndis

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// Every String method returns the exact NDIS spelling; one table checks them all.
func TestNamesAreTheNDISSpellings(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{StatusSuccess.String(), "NDIS_STATUS_SUCCESS"},
		{StatusOffloadPartialSuccess.String(), "NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS"},
		{StatusFailure.String(), "NDIS_STATUS_FAILURE"},
		{StatusResources.String(), "NDIS_STATUS_RESOURCES"},
		{StatusOffloadTCPEntries.String(), "NDIS_STATUS_OFFLOAD_TCP_ENTRIES"},
		{StatusOffloadPathEntries.String(), "NDIS_STATUS_OFFLOAD_PATH_ENTRIES"},
		{StatusOffloadNeighborEntries.String(), "NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES"},
		{StatusOffloadIPAddressEntries.String(), "NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES"},
		{StatusOffloadHWAddressEntries.String(), "NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES"},
		{StatusOffloadVLANEntries.String(), "NDIS_STATUS_OFFLOAD_VLAN_ENTRIES"},
		{StatusOffloadTCPXmitBuffer.String(), "NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER"},
		{StatusOffloadTCPRcvBuffer.String(), "NDIS_STATUS_OFFLOAD_TCP_RCV_BUFFER"},
		{StatusOffloadTCPRcvWindow.String(), "NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW"},
		{StatusOffloadVLANMismatch.String(), "NDIS_STATUS_OFFLOAD_VLAN_MISMATCH"},
		{StatusOffloadConnectionRejected.String(), "NDIS_STATUS_OFFLOAD_CONNECTION_REJECTED"},
		{StatusOffloadPathMTU.String(), "NDIS_STATUS_OFFLOAD_PATH_MTU"},
		{StatusUploadInProgress.String(), "NDIS_STATUS_UPLOAD_IN_PROGRESS"},
		{StatusRequestAborted.String(), "NDIS_STATUS_REQUEST_ABORTED"},
		{StatusInvalidState.String(), "NDIS_STATUS_INVALID_STATE"},
		{Status(0x12345678).String(), "NDIS_STATUS(0x12345678)"},
		{DisconnectGracefulClose.String(), "TCP_DISCONNECT_GRACEFUL_CLOSE"},
		{DisconnectAbortiveClose.String(), "TCP_DISCONNECT_ABORTIVE_CLOSE"},
		{DisconnectFlags(3).String(), "TCP_DISCONNECT(0x3)"},
		{TcpIndicateSendBacklogChange.String(), "TcpIndicateSendBacklogChange"},
		{TcpIndicateDisconnect.String(), "TcpIndicateDisconnect"},
		{TcpIndicateRetrieve.String(), "TcpIndicateRetrieve"},
		{TcpIndicateAbort.String(), "TcpIndicateAbort"},
		{TCPOffloadEventType(0).String(), "TCP_OFFLOAD_EVENT_TYPE(0)"},
		{LowActivity.String(), "LowActivity"},
		{NoBufferPreposting.String(), "NoBufferPreposting"},
		{TimeoutExpiration.String(), "TimeoutExpiration"},
		{InvalidState.String(), "InvalidState"},
		{UploadRequested.String(), "UploadRequested"},
		{HardwareFailure.String(), "HardwareFailure"},
		{TCPUploadReason(0).String(), "TCP_UPLOAD_REASON(0)"},
		{NeighborOffloadState.String(), "NeighborOffloadState"},
		{Ip6OffloadCachedState.String(), "Ip6OffloadCachedState"},
		{TcpOffloadDelegatedState.String(), "TcpOffloadDelegatedState"},
		{FilterReservedOffloadState.String(), "FilterReservedOffloadState"},
		{OffloadStateType(0).String(), "OFFLOAD_STATE_TYPE(0)"},
		{TcpConnectionEstablished.String(), "TcpConnectionEstablished"},
		{TcpConnectionTimeWait.String(), "TcpConnectionTimeWait"},
		{TCPOffloadConnectionState(99).String(), "TCP_OFFLOAD_CONNECTION_STATE(99)"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("String() = %q, want %q", c.got, c.want)
		}
	}
	for _, s := range Statuses() {
		if !strings.HasPrefix(s.String(), "NDIS_STATUS_") {
			t.Errorf("status %#x prints as %q", uint32(s), s)
		}
	}
}

// The numbers are those of ndis.h, ndischimney.h and ntstatus.h (NUMERIC-VALUES).
func TestValuesMatchTheHeaders(t *testing.T) {
	if StatusSuccess != 0 || StatusFailure != 0xC0000001 || StatusResources != 0xC000009A ||
		StatusOffloadPartialSuccess != 0x40020004 || StatusOffloadConnectionRejected != 0xC0231012 {
		t.Error("status values differ from the headers")
	}
	if NeighborOffloadConstState != 1 || Ip4OffloadState != 8 || TcpOffloadResourceState != 16 || TcpOffloadState != 17 || MaximumOffloadState != 0xFF {
		t.Error("OFFLOAD_STATE_TYPE values differ from ndischimney.h")
	}
	if TcpConnectionClosed != 0 || TcpConnectionEstablished != 4 || TcpConnectionMaxState != 11 {
		t.Error("TCP_OFFLOAD_CONNECTION_STATE values differ from ndischimney.h")
	}
}

func TestStateTypesNameTheirLayersAndClasses(t *testing.T) {
	cases := []struct {
		t       OffloadStateType
		layer   Layer
		classes Classes
		ipv6    bool
	}{
		{NeighborOffloadConstState, LayerNeighbor, Classes{Const: true}, false},
		{NeighborOffloadState, LayerNeighbor, Classes{true, true, true}, false},
		{Ip4OffloadCachedState, LayerPath, Classes{Cached: true}, false},
		{Ip6OffloadDelegatedState, LayerPath, Classes{Delegated: true}, true},
		{TcpOffloadState, LayerTCP, Classes{true, true, true}, false},
		{TcpOffloadResourceState, LayerTCP, Classes{}, false},
		{FilterReservedOffloadState, 0, Classes{}, false},
	}
	for _, c := range cases {
		if c.t.Layer() != c.layer || c.t.Classes() != c.classes || c.t.IsIPv6() != c.ipv6 {
			t.Errorf("%s: layer %s classes %+v ipv6 %v", c.t, c.t.Layer(), c.t.Classes(), c.t.IsIPv6())
		}
	}
}

func TestSeqNumComparisonsWrapAround(t *testing.T) {
	if !SeqNum(0xFFFFFFF0).LessThan(0x10) || SeqNum(0x10).LessThan(0xFFFFFFF0) {
		t.Error("comparison across the wrap is wrong")
	}
	if SeqNum(0xFFFFFFF0).Add(0x20) != 0x10 || SeqNum(0xFFFFFFF0).Size(0x10) != 0x20 {
		t.Error("arithmetic across the wrap is wrong")
	}
}

// block builds a block with a context slot holding ctx (nil slot for a placeholder).
func block(t OffloadStateType, slot *Context) *MiniportOffloadBlockList {
	return &MiniportOffloadBlockList{Header: ObjectHeader{Type: t}, MiniportOffloadContext: slot}
}

func ctx(v Context) *Context { return &v }

func TestWalkIsDepthFirstBreadthNext(t *testing.T) {
	// The tree of concepts/traversing-a-state-tree.md.
	n1, n2 := block(NeighborOffloadState, ctx(0)), block(NeighborOffloadState, ctx(0))
	p1, p2, p3 := block(Ip4OffloadState, ctx(0)), block(Ip4OffloadState, ctx(0)), block(Ip4OffloadState, ctx(0))
	t1, t2, t3, t4, t5 := block(TcpOffloadState, ctx(0)), block(TcpOffloadState, ctx(0)), block(TcpOffloadState, ctx(0)), block(TcpOffloadState, ctx(0)), block(TcpOffloadState, ctx(0))
	n1.NextBlock, n1.DependentBlockList = n2, p1
	p1.NextBlock, p1.DependentBlockList = p2, t1
	t1.NextBlock = t2
	p2.DependentBlockList = t3
	n2.DependentBlockList = p3
	p3.DependentBlockList = t4
	t4.NextBlock = t5
	want := []*MiniportOffloadBlockList{n1, p1, t1, t2, p2, t3, n2, p3, t4, t5}
	got := Blocks(n1)
	if len(got) != len(want) {
		t.Fatalf("walked %d blocks, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("step %d: got %s", i+1, PathOf(n1, got[i]))
		}
	}
	if p := PathOf(n1, t5); p != "neighbor[1]/path[0]/tcp[1]" {
		t.Errorf("path of TCP5 = %q", p)
	}
	if p := PathOf(n1, p2); p != "neighbor[0]/path[1]" {
		t.Errorf("path of Path2 = %q", p)
	}
}

func TestWalkSurvivesCycles(t *testing.T) {
	a := block(NeighborOffloadState, ctx(0))
	b := block(Ip4OffloadState, ctx(0))
	a.DependentBlockList, b.NextBlock = b, b
	if n := len(Walk(a)); n != 2 {
		t.Errorf("walked %d blocks of a cyclic tree, want 2", n)
	}
	if ps := Validate(a, InitiateTree); !hasDefect(ps, DefectReachedTwice) {
		t.Errorf("Validate missed the cycle: %v", ps)
	}
}

// Walks that skip remembering blocks on proper trees (isTree) meet the same blocks, in the
// same order, as a walk that remembers every block, on trees that loop or share blocks.
func TestWalkMeetsEachBlockOnceWhateverTheLinks(t *testing.T) {
	chainOf := func(n int) []*MiniportOffloadBlockList {
		bs := make([]*MiniportOffloadBlockList, n)
		for i := range bs {
			bs[i] = block(TcpOffloadState, ctx(0))
			if i > 0 {
				bs[i-1].NextBlock = bs[i]
			}
		}
		return bs
	}
	trees := map[string]func() *MiniportOffloadBlockList{
		"proper tree": func() *MiniportOffloadBlockList {
			n, p := block(NeighborOffloadState, ctx(0)), block(Ip4OffloadState, ctx(0))
			n.DependentBlockList, p.DependentBlockList = p, chainOf(5)[0]
			return n
		},
		"NextBlock loops back to the first": func() *MiniportOffloadBlockList {
			ts := chainOf(7)
			ts[6].NextBlock = ts[0]
			return ts[0]
		},
		"NextBlock loops back to the middle": func() *MiniportOffloadBlockList {
			ts := chainOf(9)
			ts[8].NextBlock = ts[3]
			return ts[0]
		},
		"two paths share their last connections": func() *MiniportOffloadBlockList {
			n, p1, p2 := block(NeighborOffloadState, ctx(0)), block(Ip4OffloadState, ctx(0)), block(Ip4OffloadState, ctx(0))
			a, b := chainOf(3), chainOf(2)
			b[1].NextBlock = a[1]
			n.DependentBlockList, p1.NextBlock = p1, p2
			p1.DependentBlockList, p2.DependentBlockList = a[0], b[0]
			return n
		},
		"two paths share one dependent list": func() *MiniportOffloadBlockList {
			n, p1, p2 := block(NeighborOffloadState, ctx(0)), block(Ip4OffloadState, ctx(0)), block(Ip4OffloadState, ctx(0))
			n.DependentBlockList, p1.NextBlock = p1, p2
			p1.DependentBlockList = chainOf(3)[0]
			p2.DependentBlockList = p1.DependentBlockList
			return n
		},
		"a dependent leads back to the root": func() *MiniportOffloadBlockList {
			n, p := block(NeighborOffloadState, ctx(0)), block(Ip4OffloadState, ctx(0))
			n.DependentBlockList, p.DependentBlockList = p, n
			return n
		},
		"a dependent leads into its own chain": func() *MiniportOffloadBlockList {
			n1, n2, n3 := block(NeighborOffloadState, ctx(0)), block(NeighborOffloadState, ctx(0)), block(NeighborOffloadState, ctx(0))
			n1.NextBlock, n2.NextBlock, n2.DependentBlockList = n2, n3, n3
			return n1
		},
	}
	// rememberAll is the plain walk: remember every block, stop a chain at a block met before.
	rememberAll := func(root *MiniportOffloadBlockList) []*MiniportOffloadBlockList {
		var out []*MiniportOffloadBlockList
		seen := map[*MiniportOffloadBlockList]bool{}
		var level func(*MiniportOffloadBlockList)
		level = func(first *MiniportOffloadBlockList) {
			for b := first; b != nil && !seen[b]; b = b.NextBlock {
				seen[b] = true
				out = append(out, b)
				level(b.DependentBlockList)
			}
		}
		level(root)
		return out
	}
	for name, build := range trees {
		root := build()
		want := rememberAll(root)
		var walked []*MiniportOffloadBlockList
		for _, v := range Walk(root) {
			walked = append(walked, v.Block)
		}
		if got := Blocks(root); !slices.Equal(got, want) || !slices.Equal(walked, want) {
			t.Errorf("%s: Blocks met %d blocks, Walk %d, want %d in the same order", name, len(got), len(walked), len(want))
		}
		if got, want := root.Siblings(), rememberAllSiblings(root); !slices.Equal(got, want) {
			t.Errorf("%s: Siblings met %d blocks, want %d", name, len(got), len(want))
		}
		if proper := name == "proper tree"; isTree(root) != proper {
			t.Errorf("%s: isTree = %v, want %v", name, !proper, proper)
		}
	}
}

func rememberAllSiblings(b *MiniportOffloadBlockList) []*MiniportOffloadBlockList {
	var out []*MiniportOffloadBlockList
	seen := map[*MiniportOffloadBlockList]bool{}
	for n := b; n != nil && !seen[n]; n = n.NextBlock {
		seen[n] = true
		out = append(out, n)
	}
	return out
}

// lastInChain finds every loop, whatever its length and wherever it starts.
func TestLastInChainFindsEveryLoop(t *testing.T) {
	for n := 1; n <= 40; n++ {
		bs := make([]*MiniportOffloadBlockList, n)
		for i := range bs {
			bs[i] = block(TcpOffloadState, ctx(0))
			if i > 0 {
				bs[i-1].NextBlock = bs[i]
			}
		}
		if last, ok := lastInChain(bs[0]); !ok || last != bs[n-1] {
			t.Fatalf("chain of %d: last = %p, %v; want the last block", n, last, ok)
		}
		for back := range n {
			bs[n-1].NextBlock = bs[back]
			if _, ok := lastInChain(bs[0]); ok {
				t.Errorf("chain of %d looping back to block %d: no loop found", n, back)
			}
		}
		bs[n-1].NextBlock = nil
	}
}

func hasDefect(ps []Problem, d Defect) bool {
	for _, p := range ps {
		if p.Defect == d {
			return true
		}
	}
	return false
}

func TestValidateNamesEachDefect(t *testing.T) {
	tcpUnderNeighbor := block(NeighborOffloadState, ctx(0))
	tcpUnderNeighbor.DependentBlockList = block(TcpOffloadState, ctx(0))
	linkerAlone := block(Ip4OffloadState, ctx(7))
	mixedChain := block(Ip4OffloadState, ctx(0))
	mixedChain.NextBlock = block(TcpOffloadState, ctx(0))
	placeholderWithState := block(NeighborOffloadState, nil)
	placeholderWithState.NeighborConst = &NeighborOffloadStateConst{}
	wrongFamily := block(Ip4OffloadState, ctx(0))
	wrongFamily.PathConst = &PathOffloadStateConst{SourceAddress: netip.MustParseAddr("2001:db8::1"), DestinationAddress: netip.MustParseAddr("2001:db8::2")}
	cases := map[Defect]*MiniportOffloadBlockList{
		DefectDependentLayer:             tcpUnderNeighbor,
		DefectLinkerWithoutDependent:     linkerAlone,
		DefectNextBlockLayer:             mixedChain,
		DefectStateOnPlaceholderOrLinker: placeholderWithState,
		DefectAddressFamily:              wrongFamily,
		DefectStateMismatch:              block(TcpOffloadState, ctx(0)),
		DefectUnknownType:                block(0, ctx(0)),
	}
	for d, tree := range cases {
		if ps := Validate(tree, InitiateTree); !hasDefect(ps, d) {
			t.Errorf("Validate did not report %q: %v", d, ps)
		}
	}
}
