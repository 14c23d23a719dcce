package harness

import (
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Judges of the backlog sizes a query of TCP delegated state returns. No target declares
// whether it supports the backlog-size features, so each judges what holds either way: the
// send backlog size is written (0xFFFFFFFF, or a size), and the receive backlog size is
// 0xFFFFFFFF or the bytes the target holds buffered, which with no receive path yet are
// exactly those handed over at offload.

func init() {
	judgeCompletions("backlog sizes", judgeBacklog, rules.UnsupportedSendBacklogIsAllOnes, rules.UnsupportedReceiveBacklogIsAllOnes)
}

func judgeBacklog(j *Judging) {
	if j.Out.Op != Query {
		return
	}
	for _, v := range j.views {
		if v.Role != ndis.RoleLinker || v.After.Members.Status != ndis.StatusSuccess {
			continue
		}
		o, live := j.Model.Object(v.Before.Slot)
		before, ok := v.Before.States[8].(ndis.TCPOffloadStateDelegated)
		after, ok2 := v.After.States[8].(ndis.TCPOffloadStateDelegated)
		if !live || !ok || !ok2 || o.Layer != ndis.LayerTCP {
			continue
		}
		j.Arose(rules.UnsupportedSendBacklogIsAllOnes)
		if after.SendBacklogSize == before.SendBacklogSize && before.SendBacklogSize != ndis.BacklogNotSupported {
			j.Violate(rules.UnsupportedSendBacklogIsAllOnes, v.Path, "SendBacklogSize = %#x, still the value the host left there: the target wrote neither 0xFFFFFFFF nor a send backlog size", after.SendBacklogSize)
		}
		j.Arose(rules.UnsupportedReceiveBacklogIsAllOnes)
		if held := uint32(len(o.Buffered)); after.ReceiveBacklogSize != ndis.BacklogNotSupported && after.ReceiveBacklogSize != held {
			j.Violate(rules.UnsupportedReceiveBacklogIsAllOnes, v.Path, "ReceiveBacklogSize = %#x, want 0xFFFFFFFF (not supported) or %d, the bytes of buffered receive data the target holds", after.ReceiveBacklogSize, held)
		}
	}
}
