package main

import (
	"reflect"
	"testing"

	"github.com/ndis-chimney/conformance/suites/config"
)

// Every interpretation switch ends up away from its default, as in suites/meta's
// TestTheOtherReadingsHoldTogether.
func TestFlipAllChangesEverySwitch(t *testing.T) {
	cfg, err := config.Load("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	before := cfg.Interpretations
	if err := flipAll(&cfg.Interpretations); err != nil {
		t.Fatal(err)
	}
	a, b := reflect.ValueOf(before), reflect.ValueOf(cfg.Interpretations)
	for i := range a.NumField() {
		if a.Field(i).Interface() == b.Field(i).Interface() {
			t.Errorf("interpretations.%s is still %v", a.Type().Field(i).Name, a.Field(i))
		}
	}
}

// Each variant's ginkgo.yml reads back strictly with its change and nothing else.
func TestPreparedVariantsReadBack(t *testing.T) {
	vs, err := prepare(variants(true), "../../ginkgo.yml", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	base, err := config.Load("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, v := range vs {
		names[v.name] = true
		got, err := config.Load(v.args[0][len("-config="):])
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		got.Path = base.Path
		if got.Timeouts.AfterClose != afterClose {
			t.Errorf("%s: afterClose %v, want the mutation run's %v", v.name, got.Timeouts.AfterClose.D(), afterClose.D())
		}
		got.Timeouts.AfterClose = base.Timeouts.AfterClose
		switch v.name {
		case "default":
		case "smallest-bound-transmitBuffers":
			if *got.Target.Reference.Limits.TransmitBuffers != 5 {
				t.Errorf("%s: transmitBuffers %d", v.name, *got.Target.Reference.Limits.TransmitBuffers)
			}
			got.Target.Reference.Limits.TransmitBuffers = base.Target.Reference.Limits.TransmitBuffers
		case "other-readings":
			if got.Interpretations.RootFailureStopsWholeTree == base.Interpretations.RootFailureStopsWholeTree {
				t.Errorf("%s: rootFailureStopsWholeTree not flipped", v.name)
			}
			got.Interpretations = base.Interpretations
		case "reading-keepaliveResetFlag":
			if got.Interpretations.KeepaliveResetFlag != config.ResetOnKeepAliveRestart {
				t.Errorf("%s: keepaliveResetFlag %q", v.name, got.Interpretations.KeepaliveResetFlag)
			}
			got.Interpretations.KeepaliveResetFlag = base.Interpretations.KeepaliveResetFlag
		case "reading-placeholderStatusFollowsDependents":
			if !got.Interpretations.PlaceholderStatusFollowsDependents {
				t.Errorf("%s: not flipped", v.name)
			}
			got.Interpretations.PlaceholderStatusFollowsDependents = false
		default:
			continue
		}
		// The settings only: the file's path and its parsed document differ by nature.
		if !reflect.DeepEqual(got.Target, base.Target) || !reflect.DeepEqual(got.Declared, base.Declared) ||
			got.Timeouts != base.Timeouts || got.Reports != base.Reports ||
			got.Interpretations != base.Interpretations || got.Properties != base.Properties {
			t.Errorf("%s: changes more than its own setting:\n%+v\n%+v", v.name, got, base)
		}
	}
	for _, want := range []string{"default", "other-readings", "smallest-bound-tcpEntries", "smallest-bound-receiveBuffers", "reading-rootFailureStopsWholeTree"} {
		if !names[want] {
			t.Errorf("no configuration %s", want)
		}
	}
}
