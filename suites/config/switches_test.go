package config_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ndis-chimney/conformance/suites/config"
	"github.com/ndis-chimney/conformance/suites/rules"
)

// A conflict that names a switch promises the user a key under interpretations: in ginkgo.yml;
// every key there must in turn answer a recorded conflict.
func TestEveryConflictSwitchIsAnInterpretationKey(t *testing.T) {
	keys := map[string]bool{}
	ty := reflect.TypeFor[config.Interpretations]()
	for i := range ty.NumField() {
		keys[strings.Split(ty.Field(i).Tag.Get("yaml"), ",")[0]] = true
	}
	used := map[string]bool{}
	for _, c := range rules.Conflicts() {
		if c.Switch == "" {
			continue
		}
		used[c.Switch] = true
		if !keys[c.Switch] {
			t.Errorf("%s names the switch %q, which is not a key under interpretations: in ginkgo.yml", c.ID, c.Switch)
		}
	}
	for k := range keys {
		if !used[k] {
			t.Errorf("interpretations: %s answers no conflict of the catalog", k)
		}
	}
}
