package domain_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"congdoan/internal/domain"
	"congdoan/internal/msg"
)

// The validators and the date parser never panic, and their messages
// quote at most a short start of the value.
func checkMessage(t *testing.T, err error) {
	if err == nil {
		return
	}
	if msg.Of(err).IsZero() {
		t.Fatalf("an error without a message: %v", err)
	}
	if n := utf8.RuneCountInString(err.Error()); n > 400 {
		t.Fatalf("a message of %d characters: %.100q", n, err.Error())
	}
}

func FuzzValidateNationalID(f *testing.F) {
	f.Add("001089001234", "cccd", 1989, "male")
	f.Add("123456789", "cmnd", 0, "")
	f.Add("B1234567", "passport", 1990, "female")
	f.Add("079300000001", "", 2000, "female")
	f.Fuzz(func(t *testing.T, id, idType string, year int, gender string) {
		var birth domain.Date
		if year >= 1900 && year <= 2200 {
			birth = domain.NewDate(year, 1, 1)
		}
		checkMessage(t, domain.ValidateNationalID(id, idType, birth, gender))
	})
}

// seed adds each value as a seed of a fuzz target of one string.
func seed(f *testing.F, values ...string) {
	for _, v := range values {
		f.Add(v)
	}
}

func FuzzValidateTaxCode(f *testing.F) {
	seed(f, "0100109106", "0100109106-001", "001089001234", "12-")
	f.Fuzz(func(t *testing.T, code string) {
		checkMessage(t, domain.ValidateTaxCode(code))
	})
}

func FuzzParseDate(f *testing.F) {
	seed(f, "2022-07-08", "8/7/2022", "31/02/2022", " 01/01/1900 ")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := domain.ParseDate(s)
		checkMessage(t, err)
		if err == nil && strings.TrimSpace(s) != "" {
			// A date read back from its own forms is the same date.
			if e, err := domain.ParseDate(d.String()); err != nil || e != d {
				t.Fatalf("%q: %v reads back as %v, %v", s, d, e, err)
			}
			if e, err := domain.ParseDate(d.VN()); err != nil || e != d {
				t.Fatalf("%q: %v (VN %s) reads back as %v, %v", s, d, d.VN(), e, err)
			}
		}
	})
}
