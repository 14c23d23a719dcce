package wire

import (
	"encoding/binary"
	"fmt"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// Check returns what is wrong with a decoded frame that a receiver would drop it for: a part
// gopacket could not decode, a bad IPv4 header checksum, a bad TCP or UDP checksum. gopacket
// verifies none of the checksums, so they are recomputed here from the bytes on the wire.
func Check(p gopacket.Packet) []error {
	var errs []error
	if e := p.ErrorLayer(); e != nil {
		errs = append(errs, fmt.Errorf("undecodable: %v", e.Error()))
	}
	var pseudo func(proto byte, length int) uint32
	if ip, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
		hdr := ip.Contents
		if sum := onesSum(0, hdr); fold(sum) != 0xffff {
			errs = append(errs, fmt.Errorf("IPv4 header checksum %#04x is wrong (want %#04x)", ip.Checksum, want(hdr, 10)))
		}
		src, dst := ip.SrcIP.To4(), ip.DstIP.To4()
		pseudo = func(proto byte, length int) uint32 {
			s := onesSum(0, src)
			s = onesSum(s, dst)
			return s + uint32(proto) + uint32(length)
		}
	}
	if ip, ok := p.Layer(layers.LayerTypeIPv6).(*layers.IPv6); ok {
		src, dst := ip.SrcIP.To16(), ip.DstIP.To16()
		pseudo = func(proto byte, length int) uint32 {
			s := onesSum(0, src)
			s = onesSum(s, dst)
			return s + uint32(length>>16) + uint32(length&0xffff) + uint32(proto)
		}
	}
	if pseudo == nil {
		return errs
	}
	if t, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP); ok {
		seg := append(append([]byte{}, t.Contents...), t.Payload...)
		if fold(onesSum(pseudo(6, len(seg)), seg)) != 0xffff {
			errs = append(errs, fmt.Errorf("TCP checksum %#04x is wrong (want %#04x)", t.Checksum, transportWant(pseudo(6, len(seg)), seg, 16)))
		}
	}
	if u, ok := p.Layer(layers.LayerTypeUDP).(*layers.UDP); ok && u.Checksum != 0 {
		seg := append(append([]byte{}, u.Contents...), u.Payload...)
		if fold(onesSum(pseudo(17, len(seg)), seg)) != 0xffff {
			errs = append(errs, fmt.Errorf("UDP checksum %#04x is wrong (want %#04x)", u.Checksum, transportWant(pseudo(17, len(seg)), seg, 6)))
		}
	}
	return errs
}

// onesSum adds b to sum as 16-bit big-endian words (an odd last byte padded with zero).
func onesSum(sum uint32, b []byte) uint32 {
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	return sum
}

// fold folds the carries of a ones' complement sum into 16 bits.
func fold(sum uint32) uint16 {
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

// want is the checksum a header should carry at offset at, computed with that field zeroed.
func want(hdr []byte, at int) uint16 {
	return transportWant(0, hdr, at)
}

func transportWant(start uint32, b []byte, at int) uint16 {
	c := append([]byte{}, b...)
	if at+1 < len(c) {
		c[at], c[at+1] = 0, 0
	}
	return ^fold(onesSum(start, c))
}
