package meta

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// TestEachConnectionLimitBindsInTurn runs the connection-limit specs against the reference
// three times, each time with another of TCP entries, transmit buffers and receive buffers as
// the smallest bound. A real target has one set of limits, so only its smallest bound's status
// can be provoked; here the reference shows it produces each of the three statuses exactly
// when its own bound runs out, and none of them otherwise.
func TestEachConnectionLimitBindsInTurn(t *testing.T) {
	bin := buildSuite(t)
	data, err := os.ReadFile("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"tcpEntries", "transmitBuffers", "receiveBuffers"} {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cfg, n := string(data), 0
			var lines []string
			for _, line := range strings.Split(cfg, "\n") {
				if strings.HasPrefix(line, "      "+key+":") {
					line, n = fmt.Sprintf("      %s: 5", key), n+1
				}
				lines = append(lines, line)
			}
			if n != 1 {
				t.Fatalf("ginkgo.yml has %d reference limits named %s, want 1", n, key)
			}
			path := filepath.Join(dir, "ginkgo.yml")
			if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(bin, "-config="+path, "-ginkgo.label-filter=(rule:INIT-049 || rule:INIT-054 || rule:INIT-055) && !generated")
			cmd.Dir = ".."
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("with %s the smallest bound, the reference fails the connection-limit specs: %v\n%s", key, err, tail(out))
			}
			ran := 0
			for _, s := range readSpecs(t, filepath.Join(dir, "reports", "ginkgo.json")) {
				if s.LeafNodeType == types.NodeTypeIt && s.State == types.SpecStatePassed {
					ran++
				}
			}
			if ran != 3 {
				t.Errorf("with %s the smallest bound, %d of the 3 connection-limit specs ran and passed", key, ran)
			}
		})
	}
}
