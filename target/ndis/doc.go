// Package ndis is the model of the TCP chimney offload interface: the structures and values of
// ndischimney.h that cross between the host stack and an offload target.
//
// Names are transliterated mechanically from NDIS (NDIS_MINIPORT_OFFLOAD_BLOCK_LIST becomes
// MiniportOffloadBlockList) and String methods return the exact NDIS spelling. The model
// expresses trees that break the documented rules too: Validate names what is wrong, it never
// refuses to build.
package ndis
