package rules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var (
	idPattern       = regexp.MustCompile(`^[A-Z]+-[0-9]{3}$`)
	conflictPattern = regexp.MustCompile(`^CONFLICT-[A-Z]+-[0-9]{2}$`)
	sourcePattern   = regexp.MustCompile(`^((ddi|concepts)/[a-z0-9_.-]+|NUMERIC-VALUES)\.md$`)
)

// Validate checks the whole catalog: unique well-formed IDs, a level, wording, sources and an
// observability for every rule, a reason for every rule no host can check, and references to
// conflicts that exist.
func Validate() error {
	errs := make([]error, 0, len(defErrors))
	for _, e := range defErrors {
		errs = append(errs, errors.New(e))
	}
	for _, r := range catalog {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("rule %s: %s", r.ID, fmt.Sprintf(format, args...)))
		}
		if !idPattern.MatchString(r.ID) {
			bad("ID is not of the form PREFIX-000")
		}
		if _, ok := levelNames[r.Level]; !ok {
			bad("no level")
		}
		if _, ok := observabilityNames[r.Observability]; !ok {
			bad("no observability")
		}
		if strings.TrimSpace(r.Text) == "" || strings.Contains(r.Text, "\n") {
			bad("wording must be one non-empty line")
		}
		if len(r.Sources) == 0 {
			bad("no source page")
		}
		for _, s := range r.Sources {
			if !sourcePattern.MatchString(s) {
				bad("source %q is not a page of the documentation set", s)
			}
		}
		needsReason := r.Observability == NeedsDataPath || r.Observability == NeedsWire || r.Observability == Internal
		if needsReason && strings.TrimSpace(r.Note) == "" {
			bad("not observable, but the note does not say why")
		}
		if r.Conflict != "" {
			if _, ok := conflByID[r.Conflict]; !ok {
				bad("follows conflict %s, which is not recorded", r.Conflict)
			}
		}
	}
	for _, c := range conflicts {
		if !conflictPattern.MatchString(c.ID) {
			errs = append(errs, fmt.Errorf("conflict %s: ID is not of the form CONFLICT-PREFIX-00", c.ID))
		}
		if len(c.Pages) == 0 || c.Summary == "" || c.Reading == "" {
			errs = append(errs, fmt.Errorf("conflict %s: pages, summary and reading are all required", c.ID))
		}
	}
	return errors.Join(errs...)
}

// Label returns the Ginkgo label that ties a spec to the rule, e.g. "rule:INIT-012".
func (r *Rule) Label() string { return "rule:" + r.ID }
