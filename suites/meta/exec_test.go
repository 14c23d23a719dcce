package meta

import (
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestTheSuiteThroughExec runs the whole suite against the reference launched as
// cmd/reference-target through the exec target kind, as a vendor's binary would be, and
// requires it to pass as it does in process. It logs both wall times and their ratio.
func TestTheSuiteThroughExec(t *testing.T) {
	inProcess, throughExec := suiteWallTimes(t)
	t.Logf("suite wall time: in process %s, through exec %s, ratio %.2f", inProcess.Round(time.Millisecond),
		throughExec.Round(time.Millisecond), float64(throughExec)/float64(inProcess))
}

// BenchmarkSuiteWallTime measures, in the same run, the whole suite against the reference in
// process and through exec, and reports the ratio.
func BenchmarkSuiteWallTime(b *testing.B) {
	var in, ex time.Duration
	for b.Loop() {
		i, e := suiteWallTimes(b)
		in, ex = in+i, ex+e
	}
	b.ReportMetric(in.Seconds()/float64(b.N), "s/in-process")
	b.ReportMetric(ex.Seconds()/float64(b.N), "s/exec")
	b.ReportMetric(float64(ex)/float64(in), "exec/in-process")
}

// suiteWallTimes runs the suite binary once against the reference in process and once
// through exec, failing tb when either run fails.
func suiteWallTimes(tb testing.TB) (inProcess, throughExec time.Duration) {
	tb.Helper()
	bin := buildSuite(tb)
	dir := tb.TempDir()
	ref := filepath.Join(dir, "reference-target")
	if out, err := exec.Command("go", "build", "-o", ref, "../../cmd/reference-target").CombinedOutput(); err != nil {
		tb.Fatalf("building cmd/reference-target: %v\n%s", err, out)
	}
	run := func(name string, args ...string) time.Duration {
		cmd := exec.Command(bin, append([]string{"-report-dir=" + filepath.Join(dir, name)}, args...)...)
		cmd.Dir = ".."
		start := time.Now()
		out, err := cmd.CombinedOutput()
		took := time.Since(start)
		if err != nil {
			tb.Fatalf("the suite %s failed against the reference: %v\n%s", name, err, tail(out))
		}
		return took
	}
	inProcess = run("in-process")
	cfg, err := filepath.Abs("../../ginkgo.yml")
	if err != nil {
		tb.Fatal(err)
	}
	// The target runs in a working directory of its own: it is told where ginkgo.yml is.
	throughExec = run("through-exec", "-target=exec", "-target-path="+ref, "-target-args=-config="+cfg)
	return inProcess, throughExec
}
