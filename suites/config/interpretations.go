package config

// Interpretations are the readings the suite takes where the documents disagree and both
// readings are reasonable. Each key names a recorded conflict of the rule catalog; false (or
// the first value) is the suite's default reading.
type Interpretations struct {
	// PlaceholderTypeArbitrary (CONFLICT-TREE-01): placeholders are sent with a Type of another
	// layer, and the target must ignore it.
	PlaceholderTypeArbitrary bool `yaml:"placeholderTypeArbitrary"`
	// LinkerAllDependentsFailedPartialSuccess (CONFLICT-INIT-11): a linker whose dependents all
	// failed gets NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS instead of NDIS_STATUS_FAILURE.
	LinkerAllDependentsFailedPartialSuccess bool `yaml:"linkerAllDependentsFailedPartialSuccess"`
	// PlaceholderStatusFollowsDependents (CONFLICT-INIT-10): a placeholder's initiate status
	// follows its immediately dependent blocks like any block's whose own part succeeded
	// (SUCCESS, or OFFLOAD_PARTIAL_SUCCESS when one or more failed), instead of always
	// NDIS_STATUS_SUCCESS.
	PlaceholderStatusFollowsDependents bool `yaml:"placeholderStatusFollowsDependents"`
	// UpdateAppliedBeforeReturn (CONFLICT-UPD-01): the target applies an update before
	// MiniportUpdateOffload returns, so a query between return and completion sees it.
	UpdateAppliedBeforeReturn bool `yaml:"updateAppliedBeforeReturn"`
	// KeepaliveResetFlag (CONFLICT-UPD-02): which cached flag resets the keepalive probe count
	// and timeout on update: "maxRtRestart" (as the pages are written) or "keepAliveRestart".
	KeepaliveResetFlag KeepaliveResetFlag `yaml:"keepaliveResetFlag"`
	// RootFailureStopsWholeTree (CONFLICT-INIT-08): when the root block of an initiate tree
	// (a new offload) cannot be offloaded, the traversal ends there, so the blocks after it
	// through NextBlock are not offloaded either. On by default, as the partial-offload page
	// says; off, only the failed root's own subtree is skipped and the next-linked top-level
	// blocks are still attempted. A linker or placeholder root carries no state of its own.
	RootFailureStopsWholeTree bool `yaml:"rootFailureStopsWholeTree"`
	// PathOrNeighborFailureStopsWholeTree (CONFLICT-INIT-13): when a path or neighbor block
	// that is not the root, and that the traversal reached, cannot be offloaded, the traversal ends there, as step 6 of the
	// partial-offload example can be read; by default only its own subtree is skipped.
	PathOrNeighborFailureStopsWholeTree bool `yaml:"pathOrNeighborFailureStopsWholeTree"`
	// AcceptResourcesForEntryLimits (CONFLICT-INIT-07): NDIS_STATUS_RESOURCES is accepted where
	// a declared entry or buffer limit is exceeded, beside the specific status.
	AcceptResourcesForEntryLimits bool `yaml:"acceptResourcesForEntryLimits"`
	// InvalidateFailureHung (CONFLICT-INV-02): NDIS_STATUS_FAILURE on an invalidate means the
	// target has stopped responding, so nothing is required of it afterwards; by default it
	// reports corrupt hardware state and the target still completes the host's terminate.
	InvalidateFailureHung bool `yaml:"invalidateFailureHung"`
	// AcceptFailureWithoutCause (CONFLICT-TERM-02): NDIS_STATUS_FAILURE on a query, invalidate
	// or terminate of healthy objects is taken as the corrupt-hardware or catastrophic failure
	// it reports, so a spec that needs the operation done skips; by default it counts against
	// the rule the spec checks.
	AcceptFailureWithoutCause bool `yaml:"acceptFailureWithoutCause"`
	// InitiateSendDataOnlySendCompleted (CONFLICT-SEND-04): lists handed over in an initiate's
	// NetBufferListChain are only ever send-completed, never handed back at terminate; by
	// default the target may do either.
	InitiateSendDataOnlySendCompleted bool `yaml:"initiateSendDataOnlySendCompleted"`
	// TerminateSndUnaAnywhereInChain (CONFLICT-SEND-08): the SndUna/SndNxt/SndMax mapping onto
	// the MDLs is not required of a chain handed back at terminate; by default SndUna is its
	// first byte, as for the chain handed over at initiate.
	TerminateSndUnaAnywhereInChain bool `yaml:"terminateSndUnaAnywhereInChain"`
	// FailRestWithinOneCompletion (CONFLICT-SEND-11): after a failed list, only the later lists of
	// the same NdisTcpOffloadSendComplete call must fail; by default every later list of the
	// connection, in posted order, in whatever call.
	FailRestWithinOneCompletion bool `yaml:"failRestWithinOneCompletion"`
}
