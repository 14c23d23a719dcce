package ndis

import (
	"fmt"
	"strings"
)

// Format renders a tree one block per line, indented by depth, with the members a reader of a
// failure needs: role, Type, context slot, Status and outstanding send data.
func Format(root *MiniportOffloadBlockList) string {
	if root == nil {
		return "<nil tree>"
	}
	var sb strings.Builder
	for _, v := range Walk(root) {
		fmt.Fprintf(&sb, "%s%s %s\n", strings.Repeat("  ", v.Depth), v.Path, v.Block.Summary())
	}
	return strings.TrimRight(sb.String(), "\n")
}

// Summary renders one block's own members on one line.
func (b *MiniportOffloadBlockList) Summary() string {
	if b == nil {
		return "<nil block>"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s", b.Role(), b.Header.Type)
	if b.MiniportOffloadContext != nil {
		fmt.Fprintf(&sb, " ctx=%#x", uint64(*b.MiniportOffloadContext))
	}
	fmt.Fprintf(&sb, " handle=%#x status=%s", uint64(b.NdisOffloadHandle), b.Status)
	if b.NetBufferListChain != nil {
		ids := make([]string, 0)
		for _, l := range b.NetBufferListChain.Chain() {
			ids = append(ids, l.String())
		}
		fmt.Fprintf(&sb, " chain=[%s]", strings.Join(ids, " "))
	}
	if d := b.TCPDelegated; d != nil {
		fmt.Fprintf(&sb, " tcp{%s una=%d nxt=%d max=%d rcvnxt=%d}", d.State, d.SndUna, d.SndNxt, d.SndMax, d.RcvNxt)
	}
	return sb.String()
}

// GomegaString lets Gomega print a block as its subtree rather than as a pointer dump.
func (b *MiniportOffloadBlockList) GomegaString() string { return Format(b) }
