package target

import (
	"fmt"
	"strings"
)

// Role is an optional part of the contract a target declares when opened. Targets are
// StateManipulators; every other part is a role, so that a target without it is reported
// with skips and reasons rather than failures.
type Role uint8

// Roles. Zero is left unused.
const (
	_ Role = iota
	// RoleDataPath: the target implements DataPath.
	RoleDataPath
	// RoleWired: the target implements Wired (a network port the suite connects to its wire).
	RoleWired
	// RoleClocked: the target implements Clocked (its timers run on the suite's clock).
	RoleClocked
	roleEnd
)

var roleNames = map[Role]string{RoleDataPath: "data-path", RoleWired: "wired", RoleClocked: "clocked"}

func (r Role) String() string {
	if s, ok := roleNames[r]; ok {
		return s
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// ParseRole returns the role with the given name.
func ParseRole(s string) (Role, error) {
	for r, n := range roleNames {
		if n == s {
			return r, nil
		}
	}
	return 0, fmt.Errorf("unknown role %q (known: %s)", s, AllRoles())
}

// RoleSet is a set of roles.
type RoleSet uint32

// Has reports whether the set holds r.
func (s RoleSet) Has(r Role) bool { return s&(1<<r) != 0 }

// With returns the set with r added.
func (s RoleSet) With(r Role) RoleSet { return s | 1<<r }

// Roles returns the roles of the set in order.
func (s RoleSet) Roles() []Role {
	var out []Role
	for r := Role(1); r < roleEnd; r++ {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

func (s RoleSet) String() string {
	if s == 0 {
		return "none"
	}
	var names []string
	for _, r := range s.Roles() {
		names = append(names, r.String())
	}
	return strings.Join(names, ", ")
}

// AllRoles returns the set of every role.
func AllRoles() RoleSet {
	var s RoleSet
	for r := Role(1); r < roleEnd; r++ {
		s = s.With(r)
	}
	return s
}

// RoleDeclarer narrows the roles of a target whose Go type implements more than the target
// does: an adapter for a remote target (which declares its roles over the protocol) or a
// wrapper around another target.
type RoleDeclarer interface {
	DeclaredRoles() RoleSet
}

// RolesOf returns the roles a target declares: the role interfaces its type implements,
// narrowed by DeclaredRoles when it has that method.
func RolesOf(t Target) RoleSet {
	var s RoleSet
	if _, ok := t.(DataPath); ok {
		s = s.With(RoleDataPath)
	}
	if _, ok := t.(Wired); ok {
		s = s.With(RoleWired)
	}
	if _, ok := t.(Clocked); ok {
		s = s.With(RoleClocked)
	}
	if d, ok := t.(RoleDeclarer); ok {
		s &= d.DeclaredRoles()
	}
	return s
}
