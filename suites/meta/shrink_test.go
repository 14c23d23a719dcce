package meta

import (
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAGeneratedFailureIsShownShrunkWithSeedAndSnippet runs a property spec against a faulty
// target (it leaves NULL in the context slot of every connection it offloads) and requires the
// failure to name the rule broken and to come shrunk to a scenario about as small as one that
// shows it (one initiate of a neighbor, a path and a connection), with the seed that reproduces
// it and a Go snippet that replays it.
func TestAGeneratedFailureIsShownShrunkWithSeedAndSnippet(t *testing.T) {
	bin := buildSuite(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "-fault=leaves-connection-context-null", "-report-dir="+dir,
		"-ginkgo.label-filter=generated && rule:CTX-002", "-ginkgo.no-color")
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the property spec of CTX-002 passed against a target that leaves connection contexts NULL:\n%s", tail(out))
	}
	text := string(out)
	for _, want := range []string{
		"[CTX-002] MiniportInitiateOffload ",
		"but *MiniportOffloadContext is still NULL",
		"[rapid] failed after",
		"scenario.Play(ctx, open(), scenario.Scenario{Steps: []scenario.Step{",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the failure does not show %q:\n%s", want, tail(out))
		}
	}
	if !regexp.MustCompile(`-rapid\.seed=[0-9]+`).MatchString(text) {
		t.Errorf("the failure does not give the seed that reproduces it:\n%s", tail(out))
	}
	// The smallest scenario that shows the fault offloads a neighbor, a path and a connection;
	// rapid's shrinking may leave a step or a block more, never the scenario it first found.
	m := regexp.MustCompile(`shrunk to a scenario of ([0-9]+) steps and ([0-9]+) blocks`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("the failure does not say how far the scenario was shrunk:\n%s", tail(out))
	}
	steps, _ := strconv.Atoi(m[1])
	blocks, _ := strconv.Atoi(m[2])
	if steps > 2 || blocks > 4 {
		t.Errorf("the failing scenario was shrunk only to %d steps and %d blocks, want at most 2 and 4:\n%s", steps, blocks, tail(out))
	}
}
