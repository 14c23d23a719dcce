package remote

import (
	"bytes"
	"fmt"
	"net/netip"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/ndis-chimney/conformance/target/remote/pb"
)

// serverListIDBase is the first bit of the NET_BUFFER_LIST ids a server assigns to lists its
// target created; the client assigns ids below it.
const (
	serverListIDBase uint64 = 1 << 63
	clientListIDBase uint64 = 1 << 62
)

// blockTable names the blocks of one tree by block_id, on either side, so that a tree that
// travels back is applied onto the same Go blocks.
type blockTable struct {
	root *ndis.MiniportOffloadBlockList
	byID map[uint64]*ndis.MiniportOffloadBlockList
	ids  map[*ndis.MiniportOffloadBlockList]uint64
	last uint64
}

func newBlockTable() *blockTable {
	return &blockTable{byID: map[uint64]*ndis.MiniportOffloadBlockList{}, ids: map[*ndis.MiniportOffloadBlockList]uint64{}}
}

func (t *blockTable) register(id uint64, b *ndis.MiniportOffloadBlockList) {
	t.byID[id], t.ids[b] = b, id
	t.last = max(t.last, id)
}

func (t *blockTable) idOf(b *ndis.MiniportOffloadBlockList) uint64 {
	if b == nil {
		return 0
	}
	if id, ok := t.ids[b]; ok {
		return id
	}
	t.last++
	t.register(t.last, b)
	return t.last
}

// listTable names the NET_BUFFER_LISTs of one session by id, for the session's lifetime.
type listTable struct {
	byID map[uint64]*ndis.NetBufferList
	ids  map[*ndis.NetBufferList]uint64
	base uint64
	next uint64
	// ownIDs: use a list's own ID where it is free (the client: the host's IDs stay visible
	// in reports); a server always assigns fresh ids, so a list its target made can never
	// pass for one the host handed over.
	ownIDs bool
}

func newListTable(client bool) *listTable {
	t := &listTable{byID: map[uint64]*ndis.NetBufferList{}, ids: map[*ndis.NetBufferList]uint64{}, ownIDs: client, base: serverListIDBase}
	if client {
		t.base = clientListIDBase
	}
	return t
}

func (t *listTable) register(id uint64, l *ndis.NetBufferList) { t.byID[id], t.ids[l] = l, id }

func (t *listTable) idOf(l *ndis.NetBufferList) uint64 {
	if l == nil {
		return 0
	}
	if id, ok := t.ids[l]; ok {
		return id
	}
	if t.ownIDs && l.ID != 0 && l.ID < clientListIDBase && t.byID[l.ID] == nil {
		t.register(l.ID, l)
		return l.ID
	}
	for {
		t.next++
		id := t.base | t.next
		if t.byID[id] == nil {
			t.register(id, l)
			return id
		}
	}
}

// lookup returns the list named id, making (and remembering) a new one for an id never seen.
func (t *listTable) lookup(id uint64) *ndis.NetBufferList {
	if l := t.byID[id]; l != nil {
		return l
	}
	l := &ndis.NetBufferList{ID: id}
	t.register(id, l)
	return l
}

