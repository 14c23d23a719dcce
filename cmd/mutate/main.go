// Command mutate measures how much of the reference target's own code the conformance suite
// checks. It makes small changes (mutants) to the function bodies of the packages under test,
// one at a time, builds the suite's test binary with each, and runs it against the in-process
// reference: a mutant is killed when the suite, or the pin of the reference's declaration
// beside it, fails (a crash or a timeout counts), or when under the default configuration it
// makes a spec skip because the target declared less or answered NDIS_STATUS_FAILURE (which
// suites/meta's TestTheReferenceSkipsNoSpecItCouldRun fails on). A mutant
// that passes the default ginkgo.yml is run again under the other configurations the meta
// tests use, and is killed if any of them fails.
//
// Usage, from anywhere in the module:
//
//	go run ./cmd/mutate                     # every mutant of ./reference
//	go run ./cmd/mutate -list               # list the mutants, run nothing
//	go run ./cmd/mutate -only ID[,ID...]    # run some mutants
//	go run ./cmd/mutate -source ID          # print the mutated file
//	go run ./cmd/mutate -json out.json      # also write the results
//
// The score is killed / (viable - equivalent). Equivalent mutants, which no host could tell
// apart from the reference, are listed with their reason in cmd/mutate/equivalent.txt. The
// exit status is 1 when a mutant neither killed nor listed survives, or when a listed one is
// killed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ndis-chimney/conformance/suites/report"
)

type options struct {
	pkgs        string
	suite       string
	config      string
	equivalent  string
	only        string
	list        bool
	jsonOut     string
	timeout     time.Duration
	build       string
	jobs        int
	keep        bool
	eachReading bool
	source      string
	trust       bool
	labelFilter string
	defaultOnly bool
}

func main() {
	var o options
	flag.StringVar(&o.pkgs, "pkgs", "./reference", "packages to mutate, comma-separated patterns")
	flag.StringVar(&o.suite, "suite", "./suites", "the package of the suite's test binary")
	flag.StringVar(&o.config, "config", "", "ginkgo.yml to start from (default: the module root's)")
	flag.StringVar(&o.equivalent, "equivalent", "", "the list of equivalent mutants (default: cmd/mutate/equivalent.txt)")
	flag.StringVar(&o.only, "only", "", "run only these mutants, comma-separated IDs")
	flag.BoolVar(&o.list, "list", false, "list the mutants and run nothing")
	flag.StringVar(&o.source, "source", "", "print the source of the file mutant ID changes, with the change, and run nothing")
	flag.StringVar(&o.jsonOut, "json", "", "write the results to this JSON file")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "kill a run of the suite after this long (the mutant counts as killed)")
	flag.StringVar(&o.build, "build", "schema", "schema: one build with every mutant, switched by "+schemaEnv+"; overlay: one build per mutant")
	flag.IntVar(&o.jobs, "j", 1, "mutants run at once")
	flag.BoolVar(&o.keep, "keep", false, "keep the scratch directory (overlays, binaries)")
	flag.BoolVar(&o.eachReading, "each-reading", false, "also run survivors with each interpretation switch flipped on its own")
	flag.StringVar(&o.labelFilter, "label-filter", "", "run only the specs this Ginkgo label filter selects (e.g. wire, for the TCP engine's mutants)")
	flag.BoolVar(&o.defaultOnly, "default-only", false, "run survivors under no configuration but ginkgo.yml's (a quicker, weaker run)")
	flag.BoolVar(&o.trust, "trust-equivalent", false, "do not run the mutants listed as equivalent (faster; their listing goes unchecked)")
	flag.Parse()
	code, err := mutate(o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "mutate: %v\n", err)
		os.Exit(2)
	}
	os.Exit(code)
}

