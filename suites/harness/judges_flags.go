package harness

import (
	"time"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Judges of the resets a connection's cached state asks for (ddi/ns-ndischimney-_tcp_offload_state_cached.md,
// concepts/keepalive-timer.md, concepts/retransmit-timer.md, concepts/updating-cached-variables.md):
// TCP_FLAG_MAX_RT_RESTART and a non-zero MaxRT reset the delegated TotalRT to zero;
// TCP_FLAG_KEEP_ALIVE_RESTART restarts the keepalive timer; with the keepalive reset flag set
// (TCP_FLAG_MAX_RT_RESTART as the pages are written, CONFLICT-UPD-02), an update of KaProbeCount
// resets the delegated KeepAlive.ProbeCount and an update of KaTimeout or KaInterval restarts
// KeepAlive.TimeoutDelta. Each is held against every later query and terminate of the
// connection that succeeds, for as long as nothing but time could have changed the variable:
// the contract has no data path, so no segment is sent or received (see each judge for what
// time alone can do). Checked after updates only: at initiate the host hands the delegated
// values over itself, and no page says whether the flags or those values win.
//
// Timer variables count clock ticks, whose length no page gives; like the update specs, the
// judges take a tick to be no shorter than a millisecond, so that the milliseconds since an
// update bound the ticks that can have run. A target whose timers do not run (the reference)
// shows the values of the update exactly.
//
// Two reset rules need a declaration a target cannot yet make: STATE-066 and STATE-069 require
// 0xFFFFFFFF in SendBacklogSize and ReceiveBacklogSize from a target that does not support the
// backlog-size features, and target.Capabilities has no declaration of that support, so no
// judge applies them (the specs of state.go check the weaker readings the catalog notes).

func init() {
	judgeCompletions("cached flag resets", judgeCachedResets,
		rules.MaxRTRestartFlagZeroesTotalRT, rules.NonZeroMaxRTResetsTotalRT, rules.KeepAliveRestartFlagRestartsTimer,
		rules.ResetKeepaliveProbeCount, rules.ResetKeepaliveTimeoutDelta)
	judgeCompletions("no reset without the restart flags", judgeNoResetWithoutFlags, rules.NoResetWithoutRestartFlag)
}

// judgeNoResetWithoutFlags: when no update of a connection set TCP_FLAG_KEEP_ALIVE_RESTART or
// TCP_FLAG_MAX_RT_RESTART or carried a non-zero MaxRT (UPD-049), a query or terminate that
// succeeded shows none of the delegated variables those reset as reset, for as long as only time
// could have changed them (no data path: nothing is sent or received): TotalRT, not zero at
// offload with nothing outstanding, is not zero; KeepAlive.ProbeCount, while no probe can have
// gone out, is not below what it was offloaded with; KeepAlive.TimeoutDelta is no more than the
// timer could have had without a restart (what it was offloaded with, or, had it run out and a
// probe gone out, a KaInterval), which only counts down.
func judgeNoResetWithoutFlags(j *Judging) {
	j.eachUpdatedConnection(func(v blockView, o *Object, got, given ndis.TCPOffloadStateDelegated) {
		bound := uint32(0) // the most the keepalive timer can have left without a restart
		for _, u := range o.CachedUpdates {
			if u.Concurrent || u.Given.Flags&(ndis.TCPFlagKeepAliveRestart|ndis.TCPFlagMaxRTRestart) != 0 || u.Given.MaxRT != 0 {
				bound = ^uint32(0)
				break
			}
			bound = max(bound, u.Before.KaInterval, u.Given.KaInterval)
		}
		if bound == ^uint32(0) {
			return // an update asked for a reset: judgeCachedResets holds it
		}
		d0 := o.State.TCPDelegated
		rule := rules.NoResetWithoutRestartFlag
		if d0.TotalRT != 0 && !o.HadSendData && !o.OnTheWire && d0.SndUna == d0.SndMax && got.TotalRT != given.TotalRT {
			j.Arose(rule)
			if got.TotalRT == 0 {
				j.Violate(rule, v.Path, "TCPDelegated.TotalRT = 0, offloaded as %d: no update set TCP_FLAG_MAX_RT_RESTART or a non-zero MaxRT, and nothing was retransmitted", d0.TotalRT)
			}
		}
		enabled := o.State.TCPCached.Flags&ndis.TCPFlagKeepAliveEnabled != 0
		for _, u := range o.CachedUpdates {
			enabled = u.Given.Flags&ndis.TCPFlagKeepAliveEnabled != 0
		}
		quiet := !enabled || !keepAliveMayHaveRunOut(o, j.Out.Event.At)
		if quiet && d0.KeepAlive.ProbeCount > 0 && got.KeepAlive.ProbeCount != given.KeepAlive.ProbeCount {
			j.Arose(rule)
			if got.KeepAlive.ProbeCount < d0.KeepAlive.ProbeCount {
				j.Violate(rule, v.Path, "TCPDelegated.KeepAlive.ProbeCount = %d, offloaded as %d: no update set a restart flag, and no probe can have been answered", got.KeepAlive.ProbeCount, d0.KeepAlive.ProbeCount)
			}
		}
		if d := d0.KeepAlive.TimeoutDelta; enabled && d != ndis.TimerNotRunning && got.KeepAlive.TimeoutDelta != given.KeepAlive.TimeoutDelta &&
			got.KeepAlive.TimeoutDelta != ndis.TimerNotRunning {
			j.Arose(rule)
			if most := max(d, bound, o.State.TCPCached.KaInterval); got.KeepAlive.TimeoutDelta > most {
				j.Violate(rule, v.Path, "TCPDelegated.KeepAlive.TimeoutDelta = %d, more than the %d the timer can have had without a restart (offloaded with %d): no update set a restart flag",
					got.KeepAlive.TimeoutDelta, most, d)
			}
		}
	})
}

// judgeCachedResets: on every query or terminate block that succeeded for a connection whose
// cached variables were updated, the delegated variables the updates reset read as reset.
// An outcome that overlapped another operation is left alone: the target may have served it
// before or after an update outstanding at the same time.
func judgeCachedResets(j *Judging) {
	j.eachUpdatedConnection(func(v blockView, o *Object, got, given ndis.TCPOffloadStateDelegated) {
		j.judgeTotalRT(v, o, got, given)
		j.judgeKeepAliveResets(v, o, got, given)
	})
}

// eachUpdatedConnection calls judge for every block of a query or terminate that succeeded
// for a connection whose cached variables were updated, with the delegated state it returned
// (got) and the one the host handed over (given). An outcome that overlapped another
// operation is left alone: the target may have served it before or after an update
// outstanding at the same time.
func (j *Judging) eachUpdatedConnection(judge func(v blockView, o *Object, got, given ndis.TCPOffloadStateDelegated)) {
	if j.Out.Op != Query && j.Out.Op != Terminate || j.Out.Concurrent || j.Out.Event.Tree == nil {
		return
	}
	for _, v := range j.views {
		if v.After.Members.Status != ndis.StatusSuccess {
			continue
		}
		o, isConn := j.connectionAt(v)
		if !isConn || len(o.CachedUpdates) == 0 || o.State.TCPDelegated == nil || o.State.TCPCached == nil {
			continue
		}
		got, ok := tcpDelegatedAt(v.After)
		if !ok {
			continue
		}
		given, _ := tcpDelegatedAt(v.Before)
		judge(v, o, got, given)
	}
}

// judgeTotalRT: once an update set TCP_FLAG_MAX_RT_RESTART (STATE-029) or a non-zero MaxRT
// (STATE-037, a SHOULD), TotalRT reads 0, for a connection with nothing to retransmit (no send
// data handed over, SndUna = SndMax): only retransmitting makes it grow again.
func (j *Judging) judgeTotalRT(v blockView, o *Object, got, given ndis.TCPOffloadStateDelegated) {
	var rule *rules.Rule
	var why string
	for _, u := range o.CachedUpdates {
		switch {
		case u.Given.Flags&ndis.TCPFlagMaxRTRestart != 0:
			rule, why = rules.MaxRTRestartFlagZeroesTotalRT, "an update set TCP_FLAG_MAX_RT_RESTART"
		case u.Given.MaxRT != 0 && rule == nil:
			rule, why = rules.NonZeroMaxRTResetsTotalRT, "an update carried a non-zero MaxRT"
		}
	}
	d0 := o.State.TCPDelegated
	if rule == nil || o.HadSendData || o.OnTheWire || d0.SndUna != d0.SndMax {
		return
	}
	if got.TotalRT == given.TotalRT && got.TotalRT != 0 {
		return // never written: the returned-state judges say so
	}
	j.Arose(rule)
	if got.TotalRT != 0 {
		j.Violate(rule, v.Path, "TCPDelegated.TotalRT = %d, want 0: %s, and the connection has had nothing to retransmit since (TotalRT was %d at offload)",
			got.TotalRT, why, d0.TotalRT)
	}
}

// judgeKeepAliveResets holds the keepalive variables against the connection's last update,
// when that update restarted the keepalive timer or reset the probe count.
func (j *Judging) judgeKeepAliveResets(v blockView, o *Object, got, given ndis.TCPOffloadStateDelegated) {
	last := len(o.CachedUpdates) - 1
	u := o.CachedUpdates[last]
	if u.Concurrent {
		return // another update of it may have been applied after this one
	}
	c := u.Given
	resetFlag, flagName := ndis.TCPFlagMaxRTRestart, "TCP_FLAG_MAX_RT_RESTART"
	if j.S.Readings.KeepaliveResetFlag == config.ResetOnKeepAliveRestart {
		resetFlag, flagName = ndis.TCPFlagKeepAliveRestart, "TCP_FLAG_KEEP_ALIVE_RESTART"
	}
	enabled := c.Flags&ndis.TCPFlagKeepAliveEnabled != 0
	restart := c.Flags&ndis.TCPFlagKeepAliveRestart != 0
	resetDelta := c.Flags&resetFlag != 0 && (c.KaTimeout != u.Before.KaTimeout || c.KaInterval != u.Before.KaInterval)
	resetProbes := c.Flags&resetFlag != 0 && c.KaProbeCount != u.Before.KaProbeCount
	elapsed := ticksSince(u.Began, j.Out.Event.At)

	// The most the timer can have had left just before the update: what it was offloaded with
	// (a stopped timer, nothing), or the longest timeout of an earlier update, had one restarted
	// it; it only counts down from there.
	var before uint32
	if d := o.State.TCPDelegated.KeepAlive.TimeoutDelta; d != ndis.TimerNotRunning {
		before = d
	}
	for _, e := range o.CachedUpdates[:last] {
		before = max(before, e.Given.KaTimeout, e.Given.KaInterval)
	}

	delta := got.KeepAlive.TimeoutDelta
	deltaWritten := delta != given.KeepAlive.TimeoutDelta
	if restart && enabled && deltaWritten {
		j.judgeRestartedTimer(v, rules.KeepAliveRestartFlagRestartsTimer, "TCP_FLAG_KEEP_ALIVE_RESTART", delta, c.KaTimeout, c, before, elapsed)
	}
	if resetDelta && enabled && deltaWritten {
		j.judgeRestartedTimer(v, rules.ResetKeepaliveTimeoutDelta, flagName+" with a new KaTimeout or KaInterval", delta, min(c.KaTimeout, c.KaInterval), c, before, elapsed)
	}
	// Probes are sent only when the keepalive timer runs out: never with keepalive disabled.
	quiet := !enabled || !keepAliveMayHaveRunOut(o, j.Out.Event.At)
	if resetProbes && quiet && got.KeepAlive.ProbeCount != given.KeepAlive.ProbeCount {
		j.Arose(rules.ResetKeepaliveProbeCount)
		if got.KeepAlive.ProbeCount != 0 {
			j.Violate(rules.ResetKeepaliveProbeCount, v.Path,
				"TCPDelegated.KeepAlive.ProbeCount = %d, want 0: the last update set %s and changed KaProbeCount from %d to %d, and no keepalive probe can have been sent since",
				got.KeepAlive.ProbeCount, flagName, u.Before.KaProbeCount, c.KaProbeCount)
		}
	}
}

// judgeRestartedTimer holds KeepAlive.TimeoutDelta after an update that restarted the
// keepalive timer: the timer runs; it has no more left than the longest keepalive timeout
// (KaTimeout, or KaInterval once probing); and while the shortest timeout it can have
// restarted with (least) has more left than the timer could have had without the restart
// (before), which only counted down, it shows more than that.
func (j *Judging) judgeRestartedTimer(v blockView, rule *rules.Rule, cause string, delta, least uint32, c ndis.TCPOffloadStateCached, before, elapsed uint32) {
	j.Arose(rule)
	most := max(c.KaTimeout, c.KaInterval)
	switch {
	case delta == ndis.TimerNotRunning:
		j.Violate(rule, v.Path, "TCPDelegated.KeepAlive.TimeoutDelta = -1 (not running), but keepalive is enabled and the last update set %s, which restarts the timer", cause)
	case delta > most:
		j.Violate(rule, v.Path, "TCPDelegated.KeepAlive.TimeoutDelta = %d, more than a restarted timer has to run (KaTimeout %d, KaInterval %d); the last update set %s",
			delta, c.KaTimeout, c.KaInterval, cause)
	case uint64(before)+uint64(elapsed) < uint64(least) && delta <= before:
		j.Violate(rule, v.Path, "TCPDelegated.KeepAlive.TimeoutDelta = %d, no more than the %d ticks the timer had at most before the last update, which set %s: "+
			"a timer restarted then would have at least %d of its %d ticks left after the %d ms since (the remaining time was carried over)",
			delta, before, cause, uint64(least)-uint64(elapsed), least, elapsed)
	}
}

// keepAliveMayHaveRunOut reports whether the connection's keepalive timer may have run out
// (and a probe gone out) between its offload and at: whatever it ran from, the time left
// handed over at offload or a keepalive timeout of the offload or of any update since, that
// much time may have passed.
func keepAliveMayHaveRunOut(o *Object, at time.Time) bool {
	ranOut := func(from time.Time, ticks uint32) bool { return uint64(ticksSince(from, at)) >= uint64(ticks) }
	if d := o.State.TCPDelegated.KeepAlive.TimeoutDelta; d != ndis.TimerNotRunning && ranOut(o.Began, d) {
		return true
	}
	if len(o.CachedUpdates) > 0 {
		first := o.CachedUpdates[0].Before // the cached variables it was offloaded with
		if ranOut(o.Began, min(first.KaTimeout, first.KaInterval)) {
			return true
		}
	}
	for _, u := range o.CachedUpdates {
		if ranOut(u.Began, min(u.Given.KaTimeout, u.Given.KaInterval)) {
			return true
		}
	}
	return false
}

// ticksSince bounds the clock ticks between two moments. A tick is 1/TicksPerSecond of a
// second, which the host sets in OID_TCP_CONNECTION_OFFLOAD_PARAMETERS; this host never sets
// it (the contract carries no OIDs yet), so the page's default of 1000 holds
// (ddi/ns-ndischimney-_ndis_tcp_connection_offload_parameters.md) and a tick is a millisecond.
func ticksSince(from, to time.Time) uint32 {
	ms := to.Sub(from).Milliseconds() + 1
	if ms < 0 {
		return 0
	}
	return uint32(min(ms, 1<<31))
}