// encodeTree renders the tree rooted at root, naming blocks and lists through the tables.
func encodeTree(bt *blockTable, lt *listTable, treeID uint64, root *ndis.MiniportOffloadBlockList, bounds Bounds) (*pb.Tree, error) {
	visits := ndis.Walk(root)
	if err := checkBlockCount(len(visits), bounds); err != nil {
		return nil, err
	}
	for _, v := range visits {
		bt.idOf(v.Block)
	}
	var lists []*pb.Nbl
	seen := map[*ndis.NetBufferList]bool{}
	var data dataCount
	addChain := func(first *ndis.NetBufferList) uint64 {
		for l := first; l != nil && !seen[l] && len(lists) <= bounds.MaxLists; l = l.Next {
			seen[l] = true
			m := listMessage(lt, l, &data, bounds)
			m.NextId = lt.idOf(l.Next)
			lists = append(lists, m)
		}
		return lt.idOf(first)
	}
	out := &pb.Tree{TreeId: treeID}
	for _, v := range visits {
		b := v.Block
		m := &pb.Block{
			BlockId:           bt.idOf(b),
			NextBlockId:       bt.idOf(b.NextBlock),
			DependentBlockId:  bt.idOf(b.DependentBlockList),
			Header:            &pb.ObjectHeader{Type: uint32(b.Header.Type), Revision: uint32(b.Header.Revision), Size: uint32(b.Header.Size)},
			Status:            uint32(b.Status),
			NdisOffloadHandle: uint64(b.NdisOffloadHandle),
			NdisReserved:      slices.Clone(b.NdisReserved[:]),
			ProtocolReserved:  slices.Clone(b.ProtocolReserved[:]),
			MiniportReserved:  slices.Clone(b.MiniportReserved[:]),
			ImReserved:        slices.Clone(b.ImReserved[:]),
			Scratch:           slices.Clone(b.Scratch[:]),
			SourceHandle:      b.SourceHandle,
			PortNumber:        b.PortNumber,
		}
		if b.MiniportOffloadContext != nil {
			c := uint64(*b.MiniportOffloadContext)
			m.Context = &c
		}
		m.NetBufferListChainId = addChain(b.NetBufferListChain)
		encodeState(b, m, addChain)
		out.Blocks = append(out.Blocks, m)
	}
	if len(lists) > bounds.MaxLists {
		return nil, fmt.Errorf("tree refers to more than %d NET_BUFFER_LISTs, the bound", bounds.MaxLists)
	}
	if data.err != nil {
		return nil, data.err
	}
	out.Lists = lists
	if err := checkLinks(out, nil, nil, bounds); err != nil {
		return nil, fmt.Errorf("the protocol cannot carry this tree: %w", err)
	}
	return out, nil
}

// dataCount copies the data of NET_BUFFERs into a message, keeping to the bounds of one
// message; the first bound exceeded is kept in err.
type dataCount struct {
	buffers, bytes int
	err            error
}

func (d *dataCount) add(l *ndis.NetBufferList, bounds Bounds) [][]byte {
	var out [][]byte
	for _, nb := range l.NetBuffers() { // stops at a NET_BUFFER cycle
		d.buffers++
		d.bytes += len(nb.Data)
		switch {
		case d.err != nil:
			return out
		case len(nb.Data) > bounds.MaxNetBufferData:
			d.err = fmt.Errorf("list %s: a NET_BUFFER of %d bytes, more than the bound of %d", l, len(nb.Data), bounds.MaxNetBufferData)
		case d.buffers > bounds.MaxNetBuffers:
			d.err = fmt.Errorf("more than %d NET_BUFFERs in one message, the bound", bounds.MaxNetBuffers)
		case d.bytes > bounds.MaxDataBytes:
			d.err = fmt.Errorf("more than %d bytes of NET_BUFFER data in one message, the bound", bounds.MaxDataBytes)
		default:
			out = append(out, bytes.Clone(nb.Data))
		}
	}
	return out
}

func stateHeader(h ndis.OffloadStateHeader) *pb.OffloadStateHeader {
	return &pb.OffloadStateHeader{Length: h.Length, RecognizedOptions: h.RecognizedOptions}
}

func addrBytes(a netip.Addr) []byte {
	if !a.IsValid() {
		return nil
	}
	return a.AsSlice()
}

