package config

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzParseConfig feeds its input to Parse, the loader of ginkgo.yml from bytes. Whatever it
// accepts keeps the promises the checks make (a known kind, positive timeouts, report names
// that are distinct plain file names, environment names without = or NUL), every key's line
// can be looked up, and an accepted configuration written back is accepted again. A longer
// run: go test -run '^$' -fuzz FuzzParseConfig -fuzztime 10m ./suites/config/
func FuzzParseConfig(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data)
		if err != nil {
			_ = err.Error()
			return
		}
		if !slices.Contains(Kinds, cfg.Target.Kind) {
			t.Fatalf("accepted kind %q", cfg.Target.Kind)
		}
		if cfg.Timeouts.Completion <= 0 || cfg.Timeouts.Handler <= 0 || cfg.Timeouts.Settle <= 0 {
			t.Fatalf("accepted timeouts %+v", cfg.Timeouts)
		}
		files := []string{cfg.Reports.JUnit, cfg.Reports.JSON, cfg.Reports.Conformance + ".md", cfg.Reports.Conformance + ".json"}
		for i, name := range files {
			if err := plainFileName(name); err != nil || name == "" {
				t.Fatalf("accepted report name %q: %v", name, err)
			}
			for _, other := range files[i+1:] {
				if strings.EqualFold(name, other) {
					t.Fatalf("accepted two reports named %q and %q", name, other)
				}
			}
		}
		for _, n := range append(slices.Clone(cfg.Target.Exec.Env), slices.Collect(mapKeys(cfg.Target.Exec.SetEnv))...) {
			if n == "" || strings.ContainsAny(n, "=\x00") || n == targetSocketVar {
				t.Fatalf("accepted variable name %q", n)
			}
		}
		for _, key := range []string{"target.kind", "target.exec.path", "target.exec.args[0]", "target.exec.env[1]", "reports.junit", "timeouts.handler", "declared.interfaceVLANIDs[2]"} {
			_ = cfg.at(key)
		}
		_ = cfg.atSetEnv("X")
		_ = cfg.ExecEnv()
		out, err := yaml.Marshal(cfg)
		if err != nil {
			t.Fatalf("an accepted configuration does not marshal: %v", err)
		}
		if _, err := Parse(out); err != nil {
			t.Fatalf("an accepted configuration, written back, is refused: %v\n%s", err, out)
		}
	})
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// configSeeds is the seed corpus of FuzzParseConfig (testdata/fuzz/FuzzParseConfig/<name>):
// the repository's ginkgo.yml, an exec configuration, and each kind of value the checks refuse.
func configSeeds(t *testing.T) map[string]string {
	repo, err := os.ReadFile("../../ginkgo.yml")
	if err != nil {
		t.Fatal(err)
	}
	seeds := map[string]string{
		"repository-ginkgo-yml": string(repo),
		"exec":                  execBase,
		"connect":               strings.Replace(execBase, "  kind: exec\n", "  kind: connect\n  connect: {address: \"unix:///run/t.sock\", allowRemote: true}\n", 1),
		"second-document":       execBase + "---\ntarget: {kind: reference}\n",
		"empty-second-document": execBase + "---\n",
		"nul-in-report":         strings.Replace(execBase, "junit: junit.xml", `junit: "j\0.xml"`, 1),
		"dot-report":            strings.Replace(execBase, "junit: junit.xml", "junit: .", 1),
		"dot-dot-conformance":   strings.Replace(execBase, "conformance: conformance", "conformance: ..", 1),
		"same-report-twice":     strings.Replace(execBase, "json: ginkgo.json", "json: conformance.json", 1),
		"report-case-only":      strings.Replace(execBase, "json: ginkgo.json", "json: JUNIT.XML", 1),
		"env-with-equals":       strings.Replace(execBase, "env: [PATH, HOME]", "env: [PATH=/bin]", 1),
		"env-socket":            strings.Replace(execBase, "setEnv: {TARGET_MODE: strict}", "setEnv: {CHIMNEY_TARGET_SOCKET: /x}", 1),
		"anchors-and-aliases":   "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\ntarget: {kind: reference}\n",
		"deep-nesting":          "target: " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "\n",
		"deep-mapping":          strings.Repeat("a:\n ", 200) + "b: 1\n",
		"unknown-key":           execBase + "extra: 1\n",
		"bad-duration":          strings.Replace(execBase, "handler: 1s", "handler: -1s", 1),
		"vlan-ids":              "declared: {interfaceVLANIDs: [1, 4095, 4096]}\n" + execBase,
		"invalid-utf8":          "target: {kind: \"\xff\xfe\"}\n",
		"tabs":                  "target:\n\tkind: reference\n",
		"flow-everything":       `{target: {kind: reference, reference: {limits: {tcpEntries: 1}}}, timeouts: {completion: 1s, handler: 1s, settle: 1ms}, reports: {dir: r, junit: j, json: g, conformance: c}}`,
	}
	return seeds
}

// The committed corpus of FuzzParseConfig is the one described in configSeeds
// (CHIMNEY_WRITE_FUZZ_SEEDS=1 go test -run TestFuzzSeeds ./suites/config/ writes it).
func TestFuzzSeedsOfParseConfigAreTheCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzParseConfig")
	seeds := configSeeds(t)
	file := func(in string) string { return "go test fuzz v1\n[]byte(" + strconv.Quote(in) + ")\n" }
	if os.Getenv("CHIMNEY_WRITE_FUZZ_SEEDS") != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, in := range seeds {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(file(in)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, in := range seeds {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(data) != file(in) {
			t.Errorf("%s is not the seed described here (err %v): regenerate with CHIMNEY_WRITE_FUZZ_SEEDS=1", name, err)
		}
	}
	if _, err := Parse([]byte(seeds["flow-everything"])); err != nil {
		t.Errorf("the flow-style seed is refused: %v", err)
	}
}
