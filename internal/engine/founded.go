package engine

import (
	"sort"
	"strconv"
	"strings"

	"congdoan/internal/domain"
)

// FoundedClass is a set of grassroots units of the report's subtree
// founded in the window that every indicator counts alike (Defs' Founded
// look at nothing else): the same child lines, ownership and method, all
// of them at or above the plan's member threshold or all below it, and
// founding days within one month of the window. The reference gives one
// class per unit; the store gives one per month and kind, so that a
// national report's 13 000 unions founded in the window are about 3 000
// classes, and Compute adds each class once, not each union once per
// month and per child line.
type FoundedClass struct {
	// Branches are the report's child lines (children in the window) whose
	// subtree held the units on their founding day.
	Branches []int64
	// From and To bound the units' founding days: a span within one month
	// of the window, so that the window and each of its months (the spans
	// Compute counts over) hold all of a class or none of it.
	From, To  domain.Date
	Ownership string // the units' own, or their enterprise's
	Method    string
	// AtLeast: each unit has AtLeast(its active members, the plan's
	// threshold); else none has.
	AtLeast bool
	// Units is how many units the class holds, Active their members
	// active on the window's last day, summed.
	Units, Active int64
}

// AtLeast is the rule of enterprise_unions_25plus on a union's size: at
// least threshold members active on the window's last day (docs/indicators.md).
// The reference and the store's classes both ask it.
func AtLeast(active, threshold int64) bool { return active >= threshold }

// Classes groups the units founded in a query's window into
// FoundedClasses, a class per month of the window and kind of unit. The
// store adds its units founded one by one as it reads them.
type Classes struct {
	threshold int64
	// starts are the first days of the window's months within the window
	// (the window's start, then the 1st of each later month); a its last
	// day.
	starts []domain.Date
	a      domain.Date
	at     map[classKey]int
	// names numbers the ownerships, methods and sets of two or more
	// branches met (a national report adds 13 000 units).
	names  map[string]int32
	shared map[string][]int64 // Branches by key, shared by their classes
	out    []FoundedClass
}

// classKey is what the units of a class share, in integers (a key of
// integers alone hashes fast). branches numbers the set of child lines
// where there are two or more (a unit that moved between lines after its
// founding day; 0 otherwise), branch is the one line otherwise (0: none).
type classKey struct {
	month             int32
	ownership, method int32
	branches          int32
	atLeast           bool
	branch            int64
}

// NewClasses starts the classes of the units founded in q's window.
func NewClasses(q Query) *Classes {
	_, s, a := q.Window()
	c := &Classes{threshold: q.Plan.MemberThreshold(), a: a, at: map[classKey]int{}, names: map[string]int32{}, shared: map[string][]int64{}}
	for m := s.MonthStart(); m <= a; m = m.MonthEnd() + 1 {
		c.starts = append(c.starts, max(s, m))
	}
	return c
}

// Add adds a unit founded on day (within the window) under the child
// lines branches (any order; the slice is not kept), with its ownership,
// method and members active on the window's last day. A day outside the
// window is left out.
func (c *Classes) Add(day domain.Date, branches []int64, ownership, method string, active int64) {
	if len(c.starts) == 0 || day < c.starts[0] || day > c.a {
		return
	}
	k := classKey{ownership: c.name(ownership), method: c.name(method), atLeast: AtLeast(active, c.threshold)}
	// The month: the last start on or before day (a dozen at most).
	for k.month = int32(len(c.starts) - 1); c.starts[k.month] > day; k.month-- {
	}
	switch len(branches) {
	case 0:
	case 1:
		k.branch = branches[0]
	default:
		ids := make([]string, len(branches))
		sorted := append([]int64(nil), branches...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		for i, b := range sorted {
			ids[i] = strconv.FormatInt(b, 10)
		}
		k.branches = 1 + c.name(strings.Join(ids, ","))
	}
	i, ok := c.at[k]
	if !ok {
		i = len(c.out)
		c.at[k] = i
		to := c.a
		if int(k.month)+1 < len(c.starts) {
			to = c.starts[k.month+1] - 1
		}
		c.out = append(c.out, FoundedClass{Branches: c.branchesOf(k, branches), From: c.starts[k.month], To: to,
			Ownership: ownership, Method: method, AtLeast: k.atLeast})
	}
	c.out[i].Units++
	c.out[i].Active += active
}

// name is the number of an ownership or a method.
func (c *Classes) name(s string) int32 {
	n, ok := c.names[s]
	if !ok {
		n = int32(len(c.names))
		c.names[s] = n
	}
	return n
}

// branchesOf is the Branches of a new class of key k: one slice per set
// of lines, which nothing changes.
func (c *Classes) branchesOf(k classKey, branches []int64) []int64 {
	if len(branches) == 0 {
		return nil
	}
	key := strconv.FormatInt(k.branch, 10)
	if k.branches != 0 {
		key = "+" + strconv.Itoa(int(k.branches))
	}
	b, ok := c.shared[key]
	if !ok {
		b = append([]int64(nil), branches...)
		sort.Slice(b, func(i, j int) bool { return b[i] < b[j] })
		c.shared[key] = b
	}
	return b
}

// List returns the classes, in the order of their first unit.
func (c *Classes) List() []FoundedClass { return c.out }
