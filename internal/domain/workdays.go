package domain

import (
	"sort"
	"sync"
	"time"
)

// Working days, for the 10 working days the Trade Union Law gives an upper
// union to answer a worker's request to join. Saturdays and Sundays are
// off, and so are the public holidays of the Labour Code 2019 (Art. 112):
//   - fixed solar dates: 1 January, 30 April, 1 May, 2 September and the
//     day next to it (counted here as 1 September);
//   - Tết Nguyên đán, 5 days: the last day of the lunar year and the first
//     4 days of the new one (the government sets the exact days off each
//     year, sometimes swapping working days; the Labour Code's 5 days are
//     what is counted here);
//   - the Hùng Kings' day, 10th day of the 3rd lunar month.
//
// A holiday on a Saturday or Sunday gives a compensatory day off, the next
// working day (Art. 112(3)).
//
// The lunar holidays move every year, so they come from lunarHolidays, a
// table of Gregorian dates by year. A year outside the table counts only
// the fixed holidays (a due date a few days early around Tết, which errs
// on the worker's side); TestLunarTableAhead fails when the table runs out
// within 5 years, so that somebody extends it.

// lunarHoliday is a year's Lunar New Year's Day (mùng 1 Tết) and Hùng
// Kings' day (10/3 lunar), as Gregorian dates.
type lunarHoliday struct {
	tet, hung Date
}

// lunarHolidays by Gregorian year. Source: the Vietnamese lunar calendar
// (reckoned at UTC+7, which is why 2030's Tết falls on 2 February in
// Vietnam but 3 February in China), as widely published; the helper that
// wrote this table had no reference to hand and checked it against a
// computation of the new moons and solar terms (Meeus, Astronomical
// Algorithms, ch. 49). 2034's Tết is 19 February (the 2033 leap 11th
// month), where the plain solar-term rule would say 20 January.
var lunarHolidays = map[int]lunarHoliday{
	2020: {NewDate(2020, time.January, 25), NewDate(2020, time.April, 2)},
	2021: {NewDate(2021, time.February, 12), NewDate(2021, time.April, 21)},
	2022: {NewDate(2022, time.February, 1), NewDate(2022, time.April, 10)},
	2023: {NewDate(2023, time.January, 22), NewDate(2023, time.April, 29)},
	2024: {NewDate(2024, time.February, 10), NewDate(2024, time.April, 18)},
	2025: {NewDate(2025, time.January, 29), NewDate(2025, time.April, 7)},
	2026: {NewDate(2026, time.February, 17), NewDate(2026, time.April, 26)},
	2027: {NewDate(2027, time.February, 6), NewDate(2027, time.April, 16)},
	2028: {NewDate(2028, time.January, 26), NewDate(2028, time.April, 4)},
	2029: {NewDate(2029, time.February, 13), NewDate(2029, time.April, 23)},
	2030: {NewDate(2030, time.February, 2), NewDate(2030, time.April, 12)},
	2031: {NewDate(2031, time.January, 23), NewDate(2031, time.April, 1)},
	2032: {NewDate(2032, time.February, 11), NewDate(2032, time.April, 19)},
	2033: {NewDate(2033, time.January, 31), NewDate(2033, time.April, 9)},
	2034: {NewDate(2034, time.February, 19), NewDate(2034, time.April, 28)},
	2035: {NewDate(2035, time.February, 8), NewDate(2035, time.April, 17)},
}

// offDays caches, by year, the year's holidays and compensatory days.
var offDays sync.Map // int -> map[Date]bool

// holidaysOf is the set of a year's days off other than weekends: the
// public holidays and the compensatory days of those on a weekend.
func holidaysOf(year int) map[Date]bool {
	if m, ok := offDays.Load(year); ok {
		return m.(map[Date]bool)
	}
	days := []Date{
		NewDate(year, time.January, 1), NewDate(year, time.April, 30), NewDate(year, time.May, 1),
		NewDate(year, time.September, 1), NewDate(year, time.September, 2),
	}
	if l, ok := lunarHolidays[year]; ok {
		for i := -1; i <= 3; i++ {
			days = append(days, l.tet.AddDays(i))
		}
		days = append(days, l.hung)
	}
	// In order, so that each holiday on a weekend takes the first free
	// working day after it (30 April and 1 May on a weekend take two).
	sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
	off := map[Date]bool{}
	for _, d := range days {
		off[d] = true
	}
	for _, d := range days {
		if !isWeekend(d) {
			continue
		}
		c := d + 1
		for isWeekend(c) || off[c] {
			c++
		}
		off[c] = true
	}
	m, _ := offDays.LoadOrStore(year, off)
	return m.(map[Date]bool)
}

func isWeekend(d Date) bool {
	wd := d.Time().Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// LunarTableEnd is the last year the lunar holidays are known for.
func LunarTableEnd() int {
	last := 0
	for y := range lunarHolidays {
		last = max(last, y)
	}
	return last
}

// IsWorkingDay reports whether d is a working day.
func IsWorkingDay(d Date) bool {
	if isWeekend(d) {
		return false
	}
	y, _, _ := d.Parts()
	// A year's compensatory days fall in the same year: its last holiday
	// is 2 September.
	return !holidaysOf(y)[d]
}

// AddWorkingDays is the working day n working days after d.
func AddWorkingDays(d Date, n int) Date {
	for n > 0 {
		d++
		if IsWorkingDay(d) {
			n--
		}
	}
	return d
}
