package config

import (
	"strings"
	"testing"
	"time"
)

const valid = `
target:
  kind: reference
  reference:
    limits:
      tcpEntries: 4
      interfaceVLANIDs: [10]
timeouts: {completion: 2s, handler: 1s, settle: 5ms}
reports: {dir: reports, junit: junit.xml, json: ginkgo.json, conformance: conformance}
interpretations:
  keepaliveResetFlag: keepAliveRestart
`

func TestParsesAValidConfiguration(t *testing.T) {
	cfg, err := Parse([]byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	lim := cfg.Target.Reference.Limits.TargetLimits()
	if !lim.TCPEntries.Declared || lim.TCPEntries.Value != 4 || lim.PathEntries.Declared {
		t.Errorf("limits: %+v", lim)
	}
	if cfg.Timeouts.Completion.D() != 2*time.Second || cfg.Interpretations.KeepaliveResetFlag != ResetOnKeepAliveRestart {
		t.Errorf("timeouts or interpretations wrong: %+v", cfg)
	}
}

// A bad key or value stops the run, naming the key and its line.
func TestRejectsBadInputNamingKeyAndLine(t *testing.T) {
	cases := map[string]struct{ from, to, want string }{
		"unknown key":         {"tcpEntries: 4", "tcpEntriez: 4", "line 6: field tcpEntriez not found"},
		"unknown switch":      {"keepaliveResetFlag: keepAliveRestart", "placeholderStatus: true", "line 11: field placeholderStatus not found"},
		"bad switch value":    {"keepAliveRestart", "sometimes", `line 11: interpretations.keepaliveResetFlag "sometimes"`},
		"bad duration":        {"completion: 2s", "completion: soon", `line 8: "soon" is not a positive duration`},
		"negative limit":      {"tcpEntries: 4", "tcpEntries: -4", "line 6"},
		"bad kind":            {"kind: reference", "kind: remote", `line 3: target.kind "remote"`},
		"VLAN ID over 12 bit": {"[10]", "[5000]", "5000 does not fit the 12-bit VlanId"},
		"report path":         {"junit: junit.xml", "junit: ../junit.xml", `"../junit.xml" must be a file name`},
	}
	for name, c := range cases {
		_, err := Parse([]byte(strings.Replace(valid, c.from, c.to, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", name, err, c.want)
		}
	}
}

func TestTheRepositoryConfigurationIsValid(t *testing.T) {
	if _, err := Load("../../ginkgo.yml"); err != nil {
		t.Fatal(err)
	}
}

func TestAnExecTargetNeedsABinaryAndAConnectTargetAnAddress(t *testing.T) {
	base := "timeouts: {completion: 1s, handler: 1s, settle: 1ms}\nreports: {dir: r, junit: j.xml, json: g.json, conformance: c}\n"
	for _, c := range []struct{ yaml, want string }{
		{"target: {kind: exec}\n", "target.exec.path"},
		{"target: {kind: connect}\n", "target.connect.address"},
		{"target: {kind: plugin}\n", `"plugin" is not one of`},
	} {
		_, err := Parse([]byte(c.yaml + base))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %s", c.yaml, err, c.want)
		}
	}
	if _, err := Parse([]byte("target: {kind: exec, exec: {path: ./t, args: [-v]}}\n" + base)); err != nil {
		t.Errorf("a complete exec target is refused: %v", err)
	}
}