func encodeState(b *ndis.MiniportOffloadBlockList, m *pb.Block, addChain func(*ndis.NetBufferList) uint64) {
	if s := b.NeighborConst; s != nil {
		m.NeighborConst = &pb.NeighborOffloadStateConst{Header: stateHeader(s.Header), DlSourceAddress: bytes.Clone(s.DlSourceAddress[:]), VlanId: uint32(s.VlanID)}
	}
	if s := b.NeighborCached; s != nil {
		m.NeighborCached = &pb.NeighborOffloadStateCached{Header: stateHeader(s.Header), DlDestinationAddress: bytes.Clone(s.DlDestinationAddress[:]), HostReachabilityDelta: s.HostReachabilityDelta}
	}
	if s := b.NeighborDelegated; s != nil {
		m.NeighborDelegated = &pb.NeighborOffloadStateDelegated{Header: stateHeader(s.Header), NicReachabilityDelta: s.NicReachabilityDelta}
	}
	if s := b.PathConst; s != nil {
		m.PathConst = &pb.PathOffloadStateConst{Header: stateHeader(s.Header), SourceAddress: addrBytes(s.SourceAddress), DestinationAddress: addrBytes(s.DestinationAddress)}
	}
	if s := b.PathCached; s != nil {
		m.PathCached = &pb.PathOffloadStateCached{Header: stateHeader(s.Header), PathMtu: s.PathMTU}
	}
	if s := b.PathDelegated; s != nil {
		m.PathDelegated = &pb.PathOffloadStateDelegated{Header: stateHeader(s.Header)}
	}
	if s := b.TCPConst; s != nil {
		m.TcpConst = &pb.TcpOffloadStateConst{
			Header: stateHeader(s.Header), Flags: uint32(s.Flags), RemotePort: uint32(s.RemotePort), LocalPort: uint32(s.LocalPort),
			SndWindScale: uint32(s.SndWindScale), RcvWindScale: uint32(s.RcvWindScale), RemoteMss: uint32(s.RemoteMss), HashValue: s.HashValue,
		}
	}
	if s := b.TCPCached; s != nil {
		m.TcpCached = &pb.TcpOffloadStateCached{
			Header: stateHeader(s.Header), Flags: uint32(s.Flags), InitialRcvWnd: s.InitialRcvWnd, RcvIndicationSize: s.RcvIndicationSize,
			KaProbeCount: uint32(s.KaProbeCount), KaTimeout: s.KaTimeout, KaInterval: s.KaInterval, MaxRt: s.MaxRT, FlowLabel: s.FlowLabel,
			TtlOrHopLimit: uint32(s.TtlOrHopLimit), TosOrTrafficClass: uint32(s.TosOrTrafficClass), UserPriority: uint32(s.UserPriority),
		}
	}
	if s := b.TCPDelegated; s != nil {
		m.TcpDelegated = &pb.TcpOffloadStateDelegated{
			Header: stateHeader(s.Header), State: uint32(s.State), Flags: uint32(s.Flags),
			RcvNxt: uint32(s.RcvNxt), RcvWnd: s.RcvWnd, SndUna: uint32(s.SndUna), SndNxt: uint32(s.SndNxt), SndMax: uint32(s.SndMax),
			SndWnd: s.SndWnd, MaxSndWnd: s.MaxSndWnd, SendWl1: uint32(s.SendWL1), CWnd: s.CWnd, SsThresh: s.SsThresh,
			SRtt: uint32(s.SRtt), RttVar: uint32(s.RttVar), TsRecent: s.TsRecent, TsRecentAge: s.TsRecentAge, TsTime: s.TsTime,
			TotalRt: s.TotalRT, DupAckCount: uint32(s.DupAckCount), SndWndProbeCount: uint32(s.SndWndProbeCount),
			KeepAliveProbeCount: uint32(s.KeepAlive.ProbeCount), KeepAliveTimeoutDelta: s.KeepAlive.TimeoutDelta,
			RetransmitCount: uint32(s.Retransmit.Count), RetransmitTimeoutDelta: s.Retransmit.TimeoutDelta,
			SendDataHeadId: addChain(s.SendDataHead), SendDataTailId: addChain(s.SendDataTail), SendBacklogSize: s.SendBacklogSize,
			BufferedDataId: addChain(s.BufferedData), ReceiveBacklogSize: s.ReceiveBacklogSize, DWnd: s.DWnd,
		}
	}
}

