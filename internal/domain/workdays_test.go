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
		// Over the Hùng Kings' day 2026 (Sunday 26 April: Monday 27 off),
		// 30 April, 1 May 2026 (Thursday, Friday).
		{NewDate(2026, time.April, 24), NewDate(2026, time.May, 13)},
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

// Tết (5 days) and the Hùng Kings' day are off; a holiday on a weekend
// gives the next working day off.
func TestLunarHolidays(t *testing.T) {
	cases := []struct {
		name string
		from Date
		n    int
		want Date
	}{
		// Tết 2027: 6 Feb is a Saturday. Off: Fri 5 to Tue 9 Feb, and Wed
		// 10, Thu 11 for Saturday 6 and Sunday 7. A request on the Friday
		// a week before is due after the holidays: 1-4 Feb (4), 12 Feb
		// (5), 15-19 Feb (10).
		{"Friday before Tết 2027", NewDate(2027, time.January, 29), 10, NewDate(2027, time.February, 19)},
		// On Tết's eve itself (Friday 5 Feb 2027): 12 Feb (1), 15-19
		// (6), 22-25 (10).
		{"Tết's eve 2027", NewDate(2027, time.February, 5), 10, NewDate(2027, time.February, 25)},
		// Tết 2026: 17 Feb is a Tuesday; off Mon 16 to Fri 20 Feb. From
		// Friday 13 Feb: 23-27 Feb (5), 2-6 Mar (10).
		{"Tết 2026", NewDate(2026, time.February, 13), 10, NewDate(2026, time.March, 6)},
		// Hùng Kings' day 2026 is Sunday 26 April: Monday 27 off instead;
		// then 30 April, 1 May (Thursday, Friday). From Friday 24 April:
		// 28, 29 Apr (2), 4-8 May (7), 11-13 May (10).
		{"Hùng Kings 2026 on a Sunday", NewDate(2026, time.April, 24), 10, NewDate(2026, time.May, 13)},
		// 2023: Hùng Kings Saturday 29 April, 30 April Sunday, 1 May
		// Monday: off 29 April to 3 May (2 and 3 May compensate).
		{"2023 long weekend", NewDate(2023, time.April, 28), 1, NewDate(2023, time.May, 4)},
		// A fixed holiday on a weekend: 2 September 2029 is a Sunday
		// (1 September a Saturday): Monday 3 and Tuesday 4 are off.
		{"2 September 2029", NewDate(2029, time.August, 31), 1, NewDate(2029, time.September, 5)},
		// Vietnam's Tết 2030 is 2 February (UTC+7), China's 3 February:
		// off Fri 1 Feb to Tue 5 Feb, + Wed 6, Thu 7 for the weekend.
		{"Tết 2030", NewDate(2030, time.January, 31), 1, NewDate(2030, time.February, 8)},
	}
	for _, c := range cases {
		if got := AddWorkingDays(c.from, c.n); got != c.want {
			t.Errorf("%s: %s + %d working days = %s, want %s", c.name, c.from, c.n, got, c.want)
		}
	}
	for _, d := range []Date{NewDate(2027, time.February, 5), NewDate(2027, time.February, 9), NewDate(2027, time.February, 10),
		NewDate(2027, time.February, 11), NewDate(2027, time.April, 16), NewDate(2026, time.April, 27), NewDate(2025, time.January, 28)} {
		if IsWorkingDay(d) {
			t.Errorf("%s is a working day, want a day off", d)
		}
	}
	for _, d := range []Date{NewDate(2027, time.February, 4), NewDate(2027, time.February, 12), NewDate(2026, time.April, 28)} {
		if !IsWorkingDay(d) {
			t.Errorf("%s is a day off, want a working day", d)
		}
	}
	// A year outside the table counts only the fixed holidays: every
	// weekday from 2 January to 29 April is a working day.
	y := LunarTableEnd() + 1
	for d := NewDate(y, time.January, 2); d < NewDate(y, time.April, 30); d++ {
		if !isWeekend(d) && !IsWorkingDay(d) {
			t.Errorf("%s is off outside the lunar table", d)
		}
	}
}

// The lunar table must cover the next 5 years from 2026 (and from today):
// when it does not, extend lunarHolidays.
func TestLunarTableAhead(t *testing.T) {
	y, _, _ := Today().Parts()
	need := max(2026, y) + 5
	for year := 2020; year <= need; year++ {
		l, ok := lunarHolidays[year]
		if !ok {
			t.Fatalf("lunarHolidays has no year %d: extend the table to %d", year, need)
		}
		if ty, _, _ := l.tet.Parts(); ty != year {
			t.Errorf("%d: Tết %s is not in its year", year, l.tet)
		}
		if hy, m, _ := l.hung.Parts(); hy != year || m < time.March || m > time.April {
			t.Errorf("%d: Hùng Kings' day %s is not in March or April", year, l.hung)
		}
		// The 10th of the 3rd month is 2 or 3 lunar months (59 to 89
		// days, with a leap month) after Tết's 1st day, plus 9.
		if d := int(l.hung - l.tet); d < 59+9-1 || d > 89+9+1 {
			t.Errorf("%d: Hùng Kings' day %d days after Tết", year, d)
		}
	}
}
