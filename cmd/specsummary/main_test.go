package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

func write(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func it(state types.SpecState) types.SpecReport {
	return types.SpecReport{LeafNodeType: types.NodeTypeIt, State: state}
}

func conformance(state, verdict string, started, generated time.Time) map[string]any {
	return map[string]any{"state": state, "verdict": verdict, "generated": generated, "provenance": map[string]any{"started": started}}
}

func TestTheLineSaysWhatRanAndTheVerdictOfTheSameRun(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ginkgo, conf := filepath.Join(dir, "ginkgo.json"), filepath.Join(dir, "conformance.json")
	normal := types.Report{StartTime: start, SpecReports: types.SpecReports{
		it(types.SpecStatePassed), it(types.SpecStatePassed), it(types.SpecStateFailed), it(types.SpecStateSkipped),
	}}
	dry := normal
	dry.SuiteConfig.DryRun = true
	cannotStart := types.Report{StartTime: start, SpecReports: types.SpecReports{
		{LeafNodeType: types.NodeTypeSynchronizedBeforeSuite, State: types.SpecStateFailed}, it(types.SpecStateSkipped),
	}}
	for _, c := range []struct {
		name   string
		report types.Report
		conf   map[string]any
		want   string
	}{
		{"a run", normal, conformance("finished", "not conformant", start.Add(-time.Second), start.Add(time.Minute)), "verdict NOT CONFORMANT\n2 passed, 1 failed, 1 skipped"},
		{"a dry run", dry, conformance("finished", "not run", start.Add(-time.Second), start.Add(time.Second)), "verdict NOT RUN\n0 passed, 0 failed, 0 skipped, 4 not run (dry run)"},
		{"a target that cannot start", cannotStart, conformance("finished", "not run", start, start), "verdict NOT RUN\n0 passed, 0 failed, 1 skipped, 1 suite nodes failed (SynchronizedBeforeSuite)"},
		{"a conformance report of another run", normal, conformance("finished", "conformant", start.Add(-time.Hour), start.Add(-time.Minute)), "verdict CONFORMANT (but conformance.json is from another run than the Ginkgo report)\n2 passed, 1 failed, 1 skipped"},
		{"a run that did not finish", normal, conformance("in progress", "incomplete", start, start), "verdict INCOMPLETE (run in progress: it did not finish)\n2 passed, 1 failed, 1 skipped"},
	} {
		write(t, ginkgo, []types.Report{c.report})
		write(t, conf, c.conf)
		got, err := summarize(ginkgo, conf, true)
		if err != nil || got != c.want {
			t.Errorf("%s: %q (%v), want %q", c.name, got, err, c.want)
		}
	}
	os.Remove(conf)
	if got, err := summarize(ginkgo, conf, false); err != nil || got != "2 passed, 1 failed, 1 skipped" {
		t.Errorf("without a conformance report: %q, %v", got, err)
	}
	if _, err := summarize(ginkgo, conf, true); err == nil {
		t.Error("a conformance report named on the command line must exist")
	}
}
