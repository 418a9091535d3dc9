package domain

import "time"

// Working days, for the 10 working days the Trade Union Law gives an upper
// union to answer a worker's request to join. Saturdays and Sundays are
// off, and so are the public holidays of the Labour Code (Art. 112) that
// fall on fixed solar dates: 1 January, 30 April, 1 May, 1-2 September.
// The lunar holidays (Tết, the Hùng Kings' day) move every year and are
// set by the government each year; they are not counted here, so a due
// date around Tết is a few days early, which errs on the worker's side.

// IsWorkingDay reports whether d is a working day.
func IsWorkingDay(d Date) bool {
	switch d.Time().Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	_, m, day := d.Parts()
	switch {
	case m == time.January && day == 1,
		m == time.April && day == 30,
		m == time.May && day == 1,
		m == time.September && (day == 1 || day == 2):
		return false
	}
	return true
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