// checkTree reports what makes a tree message malformed, before anything is applied.
func checkTree(m *pb.Tree, bounds Bounds) error {
	if m == nil {
		return fmt.Errorf("tree missing")
	}
	if err := checkBlockCount(len(m.Blocks), bounds); err != nil {
		return err
	}
	if err := checkLists(m.Lists, bounds, true); err != nil {
		return err
	}
	lists := map[uint64]bool{}
	for _, l := range m.Lists {
		lists[l.Id] = true
	}
	blocks := map[uint64]bool{}
	for i, b := range m.Blocks {
		if b == nil || b.BlockId == 0 || blocks[b.BlockId] {
			return fmt.Errorf("blocks[%d]: block_id missing, zero or repeated", i)
		}
		blocks[b.BlockId] = true
	}
	listRef := func(i int, what string, id uint64) error {
		if id != 0 && !lists[id] {
			return fmt.Errorf("blocks[%d]: %s names list %d, which the tree does not carry", i, what, id)
		}
		return nil
	}
	for i, b := range m.Blocks {
		for _, ref := range []uint64{b.NextBlockId, b.DependentBlockId} {
			if ref != 0 && !blocks[ref] {
				return fmt.Errorf("blocks[%d]: names block %d, which the tree does not carry", i, ref)
			}
		}
		for _, r := range [][]uint64{b.NdisReserved, b.ProtocolReserved, b.MiniportReserved, b.ImReserved, b.Scratch} {
			if len(r) > 2 {
				return fmt.Errorf("blocks[%d]: a reserved member has %d elements, more than 2", i, len(r))
			}
		}
		if err := listRef(i, "net_buffer_list_chain_id", b.NetBufferListChainId); err != nil {
			return err
		}
		if s := b.NeighborConst; s != nil && len(s.DlSourceAddress) > 32 {
			return fmt.Errorf("blocks[%d]: dl_source_address longer than 32 bytes", i)
		}
		if s := b.NeighborCached; s != nil && len(s.DlDestinationAddress) > 32 {
			return fmt.Errorf("blocks[%d]: dl_destination_address longer than 32 bytes", i)
		}
		if s := b.PathConst; s != nil {
			for _, a := range [][]byte{s.SourceAddress, s.DestinationAddress} {
				if n := len(a); n != 0 && n != 4 && n != 16 {
					return fmt.Errorf("blocks[%d]: an IP address of %d bytes", i, n)
				}
			}
		}
		if s := b.TcpDelegated; s != nil {
			for what, id := range map[string]uint64{"send_data_head_id": s.SendDataHeadId, "send_data_tail_id": s.SendDataTailId, "buffered_data_id": s.BufferedDataId} {
				if err := listRef(i, what, id); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// checkLists checks list messages: ids present and unique, data within bounds and, in a tree,
// next_id naming a list the message carries.
func checkLists(ls []*pb.Nbl, bounds Bounds, inTree bool) error {
	if len(ls) > bounds.MaxLists {
		return fmt.Errorf("%d NET_BUFFER_LISTs, more than the bound of %d", len(ls), bounds.MaxLists)
	}
	ids := map[uint64]bool{}
	for i, l := range ls {
		if l == nil || l.Id == 0 || ids[l.Id] {
			return fmt.Errorf("lists[%d]: id missing, zero or repeated", i)
		}
		ids[l.Id] = true
		for _, d := range l.NetBuffers {
			if len(d) > bounds.MaxNetBufferData {
				return fmt.Errorf("lists[%d]: a NET_BUFFER of %d bytes, more than the bound of %d", i, len(d), bounds.MaxNetBufferData)
			}
		}
	}
	if inTree {
		for i, l := range ls {
			if l.NextId != 0 && !ids[l.NextId] {
				return fmt.Errorf("lists[%d]: next_id names list %d, which the tree does not carry", i, l.NextId)
			}
		}
	}
	return nil
}

// listMessage renders one list, except its Next, naming it through lt and copying its data
// within the bounds of one message (the first bound exceeded is kept in data.err).
func listMessage(lt *listTable, l *ndis.NetBufferList, data *dataCount, bounds Bounds) *pb.Nbl {
	return &pb.Nbl{
		Id: lt.idOf(l), Status: uint32(l.Status), NetBuffers: data.add(l, bounds),
		BytesTransferred: proto.Uint32(l.BytesTransferred), ReceiveNoPush: proto.Bool(l.ReceiveNoPush),
	}
}

// encodeChain renders the lists of a Next-linked chain in order (next_id left 0: the order is
// the chain), keeping to the bounds of one message.
func encodeChain(lt *listTable, chain *ndis.NetBufferList, bounds Bounds) ([]*pb.Nbl, error) {
	lists := chain.Chain() // stops at a cycle
	if len(lists) > bounds.MaxLists {
		return nil, fmt.Errorf("a chain of %d NET_BUFFER_LISTs, more than the bound of %d", len(lists), bounds.MaxLists)
	}
	var data dataCount
	out := make([]*pb.Nbl, 0, len(lists))
	for _, l := range lists {
		out = append(out, listMessage(lt, l, &data, bounds))
	}
	return out, data.err
}

// applyChain writes checked list messages onto the lists they name and links them through
// Next in the order given; it returns the first (nil for none). inPlace as in applyList.
func applyChain(lt *listTable, ms []*pb.Nbl, inPlace bool) *ndis.NetBufferList {
	var first, prev *ndis.NetBufferList
	for _, m := range ms {
		l := applyListData(lt, m, inPlace)
		if prev == nil {
			first = l
		} else {
			prev.Next = l
		}
		prev = l
	}
	if prev != nil {
		prev.Next = nil
	}
	return first
}

// applyList writes a list message onto the list it names (made new for an unknown id),
// except its Next.
func applyList(lt *listTable, m *pb.Nbl) *ndis.NetBufferList { return applyListData(lt, m, false) }

// applyListData is applyList; with inPlace, data that fits the list's NET_BUFFERs exactly (as
// many, each as long) is copied into their own bytes, the way a target fills the buffers of a
// posted receive request in place, so that a host holding the slices sees the bytes.
func applyListData(lt *listTable, m *pb.Nbl, inPlace bool) *ndis.NetBufferList {
	l := lt.lookup(m.Id)
	l.Status = ndis.Status(m.Status)
	if m.BytesTransferred != nil {
		l.BytesTransferred = *m.BytesTransferred
	}
	if m.ReceiveNoPush != nil {
		l.ReceiveNoPush = *m.ReceiveNoPush
	}
	if inPlace && fitsExactly(l, m.NetBuffers) {
		for i, nb := range l.NetBuffers() {
			copy(nb.Data, m.NetBuffers[i])
		}
		return l
	}
	same := true
	nb := l.FirstNetBuffer
	for _, d := range m.NetBuffers {
		if nb == nil || !bytes.Equal(nb.Data, d) {
			same = false
			break
		}
		nb = nb.Next
	}
	if !same || nb != nil {
		var first, prev *ndis.NetBuffer
		for _, d := range m.NetBuffers {
			n := &ndis.NetBuffer{Data: bytes.Clone(d)}
			if prev == nil {
				first = n
			} else {
				prev.Next = n
			}
			prev = n
		}
		l.FirstNetBuffer = first
	}
	return l
}

// fitsExactly reports whether data has one slice per NET_BUFFER of l, each as long as it.
func fitsExactly(l *ndis.NetBufferList, data [][]byte) bool {
	nbs := l.NetBuffers()
	if len(nbs) != len(data) {
		return false
	}
	for i, nb := range nbs {
		if len(nb.Data) != len(data[i]) {
			return false
		}
	}
	return true
}

// applyTree writes a checked tree message onto the blocks and lists the tables name, making
// new ones for ids they do not know, and returns the root (nil for an empty tree).
func applyTree(bt *blockTable, lt *listTable, m *pb.Tree) *ndis.MiniportOffloadBlockList {
	for _, l := range m.Lists {
		applyList(lt, l)
	}
	for _, l := range m.Lists {
		lt.lookup(l.Id).Next = listOrNil(lt, l.NextId)
	}
	blocks := make([]*ndis.MiniportOffloadBlockList, len(m.Blocks))
	for i, mb := range m.Blocks {
		b := bt.byID[mb.BlockId]
		if b == nil {
			b = &ndis.MiniportOffloadBlockList{}
			bt.register(mb.BlockId, b)
		}
		blocks[i] = b
	}
	for i, mb := range m.Blocks {
		applyBlock(blocks[i], mb, bt, lt)
	}
	if len(blocks) == 0 {
		return nil
	}
	if bt.root == nil {
		bt.root = blocks[0]
	}
	return blocks[0]
}

func listOrNil(lt *listTable, id uint64) *ndis.NetBufferList {
	if id == 0 {
		return nil
	}
	return lt.lookup(id)
}

func blockOrNil(bt *blockTable, id uint64) *ndis.MiniportOffloadBlockList {
	if id == 0 {
		return nil
	}
	return bt.byID[id]
}

func pair(v []uint64) [2]uint64 {
	var out [2]uint64
	copy(out[:], v)
	return out
}

func header(h *pb.OffloadStateHeader) ndis.OffloadStateHeader {
	return ndis.OffloadStateHeader{Length: h.GetLength(), RecognizedOptions: h.GetRecognizedOptions()}
}

func dlAddress(b []byte) ndis.DlAddress {
	var a ndis.DlAddress
	copy(a[:], b)
	return a
}

func addr(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b) // length checked: 0, 4 or 16; empty gives the zero Addr
	return a
}

// setState makes *dst point to v when present (reusing the structure already there), or nil.
func setState[T any](dst **T, present bool, v func() T) {
	if !present {
		*dst = nil
		return
	}
	if *dst == nil {
		*dst = new(T)
	}
	**dst = v()
}

func applyBlock(b *ndis.MiniportOffloadBlockList, m *pb.Block, bt *blockTable, lt *listTable) {
	b.Header = ndis.ObjectHeader{Type: ndis.OffloadStateType(m.Header.GetType()), Revision: uint8(m.Header.GetRevision()), Size: uint16(m.Header.GetSize())}
	b.NextBlock = blockOrNil(bt, m.NextBlockId)
	b.DependentBlockList = blockOrNil(bt, m.DependentBlockId)
	b.Status = ndis.Status(m.Status)
	if m.Context == nil {
		b.MiniportOffloadContext = nil
	} else {
		if b.MiniportOffloadContext == nil {
			b.MiniportOffloadContext = new(ndis.Context)
		}
		*b.MiniportOffloadContext = ndis.Context(*m.Context) // through the host's own slot
	}
	b.NdisOffloadHandle = ndis.Handle(m.NdisOffloadHandle)
	b.NdisReserved = pair(m.NdisReserved)
	b.ProtocolReserved = pair(m.ProtocolReserved)
	b.MiniportReserved = pair(m.MiniportReserved)
	b.ImReserved = pair(m.ImReserved)
	b.Scratch = pair(m.Scratch)
	b.SourceHandle = m.SourceHandle
	b.PortNumber = m.PortNumber
	b.NetBufferListChain = listOrNil(lt, m.NetBufferListChainId)

	setState(&b.NeighborConst, m.NeighborConst != nil, func() ndis.NeighborOffloadStateConst {
		s := m.NeighborConst
		return ndis.NeighborOffloadStateConst{Header: header(s.Header), DlSourceAddress: dlAddress(s.DlSourceAddress), VlanID: uint16(s.VlanId)}
	})
	setState(&b.NeighborCached, m.NeighborCached != nil, func() ndis.NeighborOffloadStateCached {
		s := m.NeighborCached
		return ndis.NeighborOffloadStateCached{Header: header(s.Header), DlDestinationAddress: dlAddress(s.DlDestinationAddress), HostReachabilityDelta: s.HostReachabilityDelta}
	})
	setState(&b.NeighborDelegated, m.NeighborDelegated != nil, func() ndis.NeighborOffloadStateDelegated {
		s := m.NeighborDelegated
		return ndis.NeighborOffloadStateDelegated{Header: header(s.Header), NicReachabilityDelta: s.NicReachabilityDelta}
	})
	setState(&b.PathConst, m.PathConst != nil, func() ndis.PathOffloadStateConst {
		s := m.PathConst
		return ndis.PathOffloadStateConst{Header: header(s.Header), SourceAddress: addr(s.SourceAddress), DestinationAddress: addr(s.DestinationAddress)}
	})
	setState(&b.PathCached, m.PathCached != nil, func() ndis.PathOffloadStateCached {
		return ndis.PathOffloadStateCached{Header: header(m.PathCached.Header), PathMTU: m.PathCached.PathMtu}
	})
	setState(&b.PathDelegated, m.PathDelegated != nil, func() ndis.PathOffloadStateDelegated {
		return ndis.PathOffloadStateDelegated{Header: header(m.PathDelegated.Header)}
	})
	setState(&b.TCPConst, m.TcpConst != nil, func() ndis.TCPOffloadStateConst {
		s := m.TcpConst
		return ndis.TCPOffloadStateConst{
			Header: header(s.Header), Flags: uint16(s.Flags), RemotePort: uint16(s.RemotePort), LocalPort: uint16(s.LocalPort),
			SndWindScale: uint8(s.SndWindScale), RcvWindScale: uint8(s.RcvWindScale), RemoteMss: uint16(s.RemoteMss), HashValue: s.HashValue,
		}
	})
	setState(&b.TCPCached, m.TcpCached != nil, func() ndis.TCPOffloadStateCached {
		s := m.TcpCached
		return ndis.TCPOffloadStateCached{
			Header: header(s.Header), Flags: uint16(s.Flags), InitialRcvWnd: s.InitialRcvWnd, RcvIndicationSize: s.RcvIndicationSize,
			KaProbeCount: uint8(s.KaProbeCount), KaTimeout: s.KaTimeout, KaInterval: s.KaInterval, MaxRT: s.MaxRt, FlowLabel: s.FlowLabel,
			TtlOrHopLimit: uint8(s.TtlOrHopLimit), TosOrTrafficClass: uint8(s.TosOrTrafficClass), UserPriority: uint8(s.UserPriority),
		}
	})
	setState(&b.TCPDelegated, m.TcpDelegated != nil, func() ndis.TCPOffloadStateDelegated {
		s := m.TcpDelegated
		return ndis.TCPOffloadStateDelegated{
			Header: header(s.Header), State: ndis.TCPOffloadConnectionState(s.State), Flags: uint16(s.Flags),
			RcvNxt: ndis.SeqNum(s.RcvNxt), RcvWnd: s.RcvWnd, SndUna: ndis.SeqNum(s.SndUna), SndNxt: ndis.SeqNum(s.SndNxt), SndMax: ndis.SeqNum(s.SndMax),
			SndWnd: s.SndWnd, MaxSndWnd: s.MaxSndWnd, SendWL1: ndis.SeqNum(s.SendWl1), CWnd: s.CWnd, SsThresh: s.SsThresh,
			SRtt: uint16(s.SRtt), RttVar: uint16(s.RttVar), TsRecent: s.TsRecent, TsRecentAge: s.TsRecentAge, TsTime: s.TsTime,
			TotalRT: s.TotalRt, DupAckCount: uint8(s.DupAckCount), SndWndProbeCount: uint8(s.SndWndProbeCount),
			KeepAlive:    ndis.TCPKeepAlive{ProbeCount: uint8(s.KeepAliveProbeCount), TimeoutDelta: s.KeepAliveTimeoutDelta},
			Retransmit:   ndis.TCPRetransmit{Count: uint8(s.RetransmitCount), TimeoutDelta: s.RetransmitTimeoutDelta},
			SendDataHead: listOrNil(lt, s.SendDataHeadId), SendDataTail: listOrNil(lt, s.SendDataTailId), SendBacklogSize: s.SendBacklogSize,
			BufferedData: listOrNil(lt, s.BufferedDataId), ReceiveBacklogSize: s.ReceiveBacklogSize, DWnd: s.DWnd,
		}
	})
}
