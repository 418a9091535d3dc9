package domain

import (
	"encoding/json"
	"testing"
)

func TestParseDate(t *testing.T) {
	ok := map[string]string{
		"2022-07-08": "2022-07-08", "08/07/2022": "2022-07-08", "8/7/2022": "2022-07-08",
		" 29/02/2024 ": "2024-02-29", "": "",
	}
	for in, want := range ok {
		got, err := ParseDate(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"31/02/2022", "29/02/2023", "2022-13-01", "2022-7-8", "2022/07/08", "hôm qua", "08-07-2022", "1/1/22", "0/1/2022", "44927"} {
		if _, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) accepted", in)
		}
	}
}

func TestDateArithmeticAndJSON(t *testing.T) {
	d := NewDate(2022, 7, 8)
	if d.MonthStart().String() != "2022-07-01" || d.MonthEnd().String() != "2022-07-31" || d.AddDays(-8).String() != "2022-06-30" {
		t.Error("month bounds")
	}
	if NewDate(2024, 2, 10).MonthEnd().String() != "2024-02-29" || d.MonthKey() != "2022-07" || d.VN() != "08/07/2022" {
		t.Error("leap month / keys")
	}
	if FromExcelSerial(44750).String() != "2022-07-08" || FromExcelSerial(25977).String() != "1971-02-13" {
		t.Errorf("excel serial: %v", FromExcelSerial(44750))
	}
	var x struct{ A, B Date }
	if err := json.Unmarshal([]byte(`{"A":"08/07/2022","B":null}`), &x); err != nil || x.A != d || !x.B.IsZero() {
		t.Errorf("json: %v %+v", err, x)
	}
	b, _ := json.Marshal(x)
	if string(b) != `{"A":"2022-07-08","B":null}` {
		t.Errorf("json out: %s", b)
	}
	if NewDate(1970, 1, 1).IsZero() {
		t.Error("1970-01-01 is a date, not none")
	}
}

func TestValidateNationalID(t *testing.T) {
	b1985, b2003 := NewDate(1985, 3, 1), NewDate(2003, 3, 1)
	good := []struct {
		id, typ, gender string
		birth           Date
	}{
		{"001085012345", "cccd", "male", b1985},
		{"001185012345", "", "female", b1985},
		{"079203012345", "cccd", "male", b2003},
		{"096303012345", "cccd", "female", b2003},
		{"012345678", "cmnd", "male", b1985},
		{"B1234567", "passport", "female", b1985},
	}
	for _, c := range good {
		if err := ValidateNationalID(c.id, c.typ, c.birth, c.gender); err != nil {
			t.Errorf("%s: %v", c.id, err)
		}
	}
	bad := []struct {
		id, typ, gender string
		birth           Date
	}{
		{"003085012345", "cccd", "male", b1985}, // 003 is no province code
		{"001185012345", "cccd", "male", b1985}, // 1 = woman born 1900-1999
		{"001086012345", "cccd", "male", b1985}, // year digits 86
		{"001285012345", "cccd", "male", b1985}, // 2 = born 2000-2099
		{"001685012345", "cccd", "male", b1985}, // 6 is no century digit
		{"00108501234", "cccd", "male", b1985},  // 11 digits
		{"00108501234a", "cccd", "male", b1985}, // letter
		{"0123456789", "cmnd", "male", b1985},   // 10 digits
		{"b1234567", "passport", "male", b1985}, // lower case
		{"001085012345", "visa", "male", b1985}, // unknown type
	}
	for _, c := range bad {
		if err := ValidateNationalID(c.id, c.typ, c.birth, c.gender); err == nil {
			t.Errorf("%s (%s) accepted", c.id, c.typ)
		}
	}
}

func TestValidateTaxCode(t *testing.T) {
	// 0100109106: 0*31+1*29+0*23+0*19+1*17+0*13+9*7+1*5+0*3 = 114; 114 mod 11 = 4; 10-4 = 6.
	for _, c := range []string{"0100109106", "0100109106-001", "001085012345"} {
		if err := ValidateTaxCode(c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	for _, c := range []string{"0100109107", "0100109106-01", "0100109106-abc", "010010910", "01001091060", "003085012345", "0100109106-001-002", ""} {
		if err := ValidateTaxCode(c); err == nil {
			t.Errorf("%s accepted", c)
		}
	}
}

func TestValidCode(t *testing.T) {
	for _, c := range []string{"HN", "HN-CG_1.2"} {
		if !ValidCode(c) {
			t.Errorf("%s refused", c)
		}
	}
	for _, c := range []string{"", "HN CG", "HN/CG", "Hà-Nội"} {
		if ValidCode(c) {
			t.Errorf("%q accepted", c)
		}
	}
}
