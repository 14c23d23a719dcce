package config

import (
	"fmt"
	"strconv"
)

// Properties configures the property specs, which judge every rule over scenarios generated
// and shrunk by pgregory.net/rapid.
type Properties struct {
	// Cases is how many scenarios each property spec generates (DefaultCases when zero).
	// Explicit -rapid.checks wins.
	Cases int `yaml:"cases"`
	// Seed fixes the generator's seed, so that CI runs the same scenarios every time;
	// "random" draws a new one each run (printed with any failure). Explicit -rapid.seed wins.
	Seed Seed `yaml:"seed"`
}

// Seed is a generator seed, or zero for a random one.
type Seed uint64

// UnmarshalYAML reads a seed: a positive integer, or "random".
func (s *Seed) UnmarshalYAML(unmarshal func(any) error) error {
	var text string
	if err := unmarshal(&text); err != nil {
		return err
	}
	if text == "random" {
		*s = 0
		return nil
	}
	n, err := strconv.ParseUint(text, 10, 64)
	if err != nil || n == 0 {
		return fmt.Errorf("properties.seed: %q is neither a positive integer nor \"random\"", text)
	}
	*s = Seed(n)
	return nil
}

// MarshalYAML writes a seed as ginkgo.yml spells it.
func (s Seed) MarshalYAML() (any, error) {
	if s == 0 {
		return "random", nil
	}
	return uint64(s), nil
}

// DefaultCases is the number of scenarios per property spec when ginkgo.yml names none.
const DefaultCases = 20

// CaseCount returns the number of scenarios per property spec.
func (p Properties) CaseCount() int {
	if p.Cases == 0 {
		return DefaultCases
	}
	return p.Cases
}

func (p Properties) check() error {
	if p.Cases < 0 {
		return fmt.Errorf("properties.cases: %d, want a positive number (or none, for %d)", p.Cases, DefaultCases)
	}
	return nil
}
