// Rules of what a target declares of itself: the NDIS_TCP_CONNECTION_OFFLOAD capabilities it
// reports when opened.
package rules

// Page paths used by this file, relative to the documentation folder.
const (
	capPgConnectionOffload = "ddi/ns-ntddndis-_ndis_tcp_connection_offload.md"
	capPgNumericValues     = "NUMERIC-VALUES.md"
)

// CAP: the declared NDIS_TCP_CONNECTION_OFFLOAD.
var (
	// ChimneyEncapsulation: the encapsulation that makes chimney capability recognized.
	ChimneyEncapsulation = Define(Rule{
		ID:            "CAP-001",
		Level:         Must,
		Text:          "A chimney-capable target sets NDIS_ENCAPSULATION_IEEE_802_3, NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED or both in the Encapsulation member of the NDIS_TCP_CONNECTION_OFFLOAD it declares; otherwise its chimney capability is not recognized.",
		Sources:       []string{capPgConnectionOffload, capPgNumericValues},
		Observability: Observable,
		Note:          "Read as a bitmask (the page calls the member's values flags, and its list of flags is lost): the suite requires one of the two bits (0x2, 0x10) set and allows others beside them.",
	})

	// IPv4OrIPv6: a target supports at least one IP version.
	IPv4OrIPv6 = Define(Rule{
		ID:            "CAP-002",
		Level:         Must,
		Text:          "An offload target supports IPv4 or IPv6 or both: the NDIS_TCP_CONNECTION_OFFLOAD it declares sets SupportIPv4, SupportIPv6 or both.",
		Sources:       []string{capPgConnectionOffload},
		Observability: Observable,
		Note:          "Which of the two, and whether SACK or IPv6 extension headers, is the target's choice; the specs that need one skip when it is not declared.",
	})
)
