package vn

import "testing"

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Nguyễn Văn Đức": "nguyen van duc", "ĐOÀN VIÊN": "doan vien", "Mã số thuế": "ma so thue", "abc": "abc",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeaderKey(t *testing.T) {
	for _, h := range []string{"Mã số thuế", "MÃ SỐ THUẾ", "Ma so thue", " ma  so_thue ", "\ufeffMã số thuế"} {
		if got := HeaderKey(h); got != "masothue" {
			t.Errorf("HeaderKey(%q) = %q", h, got)
		}
	}
	if HeaderKey("tax_code") != HeaderKey("Tax Code") {
		t.Error("tax_code and Tax Code differ")
	}
}

func TestNumbers(t *testing.T) {
	ints := map[int64]string{24396: "24.396", 0: "0", 999: "999", 1000: "1.000", -47855: "-47.855", 11000000: "11.000.000"}
	for n, want := range ints {
		if got := Int(n); got != want {
			t.Errorf("Int(%d) = %q, want %q", n, got, want)
		}
	}
	decs := map[float64]string{40.8: "40,8", 30.72: "30,72", 1017.83: "1.017,83", 50: "50", 0.13: "0,13"}
	for v, want := range decs {
		if got := Decimal(v, 2); got != want {
			t.Errorf("Decimal(%v) = %q, want %q", v, got, want)
		}
	}
	if Percent(40.8) != "40,8\u00A0%" {
		t.Error(Percent(40.8))
	}
	// Counts expected by the pace are whole, rounded half away from zero.
	counts := map[float64]string{24779.71: "24.780", 388.36: "388", 3.11: "3", 2.5: "3", -2.5: "-3", 0.49: "0", 1017.5: "1.018"}
	for v, want := range counts {
		if got := Count(v); got != want {
			t.Errorf("Count(%v) = %q, want %q", v, got, want)
		}
	}
}
