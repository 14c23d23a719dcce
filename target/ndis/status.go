package ndis

import "fmt"

// Status mirrors NDIS_STATUS (ndis.h). It is data written into blocks and NET_BUFFER_LISTs,
// not a Go error: which values an operation may write is a rule of the suite.
type Status uint32

// Status values used by the chimney pages, with the numbers of ndis.h and ntstatus.h.
const (
	StatusSuccess                            Status = 0x00000000
	StatusPending                            Status = 0x00000103
	StatusNotAccepted                        Status = 0x00010003
	StatusFailure                            Status = 0xC0000001
	StatusResources                          Status = 0xC000009A
	StatusNotSupported                       Status = 0xC00000BB
	StatusInvalidParameter                   Status = 0xC000000D
	StatusInvalidState                       Status = 0xC0000184 // = STATUS_INVALID_DEVICE_STATE
	StatusRequestAborted                     Status = 0xC001000C
	StatusUploadInProgress                   Status = 0xC0231001
	StatusRequestUpload                      Status = 0xC0231002
	StatusUploadRequested                    Status = 0xC0231003
	StatusOffloadTCPEntries                  Status = 0xC0231004
	StatusOffloadPathEntries                 Status = 0xC0231005
	StatusOffloadNeighborEntries             Status = 0xC0231006
	StatusOffloadIPAddressEntries            Status = 0xC0231007
	StatusOffloadHWAddressEntries            Status = 0xC0231008
	StatusOffloadVLANEntries                 Status = 0xC0231009
	StatusOffloadTCPXmitBuffer               Status = 0xC023100A
	StatusOffloadTCPRcvBuffer                Status = 0xC023100B
	StatusOffloadTCPRcvWindow                Status = 0xC023100C
	StatusOffloadVLANMismatch                Status = 0xC023100D
	StatusOffloadDataNotAccepted             Status = 0xC023100E
	StatusOffloadPolicy                      Status = 0xC023100F
	StatusOffloadDataPartiallyAccepted       Status = 0xC0231010
	StatusOffloadRequestReset                Status = 0xC0231011
	StatusOffloadConnectionRejected          Status = 0xC0231012
	StatusOffloadPause                       Status = 0x40020001
	StatusUploadAll                          Status = 0x40020002
	StatusOffloadResume                      Status = 0x40020003
	StatusOffloadPartialSuccess              Status = 0x40020004
	StatusOffloadStateInvalid                Status = 0x40020005
	StatusTCPConnectionOffloadHWCapabilities Status = 0x4002000B

	// StatusOffloadPathMTU mirrors NDIS_STATUS_OFFLOAD_PATH_MTU, which the block-list and
	// completion pages name but no published header defines. The suite gives it a private
	// number in the unused tail of the 0xC0231xxx range so that the status is expressible;
	// a target built against real headers cannot write it.
	StatusOffloadPathMTU Status = 0xC02310FF
)

var statusNames = map[Status]string{
	StatusSuccess:                            "NDIS_STATUS_SUCCESS",
	StatusPending:                            "NDIS_STATUS_PENDING",
	StatusNotAccepted:                        "NDIS_STATUS_NOT_ACCEPTED",
	StatusFailure:                            "NDIS_STATUS_FAILURE",
	StatusResources:                          "NDIS_STATUS_RESOURCES",
	StatusNotSupported:                       "NDIS_STATUS_NOT_SUPPORTED",
	StatusInvalidParameter:                   "NDIS_STATUS_INVALID_PARAMETER",
	StatusInvalidState:                       "NDIS_STATUS_INVALID_STATE",
	StatusRequestAborted:                     "NDIS_STATUS_REQUEST_ABORTED",
	StatusUploadInProgress:                   "NDIS_STATUS_UPLOAD_IN_PROGRESS",
	StatusRequestUpload:                      "NDIS_STATUS_REQUEST_UPLOAD",
	StatusUploadRequested:                    "NDIS_STATUS_UPLOAD_REQUESTED",
	StatusOffloadTCPEntries:                  "NDIS_STATUS_OFFLOAD_TCP_ENTRIES",
	StatusOffloadPathEntries:                 "NDIS_STATUS_OFFLOAD_PATH_ENTRIES",
	StatusOffloadNeighborEntries:             "NDIS_STATUS_OFFLOAD_NEIGHBOR_ENTRIES",
	StatusOffloadIPAddressEntries:            "NDIS_STATUS_OFFLOAD_IP_ADDRESS_ENTRIES",
	StatusOffloadHWAddressEntries:            "NDIS_STATUS_OFFLOAD_HW_ADDRESS_ENTRIES",
	StatusOffloadVLANEntries:                 "NDIS_STATUS_OFFLOAD_VLAN_ENTRIES",
	StatusOffloadTCPXmitBuffer:               "NDIS_STATUS_OFFLOAD_TCP_XMIT_BUFFER",
	StatusOffloadTCPRcvBuffer:                "NDIS_STATUS_OFFLOAD_TCP_RCV_BUFFER",
	StatusOffloadTCPRcvWindow:                "NDIS_STATUS_OFFLOAD_TCP_RCV_WINDOW",
	StatusOffloadVLANMismatch:                "NDIS_STATUS_OFFLOAD_VLAN_MISMATCH",
	StatusOffloadDataNotAccepted:             "NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED",
	StatusOffloadPolicy:                      "NDIS_STATUS_OFFLOAD_POLICY",
	StatusOffloadDataPartiallyAccepted:       "NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED",
	StatusOffloadRequestReset:                "NDIS_STATUS_OFFLOAD_REQUEST_RESET",
	StatusOffloadConnectionRejected:          "NDIS_STATUS_OFFLOAD_CONNECTION_REJECTED",
	StatusOffloadPause:                       "NDIS_STATUS_OFFLOAD_PAUSE",
	StatusUploadAll:                          "NDIS_STATUS_UPLOAD_ALL",
	StatusOffloadResume:                      "NDIS_STATUS_OFFLOAD_RESUME",
	StatusOffloadPartialSuccess:              "NDIS_STATUS_OFFLOAD_PARTIAL_SUCCESS",
	StatusOffloadStateInvalid:                "NDIS_STATUS_OFFLOAD_STATE_INVALID",
	StatusTCPConnectionOffloadHWCapabilities: "NDIS_STATUS_TCP_CONNECTION_OFFLOAD_HARDWARE_CAPABILITIES",
	StatusOffloadPathMTU:                     "NDIS_STATUS_OFFLOAD_PATH_MTU",
}

// String returns the NDIS name, or the number for a value the model does not know.
func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("NDIS_STATUS(0x%08X)", uint32(s))
}

// Known reports whether s is a status value the model names.
func (s Status) Known() bool {
	_, ok := statusNames[s]
	return ok
}

// Statuses returns every status value the model names.
func Statuses() []Status {
	out := make([]Status, 0, len(statusNames))
	for s := range statusNames {
		out = append(out, s)
	}
	return out
}

// GomegaString makes Gomega print a status by name and number in a failure message.
func (s Status) GomegaString() string { return fmt.Sprintf("%s (0x%08X)", s, uint32(s)) }
