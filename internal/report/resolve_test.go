package report_test

import (
	"testing"

	"congdoan/internal/report"
	"congdoan/internal/store"
)

// A report without a unit is of the plan's unit, unless the user sits
// inside the plan below it: then of the user's own unit.
func TestDefaultUnit(t *testing.T) {
	for _, c := range []struct {
		name, userCode, userPath, want string
	}{
		{"the plan's own unit", "HN", "/1/", "HN"},
		{"a unit above the plan", "VN", "/", "HN"},
		{"a district inside the city's plan", "HN-CG", "/1/2/", "HN-CG"},
		{"a unit outside the plan", "HP", "/9/", "HN"},
	} {
		u := &store.User{UnitCode: c.userCode, UnitPath: c.userPath}
		if got := report.DefaultUnit("HN", "/1/", u); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if got := report.DefaultUnit("HN", "/1/", nil); got != "HN" {
		t.Errorf("no user: %s, want HN", got)
	}
}
