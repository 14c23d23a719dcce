// Package tcp is the reference target's TCP engine: what an offload target does with a
// connection the host has handed it. It adopts a live connection from the constant, cached
// and delegated state of its TCP block and the path and neighbor below it, carries it on over
// the wire (segments built and parsed here, sequence numbers, windows and timestamps kept
// here), moves data between the host's NET_BUFFER_LISTs and the wire exactly as the chimney
// pages say, and hands the connection back at terminate with its delegated state as the wire
// shows it.
//
// The engine is written to be read, one file per concern in the manner of gVisor's
// transport/tcp:
//
//	conn.go     adopting a connection, exporting its delegated state, terminating it
//	segment.go  parsing received frames and forwarded segments
//	frame.go    building the frames the connection transmits (Ethernet, 802.1Q, IPv4/IPv6, TCP)
//	snd.go      the send queue of NET_BUFFER_LISTs, segmentation, windows, send completion
//	rcv.go      segment arrival: acceptability, acknowledgments, in-order data, the receive window
//	deliver.go  the receive delivery algorithm of the flowcharts (posted requests, indications)
//	close.go    FIN and RST both ways and the states the connection moves through
//	forward.go  segments the host forwards (MiniportTcpOffloadForward)
//	timer.go    timers on a target.Clock, ready for retransmission, persist, keepalive and delayed ACK
//	loop.go     the goroutine that drives engines one event at a time
//
// Concurrency: a Conn is not safe for concurrent use. Everything that touches it (the host's
// requests, frames from the wire, timer expiries) runs on one goroutine, a Loop, one event at
// a time. The host's callbacks are made from that goroutine with no lock held; a host that
// calls back into its target from inside a callback has its request posted to the loop and
// handled once the current event is finished. That is how the delivery algorithm's
// "completion or indication in progress: queue it and process it when finished" holds by
// construction.
package tcp
