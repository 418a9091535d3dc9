// Package domain holds the records of a membership-growth plan (units,
// enterprises, members, plans, targets, campaigns), the identifiers' rules and
// the small vocabulary of errors shared by every layer. It knows nothing of
// SQL, files or HTTP.
package domain

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"

	"congdoan/internal/msg"
)

// Date is a civil date with no time zone. The zero Date means "no date".
// It is a day number, so that spans and day arithmetic are plain integer
// operations in the hot paths of the indicator engine.
type Date int32

// epochShift makes every date after year 0 positive, so 0 is free for "none".
const epochShift = 719468

// NewDate builds a Date from its parts; the parts are normalised like time.Date.
func NewDate(y int, m time.Month, d int) Date {
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 + epochShift)
}

// DateOf takes the calendar date of t in t's own location.
func DateOf(t time.Time) Date { return NewDate(t.Year(), t.Month(), t.Day()) }

// Today is today's date in Vietnam, the default as-of date of a report.
func Today() Date {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		loc = time.FixedZone("ICT", 7*3600)
	}
	return DateOf(time.Now().In(loc))
}

// IsZero reports whether d is "no date".
func (d Date) IsZero() bool { return d == 0 }

// Time is d at midnight UTC.
func (d Date) Time() time.Time { return time.Unix(int64(d-epochShift)*86400, 0).UTC() }

// Parts returns year, month and day.
func (d Date) Parts() (int, time.Month, int) { return d.Time().Date() }

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := d.Parts(); return y }

// AddDays moves d by n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// MonthStart is the first day of d's month.
func (d Date) MonthStart() Date { y, m, _ := d.Parts(); return NewDate(y, m, 1) }

// MonthEnd is the last day of d's month.
func (d Date) MonthEnd() Date { y, m, _ := d.Parts(); return NewDate(y, m+1, 0) }

// MonthKey is "YYYY-MM".
func (d Date) MonthKey() string { y, m, _ := d.Parts(); return fmt.Sprintf("%04d-%02d", y, m) }

// String is the ISO form YYYY-MM-DD, or "" for no date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	y, m, dd := d.Parts()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
}

// VN is the Vietnamese form dd/mm/yyyy.
func (d Date) VN() string {
	if d == 0 {
		return ""
	}
	y, m, dd := d.Parts()
	return fmt.Sprintf("%02d/%02d/%04d", dd, m, y)
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d == 0 {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads the forms ParseDate accepts, or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" || s == `""` {
		*d = 0
		return nil
	}
	u, err := strconv.Unquote(s)
	if err != nil {
		return msg.Errorf("date.not_date", s)
	}
	v, err := ParseDate(u)
	*d = v
	return err
}

// Value stores a date as ISO text, which both SQLite (TEXT) and PostgreSQL
// (DATE) accept.
func (d Date) Value() (driver.Value, error) {
	if d == 0 {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a DATE (PostgreSQL gives time.Time) or ISO text (SQLite).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = 0
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("cannot scan %T into a date", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := ParseDate(s)
	*d = v
	return err
}

// ParseDate accepts YYYY-MM-DD and d/m/yyyy (the Vietnamese order) and
// refuses impossible dates such as 31/02/2022. An empty string is no date.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	var y, m, d int
	var ok bool
	if strings.Count(s, "-") == 2 {
		p := strings.Split(s, "-")
		ok = len(p[0]) == 4 && len(p[1]) == 2 && len(p[2]) == 2
		y, m, d = atoi(p[0], &ok), atoi(p[1], &ok), atoi(p[2], &ok)
	} else if strings.Count(s, "/") == 2 {
		p := strings.Split(s, "/")
		ok = len(p[2]) == 4 && len(p[0]) >= 1 && len(p[0]) <= 2 && len(p[1]) >= 1 && len(p[1]) <= 2
		d, m, y = atoi(p[0], &ok), atoi(p[1], &ok), atoi(p[2], &ok)
	}
	if !ok {
		return 0, msg.Errorf("date.format", clip(s))
	}
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, msg.Errorf("date.impossible", clip(s))
	}
	v := NewDate(y, time.Month(m), d)
	if yy, mm, dd := v.Parts(); yy != y || int(mm) != m || dd != d {
		return 0, msg.Errorf("date.impossible", clip(s))
	}
	return v, nil
}

func atoi(s string, ok *bool) int {
	n, err := strconv.Atoi(s)
	if err != nil || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
		*ok = false
	}
	return n
}

// FromExcelSerial converts an Excel date serial (days since 1899-12-30 in
// the 1900 date system) to a Date; the time of day is dropped.
func FromExcelSerial(serial float64) Date {
	return NewDate(1899, time.December, 30).AddDays(int(serial))
}
