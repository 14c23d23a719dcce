package meta

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/target"
	"github.com/ndis-chimney/conformance/target/ndis"
	"github.com/onsi/ginkgo/v2/types"
)

// TestTheReferenceDeclaresWhatItImplements pins the NDIS_TCP_CONNECTION_OFFLOAD the reference
// declares when opened. The reference implements IPv4 and IPv6 paths and SACK-enabled
// connections and frames in 802.3; every spec that needs one of them skips on a target that
// does not declare it, so a reference declaring less would pass the suite with fewer specs run
// and nothing would fail. CAP-001/002 hold any target to the pages; this holds the reference to
// itself.
func TestTheReferenceDeclaresWhatItImplements(t *testing.T) {
	cfg, err := config.Load("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	ref := reference.New(cfg.ReferenceConfig())
	info, err := ref.Open(nopHost{})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	got := info.Capabilities.TCPConnectionOffload
	want := target.TCPConnectionOffload{
		Encapsulation:                target.EncapsulationIEEE8023,
		SupportIPv4:                  true,
		SupportIPv6:                  true,
		SupportSack:                  true,
		TCPConnectionOffloadCapacity: cfg.ReferenceConfig().Limits.TCPEntries.Value,
	}
	if got != want {
		t.Errorf("the reference declares\n  %+v\nwant\n  %+v", got, want)
	}
}

// nopHost is a Host for a target that is opened and closed without an operation.
type nopHost struct{}

func (nopHost) NdisMInitiateOffloadComplete(*ndis.MiniportOffloadBlockList)   {}
func (nopHost) NdisMQueryOffloadStateComplete(*ndis.MiniportOffloadBlockList) {}
func (nopHost) NdisMUpdateOffloadComplete(*ndis.MiniportOffloadBlockList)     {}
func (nopHost) NdisMInvalidateOffloadComplete(*ndis.MiniportOffloadBlockList) {}
func (nopHost) NdisMTerminateOffloadComplete(*ndis.MiniportOffloadBlockList)  {}
func (nopHost) NdisTcpOffloadSendComplete(*ndis.NetBufferList)                {}

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
		if msg := s.Failure.Message; strings.Contains(msg, "NDIS_STATUS_FAILURE") || strings.Contains(msg, "does not declare") {
			t.Errorf("against the reference, %q skipped: %s", s.FullText(), firstLine(msg))
		}
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
