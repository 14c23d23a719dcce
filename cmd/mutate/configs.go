package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/faults"
	"go.yaml.in/yaml/v3"
)

// variant is one configuration the suite runs under: a mutant that passes the default
// configuration is run again under each of the others, as suites/meta runs the reference.
type variant struct {
	name string
	// configure changes the configuration read from ginkgo.yml; nil runs ginkgo.yml as it is.
	configure func(*config.Config) error
	args      []string // further flags of the suite binary
}

// variants returns the configurations of suites/meta: the default; every interpretation switch
// flipped at once (TestTheOtherReadingsHoldTogether); each connection limit in turn the
// smallest bound (TestEachConnectionLimitBindsInTurn); and the configuration of each fault
// whose specs need one, with the fault itself left out (-fault-control, as its control run).
// Each runs the whole suite, not only the specs the meta test selects: the reference passes
// all of them there (the baseline run checks it), so the whole suite can kill more.
//
// With eachReading, every interpretation switch is also flipped on its own, as
// TestEachOtherReadingHoldsAlone does: flipped together, one reading can hide another (a linker
// whose dependents all failed is not a failure under linkerAllDependentsFailedPartialSuccess,
// so no placeholder above it sees a failed dependent). It is off by default because it costs
// a dozen runs per survivor; the faults whose Configure selects one reading alone
// (fault-control variants) carry the single-reading configurations the specs need.
func variants(eachReading bool) []variant {
	vs := []variant{
		{name: "default"},
		{name: "other-readings", configure: func(c *config.Config) error { return flipAll(&c.Interpretations) }},
	}
	for _, key := range []string{"tcpEntries", "transmitBuffers", "receiveBuffers"} {
		vs = append(vs, variant{name: "smallest-bound-" + key, configure: func(c *config.Config) error {
			return setLimit(&c.Target.Reference.Limits, key, 5)
		}})
	}
	for _, f := range faults.All() {
		if f.Configure != nil {
			vs = append(vs, variant{name: "fault-control-" + f.Name, args: []string{"-fault=" + f.Name, "-fault-control"}})
		}
	}
	if eachReading {
		ty := reflect.TypeFor[config.Interpretations]()
		for i := range ty.NumField() {
			key := strings.Split(ty.Field(i).Tag.Get("yaml"), ",")[0]
			vs = append(vs, variant{name: "reading-" + key, configure: func(c *config.Config) error {
				return flip(reflect.ValueOf(&c.Interpretations).Elem(), i)
			}})
		}
	}
	return vs
}

// flipAll sets every interpretation switch to the reading that is not the default.
func flipAll(in *config.Interpretations) error {
	v := reflect.ValueOf(in).Elem()
	for i := range v.NumField() {
		if err := flip(v, i); err != nil {
			return err
		}
	}
	return nil
}

// flip sets field i of the interpretations v, read from the default ginkgo.yml, to the reading
// that is not the default: a bool to its opposite, the keepalive reset flag to
// keepAliveRestart. A switch of another kind is an error, so a new kind of switch is not
// silently left at its default.
func flip(v reflect.Value, i int) error {
	field := v.Field(i)
	switch {
	case field.Kind() == reflect.Bool:
		field.SetBool(!field.Bool())
	case field.Type() == reflect.TypeFor[config.KeepaliveResetFlag]():
		field.Set(reflect.ValueOf(config.ResetOnKeepAliveRestart))
	default:
		return fmt.Errorf("interpretations.%s: cannot flip a switch of type %s", v.Type().Field(i).Name, field.Type())
	}
	return nil
}

// setLimit sets the reference limit whose ginkgo.yml key is key.
func setLimit(l *config.Limits, key string, n uint32) error {
	v := reflect.ValueOf(l).Elem()
	for i := range v.NumField() {
		if strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0] == key {
			if v.Field(i).Type() != reflect.TypeFor[*uint32]() {
				return fmt.Errorf("target.reference.limits.%s is not a number", key)
			}
			v.Field(i).Set(reflect.ValueOf(&n))
			return nil
		}
	}
	return fmt.Errorf("target.reference.limits has no key %s", key)
}

// preparedVariant is a variant with its configuration file written.
type preparedVariant struct {
	name string
	args []string // -config and the variant's flags
}

// afterClose is timeouts.afterClose in every configuration of a mutation run: the watch for
// completions made after a target was closed costs a second per run, and no mutant of the
// reference completes late (its Close waits for its worker), so a short watch loses nothing.
const afterClose = config.Duration(10 * time.Millisecond)

// prepare writes each variant's ginkgo.yml into dir, derived from the one at base.
func prepare(vs []variant, base, dir string) ([]preparedVariant, error) {
	var out []preparedVariant
	for _, v := range vs {
		cfg, err := config.Load(base)
		if err != nil {
			return nil, err
		}
		if v.configure != nil {
			if err := v.configure(cfg); err != nil {
				return nil, fmt.Errorf("configuration %s: %v", v.name, err)
			}
		}
		cfg.Timeouts.AfterClose = afterClose
		data, err := yaml.Marshal(cfg)
		if err != nil {
			return nil, fmt.Errorf("configuration %s: %v", v.name, err)
		}
		if _, err := config.Parse(data); err != nil {
			return nil, fmt.Errorf("configuration %s does not read back: %v", v.name, err)
		}
		path := filepath.Join(dir, v.name+".yml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
		out = append(out, preparedVariant{name: v.name, args: append([]string{"-config=" + path}, v.args...)})
	}
	return out, nil
}
