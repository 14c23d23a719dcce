package faults

import (
	"sync"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Faults of the wire: a target whose frames break what the offloaded state says they carry,
// made by rewriting the frames a correct target transmits (or the state it is given), and a
// target that hands a live connection back wrong.

// frame is a decoded frame a fault may change; changed frames are serialized again with
// lengths and checksums computed, unless keepChecksums is set.
type frame struct {
	eth     *layers.Ethernet
	dot1q   *layers.Dot1Q
	ip4     *layers.IPv4
	ip6     *layers.IPv6
	tcp     *layers.TCP
	payload []byte
	// untag removes the 802.1Q tag; keepChecksums leaves the checksums as the fault set them.
	untag, keepChecksums bool
	drop                 bool // the frame is not transmitted at all
}

// rewriting returns a target whose TCP frames pass through edit, which reports whether it
// changed the frame; n counts the target's TCP frames from 1.
func rewriting(edit func(n int, f *frame) bool) func(target.Target) target.Target {
	return func(inner target.Target) target.Target {
		var mu sync.Mutex
		count := 0
		return &Wrapped{Inner: inner, Data: DataHooks{Transmit: func(raw []byte, forward func([]byte)) {
			f, ok := decodeFrame(raw)
			if !ok {
				forward(raw)
				return
			}
			mu.Lock()
			count++
			n := count
			mu.Unlock()
			switch {
			case !edit(n, f):
				forward(raw)
			case !f.drop:
				forward(f.serialize())
			}
		}}}
	}
}

func decodeFrame(raw []byte) (*frame, bool) {
	p := gopacket.NewPacket(raw, layers.LayerTypeEthernet, gopacket.Default)
	f := &frame{}
	f.eth, _ = p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	f.dot1q, _ = p.Layer(layers.LayerTypeDot1Q).(*layers.Dot1Q)
	f.ip4, _ = p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	f.ip6, _ = p.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
	f.tcp, _ = p.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if f.eth == nil || f.tcp == nil || (f.ip4 == nil) == (f.ip6 == nil) {
		return nil, false
	}
	f.payload = append([]byte(nil), f.tcp.Payload...)
	return f, true
}

func (f *frame) serialize() []byte {
	ls := []gopacket.SerializableLayer{f.eth}
	if f.dot1q != nil && !f.untag {
		ls = append(ls, f.dot1q)
	} else if f.dot1q != nil {
		f.eth.EthernetType = f.dot1q.Type
	}
	var ip gopacket.NetworkLayer
	if f.ip4 != nil {
		ip = f.ip4
		ls = append(ls, f.ip4)
	} else {
		ip = f.ip6
		ls = append(ls, f.ip6)
	}
	_ = f.tcp.SetNetworkLayerForChecksum(ip)
	ls = append(ls, f.tcp, gopacket.Payload(f.payload))
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: !f.keepChecksums}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		panic("faults: re-serializing a frame: " + err.Error())
	}
	return buf.Bytes()
}

// everyData picks every k-th frame that carries data.
func everyData(k int, f *frame, n int) bool { return len(f.payload) > 0 && n%k == 0 }

// offloadingWith returns a target that changes the connection state of each initiate tree
// before the inner target sees it, and restores it before the completion reaches the host,
// so that the host's tree shows nothing: the inner target just works from other values.
func offloadingWith(change func(b *ndis.MiniportOffloadBlockList) func()) func(target.Target) target.Target {
	return With(func() Hooks {
		var mu sync.Mutex
		restore := map[*ndis.MiniportOffloadBlockList][]func(){}
		return Hooks{
			Handler: func(op Op, tree *ndis.MiniportOffloadBlockList, call func(*ndis.MiniportOffloadBlockList) error) error {
				if op == OpInitiate {
					var undo []func()
					for _, b := range ndis.Blocks(tree) {
						if b.TCPConst != nil {
							undo = append(undo, change(b))
						}
					}
					mu.Lock()
					restore[tree] = undo
					mu.Unlock()
				}
				return call(tree)
			},
			Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
				mu.Lock()
				undo := restore[tree]
				delete(restore, tree)
				mu.Unlock()
				for _, u := range undo {
					u()
				}
				forward(tree)
			},
		}
	})
}

// terminatingWith returns a target that changes what each terminate hands back for a
// connection before the completion reaches the host.
func terminatingWith(change func(b *ndis.MiniportOffloadBlockList)) func(target.Target) target.Target {
	return With(func() Hooks {
		return Hooks{Complete: func(op Op, tree *ndis.MiniportOffloadBlockList, forward func(*ndis.MiniportOffloadBlockList)) {
			if op == OpTerminate {
				for _, b := range ndis.Blocks(tree) {
					if b.TCPDelegated != nil && b.Status == ndis.StatusSuccess {
						change(b)
					}
				}
			}
			forward(tree)
		}}
	})
}

