package suites_test

import (
	"testing"

	"github.com/ndis-chimney/conformance/reference"
	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/harness"
	"github.com/ndis-chimney/conformance/target"
)

// TestTheReferenceDeclaresWhatItImplements pins the NDIS_TCP_CONNECTION_OFFLOAD the reference
// declares when opened. The reference implements IPv4 and IPv6 paths and SACK-enabled
// connections and frames in 802.3; every spec that needs one of them skips on a target that
// does not declare it, so a reference declaring less would pass the suite with fewer specs run
// and nothing would fail. CAP-001/002 hold any target to the pages; this holds the reference to
// itself. It lives beside TestConformance so that cmd/mutate, which runs this package's test
// binary, counts a mutant of the declaration as killed.
func TestTheReferenceDeclaresWhatItImplements(t *testing.T) {
	cfg, err := config.Load("../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	ref := reference.New(cfg.ReferenceConfig())
	info, err := ref.Open(harness.NewHost())
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
