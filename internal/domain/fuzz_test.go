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

func FuzzValidateTaxCode(f *testing.F) {
	f.Add("0100109106")
	f.Add("0100109106-001")
	f.Add("001089001234")
	f.Add("12-")
	f.Fuzz(func(t *testing.T, code string) {
		checkMessage(t, domain.ValidateTaxCode(code))
	})
}

func FuzzParseDate(f *testing.F) {
	f.Add("2022-07-08")
	f.Add("8/7/2022")
	f.Add("31/02/2022")
	f.Add(" 01/01/1900 ")
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
