package harness

import (
	"fmt"
	"reflect"

	"github.com/ndis-chimney/conformance/suites/rules"
	"github.com/ndis-chimney/conformance/target/ndis"
)

// Judges of the state structures a query or terminate writes back, held against the host's
// model of each object: the constant and cached variables it was offloaded or last updated
// with, and the delegated variables only traffic changes.

func init() {
	judgeCompletions("returned state", judgeReturnedState,
		rules.QueryFillsEveryStateStructure, rules.QueryReturnsCurrentDelegatedValues, rules.QuerySuccessMeaning,
		rules.TerminateReturnsDelegatedValues, rules.TerminateSuccessMeaning, rules.ConstantVariablesNeverChange,
		rules.TargetNeverChangesCachedVariables, rules.TargetResolvesContext, rules.UpdateCopiesCachedValues,
		rules.UpdateOnlyCachedVariables, rules.UpdateAppliedByCompletion, rules.ConnectionStateValues,
		rules.SRttScaledByEight, rules.RttVarScaledByFour, rules.StoppedTimerReturnedAsMinusOne,
		rules.HeaderTypeNamesFollowingState)
	judgeCompletions("invalidate writes no state", judgeInvalidateWritesNoState, rules.InvalidateWritesNoState)
}

// delegatedCompared are the TCP delegated variables only traffic changes, so that with no data
// path a query or terminate returns them as offloaded.
var delegatedCompared = []string{"State", "RcvNxt", "SndUna", "SndNxt", "SndMax"}

// judgeReturnedState: on every query or terminate block that succeeded on a live object, each
// state structure the host asked for is written, and holds that object's values.
func judgeReturnedState(j *Judging) {
	if j.Out.Op != Query && j.Out.Op != Terminate {
		return
	}
	for _, v := range j.views {
		if v.Role != ndis.RoleLinker || v.After.Members.Status != ndis.StatusSuccess {
			continue
		}
		o, live := j.Model.Object(v.Before.Slot)
		if !live {
			continue
		}
		j.Arose(rules.HeaderTypeNamesFollowingState)
		if j.Out.Op == Query {
			j.Arose(rules.QuerySuccessMeaning)
			j.Arose(rules.QueryFillsEveryStateStructure)
		} else {
			j.Arose(rules.TerminateSuccessMeaning)
		}
		j.Arose(rules.TargetResolvesContext)
		for i, name := range stateMembers {
			before, after := v.Before.States[i], v.After.States[i]
			if before == nil {
				continue
			}
			if after == nil {
				j.Violate(j.unwrittenRule(name), v.Path, "the %s structure the host placed after the block is gone", name)
				continue
			}
			want := reflect.ValueOf(o.State).FieldByName(name)
			if want.IsNil() {
				j.Arose(rules.HeaderTypeNamesFollowingState)
				continue // the object has no such structure: the Type judge of the spec decides
			}
			j.compareState(v, o, name, before, after, want.Elem().Interface())
		}
	}
}

// unwrittenRule is the rule a structure left unwritten breaks.
func (j *Judging) unwrittenRule(member string) *rules.Rule {
	switch {
	case j.Out.Op == Terminate:
		return rules.TerminateReturnsDelegatedValues
	case member == "TCPDelegated" || member == "NeighborDelegated" || member == "PathDelegated":
		return rules.QueryReturnsCurrentDelegatedValues
	}
	return rules.QueryFillsEveryStateStructure
}

// compareState holds one returned structure against the object's values.
func (j *Judging) compareState(v blockView, o *Object, member string, before, after, want any) {
	bv, av, wv := reflect.ValueOf(before), reflect.ValueOf(after), reflect.ValueOf(want)
	delegated := member == "TCPDelegated" || member == "NeighborDelegated" || member == "PathDelegated"
	for i := 0; i < av.NumField(); i++ {
		field := av.Type().Field(i).Name
		if field == "Header" || field == "SendDataHead" || field == "SendDataTail" || field == "BufferedData" ||
			member == "TCPDelegated" && field == "Flags" { // reserved for system use: no page has the target write it
			continue
		}
		if member == "TCPDelegated" && field == "Flags" {
			continue // reserved for system use: left or returned as offloaded (RSV-016, CONFLICT-RSV-01)
		}
		got, given := av.Field(i).Interface(), bv.Field(i).Interface()
		exp := wv.Field(i).Interface()
		name := member + "." + field
		if reflect.DeepEqual(got, given) && !reflect.DeepEqual(got, exp) {
			// Still what the host put there to be overwritten.
			j.Violate(j.unwrittenRule(member), v.Path, "%s was not written: still %v as handed over, want %v", name, got, exp)
			continue
		}
		if delegated {
			j.compareDelegated(v, o, member, field, got, exp)
			continue
		}
		rule := rules.ConstantVariablesNeverChange
		if member == "NeighborCached" || member == "PathCached" || member == "TCPCached" {
			rule = rules.TargetNeverChangesCachedVariables
			if o.Updated {
				j.Arose(rules.UpdateCopiesCachedValues)
				j.Arose(rules.UpdateAppliedByCompletion)
			}
		} else if o.Updated {
			j.Arose(rules.UpdateOnlyCachedVariables)
		}
		j.Arose(rule)
		if reflect.DeepEqual(got, exp) {
			continue
		}
		j.Violate(j.mismatchRule(o, member, field, got, rule), v.Path, "%s = %v, want %v (%s)", name, got, exp, j.provenance(o))
	}
}