func init() {
	Register(Fault{
		Name:   "sends-bad-tcp-checksums",
		Breaks: []*rules.Rule{rules.FrameChecksums},
		Wrap: rewriting(func(n int, f *frame) bool {
			if !everyData(5, f, n) {
				return false
			}
			f.keepChecksums = true
			f.tcp.Checksum ^= 0x0101
			return true
		}),
	})
	Register(Fault{
		Name:   "sends-to-the-wrong-mac",
		Breaks: []*rules.Rule{rules.NeighborDlDestinationAddressMeaning},
		Wrap: rewriting(func(n int, f *frame) bool {
			f.eth.DstMAC = append([]byte(nil), f.eth.DstMAC...)
			f.eth.DstMAC[5] ^= 0x01
			return true
		}),
	})
	Register(Fault{
		Name:   "sends-from-the-wrong-mac",
		Breaks: []*rules.Rule{rules.SourceMACOfSentFrames},
		Wrap: rewriting(func(n int, f *frame) bool {
			f.eth.SrcMAC = append([]byte(nil), f.eth.SrcMAC...)
			f.eth.SrcMAC[4] ^= 0x10
			return true
		}),
	})
	Register(Fault{
		Name:   "drops-the-vlan-tag",
		Breaks: []*rules.Rule{rules.FrameVlanTagFromNeighbor},
		Wrap: rewriting(func(n int, f *frame) bool {
			f.untag = f.dot1q != nil
			return f.untag
		}),
	})
	Register(Fault{
		Name:   "tags-the-wrong-vlan",
		Breaks: []*rules.Rule{rules.FrameVlanTagFromNeighbor},
		Wrap: rewriting(func(n int, f *frame) bool {
			if f.dot1q == nil {
				return false
			}
			f.dot1q.VLANIdentifier = (f.dot1q.VLANIdentifier + 1) & 0xFFF
			return true
		}),
	})
	Register(Fault{
		Name:   "tags-untagged-frames",
		Breaks: []*rules.Rule{rules.FrameUntaggedWhenNoVlanNoPriority},
		Wrap: rewriting(func(n int, f *frame) bool {
			if f.dot1q != nil {
				return false
			}
			f.dot1q = &layers.Dot1Q{Type: f.eth.EthernetType}
			f.eth.EthernetType = layers.EthernetTypeDot1Q
			return true
		}),
	})
	Register(Fault{
		Name:   "sets-the-cfi-bit",
		Breaks: []*rules.Rule{rules.FrameTagCFIZero},
		Wrap: rewriting(func(n int, f *frame) bool {
			if f.dot1q == nil {
				return false
			}
			f.dot1q.DropEligible = true
			return true
		}),
	})
	Register(Fault{
		Name:   "sends-from-another-address",
		Breaks: []*rules.Rule{rules.FrameIPAddressesFromPath},
		Wrap: rewriting(func(n int, f *frame) bool {
			if n%3 != 0 {
				return false
			}
			if f.ip4 != nil {
				f.ip4.SrcIP = append([]byte(nil), f.ip4.SrcIP.To4()...)
				f.ip4.SrcIP[3]++
			} else {
				f.ip6.SrcIP = append([]byte(nil), f.ip6.SrcIP...)
				f.ip6.SrcIP[15]++
			}
			return true
		}),
	})
	Register(Fault{
		Name:   "sends-ip-fragments",
		Breaks: []*rules.Rule{rules.FrameNoIPFragments},
		Wrap: rewriting(func(n int, f *frame) bool {
			if f.ip4 == nil || !everyData(4, f, n) {
				return false
			}
			f.ip4.Flags = layers.IPv4MoreFragments
			return true
		}),
	})
	Register(Fault{
		Name:   "ignores-the-flow-label",
		Breaks: []*rules.Rule{rules.FrameFlowLabelFromCachedState},
		Wrap: rewriting(func(n int, f *frame) bool {
			if f.ip6 == nil {
				return false
			}
			f.ip6.FlowLabel = 0
			return true
		}),
	})
	Register(Fault{
		Name:   "sends-sack-blocks-never-negotiated",
		Breaks: []*rules.Rule{rules.FrameNoSACKWhenDisabled},
		Wrap: rewriting(func(n int, f *frame) bool {
			if !f.tcp.ACK || n%3 != 0 {
				return false
			}
			edge := f.tcp.Ack + 5000
			f.tcp.Options = append(f.tcp.Options, layers.TCPOption{OptionType: layers.TCPOptionKindSACK, OptionLength: 10,
				OptionData: append(be32(edge), be32(edge+100)...)})
			return true
		}),
	})
	Register(Fault{
		Name:   "transmits-a-calls-lists-out-of-order",
		Breaks: []*rules.Rule{rules.SendListOrderFIFO},
		Wrap: sendingWith(func(chain *ndis.NetBufferList) *ndis.NetBufferList {
			lists := chain.Chain()
			if len(lists) < 2 {
				return chain
			}
			lists[0], lists[1] = lists[1], lists[0]
			return ndis.LinkNetBufferLists(lists...)
		}),
	})
	Register(Fault{
		Name:   "transmits-calls-out-of-order",
		Breaks: []*rules.Rule{rules.SendCallsInPostingOrder},
		Wrap: func(inner target.Target) target.Target {
			var mu sync.Mutex
			var held *ndis.NetBufferList
			var heldCtx ndis.Context
			w := &Wrapped{Inner: inner}
			w.Data.Send = func(ctx ndis.Context, chain *ndis.NetBufferList, call func(ndis.Context, *ndis.NetBufferList) (ndis.Status, error)) (ndis.Status, error) {
				mu.Lock()
				// Every other call is held back and handed on after the next one.
				if held == nil && chain.DataLength() > 0 {
					held, heldCtx = chain, ctx
					mu.Unlock()
					return ndis.StatusPending, nil
				}
				h, hc := held, heldCtx
				held = nil
				mu.Unlock()
				st, err := call(ctx, chain)
				if h != nil {
					_, _ = call(hc, h)
				}
				return st, err
			}
			return w
		},
	})
	Register(Fault{
		Name:   "sends-from-the-wrong-port",
		Breaks: []*rules.Rule{rules.TCPConstantVariablesMeaning},
		Wrap: rewriting(func(n int, f *frame) bool {
			if n%3 != 0 {
				return false
			}
			f.tcp.SrcPort++
			return true
		}),
	})
	Register(Fault{
		Name:   "clears-dont-fragment",
		Breaks: []*rules.Rule{rules.FrameIPv4DontFragment},
		Wrap: rewriting(func(n int, f *frame) bool {
			if f.ip4 == nil {
				return false
			}
			f.ip4.Flags &^= layers.IPv4DontFragment
			return true
		}),
	})
	Register(Fault{
		Name:   "uses-the-hosts-ip-ids",
		Breaks: []*rules.Rule{rules.FrameIPv4IDUpperHalf},
		Wrap: rewriting(func(n int, f *frame) bool {
			if f.ip4 == nil {
				return false
			}
			f.ip4.Id &= 0x7FFF
			return true
		}),
	})
	Register(Fault{
		Name:   "ignores-the-connections-ttl",
		Breaks: []*rules.Rule{rules.FrameTTLFromCachedState},
		Wrap: rewriting(func(n int, f *frame) bool {
			if f.ip4 != nil {
				f.ip4.TTL = 64
			} else {
				f.ip6.HopLimit = 64
			}
			return true
		}),
	})
	Register(Fault{
		Name:   "ignores-the-connections-tos",
		Breaks: []*rules.Rule{rules.FrameTOSFromCachedState},
		Wrap: rewriting(func(n int, f *frame) bool {
			if f.ip4 != nil {
				f.ip4.TOS = 0
			} else {
				f.ip6.TrafficClass = 0
			}
			return true
		}),
	})
	Register(Fault{
		Name:   "sends-past-the-peers-mss",
		Breaks: []*rules.Rule{rules.FrameSegmentSizeBounds},
		Wrap: offloadingWith(func(b *ndis.MiniportOffloadBlockList) func() {
			was := b.TCPConst.RemoteMss
			b.TCPConst.RemoteMss = was + 400
			return func() { b.TCPConst.RemoteMss = was }
		}),
	})
	Register(Fault{
		Name:   "omits-timestamps",
		Breaks: []*rules.Rule{rules.TimestampFlagStampsEverySegment},
		Wrap: rewriting(func(n int, f *frame) bool {
			kept := f.tcp.Options[:0]
			for _, o := range f.tcp.Options {
				if o.OptionType != layers.TCPOptionKindTimestamps {
					kept = append(kept, o)
				}
			}
			changed := len(kept) != len(f.tcp.Options)
			f.tcp.Options = kept
			return changed
		}),
	})
	Register(Fault{
		Name:   "sends-timestamps-never-negotiated",
		Breaks: []*rules.Rule{rules.FrameNoTimestampWhenDisabled},
		Wrap: rewriting(func(n int, f *frame) bool {
			for _, o := range f.tcp.Options {
				if o.OptionType == layers.TCPOptionKindTimestamps {
					return false
				}
			}
			f.tcp.Options = append(f.tcp.Options, layers.TCPOption{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10,
				OptionData: []byte{0, 0, 0, byte(n), 0, 0, 0, 0}})
			return true
		}),
	})
	Register(Fault{
		Name:   "corrupts-a-byte-of-send-data",
		Breaks: []*rules.Rule{rules.SegmentDataIsTheHosts},
		Wrap: rewriting(func(n int, f *frame) bool {
			if !everyData(11, f, n) {
				return false
			}
			f.payload[len(f.payload)/2] ^= 0x40
			return true
		}),
	})
	Register(Fault{
		Name:   "sends-data-past-what-it-was-given",
		Breaks: []*rules.Rule{rules.SegmentDataIsTheHosts},
		Wrap: rewriting(func(n int, f *frame) bool {
			if !f.tcp.PSH || len(f.payload) == 0 {
				return false
			}
			// Invented bytes after the last of a list: past SndMax when it is the last list.
			f.payload = append(f.payload, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE)
			return true
		}),
	})
	Register(Fault{
		Name:   "ignores-the-peers-window",
		Breaks: []*rules.Rule{rules.SegmentWithinPeerWindow},
		Wrap: offloadingWith(func(b *ndis.MiniportOffloadBlockList) func() {
			d := *b.TCPDelegated
			b.TCPDelegated.SndWnd, b.TCPDelegated.MaxSndWnd, b.TCPDelegated.CWnd = 4<<20, 4<<20, 4<<20
			return func() {
				b.TCPDelegated.SndWnd, b.TCPDelegated.MaxSndWnd, b.TCPDelegated.CWnd = d.SndWnd, d.MaxSndWnd, d.CWnd
			}
		}),
	})
	Register(Fault{
		Name:   "acknowledges-data-never-sent",
		Breaks: []*rules.Rule{rules.SegmentAcksOnlyReceived},
		Wrap: rewriting(func(n int, f *frame) bool {
			if !f.tcp.ACK || n%4 != 0 {
				return false
			}
			f.tcp.Ack += 3000
			return true
		}),
	})
	Register(Fault{
		Name:   "sends-a-stray-rst",
		Breaks: []*rules.Rule{rules.RSTOnlyForAbortiveDisconnect},
		Wrap: rewriting(func(n int, f *frame) bool {
			if n != 6 {
				return false
			}
			f.tcp.RST, f.tcp.PSH = true, false
			f.payload = nil
			return true
		}),
	})
	Register(Fault{
		Name:   "returns-a-sndmax-never-sent",
		Breaks: []*rules.Rule{rules.TerminateStateMatchesWire},
		Wrap: terminatingWith(func(b *ndis.MiniportOffloadBlockList) {
			b.TCPDelegated.SndMax = b.TCPDelegated.SndMax.Add(1000)
		}),
	})
	Register(Fault{
		Name:   "loses-buffered-receive-data-at-terminate",
		Breaks: []*rules.Rule{rules.UploadKeepsTheStream},
		Wrap: terminatingWith(func(b *ndis.MiniportOffloadBlockList) {
			b.TCPDelegated.BufferedData = nil
		}),
	})
	Register(Fault{
		Name:   "withholds-acks-before-terminate",
		Breaks: []*rules.Rule{rules.TerminateSendsDelayedAcks},
		Wrap: rewriting(func(n int, f *frame) bool {
			// A pure acknowledgment is swallowed: the target believes it acknowledged.
			return len(f.payload) == 0 && f.tcp.ACK && !f.tcp.FIN && !f.tcp.RST && n > 2 && dropFrame(f)
		}),
	})
}

// sendingWith returns a target whose send calls hand the inner target the chain reorder
// returns.
func sendingWith(reorder func(*ndis.NetBufferList) *ndis.NetBufferList) func(target.Target) target.Target {
	return func(inner target.Target) target.Target {
		w := &Wrapped{Inner: inner}
		w.Data.Send = func(ctx ndis.Context, chain *ndis.NetBufferList, call func(ndis.Context, *ndis.NetBufferList) (ndis.Status, error)) (ndis.Status, error) {
			return call(ctx, reorder(chain))
		}
		return w
	}
}

func be32(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

// dropFrame marks a frame as swallowed: serialize returns nothing for it.
func dropFrame(f *frame) bool {
	f.drop = true
	return true
}
