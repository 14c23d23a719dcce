package config

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// KeepaliveResetFlag names the TCP_OFFLOAD_STATE_CACHED flag that resets the keepalive state.
type KeepaliveResetFlag string

// Readings of CONFLICT-UPD-02.
const (
	ResetOnMaxRTRestart     KeepaliveResetFlag = "maxRtRestart"
	ResetOnKeepAliveRestart KeepaliveResetFlag = "keepAliveRestart"
)

// UnmarshalYAML accepts only the two readings.
func (f *KeepaliveResetFlag) UnmarshalYAML(n *yaml.Node) error {
	switch KeepaliveResetFlag(n.Value) {
	case ResetOnMaxRTRestart, ResetOnKeepAliveRestart:
		*f = KeepaliveResetFlag(n.Value)
		return nil
	}
	return fmt.Errorf("line %d: interpretations.keepaliveResetFlag %q is not one of [maxRtRestart keepAliveRestart]", n.Line, n.Value)
}
