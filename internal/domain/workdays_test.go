package domain

import (
	"testing"
	"time"
)

// Ten working days skip weekends and the fixed public holidays.
func TestAddWorkingDays(t *testing.T) {
	cases := []struct{ from, want Date }{
		// Monday 1 Dec 2025 -> Monday 15 Dec 2025.
		{NewDate(2025, time.December, 1), NewDate(2025, time.December, 15)},
		// Friday: the weekend is not counted.
		{NewDate(2025, time.December, 5), NewDate(2025, time.December, 19)},
		// Over 30 April, 1 May 2026 (Thursday, Friday).
		{NewDate(2026, time.April, 24), NewDate(2026, time.May, 12)},
		// Over 1-2 September 2026 (Tuesday, Wednesday).
		{NewDate(2026, time.August, 28), NewDate(2026, time.September, 15)},
		// Over New Year's Day 2027 (Friday).
		{NewDate(2026, time.December, 25), NewDate(2027, time.January, 11)},
	}
	for _, c := range cases {
		if got := AddWorkingDays(c.from, 10); got != c.want {
			t.Errorf("%s + 10 working days = %s, want %s", c.from, got, c.want)
		}
	}
	if IsWorkingDay(NewDate(2026, time.December, 5)) || !IsWorkingDay(NewDate(2026, time.December, 7)) {
		t.Error("Saturday 5 Dec 2026 is off, Monday 7 Dec a working day")
	}
}
