package meta

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ndis-chimney/conformance/suites/report"
	"github.com/onsi/ginkgo/v2/types"
)

// TestTheReferenceSkipsNoSpecItCouldRun runs the whole suite against the reference under the
// default configuration and fails on every spec that skipped because the reference answered
// NDIS_STATUS_FAILURE (an update or invalidate of healthy objects, which the pages allow any
// target without a stated cause) or declared less than the spec needs. The reference updates,
// queries and invalidates every healthy object it holds and declares all it implements, so the
// specs behind such skips would have run: a reference that failed every update, or declared no
// IPv6, would pass the suite with those specs silently not run.
func TestTheReferenceSkipsNoSpecItCouldRun(t *testing.T) {
	bin := buildSuite(t)
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "ginkgo.json")
	cmd := exec.Command(bin, "-report-dir="+dir, "-ginkgo.json-report="+jsonPath)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the suite fails against the reference: %v\n%s", err, tail(out))
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil || len(reports) != 1 {
		t.Fatalf("reading %s: %v", jsonPath, err)
	}
	for _, s := range reports[0].SpecReports {
		if s.LeafNodeType != types.NodeTypeIt || s.State != types.SpecStateSkipped {
			continue
		}
		if msg := s.Failure.Message; report.TargetShortfall(msg) {
			t.Errorf("against the reference, %q skipped: %s", s.FullText(), firstLine(msg))
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