// compareDelegated holds a delegated variable against the object's, for those only traffic
// changes, and the encodings the pages fix.
func (j *Judging) compareDelegated(v blockView, o *Object, member, field string, got, exp any) {
	name := member + "." + field
	rule := rules.QueryReturnsCurrentDelegatedValues
	if j.Out.Op == Terminate {
		rule = rules.TerminateReturnsDelegatedValues
	}
	if member != "TCPDelegated" {
		return
	}
	switch field {
	case "State":
		j.Arose(rules.ConnectionStateValues)
		if st, ok := got.(ndis.TCPOffloadConnectionState); ok && st > ndis.TcpConnectionTimeWait {
			j.Violate(rules.ConnectionStateValues, v.Path, "%s = %d, which is no TCP_OFFLOAD_CONNECTION_STATE", name, uint32(st))
			return
		}
	case "SRtt", "RttVar":
		scale, r := uint16(8), rules.SRttScaledByEight
		if field == "RttVar" {
			scale, r = 4, rules.RttVarScaledByFour
		}
		g, e := got.(uint16), exp.(uint16)
		j.Arose(r)
		if e != 0 && e%scale == 0 && g == e/scale && g != e {
			j.Violate(r, v.Path, "%s = %d, the value handed over (%d) divided by %d: it travels as %d times its value", name, g, e, scale, scale)
		}
		if e != 0 && uint32(g) == uint32(e)*uint32(scale) && g != e {
			j.Violate(r, v.Path, "%s = %d, the value handed over (%d) multiplied by %d again", name, g, e, scale)
		}
		return
	case "KeepAlive", "Retransmit":
		j.judgeStoppedTimer(v, o, field, got)
		return
	}
	if o.OnTheWire {
		return // traffic moved it; the wire judges hold it against the frames
	}
	for _, f := range delegatedCompared {
		if f != field {
			continue
		}
		j.Arose(rule)
		if !reflect.DeepEqual(got, exp) {
			j.Violate(j.mismatchRule(o, member, field, got, rule), v.Path, "%s = %v, want %v (as offloaded; no traffic changed it)", name, got, exp)
		}
	}
}

// judgeStoppedTimer: a timer handed over stopped that nothing since could have started (the
// keepalive disabled and never updated; no send data to retransmit) comes back with
// TimeoutDelta -1.
func (j *Judging) judgeStoppedTimer(v blockView, o *Object, field string, got any) {
	d := o.State.TCPDelegated
	if d == nil || o.Updated || o.OnTheWire {
		return
	}
	var delta uint32
	switch t := got.(type) {
	case ndis.TCPKeepAlive:
		delta = t.TimeoutDelta
		if d.KeepAlive.TimeoutDelta != ndis.TimerNotRunning || o.State.TCPCached == nil || o.State.TCPCached.Flags&ndis.TCPFlagKeepAliveEnabled != 0 {
			return
		}
	case ndis.TCPRetransmit:
		delta = t.TimeoutDelta
		if d.Retransmit.TimeoutDelta != ndis.TimerNotRunning || d.SndUna != d.SndMax || o.HadSendData {
			return
		}
	default:
		return
	}
	j.Arose(rules.StoppedTimerReturnedAsMinusOne)
	if delta != ndis.TimerNotRunning {
		j.Violate(rules.StoppedTimerReturnedAsMinusOne, v.Path, "TCPDelegated.%s.TimeoutDelta = %d, want -1 (0xFFFFFFFF): the timer was handed over stopped and nothing since could start it", field, delta)
	}
}

// mismatchRule decides which rule a returned value that differs from the object's breaks: the
// value of another object (the context resolved to the wrong one), the value before the last
// update (not applied), a value only the last update's constant or delegated structures
// carried (applied although not cached), or else the fallback.
func (j *Judging) mismatchRule(o *Object, member, field string, got any, fallback *rules.Rule) *rules.Rule {
	valueIn := func(b ndis.MiniportOffloadBlockList) bool {
		s := reflect.ValueOf(b).FieldByName(member)
		return !s.IsNil() && reflect.DeepEqual(s.Elem().FieldByName(field).Interface(), got)
	}
	for _, other := range j.Model.Objects() {
		if other != o && other.Layer == o.Layer && valueIn(other.State) {
			return rules.TargetResolvesContext
		}
	}
	if o.Updated && valueIn(o.PreviousCached) {
		return rules.UpdateCopiesCachedValues
	}
	if o.Updated && valueIn(o.UpdateGiven) && !isCached(member) {
		return rules.UpdateOnlyCachedVariables
	}
	return fallback
}

func isCached(member string) bool {
	return member == "NeighborCached" || member == "PathCached" || member == "TCPCached"
}

func (j *Judging) provenance(o *Object) string {
	if o.Updated {
		return fmt.Sprintf("as last updated, for the %s the context names", o.Layer)
	}
	return fmt.Sprintf("as offloaded, for the %s the context names", o.Layer)
}

// judgeInvalidateWritesNoState: no state structure appears after, or changes in, any block of
// an invalidate tree.
func judgeInvalidateWritesNoState(j *Judging) {
	if j.Out.Op != Invalidate {
		return
	}
	for _, v := range j.views {
		j.Arose(rules.InvalidateWritesNoState)
		for i, name := range stateMembers {
			if !reflect.DeepEqual(v.Before.States[i], v.After.States[i]) {
				j.Violate(rules.InvalidateWritesNoState, v.Path, "%s changed: %s -> %s", name, presence(v.Before.States[i]), presence(v.After.States[i]))
			}
		}
	}
}
