package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// execBase is a configuration of an exec target; each case below changes one line of it.
const execBase = `target:
  kind: exec
  exec:
    path: ./bin/target
    args: [-v]
    env: [PATH, HOME]
    setEnv: {TARGET_MODE: strict}
timeouts: {completion: 2s, handler: 1s, settle: 5ms}
reports:
  dir: reports
  junit: junit.xml
  json: ginkgo.json
  conformance: conformance
`

// Values that YAML accepts but that would go wrong later are rejected when the file is read,
// each naming its key and line.
func TestRejectsValuesThatWouldGoWrongNamingKeyAndLine(t *testing.T) {
	if _, err := Parse([]byte(execBase)); err != nil {
		t.Fatalf("the base configuration is refused: %v", err)
	}
	cases := map[string]struct{ from, to, want string }{
		"report named .":             {"junit: junit.xml", "junit: .", `line 11: reports.junit "." must be a file name inside reports.dir, not . or ..`},
		"report named ..":            {"json: ginkgo.json", "json: ..", `line 12: reports.json ".." must be a file name`},
		"conformance named ..":       {"conformance: conformance", "conformance: ..", `line 13: reports.conformance ".." must be a file name`},
		"report with a NUL":          {"junit: junit.xml", `junit: "junit\0.xml"`, `line 11: reports.junit "junit\x00.xml" has a NUL byte`},
		"report path with backslash": {"junit: junit.xml", `junit: 'a\junit.xml'`, `line 11: reports.junit "a\\junit.xml" must be a file name inside reports.dir, not a path`},
		"report dir with a NUL":      {"dir: reports", `dir: "rep\0orts"`, "line 10: reports.dir: a NUL byte"},
		"two reports, one file": {"json: ginkgo.json", "json: conformance.json",
			`line 12: reports.json and line 13: reports.conformance both name the file "conformance.json": two reports would overwrite each other`},
		"same file but for case": {"json: ginkgo.json", "json: JUNIT.xml",
			`line 11: reports.junit and line 12: reports.json both name the file "JUNIT.xml"`},
		"a second document": {"  conformance: conformance\n", "  conformance: conformance\n---\ntarget: {kind: reference}\n",
			"line 14: a second YAML document (after ---): ginkgo.yml holds one"},
		"path with a NUL":         {"path: ./bin/target", `path: "./bin/t\0"`, "line 4: target.exec.path: a NUL byte"},
		"argument with a NUL":     {"args: [-v]", `args: [-v, "a\0b"]`, "line 5: target.exec.args[1]: a NUL byte"},
		"env name with =":         {"env: [PATH, HOME]", "env: [PATH, HOME=/root]", `line 6: target.exec.env[1] "HOME=/root" is not a variable name`},
		"env names the socket":    {"env: [PATH, HOME]", "env: [PATH, CHIMNEY_TARGET_SOCKET]", "line 6: target.exec.env[1]: CHIMNEY_TARGET_SOCKET is set by the suite"},
		"env named twice":         {"env: [PATH, HOME]", "env: [PATH, PATH]", "line 6: target.exec.env[1]: PATH is already named by line 6: target.exec.env[0]"},
		"passed and set":          {"setEnv: {TARGET_MODE: strict}", "setEnv: {HOME: /tmp}", "line 7: target.exec.setEnv.HOME: HOME is already named by line 6: target.exec.env[1]"},
		"set value with a NUL":    {"setEnv: {TARGET_MODE: strict}", `setEnv: {TARGET_MODE: "a\0"}`, "line 7: target.exec.setEnv.TARGET_MODE: a NUL byte"},
		"set name is the socket":  {"setEnv: {TARGET_MODE: strict}", "setEnv: {CHIMNEY_TARGET_SOCKET: /x}", "CHIMNEY_TARGET_SOCKET is set by the suite"},
		"connect with a NUL":      {"  kind: exec\n", "  kind: exec\n  connect: {address: \"unix:///x\\0\"}\n", "line 3: target.connect.address: a NUL byte"},
		"empty file":              {execBase, "", "the configuration is empty"},
		"exec without a path now": {"    path: ./bin/target\n", "", "line 2: target.kind is exec, but target.exec.path names no binary"},
	}
	for name, c := range cases {
		in := strings.Replace(execBase, c.from, c.to, 1)
		if in == execBase && c.from != c.to {
			t.Errorf("%s: %q is not in the base configuration", name, c.from)
			continue
		}
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v,\nwant an error containing %q", name, err, c.want)
		}
	}
}

// writeConfig writes yaml as ginkgo.yml in a fresh directory and loads it.
func writeConfig(t *testing.T, yaml string) *Config {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// target.exec.path: a path with a slash is relative to ginkgo.yml's directory, a bare name is
// looked up on PATH (as -target-path=node in the README does), an absolute path is itself; what
// is not there fails naming the key and its line, or the command line when a flag set it.
func TestExecPathResolvesAsDocumented(t *testing.T) {
	cfg := writeConfig(t, execBase)
	dir := filepath.Dir(cfg.Path)
	if _, err := cfg.ExecPath(); err == nil || !strings.Contains(err.Error(), `line 4: target.exec.path "./bin/target"`) ||
		!strings.Contains(err.Error(), "relative to the directory of ginkgo.yml") {
		t.Errorf("a missing ./bin/target: %v", err)
	}
	bin := filepath.Join(dir, "bin", "target")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	// From another working directory: the path is ginkgo.yml's, not the working directory's.
	t.Chdir(t.TempDir())
	if got, err := cfg.ExecPath(); err != nil || got != bin {
		t.Errorf("./bin/target: got %q, %v; want %s", got, err, bin)
	}

	shDir := t.TempDir()
	sh := filepath.Join(shDir, "my-target")
	if err := os.WriteFile(sh, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", shDir)
	bare := writeConfig(t, strings.Replace(execBase, "path: ./bin/target", "path: my-target", 1))
	if got, err := bare.ExecPath(); err != nil || got != sh {
		t.Errorf("a bare name on PATH: got %q, %v; want %s", got, err, sh)
	}
	missing := writeConfig(t, strings.Replace(execBase, "path: ./bin/target", "path: no-such-target", 1))
	if _, err := missing.ExecPath(); err == nil || !strings.Contains(err.Error(), `line 4: target.exec.path "no-such-target": not found on PATH`) {
		t.Errorf("a bare name not on PATH: %v", err)
	}
	missing.Target.Exec.Path = "also-missing" // as -target-path sets it
	if _, err := missing.ExecPath(); err == nil || !strings.Contains(err.Error(), "target.exec.path (set on the command line)") {
		t.Errorf("a flag's value: %v", err)
	}
	abs := writeConfig(t, strings.Replace(execBase, "path: ./bin/target", "path: "+sh, 1))
	if got, err := abs.ExecPath(); err != nil || got != sh {
		t.Errorf("an absolute path: got %q, %v", got, err)
	}
}

func TestExecDirAndEnvironment(t *testing.T) {
	cfg := writeConfig(t, strings.Replace(execBase, "    args: [-v]\n", "    args: [-v]\n    dir: run\n", 1))
	if got, want := cfg.ExecDir(), filepath.Join(filepath.Dir(cfg.Path), "run"); got != want {
		t.Errorf("ExecDir = %q, want %q", got, want)
	}
	if got := writeConfig(t, execBase).ExecDir(); got != "" {
		t.Errorf("ExecDir without target.exec.dir = %q, want empty (a fresh directory)", got)
	}
	if got := cfg.ExecEnv(); len(got) != 1 || got[0] != "TARGET_MODE=strict" {
		t.Errorf("ExecEnv = %q", got)
	}
}
