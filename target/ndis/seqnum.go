package ndis

// SeqNum is a TCP sequence number. Comparisons wrap around modulo 2^32 (RFC 793 §3.3), so
// they stay right across the wrap.
type SeqNum uint32

// LessThan reports whether v comes before w in sequence space.
func (v SeqNum) LessThan(w SeqNum) bool { return int32(v-w) < 0 }

// LessThanEq reports whether v comes before w or equals it.
func (v SeqNum) LessThanEq(w SeqNum) bool { return v == w || v.LessThan(w) }

// Add returns v advanced by n bytes.
func (v SeqNum) Add(n uint32) SeqNum { return v + SeqNum(n) }

// Size returns the number of bytes from v up to w.
func (v SeqNum) Size(w SeqNum) uint32 { return uint32(w - v) }
