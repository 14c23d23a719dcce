package harness

import (
	"slices"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Judges of the completion contract every operation shares: asynchronous completion, a Status
// in every block from the operation's list, placeholders, and the members no target may touch.

// InitiateStatuses are the statuses an initiate may write into a block: the union of the lists
// of the completion, block-list and status pages (INIT-013, CONFLICT-INIT-02).
var InitiateStatuses = []ndis.Status{
	ndis.StatusSuccess, ndis.StatusOffloadPartialSuccess, ndis.StatusFailure, ndis.StatusResources,
	ndis.StatusOffloadTCPEntries, ndis.StatusOffloadPathEntries, ndis.StatusOffloadNeighborEntries,
	ndis.StatusOffloadHWAddressEntries, ndis.StatusOffloadIPAddressEntries, ndis.StatusOffloadVLANEntries,
	ndis.StatusOffloadTCPXmitBuffer, ndis.StatusOffloadTCPRcvBuffer, ndis.StatusOffloadTCPRcvWindow,
	ndis.StatusOffloadVLANMismatch, ndis.StatusOffloadPathMTU, ndis.StatusOffloadConnectionRejected,
}

// SuccessOrFailure are the statuses of a query, update, invalidate or terminate block.
var SuccessOrFailure = []ndis.Status{ndis.StatusSuccess, ndis.StatusFailure}

// AllowedStatuses returns the statuses op may write into a block.
func AllowedStatuses(op Op) []ndis.Status {
	if op == Initiate {
		return InitiateStatuses
	}
	return SuccessOrFailure
}

func init() {
	judgeCompletions("completion contract", judgeContract, contractRules()...)
	judgeCompletions("placeholders", judgePlaceholders,
		rules.PlaceholderGetsStatus, rules.LonePlaceholderSucceeds, rules.TargetFollowsPlaceholderLinks,
		rules.PlaceholderTypeNotSignificant)
	judgeCompletions("reserved members", judgeReserved,
		rules.ProtocolReservedUntouched, rules.ImReservedUntouched, rules.SourceHandleUntouched)
}

func contractRules() []*rules.Rule {
	var out []*rules.Rule
	for _, c := range contracts {
		out = append(out, c.Asynchronous, c.StatusInEveryBlock, c.AllowedStatuses)
	}
	return out
}

// judgeContract: the completion came after the handler returned, and every block has a Status
// from the operation's list.
func judgeContract(j *Judging) {
	c := contractOf(j.Out.Op)
	j.Arose(c.Asynchronous)
	if j.Out.Event.DuringCall {
		j.Violate(c.Asynchronous, "", "%s was called before %s returned", j.Out.Op.Completion(), j.Out.Op.Handler())
	}
	allowed := AllowedStatuses(j.Out.Op)
	for _, v := range j.views {
		st := v.After.Members.Status
		j.Arose(c.StatusInEveryBlock)
		if st == StatusUnwritten {
			j.Violate(c.StatusInEveryBlock, v.Path, "Status was never written (still the harness sentinel)")
			continue
		}
		j.Arose(c.AllowedStatuses)
		if !slices.Contains(allowed, st) {
			j.Violate(c.AllowedStatuses, v.Path, "Status = %s, which %s may not write (allowed: %v)", st.GomegaString(), j.Out.Op.Handler(), allowed)
		}
	}
}

// judgePlaceholders: every placeholder gets a Status, a placeholder with nothing below it
// succeeds, and the blocks a placeholder leads to are processed.
func judgePlaceholders(j *Judging) {
	under := map[*ndis.MiniportOffloadBlockList]bool{}
	var skipped map[*ndis.MiniportOffloadBlockList]bool
	if j.initiating() {
		skipped = j.notAttempted()
	}
	for _, v := range j.views {
		if v.Parent != nil && (under[v.Parent] || j.roleOf(v.Parent) == ndis.RolePlaceholder) {
			under[v.Before.Block] = true
		}
		st := v.After.Members.Status
		if under[v.Before.Block] {
			j.Arose(rules.TargetFollowsPlaceholderLinks)
			if st == StatusUnwritten {
				j.Violate(rules.TargetFollowsPlaceholderLinks, v.Path, "a block below a placeholder was not processed: its Status was never written")
			}
		}
		if v.Role != ndis.RolePlaceholder {
			continue
		}
		j.Arose(rules.PlaceholderGetsStatus)
		if st == StatusUnwritten {
			j.Violate(rules.PlaceholderGetsStatus, v.Path, "the placeholder's Status was never written")
			continue
		}
		if t := v.Before.Members.Header.Type; t.Layer() != v.Layer {
			// A Type of another layer (placeholderTypeArbitrary): the target must treat the
			// block by its position, so everything below it is processed as usual.
			j.Arose(rules.PlaceholderTypeNotSignificant)
			for _, d := range j.subtree(v.Before.Block) {
				if d.After.Members.Status == StatusUnwritten {
					j.Violate(rules.PlaceholderTypeNotSignificant, d.Path, "not processed below a placeholder whose Type is %s", t)
				}
			}
			if j.initiating() && !skipped[v.Before.Block] && !j.S.Readings.PlaceholderStatusFollowsDependents && st != ndis.StatusSuccess {
				j.Violate(rules.PlaceholderTypeNotSignificant, v.Path, "Status = %s on a placeholder whose Type is %s, want NDIS_STATUS_SUCCESS as for any placeholder", st, t)
			}
		}
		if v.Before.Members.DependentBlockList == nil && !skipped[v.Before.Block] {
			j.Arose(rules.LonePlaceholderSucceeds)
			if st != ndis.StatusSuccess {
				j.Violate(rules.LonePlaceholderSucceeds, v.Path, "Status = %s on a placeholder whose DependentBlockList is NULL, want NDIS_STATUS_SUCCESS", st.GomegaString())
			}
		}
	}
}

// roleOf returns the role a block of the outcome had when handed over.
func (j *Judging) roleOf(b *ndis.MiniportOffloadBlockList) ndis.Role { return j.viewOf(b).Role }

// judgeReserved: ProtocolReserved, ImReserved and SourceHandle come back as the host wrote
// them, in every block of every operation that the tree handed back still reaches.
func judgeReserved(j *Judging) {
	back := j.handedBack()
	for _, v := range j.views {
		if !back[v.Before.Block] {
			continue // its members cannot be seen; the lost block is the links' and Status's business
		}
		b, a := v.Before.Members, v.After.Members
		j.Arose(rules.ProtocolReservedUntouched)
		if b.ProtocolReserved != a.ProtocolReserved {
			j.Violate(rules.ProtocolReservedUntouched, v.Path, "ProtocolReserved changed from %#x to %#x", b.ProtocolReserved, a.ProtocolReserved)
		}
		j.Arose(rules.ImReservedUntouched)
		if b.ImReserved != a.ImReserved {
			j.Violate(rules.ImReservedUntouched, v.Path, "ImReserved changed from %#x to %#x", b.ImReserved, a.ImReserved)
		}
		j.Arose(rules.SourceHandleUntouched)
		if b.SourceHandle != a.SourceHandle {
			j.Violate(rules.SourceHandleUntouched, v.Path, "SourceHandle changed from %#x to %#x", b.SourceHandle, a.SourceHandle)
		}
	}
}