// mutate runs the whole command and returns its exit status.
func mutate(o options) (int, error) {
	start := time.Now()
	if o.build != "schema" && o.build != "overlay" {
		return 0, fmt.Errorf("-build %q: want schema or overlay", o.build)
	}
	if o.jobs < 1 {
		return 0, errors.New("-j must be at least 1")
	}
	root, err := moduleRoot()
	if err != nil {
		return 0, err
	}
	if o.config == "" {
		o.config = filepath.Join(root, "ginkgo.yml")
	}
	if o.equivalent == "" {
		o.equivalent = filepath.Join(root, "cmd", "mutate", "equivalent.txt")
	}
	eq, err := loadEquivalents(o.equivalent)
	if err != nil {
		return 0, err
	}
	pkgs, err := loadPackages(root, strings.Split(o.pkgs, ","))
	if err != nil {
		return 0, err
	}
	var all []*Mutant
	byPkg := map[*Package][]*Mutant{}
	for _, p := range pkgs {
		ms, err := p.enumerate(len(all) + 1)
		if err != nil {
			return 0, err
		}
		all = append(all, ms...)
		byPkg[p] = ms
	}
	if o.source != "" {
		for _, m := range all {
			if m.ID() == o.source {
				_, err := os.Stdout.Write(m.Source())
				return 0, err
			}
		}
		return 0, fmt.Errorf("-source: no mutant %s (see -list)", o.source)
	}
	if o.list {
		for _, m := range all {
			switch {
			case !m.Viable():
				fmt.Printf("%s\t%s\tnot viable: %v\n", m.ID(), m.Desc, m.viable)
			case eq[m.ID()] != "":
				fmt.Printf("%s\t%s\tequivalent: %s\n", m.ID(), m.Desc, eq[m.ID()])
			default:
				fmt.Printf("%s\t%s\n", m.ID(), m.Desc)
			}
		}
		fmt.Printf("%d mutants, %d viable\n", len(all), countViable(all))
		return 0, nil
	}
	selected, err := selectMutants(all, o.only)
	if err != nil {
		return 0, err
	}

	work, err := os.MkdirTemp("", "mutate-")
	if err != nil {
		return 0, err
	}
	if o.keep {
		fmt.Printf("scratch directory: %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	configs := variants(o.eachReading)
	if o.defaultOnly {
		configs = configs[:1]
	}
	vs, err := prepare(configs, o.config, work)
	if err != nil {
		return 0, err
	}
	s := &session{
		opts:     o,
		b:        &builder{moduleRoot: root, suite: o.suite, work: work},
		r:        &runner{suiteDir: filepath.Join(root, o.suite), work: work, timeout: o.timeout, labelFilter: o.labelFilter},
		variants: vs,
		eq:       eq,
		skipped:  map[string]map[string]string{},
	}
	sum := &Summary{Build: o.build}
	for _, p := range pkgs {
		sum.Packages = append(sum.Packages, p.ImportPath)
	}
	for _, v := range vs {
		sum.Configurations = append(sum.Configurations, v.name)
	}

	// The binary every mutant runs in: the schema of all of them, or for -build overlay the
	// unmutated suite, which the baseline needs anyway.
	overlay := map[string][]byte{}
	if o.build == "schema" {
		for _, p := range pkgs {
			var viable []*Mutant
			for _, m := range byPkg[p] {
				if m.Viable() && selected[m] {
					viable = append(viable, m)
				}
			}
			if len(viable) == 0 {
				continue
			}
			src, err := p.schema(viable)
			if err != nil {
				return 0, err
			}
			for path, data := range src {
				overlay[path] = data
			}
		}
	}
	bin, took, err := s.b.build(filepath.Join(work, "base"), overlay)
	if err != nil {
		return 0, err
	}
	sum.BuildSeconds = took.Seconds()
	s.bin = bin
	fmt.Printf("built the suite (%s build) in %s\n", o.build, took.Round(100*time.Millisecond))
	if err := s.baseline(); err != nil {
		return 0, err
	}

	runStart := time.Now()
	var todo []*Mutant
	for _, m := range all {
		if !selected[m] {
			continue
		}
		if !m.Viable() {
			r := newResult(m)
			r.Status, r.Detail = StatusNotViable, m.viable.Error()
			sum.Results = append(sum.Results, r)
			continue
		}
		if reason, ok := eq[m.ID()]; ok && o.trust {
			r := newResult(m)
			r.Status, r.Detail, r.ListedEquivalent = StatusEquivalent, reason, true
			sum.Results = append(sum.Results, r)
			continue
		}
		todo = append(todo, m)
	}
	results, err := s.runAll(todo)
	if err != nil {
		return 0, err
	}
	sum.Results = append(sum.Results, results...)
	sortResults(sum.Results, all)
	sum.RunSeconds = time.Since(runStart).Seconds()
	if o.build == "overlay" {
		// Each mutant's run included its build.
		sum.BuildSeconds += s.buildTime.Seconds()
	}
	if o.only == "" {
		sum.Stale = eq.stale(all)
	}
	sum.TotalSeconds = time.Since(start).Seconds()
	sum.tally()
	sum.print(os.Stdout)
	if o.jsonOut != "" {
		if err := sum.writeJSON(o.jsonOut); err != nil {
			return 0, err
		}
	}
	if sum.Survived > 0 || len(sum.WrongEquivalences) > 0 {
		return 1, nil
	}
	return 0, nil
}

// session is one run over the selected mutants.
type session struct {
	opts     options
	b        *builder
	r        *runner
	bin      string
	variants []preparedVariant
	eq       equivalents

	// skipped holds, per configuration, the specs the unmutated reference skips.
	skipped map[string]map[string]string

	mu        sync.Mutex
	done      int
	killed    int
	survived  int
	buildTime time.Duration
}

// baseline runs the suite with no mutant under every configuration, as many at once as the
// mutants will run: each must pass (a failure that does not repeat is forgiven, as for a
// mutant), or a failure would kill mutants that changed nothing.
func (s *session) baseline() error {
	errs := make([]error, len(s.variants))
	parallel(len(s.variants), s.opts.jobs, func(i int) {
		v := s.variants[i]
		vd, err := s.r.run(s.bin, 0, v)
		if err == nil && vd.failed && !vd.timedOut {
			vd, err = s.r.run(s.bin, 0, v) // as for a mutant, a failure must repeat
		}
		switch {
		case err != nil:
			errs[i] = err
		case vd.failed:
			errs[i] = fmt.Errorf("the unmutated reference fails the suite under configuration %s: %s", v.name, vd.detail)
		default:
			s.mu.Lock()
			s.skipped[v.name] = vd.skipped
			fmt.Printf("baseline %s passed in %s, %d specs skipped\n", v.name, vd.took.Round(100*time.Millisecond), len(vd.skipped))
			s.mu.Unlock()
		}
	})
	return errors.Join(errs...)
}

// runAll runs the mutants on opts.jobs workers and returns their results.
func (s *session) runAll(todo []*Mutant) ([]Result, error) {
	results := make([]Result, len(todo))
	errs := make([]error, len(todo))
	parallel(len(todo), s.opts.jobs, func(i int) { results[i], errs[i] = s.one(todo[i], len(todo)) })
	return results, errors.Join(errs...)
}

// parallel calls do(i) for every i below n, on the given number of goroutines.
func parallel(n, workers int, do func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				do(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// one runs a mutant under the default configuration, then under each other one until a run
// fails.
func (s *session) one(m *Mutant, total int) (Result, error) {
	res := newResult(m)
	start := time.Now()
	bin, selector := s.bin, m.Index
	if s.opts.build == "overlay" {
		dir := filepath.Join(s.b.work, fmt.Sprintf("mutant-%d", m.Index))
		defer os.RemoveAll(dir)
		b, took, err := s.b.build(dir, map[string][]byte{m.file.path: m.Source()})
		s.mu.Lock()
		s.buildTime += took
		s.mu.Unlock()
		if err != nil {
			res.Status, res.Detail = StatusNotViable, err.Error()
			s.progress(res, total)
			return res, nil
		}
		bin, selector = b, 0
	}
	res.Status = StatusSurvived
	for _, v := range s.variants {
		vd, err := s.r.run(bin, selector, v)
		if err != nil {
			return res, err
		}
		if vd.failed && !vd.timedOut {
			// A failed spec must fail again: on a loaded machine a completion can miss its
			// deadline, and such a run would count a mutant killed that changed nothing.
			again, err := s.r.run(bin, selector, v)
			if err != nil {
				return res, err
			}
			if !again.failed {
				res.Flaky = append(res.Flaky, v.name+": "+vd.detail)
				vd = again
			}
		}
		if vd.failed {
			res.Status, res.KilledBy, res.Detail = StatusKilled, v.name, vd.detail
			break
		}
		pinned := ""
		for spec, msg := range vd.skipped {
			if _, ok := s.skipped[v.name][spec]; ok {
				continue
			}
			res.NewSkips = append(res.NewSkips, v.name+": "+spec)
			if v.name == "default" && report.TargetShortfall(msg) && pinned == "" {
				pinned = fmt.Sprintf("%q skipped: %s", spec, firstLine(msg))
			}
		}
		if pinned != "" {
			// suites/meta's TestTheReferenceSkipsNoSpecItCouldRun fails on such a skip.
			res.Status, res.KilledBy, res.Detail = StatusKilled, "skip-pin", pinned
			break
		}
	}
	if res.Status == StatusKilled {
		res.NewSkips = nil
	}
	slices.Sort(res.NewSkips)
	if reason, ok := s.eq[m.ID()]; ok {
		res.ListedEquivalent = true
		if res.Status == StatusSurvived {
			res.Status, res.Detail = StatusEquivalent, reason
		}
	}
	res.Seconds = time.Since(start).Seconds()
	s.progress(res, total)
	return res, nil
}

// progress prints one finished mutant with the running totals.
func (s *session) progress(r Result, total int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done++
	switch r.Status {
	case StatusKilled:
		s.killed++
	case StatusSurvived:
		s.survived++
	}
	how := string(r.Status)
	if len(r.Flaky) > 0 {
		how = fmt.Sprintf("%s (a failure that did not repeat: %s)", how, r.Flaky[0])
	}
	if r.Status == StatusKilled {
		how += " by " + r.KilledBy
		if r.ListedEquivalent {
			how += " (but listed as equivalent)"
		}
	}
	fmt.Printf("[%d/%d] %s  %s (%.1fs; %d killed, %d survived)\n", s.done, total, r.Description, how, r.Seconds, s.killed, s.survived)
}

// selectMutants returns the mutants -only names, or all of them.
func selectMutants(all []*Mutant, only string) (map[*Mutant]bool, error) {
	out := map[*Mutant]bool{}
	if only == "" {
		for _, m := range all {
			out[m] = true
		}
		return out, nil
	}
	byID := map[string]*Mutant{}
	for _, m := range all {
		byID[m.ID()] = m
	}
	for _, id := range strings.Split(only, ",") {
		m, ok := byID[strings.TrimSpace(id)]
		if !ok {
			return nil, fmt.Errorf("-only: no mutant %s (see -list)", id)
		}
		out[m] = true
	}
	return out, nil
}

// sortResults puts results in enumeration order.
func sortResults(rs []Result, all []*Mutant) {
	order := map[string]int{}
	for i, m := range all {
		order[m.ID()] = i
	}
	slices.SortStableFunc(rs, func(a, b Result) int { return order[a.ID] - order[b.ID] })
}

func countViable(ms []*Mutant) int {
	n := 0
	for _, m := range ms {
		if m.Viable() {
			n++
		}
	}
	return n
}

// moduleRoot returns the directory of the main module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	return filepath.Dir(mod), nil
}

// firstLine returns the first line of s, trimmed.
func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
