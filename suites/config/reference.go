package config

import "github.com/ndis-chimney/conformance/reference"

// ReferenceConfig returns the configuration of the bundled reference target that follows this
// file: the limits of target.reference.limits and the readings of interpretations, so the
// reference takes the same reading as the specs whether it runs in process or as
// cmd/reference-target.
func (c *Config) ReferenceConfig() reference.Config {
	in := c.Interpretations
	return reference.Config{
		Limits:                              c.Target.Reference.Limits.TargetLimits(),
		PlaceholderStatusFromDependents:     in.PlaceholderStatusFollowsDependents,
		LinkerAllFailedPartialSuccess:       in.LinkerAllDependentsFailedPartialSuccess,
		RootFailureStopsWholeTree:           in.RootFailureStopsWholeTree,
		PathOrNeighborFailureStopsWholeTree: in.PathOrNeighborFailureStopsWholeTree,
		KeepaliveResetOnKeepAliveRestart:    in.KeepaliveResetFlag == ResetOnKeepAliveRestart,
		SendCompleteInitiateData:            in.InitiateSendDataOnlySendCompleted,
	}
}
