package harness

import "github.com/ndis-chimney/conformance/target/ndis"

// StatusUnwritten is written into every block's Status before a tree is handed over. No NDIS
// status has this value, and NDIS_STATUS_SUCCESS is zero, so a Status the target never wrote
// can never read as success.
const StatusUnwritten ndis.Status = 0xDEADBEEF

// StatusCanary is written into the Status of every NET_BUFFER_LIST handed over as outstanding
// send data, so that a target that writes it is seen.
const StatusCanary ndis.Status = 0x5EEDF00D

// Canary values for the block members a target must leave alone. Each block gets values made
// from its position, so that a target copying one block's members into another is seen too.
const (
	canaryNdisReserved     uint64 = 0x4E44_4953_0000_0000 // "NDIS"
	canaryProtocolReserved uint64 = 0x5052_4F54_0000_0000 // "PROT"
	canaryImReserved       uint64 = 0x494D_5253_0000_0000 // "IMRS"
	canarySourceHandle     uint64 = 0x5352_4348_0000_0000 // "SRCH"
	handleBase             uint64 = 0x4844_4C00_0000_0000 // "HDL"
	// canaryDelegatedFlags goes into TCP_OFFLOAD_STATE_DELEGATED.Flags, reserved for system
	// use, wherever a tree leaves it zero, so that a target that clears it is seen; its low
	// bits name the operation, so that a value written back shows which tree it came from.
	canaryDelegatedFlags uint16 = 0x5300 // "S"
)

// prepare fills a tree before it is handed over: the Status sentinel in every block, canaries in
// the members the target must not change, a distinct NdisOffloadHandle in every block that
// carries new state (the host's handle for the object) and, in a block that names an offloaded
// object, that object's handle, as NDIS passes it in every operation.
func (s *Session) prepare(op Op, tree *ndis.MiniportOffloadBlockList) {
	for i, b := range ndis.Blocks(tree) {
		n := uint64(i + 1)
		b.Status = StatusUnwritten
		b.NdisReserved = [2]uint64{canaryNdisReserved | n<<8, canaryNdisReserved | n<<8 | 1}
		b.ProtocolReserved = [2]uint64{canaryProtocolReserved | n<<8, canaryProtocolReserved | n<<8 | 1}
		b.ImReserved = [2]uint64{canaryImReserved | n<<8, canaryImReserved | n<<8 | 1}
		b.SourceHandle = canarySourceHandle | n
		if op == Initiate && b.Role() == ndis.RoleNewOffload && b.NdisOffloadHandle == 0 {
			s.handles++
			b.NdisOffloadHandle = ndis.Handle(handleBase | s.handles)
		}
		if b.Role() == ndis.RoleLinker && b.NdisOffloadHandle == 0 {
			if o, ok := s.Model.Object(*b.MiniportOffloadContext); ok {
				b.NdisOffloadHandle = o.Handle
			}
		}
		if d := b.TCPDelegated; d != nil && d.Flags == 0 {
			d.Flags = canaryDelegatedFlags | uint16(op)
		}
		if op == Initiate && b.NetBufferListChain != nil {
			s.Ledger.Register(b)
		}
	}
}
