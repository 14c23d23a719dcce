package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"reflect"
	"runtime/debug"
	"strings"
	"time"

	"github.com/ndis-chimney/conformance/suites/rules"
)

// Provenance says what produced a report: which suite, which rule catalog, which configuration
// file, and when the run started. Two reports with the same provenance but another start time
// are two runs of the same thing.
type Provenance struct {
	// Suite is the suite's module path.
	Suite string `json:"suite"`
	// SuiteVersion is the module's version as built: a tag when the suite is a dependency of a
	// vendor's module, "(devel)" when built from a checkout, "unknown" without build information.
	SuiteVersion string `json:"suiteVersion"`
	// SuiteRevision is the VCS revision stamped into the binary ("+modified" when the checkout
	// had changes), or "unknown": go test does not stamp test binaries.
	SuiteRevision string `json:"suiteRevision"`
	// Catalog is "sha256:" and the hash of every rule's ID, level, observability and wording,
	// so that a report can be matched to the rule catalog it judged against.
	Catalog      string `json:"catalogVersion"`
	CatalogRules int    `json:"catalogRules"`
	// ConfigFile is the configuration read (ginkgo.yml), and ConfigSHA256 the hash of its bytes.
	ConfigFile   string `json:"configFile,omitempty"`
	ConfigSHA256 string `json:"configSha256"`
	// Started is when the run began, before any spec.
	Started time.Time `json:"started"`
}

// NewProvenance describes a run that started at started with the configuration file at
// configPath ("" when the configuration was not read from a file).
func NewProvenance(configPath string, started time.Time) Provenance {
	p := Provenance{Suite: modulePath(), SuiteVersion: "unknown", SuiteRevision: "unknown", Started: started.UTC()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		p.SuiteVersion, p.SuiteRevision = versionOf(bi, p.Suite)
	}
	p.Catalog, p.CatalogRules = CatalogVersion()
	p.ConfigFile = configPath
	switch data, err := os.ReadFile(configPath); {
	case configPath == "":
		p.ConfigSHA256 = "none (the configuration was not read from a file)"
	case err != nil:
		p.ConfigSHA256 = fmt.Sprintf("unreadable (%v)", err)
	default:
		sum := sha256.Sum256(data)
		p.ConfigSHA256 = hex.EncodeToString(sum[:])
	}
	return p
}

// modulePath is the module this package belongs to, found from the package's own import path
// so that it follows a rename of the module.
func modulePath() string {
	return strings.TrimSuffix(reflect.TypeFor[Provenance]().PkgPath(), "/suites/report")
}

// versionOf finds the suite's module in the build information: the main module when the suite
// is built from its own checkout, else a dependency of the vendor's module.
func versionOf(bi *debug.BuildInfo, module string) (version, revision string) {
	version, revision = "unknown", "unknown"
	if bi.Main.Path == module {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && revision != "unknown" {
			revision += "+modified"
		}
		return version, revision
	}
	for _, d := range bi.Deps {
		if d.Path != module {
			continue
		}
		version = d.Version
		if d.Replace != nil {
			version = fmt.Sprintf("%s => %s %s", d.Version, d.Replace.Path, d.Replace.Version)
		}
		if d.Sum != "" {
			revision = "module sum " + d.Sum
		}
	}
	return version, revision
}

// CatalogVersion returns "sha256:<hex>" of the rule catalog (every rule's ID, level,
// observability and wording, in ID order) and the number of rules.
func CatalogVersion() (string, int) {
	h := sha256.New()
	all := rules.All()
	for _, r := range all {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\n", r.ID, r.Level, r.Observability, r.Text)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), len(all)
}
